"""The ClinicalTrials.gov importer writes what the content model accepts: every draft it
writes validates the way a build validates it, over-long registry values are cut or left out
at the model's own limits, and a draft that would not validate is an error naming the record
file and the field, with nothing written."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from sitegen.content.frontmatter import parse
from sitegen.content.model import ResultMeta, Site, StudyMeta, parse_meta
from sitegen.importers.ctgov import import_paths
from sitegen.importers.ctgov import results_page as results_page_module

DATA = Path(__file__).resolve().parent / "data" / "ctgov"
RECORDS = sorted(DATA.glob("NCT*.json"))
NCT = "NCT05948592"


def model_limit(cls: type, name: str) -> int:
    """The ``max_len`` the content model declares for a field, read here independently."""
    (f,) = [f for f in dataclasses.fields(cls) if f.name == name]
    return int(f.metadata["max_len"])


def record(nct: str = NCT) -> dict[str, Any]:
    return json.loads((DATA / f"{nct}.json").read_text(encoding="utf-8"))


def with_results() -> Path:
    return next(p for p in RECORDS if "resultsSection" in json.loads(p.read_text()))


def run(tmp_path: Path, data: dict[str, Any]) -> tuple[list[Path], list[str]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    src = tmp_path / "record.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    written, diags = import_paths(
        [src],
        tmp_path / "content" / "studies",
        root=tmp_path,
        results_dir=tmp_path / "content" / "results",
    )
    return written, [d.format() for d in diags]


def validate(page: Path) -> list[str]:
    """The errors a build reports for the page's front matter."""
    cls = ResultMeta if page.parent.name == "results" else StudyMeta
    text = page.read_text(encoding="utf-8")
    fm, diags = parse(text, page.name)
    assert fm is not None, [d.format() for d in diags]
    meta, more = parse_meta(fm, page.name, cls)
    assert meta is not None or more
    return [d.format() for d in [*diags, *more] if d.is_error]


def test_every_record_imports_into_drafts_that_validate(tmp_path: Path) -> None:
    written, diags = import_paths(
        [DATA],
        tmp_path / "content" / "studies",
        root=tmp_path,
        results_dir=tmp_path / "content" / "results",
    )
    assert [d.format() for d in diags if d.is_error] == []
    studies = [p for p in written if p.parent.name == "studies"]
    results = [p for p in written if p.parent.name == "results"]
    assert len(studies) == len(RECORDS) == 25
    assert results, "some records have results"
    for page in written:
        assert validate(page) == [], page.name


def test_an_over_long_title_is_cut_to_the_models_limit(tmp_path: Path) -> None:
    data = record()
    title_limit = model_limit(StudyMeta, "title")
    words = "Effect of a daily walking programme on breathing in adults with long-term lung disease"
    data["protocolSection"]["identificationModule"]["briefTitle"] = f"{words} {words} {words}"
    written, diags = run(tmp_path, data)
    assert len(written) == 1, diags
    fm, _ = parse(written[0].read_text(encoding="utf-8"), "page.md")
    assert fm is not None
    title = fm.data["title"]
    assert len(title) <= title_limit
    assert len(title) > title_limit - 15  # cut at a word near the limit, not far below it
    assert (words + " " + words).startswith(title)
    assert validate(written[0]) == []


def test_a_site_name_at_the_models_limit_is_kept_and_one_longer_is_left_out(
    tmp_path: Path,
) -> None:
    most = model_limit(Site, "name")
    for length, kept in ((most, True), (most + 1, False)):
        data = record()
        name = ("Hospital " * 40)[: length - 1] + "X"
        assert len(name) == length
        loc = data["protocolSection"]["contactsLocationsModule"]["locations"][0]
        loc["facility"] = name
        folder = tmp_path / str(length)
        written, diags = run(folder, data)
        assert len(written) == 1, diags
        fm, _ = parse(written[0].read_text(encoding="utf-8"), "page.md")
        assert fm is not None
        names = [site["name"] for site in fm.data["sites"]]
        assert (name in names) is kept
        left_out = [d for d in diags if "[IMP007]" in d and "locations[0].facility" in d]
        if kept:
            assert left_out == []
        else:
            assert left_out == [
                "record.json: warning: protocolSection.contactsLocationsModule.locations[0]."
                f"facility: {length} characters, more than the content model's {most}; "
                "left out [IMP007]"
            ]
        assert validate(written[0]) == []


def test_the_results_title_is_cut_to_the_models_limit(tmp_path: Path) -> None:
    data = json.loads(with_results().read_text())
    words = "Insulin compared with a tablet for diabetes in people with cystic fibrosis"
    data["protocolSection"]["identificationModule"]["briefTitle"] = f"{words} {words}"
    written, diags = run(tmp_path, data)
    results = [p for p in written if p.parent.name == "results"]
    assert len(results) == 1, diags
    fm, _ = parse(results[0].read_text(encoding="utf-8"), "results.md")
    assert fm is not None
    assert fm.data["title"].startswith("Results: ")
    assert len(fm.data["title"]) <= model_limit(ResultMeta, "title")
    assert validate(results[0]) == []


def test_a_study_page_that_would_not_validate_names_the_record_and_field(
    tmp_path: Path,
) -> None:
    data = json.loads(with_results().read_text())
    too_long = model_limit(StudyMeta, "conditions") + 50
    condition = ("Asthma " * (too_long // 7)).strip()
    data["protocolSection"]["conditionsModule"]["conditions"] = [condition]
    written, diags = run(tmp_path, data)
    assert written == []
    assert not (tmp_path / "content" / "studies").exists() or not any(
        (tmp_path / "content" / "studies").iterdir()
    )
    assert not (tmp_path / "content" / "results").exists()
    refused = [d for d in diags if "[IMP013]" in d]
    assert len(refused) == 1, diags
    assert refused[0].startswith("record.json: error: ")
    assert f"conditions.0: {len(condition)} characters" in refused[0]
    assert f"the limit is {model_limit(StudyMeta, 'conditions')}" in refused[0]


def test_a_results_page_that_would_not_validate_writes_neither_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = results_page_module.results_front

    def too_long_title(study_front: dict[str, Any], study_file: str) -> dict[str, Any]:
        front = made(study_front, study_file)
        return {**front, "title": "R" * (model_limit(ResultMeta, "title") + 1)}

    monkeypatch.setattr(results_page_module, "results_front", too_long_title)
    written, diags = run(tmp_path, json.loads(with_results().read_text()))
    assert written == []
    assert not list(tmp_path.glob("content/**/*.md"))
    refused = [d for d in diags if "[IMP013]" in d]
    assert len(refused) == 1, diags
    assert refused[0].startswith("record.json: error: ")
    assert "the results page made from this record would not build" in refused[0]
    assert "title: " in refused[0]
