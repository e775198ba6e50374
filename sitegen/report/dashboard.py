"""The reviewer dashboard ``reports/index.html``: every page in one sortable, filterable table
(plain HTML first: it reads in the default order with JavaScript off), the site-wide change
since the previous build, and three charts, each with a table of the same numbers.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.build.manifest import code_fingerprint
from sitegen.build.outputs import render_key
from sitegen.content.config import SiteConfig
from sitegen.readability.model import GateSettings
from sitegen.report import charts, dashtable
from sitegen.report.dashtable import (
    ROWS_FILE,
    page_count,
    page_file,
    pager,
    row_texts,
    rows_script,
    table_page_key,
    used_formulas,
)
from sitegen.report.env import render
from sitegen.report.history import Entry, median
from sitegen.report.overview import (
    FORMULAS,
    SIGNOFF_LABEL,
    VERDICT_LABEL,
    PageSummary,
)

if TYPE_CHECKING:
    from sitegen.build.outputs import Sink
    from sitegen.build.pipeline import BuildResult

#: builds shown in the trend chart and its table (the history file keeps more)
TREND_BUILDS = 30
#: sections in the "hardest sections" chart
WORST_SECTIONS = 10
#: entries shown in each list above the table (waiting, unchecked files, translations); the
#: rest are counted, so the dashboard does not grow with the site
LIST_LIMIT = 50


@dataclass(frozen=True)
class SectionRow:
    """A section in the "hardest sections" chart and its table."""

    page: PageSummary
    title: str
    line: int
    words: int
    grade: float

    @property
    def label(self) -> str:
        """``"Section title · Page title"``: the section first, as the chart shortens labels."""
        return f"{self.title} · {self.page.title}"

    @property
    def href(self) -> str:
        """Link to the section's heading line in the page report."""
        return f"{self.page.report}#L{self.line}" if self.line else self.page.report


@dataclass(frozen=True)
class TrendRow:
    """A build in the trend chart and its table."""

    label: str  # short axis label: "now", "−1", ...
    when: str  # "this build" or the recorded start time
    entry: Entry


def worst_sections(summaries: Sequence[PageSummary], n: int = WORST_SECTIONS) -> list[SectionRow]:
    """The ``n`` hardest sections with enough words to score (the RD004 minimum)."""
    min_words = GateSettings().min_section_words
    scored = [
        (-sec.grade, s.path, sec.line, s, sec)
        for s in summaries
        for sec in s.check.sections
        if sec.words >= min_words
    ]
    # ``sorted(...)[:n]`` (stable: equal keys keep their order) without sorting them all
    best = heapq.nsmallest(n, scored, key=lambda t: t[:3])
    return [SectionRow(s, sec.title, sec.line, sec.words, sec.grade) for *_, s, sec in best]


def trend_rows(entries: Sequence[Entry], n: int = TREND_BUILDS) -> list[TrendRow]:
    """The last ``n`` builds, oldest first; the last one is this build."""
    shown = list(entries)[-n:]
    out = []
    for i, e in enumerate(shown):
        back = len(shown) - 1 - i
        if back == 0:
            out.append(TrendRow("now", "this build", e))
        else:
            when = e.time[:16].replace("T", " ") + " UTC" if e.time else "unknown"
            out.append(TrendRow(f"−{back}", when, e))
    return out


def unchecked_files(result: BuildResult) -> list[tuple[str, str]]:
    """Content files with errors that kept them out of the check: (path, first error)."""
    checked = {r.page.path for r in result.results}
    out: dict[str, str] = {}
    for d in result.diagnostics:
        if d.is_error and d.path.endswith(".md") and d.path not in checked:
            out.setdefault(d.path, d.format().split("\n")[0])
    return sorted(out.items())


#: translation codes (``translations``): no version recorded, out of date, facts differ
TRANSLATION_CODES = ("TR001", "TR002", "TR003")


def translation_problems(result: BuildResult) -> list[str]:
    """Translations that are out of date, unverified or disagree with their original, one
    diagnostic line each (in build order)."""
    return [d.format().split("\n")[0] for d in result.diagnostics if d.code in TRANSLATION_CODES]


def waiting_for(summary: PageSummary, roles: Sequence[str]) -> tuple[str, ...]:
    """Whose sign-off a page waits for: the required roles that have not signed its current
    text, or ``("any",)`` (any reviewer) on a site without roles; nobody's unless blocked."""
    c = summary.check
    if c.verdict != "block" or c.draft:
        return ()
    return tuple(c.missing_roles) if roles else ("any",)


def waiting_lists(
    summaries: Sequence[PageSummary], roles: Sequence[str]
) -> list[tuple[str, list[PageSummary]]]:
    """The "waiting for me" lists: for each role (or "any"), the blocked pages it must sign."""
    out = []
    for who in roles or ("any",):
        rows = [s for s in summaries if who in waiting_for(s, roles)]
        if rows:
            out.append((who, rows))
    return out


