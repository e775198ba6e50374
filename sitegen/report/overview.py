"""What every report says about a page, computed once: its report file, verdict, sign-off
state, findings by kind and the change since the previous build. Plain data, no HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.core.diagnostics import Diagnostic, counts_by_path, counts_text
from sitegen.readability.formats import finding_marks

if TYPE_CHECKING:
    from sitegen.build.pipeline import PageResult
    from sitegen.readability import PageCheck

VERDICT_RANK = {"block": 0, "warn": 1, "pass": 2}
VERDICT_LABEL = {"block": "Blocked", "warn": "Warning", "pass": "Pass"}
SIGNOFF_LABEL = {
    "approved": "Approved",
    "changed": "Changed since approval",
    "waiting": "Waiting",
    "none": "Not needed",
}
#: finding kinds (the ``rule`` of a finding) as people call them, in display order
RULE_LABEL = {
    "grade": ("hard section", "hard sections"),
    "long-sentence": ("long sentence", "long sentences"),
    "passive": ("passive phrase", "passive phrases"),
    "jargon": ("jargon term", "jargon terms"),
    "acronym": ("abbreviation", "abbreviations"),
    "latin": ("Latin abbreviation", "Latin abbreviations"),
    "rare-word": ("rare word", "rare words"),
    "promotional": ("promotional phrase", "promotional phrases"),
    "glossary": ("glossary problem", "glossary problems"),
}


def rule_label(rule: str, n: int) -> str:
    """``"1 long sentence"``, ``"3 jargon terms"``."""
    one, many = RULE_LABEL.get(rule, (rule, rule))
    return f"{n} {one if n == 1 else many}"


#: every formula the checker reports: (key, short column name, long name, kind)
#: kind "grade": US school grade, lower is easier; "ease": 0-100, higher is easier;
#: "score": a scale of its own (Dale-Chall: 4.9 or less is easy)
FORMULAS: tuple[tuple[str, str, str, str], ...] = (
    ("flesch_kincaid_grade", "FK", "Flesch-Kincaid grade", "grade"),
    ("smog_index", "SMOG", "SMOG grade", "grade"),
    ("gunning_fog", "Fog", "Gunning fog index", "grade"),
    ("coleman_liau_index", "CLI", "Coleman-Liau index", "grade"),
    ("dale_chall", "DC", "Dale-Chall score", "score"),
    ("flesch_reading_ease", "FRE", "Flesch reading ease", "ease"),
    ("fernandez_huerta", "FH", "Fernández-Huerta ease", "ease"),
    ("szigriszt_pazos", "SP", "Szigriszt-Pazos (INFLESZ) ease", "ease"),
    ("gutierrez_polini", "GP", "Gutiérrez de Polini ease", "ease"),
    ("crawford", "CR", "Crawford years of school", "grade"),
)


@dataclass(frozen=True)
class ReviewState:
    """A page's review state: ``approved``, ``changed`` (since approval), ``waiting`` (a
    blocked page nobody, or not every required role, has signed off) or ``none`` (not
    blocked: no sign-off needed)."""

    state: str
    by: str = ""
    date: str = ""
    #: roles the site requires that have not signed the current text
    missing: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The state as shown to people."""
        return SIGNOFF_LABEL[self.state]

    @property
    def detail(self) -> str:
        """Who approved and when, or what is missing."""
        if self.state == "approved":
            return f"by {self.by} on {self.date}"
        if self.state == "changed":
            return f"approved by {self.by} on {self.date}; the text has changed since"
        if self.missing:
            signed = f"signed by {self.by}; " if self.by else ""
            return f"{signed}still to sign: {', '.join(self.missing)}"
        if self.state == "none":
            return "the page is not blocked"
        return "no reviewer sign-off yet"


