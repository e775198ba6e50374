"""Prose extraction: the text a patient reads, as plain text that remembers where it came from.

``extract(body, body_line, fields)`` scans the Markdown body line by line (headings, list items,
paragraphs, block quotes, table cells; fenced and indented code, HTML blocks, attribute lists and
link definitions are skipped), strips inline markup (code spans, URLs, e-mail addresses, phone
numbers, registry ids, HTML tags, link targets and image URLs go; link text and image alt text
stay) and keeps, for every character of the extracted text, its offset in the source string.
Front-matter ``ProseField``s become blocks of their own. Each block is then split into
sentences and words.

Blocks are sentence boundaries: a heading, a list item or a table cell is a sentence of its own
even without a full stop. The sentence splitter does not break after common abbreviations
("Dr.", "e.g.", "vs.", "approx.", "No. 5"), inside decimals ("2.5 mg"), after initials
("J. Smith") or before a lower-case word.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise, repeat
from operator import add, itemgetter
from typing import NamedTuple

from sitegen.readability.model import ProseField

# --------------------------------------------------------------------------- data types


@dataclass(frozen=True, slots=True)
class Source:
    """A string findings point into: the Markdown body or one front-matter field value."""

    name: str  # "" for the body, else the field name
    text: str
    line: int  # file line of text[0]
    column: int  # file column of text[0]
    exact: bool
    line_starts: tuple[int, ...]

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based file (line, column) of ``text[offset]``.

        Lines after the first of a multi-line field are assumed to share its indentation (true
        for YAML block scalars); an inexact field reports every offset at its own start.
        """
        if not self.exact:
            return self.line, self.column
        k = bisect_right(self.line_starts, offset) - 1
        return self.line + k, self.column + offset - self.line_starts[k]

    def locate(self, start: int, end: int) -> tuple[int, int, int, int, str]:
        """Return ``(line, column, end_line, end_column, text)`` of ``text[start:end]``.

        ``end_column`` is exclusive. For an inexact field the end is the start.
        """
        line, col = self.position(start)
        if not self.exact:
            return line, col, line, col, self.text[start:end]
        end_line, end_col = self.position(max(start, end - 1))
        return line, col, end_line, end_col + (1 if end > start else 0), self.text[start:end]


class Span(NamedTuple):
    """An annotated stretch of a block's text: a link (value = target) or an ``<abbr>``."""

    start: int
    end: int
    kind: str  # "link" | "abbr"
    value: str


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of prose: a heading, paragraph, list item, table cell or front-matter field."""

    kind: str  # heading | paragraph | item | cell | field
    level: int  # heading level, else 0
    text: str
    #: offsets[i] = offset of text[i] in the source (a range when they are consecutive)
    offsets: Sequence[int]
    source: int  # index into Prose.sources
    section: int  # index into Prose.sections, -1 outside any "##" section
    spans: tuple[Span, ...] = ()


class Word(NamedTuple):
    """A word: ``text`` is the token without surrounding punctuation, ``raw`` the whole token."""

    start: int  # in the block's text
    end: int
    text: str
    raw: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: ``text`` is ``block.text[start:end]``."""

    block: int
    start: int
    end: int
    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A ``##`` section of the body: its title and heading block (-1 if the heading is empty)."""

    title: str
    block: int


@dataclass(frozen=True, slots=True)
class Prose:
    """Everything extracted from one page."""

    sources: tuple[Source, ...]
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    sections: tuple[Section, ...]

    def locate(self, block: int, start: int, end: int) -> tuple[int, int, int, int, str]:
        """File position and exact source text of ``blocks[block].text[start:end]``."""
        b = self.blocks[block]
        src = self.sources[b.source]
        s = b.offsets[start]
        e = b.offsets[end - 1] + 1 if end > start else s
        return src.locate(s, max(s, e))

    def field_name(self, block: int) -> str:
        """The front-matter field of a block, or "" for the body."""
        return self.sources[self.blocks[block].source].name


# --------------------------------------------------------------------------- entry point


