"""schema.org JSON-LD for study pages (``MedicalTrial`` / ``MedicalObservationalStudy``).

Mapping per docs/DOMAIN: NCT id as ``code``, status as ``MedicalStudyStatus``, conditions as
``MedicalCondition``, sponsor, recruiting sites as ``studyLocation`` and ``trialDesign``.
"""

from __future__ import annotations

import json
from typing import Any

from sitegen.content.model import StudyMeta

STUDY_TYPES = {
    "interventional": "MedicalTrial",
    "observational": "MedicalObservationalStudy",
    "expanded_access": "MedicalStudy",
}
STATUS = {
    "recruiting": "Recruiting",
    "not_yet_recruiting": "NotYetRecruiting",
    "active_not_recruiting": "ActiveNotRecruiting",
    "enrolling_by_invitation": "EnrollingByInvitation",
    "suspended": "Suspended",
    "terminated": "Terminated",
    "completed": "Completed",
    "withdrawn": "Withdrawn",
}
SCHEMA = "https://schema.org/"


def trial_design(meta: StudyMeta) -> list[str]:
    """``MedicalTrialDesign`` members that describe the study."""
    out: list[str] = []
    d = meta.design
    if d is not None:
        if d.randomized:
            out.append("RandomizedTrial")
        if d.placebo:
            out.append("PlaceboControlledTrial")
        masking = {
            "none": "OpenTrial",
            "single": "SingleBlindedTrial",
            "double": "DoubleBlindedTrial",
            "triple": "TripleBlindedTrial",
            "quadruple": "TripleBlindedTrial",
        }.get(d.masking or "")
        if masking:
            out.append(masking)
    if len(meta.sites) == 1:
        out.append("SingleCenterTrial")
    elif len(meta.sites) > 1:
        out.append("MultiCenterTrial")
    if len({s.country for s in meta.sites if s.country}) > 1:
        out.append("InternationalTrial")
    return [SCHEMA + x for x in out]


def study_jsonld(meta: StudyMeta, canonical: str, lang: str, description: str) -> dict[str, Any]:
    """The JSON-LD object for one study page (a ``MedicalWebPage`` about the study)."""
    study: dict[str, Any] = {
        "@type": STUDY_TYPES[meta.study_type],
        "name": meta.title,
        "description": description,
        "url": canonical,
    }
    alternate = [x for x in (meta.registry_title, meta.acronym) if x]
    if alternate:
        study["alternateName"] = alternate
    codes = []
    if meta.nct_id:
        codes.append(
            {"@type": "MedicalCode", "codeValue": meta.nct_id, "codingSystem": "ClinicalTrials.gov"}
        )
    if meta.other_ids:
        if meta.other_ids.eu_ct:
            codes.append(
                {"@type": "MedicalCode", "codeValue": meta.other_ids.eu_ct, "codingSystem": "EU CT"}
            )
        if meta.other_ids.isrctn:
            codes.append(
                {
                    "@type": "MedicalCode",
                    "codeValue": meta.other_ids.isrctn,
                    "codingSystem": "ISRCTN",
                }
            )
    if codes:
        study["code"] = codes[0] if len(codes) == 1 else codes
    if meta.status in STATUS:
        study["status"] = SCHEMA + STATUS[meta.status]
    study["healthCondition"] = [{"@type": "MedicalCondition", "name": c} for c in meta.conditions]
    if meta.sponsor:
        kind = "Person" if meta.sponsor.class_ == "indiv" else "Organization"
        study["sponsor"] = {"@type": kind, "name": meta.sponsor.name}
    locations = []
    for s in meta.sites:
        if s.status not in (None, "recruiting", "not_yet_recruiting", "enrolling_by_invitation"):
            continue
        loc: dict[str, Any] = {"@type": "AdministrativeArea", "name": s.name}
        address = {
            k: v
            for k, v in (
                ("addressLocality", s.city),
                ("addressRegion", s.region),
                ("postalCode", s.postal_code),
                ("addressCountry", s.country),
            )
            if v
        }
        if address:
            loc["address"] = {"@type": "PostalAddress", **address}
        if s.lat is not None and s.lon is not None:
            loc["geo"] = {"@type": "GeoCoordinates", "latitude": s.lat, "longitude": s.lon}
        locations.append(loc)
    if locations:
        study["studyLocation"] = locations
    if meta.study_type == "interventional":
        design = trial_design(meta)
        if design:
            study["trialDesign"] = design
    elif meta.study_type == "observational":
        study["studyDesign"] = SCHEMA + "Observational"
    page: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": canonical,
        "inLanguage": lang,
        "audience": {"@type": "Patient"},
        "about": study,
    }
    if meta.updated:
        page["lastReviewed"] = str(meta.updated)
    return page


def dumps(data: dict[str, Any]) -> str:
    """Serialise for a ``<script type="application/ld+json">`` block, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
