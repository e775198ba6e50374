"""The stage types after reading: a page after Markdown and the readability check
(``PageResult``), everything known about one content file after processing (``Outcome``, what
the page cache stores) and what a build or check did (``BuildResult``).

They live in the lowest layer that knows all their parts (``definitions.Annotated`` is the
render layer's), so ``render/``, ``build/`` and ``report/`` all import them from here, never
from the pipeline. ``Page`` itself is in ``content/pages.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sitegen.content.pages import Page
from sitegen.content.translations import Stale
from sitegen.core.diagnostics import Diagnostic, Severity
from sitegen.markup.convert import Rendered, resolve_links
from sitegen.readability.model import PageCheck
from sitegen.render.definitions import Annotated


@dataclass(frozen=True)
class Outcome:
    """Everything known about one content file after processing."""

    path: str
    page: Page | None
    rendered: Rendered | None
    check: PageCheck | None
    diagnostics: tuple[Diagnostic, ...]
    #: the content cache key (file bytes, settings, code); None when the file is not cached
    key: str | None = None
    #: the body HTML with its dictionary terms marked up (``definitions``), links unresolved
    annotated: Annotated | None = None
    #: a hash of the page's metadata and URL: what listings show of it
    meta_key: str | None = None


@dataclass(frozen=True)
class PageResult:
    """A page after Markdown and the readability check."""

    page: Page
    rendered: Rendered
    check: PageCheck
    #: the content cache key of the source (``workers``): None when not cached
    key: str | None = None
    #: ``rendered.html`` with its dictionary terms marked up (``definitions.annotate``); when
    #: publishing, ``rendered.html`` itself is dropped once this is made
    annotated: Annotated | None = None
    #: a hash of the metadata and URL (``workers``): what listings show of the page
    meta_key: str | None = None
    #: the site's link map (source path -> URL) when ``annotated.html`` still holds link
    #: placeholders: resolved only when the page is rendered (``body_html``)
    links: Mapping[str, str] | None = None

    def body_html(self) -> str:
        """The marked-up body (else the plain one) with its links resolved."""
        html = self.annotated.html if self.annotated is not None else self.rendered.html
        if self.links is None:
            return html
        return resolve_links(html, self.page.url, self.links)


@dataclass
class BuildResult:
    """What a build or check did."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    results: list[PageResult] = field(default_factory=list)
    checks: list[PageCheck] = field(default_factory=list)
    published: bool = False
    pages_written: int = 0
    files_written: int = 0
    #: of the files written, how many were rendered (the rest: kept from the last build)
    files_rendered: int = 0
    #: pages not published this time (blocked, or with errors): (source, why)
    withheld: list[tuple[str, str]] = field(default_factory=list)
    elapsed: float = 0.0
    #: translations to publish with a notice that they may be out of date (``translations``)
    stale: dict[str, Stale] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """Number of error diagnostics."""
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Number of warning diagnostics."""
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    @property
    def blocked(self) -> list[str]:
        """Sources of pages whose readability verdict is "block" (drafts left out: a draft
        never stops a build or a check)."""
        return [c.path for c in self.checks if c.verdict == "block" and not c.draft]
