"""Tests for the ClinicalTrials.gov API v2 importer (``sitegen.importers.ctgov``).

The 25 records in ``tests/data/ctgov/`` are real, public-domain ClinicalTrials.gov records
(copied from the shared development set, so the suite runs without it).
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sitegen.core.diagnostics import Severity
from sitegen.importers.ctgov import (
    ImportedStudy,
    import_paths,
    load_record,
    md_escape,
    parse_record,
    parse_studies,
    split_criteria,
)

DATA = Path(__file__).resolve().parent / "data" / "ctgov"
RECORDS = sorted(DATA.glob("NCT*.json"))
SECTIONS = [
    "## What is this study about?",
    "## Who can take part?",
    "## What will happen if I take part?",
    "## What are the possible benefits and risks?",
    "## Where is the study happening?",
    "## How do I find out more or join?",
]
STATUS_LIST = (
    "NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, "
    "SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN"
)


def _raw(nct_id: str) -> dict[str, Any]:
    return json.loads((DATA / f"{nct_id}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def studies() -> dict[str, ImportedStudy]:
    out = {}
    for path in RECORDS:
        study, diags = load_record(path, f"tests/data/ctgov/{path.name}")
        assert diags == [], [d.format() for d in diags]
        assert study is not None
        out[study.nct_id] = study
    return out


def _fm(studies: dict[str, ImportedStudy], nct_id: str) -> dict[str, Any]:
    return studies[nct_id].front_matter


def _split(markdown: str) -> tuple[str, str]:
    assert markdown.startswith("---\n")
    yaml_text, body = markdown[4:].split("\n---\n\n", 1)
    return yaml_text, body


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _formats(diags: list[Any]) -> list[str]:
    return [d.format() for d in diags]


# ------------------------------------------------------------------------------------------
# All real records


def test_the_25_fixture_records_are_present() -> None:
    assert len(RECORDS) == 25


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_every_record_imports_without_diagnostics_and_round_trips(
    path: Path, studies: dict[str, ImportedStudy]
) -> None:
    study = studies[path.stem]
    assert study.nct_id == path.stem
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", study.slug)
    assert study.slug.endswith("-" + path.stem.lower())
    assert len(study.slug) <= 60 + 12
    yaml_text, body = _split(study.to_markdown())
    assert yaml.safe_load(yaml_text) == study.front_matter
    assert body == study.body
    fm = study.front_matter
    assert fm["draft"] is True
    assert fm["source"]["registry"] == "ctgov"
    assert len(fm["title"]) <= 80
    assert 0 < len(fm["summary"]) <= 300
    assert fm["conditions"]
    positions = [body.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    assert "<script" not in body.lower()


def test_every_record_is_valid_for_the_content_model(studies: dict[str, ImportedStudy]) -> None:
    frontmatter = pytest.importorskip("sitegen.content.frontmatter")
    model = pytest.importorskip("sitegen.content.model")
    for study in studies.values():
        fm, diags = frontmatter.parse(study.to_markdown(), f"{study.slug}.md")
        assert diags == [], _formats(diags)
        meta, diags = model.parse_meta(fm, f"{study.slug}.md")
        assert meta is not None, _formats(diags)
        assert diags == [], _formats(diags)


# ------------------------------------------------------------------------------------------
# Field mapping, by value


def test_mapping_recruiting_phase2_placebo_study(studies: dict[str, ImportedStudy]) -> None:
    study = studies["NCT05948592"]
    fm = study.front_matter
    assert study.slug == "bacteriophage-therapy-tp-102-in-patients-with-diabetic-foot-nct05948592"
    assert list(fm)[:5] == ["title", "summary", "registry_title", "acronym", "nct_id"]
    assert fm["title"] == "Bacteriophage Therapy TP-102 in Patients With Diabetic Foot Infection"
    assert fm["registry_title"] == (
        "A Phase 2 CT to Evaluate the Safety and Efficacy of Topical Administration of "
        "Bacteriophage Therapy TP-102 in Patients With DFI"
    )  # the official title, not the brief one
    assert fm["summary"] == (
        "TP-102 is a novel bacteriophage cocktail comprised of 5 (five) lytic bacteriophages "
        "against Staphylococcus aureus, Pseudomonas aeruginosa, and Acinetobacter baumannii."
    )
    assert fm["acronym"] == "REVERSE2"
    assert fm["other_ids"] == {"sponsor_protocol": "TP-102_102"}
    assert fm["status"] == "recruiting"
    assert fm["study_type"] == "interventional"
    assert fm["phase"] == ["phase2"]
    assert fm["design"] == {
        "randomized": True,
        "placebo": True,
        "masking": "quadruple",
        "masked": ["participant", "care_provider", "investigator", "outcomes_assessor"],
    }
    assert fm["interventions"] == [
        {"name": "TP-102", "type": "biological"},
        {"name": "Placebo", "type": "other"},
    ]
    assert fm["conditions"] == ["Diabetic Foot Infection"]
    assert fm["enrollment"] == {"target": 80, "type": "estimated"}
    assert fm["dates"] == {
        "start": "2023-11-08",
        "primary_completion": "2025-11-30",
        "completion": "2025-12-31",
    }
    assert fm["sponsor"] == {"name": "Technophage, SA", "class": "industry"}
    assert fm["updated"] == "2025-05-25"
    assert fm["status_checked"] == "2025-05"
    assert fm["source"] == {"registry": "ctgov", "version_date": "2025-07-07"}
    assert "tags" not in fm  # the record has no keywords
    elig = fm["eligibility"]
    assert (elig["age_min"], elig["sex"], elig["healthy_volunteers"]) == ("18 years", "all", False)
    assert "age_max" not in elig
    assert len(fm["sites"]) == 10
    assert fm["sites"][0] == {
        "name": "Clemente Clinical Research",
        "city": "Los Angeles",
        "region": "California",
        "country": "United States",
        "postal_code": "90033",
        "lat": 34.05223,
        "lon": -118.24368,
        "status": "recruiting",
        "contact": {
            "name": "Scott Mathis, Co-Founder & COO",
            "phone": "949-280-8719",
            "email": "scott.mathis@clementeclinical.com",
        },
    }
    assert fm["sites"][1]["status"] == "active_not_recruiting"
    assert "contact" not in fm["sites"][1]
    assert [s["city"] for s in fm["sites"]][-1] == "Vijayawada"  # registry order kept
    assert fm["contacts"] == [
        {
            "name": "Sofia Corte Real, Deputy CEO",
            "role": "contact",
            "phone": "351+215943993",
            "email": "scortereal@technophage.pt",
        },
        {
            "name": "Margarida Barreto, Clinical Trial Director",
            "role": "contact",
            "email": "mbarreto@technophage.pt",
        },
    ]


def test_mapping_body_sentences(studies: dict[str, ImportedStudy]) -> None:
    body = studies["NCT05948592"].body
    assert "People aged 18 years and over can take part." in body
    assert "The full list of who can and cannot join is shown below." in body
    assert "- Placebo: Patients will be randomly assigned in a 1:1 ratio" in body
    assert "The study is taking place at 10 sites in United States and India." in body
    assert (
        "- Sofia Corte Real, Deputy CEO: phone 351+215943993, e-mail scortereal@technophage.pt"
        in body
    )
    assert "<!-- write:" in body.split("## What are the possible benefits and risks?")[1]
    assert "(https://clinicaltrials.gov/study/NCT05948592)" in body


def test_mapping_unknown_status_keeps_last_known(studies: dict[str, ImportedStudy]) -> None:
    fm = _fm(studies, "NCT02960672")
    assert fm["status"] == "unknown"
    assert fm["last_known_status"] == "active_not_recruiting"
    assert fm["study_type"] == "observational"
    assert "phase" not in fm and "design" not in fm
    assert fm["eligibility"]["age_min"] == "40 years"
    assert fm["eligibility"]["age_max"] == "68 years"
    assert fm["eligibility"]["healthy_volunteers"] is True
    # "Inclusion Criteriar:" (sic) is still a heading
    assert fm["eligibility"]["include"] == ["Clinical diagnosis of interstitial lung disease"]
    assert len(fm["eligibility"]["exclude"]) == 2
    assert "last_known_status" not in _fm(studies, "NCT05948592")


def test_mapping_terminated_with_two_phases_and_partial_dates(
    studies: dict[str, ImportedStudy],
) -> None:
    fm = _fm(studies, "NCT00711542")
    assert fm["status"] == "terminated"
    assert fm["why_stopped"] == "Slow recruitment"
    assert fm["phase"] == ["phase1", "phase2"]
    assert fm["acronym"] == "REPAIR-ACS"
    assert fm["dates"] == {
        "start": "2008-09",
        "primary_completion": "2014-12",
        "completion": "2015-12",
    }
    assert fm["eligibility"]["age_max"] == "80 years"
    assert [s["name"] for s in fm["sites"]] == [
        "Med. Klinik III; Kardiologie",
        "Universität Leipzig / Herzzentrum",
    ]
    assert "region" not in fm["sites"][0] and "status" not in fm["sites"][0]
    assert len(fm["title"]) <= 80
    assert (
        fm["title"] == "Effects of Intracoronary Progenitor Cell Therapy on Coronary Flow Reserve"
    )
    official = _raw("NCT00711542")["protocolSection"]["identificationModule"]["officialTitle"]
    assert fm["registry_title"] == official.strip()
    assert "The study took place at 2 sites in Germany." in studies["NCT00711542"].body
    assert "This study is not looking for new volunteers." in studies["NCT00711542"].body


def test_mapping_observational_study_has_no_phase(studies: dict[str, ImportedStudy]) -> None:
    fm = _fm(studies, "NCT06476470")
    assert fm["study_type"] == "observational"
    assert fm["status"] == "recruiting"
    assert "phase" not in fm and "design" not in fm
    assert fm["acronym"] == "TAILI"
    assert fm["eligibility"]["include"][0] == "Aged over 18 years old."
    assert fm["eligibility"]["exclude"] == [
        "Under 18 years of age.",
        "Failure to express informed consent in person.",
    ]
    assert fm["contacts"][0]["phone"] == "04-23592525 ext. 6536"
    assert fm["sites"][0]["contact"]["phone"] == "886-4-23592525 ext. 3213"
    assert "This study does not test a new treatment." in studies["NCT06476470"].body


def test_eligibility_split_and_unescape(studies: dict[str, ImportedStudy]) -> None:
    include = _fm(studies, "NCT05948592")["eligibility"]["include"]
    exclude = _fm(studies, "NCT05948592")["eligibility"]["exclude"]
    assert include[0] == "Aged ≥18 years old"
    assert include[2] == "Glycosylated hemoglobin (HbA1c) value < 12.0%"
    assert len(include) == 14 and len(exclude) == 8
    assert exclude[0] == (
        "Infected study ulcer less than 2 cm away from other ulcers, in the case of multiple ulcers"
    )
    # "Key Inclusion Criteria:" headings, numbered lists, \[ \] unescaped
    key = _fm(studies, "NCT02210780")["eligibility"]
    assert key["include"][0].startswith(
        "Male or female adults ages 18 to 64 years with Chronic AD (according to the American "
        "Academy of Dermatology Consensus Criteria, [Eichenfeld 2004])"
    )
    assert key["exclude"][1].startswith("Patients needing >10 mg of daily prednisone")
    # nested items are joined into their parent
    nested = _fm(studies, "NCT06344104")["eligibility"]["include"][2]
    assert nested.startswith(
        "Fulfil at least 1 of the following 2 criteria: uHTN subpopulation: have a stable "
        "regimen (≥ 4 weeks)"
    )
    assert "Investigator; rHTN subpopulation: have a stable regimen (≥ 4 weeks) of ≥ 3" in nested
    for study in studies.values():
        for bullet in [
            *study.front_matter["eligibility"].get("include", []),
            *study.front_matter["eligibility"].get("exclude", []),
        ]:
            assert "\\<" not in bullet and "\\>" not in bullet and "\\[" not in bullet
            assert not re.match(r"^([*\-•]|\d+\.)\s", bullet)


def test_split_criteria_rules() -> None:
    text = (
        "inclusion criteria\n\n"
        "1. Adults \\<65\\_years\n"
        "2. One of:\n\n"
        "   * A \\* star\n"
        "     continued\n"
        "   * B\n"
        "3. Last\n\n"
        "EXCLUSION CRITERIA:\n\n"
        "- Pregnant;\n"
        "- Allergic to \\[drug\\]\n"
    )
    include, exclude = split_criteria(text.replace("\\", ""))  # already unescaped by the caller
    assert include == ["Adults <65_years", "One of: A * star continued; B", "Last"]
    assert exclude == ["Pregnant", "Allergic to [drug]"]


def test_ages_in_months_and_other_ids(studies: dict[str, ImportedStudy]) -> None:
    elig = _fm(studies, "NCT03118986")["eligibility"]
    assert (elig["age_min"], elig["age_max"]) == ("30 months", "18 years")
    assert "People aged 30 months to 18 years can take part." in studies["NCT03118986"].body
    ids = _fm(studies, "NCT05070858")["other_ids"]
    assert ids == {"eu_ct": "2020-003272-41", "sponsor_protocol": "R3918-MG-2018"}
    assert _fm(studies, "NCT04073706")["eligibility"]["sex"] == "female"
    assert "Women aged 18 years and over can take part." in studies["NCT04073706"].body


def test_large_site_list_in_registry_order(studies: dict[str, ImportedStudy]) -> None:
    raw = _raw("NCT06372145")["protocolSection"]["contactsLocationsModule"]["locations"]
    sites = _fm(studies, "NCT06372145")["sites"]
    assert len(sites) == len(raw) == 315
    assert [s["city"] for s in sites] == [loc["city"] for loc in raw]


def test_sites_without_facility_get_a_name(studies: dict[str, ImportedStudy]) -> None:
    sites = _fm(studies, "NCT02210780")["sites"]
    assert len(sites) == 42
    assert sites[0]["name"] == "Study site in Birmingham"


def test_contacts_are_copied_exactly(studies: dict[str, ImportedStudy]) -> None:
    for nct_id, study in studies.items():
        module = _raw(nct_id)["protocolSection"].get("contactsLocationsModule", {})
        central = module.get("centralContacts", [])
        assert len(study.front_matter.get("contacts", [])) == len(central)
        for got, want in zip(study.front_matter.get("contacts", []), central, strict=True):
            assert got.get("name") == want.get("name")
            assert got.get("email") == want.get("email")
            phone = want.get("phone")
            if phone and want.get("phoneExt"):
                phone += " ext. " + want["phoneExt"]
            assert got.get("phone") == phone


# ------------------------------------------------------------------------------------------
# Determinism and purity


def test_output_is_deterministic(tmp_path: Path) -> None:
    first, diags1 = import_paths([DATA], tmp_path / "a")
    second, diags2 = import_paths([DATA], tmp_path / "b")
    assert diags1 == diags2 == []
    assert len(first) == len(second) == 25
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in first) == sorted(p.name for p in (tmp_path / "a").iterdir())


def test_parse_record_is_pure() -> None:
    data = _raw("NCT05097287")
    before = copy.deepcopy(data)
    one, _ = parse_record(data, "x.json")
    two, _ = parse_record(data, "x.json")
    assert data == before
    assert one is not None and two is not None
    assert one.to_markdown() == two.to_markdown()


# ------------------------------------------------------------------------------------------
# Malformed input: exact diagnostics, nothing written


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("<html><body>Service unavailable</body></html>\n", encoding="utf-8")
    study, diags = load_record(path, "tests/data/ctgov/bad.json")
    assert study is None
    assert _formats(diags) == [
        "tests/data/ctgov/bad.json:1:1: error: not valid JSON: Expecting value [IMP001]\n"
        "  hint: expected a ClinicalTrials.gov API v2 study record (.json)"
    ]


def test_truncated_json(tmp_path: Path) -> None:
    text = (DATA / "NCT05948592.json").read_text(encoding="utf-8")
    path = tmp_path / "half.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    study, diags = load_record(path, "half.json")
    assert study is None
    assert _formats(diags) == [
        "half.json:189:20: error: truncated JSON: the file ends inside the string that starts "
        "here [IMP001]\n  hint: download the complete record again"
    ]
    path.write_text(text[: text.index('"hasResults"')], encoding="utf-8")
    _, diags = load_record(path, "cut.json")
    assert [d.code for d in diags] == ["IMP001"]
    assert diags[0].message == (
        "truncated JSON: the file ends too early (Expecting property name enclosed in double "
        "quotes)"
    )


def test_missing_nct_id() -> None:
    data = _raw("NCT05948592")
    del data["protocolSection"]["identificationModule"]["nctId"]
    study, diags = parse_record(data, "tests/data/ctgov/bad.json")
    assert study is None
    assert _formats(diags) == [
        "tests/data/ctgov/bad.json: error: protocolSection.identificationModule.nctId: "
        "missing required field [IMP002]"
    ]


def test_malformed_nct_id() -> None:
    data = _raw("NCT05948592")
    data["protocolSection"]["identificationModule"]["nctId"] = "NCT5948592"
    _, diags = parse_record(data, "bad.json")
    assert _formats(diags) == [
        'bad.json: error: protocolSection.identificationModule.nctId: expected "NCT" and 8 '
        'digits, got "NCT5948592" [IMP003]'
    ]


def test_bad_status_with_suggestion() -> None:
    data = _raw("NCT05948592")
    data["protocolSection"]["statusModule"]["overallStatus"] = "RECRUTING"
    study, diags = parse_record(data, "tests/data/ctgov/bad.json")
    assert study is None
    assert _formats(diags) == [
        "tests/data/ctgov/bad.json: error: protocolSection.statusModule.overallStatus: "
        f'expected one of {STATUS_LIST}, got "RECRUTING" (did you mean "RECRUITING"?) [IMP004]'
    ]


def test_conditions_as_a_string() -> None:
    data = _raw("NCT05948592")
    data["protocolSection"]["conditionsModule"]["conditions"] = "Diabetic Foot Infection"
    study, diags = parse_record(data, "bad.json")
    assert study is None
    assert _formats(diags) == [
        "bad.json: error: protocolSection.conditionsModule.conditions: expected a list, "
        "got a string [IMP003]"
    ]


def test_empty_conditions_and_wrong_types_name_the_json_path() -> None:
    data = _raw("NCT05948592")
    data["protocolSection"]["conditionsModule"]["conditions"] = []
    data["protocolSection"]["identificationModule"]["briefTitle"] = ["not", "a", "string"]
    data["protocolSection"]["contactsLocationsModule"]["locations"][3]["geoPoint"]["lat"] = "x"
    study, diags = parse_record(data, "bad.json")
    assert study is None
    assert sorted(_formats(diags)) == [
        "bad.json: error: protocolSection.conditionsModule.conditions: must list at least one "
        "condition [IMP002]",
        "bad.json: error: protocolSection.contactsLocationsModule.locations[3].geoPoint.lat: "
        "expected a number, got a string [IMP003]",
        "bad.json: error: protocolSection.identificationModule.briefTitle: expected a string, "
        "got a list [IMP003]",
    ]


def test_truncated_summary() -> None:
    data = _raw("NCT05948592")
    module = data["protocolSection"]["descriptionModule"]
    module["briefSummary"] = module["briefSummary"][:120] + "..."
    study, diags = parse_record(data, "bad.json")
    assert study is None
    assert _formats(diags) == [
        'bad.json: error: protocolSection.descriptionModule.briefSummary: text ends in "..." '
        "and looks truncated [IMP005]\n"
        "  hint: import the complete record from ClinicalTrials.gov, not a trimmed copy"
    ]
    module["briefSummary"] = "Fine."
    data["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = "Inclusion: adults…"
    _, diags = parse_record(data, "bad.json")
    assert [d.code for d in diags] == ["IMP005"]
    assert "eligibilityModule.eligibilityCriteria" in diags[0].message


def test_top_level_list(tmp_path: Path) -> None:
    path = _write(tmp_path / "list.json", [_raw("NCT05948592")])
    study, diags = load_record(path, "list.json")
    assert study is None
    assert _formats(diags) == [
        "list.json: error: expected a study record (a JSON object), got a list [IMP003]\n"
        '  hint: a record is an object with "protocolSection"; a search response is '
        '{"studies": [...]}'
    ]


def test_not_a_study_object() -> None:
    _, diags = parse_record({"hello": 1}, "x.json")
    assert _formats(diags) == ["x.json: error: protocolSection: missing required field [IMP002]"]


def test_bad_record_writes_nothing_good_record_is_written(tmp_path: Path) -> None:
    src = tmp_path / "in"
    good = _write(src / "NCT05948592.json", _raw("NCT05948592"))
    bad_data = _raw("NCT02960672")
    bad_data["protocolSection"]["statusModule"]["overallStatus"] = "RECRUTING"
    _write(src / "NCT02960672.json", bad_data)
    (src / "README.md").write_text("not a record", encoding="utf-8")
    out = tmp_path / "site" / "content" / "studies"
    written, diags = import_paths([src], out, root=tmp_path)
    assert [p.name for p in written] == [
        "bacteriophage-therapy-tp-102-in-patients-with-diabetic-foot-nct05948592.md"
    ]
    assert sorted(p.name for p in out.iterdir()) == [written[0].name]  # no temp files left
    assert [(d.path, d.code) for d in diags] == [("in/NCT02960672.json", "IMP004")]
    assert written[0].read_text(encoding="utf-8") == load_record(good, "g")[0].to_markdown()


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    src = _write(tmp_path / "NCT06476470.json", _raw("NCT06476470"))
    out = tmp_path / "content" / "studies"
    written, diags = import_paths([src], out, root=tmp_path)
    assert diags == [] and len(written) == 1
    page = written[0]
    edited = page.read_text(encoding="utf-8").replace("title: Taiwan", "title: Edited Taiwan")
    page.write_text(edited, encoding="utf-8")

    again, diags = import_paths([src], out, root=tmp_path)
    assert again == []
    assert _formats(diags) == [
        "NCT06476470.json: error: content/studies/"
        "taiwan-interstitial-lung-disease-multi-center-investigation-nct06476470.md already "
        "exists (NCT06476470); not overwritten [IMP008]\n"
        "  hint: keep the edited page, or import again with --overwrite to replace it"
    ]
    assert page.read_text(encoding="utf-8") == edited

    replaced, diags = import_paths([src], out, overwrite=True, root=tmp_path)
    assert diags == [] and replaced == [page]
    assert "Edited" not in page.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [page.name]


def test_renamed_page_is_found_by_nct_id(tmp_path: Path) -> None:
    src = _write(tmp_path / "NCT06476470.json", _raw("NCT06476470"))
    out = tmp_path / "studies"
    written, _ = import_paths([src], out)
    renamed = out / "taiwan-lung-registry.md"
    written[0].rename(renamed)
    again, diags = import_paths([src], out)
    assert again == [] and [d.code for d in diags] == ["IMP008"]
    assert "taiwan-lung-registry.md" in diags[0].message
    again, diags = import_paths([src], out, overwrite=True)
    assert diags == [] and again == [renamed]
    assert [p.name for p in out.iterdir()] == ["taiwan-lung-registry.md"]


def test_search_response_wrapper(tmp_path: Path) -> None:
    bad = _raw("NCT00973089")
    bad["protocolSection"]["conditionsModule"]["conditions"] = "Caries"
    wrapper = {"studies": [_raw("NCT05948592"), bad, _raw("NCT06476470")], "nextPageToken": "x"}
    path = _write(tmp_path / "search.json", wrapper)
    written, diags = import_paths([path], tmp_path / "out", root=tmp_path)
    assert sorted(p.name for p in written) == [
        "bacteriophage-therapy-tp-102-in-patients-with-diabetic-foot-nct05948592.md",
        "taiwan-interstitial-lung-disease-multi-center-investigation-nct06476470.md",
    ]
    assert _formats(diags) == [
        "search.json: error: studies[1].protocolSection.conditionsModule.conditions: "
        "expected a list, got a string [IMP003]"
    ]
    found, _ = parse_studies(wrapper, "search.json")
    assert [s.nct_id for s in found] == ["NCT05948592", "NCT06476470"]
    one, diags = parse_record({"studies": [_raw("NCT05948592")]}, "one.json")
    assert one is not None and one.nct_id == "NCT05948592" and diags == []
    none, diags = parse_record(wrapper, "search.json")
    assert none is None and diags[-1].message == "studies: expected exactly one study, got 3"


def test_same_study_twice_in_one_import(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.json", _raw("NCT05948592"))
    b = _write(tmp_path / "b.json", _raw("NCT05948592"))
    written, diags = import_paths([a, b], tmp_path / "out", overwrite=True, root=tmp_path)
    assert len(written) == 1
    assert _formats(diags) == [
        "b.json: error: NCT05948592 was already imported from a.json; this copy is skipped [IMP009]"
    ]


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    written, diags = import_paths(
        [tmp_path / "nope.json", tmp_path / "empty"], tmp_path / "out", root=tmp_path
    )
    assert written == []
    assert _formats(diags) == [
        "nope.json: error: no such file or folder [IMP010]",
        "empty: warning: no .json files in this folder [IMP007]",
    ]
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------
# Untrusted text


def test_script_in_summary_is_removed() -> None:
    data = _raw("NCT05948592")
    data["protocolSection"]["descriptionModule"]["briefSummary"] = (
        "Hello <script>alert('x')</script>world. <img src=x onerror=alert(1)>Second "
        "sentence with \\<5 mg.\n\n# Not a heading\n\n> not a quote\n\n1. not a list\n\n"
        "<b>bold</b> and [a link](javascript:alert(1)) and &lt;script&gt;"
    )
    study, diags = parse_record(data, "x.json")
    assert study is not None
    assert [(d.severity, d.code) for d in diags] == [(Severity.WARNING, "IMP006")]
    body = study.body
    assert "<script" not in body and "<img" not in body and "<b>" not in body
    assert "alert('x')" not in body
    assert study.front_matter["summary"] == "Hello world. Second sentence with <5 mg."
    assert "Hello world. Second sentence with &lt;5 mg." in body
    assert "\n\\# Not a heading\n" in body
    assert "\n\\> not a quote\n" in body
    assert "\n- not a list\n" in body  # a registry list item becomes our own list item
    assert "\\[a link\\](javascript:alert(1))" in body
    assert "&amp;lt;script&amp;gt;" in body
    markdown = pytest.importorskip("markdown")
    rendered = markdown.markdown(body)
    about = rendered.split("<h2>Who can take part?</h2>")[0]
    assert "<script" not in rendered and "<a " not in about and "<h1" not in rendered
    assert "<blockquote" not in rendered and "<ol" not in rendered
    assert "&amp;lt;script&amp;gt;" in rendered  # displays the registry's literal "&lt;"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# x", "\\# x"),
        ("> x", "\\> x"),
        ("- x", "\\- x"),
        ("+ x", "\\+ x"),
        ("* x", "\\* x"),
        ("12. x", "12\\. x"),
        ("2.5 mg", "2.5 mg"),
        ("-5 degrees", "-5 degrees"),
        ("---", "\\---"),
        ("<b>x</b>", "&lt;b>x&lt;/b>"),
        ("a_b and _c_", "a_b and \\_c\\_"),
        ("`code` [x]", "\\`code\\` \\[x\\]"),
        ("a {: onclick=x}", "a \\{: onclick=x\\}"),
        ("C:\\path\\*", "C:\\path\\\\\\*"),
        ("~~~", "&#126;~~"),
        ("AT&T &amp;", "AT&T &amp;amp;"),
    ],
)
def test_md_escape(text: str, expected: str) -> None:
    assert md_escape(text) == expected


def test_html_in_short_fields_is_removed_with_a_warning() -> None:
    data = _raw("NCT05948592")
    data["protocolSection"]["identificationModule"]["briefTitle"] = "TP-102 <i>study</i>"
    data["protocolSection"]["conditionsModule"]["conditions"] = ["<b>Foot</b> infection"]
    study, diags = parse_record(data, "x.json")
    assert study is not None
    assert study.front_matter["title"] == "TP-102 study"
    assert study.front_matter["conditions"] == ["Foot infection"]
    assert {d.code for d in diags} == {"IMP006"}
    assert all(d.severity is Severity.WARNING for d in diags)


def test_age_in_hours_is_left_out_with_a_warning() -> None:
    data = _raw("NCT05948592")
    data["protocolSection"]["eligibilityModule"]["maximumAge"] = "72 Hours"
    study, diags = parse_record(data, "x.json")
    assert study is not None and "age_max" not in study.front_matter["eligibility"]
    assert [d.code for d in diags] == ["IMP007"]
    assert diags[0].severity is Severity.WARNING
