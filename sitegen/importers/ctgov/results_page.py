"""The draft results page (``content/results/``) of a record's ``resultsSection``: the ten
Annex V sections of ``sitegen.content.results``, pre-filled with the record's tables
(``results_tables``) and what the study page knows, and a ``<!-- write: ... -->`` prompt
wherever the writer has to write the words. Pure; ``command.import_paths`` writes the file."""

from __future__ import annotations

from typing import Any

from sitegen.content.model import ResultMeta
from sitegen.content.results import heading
from sitegen.core.diagnostics import Diagnostic
from sitegen.importers.ctgov.draft import to_markdown
from sitegen.importers.ctgov.markdown import md_escape
from sitegen.importers.ctgov.reader import Reader
from sitegen.importers.ctgov.results_tables import ResultsData, parse_results
from sitegen.importers.ctgov.text import cut_words
from sitegen.importers.ctgov.vocabulary import REGISTRY_URL, limit


def results_front(study_front: dict[str, Any], study_file: str) -> dict[str, Any]:
    """The results page's front matter: its title within the content model's limit, the
    study page it belongs to, and the study's registry source."""
    front: dict[str, Any] = {
        "title": cut_words("Results: " + study_front["title"], limit(ResultMeta, "title")),
        "summary": "What this study found, in plain words.",
        "study": f"../studies/{study_file}",
        "nct_id": study_front["nct_id"],
        "lang": "en",
        "draft": True,
    }
    if study_front.get("source"):
        front["source"] = study_front["source"]
    return front


def _sponsor(results: ResultsData, study_front: dict[str, Any]) -> str:
    sponsor = (study_front.get("sponsor") or {}).get("name")
    contact = results.contact
    lines = []
    if sponsor:
        lines.append(f"{md_escape(sponsor)} ran the study.")
    if contact:
        who = ", ".join(md_escape(contact[k]) for k in ("title", "organization") if k in contact)
        how = " or ".join(md_escape(contact[k]) for k in ("email", "phone") if k in contact)
        lines.append(f"Contact for the results: {who}" + (f", {how}." if how else "."))
    return " ".join(lines) or "The registry record does not name the sponsor."


def _when_and_where(study_front: dict[str, Any]) -> str:
    dates = study_front.get("dates") or {}
    when = []
    if dates.get("start"):
        when.append(f"The study started in {dates['start']}.")
    if dates.get("completion"):
        when.append(f"It ended in {dates['completion']}.")
    countries = sorted({s["country"] for s in study_front.get("sites", []) if s.get("country")})
    if countries:
        when.append("It took place in " + md_escape(", ".join(countries)) + ".")
    return " ".join(when)


#: each Annex V section in page order, with the prompt that ends it: what the writer writes
_PROMPTS = {
    "identification": "say in one sentence what the study tested, in plain words",
    "sponsor": "who paid for the study, and how to contact them",
    "general": "why the study was done: the health problem and the question the study asked",
    "population": (
        "say in words how many people took part, their ages and sexes, and who could join"
    ),
    "medicines": "the medicines or treatments each group had, how much and for how long",
    "side_effects": "say which side effects were most common and how serious they were",
    "results": "say in plain words what the main results were, with numbers as '12 out of 100'",
    "comments": "what the results mean, and that these are the results of one study",
    "follow_up": "say whether more studies are planned",
    "more_information": "where else readers can find more information",
}
_SIDE_EFFECTS = (
    "The registry lists medical problems people had during the study. Some may not have been "
    "caused by the treatment."
)


def _prefilled(results: ResultsData, study_front: dict[str, Any]) -> dict[str, list[str]]:
    """What each section shows of the record before its prompt (empty blocks left out later)."""
    nct = study_front["nct_id"]
    registry_title = study_front.get("registry_title") or study_front["title"]
    interventions = [md_escape(i["name"]) for i in study_front.get("interventions", [])]
    note, limits = results.adverse_note, results.limitations
    return {
        "identification": [
            f"This page gives the results of the study {md_escape(registry_title)}. "
            f"Its number on ClinicalTrials.gov is {nct}."
        ],
        "sponsor": [_sponsor(results, study_front)],
        "general": [_when_and_where(study_front)],
        "population": [t.markdown() for t in [*results.flow, *results.baseline]],
        "medicines": [
            ("The study tested: " + ", ".join(interventions) + ".") if interventions else ""
        ],
        "side_effects": [
            _SIDE_EFFECTS,
            *[t.markdown() for t in results.adverse],
            f"Time frame in the registry: {md_escape(note)}" if note else "",
        ],
        "results": [t.markdown() for t in results.outcomes],
        "comments": [
            f"The registry notes these limits of the study: {md_escape(limits)}" if limits else ""
        ],
        "follow_up": ["The registry record does not say whether more studies are planned."],
        "more_information": [
            f"You can read the full results on [ClinicalTrials.gov ({nct})]({REGISTRY_URL}{nct})."
        ],
    }


def render_draft(
    results: ResultsData, study_front: dict[str, Any], study_file: str
) -> tuple[dict[str, Any], str]:
    """Front matter and Markdown body of the draft results page."""
    prefilled = _prefilled(results, study_front)
    parts: list[str] = []
    for key, prompt in _PROMPTS.items():
        parts.append(f"## {heading(key, 'en')}")
        parts.extend(b for b in prefilled[key] if b)
        parts.append(f"<!-- write: {prompt} -->")
    return results_front(study_front, study_file), "\n\n".join(parts) + "\n"


def results_draft(
    record: Any, path: str, study_front: dict[str, Any], study_file: str, source: str
) -> tuple[str | None, list[Diagnostic]]:
    """The draft results page of one record's ``resultsSection`` (at JSON ``path``), or
    None with the errors that refuse it."""
    r = Reader(source)
    data = parse_results(r, record, path)
    if data is None:
        return None, r.diags
    front, body = render_draft(data, study_front, study_file)
    return to_markdown(front, body), r.diags
