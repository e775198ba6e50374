"""Completeness (CP001): a study page answers what a patient asks, recognised by its headings
in English and Spanish or by the front-matter data the page shows; configurable in site.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_site import run, write_site

from sitegen.build.pipeline import check_page, load_page
from sitegen.content.config import load_config

STUDY = """\
---
title: "A walking plan for knee pain"
summary: "We want to find out if a daily walk can help people with sore knees."
status: {status}
conditions: ["Knee pain"]
{extra}---

{body}
"""

EN = {
    "about": "## What is this study about?\n\nA short walk each day may help sore knees.\n",
    "eligibility": "## Who can take part?\n\nYou can join if you are 40 or older.\n",
    "procedures": "## What will happen if I take part?\n\nYou walk for twenty minutes a day.\n",
    "risks": "## What are the possible benefits and risks?\n\nYour knees may hurt less.\n",
    "contact": "## How do I find out more or join?\n\nCall the study team.\n",
}
ES = {
    "about": "## ¿De qué trata este estudio?\n\nUn paseo corto cada día puede ayudar.\n",
    "eligibility": "## ¿Quién puede participar?\n\nPuede participar si tiene 40 años o más.\n",
    "procedures": "## ¿Qué pasará si participo?\n\nUsted camina veinte minutos al día.\n",
    "risks": "## ¿Cuáles son los posibles beneficios y riesgos?\n\nPuede doler menos.\n",
    "contact": "## ¿Cómo puedo saber más o participar?\n\nLlame al equipo del estudio.\n",
}


def _missing(tmp_path: Path, body: str, *, status: str = "recruiting", extra: str = "",
             site_yml: str = "") -> list[str]:  # fmt: skip
    files = {"content/studies/knee.md": STUDY.format(status=status, extra=extra, body=body)}
    if site_yml:
        files["site.yml"] = "title: Test\n" + site_yml
    root = write_site(tmp_path / "site", files)
    config, diags = load_config(root)
    assert config is not None, diags
    rel = "content/studies/knee.md"
    page, diags = load_page(rel, "study", root / rel, config)
    assert page is not None, diags
    check = check_page(page, config, root)
    return [f.key for f in check.findings if f.code == "CP001"]


@pytest.mark.parametrize("sections", [EN, ES])
@pytest.mark.parametrize("left_out", list(EN))
def test_each_missing_section_is_an_error_in_both_languages(
    tmp_path: Path, sections: dict[str, str], left_out: str
) -> None:
    body = "\n".join(text for name, text in sections.items() if name != left_out)
    extra = "lang: es\n" if sections is ES else ""
    assert _missing(tmp_path, body, extra=extra) == [left_out]


def test_a_complete_page_has_no_finding(tmp_path: Path) -> None:
    assert _missing(tmp_path, "\n".join(EN.values())) == []


def test_front_matter_answers_and_closed_studies_need_less(tmp_path: Path) -> None:
    body = EN["about"] + EN["risks"]
    assert _missing(tmp_path, body) == ["eligibility", "procedures", "contact"]
    facts = (
        'eligibility:\n  include: ["You are 40 or older."]\n'
        'participation:\n  procedures: ["A walk every day"]\n'
        'contacts:\n  - {name: "Study team", phone: "+44 20 7946 0000"}\n'
    )
    assert _missing(tmp_path, body, extra=facts) == []
    # a completed study: who can take part and how to join no longer apply
    assert _missing(tmp_path, body, status="completed") == ["procedures"]


def test_message_names_the_question_and_hints_the_heading(tmp_path: Path) -> None:
    body = "\n".join(t for n, t in EN.items() if n != "risks")
    root = write_site(tmp_path / "site", {
        "content/studies/knee.md": STUDY.format(status="recruiting", extra="", body=body)
    })  # fmt: skip
    r = run("check", cwd=root)
    assert r.returncode == 1
    line = next(x for x in r.stdout.splitlines() if "[CP001]" in x)
    assert line.startswith("content/studies/knee.md: error: missing section: ")
    assert '"What are the possible benefits and risks?"' in line
    assert 'hint: add a section "## What are the possible benefits and risks?"' in r.stdout


def test_site_yml_sets_topics_and_words(tmp_path: Path) -> None:
    body = "\n".join(EN.values()).replace("What are the possible benefits and risks?", "Safety")
    # "safety" is one of the built-in words for risks; a site that removes it sees the gap
    assert _missing(tmp_path, body) == []
    yml = "completeness:\n  topics:\n    - name: risks\n      en: [risk, benefit]\n"
    assert _missing(tmp_path, body, site_yml=yml) == ["risks"]
    # a new topic, required on study pages
    yml = (
        "completeness:\n  study: [about, costs]\n  topics:\n    - name: costs\n"
        '      question: {en: "Will it cost me anything?"}\n      en: [cost, pay]\n'
    )
    assert _missing(tmp_path, body, site_yml=yml) == ["costs"]
    # and none at all
    assert (
        _missing(tmp_path, "## Hello there\n\nText.\n", site_yml="completeness:\n  study: []\n")
        == []
    )


def test_unknown_topic_in_site_yml_is_a_clear_error(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"site.yml": "completeness:\n  study: [about, riskz]\n"})
    r = run("check", cwd=root)
    assert r.returncode == 1
    assert (
        'site.yml:2:18: error: completeness.study: unknown topic "riskz" (did you mean "risks"?)'
        " [CFG040]" in r.stderr + r.stdout
    )
