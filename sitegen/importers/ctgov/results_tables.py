"""A ClinicalTrials.gov ``resultsSection`` checked and read into plain tables (``ResultsData``):
the participant flow, the numbers of people by age and sex at the start, each primary
outcome and the adverse events. Nothing is invented: every number in a table is copied from
the record, and each table names the JSON path it comes from. Counts are shown as natural
frequencies ("5 out of 97"), never as percentages computed here.

Every field used is checked first; a malformed results section (wrong type, a count that is
not a whole number, a group id no group has) is an error at its JSON path
(``resultsSection.participantFlowModule.periods[0]...``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sitegen.importers.ctgov.markdown import md_escape
from sitegen.importers.ctgov.reader import Reader, join_path

_NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Table:
    """A plain table: header cells, rows of cells, and the JSON path its numbers come from."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str
    caption: str = ""

    def markdown(self) -> str:
        """The table in Markdown, its caption before it and its source as a comment after."""
        lines = []
        if self.caption:
            lines += [self.caption, ""]
        lines.append("| " + " | ".join(_cell(h) for h in self.header) + " |")
        lines.append("|" + "---|" * len(self.header))
        for row in self.rows:
            lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
        lines += ["", f"<!-- numbers from the registry record: {self.source} -->"]
        return "\n".join(lines)


def _cell(text: str) -> str:
    return md_escape(text).replace("|", "\\|") or " "


@dataclass
class ResultsData:
    """What the draft shows of a results section, checked."""

    flow: list[Table] = field(default_factory=list)
    baseline: list[Table] = field(default_factory=list)
    outcomes: list[Table] = field(default_factory=list)
    adverse: list[Table] = field(default_factory=list)
    adverse_note: str = ""
    limitations: str = ""
    contact: dict[str, str] = field(default_factory=dict)


def _count(r: Reader, obj: dict[str, Any], key: str, path: str) -> int | None:
    """A count of people: a whole number 0 or more, or a string of digits (the API gives
    ``numSubjects`` as a string)."""
    full = join_path(path, key)
    value = obj.get(key)
    if value is None:
        r.error(full, "IMP002", "missing required field")
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    r.error(full, "IMP003", f"expected a whole number of people, got {value!r}")
    return None


def _groups(r: Reader, module: dict[str, Any], key: str, path: str) -> dict[str, str]:
    """Group id -> title."""
    out: dict[str, str] = {}
    for gpath, g in r.items(module, key, path):
        gid = r.get(g, "id", gpath, "string", required=True)
        title = r.line(g, "title", gpath, required=True)
        if gid is not None and title is not None:
            out[gid] = title
    return out


def _group_ref(r: Reader, obj: dict[str, Any], path: str, groups: dict[str, str]) -> str | None:
    gid = r.get(obj, "groupId", path, "string", required=True)
    if gid is not None and gid not in groups:
        known = ", ".join(groups) or "none"
        r.error(join_path(path, "groupId"), "IMP011", f'"{gid}" is not one of the groups ({known})')
        return None
    return gid


def _row(groups: dict[str, str], cells: dict[str, str]) -> list[str]:
    return [cells.get(gid, "not given") for gid in groups]


def parse_results(r: Reader, data: Any, path: str) -> ResultsData | None:
    """Check and read a ``resultsSection``; None when it has an error (in ``r.diags``)."""
    if not isinstance(data, dict):
        r.error(path, "IMP003", "expected an object with the results modules")
        return None
    out = ResultsData()
    _flow(
        r, r.obj(data, "participantFlowModule", path), join_path(path, "participantFlowModule"), out
    )
    _baseline(
        r,
        r.obj(data, "baselineCharacteristicsModule", path),
        join_path(path, "baselineCharacteristicsModule"),
        out,
    )
    om_path = join_path(path, "outcomeMeasuresModule")
    for opath, om in r.items(
        r.obj(data, "outcomeMeasuresModule", path), "outcomeMeasures", om_path
    ):
        _outcome(r, om, opath, out)
    _adverse(
        r, r.obj(data, "adverseEventsModule", path), join_path(path, "adverseEventsModule"), out
    )
    more_path = join_path(path, "moreInfoModule")
    more = r.obj(data, "moreInfoModule", path)
    if more is not None:
        lim = r.obj(more, "limitationsAndCaveats", more_path)
        if lim is not None:
            text = r.line(lim, "description", join_path(more_path, "limitationsAndCaveats"))
            out.limitations = text or ""
        poc_path = join_path(more_path, "pointOfContact")
        poc = r.obj(more, "pointOfContact", more_path)
        if poc is not None:
            for key in ("title", "organization", "email", "phone"):
                value = r.exact(poc, key, poc_path)
                if value:
                    out.contact[key] = value
    return None if r.failed else out


