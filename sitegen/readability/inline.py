"""Inline markup stripped from a block's Markdown: the text a reader sees, with offsets.

``strip_inline`` removes code spans, URLs, e-mail addresses, phone numbers, registry ids, HTML
tags, link targets and image URLs (link text and image alt text stay), decodes entities and
escapes, and keeps, for every character left, its offset in the source. Links and
``<abbr>``/``<dfn>`` elements become ``Span``s of the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from sitegen.readability.text import Span

#: The inline constructs, in priority order: (group name, pattern, the characters a match can
#: start with: a regex class body, "" for almost any). ``_inline_pattern`` knows what text each
#: one needs.
_INLINE_PARTS: tuple[tuple[str, str, str], ...] = (
    ("code", r"(?P<code>(?P<ticks>`+)(?:(?!(?P=ticks)).)+?(?P=ticks))", "`"),
    ("autolink", r"(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>)",
     "<"),
    ("comment", r"(?P<comment><!--.*?-->)", "<"),
    ("img", r"""(?P<img>!\[(?P<alt>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]
   (?:\((?:[^()\s\\]|\\.|\([^()\s]*\))*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)|\[[^\]]*\])?)""",
     "!"),
    ("link", r"""(?P<link>\[(?P<ltext>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]
   (?:\(\s*<?(?P<target>(?:[^()\s\\<>]|\\.|\([^()\s]*\))*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)
     |\[(?P<ref>[^\]]*)\])?)""", r"\["),
    ("fnref", r"(?P<fnref>\[\^[^\]\s]+\])", r"\["),
    ("tag", r"(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)", "<"),
    ("attr", r"(?P<attr>\{[:#.][^{}\n]*\})", "{"),
    ("entity", r"(?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)",
     "&"),
    ("escape", r"(?P<escape>\\[!-/:-@\[-`{-~])", r"\\"),
    ("hardbreak", r"(?P<hardbreak>\\(?=\n))", r"\\"),
    ("url", r"""(?P<url>(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>]*[^\s<>.,;:!?'")\]*_])""", "hfw"),
    ("email", r"(?P<email>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)", ""),
    ("id", r"(?P<id>\bNCT\d{8}\b|\bISRCTN\d{8}\b|\b\d{4}-\d{6}-\d{2}(?:-\d{2})?\b)", r"NI\d"),
    ("phone", r"""(?P<phone>(?<![\w.,+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?
   \d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w]|[.,]\d))""", r"+(\d"),
    ("emph", r"(?P<emph>\*+|~~|(?<![^\W_])_+|_+(?![^\W_]))", "*~_"),
)  # fmt: skip
_INLINE_FLAGS = re.X | re.S
#: every construct: the reference for the specialised patterns of ``_inline_pattern``
_INLINE = re.compile("|".join(p for _, p, _ in _INLINE_PARTS), _INLINE_FLAGS)
#: two digit groups with a separator: in every phone number (``\d{2,5}[ .-]\d{2,5}``)
_PHONE_HINT = re.compile(r"\d\d[ .-]\d\d")
_DIGIT = re.compile(r"\d")
#: a character every construct but a bare "www." URL needs (see ``_inline_pattern``)
_SPECIAL = re.compile(r"[`<\[{&\\:@*~_\d]")
_INLINE_CACHE: dict[tuple[bool, ...], re.Pattern[str] | None] = {}


def _inline_pattern(raw: str) -> re.Pattern[str] | None:
    """``_INLINE`` without the constructs that cannot occur in ``raw`` (None if none can).

    Each construct needs certain text (a "`", "://", an "@", two digit groups ...): dropping
    one that cannot match anywhere in ``raw`` leaves every match unchanged. The rest are
    guarded by a lookahead on the characters a match can start with, so the regex engine
    skips ordinary words quickly.
    """
    if _SPECIAL.search(raw) is None and "www." not in raw:
        return None
    digit = _DIGIT.search(raw) is not None
    present = (  # in _INLINE_PARTS order
        "`" in raw,  # code
        "<" in raw,  # autolink
        "<!--" in raw,  # comment
        "![" in raw,  # img
        "[" in raw,  # link
        "[^" in raw,  # fnref
        "<" in raw,  # tag
        "{" in raw,  # attr
        "&" in raw,  # entity
        "\\" in raw,  # escape
        "\\\n" in raw,  # hardbreak
        "://" in raw or "www." in raw,  # url
        "@" in raw,  # email
        digit and ("NCT" in raw or "ISRCTN" in raw or "-" in raw),  # id
        digit and _PHONE_HINT.search(raw) is not None,  # phone: \d{2,5}[ .-]\d{2,5}
        "*" in raw or "~~" in raw or "_" in raw,  # emph
    )
    try:
        return _INLINE_CACHE[present]
    except KeyError:
        pass
    parts = [part for part, ok in zip(_INLINE_PARTS, present, strict=True) if ok]
    rx: re.Pattern[str] | None = None
    if parts:
        body = "|".join(p for _, p, _ in parts)
        starts = [s for _, _, s in parts]
        if all(starts):
            body = f"(?=[{''.join(starts)}])(?:{body})"
        rx = re.compile(body, _INLINE_FLAGS)
    if len(_INLINE_CACHE) >= 1024:
        _INLINE_CACHE.clear()
    _INLINE_CACHE[present] = rx
    return rx


_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_ABBR_OPEN = re.compile(r"<(abbr|dfn)\b([^<>]*)>", re.I)
_TITLE_ATTR = re.compile(r"""title\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _spaces(text: str) -> str:
    """Newlines, tabs, carriage returns and no-break spaces as plain spaces."""
    # str.replace returns the string itself when there is nothing to replace: cheaper than
    # str.translate for the usual text with none of them
    return text.replace("\n", " ").replace("\t", " ").replace("\r", " ").replace("\xa0", " ")


def strip_inline(raw: str, offs: Sequence[int]) -> tuple[str, Sequence[int], list[Span]]:
    """Strip inline Markdown/HTML from ``raw``; return text, per-character offsets, spans."""
    rx = _inline_pattern(raw)
    if rx is None:
        return _spaces(raw), offs, []
    parts: list[str] = []
    out_offs: list[int] = []
    spans: list[Span] = []
    open_tags: list[tuple[str, int, str]] = []
    n_out = 0
    pos = 0

    def emit(text: str, off: Sequence[int]) -> None:
        nonlocal n_out
        parts.append(text)
        out_offs.extend(off)
        n_out += len(text)

    for m in rx.finditer(raw):
        a, b = m.span()
        if a > pos:
            emit(raw[pos:a], offs[pos:a])
        pos = b
        kind = m.lastgroup
        if kind == "url":
            opened = m.group().count("(") - m.group().count(")")
            while opened > 0 and pos < len(raw) and raw[pos] == ")":
                pos += 1
                opened -= 1
        if kind in ("code", "autolink", "comment", "fnref", "url", "email", "id"):
            emit(" ", (offs[a],))
        elif kind == "phone":
            digits = sum(ch.isdigit() for ch in m.group())
            if digits >= 7 and not _ISO_DATE.fullmatch(m.group()):
                emit(" ", (offs[a],))
            else:
                emit(raw[a:b], offs[a:b])
        elif kind in ("img", "link"):
            g = "alt" if kind == "img" else "ltext"
            s, e = m.span(g)
            text, sub_offs, sub_spans = strip_inline(raw[s:e], offs[s:e])
            start = n_out
            spans.extend(Span(x.start + start, x.end + start, x.kind, x.value) for x in sub_spans)
            emit(text, sub_offs)
            if kind == "link":
                spans.append(Span(start, n_out, "link", m.group("target") or m.group("ref") or ""))
        elif kind == "tag":
            tag = m.group()
            abbr_open = _ABBR_OPEN.match(tag)
            if abbr_open:
                tm = _TITLE_ATTR.search(abbr_open.group(2))
                title = next((g for g in tm.groups() if g), "") if tm else ""
                open_tags.append((abbr_open.group(1).lower(), n_out, title))
            elif tag[:2] == "</" and open_tags and tag[2:-1].strip().lower() == open_tags[-1][0]:
                _, start, title = open_tags.pop()
                spans.append(Span(start, n_out, "abbr", title))
            if tag[:3].lower() == "<br":
                emit(" ", (offs[a],))
        elif kind == "entity":
            text = html.unescape(m.group())
            emit(text, (offs[a],) * len(text))
        elif kind == "escape":
            emit(raw[a + 1], (offs[a + 1],))
        # attr, emph, hardbreak: dropped
    if pos < len(raw):
        emit(raw[pos:], offs[pos:])
    return _spaces("".join(parts)), out_offs, spans