def extract(body: str, body_line: int, fields: Sequence[ProseField] = ()) -> Prose:
    """Extract the patient-facing prose of a page: its fields first, then the body."""
    sources: list[Source] = [_source("", body, body_line, 1, True)]
    blocks: list[Block] = []
    for f in fields:
        sources.append(_source(f.name, f.text, f.line, f.column, f.exact))
        text, offs, spans = _inline(f.text, range(len(f.text)))
        blocks.append(Block("field", 0, text, _frozen(offs), len(sources) - 1, -1, tuple(spans)))
    sections: list[Section] = []
    section = -1
    for raw in _scan_blocks(body):
        text, offs, spans = _inline(raw.text, raw.offsets)
        empty = not text.strip()
        if raw.kind == "heading":
            if raw.level == 2:
                sections.append(Section(" ".join(text.split()), -1 if empty else len(blocks)))
                section = len(sections) - 1
            elif raw.level == 1:
                section = -1
        if empty:
            continue
        blocks.append(Block(raw.kind, raw.level, text, _frozen(offs), 0, section, tuple(spans)))
    sentences = [s for i, b in enumerate(blocks) for s in split_sentences(b.text, i)]
    return Prose(tuple(sources), tuple(blocks), tuple(sentences), tuple(sections))


def page_text(prose: Prose) -> tuple[str, list[int]]:
    """Every block's text joined with newlines, and where each block starts in it."""
    bases: list[int] = []
    at = 0
    for b in prose.blocks:
        bases.append(at)
        at += len(b.text) + 1
    return "\n".join(b.text for b in prose.blocks), bases


def _frozen(offsets: Sequence[int]) -> Sequence[int]:
    """Block offsets: a range stays a range (no need to spell it out), a list becomes a tuple."""
    return offsets if isinstance(offsets, range) else tuple(offsets)


def _source(name: str, text: str, line: int, column: int, exact: bool) -> Source:
    # line k starts after the k newlines before it: 0, then each line's length + 1 summed up
    lines = text.split("\n")
    starts = accumulate(map(add, map(len, lines[:-1]), repeat(1)), initial=0)
    return Source(name, text, line, column, exact, tuple(starts))


# --------------------------------------------------------------------------- block scanner


class _Raw(NamedTuple):
    kind: str
    level: int
    text: str
    offsets: Sequence[int]


_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_HR = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST = re.compile(r"([ \t]*)([-+*]|\d{1,9}[.)])([ \t]+|$)")
_TASK = re.compile(r"\[[ xX]\][ \t]+")
_QUOTE = re.compile(r"(?: {0,3}>[ ]?)+")
_BLOCK_TAGS = (
    "address|article|aside|audio|base|basefont|blockquote|body|canvas|caption|center|col|"
    "colgroup|dd|details|dialog|dir|div|dl|dt|embed|fieldset|figcaption|figure|footer|form|"
    "frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|meta|"
    "nav|noframes|object|ol|optgroup|option|p|param|picture|pre|script|search|section|source|"
    "style|summary|table|tbody|td|template|textarea|tfoot|th|thead|title|tr|track|ul|video"
)
_HTML_BLOCK = re.compile(
    r" {0,3}(?:<!--|<\?|<![A-Za-z]|<!\[CDATA\[|</?(?:" + _BLOCK_TAGS + r")(?:[\s/>]|$))", re.I
)
_HTML_LONE_TAG = re.compile(
    r" {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"
)
_SKIP_LINE = re.compile(
    r"\s*\{:[^}]*\}\s*$"  # attribute list on its own line
    r"| {0,3}\[(?!\^)[^\]]+\]:\s*\S"  # link reference definition
    r"| {0,3}\*\[[^\]]+\]:"  # abbreviation definition (python-markdown abbr)
)
_FOOTNOTE_DEF = re.compile(r" {0,3}\[\^[^\]]+\]:[ \t]*")
_TABLE_DELIM = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def _indent(s: str) -> int:
    """Width of the leading whitespace, tabs to the next multiple of 4."""
    width = 0
    for ch in s:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