def render_dashboard(
    config: SiteConfig,
    result: BuildResult,
    summaries: Sequence[PageSummary],
    entries: Sequence[Entry],
    *,
    readers: Any = None,
    sink: Sink | None = None,
) -> dict[str, bytes]:
    """Files of the dashboard, relative to the reports folder (with a ``sink``: but for the
    table pages ``table/N.html``, which go into it and are kept from the last build when
    their rows did not change).

    ``entries`` is the history including this build (last); the one before it, if any, is
    what the "change" column compares with.
    """
    r = config.readability
    grades = [s.check.grade for s in summaries]
    previous = entries[-2] if len(entries) >= 2 else None
    now_median = median(grades)
    blocked = sum(1 for s in summaries if s.check.verdict == "block")
    median_delta = None if previous is None else round(now_median - previous.median_grade, 1)
    sections = worst_sections(summaries)
    trend = trend_rows(entries)
    context = {
        "readers": readers,
        "site_title": config.title,
        "summaries": summaries,
        "formulas": used_formulas(summaries),
        "list_limit": LIST_LIMIT,
        "roles": config.review.roles,
        "waiting": waiting_lists(summaries, config.review.roles),
        "waiting_for": {s.path: waiting_for(s, config.review.roles) for s in summaries},
        "all_formulas": FORMULAS,
        "verdict_labels": VERDICT_LABEL,
        "signoff_labels": SIGNOFF_LABEL,
        "target": r.target,
        "limit": r.limit,
        "totals": {
            "pages": len(summaries),
            "blocked": blocked,
            "warned": sum(1 for s in summaries if s.check.verdict == "warn"),
            "passed": sum(1 for s in summaries if s.check.verdict == "pass"),
            "drafts": sum(1 for s in summaries if s.check.draft),
            "median": now_median,
            "median_delta": median_delta,
            "blocked_delta": None if previous is None else blocked - previous.blocked,
            "approved": sum(1 for s in summaries if s.signoff.state == "approved"),
            "changed": sum(1 for s in summaries if s.signoff.state == "changed"),
            "waiting": sum(1 for s in summaries if s.signoff.state == "waiting"),
        },
        "previous": previous,
        "unchecked": unchecked_files(result),
        "translations": translation_problems(result),
        "published": result.published,
        "bins": charts.grade_bins(grades, r.target, r.limit),
        "histogram": charts.histogram(grades, r.target, r.limit, chart_id="grade-chart"),
        "sections": sections,
        "min_section_words": GateSettings().min_section_words,
        "section_chart": charts.section_bars(
            [charts.Bar(s.label, s.grade) for s in sections],
            r.target,
            r.limit,
            chart_id="section-chart",
        ),
        "trend": trend,
        "trend_chart": charts.trend(
            [charts.TrendPoint(t.label, t.entry.median_grade, t.entry.blocked) for t in trend],
            r.target,
            r.limit,
            chart_id="trend-chart",
        ),
    }
    return _paged(context, summaries, sink)


def _paged(
    context: dict[str, Any], summaries: Sequence[PageSummary], sink: Sink | None
) -> dict[str, bytes]:
    """``index.html`` with the first page of the table; on a site with more pages than one
    page of the table shows, ``table/N.html`` for the others and ``table/rows.js``. With a
    ``sink``, the pages ``table/N.html`` go into it, each with its render key
    (``table_page_key``): one whose rows did not change is kept from the last build."""
    per_page = dashtable.ROWS_PER_PAGE
    count = page_count(len(summaries), per_page)
    if count == 1:
        return {"index.html": render("dashboard.html", **context, pager=None, rows_file=None)}
    rows = row_texts(summaries, context["waiting_for"], context["formulas"])
    files = {
        "index.html": render(
            "dashboard.html",
            **{**context, "summaries": summaries[:per_page]},
            pager=pager(1, len(summaries), per_page),
            rows_file=ROWS_FILE,
        ),
        ROWS_FILE: rows_script(
            summaries,
            context["waiting_for"],
            {"verdict": VERDICT_LABEL, "signoff": SIGNOFF_LABEL},
            rows,
        ),
    }
    salt = render_key(
        code_fingerprint(),
        "dashboard_table.html",
        context["site_title"],
        context["target"],
        context["limit"],
        context["formulas"],
    )
    for n in range(2, count + 1):
        part = slice((n - 1) * per_page, n * per_page)
        rel, where = page_file(n), pager(n, len(summaries), per_page)
        key = table_page_key(salt, where, summaries[part], rows[part])
        if sink is not None and sink.reuse(rel, key) is not None:
            continue
        data = render(
            "dashboard_table.html",
            **{**context, "summaries": summaries[part]},
            base="../",
            pager=where,
        )
        if sink is None:
            files[rel] = data
        else:
            sink.put(rel, data, key)
    return files
