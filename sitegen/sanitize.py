"""Sanitize untrusted HTML (raw HTML in Markdown, imported registry text) with nh3.

The allow-list fits the theme: text structure, tables, definition lists, disclosure widgets
and links. No script, style, iframe, form, event-handler attribute or ``javascript:`` URL can
pass. The only module that imports ``nh3``.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul",
}  # fmt: skip
_COMMON = {"id", "class", "lang", "dir", "title"}
ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type", "reversed"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "time": {"datetime"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def clean_text(text: str) -> str:
    """Strip every tag from ``text`` (for registry strings shown as plain text)."""
    return nh3.clean(text, tags=set())
