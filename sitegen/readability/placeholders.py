"""Placeholder and empty text: a page that still reads like a template is never published.

Five findings, all errors (a draft shows them as warnings):

- PH001: hint text that ``sitegen new`` writes (``GateSettings.placeholders``, both
  languages), left in the text a patient reads; recognised exactly (same words in the same
  order, case and spacing aside);
- PH002: "lorem ipsum" filler;
- PH003: a to-do marker: ``TODO``, ``TBD``, ``TBC``, ``FIXME``, ``XX``/``XXX``,
  ``[insert ...]``-style brackets, ``{{ ... }}``;
- PH004: a ``##`` heading with no text under it, or a page with no text at all;
- PH005: a front-matter value that is still the template's example (a condition named
  "Name of the health problem", ``study@example.org``, ``NCT01234567`` ...), a hint text or
  a marker.

Pure functions over the extracted ``Prose`` and the front-matter values the pipeline hands in.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache

from sitegen.readability.model import Finding, ProseField
from sitegen.readability.prefilter import ascii_folded
from sitegen.readability.rules import Hit
from sitegen.readability.text import Prose

_LOREM = re.compile(
    r"\blorem\s+ipsum(?:\s+dolor(?:\s+sit(?:\s+amet)?)?)?\b|\bdolor\s+sit\s+amet\b"
    r"|\bconsectetur\s+adipiscing\b",
    re.I,
)
#: to-do markers; "TODO" is also a Spanish word ("all"), so in Spanish only "TODO:" counts
_MARKER_WORDS = {
    "en": r"(?<![\w-])(?:TODO|TBD|TBC|FIXME|X{2,})(?![\w-])",
    "es": r"(?<![\w-])(?:TODO(?=\s*:)|TBD|TBC|FIXME|X{2,})(?![\w-])",
}
_BRACKET = (
    r"\[\s*(?:insert|add|enter|fill(?:\s+in)?|write|type|replace|name\s+of|placeholder|your\s+"
    r"|todo|tbd|insertar|inserte|añadir|añada|anadir|escriba|escribir|completar|complete"
    r"|rellenar|rellene|poner|ponga|nombre\s+del?)[^\]]*\](?![(\[:])"
    r"|\{\{[^}]*\}\}|<<[^>]*>>"
)


#: what every ``_LOREM`` match has, in ``ascii_folded`` text
_LOREM_KEYS = ("lorem", "dolor", "consectetur")
#: what every to-do marker (``_markers``) has: one of these, or the start of ``_BRACKET``
_MARKER_KEYS = ("TODO", "TBD", "TBC", "FIXME", "XX", "{{", "<<")
_BRACKET_START = re.compile(_BRACKET[: _BRACKET.index("[^\\]]*")], re.I)


@lru_cache(maxsize=4)
def _markers(lang: str) -> re.Pattern[str]:
    words = _MARKER_WORDS.get(lang, _MARKER_WORDS["en"])
    return re.compile(f"{words}|(?i:{_BRACKET})")


def normalise(text: str) -> str:
    """Whitespace runs collapsed, case folded, end punctuation dropped: how texts compare."""
    return " ".join(text.split()).casefold().rstrip(".:;!? ")


@lru_cache(maxsize=8)
def _hint_keys(hints: tuple[str, ...]) -> tuple[str, ...]:
    """For each hint, the longest stretch of ASCII in its words joined by single spaces:
    the text a hint is found in has it, in ``ascii_folded`` form with its spacing collapsed
    (``prefilter``)."""
    keys = []
    for h in {normalise(h) for h in hints if normalise(h)}:
        keys.append(max(re.findall(r"[\x00-\x7f]+", h), key=len, default=""))
    return tuple(sorted(keys))


@lru_cache(maxsize=8)
def _hint_pattern(hints: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every hint: its words in order, any spacing, case-insensitive."""
    parts = []
    for h in sorted({normalise(h) for h in hints if normalise(h)}, key=len, reverse=True):
        parts.append(r"\s+".join(re.escape(w) for w in h.split()))
    if not parts:
        return None
    return re.compile("|".join(parts), re.I)


