"""The Markdown block scanner: a page body split into its prose blocks.

``scan_blocks`` reads the body line by line and gives its headings, paragraphs, list items,
block-quote text and table cells (one block each), with every character's offset in the body.
Fenced and indented code, HTML blocks, thematic breaks, attribute lists, link and abbreviation
definitions are skipped. It is a small line-based scanner, not a full CommonMark parser: it
only needs to find the text a reader sees and where it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple


class RawBlock(NamedTuple):
    """A block as found in the body: ``offsets[i]`` is the body offset of ``text[i]``."""

    kind: str  # heading | paragraph | item | cell
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

    def raw(self) -> RawBlock:
        if len(self.segments) == 1:
            off, text = self.segments[0]
            return RawBlock(self.kind, self.level, text, range(off, off + len(text)))
        parts: list[str] = []
        offs: list[int] = []
        for i, (off, text) in enumerate(self.segments):
            if i:
                prev_off, prev_text = self.segments[i - 1]
                parts.append("\n")
                offs.append(prev_off + len(prev_text))
            parts.append(text)
            offs.extend(range(off, off + len(text)))
        return RawBlock(self.kind, self.level, "".join(parts), offs)


def scan_blocks(body: str) -> list[RawBlock]:
    """Split a Markdown body into prose blocks (a small line-based block scanner)."""
    return _Scanner(body).run()


class _Scanner:
    """One scan of a body: the blocks found so far, the block being collected, and the open
    fence, HTML block and lists. The line readers return the index of the next line to read."""

    def __init__(self, body: str) -> None:
        self.lines = body.split("\n")
        self.starts: list[int] = []
        pos = 0
        for ln in self.lines:
            self.starts.append(pos)
            pos += len(ln) + 1
        self.out: list[RawBlock] = []
        self.cur: _Open | None = None
        self.fence: tuple[str, int] | None = None
        self.html_block: str | None = None  # "comment" | "block"
        self.lists: list[tuple[int, int]] = []  # (marker indent, content indent)
        self.prev_blank = True

    def run(self) -> list[RawBlock]:
        """Read every line; the blocks found."""
        i = 0
        n = len(self.lines)
        while i < n:
            i = self._line(i)
        self._flush()
        return self.out

    def _flush(self) -> None:
        """Close the block being collected (a block found if it has text)."""
        if self.cur is not None and self.cur.segments:
            self.out.append(self.cur.raw())
        self.cur = None

    def _line(self, i: int) -> int:
        """Line ``i``: inside a fence or HTML block, blank, indented code, or text."""
        line = self.lines[i].rstrip("\r")
        q = _QUOTE.match(line) if line[:1] in " >" else None  # a quote starts so
        depth = q.group().count(">") if q else 0
        c0 = q.end() if q else 0
        s = line[c0:]
        if self.fence is not None:
            self._in_fence(s, self.fence)
            return i + 1
        if self.html_block is not None:
            self._in_html(line)
            return i + 1
        if self.cur is not None and depth != self.cur.depth:
            self._flush()
        if not s.strip():
            self._flush()
            self.prev_blank = True
            return i + 1
        ind = _indent(s) if s[0] in " \t" else 0
        lists = self.lists
        if self.prev_blank or self.cur is None:
            while lists and ind < lists[-1][1] and not _LIST.match(s):
                lists.pop()
        list_base = lists[-1][1] if lists else 0
        if ind - list_base >= 4 and (self.cur is None or self.prev_blank):
            self._flush()  # indented code
            return i + 1
        self.prev_blank = False
        at = self.starts[i] + c0
        if s[0].isalpha() and "|" not in s:
            # no block construct starts with a letter (markers, "#", "<", "[", fences, rules,
            # numbers): the line continues or starts a paragraph
            if self.cur is None:
                self.cur = _Open("paragraph", 0, depth)
            self.cur.add(at, s)
            return i + 1
        return self._construct(i, s, at, depth)

    def _in_fence(self, s: str, fence: tuple[str, int]) -> None:
        """A line inside fenced code: only a closing fence (same character, as long) counts."""
        m = _FENCE.match(s)
        if (
            m
            and m.group(1)[0] == fence[0]
            and len(m.group(1)) >= fence[1]
            and not s[m.end() :].strip()
        ):
            self.fence = None

    def _in_html(self, line: str) -> None:
        """A line inside an HTML block: a comment ends at "-->", other HTML at a blank line."""
        if self.html_block == "comment":
            if "-->" in line:
                self.html_block = None
        elif not line.strip():
            self.html_block = None
            self.prev_blank = True

    def _construct(self, i: int, s: str, at: int, depth: int) -> int:
        """A line that may start a block construct (``s`` starts at file offset ``at``): a
        setext underline, a rule, a heading, a fence, HTML, a line to skip, a table, a list
        item or a footnote; else it is paragraph text."""
        cur = self.cur
        if cur is not None and cur.kind == "paragraph" and (m := _SETEXT.match(s)):
            cur.kind, cur.level = "heading", 1 if m.group(1)[0] == "=" else 2
            self._flush()
        elif _HR.match(s):
            self._flush()
        elif m := _ATX.match(s):
            self._heading(s, m, at, depth)
        elif m := _FENCE.match(s):
            self._flush()
            self.fence = (m.group(1)[0], len(m.group(1)))
        elif _HTML_BLOCK.match(s) or (cur is None and _HTML_LONE_TAG.match(s)):
            self._html_start(s)
        elif _SKIP_LINE.match(s):
            self._flush()
        elif "|" in s and self._table_follows(i):
            return self._table(i, s, at)
        elif m := _LIST.match(s):
            self._list_item(s, m, at, depth)
        elif m := _FOOTNOTE_DEF.match(s):
            self._flush()
            self.cur = _Open("paragraph", 0, depth)
            self.cur.add(at + m.end(), s[m.end() :])
        else:
            if self.cur is None:
                self.cur = _Open("paragraph", 0, depth)
            self.cur.add(at, s)
        return i + 1

    def _heading(self, s: str, m: re.Match[str], at: int, depth: int) -> None:
        """An ATX heading ("## Title ##"): a block of its own, without the closing hashes."""
        self._flush()
        content = s[m.end() :]
        close = _ATX_CLOSE.search(content)  # ends in $: always matches
        content = content[: close.start()] if close else content
        self.cur = _Open("heading", len(m.group(1)), depth)
        self.cur.add(at + m.end(), content)
        self._flush()

    def _html_start(self, s: str) -> None:
        """The first line of an HTML block or comment: the lines up to its end are skipped."""
        self._flush()
        if s.lstrip().startswith("<!--"):
            if "-->" not in s:
                self.html_block = "comment"
        else:
            self.html_block = "block"

    def _table_follows(self, i: int) -> bool:
        """True when line ``i + 1`` is a table's delimiter row (``|---|:--|``)."""
        if i + 1 >= len(self.lines):
            return False
        nxt = self.lines[i + 1].rstrip("\r")
        qn = _QUOTE.match(nxt)
        nxt_s = nxt[qn.end() :] if qn else nxt
        return bool(_TABLE_DELIM.match(nxt_s)) and "-" in nxt_s

    def _table(self, i: int, s: str, at: int) -> int:
        """A table: its header row ``s`` (line ``i``), the delimiter row, then the rows up to
        a blank line or a line without "|"; every cell is a block of its own."""
        self._flush()
        self.out.extend(_cells(s, at))
        i += 2
        n = len(self.lines)
        while i < n:
            row = self.lines[i].rstrip("\r")
            qr = _QUOTE.match(row)
            c1 = qr.end() if qr else 0
            row_s = row[c1:]
            if not row_s.strip() or "|" not in row_s:
                break
            self.out.extend(_cells(row_s, self.starts[i] + c1))
            i += 1
        return i

    def _list_item(self, s: str, m: re.Match[str], at: int, depth: int) -> None:
        """A list item's first line: it closes the lists it is not nested in, opens its own
        and starts an item block (without a task box "[ ]")."""
        self._flush()
        lists = self.lists
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
        item.add(at + content_at, rest)
        self.cur = item


def _cells(row: str, base: int) -> list[RawBlock]:
    """The cells of one table row, each a block of its own."""
    out: list[RawBlock] = []
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
