"""Key facts in plain words, saying exactly what the metadata says (no more, no less).

Masking follows the registry: ``design.masking`` is the level (``single`` ... ``quadruple``)
and ``design.masked`` the list of who does not know the treatment (ClinicalTrials.gov
``whoMasked``: participant, care provider, investigator, outcomes assessor). The sentence names
every role: the masked ones as not knowing, the others as knowing. All functions are pure.
"""

from __future__ import annotations

import calendar
from datetime import date

from sitegen.content.frontmatter import FrontMatter
from sitegen.content.model import WHO_MASKED, Design, StudyMeta
from sitegen.core.diagnostics import Diagnostic, warning
from sitegen.i18n import Catalogue

# How many roles each registry masking level names (the registry's own definition).
LEVEL_COUNT = {"none": 0, "single": 1, "double": 2, "triple": 3, "quadruple": 4}


def join_list(items: list[str], cat: Catalogue) -> str:
    """'a', 'a and b', 'a, b and c' in the catalogue's language."""
    if len(items) <= 1:
        return "".join(items)
    return cat.t("list_join", head=", ".join(items[:-1]), last=items[-1])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def masking_sentence(design: Design, cat: Catalogue) -> str | None:
    """One sentence on who knows and who does not know the treatment, or None if unstated."""
    masked = [role for role in WHO_MASKED if role in design.masked]
    if masked:
        hidden = join_list([cat.t(f"design.who.{r}") for r in masked], cat)
        known = [cat.t(f"design.who.{r}") for r in WHO_MASKED if r not in masked]
        if not known:
            return _cap(cat.t("design.masked_all", hidden=hidden))
        # "you" alone takes a singular verb in Spanish; every other role is plural
        key = "design.masked_you" if masked == ["participant"] else "design.masked_many"
        return _cap(cat.t(key, hidden=hidden, known=join_list(known, cat)))
    if design.masking == "none":
        return cat.t("design.masking_none")
    if design.masking in LEVEL_COUNT:
        return cat.t("design.masking_unstated")
    return None


def design_sentences(meta: StudyMeta, cat: Catalogue) -> tuple[str, ...]:
    """Plain sentences about randomisation, placebo and who knows the treatment."""
    d = meta.design
    if d is None or meta.study_type != "interventional":
        return ()
    out: list[str] = []
    if d.randomized is True:
        out.append(cat.t("design.randomized"))
    elif d.randomized is False:
        out.append(cat.t("design.not_randomized"))
    if d.placebo is True:
        out.append(cat.t("design.placebo"))
    elif d.placebo is False:
        out.append(cat.t("design.no_placebo"))
    sentence = masking_sentence(d, cat)
    if sentence:
        out.append(sentence)
    return tuple(out)


DONE_STATUSES = frozenset({"completed", "terminated"})
#: the label of each date by the study's status: a study not yet open has not started; one
#: not finished has not ended; one withdrawn never started (its dates were only planned)
_START = {"not_yet_recruiting": "dates_start_expected", "withdrawn": "dates_start_planned"}
_END = {"withdrawn": "dates_end_planned", **{s: "dates_end" for s in DONE_STATUSES}}


#: the statuses whose page says why (``why_stopped``): paused, stopped early, cancelled
STOPPED_STATUSES = ("suspended", "terminated", "withdrawn")


def stopped_note(meta: StudyMeta, cat: Catalogue) -> tuple[str, str] | None:
    """(label, reason) for a paused, stopped or cancelled study with ``why_stopped``, the
    label saying which of the three it is ("Why the study is paused"); else None."""
    if meta.status not in STOPPED_STATUSES or not meta.why_stopped:
        return None
    return cat.t(f"why_stopped.{meta.status}"), meta.why_stopped


def date_text(value: str | None, cat: Catalogue) -> str:
    """'15 September 2025' or, for a registry month, 'September 2025' (empty if no date)."""
    if not value:
        return ""
    parts = [int(x) for x in value.split("-")]
    month = cat.get("months")[parts[1] - 1]
    if len(parts) == 3:
        return cat.t("date_day", day=parts[2], month=month, year=parts[0])
    return cat.t("date_month", month=month, year=parts[0])


def date_facts(meta: StudyMeta, cat: Catalogue) -> tuple[tuple[str, str], ...]:
    """(label, date) rows for Key facts: the start and the end, 'expected' until they happen
    by the study's status, 'planned' for a study withdrawn before anyone joined."""
    dates = meta.dates
    if dates is None:
        return ()
    rows: list[tuple[str, str]] = []
    if dates.start:
        rows.append((cat.t(_START.get(meta.status, "dates_start")), date_text(dates.start, cat)))
    if dates.completion:
        label = cat.t(_END.get(meta.status, "dates_end_expected"))
        rows.append((label, date_text(dates.completion, cat)))
    return tuple(rows)


def study_checks(
    meta: StudyMeta, fm: FrontMatter, path: str, today: date | None = None
) -> list[Diagnostic]:
    """Facts that contradict each other in one study's metadata (warnings)."""
    diags: list[Diagnostic] = []

    def warn(dotted: str, code: str, message: str, hint: str = "") -> None:
        p = fm.positions.get(dotted) or fm.positions.get(dotted.rsplit(".", 1)[0])
        line, col = (p.line, p.col) if p else (0, 0)
        diags.append(warning(path, line, col, code, message, hint))

    d = meta.design
    if d is not None and d.masking in LEVEL_COUNT:
        want = LEVEL_COUNT[d.masking]
        if d.masked and len(set(d.masked)) != want:
            warn(
                "design.masked",
                "FACT001",
                f"design.masked names {_roles(len(set(d.masked)))} but design.masking is "
                f'"{d.masking}" ({want} in the registry\'s terms)',
                "copy whoMasked from the registry record; the page states design.masked",
            )
        elif not d.masked and want:
            warn(
                "design.masking",
                "FACT001",
                f'design.masking is "{d.masking}" but design.masked does not say who is masked',
                "add design.masked: [participant, care_provider, investigator, "
                "outcomes_assessor] as the registry lists them",
            )
    elig = meta.eligibility
    for i, ref in enumerate(elig.not_asked if elig else ()):
        side, _, n = ref.partition(".")
        items = elig.include if side == "include" else elig.exclude  # type: ignore[union-attr]
        if int(n) >= len(items):
            warn(
                f"eligibility.not_asked.{i}",
                "FACT003",
                f'eligibility.not_asked: "{ref}" names no bullet (eligibility.{side} has '
                f"{len(items)}, counted from 0)",
            )
    completion = meta.dates.completion if meta.dates else None
    if (
        meta.status == "recruiting"
        and completion
        and today is not None
        and _as_date(completion) < today
    ):
        warn(
            "dates.completion",
            "FACT002",
            f'status is "recruiting" but the completion date {completion} has passed',
            "check the registry record and update status and dates",
        )
    return diags


def _roles(n: int) -> str:
    return f"{n} role" if n == 1 else f"{n} roles"


def _as_date(text: str) -> date:
    """A registry date; a month alone ("2026-05") stands for its last day."""
    parts = [int(x) for x in text.split("-")]
    day = parts[2] if len(parts) > 2 else calendar.monthrange(parts[0], parts[1])[1]
    return date(parts[0], parts[1], day)
