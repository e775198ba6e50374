"""Markdown to safe HTML: Python-Markdown with tables, heading anchors, attribute and definition
lists; links between content files rewritten to page URLs; raw HTML sanitized.

The only module that imports ``markdown``.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .diagnostics import Diagnostic, error, warning
from .sanitize import clean_html
from .urls import relative_url

EXTENSIONS = [
    "tables",
    "attr_list",
    "def_list",
    "fenced_code",
    "sane_lists",
    "toc",
]
EXTENSION_CONFIGS = {
    "toc": {"toc_depth": "2-3", "permalink": False},
    # An align attribute instead of an inline style, which the page CSP would block.
    "tables": {"use_align_attribute": True},
}


@dataclass(frozen=True)
class Heading:
    """A section heading: its anchor id, text and level."""

    id: str
    text: str
    level: int


@dataclass(frozen=True)
class Rendered:
    """A page body as HTML with what the site needs to know about it."""

    html: str
    headings: tuple[Heading, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())


@dataclass
class _LinkContext:
    source_path: str = ""
    page_url: str = ""
    link_map: Mapping[str, str] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)


class _LinkRewriter(Treeprocessor):
    """Rewrite ``other.md`` links to the URL of the page built from that file."""

    def __init__(self, md: markdown.Markdown, ctx: _LinkContext) -> None:
        super().__init__(md)
        self.ctx = ctx

    def run(self, root: etree.Element) -> None:
        for a in root.iter("a"):
            href = a.get("href", "")
            new = rewrite_link(href, self.ctx.source_path, self.ctx.page_url, self.ctx.link_map)
            if new is None:
                self.ctx.broken.append(href)
            elif new != href:
                a.set("href", new)


class _SitegenExtension(Extension):
    def __init__(self, ctx: _LinkContext) -> None:
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_LinkRewriter(md, self.ctx), "sitegen_links", 5)


_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def rewrite_link(
    href: str, source_path: str, page_url: str, link_map: Mapping[str, str]
) -> str | None:
    """Map a link in a content file to its published URL; ``None`` when the target is missing.

    Only site-relative links to ``.md`` files are rewritten; external links, anchors and other
    files are kept as written.
    """
    if not href or href.startswith(("#", "//")) or _SCHEME_RE.match(href):
        return href
    path, _, fragment = href.partition("#")
    if not path.endswith(".md"):
        return href
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), path))
    url = link_map.get(target)
    if url is None:
        return None
    rel = relative_url(page_url, url)
    return rel + ("#" + fragment if fragment else "")


class Renderer:
    """A reusable Markdown converter (building one per page is slow)."""

    def __init__(self) -> None:
        self._ctx = _LinkContext()
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _SitegenExtension(self._ctx)],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )

    def render(
        self,
        body: str,
        *,
        source_path: str,
        body_line: int,
        page_url: str,
        link_map: Mapping[str, str],
    ) -> Rendered:
        """Convert one page body; broken links and misplaced headings become diagnostics."""
        self._ctx.source_path = source_path
        self._ctx.page_url = page_url
        self._ctx.link_map = link_map
        self._ctx.broken = []
        self._md.reset()
        html = self._md.convert(body)
        tokens = getattr(self._md, "toc_tokens", [])
        headings = tuple(_flatten(tokens))
        diags: list[Diagnostic] = []
        lines = body.split("\n")
        for href in dict.fromkeys(self._ctx.broken):
            line, col = _find(lines, href)
            diags.append(
                error(
                    source_path,
                    line + body_line - 1 if line else 0,
                    col,
                    "LNK001",
                    f'broken link "{href}": no page is built from that file',
                    "link to another file in content/ with a path relative to this one",
                )
            )
        in_fence = False
        for n, text in enumerate(lines):
            if text.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            if not in_fence and re.match(r"^# \S", text):
                diags.append(
                    warning(
                        source_path,
                        n + body_line,
                        1,
                        "MD001",
                        "heading level 1 in the text: the page title is already the main heading",
                        "start sections with '## '",
                    )
                )
        return Rendered(clean_html(html), headings, tuple(diags))


def _flatten(tokens: list[dict]) -> list[Heading]:
    out: list[Heading] = []
    for tok in tokens:
        out.append(Heading(tok["id"], _strip_tags(tok["name"]), int(tok["level"])))
        out.extend(_flatten(tok.get("children", [])))
    return out


_TAG_RE = re.compile(r"<[^>]+>")


def _strip_tags(text: str) -> str:
    import html as _html

    return _html.unescape(_TAG_RE.sub("", text))


def _find(lines: list[str], needle: str) -> tuple[int, int]:
    for n, text in enumerate(lines, 1):
        i = text.find("(" + needle)
        if i >= 0:
            return n, i + 2
        i = text.find(needle)
        if i >= 0:
            return n, i + 1
    return 0, 0
