"""One ClinicalTrials.gov record (decoded JSON) to an ``ImportedStudy``: the draft study
page's front matter (``docs/content-model.md``, lower-case codes) and Markdown body, as pure
data. The protocol modules are read by ``protocol``, ``eligibility`` and ``locations``; the
body is written by ``body``. A record with any error gives no study."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeGuard

from sitegen.content.model import StudyMeta
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.importers.ctgov.blocks import parse_blocks
from sitegen.importers.ctgov.body import render_body
from sitegen.importers.ctgov.draft import to_markdown
from sitegen.importers.ctgov.eligibility import read_eligibility
from sitegen.importers.ctgov.locations import read_contact, read_sites
from sitegen.importers.ctgov.protocol import (
    read_arms,
    read_conditions,
    read_date,
    read_design,
    read_identification,
    read_sponsor,
    read_status,
)
from sitegen.importers.ctgov.reader import Reader, describe, join_path
from sitegen.importers.ctgov.text import cut_words, make_slug, sentences, unique
from sitegen.importers.ctgov.vocabulary import limit


@dataclass(frozen=True)
class ImportedStudy:
    """One imported study: the page's slug, front matter (plain data) and Markdown body."""

    nct_id: str
    slug: str
    front_matter: dict[str, Any] = field(hash=False)
    body: str
    #: the record's ``resultsSection`` as read (None: no results), and its JSON path
    results: Any = field(default=None, hash=False, compare=False, repr=False)
    results_path: str = "resultsSection"

    def to_markdown(self) -> str:
        """Return the whole page: YAML front matter between ``---`` lines, then the body."""
        return to_markdown(self.front_matter, self.body)


def make_summary(text: str) -> str:
    """The first one or two sentences of the first paragraph, within the content model's
    limit for ``summary``."""
    most = limit(StudyMeta, "summary")
    blocks = parse_blocks(text)
    if not blocks:
        return ""
    first = sentences(blocks[0].joined())
    if not first:
        return ""
    summary = first[0]
    if len(summary) > most:
        return cut_words(summary, most - 1) + "…"
    if len(first) > 1 and len(summary) < 100 and len(summary) + 1 + len(first[1]) <= most:
        summary += " " + first[1]
    return summary


