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


#: ids the theme's own parts use (scripts, skip link, in-page links): page content may not
#: repeat them, or a script or link could find the writer's element instead of the theme's
THEME_IDS = frozenset(
    {
        "main", "prescreen", "prescreen-data", "prescreen-heading", "take-part", "contact-team",
        "sites", "study-list", "search", "finder", "facts-heading", "toc-heading",
    }
)  # fmt: skip
THEME_ID_PREFIXES = ("ps-", "f-", "finder-", "feedback-", "site-search")


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id" and (value in THEME_IDS or value.startswith(THEME_ID_PREFIXES)):
        return None
    return value


def clean_html(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed, and without ids the
    theme's own parts use."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )


def clean_text(text: str) -> str:
    """Strip every tag from ``text`` (for registry strings shown as plain text)."""
    return nh3.clean(text, tags=set())
