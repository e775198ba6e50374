"""Findings placed in the page's Markdown source: one ``<mark>`` per finding, at its exact
line and column, containing exactly its text.

The source is rendered as one text run per segment (front matter, body) with an empty
``<span class="ln">`` at the start of every line; the line number is drawn by CSS from its
``data-n``, so it is not part of any element's text and a finding may run over several lines.

Placement rules:

* a finding whose ``text`` is found at its ``line``/``column`` becomes a ``<mark>`` around that
  text; findings nest when one lies inside another (a jargon word inside a long sentence);
* when two findings cross (each starts inside the other), the later one cannot be a wrapper in
  a tree, so it becomes a *detached* mark: a small chip holding its text, placed just before
  the outermost mark around its position (never inside another mark, whose text it would
  change);
* a finding whose text is not at its position (a folded or escaped YAML value, where the
  checker reports the field's start) or that is empty becomes a detached chip at its position;
* a finding outside the segment's lines (e.g. line 0: about the whole page) is returned to the
  caller, which lists it elsewhere.

Columns count Unicode code points, like the checker's and SARIF's ``unicodeCodePoints``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from sitegen.readability.model import Finding


@dataclass(frozen=True)
class Annotation:
    """A finding as the source view shows it.

    ``id`` is the ``<mark>``'s element id, ``tip`` the text of its visible tooltip and
    ``describedby`` the id of the element that holds its message for assistive technology.
    """

    id: str
    finding: Finding
    tip: str
    describedby: str


#: the id of the element (in the page's key to the marks) that explains detached chips
DETACHED_NOTE_ID = "key-detached"
#: added to a chip's note, by why it is detached
DETACHED_NOTE = {
    "overlap": "Shown as a box before the text: it overlaps another finding.",
    "elsewhere": "Shown as a box where the checker points: the exact place is not known "
    "(a folded or escaped front-matter value).",
}


@dataclass(frozen=True)
class Placement:
    """Where one annotation ends up: ``[start, end)`` in the segment text, or a chip at
    ``start`` when ``detached`` says why (``"overlap"`` or ``"elsewhere"``)."""

    annotation: Annotation
    start: int
    end: int
    detached: str = ""


@dataclass(frozen=True)
class Segment:
    """Consecutive source lines; ``first_line`` is the file line number of ``lines[0]``."""

    lines: tuple[str, ...]
    first_line: int

    @property
    def text(self) -> str:
        """The lines joined with ``\\n``, as the checker saw them."""
        return "\n".join(self.lines)

    @property
    def last_line(self) -> int:
        """The file line number of the last line."""
        return self.first_line + len(self.lines) - 1

    def line_starts(self) -> list[int]:
        """Offset in ``text`` of the first character of every line."""
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line) + 1
        return starts

    def contains(self, line: int) -> bool:
        """True when file line ``line`` is one of the segment's lines."""
        return self.first_line <= line <= self.last_line


def place(
    segment: Segment, annotations: Sequence[Annotation]
) -> tuple[list[Placement], list[Annotation]]:
    """Place annotations in ``segment``: (placements, annotations outside its lines)."""
    text = segment.text
    starts = segment.line_starts()
    spans: list[Placement] = []
    chips: list[Placement] = []
    outside: list[Annotation] = []
    for a in annotations:
        f = a.finding
        if not segment.contains(f.line):
            outside.append(a)
            continue
        k = f.line - segment.first_line
        col = min(max(f.column, 1) - 1, len(segment.lines[k]))
        off = starts[k] + col
        if f.text and f.column >= 1 and text.startswith(f.text, off):
            spans.append(Placement(a, off, off + len(f.text)))
        else:
            chips.append(Placement(a, off, off, "elsewhere"))
    order = {id(p): i for i, p in enumerate(spans)}
    spans.sort(key=lambda p: (p.start, -p.end, order[id(p)]))
    kept: list[Placement] = []
    stack: list[Placement] = []
    for p in spans:
        while stack and stack[-1].end <= p.start:
            stack.pop()
        if stack and p.end > stack[-1].end:  # crosses the innermost open mark
            chips.append(Placement(p.annotation, p.start, p.start, "overlap"))
            continue
        kept.append(p)
        stack.append(p)
    moved = [_outside_marks(c, kept) for c in chips]
    return kept + moved, outside


def _outside_marks(chip: Placement, kept: Sequence[Placement]) -> Placement:
    """Move a chip before the outermost kept mark that strictly contains its position."""
    at = chip.start
    for p in kept:  # sorted by start, outer first: the first hit is the outermost
        if p.start < at < p.end:
            at = p.start
            break
    return Placement(chip.annotation, at, at, chip.detached)


def render(segment: Segment, annotations: Sequence[Annotation]) -> tuple[Markup, list[Annotation]]:
    """HTML of the segment with every annotation inside it; returns the ones outside it."""
    placements, outside = place(segment, annotations)
    text = segment.text
    starts = segment.line_starts()
    opens: dict[int, list[Placement]] = {}
    closes: dict[int, list[Placement]] = {}
    chips: dict[int, list[Placement]] = {}
    for p in placements:
        if p.detached:
            chips.setdefault(p.start, []).append(p)
        else:
            opens.setdefault(p.start, []).append(p)
            closes.setdefault(p.end, []).append(p)
    for group in opens.values():
        group.sort(key=lambda p: -p.end)  # outer first
    for group in chips.values():
        group.sort(key=lambda p: (p.annotation.finding.column, p.annotation.id))
    line_at = dict(zip(starts, range(segment.first_line, segment.last_line + 1), strict=True))
    cuts = sorted({0, len(text), *starts, *opens, *closes, *chips})
    out: list[str] = []
    for i, pos in enumerate(cuts):
        out.extend("</mark>" for _ in closes.get(pos, ()))
        if pos in line_at:
            n = line_at[pos]
            out.append(f'<span class="ln" id="L{n}" data-n="{n}"></span>')
        for p in chips.get(pos, ()):
            f = p.annotation.finding
            out.append(_open_tag(p.annotation, p.detached) + _esc(f.text) + "</mark>")
        out.extend(_open_tag(p.annotation) for p in opens.get(pos, ()))
        if i + 1 < len(cuts):
            out.append(_esc(text[pos : cuts[i + 1]]))
    return Markup("".join(out)), outside


def render_mark(annotation: Annotation) -> Markup:
    """A stand-alone ``<mark>`` (for findings about the whole page, listed outside the text)."""
    f = annotation.finding
    return Markup(_open_tag(annotation, "page") + _esc(f.text) + "</mark>")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _open_tag(a: Annotation, detached: str = "") -> str:
    """The ``<mark>`` start tag; ``detached`` is why it is a chip ("" for an in-place mark)."""
    f = a.finding
    tip, describedby = a.tip, a.describedby
    if detached in DETACHED_NOTE:
        tip = f"{tip} {DETACHED_NOTE[detached]}"
        describedby = f"{describedby} {DETACHED_NOTE_ID}"
    classes = ["finding", f"sev-{f.severity}", f"rule-{f.rule}"]
    if f.waived_by:
        classes.append("waived")
    if detached:
        classes.append("detached")
    if not f.text:
        classes.append("empty")
    attrs = {
        "id": a.id,
        "class": " ".join(classes),
        "tabindex": "0",
        "data-line": str(f.line),
        "data-column": str(f.column),
        "data-code": f.code,
        "data-rule": f.rule,
        "data-tip": tip,
        "aria-describedby": describedby,
    }
    body = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f"<mark {body}>"
