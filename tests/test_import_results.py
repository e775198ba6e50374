"""``import ctgov`` on records with a ``resultsSection``: a draft results page with the ten
Annex V sections whose table numbers are the record's, and malformed results refused by
JSON path with nothing written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sitegen.cli import main
from sitegen.content.results import ELEMENTS

REPO = Path(__file__).parent.parent
RECORDS = REPO / "tests" / "data" / "ctgov"
WITH_RESULTS = sorted(
    p for p in RECORDS.glob("*.json") if "resultsSection" in json.loads(p.read_text())
)

_SOURCE = re.compile(r"^<!-- numbers from the registry record: (\S+) -->$")


def tables(markdown: str) -> dict[str, list[list[str]]]:
    """JSON path -> the rows (header first) of the table just above its source comment."""
    lines = markdown.split("\n")
    out: dict[str, list[list[str]]] = {}
    for i, line in enumerate(lines):
        m = _SOURCE.match(line)
        if not m:
            continue
        j = i - 1
        while j >= 0 and not lines[j].startswith("|"):
            j -= 1
        rows = []
        while j >= 0 and lines[j].startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", lines[j])[1:-1]])
            j -= 1
        rows.reverse()
        out[m.group(1)] = [r for r in rows if not set("".join(r)) <= set("-")]
    return out


def at(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for name, index in re.findall(r"\.?([A-Za-z]+)|\[(\d+)\]", path):
        value = value[name] if name else value[int(index)]
    return value


def unescape(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell).replace("&lt;", "<").replace("&amp;", "&")


def import_into(site: Path, *records: Path) -> tuple[int, str, str]:
    site.mkdir(parents=True, exist_ok=True)
    (site / "site.yml").write_text("title: Results import test\n")
    (site / "content" / "pages").mkdir(parents=True, exist_ok=True)
    code = main(["import", "ctgov", *map(str, records), "--root", str(site)])
    return code, "", ""


def test_there_are_records_with_results() -> None:
    assert len(WITH_RESULTS) >= 2


@pytest.mark.parametrize("record_path", WITH_RESULTS, ids=lambda p: p.stem)
def test_results_draft_builds_with_the_records_numbers(
    record_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = json.loads(record_path.read_text())
    site = tmp_path / "site"
    code, _, _ = import_into(site, record_path)
    out = capsys.readouterr()
    assert code == 0, out.err
    drafts = list((site / "content" / "results").glob("*.md"))
    assert len(drafts) == 1
    text = drafts[0].read_text()
    assert "draft: true" in text
    assert f"nct_id: {record_path.stem}" in text

    # every Annex V element is named as a section
    h2 = re.findall(r"^## (.+)$", text, re.M)
    assert h2 == [en for _, _, en, _ in ELEMENTS]

    # it builds (a draft: checked, not published) with no error and no missing section
    assert main(["build", "--root", str(site)]) == 0
    err = capsys.readouterr().err
    assert [x for x in err.splitlines() if ": error: " in x] == []
    assert "[RES001]" not in err and "[RES004]" not in err

    # the numbers: each table is checked against the part of the record it names
    found = tables(text)
    results = record["resultsSection"]
    flow = results["participantFlowModule"]
    titles = {g["id"]: g["title"] for g in flow["groups"]}
    for p, period in enumerate(flow["periods"]):
        rows = found[f"resultsSection.participantFlowModule.periods[{p}]"]
        header, body = [unescape(c) for c in rows[0]], rows[1:]
        for m, milestone in enumerate(period["milestones"]):
            for ach in milestone["achievements"]:
                col = header.index(titles[ach["groupId"]])
                assert body[m][col] == str(int(ach["numSubjects"]))
    ae = results["adverseEventsModule"]
    groups = {g["id"]: g for g in ae["eventGroups"]}
    rows = found["resultsSection.adverseEventsModule.eventGroups"]
    header = [unescape(c) for c in rows[0]]
    serious = next(r for r in rows if r[0].startswith("Had at least one serious"))
    for g in groups.values():
        cell = serious[header.index(g["title"])]
        assert cell == f"{g['seriousNumAffected']} out of {g['seriousNumAtRisk']}"
    checked_events = 0
    for key in ("seriousEvents", "otherEvents"):
        if not ae.get(key):
            continue
        rows = found[f"resultsSection.adverseEventsModule.{key}"]
        header = [unescape(c) for c in rows[0]]
        for e, event in enumerate(ae[key]):
            assert unescape(rows[e + 1][0]) == event["term"]
            for stat in event["stats"]:
                cell = rows[e + 1][header.index(groups[stat["groupId"]]["title"])]
                assert cell == f"{stat['numAffected']} out of {stat['numAtRisk']}"
                checked_events += 1
    primary = [
        (i, o)
        for i, o in enumerate(results["outcomeMeasuresModule"]["outcomeMeasures"])
        if o["type"] == "PRIMARY"
    ]
    assert primary
    for i, outcome in primary:
        rows = found[f"resultsSection.outcomeMeasuresModule.outcomeMeasures[{i}]"]
        header = [unescape(c) for c in rows[0]]
        otitles = {g["id"]: g["title"] for g in outcome["groups"]}
        values = [
            (m["groupId"], str(m["value"]))
            for c in outcome["classes"]
            for cat in c["categories"]
            for m in cat["measurements"]
        ]
        cells = [unescape(c) for r in rows[1:] for c in r]
        assert values
        for gid, value in values:
            col = header.index(otitles[gid])
            assert any(r[col].startswith(value) for r in rows[1:]), (value, cells)

    # nothing invented: every number in a table is a number of the record
    record_numbers = set(re.findall(r"\d+(?:\.\d+)?", json.dumps(record)))
    for path, rows in found.items():
        for row in rows:
            for cell in row:
                for n in re.findall(r"\d+(?:\.\d+)?", unescape(cell)):
                    assert n in record_numbers, (path, cell)


def test_malformed_results_are_refused_by_json_path_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = json.loads(WITH_RESULTS[-1].read_text())
    flow = record["resultsSection"]["participantFlowModule"]
    flow["periods"][0]["milestones"][1]["achievements"][0]["numSubjects"] = "ninety"
    record["resultsSection"]["adverseEventsModule"]["eventGroups"][0]["id"] = "EG900"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record))
    site = tmp_path / "site"
    code, _, _ = import_into(site, bad)
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "error: resultsSection.participantFlowModule.periods[0].milestones[1]"
        ".achievements[0].numSubjects: expected a whole number of people, got 'ninety' [IMP003]"
    ) in err
    assert re.search(
        r"error: resultsSection\.adverseEventsModule\.(?:seriousEvents|otherEvents)\[0\]"
        r'\.stats\[0\]\.groupId: "EG000" is not one of the groups \(EG900, EG001\) \[IMP011\]',
        err,
    )
    assert not (site / "content" / "studies").exists()
    assert not (site / "content" / "results").exists()


def test_results_section_must_be_an_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = json.loads(WITH_RESULTS[0].read_text())
    record["resultsSection"] = ["not", "an", "object"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record))
    site = tmp_path / "site"
    code, _, _ = import_into(site, bad)
    err = capsys.readouterr().err
    assert code == 1
    assert "bad.json: error: resultsSection: expected an object with the results modules" in err
    assert list((site / "content").rglob("*.md")) == []


def test_existing_results_page_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    import_into(site, WITH_RESULTS[0])
    page = next((site / "content" / "results").glob("*.md"))
    page.write_text(page.read_text().replace("What this study found", "Edited by the writer"))
    (next((site / "content" / "studies").glob("*.md"))).unlink()
    capsys.readouterr()
    code, _, _ = import_into(site, WITH_RESULTS[0])
    err = capsys.readouterr().err
    assert code == 1
    assert "results); not overwritten [IMP008]" in err
    assert "Edited by the writer" in page.read_text()


def test_every_shared_record_with_results_is_in_the_test_data() -> None:
    shared = REPO.parent / "shared" / "data" / "ctgov"
    if not shared.is_dir():
        pytest.skip("the shared data set is not on this machine")
    names = {p.name for p in shared.glob("*.json") if "resultsSection" in json.loads(p.read_text())}
    assert names <= {p.name for p in WITH_RESULTS}
