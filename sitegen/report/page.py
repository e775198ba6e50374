"""The per-page report ``reports/pages/<name>.html``: the page's Markdown source (front matter
and body) with every finding highlighted in place, a panel with scores per formula and per
section, the jargon list, the waivers, and a to-do list of suggestions a writer can copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitegen.readability.clarity import ITEMS as CLARITY_ITEMS
from sitegen.readability.gate import waiver_for
from sitegen.readability.model import Finding, GateSettings, Waiver
from sitegen.report.env import render
from sitegen.report.highlight import Annotation, Segment, render_mark
from sitegen.report.highlight import render as render_segment
from sitegen.report.overview import FORMULAS, VERDICT_LABEL, PageSummary

if TYPE_CHECKING:
    from sitegen.build.pipeline import Page
    from sitegen.render.feedback import PageFeedback

SEVERITY_LABEL = {"error": "Error", "warning": "Warning", "note": "Note"}
#: how long a quoted sentence may be in the suggestions list before it is shortened
QUOTE_CHARS = 70


@dataclass(frozen=True)
class FormulaRow:
    """One formula's score on the page and how it compares with the target."""

    key: str
    name: str
    kind: str
    value: float
    status: str  # "" when the formula is not on the grade scale


@dataclass(frozen=True)
class JargonRow:
    """A jargon term with its plain alternative, definition and every place it is used."""

    term: str
    suggestion: str
    definition: str
    places: tuple[Annotation, ...]


@dataclass(frozen=True)
class WaiverRow:
    """A reviewer's waiver and the findings it covers."""

    waiver: Waiver
    by: str
    date: str
    applied: bool
    covers: int


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (not doubled)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def tip_text(f: Finding) -> str:
    """The tooltip and accessible description of a finding: message and plain alternative."""
    parts = [_sentence(f"{SEVERITY_LABEL[f.severity]} {f.code}: {f.message}")]
    if f.suggestion and f.suggestion not in f.message:
        parts.append(_sentence(f"Plain alternative: {f.suggestion}"))
    if f.definition:
        parts.append(_sentence(f"Means: {f.definition}"))
    if f.waived_by:
        parts.append(_sentence(f"Waived: {f.waived_by}"))
    return " ".join(parts)


def finding_annotations(findings: Sequence[Finding]) -> list[Annotation]:
    """One annotation per finding, ids ``f1``, ``f2``, ... in the checker's order."""
    return [
        Annotation(f"f{i}", f, tip_text(f), f"f{i}-msg") for i, f in enumerate(findings, start=1)
    ]


def segments(page: Page) -> tuple[Segment, Segment]:
    """The front matter (both ``---`` lines included) and the body, with file line numbers.

    Rebuilt from what the checker read, so line and column map exactly; the closing fence is
    shown as ``---`` even if the file used ``...``.
    """
    fm_count = max(0, page.body_line - 3)  # lines between the two fences
    yaml_lines = page.fm.yaml_text.split("\n") if fm_count else []
    yaml_lines = (yaml_lines + [""] * fm_count)[:fm_count]
    front = Segment(("---", *yaml_lines, "---"), 1)
    body = Segment(tuple(page.body.split("\n")), page.body_line)
    return front, body


def formula_rows(summary: PageSummary) -> list[FormulaRow]:
    """Every score of the page, grade-scale ones compared with the page's target and limit."""
    c = summary.check
    names = {k: (name, kind) for k, _, name, kind in FORMULAS}
    rows = []
    for key, value in c.scores.items():
        name, kind = names.get(key, (key.replace("_", " "), "score"))
        status = grade_status(value, c.target, c.limit) if kind == "grade" else ""
        rows.append(FormulaRow(key, name, kind, value, status))
    return rows


def grade_status(grade: float, target: float, limit: float) -> str:
    """``"over the limit"``, ``"over the target"`` or ``"within the target"``."""
    if grade > limit:
        return "over the limit"
    if grade > target:
        return "over the target"
    return "within the target"


def jargon_rows(items: Sequence[Annotation]) -> list[JargonRow]:
    """Jargon findings grouped by term, in order of first use."""
    groups: dict[str, list[Annotation]] = {}
    for a in items:
        f = a.finding
        if f.rule != "jargon":
            continue
        groups.setdefault((f.key or f.text).casefold(), []).append(a)
    rows = []
    for group in groups.values():
        first = group[0].finding
        rows.append(
            JargonRow(
                first.text,
                next((a.finding.suggestion for a in group if a.finding.suggestion), ""),
                next((a.finding.definition for a in group if a.finding.definition), ""),
                tuple(group),
            )
        )
    return rows