def _people(
    r: Reader, parent: dict[str, Any], key: str, path: str, groups: dict[str, str]
) -> dict[str, str]:
    """Group id -> its ``numSubjects`` for each item of the list ``key`` (a milestone's
    achievements, a reason for leaving)."""
    cells: dict[str, str] = {}
    for apath, item in r.items(parent, key, path):
        gid = _group_ref(r, item, apath, groups)
        n = _count(r, item, "numSubjects", apath)
        if gid is not None and n is not None:
            cells[gid] = str(n)
    return cells


def _flow(r: Reader, module: dict[str, Any] | None, path: str, out: ResultsData) -> None:
    if module is None:
        return
    groups = _groups(r, module, "groups", path)
    for ppath, period in r.items(module, "periods", path):
        title = r.line(period, "title", ppath) or "Overall study"
        rows: list[tuple[str, ...]] = []
        for mpath, milestone in r.items(period, "milestones", ppath):
            kind = r.line(milestone, "type", mpath, required=True)
            cells = _people(r, milestone, "achievements", mpath, groups)
            if kind is not None:
                rows.append((_MILESTONES.get(kind.upper(), kind), *_row(groups, cells)))
        for wpath, drop in r.items(period, "dropWithdraws", ppath):
            kind = r.line(drop, "type", wpath, required=True)
            cells = _people(r, drop, "reasons", wpath, groups)
            if kind is not None:
                rows.append((f"Left the study: {kind}", *_row(groups, cells)))
        if rows:
            out.flow.append(Table(("Step", *groups.values()), tuple(rows), ppath, f"**{title}**"))


_MILESTONES = {
    "STARTED": "Started the study",
    "COMPLETED": "Finished the study",
    "NOT COMPLETED": "Did not finish the study",
}
_AGE_SEX = re.compile(r"^(?:age|sex|gender)\b", re.I)


def _measure_cells(
    r: Reader, category: dict[str, Any], cpath: str, groups: dict[str, str], unit: str
) -> dict[str, str]:
    cells: dict[str, str] = {}
    for mpath, m in r.items(category, "measurements", cpath):
        gid = _group_ref(r, m, mpath, groups)
        value = m.get("value")
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not (_NUMBER_RE.match(value.strip()) or value == "NA"):
            r.error(join_path(mpath, "value"), "IMP003", f"expected a number, got {value!r}")
            continue
        if gid is not None:
            shown = "not available" if value == "NA" else value.strip()
            cells[gid] = f"{shown} {unit}".strip() if unit and value != "NA" else shown
    return cells


