"""Prose extraction: the text a patient reads, as plain text that remembers where it came from.

``extract(body, body_line, fields)`` scans the Markdown body line by line (``blocks``: headings,
list items, paragraphs, block quotes, table cells; fenced and indented code, HTML blocks,
attribute lists and link definitions are skipped), strips inline markup (``inline``: code spans,
URLs, e-mail addresses, phone numbers, registry ids, HTML tags, link targets and image URLs go;
link text and image alt text stay) and keeps, for every character of the extracted text, its
offset in the source string. Front-matter ``ProseField``s become blocks of their own. Each block
is then split into sentences and words (``sentences``).

Blocks are sentence boundaries: a heading, a list item or a table cell is a sentence of its own
even without a full stop.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate, repeat
from operator import add

from sitegen.readability.blocks import scan_blocks
from sitegen.readability.inline import strip_inline
from sitegen.readability.model import ProseField
from sitegen.readability.sentences import split_sentences
from sitegen.readability.text import Block, Prose, Section, Source


def extract(body: str, body_line: int, fields: Sequence[ProseField] = ()) -> Prose:
    """Extract the patient-facing prose of a page: its fields first, then the body."""
    sources: list[Source] = [_source("", body, body_line, 1, True)]
    blocks: list[Block] = []
    for f in fields:
        sources.append(_source(f.name, f.text, f.line, f.column, f.exact))
        text, offs, spans = strip_inline(f.text, range(len(f.text)))
        blocks.append(Block("field", 0, text, _frozen(offs), len(sources) - 1, -1, tuple(spans)))
    sections: list[Section] = []
    section = -1
    for raw in scan_blocks(body):
        text, offs, spans = strip_inline(raw.text, raw.offsets)
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


def _frozen(offsets: Sequence[int]) -> Sequence[int]:
    """Block offsets: a range stays a range (no need to spell it out), a list becomes a tuple."""
    return offsets if isinstance(offsets, range) else tuple(offsets)


def _source(name: str, text: str, line: int, column: int, exact: bool) -> Source:
    # line k starts after the k newlines before it: 0, then each line's length + 1 summed up
    lines = text.split("\n")
    starts = accumulate(map(add, map(len, lines[:-1]), repeat(1)), initial=0)
    return Source(name, text, line, column, exact, tuple(starts))