class _Open:
    """The block being collected: its kind, level and (offset, text) line segments."""

    def __init__(self, kind: str, level: int = 0, depth: int = 0) -> None:
        self.kind = kind
        self.level = level
        self.depth = depth
        self.segments: list[tuple[int, str]] = []

    def add(self, offset: int, text: str) -> None:
        stripped = text.lstrip(" \t")
        offset += len(text) - len(stripped)
        self.segments.append((offset, stripped.rstrip("\r")))

    def raw(self) -> _Raw:
        if len(self.segments) == 1:
            off, text = self.segments[0]
            return _Raw(self.kind, self.level, text, range(off, off + len(text)))
        parts: list[str] = []
        offs: list[int] = []
        for i, (off, text) in enumerate(self.segments):
            if i:
                prev_off, prev_text = self.segments[i - 1]
                parts.append("\n")
                offs.append(prev_off + len(prev_text))
            parts.append(text)
            offs.extend(range(off, off + len(text)))
        return _Raw(self.kind, self.level, "".join(parts), offs)


def _scan_blocks(body: str) -> list[_Raw]:
    """Split a Markdown body into prose blocks (a small line-based block scanner)."""
    lines = body.split("\n")
    starts: list[int] = []
    pos = 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    out: list[_Raw] = []
    cur: _Open | None = None
    fence: tuple[str, int] | None = None
    html_block: str | None = None  # "comment" | "block"
    lists: list[tuple[int, int]] = []  # (marker indent, content indent)
    prev_blank = True

    def flush() -> None:
        nonlocal cur
        if cur is not None and cur.segments:
            out.append(cur.raw())
        cur = None

    i = 0
    n = len(lines)
    while i < n:
        line = lines[i].rstrip("\r")
        base = starts[i]
        q = _QUOTE.match(line) if line[:1] in " >" else None  # a quote starts so
        depth = q.group().count(">") if q else 0
        c0 = q.end() if q else 0
        s = line[c0:]
        if fence is not None:
            m = _FENCE.match(s)
            if (
                m
                and m.group(1)[0] == fence[0]
                and len(m.group(1)) >= fence[1]
                and not s[m.end() :].strip()
            ):
                fence = None
            i += 1
            continue
        if html_block is not None:
            if html_block == "comment":
                if "-->" in line:
                    html_block = None
            elif not line.strip():
                html_block = None
                prev_blank = True
            i += 1
            continue
        if cur is not None and depth != cur.depth:
            flush()
        if not s.strip():
            flush()
            prev_blank = True
            i += 1
            continue
        ind = _indent(s) if s[0] in " \t" else 0
        if prev_blank or cur is None:
            while lists and ind < lists[-1][1] and not _LIST.match(s):
                lists.pop()
        list_base = lists[-1][1] if lists else 0
        if ind - list_base >= 4 and (cur is None or prev_blank):
            flush()  # indented code
            i += 1
            continue
        prev_blank = False
        if s[0].isalpha() and "|" not in s:
            # no block construct starts with a letter (markers, "#", "<", "[", fences, rules,
            # numbers): the line continues or starts a paragraph
            if cur is None:
                cur = _Open("paragraph", 0, depth)
            cur.add(base + c0, s)
            i += 1
            continue
        if cur is not None and cur.kind == "paragraph":
            m = _SETEXT.match(s)
            if m:
                cur.kind, cur.level = "heading", 1 if m.group(1)[0] == "=" else 2
                flush()
                i += 1
                continue
        if _HR.match(s):
            flush()
            i += 1
            continue
        m = _ATX.match(s)
        if m:
            flush()
            content = s[m.end() :]
            close = _ATX_CLOSE.search(content)  # ends in $: always matches
            content = content[: close.start()] if close else content
            h = _Open("heading", len(m.group(1)), depth)
            h.add(base + c0 + m.end(), content)
            cur = h
            flush()
            i += 1
            continue
        m = _FENCE.match(s)
        if m:
            flush()
            fence = (m.group(1)[0], len(m.group(1)))
            i += 1
            continue
        if _HTML_BLOCK.match(s) or (cur is None and _HTML_LONE_TAG.match(s)):
            flush()
            if s.lstrip().startswith("<!--"):
                if "-->" not in s:
                    html_block = "comment"
            else:
                html_block = "block"
            i += 1
            continue
        if _SKIP_LINE.match(s):
            flush()
            i += 1
            continue
        if "|" in s and i + 1 < n:
            nxt = lines[i + 1].rstrip("\r")
            qn = _QUOTE.match(nxt)
            nxt_s = nxt[qn.end() :] if qn else nxt
            if _TABLE_DELIM.match(nxt_s) and "-" in nxt_s:
                flush()
                out.extend(_cells(s, base + c0))
                i += 2
                while i < n:
                    row = lines[i].rstrip("\r")
                    qr = _QUOTE.match(row)
                    c1 = qr.end() if qr else 0
                    row_s = row[c1:]
                    if not row_s.strip() or "|" not in row_s:
                        break
                    out.extend(_cells(row_s, starts[i] + c1))
                    i += 1
                continue
        m = _LIST.match(s)
        if m:
            flush()
            marker_ind = _indent(m.group(1))
            content_at = m.end()
            while lists and marker_ind < lists[-1][1] and marker_ind <= lists[-1][0]:
                lists.pop()
            if lists and marker_ind < lists[-1][1]:
                lists.pop()
            lists.append((marker_ind, _indent(s[:content_at]) if m.group(3) else marker_ind + 2))
            item = _Open("item", 0, depth)
            rest = s[content_at:]
            t = _TASK.match(rest)
            if t:
                content_at += t.end()
                rest = rest[t.end() :]
            item.add(base + c0 + content_at, rest)
            cur = item
            i += 1
            continue
        m = _FOOTNOTE_DEF.match(s)
        if m:
            flush()
            cur = _Open("paragraph", 0, depth)
            cur.add(base + c0 + m.end(), s[m.end() :])
            i += 1
            continue
        if cur is None:
            cur = _Open("paragraph", 0, depth)
        cur.add(base + c0, s)
        i += 1
    flush()
    return out


