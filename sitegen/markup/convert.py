"""Markdown to safe HTML: Python-Markdown with tables, heading anchors, attribute and definition
lists; links between content files rewritten to page URLs; raw HTML sanitized.

The only module that imports ``markdown``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from sitegen.core.cachefile import Deferred
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.core.urls import relative_url
from sitegen.markup.sanitize import clean_html

EXTENSIONS = [
    "tables",
    "attr_list",
    "def_list",
    "fenced_code",
    "sane_lists",
    "toc",
]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
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
class LinkRef:
    """A link from one content file to another (``target`` is site-relative)."""

    href: str
    target: str
    line: int
    col: int


@dataclass(frozen=True)
class Rendered(Deferred):
    """A page body as HTML with what the site needs to know about it.

    Links to other content files are left as placeholders (``LINK_PREFIX`` + target) until
    ``resolve_links`` knows every page's URL, so that each page can be converted on its own,
    in any process, before the rest of the site is known.
    """

    html: str
    headings: tuple[Heading, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    links: tuple[LinkRef, ...] = field(default=())


LINK_PREFIX = "__sitegen_link__/"
_PLACEHOLDER_RE = re.compile(r'href="__sitegen_link__/([^"#]*)(#[^"]*)?"')


@dataclass
class _LinkContext:
    source_path: str = ""
    found: list[tuple[str, str]] = field(default_factory=list)


class _LinkRewriter(Treeprocessor):
    """Replace ``other.md`` links by placeholders naming the target content file."""

    def __init__(self, md: markdown.Markdown, ctx: _LinkContext) -> None:
        super().__init__(md)
        self.ctx = ctx

    def run(self, root: etree.Element) -> None:
        for a in root.iter("a"):
            href = a.get("href", "")
            target = link_target(href, self.ctx.source_path)
            if target is not None:
                path = target.partition("#")[0]
                self.ctx.found.append((href, path))
                a.set("href", LINK_PREFIX + target)


class _SitegenExtension(Extension):
    def __init__(self, ctx: _LinkContext) -> None:
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_LinkRewriter(md, self.ctx), "sitegen_links", 5)


_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def link_target(href: str, source_path: str) -> str | None:
    """The content file (plus ``#fragment``) a link points to, or ``None`` for other links.

    Only relative links to ``.md`` files are links between pages; external links, anchors and
    other files are kept as written.
    """
    if not href or href.startswith(("#", "//", "/")) or _SCHEME_RE.match(href):
        return None
    path, _, fragment = href.partition("#")
    if not path.endswith(".md"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), path))
    return target + ("#" + fragment if fragment else "")


def resolve_links(html: str, page_url: str, link_map: Mapping[str, str]) -> str:
    """Replace link placeholders by relative URLs; a missing target links to nothing."""
    if LINK_PREFIX not in html:
        return html

    def sub(m: re.Match[str]) -> str:
        url = link_map.get(m.group(1))
        if url is None:
            return 'href="#"'
        return f'href="{relative_url(page_url, url)}{m.group(2) or ""}"'

    return _PLACEHOLDER_RE.sub(sub, html)


def link_placeholders(html: str) -> tuple[str, ...]:
    """The content files (with ``#fragment``) whose placeholders ``html`` holds, sorted:
    all that ``resolve_links`` makes of it depends on beside ``html`` and the page URL."""
    if LINK_PREFIX not in html:
        return ()
    return tuple(sorted({m.group(1) for m in _PLACEHOLDER_RE.finditer(html)}))


def broken_links(
    rendered: Rendered, source_path: str, link_map: Mapping[str, str]
) -> list[Diagnostic]:
    """LNK001 for every link of a page whose target file builds no page."""
    diags = []
    seen: set[str] = set()
    for ref in rendered.links:
        if ref.target in link_map or ref.href in seen:
            continue
        seen.add(ref.href)
        diags.append(
            error(
                source_path,
                ref.line,
                ref.col,
                "LNK001",
                f'broken link "{ref.href}": no page is built from that file',
                "link to another file in content/ with a path relative to this one",
            )
        )
    return diags


#: what every match of every inline pattern of the converter contains (code, escapes, links
#: and images, autolinks and HTML, entities, emphasis, hard line breaks)
_INLINE_MARKS = ("`", "\\", "[", "<", "&", "*", "_", "  \n")
#: the inline patterns ``_INLINE_MARKS`` was read from (``inline_patterns_digest``)
INLINE_PATTERNS_DIGEST = "742d02b248cfe498aca408501ba1cee83a929d6a487e99f86b9491df900940fa"


def inline_patterns_digest(md: markdown.Markdown) -> str:
    """A hash of the classes and regular expressions of ``md``'s inline patterns, in order."""
    h = hashlib.sha256()
    for pattern in md.inlinePatterns:
        h.update(f"{type(pattern).__qualname__}\0{pattern.pattern}\0".encode())
    return h.hexdigest()


class _QuickInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, which first passes over a text with none of
    ``_INLINE_MARKS`` (most paragraphs and list items): no inline pattern can match it, and
    trying each of them in turn was half of the conversion's time."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if not any(mark in data for mark in _INLINE_MARKS):
            return data
        handle = super()._InlineProcessor__handleInline  # type: ignore[misc]
        return handle(data, patternIndex)


class Renderer:
    """A reusable Markdown converter (building one per page is slow)."""

    def __init__(self) -> None:
        self._ctx = _LinkContext()
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _SitegenExtension(self._ctx)],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
        # only for the patterns the marks were read from (another Markdown version: as is)
        if inline_patterns_digest(self._md) == INLINE_PATTERNS_DIGEST:
            self._md.treeprocessors.register(_QuickInlineProcessor(self._md), "inline", 20)

    def render(self, body: str, *, source_path: str, body_line: int) -> Rendered:
        """Convert one page body; misplaced headings become diagnostics.

        Links to other content files stay placeholders: see ``resolve_links`` and
        ``broken_links``.
        """
        self._ctx.source_path = source_path
        self._ctx.found = []
        self._md.reset()
        html = self._md.convert(body)
        tokens = getattr(self._md, "toc_tokens", [])
        headings = tuple(_flatten(tokens))
        diags: list[Diagnostic] = []
        lines = body.split("\n")
        links = []
        for href, target in dict.fromkeys(self._ctx.found):
            line, col = _find(lines, href)
            links.append(LinkRef(href, target, line + body_line - 1 if line else 0, col))
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
        return Rendered(clean_html(html), headings, tuple(diags), tuple(links))


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
