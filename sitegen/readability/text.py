"""The extracted prose of a page: plain text that remembers where it came from.

``extract`` (``readability/extract.py``) builds a ``Prose``: the page's ``Source`` strings (the
Markdown body and each front-matter field), its ``Block``s of plain text (a heading, paragraph,
list item, table cell or field) with, for every character, its offset in the source, the
``Sentence``s and ``Word``s of each block, and the body's ``##`` ``Section``s. Every rule reads
these types; this module imports nothing else of the package.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


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


def page_text(prose: Prose) -> tuple[str, list[int]]:
    """Every block's text joined with newlines, and where each block starts in it."""
    bases: list[int] = []
    at = 0
    for b in prose.blocks:
        bases.append(at)
        at += len(b.text) + 1
    return "\n".join(b.text for b in prose.blocks), bases