def _cells(row: str, base: int) -> list[_Raw]:
    """The cells of one table row, each a block of its own."""
    out: list[_Raw] = []
    bounds: list[int] = []
    in_code = False
    k = 0
    while k < len(row):
        ch = row[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "`":
            in_code = not in_code
        elif ch == "|" and not in_code:
            bounds.append(k)
        k += 1
    for a, b in pairwise([-1, *bounds, len(row)]):
        cell = _Open("cell")
        cell.add(base + a + 1, row[a + 1 : b].rstrip())
        if cell.segments[0][1]:
            out.append(cell.raw())
    return out


# --------------------------------------------------------------------------- inline markup

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


def _inline(raw: str, offs: Sequence[int]) -> tuple[str, Sequence[int], list[Span]]:
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
            text, sub_offs, sub_spans = _inline(raw[s:e], offs[s:e])
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


# --------------------------------------------------------------------------- sentences, words

_TERMINAL = re.compile(r"(?:[.!?…]+)[\"'”’»)\]]*(?=\s|$)")
_OPENERS = "([{\"'“‘«¿¡"
#: never end a sentence after these (lower-cased, without the final dot)
_ABBREVIATION_WORDS = (
    "dr mr mrs ms mx prof rev st jr sr e.g i.e vs v approx cf viz fig figs al incl "
    "dra sra srta ud uds aprox p.ej ej pág núm tel"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "núm", "nº", "p", "pp", "vol", "ch"})
_SOFT_ABBREVIATIONS = frozenset({"etc", "a.m", "p.m", "a.c", "d.c"})
_BEFORE_INITIAL_WORDS = "by and with from to for of y con de por"
_BEFORE_INITIAL = frozenset(_BEFORE_INITIAL_WORDS.split())
#: a whitespace token's core: group 1 runs from its first to its last letter or digit
#: (``[^\W_]`` is exactly ``str.isalnum``); no match for a token without either
_WORD_CORE = re.compile(r"(?:[^\w\s]|_)*([^\W_](?:.*[^\W_])?)", re.S)
_new_word = tuple.__new__
_START = itemgetter(0)  # Word.start


