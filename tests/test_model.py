"""The content model: one field table, exact diagnostics for every kind of mistake."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from sitegen.content import frontmatter, model

BASE = """---
title: A walking study
summary: We want to learn if walking helps.
status: recruiting
conditions: [Knee pain]
{extra}---
Body
"""


def parse(extra: str) -> tuple[object, list[str]]:
    fm, diags = frontmatter.parse(BASE.format(extra=extra), "s.md")
    assert fm is not None, diags
    meta, diags = model.parse_meta(fm, "s.md")
    return meta, [d.format().split("\n")[0] for d in diags]


def test_minimal_study_is_valid() -> None:
    meta, diags = parse("")
    assert diags == []
    assert isinstance(meta, model.StudyMeta)
    assert meta.conditions == ("Knee pain",)
    assert meta.study_type == "interventional"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "phase: phase9\n",
            's.md:6:8: error: phase.0: "phase9" is not one of early_phase1, phase1,'
            ' phase2, phase3, phase4, na (did you mean "phase4"?) [FM012]',
        ),
        (
            "nct_id: NCT123\n",
            's.md:6:9: error: nct_id: "NCT123" is not valid: expected NCT followed'
            " by 8 digits, e.g. NCT01234567 [FM016]",
        ),
        (
            "updated: 2026-02-30\n",
            's.md:6:10: error: updated: "2026-02-30" is not a real date [FM014]',
        ),
        (
            "updated: 26/02/2026\n",
            's.md:6:10: error: updated: "26/02/2026" is not a date: expected YYYY-MM-DD [FM014]',
        ),
        ("draft: yes\n", "s.md:6:8: error: draft: expected true or false, got text [FM011]"),
        (
            "eligibility:\n  age_min: twelve\n",
            "s.md:7:12: error: eligibility.age_min: expected an"
            ' age like "18 years" or "6 months", got "twelve" [FM012]',
        ),
        (
            "sites:\n  - name: A\n    lat: 120\n",
            "s.md:8:10: error: sites.0.lat: 120.0 is outside the range -90 to 90 [FM012]",
        ),
        (
            "sites:\n  - city: Leeds\n",
            's.md:7:5: error: missing required field "sites.0.name" [FM010]',
        ),
        (
            "slug: ../../etc\n",
            's.md:6:7: error: slug: "../../etc" is not valid: expected lower-case'
            " letters, digits and '-' (e.g. asthma-inhaler-study) [FM016]",
        ),
        (
            "titel: x\n",
            's.md:6:1: warning: unknown field "titel" (did you mean "title"?); it is'
            " ignored [FM015]",
        ),
        (
            "eligibility: {incldue: [a]}\n",
            "s.md:6:15: warning: unknown field"
            ' "eligibility.incldue" (did you mean "include"?); it is ignored [FM015]',
        ),
    ],
)
def test_field_errors(extra: str, expected: str) -> None:
    _, diags = parse(extra)
    assert diags == [expected]


def test_every_problem_reported_in_one_pass() -> None:
    text = "---\ntitle: [a, b]\nstatus: recruting\nconditions: Asthma\n---\n"
    fm, _ = frontmatter.parse(text, "s.md")
    assert fm is not None
    meta, diags = model.parse_meta(fm, "s.md")
    assert meta is None
    assert [d.format().split("\n")[0] for d in diags] == [
        "s.md:2:8: error: title: expected text, got a list [FM011]",
        's.md:2:1: error: missing required field "summary" [FM010]',
        's.md:3:9: error: status: "recruting" is not one of not_yet_recruiting, recruiting,'
        " enrolling_by_invitation, active_not_recruiting, suspended, terminated, completed,"
        ' withdrawn, unknown (did you mean "recruiting"?) [FM012]',
        "s.md:4:13: error: conditions: expected a list, got text [FM011]",
    ]


def test_shorthands() -> None:
    meta, diags = parse("phase: phase2\nsponsor: Acme Health\neligibility: {age_min: 18}\n")
    assert diags == []
    assert meta.phase == ("phase2",)
    assert meta.sponsor == model.Sponsor("Acme Health")
    assert meta.eligibility.age_min == model.Age(18, "years")


def _documented_fields() -> set[str]:
    doc = (Path(__file__).parent.parent / "docs" / "content-model.md").read_text()
    return set(re.findall(r"^\| `([a-z_]+)`", doc, re.M)) | set(re.findall(r"`([a-z_]+)`", doc))


@pytest.mark.parametrize(
    "cls", [model.StudyMeta, model.PageMeta, model.Eligibility, model.ResultMeta, model.IconArray]
)
def test_every_field_is_documented(cls: type) -> None:
    documented = _documented_fields()
    missing = [model.yaml_name(f) for f in dataclasses.fields(cls)]
    missing = [name for name in missing if name not in documented]
    assert missing == []