def _denoms(r: Reader, module: dict[str, Any], path: str, groups: dict[str, str]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for dpath, d in r.items(module, "denoms", path):
        for cpath, c in r.items(d, "counts", dpath):
            gid = _group_ref(r, c, cpath, groups)
            n = _count(r, c, "value", cpath)
            if gid is not None and n is not None and gid not in totals:
                totals[gid] = n
    return totals


def _baseline(r: Reader, module: dict[str, Any] | None, path: str, out: ResultsData) -> None:
    if module is None:
        return
    groups = _groups(r, module, "groups", path)
    totals = _denoms(r, module, path, groups)
    if totals:
        row = (
            "Number of people",
            *[str(totals[g]) if g in totals else "not given" for g in groups],
        )
        out.baseline.append(Table(("", *groups.values()), (row,), join_path(path, "denoms")))
    for mpath, measure in r.items(module, "measures", path):
        title = r.line(measure, "title", mpath, required=True)
        if title is None or not _AGE_SEX.match(title):
            continue
        unit = r.line(measure, "unitOfMeasure", mpath) or ""
        counted = (measure.get("paramType") or "") == "COUNT_OF_PARTICIPANTS"
        kind = _PARAM.get(str(measure.get("paramType") or "").upper(), "")
        rows = _category_rows(
            r, measure, mpath, groups, totals, "" if counted else unit, counted, kind or title
        )
        if rows:
            caption = f"**{title}**" + (f" ({kind})" if kind and not counted else "")
            out.baseline.append(Table(("", *groups.values()), tuple(rows), mpath, caption))


def _category_rows(
    r: Reader,
    node: dict[str, Any],
    path: str,
    groups: dict[str, str],
    totals: dict[str, int],
    unit: str,
    counted: bool,
    fallback: str,
) -> list[tuple[str, ...]]:
    """One table row per category of each class of a measure or outcome (``node``): its
    label (the category's title, else its class's, else ``fallback``) and a cell per group;
    counts shown as "N out of M" where the group's total is known."""
    rows: list[tuple[str, ...]] = []
    for cpath, cls in r.items(node, "classes", path):
        ctitle = r.line(cls, "title", cpath) or ""
        for kpath, cat in r.items(cls, "categories", cpath):
            label = r.line(cat, "title", kpath) or ctitle or fallback
            cells = _measure_cells(r, cat, kpath, groups, unit)
            if counted:
                cells = {
                    g: f"{v} out of {totals[g]}" if g in totals and v.isdigit() else v
                    for g, v in cells.items()
                }
            rows.append((label, *_row(groups, cells)))
    return rows


_PARAM = {
    "MEAN": "average",
    "MEDIAN": "middle value (median)",
    "GEOMETRIC_MEAN": "average (geometric mean)",
    "LEAST_SQUARES_MEAN": "average, adjusted (least squares mean)",
    "COUNT_OF_PARTICIPANTS": "number of people",
    "NUMBER": "number",
}


def _outcome(r: Reader, om: dict[str, Any], path: str, out: ResultsData) -> None:
    kind = r.get(om, "type", path, "string", required=True)
    if kind != "PRIMARY":
        return
    title = r.line(om, "title", path, required=True)
    groups = _groups(r, om, "groups", path)
    totals = _denoms(r, om, path, groups)
    unit = r.line(om, "unitOfMeasure", path) or ""
    time_frame = r.line(om, "timeFrame", path) or ""
    param = str(om.get("paramType") or "").upper()
    counted = param == "COUNT_OF_PARTICIPANTS"
    rows: list[tuple[str, ...]] = []
    if totals:
        rows.append(
            (
                "Number of people counted",
                *[str(totals[g]) if g in totals else "not given" for g in groups],
            )
        )
    rows += _category_rows(
        r, om, path, groups, totals, "" if counted else unit, counted, _PARAM.get(param, "result")
    )
    if title is None or not groups:
        return
    caption = f"**Main result: {title}**"
    details = [
        d
        for d in (f"measured: {time_frame}" if time_frame else "", f"unit: {unit}" if unit else "")
        if d
    ]
    if details:
        caption += " (" + "; ".join(details) + ")"
    if rows:
        out.outcomes.append(Table(("", *groups.values()), tuple(rows), path, caption))
    else:
        out.outcomes.append(
            Table(
                ("", *groups.values()),
                (("no numbers posted", *["" for _ in groups]),),
                path,
                caption,
            )
        )


_AFFECTED = {
    "deaths": "Died (for any reason)",
    "serious": "Had at least one serious medical problem",
    "other": "Had at least one other medical problem",
}


def _adverse(r: Reader, module: dict[str, Any] | None, path: str, out: ResultsData) -> None:
    if module is None:
        return
    groups: dict[str, str] = {}
    at_risk: dict[str, dict[str, tuple[int, int]]] = {kind: {} for kind in _AFFECTED}
    for gpath, g in r.items(module, "eventGroups", path):
        gid = r.get(g, "id", gpath, "string", required=True)
        title = r.line(g, "title", gpath, required=True)
        if gid is None or title is None:
            continue
        groups[gid] = title
        for kind in at_risk:
            if g.get(f"{kind}NumAffected") is None and g.get(f"{kind}NumAtRisk") is None:
                continue
            n = _count(r, g, f"{kind}NumAffected", gpath)
            m = _count(r, g, f"{kind}NumAtRisk", gpath)
            if n is not None and m is not None:
                at_risk[kind][gid] = (n, m)
    rows = [
        (
            _AFFECTED[kind],
            *[f"{per[g][0]} out of {per[g][1]}" if g in per else "not given" for g in groups],
        )
        for kind, per in at_risk.items()
        if per
    ]
    if rows:
        out.adverse.append(
            Table(
                ("", *groups.values()),
                tuple(rows),
                join_path(path, "eventGroups"),
                "**How many people had medical problems during the study**",
            )
        )
    for key, caption in (
        ("seriousEvents", "Serious medical problems"),
        ("otherEvents", "Other medical problems"),
    ):
        events = _events(r, module, key, path, groups)
        if events:
            out.adverse.append(
                Table(
                    ("Medical problem", *groups.values()),
                    tuple(events),
                    join_path(path, key),
                    f"**{caption}**",
                )
            )
    out.adverse_note = r.line(module, "timeFrame", path) or ""


def _events(
    r: Reader, module: dict[str, Any], key: str, path: str, groups: dict[str, str]
) -> list[tuple[str, ...]]:
    """One row per event term of the list ``key``: "N out of M" affected in each group."""
    rows: list[tuple[str, ...]] = []
    for epath, event in r.items(module, key, path):
        term = r.line(event, "term", epath, required=True)
        cells: dict[str, str] = {}
        for spath, stat in r.items(event, "stats", epath):
            gid = _group_ref(r, stat, spath, groups)
            n = _count(r, stat, "numAffected", spath)
            m = _count(r, stat, "numAtRisk", spath)
            if gid is not None and n is not None and m is not None:
                cells[gid] = f"{n} out of {m}"
        if term is not None:
            rows.append((term, *_row(groups, cells)))
    return rows
