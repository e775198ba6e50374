"""The clear-communication score (CC000-CC015): one rule per computable CDC Clear
Communication Index / PEMAT-P item, the score in every output, the example site >= 90."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from small_site import REPO, run, write_site

from sitegen.build.pipeline import check_page, load_page
from sitegen.content.config import load_config
from sitegen.readability import GateSettings, ProseField, check_document
from sitegen.readability.clarity import ITEMS
from sitegen.readability.model import Required

TITLE = ProseField("title", "A walking plan for knee pain", 2, 8)
SUMMARY = ProseField("summary", "We want to find out if a daily walk changes sore knees.", 3, 10)
GOOD = """\
## What is this study about?

We want to find out if a daily walk helps sore knees. You walk for twenty minutes each day.

## What will happen if I take part?

You come to the clinic three times. We ask you about your knees each time.

## What are the possible benefits and risks?

Your knees may hurt less. Walking may make them sore for a few days at first.

## How do I find out more or join?

Call the study team to ask questions. You can stop at any time.
"""
RISKS = GateSettings(required=(Required("risks", "What are the risks?", ("risk",)),))


def _items(body: str, lang: str = "en", fields: tuple[ProseField, ...] = (TITLE, SUMMARY),
           settings: GateSettings = RISKS) -> dict[str, bool | None]:  # fmt: skip
    check = check_document("p.md", body, 1, list(fields), lang=lang, settings=settings)
    assert check.clarity is not None
    return {r.code: r.met for r in check.clarity.items}


def test_a_plain_page_meets_every_item_that_applies() -> None:
    items = _items(GOOD)
    assert [c for c, met in items.items() if met is False] == []
    check = check_document("p.md", GOOD, 1, [TITLE, SUMMARY], settings=RISKS)
    assert check.clarity is not None and check.clarity.score == 100


LONG_PARAGRAPH = " ".join(["You walk every day."] * 6)
PASSIVE = " ".join(["Your knee is checked by a nurse."] * 4 + ["You walk."] * 2)

# (item, body that fails it): each only changes what the item is about
FAILING = [
    ("CC001", "## Background\n\nThe weather is cold in winter and warm in summer.\n\n" + GOOD),
    ("CC002", GOOD.replace("Call the study team to ask questions. You can stop at any time.",
                           "The study team answers questions.")),
    ("CC003", GOOD + "\n## More about visits\n\n" + PASSIVE + "\n"),
    ("CC004", GOOD.replace("twenty minutes", "twenty minutes prior to breakfast")),
    ("CC006", GOOD.replace("three times.", "three times for an MRI.")),
    ("CC007", GOOD + "\nFirst, you sign. Then you walk. Next, you rest. Finally, you go home.\n"),
    ("CC008", GOOD.replace("## What will happen if I take part?", "## Details")),
    ("CC009", GOOD.replace("You walk for twenty minutes each day.", LONG_PARAGRAPH)),
    ("CC010", GOOD + "\nAbout 30% of people feel better. About 3 in 10 people feel worse.\n"),
    ("CC011", GOOD + "\nAbout 3 in 10 people feel better. About 4 in 50 people feel worse.\n"),
    ("CC012", GOOD + "\nWalking may make knee pain 30% lower.\n"),
    ("CC013", GOOD.replace("Your knees may hurt less. ", "").replace("helps", "changes")),
    ("CC014", GOOD.replace("You", "Participants").replace("you", "participants")),
    ("CC015", GOOD + "\nAbout 12.5% of people feel better.\n"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "body"), FAILING, ids=[c for c, _ in FAILING])
def test_each_item_fails_on_its_own_problem(code: str, body: str) -> None:
    items = _items(body)
    assert items[code] is False, items
    check = check_document("p.md", body, 1, [TITLE, SUMMARY], settings=RISKS)
    notes = [f for f in check.findings if f.code == code]
    assert len(notes) == 1 and notes[0].severity == "note"
    assert check.clarity is not None and code in check.clarity.failed


def test_grade_item_uses_the_gate_grade() -> None:
    hard = GOOD.replace(
        "You walk for twenty minutes each day.",
        "Participation necessitates considerable commitment regarding ambulatory exercise "
        "undertaken consistently throughout the intervention period, notwithstanding "
        "intercurrent musculoskeletal discomfort.",
    )
    assert _items(hard)["CC005"] is False
    assert _items(GOOD)["CC005"] is True


def test_items_that_do_not_apply_are_left_out_of_the_score() -> None:
    short = "## Hello\n\nWe are here.\n"
    check = check_document("p.md", short, 1, [], settings=GateSettings())
    assert check.clarity is not None
    na = [r.code for r in check.clarity.items if r.met is None]
    assert {"CC010", "CC011", "CC012", "CC015"} <= set(na)
    applicable = [r for r in check.clarity.items if r.met is not None]
    met = sum(1 for r in applicable if r.met)
    assert check.clarity.score == round(100 * met / len(applicable))


def test_spanish_items() -> None:
    body = (
        "## ¿De qué trata este estudio?\n\nQueremos saber si caminar cada día ayuda a las "
        "rodillas. Usted camina veinte minutos al día.\n\n## ¿Cuáles son los posibles beneficios "
        "y riesgos?\n\nSus rodillas pueden doler menos. Caminar puede causar molestias.\n\n"
        "## ¿Cómo puedo saber más?\n\nLlame al equipo del estudio si tiene preguntas.\n"
    )
    title = ProseField("title", "Caminar para el dolor de rodillas", 2, 8)
    lenient = GateSettings(target=20, limit=20)  # the grade has its own test
    items = _items(body, "es", (title,), lenient)
    assert [c for c, met in items.items() if met is False] == []
    them = body.replace("Usted camina", "Los participantes caminan").replace("Sus", "Las")
    them = them.replace("Llame al equipo del estudio si tiene preguntas.",
                        "Los participantes llaman al equipo.")  # fmt: skip
    items = _items(them, "es", (title,), lenient)
    assert items["CC014"] is False and items["CC002"] is False


def test_low_score_warns_below_clarity_min() -> None:
    bad = "## Background\n\n" + " ".join(["Participants are seen by a nurse."] * 12) + "\n"
    check = check_document("p.md", bad, 1, [TITLE], settings=GateSettings(clarity_min=90))
    cc000 = [f for f in check.findings if f.code == "CC000"]
    assert check.clarity is not None and check.clarity.score is not None
    assert check.clarity.score < 90
    assert len(cc000) == 1 and cc000[0].severity == "warning"
    assert f"score {check.clarity.score} (at least 90)" in cc000[0].message
    ok = check_document("p.md", GOOD, 1, [TITLE, SUMMARY], settings=RISKS)
    assert not [f for f in ok.findings if f.code == "CC000"]


EXAMPLE_PAGES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*.md"))


@pytest.mark.parametrize("rel", EXAMPLE_PAGES)
def test_every_example_page_scores_90_or_more(rel: str) -> None:
    config, _ = load_config(REPO)
    assert config is not None
    kind = {"studies": "study", "results": "result"}.get(rel.split("/")[1], "page")
    page, diags = load_page(rel, kind, REPO / rel, config)
    assert page is not None, diags
    check = check_page(page, config, REPO)
    assert check.clarity is not None and check.clarity.score is not None
    assert check.clarity.score >= 90, check.clarity.failed


def test_score_and_failed_items_in_every_output(tmp_path: Path) -> None:
    weak = GOOD.replace("You come to the clinic", "First, you sign. Then you walk. Next, you rest. "
                        "Finally, you come to the clinic")  # fmt: skip
    weak = weak.replace("You walk for twenty minutes each day.", LONG_PARAGRAPH)
    study = (
        '---\ntitle: "A walking plan for knee pain"\nsummary: "We want to find out if a daily '
        'walk helps sore knees."\nstatus: recruiting\nconditions: ["Knee pain"]\n'
        'eligibility:\n  include: ["You are 40 or older."]\n---\n\n' + weak
    )
    root = write_site(tmp_path / "site", {"content/studies/walking-study.md": study})
    r = run("check", "--format", "json", cwd=root)
    pages = {p["source"]: p for p in json.loads(r.stdout)["pages"]}
    clarity = pages["content/studies/walking-study.md"]["clarity"]
    assert clarity["failed"] == ["CC007", "CC009"]
    applicable = [i for i in clarity["items"] if i["met"] is not None]
    assert clarity["score"] == round(100 * sum(1 for i in applicable if i["met"]) / len(applicable))
    assert clarity["score"] < 90
    assert {i["code"] for i in clarity["items"]} == set(ITEMS)
    text = run("check", cwd=root)
    summary = f"content/studies/walking-study.md: {clarity['score']}/100, failed: CC007, CC009"
    assert summary in text.stdout
    assert "Clear communication: mean score" in text.stdout
    sarif = json.loads((root / "reports/readability.sarif").read_text())
    art = {a["location"]["uri"]: a["properties"] for a in sarif["runs"][0]["artifacts"]}
    assert art["content/studies/walking-study.md"]["clarityScore"] == clarity["score"]
    assert "CC007" in {res["ruleId"] for res in sarif["runs"][0]["results"]}
    page_report = (root / "reports/pages/walking-study.html").read_text()
    assert f"Clear communication: {clarity['score']}/100" in page_report
    assert "Steps and criteria are lists" in page_report
    dashboard = (root / "reports/index.html").read_text()
    assert "failed CC007, CC009" in dashboard
    assert f"- {summary}" in (root / "reports/summary.md").read_text()