def split_sentences(text: str, block: int = 0) -> list[Sentence]:
    """Split one block's text into sentences that contain at least one word."""
    out: list[Sentence] = []
    ws = tuple(words(text))
    if not ws:
        return out
    # A sentence ends where whitespace (or the text's end) follows, so no word crosses one:
    # each sentence takes the block's words that start inside it. A sentence ends with its
    # terminal punctuation; only the last one can end with whitespace.
    starts = list(map(_START, ws))
    ends = [m.end() for m in _TERMINAL.finditer(text) if _ends_sentence(text, m)]
    n = len(text)
    if not ends or ends[-1] < n:
        b = n
        while text[b - 1].isspace():  # the last word ends before any trailing whitespace
            b -= 1
        ends.append(b)
    start = lo = 0
    for end in ends:
        hi = bisect_left(starts, end, lo)
        if hi > lo:
            while text[start].isspace():  # a word starts inside: not whitespace only
                start += 1
            out.append(Sentence(block, start, end, text[start:end], ws[lo:hi]))
        start, lo = end, hi
    return out


def _ends_sentence(text: str, m: re.Match[str]) -> bool:
    k = m.end()
    while k < len(text) and text[k].isspace():
        k += 1
    if k >= len(text):
        return True
    nxt = text[k]
    if nxt.islower() or nxt in ",;:)]}":
        return False
    punct = m.group().rstrip("\"'”’»)]")
    if punct != ".":
        return True
    j = m.start()
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    word = text[j : m.start()].lstrip(_OPENERS)
    low = word.lower()
    if low in _ABBREVIATIONS:
        return False
    if low in _NUMBER_ABBREVIATIONS and nxt.isdigit():
        return False
    if low in _SOFT_ABBREVIATIONS and not nxt.isupper():
        return False
    if len(word) == 1 and word.isupper() and nxt.isupper():
        # an initial ("J. Smith", "John F. Kennedy", "by J. Smith"), not "vitamin D. Then"
        prev = text[:j].split()[-1:] or [""]
        p = prev[0].strip(_OPENERS)
        return not (not p or p[0].isupper() or p.lower() in _BEFORE_INITIAL)
    return True


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of ``text[start:end]``: whitespace tokens with a letter or digit in them.

    This matches textstat's word count (split on whitespace, drop tokens that are only
    punctuation); ``Word.text`` is the token without leading and trailing punctuation.
    """
    end = len(text) if end is None else end
    seg = text if start == 0 and end == len(text) else text[start:end]
    # str.split() splits exactly where the regex ``\S+`` would
    raws = seg.split()
    out: list[Word] = []
    append = out.append
    if len(seg) == sum(map(len, raws)) + len(raws) - 1:
        # one whitespace character between tokens and none around them: the positions add up
        at = start
        for raw in raws:
            after = at + len(raw)
            if raw.isalnum():
                append(_new_word(Word, (at, after, raw, raw)))
            elif core := _core(raw):
                a, b, word = core
                append(_new_word(Word, (at + a, at + b, word, raw)))
            at = after + 1
        return out
    # else a token starts at the first occurrence of its text after the previous token
    find = text.find
    pos = start
    for raw in raws:
        at = find(raw, pos)
        pos = at + len(raw)
        if raw.isalnum():
            append(_new_word(Word, (at, pos, raw, raw)))
        elif core := _core(raw):
            a, b, word = core
            append(_new_word(Word, (at + a, at + b, word, raw)))
    return out


_CORES: dict[str, tuple[int, int, str] | tuple[()]] = {}


def _core(raw: str) -> tuple[int, int, str] | tuple[()]:
    """(start, end, text) of a token's word inside it, () for a token without one; cached."""
    core = _CORES.get(raw)
    if core is None:
        if len(_CORES) >= 100_000:
            _CORES.clear()
        m = _WORD_CORE.match(raw)
        core = _CORES[raw] = (*m.span(1), m.group(1)) if m else ()
    return core