def waiver_rows(summary: PageSummary) -> list[WaiverRow]:
    """The sign-offs' waivers with the number of findings each one covers now."""
    c = summary.check
    rows = []
    for s in c.signoffs:
        applied = s.text_hash == c.text_hash
        for w in s.waivers:
            covers = sum(
                1
                for f in c.findings
                if f.code != "RD001" and waiver_for(f, [w]) is w and f.waived_by
            )
            if w.code.upper() == "RD001":
                covers = 1 if applied else 0
            rows.append(WaiverRow(w, s.who, s.date, applied, covers))
    return rows


def _quote(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > QUOTE_CHARS:
        one_line = one_line[: QUOTE_CHARS - 1].rstrip() + "…"
    return f"“{one_line}”"


def suggestion_items(items: Sequence[Annotation]) -> list[tuple[Annotation, str]]:
    """The writer's to-do list, top to bottom: every located, unwaived finding as one line."""
    todo = sorted(
        (a for a in items if a.finding.line > 0 and not a.finding.waived_by),
        key=lambda a: (a.finding.line, a.finding.column, a.finding.code),
    )
    out = []
    for a in todo:
        f = a.finding
        where = f"line {f.line}"
        if f.suggestion:
            out.append((a, f"{where}: replace {_quote(f.text)} with “{f.suggestion}”"))
        else:
            out.append((a, f"{where}: {f.message}: {_quote(f.text)}"))
    return out


#: how many sections "What to do first" lists at most
FIRST_STEPS = 5
#: front matter longer than this many lines stays folded even when it has findings
FOLD_FRONT_LINES = 40


@dataclass(frozen=True)
class FirstStep:
    """A part of the page to rewrite, with its open errors and warnings."""

    heading: str
    line: int
    errors: int
    warnings: int
    first: Annotation


def first_steps(front: Segment, body: Segment, items: Sequence[Annotation]) -> list[FirstStep]:
    """The parts of the page (the front matter, each ``##`` section) with the most open
    errors, then warnings: where a writer should start, worst first."""
    parts: list[tuple[str, int, int]] = [
        ("The front matter (title, summary, who can take part)", front.first_line, front.last_line)
    ]
    heading, start = "The opening text", body.first_line
    for n, line in enumerate(body.lines):
        if line.startswith("## "):
            parts.append((heading, start, body.first_line + n - 1))
            heading, start = line[3:].strip(), body.first_line + n
    parts.append((heading, start, body.last_line))
    steps = []
    for name, first_line, last_line in parts:
        mine = sorted(
            (
                a
                for a in items
                if first_line <= a.finding.line <= last_line
                and not a.finding.waived_by
                and a.finding.severity in ("error", "warning")
            ),
            key=lambda a: (a.finding.line, a.finding.column),
        )
        if mine:
            errors = sum(1 for a in mine if a.finding.severity == "error")
            steps.append(FirstStep(name, first_line, errors, len(mine) - errors, mine[0]))
    steps.sort(key=lambda s: (-s.errors, -s.warnings, s.line))
    return steps[:FIRST_STEPS]


def render_page_report(
    summary: PageSummary, site_title: str, *, readers: PageFeedback | None = None
) -> bytes:
    """The HTML of one page's report (``readers``: what readers said about the page)."""
    page, check = summary.result.page, summary.check
    items = finding_annotations(check.findings)
    front, body = segments(page)
    front_html, rest = render_segment(front, items)
    body_html, rest = render_segment(body, rest)
    front_ids = {a.id for a in items if front.contains(a.finding.line)}
    todo = suggestion_items(items)
    context = {
        "site_title": site_title,
        "summary": summary,
        "page": page,
        "check": check,
        "items": items,
        "page_level": [(a, render_mark(a)) for a in rest],
        "front": front,
        "front_html": front_html,
        "front_findings": len(front_ids),
        "front_open": bool(front_ids) and len(front.lines) <= FOLD_FRONT_LINES,
        "first_steps": first_steps(front, body, items),
        "body": body,
        "body_html": body_html,
        "formulas": formula_rows(summary),
        "grade_status": grade_status,
        "min_section_words": GateSettings().min_section_words,
        "jargon": jargon_rows(items),
        "waivers": waiver_rows(summary),
        "todo": todo,
        "todo_text": "\n".join(text for _, text in todo),
        "severity_labels": SEVERITY_LABEL,
        "verdict_labels": VERDICT_LABEL,
        "readers": readers,
        "clarity_items": CLARITY_ITEMS,
    }
    return render("page.html", **context)