def _whole_sentence(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is a sentence of its own (or a whole block)."""
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return (not before or before[-1] in ".!?:;(\"'-*") and (not after or after[0] in ".!?:;)\"'-*")


def placeholder_hits(
    prose: Prose,
    lang: str,
    hints: Sequence[str],
    body: str = "",
    body_line: int = 1,
    examples: Sequence[str] = (),
) -> list[Hit]:
    """PH001-PH004 in the page's prose (body and patient-facing front-matter fields).

    A hint sentence counts where it is a sentence of its own; an example value or a field
    hint only where it is a whole block (a heading, a list item, a field).
    """
    out: list[Hit] = []
    pattern = _hint_pattern(tuple(hints))
    whole = _known(tuple(examples))
    markers = _markers(lang)
    # cheap tests first: a search is skipped only where it cannot find anything
    folded = ascii_folded("\n".join(b.text for b in prose.blocks))
    spaced = " ".join(folded.split())
    if pattern is not None and not any(k in spaced for k in _hint_keys(tuple(hints))):
        pattern = None
    lorem = any(k in folded for k in _LOREM_KEYS)
    sources = [s.text for s in prose.sources]
    marked = any(k in t for t in sources for k in _MARKER_KEYS) or any(
        _BRACKET_START.search(t) for t in sources
    )
    for i, block in enumerate(prose.blocks):
        text = block.text
        if normalise(text) in whole:
            out.append(
                Hit(i, 0, len(text), "placeholder", "PH001", "error",
                    f'template text left in the page: "{" ".join(text.split())}"',
                    "write the real text for this study in its place", "", normalise(text))
            )  # fmt: skip
        if pattern is not None:
            for m in pattern.finditer(text):
                if not _whole_sentence(text, m.start(), m.end()):
                    continue
                out.append(
                    Hit(i, m.start(), m.end(), "placeholder", "PH001", "error",
                        f'template hint left in the page: "{m.group(0)}"',
                        "write the real text for this study in its place", "",
                        normalise(m.group(0)))
                )  # fmt: skip
        for m in _LOREM.finditer(text) if lorem else ():
            out.append(
                Hit(i, m.start(), m.end(), "placeholder", "PH002", "error",
                    f'filler text "{m.group(0)}"', "write the real text in its place", "",
                    "lorem")
            )  # fmt: skip
        for start, end, marker in _source_matches(prose, i, markers) if marked else ():
            out.append(
                Hit(i, start, end, "placeholder", "PH003", "error",
                    f'to-do marker "{marker}" in the text a patient reads',
                    "finish the text and remove the marker", "", marker.casefold())
            )  # fmt: skip
    out += _empty_sections(prose, body, body_line)
    return out


def _source_matches(
    prose: Prose, index: int, pattern: re.Pattern[str]
) -> list[tuple[int, int, str]]:
    """Matches of ``pattern`` in the Markdown source of a block (where "[insert date]" still
    has its brackets), as spans of the block's text; matches in markup that is not shown
    (a code span, a link target) are left out."""
    block = prose.blocks[index]
    offsets = block.offsets
    if not offsets:
        return []
    lo, hi = offsets[0], offsets[-1] + 1
    source = prose.sources[block.source].text[lo : hi + 1]
    out = []
    for m in pattern.finditer(source):
        start = bisect_left(offsets, lo + m.start())
        end = bisect_left(offsets, lo + m.end())
        if start < end:
            out.append((start, end, m.group(0)))
    return out


#: an HTML comment (never published)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$", re.M)


def _empty_sections(prose: Prose, body: str, body_line: int) -> list[Hit]:
    """PH004: ``##`` headings with no text under them (HTML comments do not count)."""
    lines = body.split("\n")
    has_text = {b.section for b in prose.blocks if b.kind != "heading" and b.section >= 0}
    heads = [(k, s) for k, s in enumerate(prose.sections) if s.block >= 0]
    out = []
    for n, (k, sec) in enumerate(heads):
        if k in has_text:
            continue
        # a section with only a raw HTML block, a code block or an image still has content
        start = prose.locate(sec.block, 0, 1)[0] - body_line + 1
        end = len(lines)
        if n + 1 < len(heads):
            end = prose.locate(heads[n + 1][1].block, 0, 1)[0] - body_line
        rest = _COMMENT.sub("", "\n".join(lines[start:end]))
        if _HEADING_LINE.sub("", rest).strip():
            continue
        block = prose.blocks[sec.block]
        out.append(
            Hit(sec.block, 0, len(block.text), "empty", "PH004", "error",
                f'the section "{sec.title}" has no text',
                "write what a patient needs to know here, or delete the heading", "",
                sec.title.casefold())
        )  # fmt: skip
    return out


def empty_page(prose: Prose, body: str, body_line: int) -> Finding | None:
    """PH004 for a page whose body has no text a patient reads (only comments or nothing)."""
    if any(b.source == 0 for b in prose.blocks):
        return None
    if _COMMENT.sub("", body).strip() and not _only_headings(body):
        return None  # a raw HTML block, code or an image: not empty
    line = body_line if body.strip() else max(1, body_line - 1)
    return Finding("empty", "PH004", "error", line, 1, "",
                   "the page has no text: write it below the front matter")  # fmt: skip


def _only_headings(body: str) -> bool:
    return not _HEADING_LINE.sub("", _COMMENT.sub("", body)).strip()


@lru_cache(maxsize=8)
def _known(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n for n in map(normalise, texts) if n)


def value_findings(
    values: Iterable[ProseField], lang: str, hints: Sequence[str], examples: Sequence[str]
) -> list[Finding]:
    """PH005 for front-matter values (outside the prose fields) still holding a placeholder."""
    known = _known((*hints, *examples))
    markers = _markers(lang)
    out = []
    for v in values:
        text = v.text.strip()
        why = ""
        if normalise(text) in known:
            why = "is still the template's example"
        elif _LOREM.search(text):
            why = "is filler text"
        elif markers.search(text):
            why = f'has a to-do marker "{markers.search(text).group(0)}"'  # type: ignore[union-attr]
        if not why:
            continue
        out.append(
            Finding("placeholder", "PH005", "error", v.line, v.column, text,
                    f'{v.name}: "{text}" {why}', "write the real value for this study",
                    end_line=v.line, end_column=v.column + len(text) if v.exact else v.column,
                    key=v.name, field=v.name)
        )  # fmt: skip
    return out