@dataclass(frozen=True)
class PageSummary:
    """One page as the dashboard, the summary and the page report show it."""

    result: PageResult
    report: str  # "pages/<name>.html", relative to the reports folder
    title: str
    delta: float | None  # grade change since the previous build; None: new page
    counts: tuple[tuple[str, int], ...]  # (rule, number of findings), display order
    signoff: ReviewState
    order: int  # position in the default order (blocked first, then hardest)
    #: the page's error and warning diagnostics, as build and check print and count them
    errors: int = 0
    warnings: int = 0
    #: where its sign-offs came from and what changed since (``review.ReviewHistory``)
    review: Any = None

    @property
    def problems(self) -> str:
        """``"2 errors, 5 warnings"``: the counts every output gives for this page."""
        return counts_text(self.errors, self.warnings)

    @property
    def check(self) -> PageCheck:
        """The page's readability check."""
        return self.result.check

    @property
    def path(self) -> str:
        """The content file, site-relative."""
        return self.result.page.path

    @property
    def findings(self) -> int:
        """Findings other than the RD001 verdict line."""
        return sum(n for _, n in self.counts)

    @property
    def waived(self) -> int:
        """Findings a reviewer waived."""
        marks = finding_marks(self.check)
        return sum(1 for code, _, waived in marks if waived and code != "RD001")

    @property
    def counts_text(self) -> str:
        """``"3 jargon, 1 long sentences"``, or ``"none"``."""
        return ", ".join(rule_label(r, n) for r, n in self.counts) or "none"


def signoff_of(result: PageResult) -> ReviewState:
    """The review state from the page's check: its sign-offs and the roles still missing."""
    c = result.check
    if c.signoff_state == "changed" and c.signoffs:
        last = c.signoffs[-1]
        return ReviewState("changed", last.who, last.date)
    signers = c.signers
    who = " and ".join(s.who for s in signers)
    if c.signoff_state == "approved":
        return ReviewState("approved", who, max(s.date for s in signers))
    if c.verdict != "block":
        return ReviewState("none")
    return ReviewState("waiting", who, "", c.missing_roles)


def finding_counts(result: PageResult) -> tuple[tuple[str, int], ...]:
    """Findings per rule (RD001, the verdict line, not counted), in ``RULE_LABEL`` order."""
    counter = Counter(rule for code, rule, _ in finding_marks(result.check) if code != "RD001")
    known = [(r, counter[r]) for r in RULE_LABEL if counter[r]]
    other = sorted((r, n) for r, n in counter.items() if r not in RULE_LABEL)
    return tuple(known + other)


def report_names(results: Sequence[PageResult], default_lang: str) -> dict[str, str]:
    """A unique file name (without ``.html``) for each page's report, keyed by source path.

    The slug in the default language, ``<lang>-<slug>`` in others; a clash (a study and a page
    with the same slug) adds the kind, then a number, in source order.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for r in sorted(results, key=lambda r: r.page.path):
        p = r.page
        base = re.sub(r"[^a-z0-9-]+", "-", p.slug.lower()).strip("-") or "page"
        if p.lang != default_lang:
            base = f"{p.lang}-{base}"
        name = base
        if name in taken:
            name = f"{base}-{p.kind}"
        n = 2
        while name in taken:
            name = f"{base}-{n}"
            n += 1
        taken.add(name)
        names[p.path] = name
    return names


def default_key(result: PageResult) -> tuple[int, float, str]:
    """Blocked first, then the hardest to read, then by path."""
    c = result.check
    return VERDICT_RANK.get(c.verdict, 3), -c.grade, result.page.path


def summarise(
    results: Sequence[PageResult],
    default_lang: str,
    previous_grades: Mapping[str, float] | None,
    diagnostics: Sequence[Diagnostic] = (),
) -> list[PageSummary]:
    """Every page, in the default order, with its change since ``previous_grades`` and its
    counts (``counts_by_path`` of ``diagnostics``)."""
    names = report_names(results, default_lang)
    counts = counts_by_path(diagnostics)
    out: list[PageSummary] = []
    for i, r in enumerate(sorted(results, key=default_key)):
        before = None if previous_grades is None else previous_grades.get(r.page.path)
        delta = None if before is None else round(r.check.grade - before, 1)
        out.append(
            PageSummary(
                result=r,
                report=f"pages/{names[r.page.path]}.html",
                title=r.page.meta.title,
                delta=delta,
                counts=finding_counts(r),
                signoff=signoff_of(r),
                order=i,
                errors=counts.get(r.page.path, (0, 0))[0],
                warnings=counts.get(r.page.path, (0, 0))[1],
            )
        )
    return out
