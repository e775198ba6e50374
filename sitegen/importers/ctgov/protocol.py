"""The modules of a record's ``protocolSection`` to front-matter values, one reader per
module: identification, status, conditions, design, arms and interventions, sponsor. Each
reads its fields through the ``Reader`` (every problem a diagnostic at its JSON path) and
returns plain data; the values the content model limits are checked against its limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitegen.content.model import Intervention, OtherIds, Sponsor, StudyMeta
from sitegen.importers.ctgov.blocks import parse_blocks, run_in
from sitegen.importers.ctgov.reader import Reader, join_path
from sitegen.importers.ctgov.text import one_line, strip_html, unique
from sitegen.importers.ctgov.vocabulary import (
    AGENCY_CLASSES,
    ALLOCATIONS,
    ARM_TYPES,
    COUNT_TYPES,
    DATE_RE,
    INTERVENTION_TYPES,
    ISRCTN_RE,
    MASKINGS,
    NCT_RE,
    PHASES,
    STATUSES,
    STUDY_TYPES,
    WHO_MASKED,
    limit,
)


@dataclass(frozen=True)
class Arm:
    """One arm group as the page body describes it."""

    label: str
    description: str


def read_date(r: Reader, parent: dict[str, Any] | None, key: str, path: str) -> str | None:
    """A registry date ``YYYY-MM-DD`` or ``YYYY-MM`` that is a real calendar date."""
    value = r.get(parent, key, path, "string")
    if value is None:
        return None
    value = value.strip()
    m = DATE_RE.match(value)
    ok = False
    if m:
        try:
            date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            ok = True
        except ValueError:
            ok = False
    if not ok:
        r.error(
            join_path(path, key), "IMP003", f'expected a date YYYY-MM-DD or YYYY-MM, got "{value}"'
        )
        return None
    return value


def read_date_struct(r: Reader, parent: dict[str, Any] | None, key: str, path: str) -> str | None:
    """The date of a ``...DateStruct`` (its ``type`` checked too)."""
    struct = r.obj(parent, key, path)
    if struct is None:
        return None
    sub = join_path(path, key)
    r.enum(struct, "type", sub, COUNT_TYPES)
    return read_date(r, struct, "date", sub)


def _other_ids(r: Reader, ident: dict[str, Any], path: str) -> dict[str, Any]:
    org = r.obj(ident, "orgStudyIdInfo", path)
    protocol = r.line(
        org, "id", join_path(path, "orgStudyIdInfo"), limit=limit(OtherIds, "sponsor_protocol")
    )
    eudract = ctis = isrctn = None
    for item_path, info in r.items(ident, "secondaryIdInfos", path):
        sid = r.line(info, "id", item_path)
        kind = r.get(info, "type", item_path, "string") or ""
        domain = r.get(info, "domain", item_path, "string") or ""
        if not sid:
            continue
        if kind == "EUDRACT_NUMBER" and eudract is None:
            eudract = sid
        elif re.search(r"\bCTIS\b|EU CT", domain, re.IGNORECASE) and ctis is None:
            ctis = sid
        elif ISRCTN_RE.match(sid) and isrctn is None:
            isrctn = sid
    eu_ct = eudract or ctis
    if eu_ct and len(eu_ct) > limit(OtherIds, "eu_ct"):
        r.warn(
            join_path(path, "secondaryIdInfos"),
            "IMP007",
            f'EU CT number "{eu_ct}" is too long; left out',
        )
        eu_ct = None
    return {"eu_ct": eu_ct, "isrctn": isrctn, "sponsor_protocol": protocol}


def read_identification(r: Reader, ident: dict[str, Any] | None, path: str) -> dict[str, Any]:
    """``identificationModule``: ``nct_id`` ("" when missing or malformed), the brief
    ``title`` (not yet cut), ``registry_title``, ``acronym`` and ``other_ids``."""
    if ident is None:
        return {"nct_id": "", "title": None, "acronym": None, "other_ids": {}}
    nct_id = ""
    raw_id = r.get(ident, "nctId", path, "string", required=True)
    if raw_id is not None:
        if NCT_RE.match(raw_id.strip()):
            nct_id = raw_id.strip()
        else:
            r.error(
                join_path(path, "nctId"),
                "IMP003",
                f'expected "NCT" and 8 digits, got "{raw_id}"',
            )
    return {
        "nct_id": nct_id,
        "title": r.line(ident, "briefTitle", path, required=True),
        "registry_title": r.line(
            ident, "officialTitle", path, limit=limit(StudyMeta, "registry_title")
        ),
        "acronym": r.line(ident, "acronym", path, limit=limit(StudyMeta, "acronym")),
        "other_ids": _other_ids(r, ident, path),
    }


def read_status(r: Reader, module: dict[str, Any] | None, path: str) -> dict[str, Any]:
    """``statusModule``: the status (and the last known one, for ``unknown``), why it
    stopped, the dates and when the record was updated and its status checked."""
    out: dict[str, Any] = {"status": None, "last_known_status": None, "dates": {}}
    if module is not None:
        out["status"] = r.enum(module, "overallStatus", path, STATUSES, required=True)
        out["last_known_status"] = r.enum(module, "lastKnownStatus", path, STATUSES)
        out["why_stopped"] = r.line(
            module, "whyStopped", path, limit=limit(StudyMeta, "why_stopped")
        )
        out["dates"] = {
            "start": read_date_struct(r, module, "startDateStruct", path),
            "primary_completion": read_date_struct(r, module, "primaryCompletionDateStruct", path),
            "completion": read_date_struct(r, module, "completionDateStruct", path),
        }
        out["updated"] = read_date_struct(r, module, "lastUpdatePostDateStruct", path)
        out["status_checked"] = read_date(r, module, "statusVerifiedDate", path)
    if out["status"] != "unknown":
        out["last_known_status"] = None
    return out


def read_conditions(
    r: Reader, module: dict[str, Any] | None, path: str
) -> tuple[list[str], list[str]]:
    """``conditionsModule``: the conditions (at least one) and the keywords, HTML removed."""
    conditions: list[str] = []
    keywords: list[str] = []
    if module is None:
        return conditions, keywords
    raw_conditions = r.get(module, "conditions", path, "list", required=True)
    if raw_conditions is not None and not raw_conditions:
        r.error(join_path(path, "conditions"), "IMP002", "must list at least one condition")
    for key, found in (("conditions", conditions), ("keywords", keywords)):
        if key == "conditions" and raw_conditions is None:
            continue  # already reported
        for item_path, text in r.items(module, key, path, kind="string"):
            value, removed = strip_html(text)
            if removed:
                r.warn(item_path, "IMP006", "HTML markup was removed from the registry text")
            if one_line(value):
                found.append(one_line(value))
    return conditions, keywords


def read_design(r: Reader, module: dict[str, Any] | None, path: str) -> dict[str, Any]:
    """``designModule``: study type, phases, allocation, masking (and who is masked) and
    enrollment."""
    study_type = r.enum(module, "studyType", path, STUDY_TYPES)
    phases = [
        code
        for item_path, value in r.items(module, "phases", path, kind="string")
        if (code := r.code(value, item_path, PHASES))
    ]
    info = r.obj(module, "designInfo", path)
    info_path = join_path(path, "designInfo")
    allocation = r.enum(info, "allocation", info_path, ALLOCATIONS)
    masking_info = r.obj(info, "maskingInfo", info_path)
    masking_path = join_path(info_path, "maskingInfo")
    masking = r.enum(masking_info, "masking", masking_path, MASKINGS)
    masked = unique(
        [
            code
            for item_path, value in r.items(masking_info, "whoMasked", masking_path, kind="string")
            if (code := r.code(value, item_path, WHO_MASKED))
        ]
    )
    enrollment_info = r.obj(module, "enrollmentInfo", path)
    enrollment_path = join_path(path, "enrollmentInfo")
    target = r.get(enrollment_info, "count", enrollment_path, "integer")
    if target is not None and target < 0:
        r.error(join_path(enrollment_path, "count"), "IMP003", f"expected 0 or more, got {target}")
        target = None
    return {
        "study_type": study_type,
        "phases": phases,
        "allocation": allocation,
        "masking": masking,
        "masked": masked,
        "enrollment": {
            "target": target,
            "type": r.enum(enrollment_info, "type", enrollment_path, COUNT_TYPES),
        },
    }


def read_arms(
    r: Reader, module: dict[str, Any] | None, path: str
) -> tuple[list[Arm], bool, list[dict[str, Any]]]:
    """``armsInterventionsModule``: the arms, whether any group has a placebo, and the
    interventions (name and type)."""
    arms: list[Arm] = []
    placebo = False
    for arm_path, arm in r.items(module, "armGroups", path):
        label = r.line(arm, "label", arm_path) or ""
        arm_type = r.enum(arm, "type", arm_path, ARM_TYPES)
        description = r.text(arm, "description", arm_path, markdown=True) or ""
        description = run_in(parse_blocks(description))
        placebo = placebo or arm_type == "placebo_comparator"
        if label or description:
            arms.append(Arm(label, description))
    interventions = []
    for item_path, item in r.items(module, "interventions", path):
        name = r.line(item, "name", item_path, limit=limit(Intervention, "name"))
        kind = r.enum(item, "type", item_path, INTERVENTION_TYPES)
        r.text(item, "description", item_path, markdown=True)
        if name and re.search(r"\bplacebo\b", name, re.IGNORECASE):
            placebo = True
        if name:
            interventions.append({"name": name, "type": kind})
    return arms, placebo, interventions


def read_sponsor(r: Reader, module: dict[str, Any] | None, path: str) -> dict[str, Any]:
    """``sponsorCollaboratorsModule.leadSponsor``: name and class, or {} without a name."""
    lead = r.obj(module, "leadSponsor", path)
    lead_path = join_path(path, "leadSponsor")
    sponsor = {
        "name": r.line(lead, "name", lead_path, limit=limit(Sponsor, "name")),
        "class": r.enum(lead, "class", lead_path, AGENCY_CLASSES),
    }
    return sponsor if sponsor["name"] else {}