def _prune(value: Any) -> Any:
    """Drop None and empty strings, lists and mappings, recursively (False and 0 are kept)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [_prune(v) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    return value


def parse_record(data: object, source: str) -> tuple[ImportedStudy | None, list[Diagnostic]]:
    """Map one API v2 study record to an ``ImportedStudy``; pure, never raises.

    ``data`` is the decoded JSON (a study object, or a ``{"studies": [...]}`` search response
    holding exactly one study). ``source`` is the path printed in diagnostics. Returns
    ``(None, diagnostics)`` when the record has any error.
    """
    if _is_search_response(data):
        studies, diags = parse_studies(data, source)
        entries = data["studies"]
        if not isinstance(entries, list):
            return None, diags
        if len(entries) == 1:
            return (studies[0] if studies else None), diags
        return None, [
            *diags,
            error(
                source,
                0,
                0,
                "IMP003",
                f"studies: expected exactly one study, got {len(entries)}",
                "import a search response with import_paths, which imports every study",
            ),
        ]
    r = Reader(source)
    study = _parse_study(r, data, "")
    return (None if r.failed else study), r.diags


def _is_search_response(data: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(data, dict) and "protocolSection" not in data and "studies" in data


def parse_studies(data: object, source: str) -> tuple[list[ImportedStudy], list[Diagnostic]]:
    """Map a study record or a ``{"studies": [...]}`` search response to the valid studies.

    Each study in a search response is checked on its own (paths ``studies[2]. ...``); a bad
    one does not stop the others.
    """
    if not _is_search_response(data):
        study, diags = parse_record(data, source)
        return ([study] if study else []), diags
    r = Reader(source)
    studies: list[ImportedStudy] = []
    diags = []
    entries = r.items(data, "studies", "", kind="object")
    diags.extend(r.diags)
    if not isinstance(data.get("studies"), list):
        return [], diags
    if not data["studies"]:
        diags.append(warning(source, 0, 0, "IMP007", "studies: the search response is empty"))
    for item_path, item in entries:
        sr = Reader(source)
        study = _parse_study(sr, item, item_path)
        diags.extend(sr.diags)
        if study is not None and not sr.failed:
            studies.append(study)
    return studies, diags


_MODULES = (
    "identificationModule",
    "statusModule",
    "descriptionModule",
    "conditionsModule",
    "designModule",
    "armsInterventionsModule",
    "eligibilityModule",
    "sponsorCollaboratorsModule",
    "contactsLocationsModule",
)
_REQUIRED = ("identificationModule", "statusModule", "descriptionModule", "conditionsModule")


def _parse_study(r: Reader, data: object, prefix: str) -> ImportedStudy | None:
    """One study object at JSON path ``prefix``; None when it has an error (in ``r``)."""
    if not isinstance(data, dict):
        r.error(
            prefix,
            "IMP003",
            f"expected a study record (a JSON object), got {describe(data)}",
            'a record is an object with "protocolSection"; a search response is {"studies": [...]}',
        )
        return None
    proto = r.obj(data, "protocolSection", prefix, required=True)
    if proto is None:
        return None
    p = join_path(prefix, "protocolSection")
    mods = {name: r.obj(proto, name, p, required=name in _REQUIRED) for name in _MODULES}
    at = {name: join_path(p, name) for name in _MODULES}

    ident = read_identification(r, mods["identificationModule"], at["identificationModule"])
    status = read_status(r, mods["statusModule"], at["statusModule"])
    desc, desc_path = mods["descriptionModule"], at["descriptionModule"]
    brief_summary = r.text(
        desc, "briefSummary", desc_path, required=desc is not None, long=True, markdown=True
    )
    r.text(desc, "detailedDescription", desc_path, long=True, markdown=True)
    conditions, keywords = read_conditions(r, mods["conditionsModule"], at["conditionsModule"])
    design = read_design(r, mods["designModule"], at["designModule"])
    arms, placebo, interventions = read_arms(
        r, mods["armsInterventionsModule"], at["armsInterventionsModule"]
    )
    eligibility = read_eligibility(r, mods["eligibilityModule"], at["eligibilityModule"])
    sponsor = read_sponsor(r, mods["sponsorCollaboratorsModule"], at["sponsorCollaboratorsModule"])
    contacts_mod, contacts_path = mods["contactsLocationsModule"], at["contactsLocationsModule"]
    sites = read_sites(r, contacts_mod, contacts_path)
    contacts = [
        read_contact(r, person, person_path, role=True)
        for person_path, person in r.items(contacts_mod, "centralContacts", contacts_path)
    ]
    derived_path = join_path(prefix, "derivedSection")
    misc = r.obj(r.obj(data, "derivedSection", prefix), "miscInfoModule", derived_path)
    version_date = read_date(r, misc, "versionHolder", join_path(derived_path, "miscInfoModule"))

    nct_id, brief_title = ident["nct_id"], ident["title"]
    if r.failed or not nct_id or not brief_title or not status["status"] or not brief_summary:
        return None
    front = _prune(
        {
            **_front_head(ident, status, design, placebo, brief_summary),
            "interventions": interventions,
            "conditions": unique(conditions),
            "eligibility": eligibility,
            "enrollment": design["enrollment"],
            "dates": status["dates"],
            "sponsor": sponsor,
            "sites": sites,
            "contacts": contacts,
            "updated": status.get("updated"),
            "status_checked": status.get("status_checked"),
            "source": {"registry": "ctgov", "version_date": version_date},
            "draft": True,
            "tags": unique(keywords),
        }
    )
    if not front.get("summary"):
        r.error(join_path(desc_path, "briefSummary"), "IMP002", "no text to make a summary from")
        return None
    body = render_body(front, brief_summary, arms)
    results_path = join_path(prefix, "resultsSection")
    slug = make_slug(brief_title, nct_id)
    return ImportedStudy(nct_id, slug, front, body, data.get("resultsSection"), results_path)


def _front_head(
    ident: dict[str, Any],
    status: dict[str, Any],
    design: dict[str, Any],
    placebo: bool,
    brief_summary: str,
) -> dict[str, Any]:
    """The front matter's keys from ``title`` to ``design``, in the content model's order."""
    interventional = design["study_type"] in (None, "interventional")
    masking: dict[str, Any] = {}
    if interventional:
        allocation = design["allocation"]
        masking = {
            "randomized": None if allocation is None else allocation == "randomized",
            "placebo": placebo,
            "masking": design["masking"],
            "masked": design["masked"] or None,
        }
    return {
        "title": cut_words(ident["title"], limit(StudyMeta, "title")),
        "summary": make_summary(brief_summary),
        "registry_title": ident.get("registry_title"),
        "acronym": ident["acronym"],
        "nct_id": ident["nct_id"],
        "other_ids": ident["other_ids"],
        "status": status["status"],
        "last_known_status": status["last_known_status"],
        "why_stopped": status.get("why_stopped"),
        "study_type": design["study_type"],
        "phase": design["phases"] if interventional else None,
        "design": masking,
    }
