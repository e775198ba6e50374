"""``reports/summary.md``: a Markdown summary short enough to paste into a pull-request comment.

At most ``MAX_ROWS`` pages are listed (blocked, then warnings, hardest first), so the comment
stays far below GitHub's 65,536-character limit on any site.
"""

from __future__ import annotations

from collections.abc import Sequence

from sitegen.readability.formats import clarity_summary
from sitegen.report.env import fmt_delta
from sitegen.report.history import Entry, median
from sitegen.report.overview import VERDICT_LABEL, PageSummary

MAX_ROWS = 15
ICON = {"block": "⛔", "warn": "⚠️", "pass": "✅"}


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def summary_markdown(
    summaries: Sequence[PageSummary],
    target: float,
    limit: float,
    previous: Entry | None = None,
    reports_dir: str = "reports",
) -> str:
    """The summary: counts, site-wide change, then the pages that need work."""
    blocked = [s for s in summaries if s.check.verdict == "block"]
    warned = [s for s in summaries if s.check.verdict == "warn"]
    passed = len(summaries) - len(blocked) - len(warned)
    grades = [s.check.grade for s in summaries]
    med = median(grades)
    lines = [
        "## Readability",
        "",
        f"**{len(summaries)} pages**: {len(blocked)} blocked, {len(warned)} warn, "
        f"{passed} pass. Median grade {med:.1f} (target {target:g}, limit {limit:g}).",
    ]
    if previous is not None:
        lines.append(
            f"Since the last build: median {fmt_delta(med - previous.median_grade)}, "
            f"blocked {len(blocked) - previous.blocked:+d}."
        )
    changed = sum(1 for s in summaries if s.signoff.state == "changed")
    if changed:
        lines.append(f"{changed} page(s) changed since a reviewer approved them.")
    clarity = clarity_summary([s.check for s in summaries])[: MAX_ROWS + 1]
    if clarity:  # the pages below 90 as a Markdown list
        lines += ["", clarity[0], *(f"- {line.strip()}" for line in clarity[1:])]
    lines.append("")
    todo = [*blocked, *warned]
    if todo:
        change = previous is not None
        lines += [
            "| | page | grade |" + (" change |" if change else "") + " findings | sign-off |",
            "|---|---|---|" + ("---|" if change else "") + "---|---|",
        ]
        for s in todo[:MAX_ROWS]:
            c = s.check
            page = f"`{_cell(s.path)}`" + (" (draft)" if c.draft else "")
            lines.append(
                f"| {ICON[c.verdict]} {VERDICT_LABEL[c.verdict].lower()} | {page} | "
                f"{c.grade:.1f} |"
                + (f" {fmt_delta(s.delta)} |" if change else "")
                + f" {s.problems}: {_cell(s.counts_text)} | {s.signoff.label.lower()} |"
            )
        if len(todo) > MAX_ROWS:
            lines.append(f"\n…and {len(todo) - MAX_ROWS} more.")
        lines.append("")
    lines.append(
        f"Details: `{reports_dir}/index.html` (one annotated report per page in "
        f"`{reports_dir}/pages/`)."
    )
    return "\n".join(lines) + "\n"
