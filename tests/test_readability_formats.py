"""Diagnostics, JSON and SARIF output, and the code documentation."""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.core.codes import READABILITY
from sitegen.core.diagnostics import Diagnostic, Severity
from sitegen.readability import (
    GateSettings,
    ProseField,
    Signoff,
    Waiver,
    check_document,
    make_glossary,
    text_hash,
    to_sarif,
)
from sitegen.readability.formats import page_diagnostics, page_json
from sitegen.readability.jargon import read_entries

FIXTURES = Path(__file__).parent / "fixtures" / "readability"
EN = make_glossary(read_entries(FIXTURES / "jargon.en.yml", "en")[0])
PATH = "content/studies/asthma.md"

FRONT = '---\ntitle: "Testing a randomized inhaler study"\nsummary: A study of an inhaler.\n---\n'
BODY = (
    "## What is this study about?\n"
    "\n"
    "Participants with moderate to severe persistent asthma who demonstrated inadequate "
    "symptomatic control despite maintenance pharmacotherapy were randomized to receive "
    "investigational inhalation treatment. Randomised participants received the "
    "investigational formulation twice daily, and randomization was stratified according to "
    "baseline exacerbation frequency and concomitant corticosteroid utilization.\n"
)
FIELDS = [
    ProseField("title", "Testing a randomized inhaler study", 2, 9),
    ProseField("summary", "A study of an inhaler.", 3, 10),
]


def page(**kw: object):
    return check_document(PATH, BODY, 5, FIELDS, glossary=EN, **kw)


def test_diagnostics_are_linter_lines() -> None:
    c = page()
    lines = [d.format() for d in page_diagnostics(c) if d.severity is not Severity.NOTE]
    assert lines == [
        'content/studies/asthma.md:2:19: error: jargon "randomized": say "chosen by chance" '
        "(+3 more) [JG001]",
        'content/studies/asthma.md:5:4: warning: section "What is this study about?": grade '
        f"{c.sections[0].grade:g} (limit 10) [RD004]",
        "content/studies/asthma.md:7:1: warning: sentence of 22 words; aim for 20 or fewer [RD002]",
        "content/studies/asthma.md:7:205: warning: sentence of 21 words; aim for 20 or fewer "
        "[RD002]",
        f"content/studies/asthma.md: warning: clear-communication score {c.clarity.score} (at "
        f"least 70): failed {', '.join(c.clarity.failed)} [CC000]",
        f"content/studies/asthma.md: error: grade {c.grade:g} (target 8, limit 10): blocked: "
        f"reading grade {c.grade:g}, limit 10; 4 words to replace [RD001]",
    ]
    assert c.verdict == "block" and c.grade > 10
    assert c.clarity is not None and c.clarity.score is not None and c.clarity.score < 70
    diags = page_diagnostics(c)
    assert all(isinstance(d, Diagnostic) for d in diags)
    assert {d.path for d in diags} == {PATH}


def test_diagnostic_hint_carries_the_definition_of_an_explain_term() -> None:
    c = check_document(
        PATH, "Text.\n", 7, [ProseField("summary", "You may get a placebo.", 3, 10)], glossary=EN
    )
    [d] = [d for d in page_diagnostics(c) if d.code == "JG002"]
    assert d.format() == (
        'content/studies/asthma.md:3:24: warning: "placebo" needs a short explanation where it '
        "is first used [JG002]\n"
        "  hint: A dummy treatment that looks the same but has no medicine in it."
    )


def test_finding_text_is_the_exact_source_slice() -> None:
    lines = (FRONT + BODY).split("\n")
    for f in page().findings:
        if f.line:
            assert lines[f.line - 1][f.column - 1 : f.column - 1 + len(f.text)] == f.text
            assert (f.end_line, f.end_column) == (f.line, f.column + len(f.text))


def test_json_shape() -> None:
    doc = page_json(page())
    assert list(doc)[:6] == ["source", "verdict", "grade", "scores", "stats", "findings"]
    assert doc["source"] == PATH and doc["verdict"] == "block"
    assert set(doc["scores"]) == {
        "flesch_kincaid_grade",
        "smog_index",
        "gunning_fog",
        "coleman_liau_index",
        "dale_chall",
        "flesch_reading_ease",
    }
    assert {"words", "sentences", "jargon_terms", "jargon_per_100_words"} <= set(doc["stats"])
    assert doc["stats"]["jargon_terms"] == 4
    for f in doc["findings"]:
        assert list(f)[:8] == ["rule", "code", "severity", "line", "column", "text", "message",
                               "suggestion"]  # fmt: skip
    first = doc["findings"][0]
    assert (first["rule"], first["code"], first["text"], first["suggestion"]) == (
        "jargon", "JG001", "randomized", "chosen by chance"
    )  # fmt: skip
    assert first["field"] == "title"
    assert doc["findings"][-1]["code"] == "RD001" and doc["findings"][-1]["line"] == 0
    json.dumps(doc)  # serialisable as is


def test_sarif_shape() -> None:
    s = to_sarif([page()])
    assert s["version"] == "2.1.0" and "sarif" in s["$schema"]
    [run] = s["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(READABILITY)
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    results = run["results"]
    located = [r for r in results if r["ruleId"] != "RD001"]
    r0 = located[0]
    assert r0["ruleId"] == "JG001" and r0["level"] == "error"
    assert rules[r0["ruleIndex"]]["id"] == "JG001"
    loc = r0["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == PATH
    assert loc["region"] == {"startLine": 2, "startColumn": 19, "endLine": 2, "endColumn": 29,
                             "snippet": {"text": "randomized"}}  # fmt: skip
    [verdict] = [r for r in results if r["ruleId"] == "RD001"]
    assert "region" not in verdict["locations"][0]["physicalLocation"]
    json.dumps(s)


def test_sarif_marks_waived_findings_as_suppressed() -> None:
    digest = text_hash(BODY, FIELDS)
    s = Signoff("Dr Lee", "2025-01-10", digest, (Waiver("JG001", "", "agreed"),))
    results = to_sarif([page(signoff=s)])["runs"][0]["results"]
    waived = [r for r in results if r["ruleId"] == "JG001"]
    assert waived and all(r["suppressions"][0]["justification"] == "agreed" for r in waived)


def test_grouping_keeps_separate_terms_apart() -> None:
    body = "Your tumour and the tumors. Anaemia. The tumor.\n"
    c = check_document(PATH, body, 1, [], glossary=EN, settings=GateSettings())
    lines = [d.format() for d in page_diagnostics(c) if d.code == "JG001"]
    assert lines == [
        'content/studies/asthma.md:1:6: error: jargon "tumour": say "lump" (+2 more) [JG001]',
        'content/studies/asthma.md:1:29: error: jargon "Anaemia": say "low red blood cells" '
        "[JG001]",
    ]
