"""The pre-screener asks about every inclusion and exclusion bullet (unless the writer marks
one as not asked), gives next steps for "not for you" and "maybe", and cannot be taken over
by page content (raw HTML reusing its ids)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from patient_support import build, example_site, serve
from small_site import PATIENT_SECTIONS, write_site

from sitegen.content.model import Age, Eligibility, StudyMeta
from sitegen.i18n import catalogue
from sitegen.render.content_pages import other_condition
from sitegen.render.prescreen import build_prescreen
from sitegen.render.views import study_view

STUDY = "studies/asthma-inhaler/"


def _meta(**elig: Any) -> StudyMeta:
    return StudyMeta(
        title="T",
        summary="S",
        status="recruiting",
        conditions=("Asthma",),
        eligibility=Eligibility(age_min=Age(18), **elig),
    )


def test_every_bullet_is_a_question_unless_not_asked() -> None:
    meta = _meta(
        include=("You have asthma.", "Your doctor agrees."),
        exclude=("You are pregnant.", "You smoke."),
        not_asked=("include.1",),
    )
    ps = build_prescreen(
        meta, catalogue("en"), age_text="18+", sex_text="", contact_url="#c", other_url="../x/"
    )
    assert ps is not None
    bullets = [(q.id, q.expect, q.text) for q in ps.questions if q.kind == "bullet"]
    assert bullets == [
        ("ps-in0", "yes", "Is this true for you? You have asthma."),
        ("ps-ex0", "no", "Is this true for you? You are pregnant."),
        ("ps-ex1", "no", "Is this true for you? You smoke."),
    ]
    assert ps.data["otherUrl"] == "../x/" and "Asthma" in ps.data["otherText"]


def test_prescreen_data_is_escaped_inside_its_script_element() -> None:
    evil = "You take </script><script>alert(1)</script> & <!-- daily."
    ps = build_prescreen(
        _meta(exclude=(evil,)), catalogue("es"), age_text="", sex_text="", contact_url=None
    )
    assert ps is not None
    block = ps.json()
    assert "<" not in block and ">" not in block and "&" not in block.replace("\\u0026", "")
    reasons = [q["reason"] for q in json.loads(block)["questions"]]
    assert any(evil in r for r in reasons)


# ---- in the browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output, _ = example_site(tmp_path_factory.mktemp("bullets"))
    with serve(output) as url:
        yield url


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _fit_answers(page: Any, age: str = "34") -> None:
    page.fill("#ps-age", age)
    page.check("#ps-q1-yes")
    page.check("#ps-q2-no")
    for radio in page.locator("input[id^='ps-in'][value='yes']").all():
        radio.check()
    for radio in page.locator("input[id^='ps-ex'][value='no']").all():
        radio.check()


def _result(page: Any, expected: str) -> str:
    from playwright.sync_api import expect

    expect(page.locator("#ps-result")).to_contain_text(expected)
    return page.locator("#ps-result").inner_text()


@pytest.mark.browser
def test_a_pregnant_person_is_told_the_study_is_probably_not_for_them(
    page: Any, site_url: str
) -> None:
    page.goto(site_url + STUDY)
    _fit_answers(page)
    pregnant = page.locator("fieldset", has_text="You are pregnant or breastfeeding.")
    pregnant.locator("input[value='yes']").check()
    page.click("form[data-prescreen] button[type=submit]")
    text = _result(page, "probably not for you")
    assert "cannot join: You are pregnant or breastfeeding." in text
    # next steps: ask the team; no "See other studies about Asthma", whose page lists only
    # this study (test_other_studies_are_offered_for_a_condition_that_has_them)
    links = page.locator("#ps-result .prescreen-next a")
    assert links.all_inner_texts() == ["Call or e-mail the study team and ask"]


@pytest.mark.browser
def test_not_sure_gives_maybe_with_next_steps(page: Any, site_url: str) -> None:
    page.goto(site_url + "es/studies/asma-inhalador/")
    _fit_answers(page, "40")
    page.locator("input[id^='ps-ex'][value='unsure']").first.check()
    page.click("form[data-prescreen] button[type=submit]")
    text = _result(page, "Es posible que pueda participar, pero")
    assert "Llame o escriba al equipo del estudio y pregunte" in text
    assert "Ver otros estudios" not in text  # the Asthma page lists only this study


SHADOW = """\
---
title: "A walking plan for knee pain"
summary: "We want to find out if a daily walk can help people with sore knees."
status: recruiting
conditions: ["Knee pain"]
eligibility:
  age_min: "40 years"
  exclude: ["You had knee surgery in the last year."]
---

## What is this study about?

<div id="prescreen-data">FAKE</div>
<p id="ps-result">x</p><p id="ps-age">y</p>
<form data-prescreen><input id="ps-age"></form>

Many people have sore knees. A short walk each day may help. We want to find out if it does.
""".replace(
    "FAKE",
    json.dumps(
        {
            "questions": [],
            "contactUrl": "https://elsewhere.example/",
            "strings": {"fit_title": "You can take part!"},
        }
    ),
)


@pytest.mark.browser
def test_page_content_cannot_take_over_the_prescreener(page: Any, tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/studies/walking-study.md": SHADOW + PATIENT_SECTIONS})
    build(root)
    html = (root / "output" / "studies" / "walking-study" / "index.html").read_text()
    assert len(re.findall(r'id="prescreen-data"', html)) == 1
    assert len(re.findall(r'id="ps-age"', html)) == 1
    assert html.count("<form") == 1 + html.count('class="site-search"')
    with serve(root / "output") as url:
        page.goto(url + "studies/walking-study/")
        page.fill("#ps-age", "5")
        for radio in page.locator("form[data-prescreen] input[value='no']").all():
            radio.check()
        page.click("form[data-prescreen] button[type=submit]")
        text = _result(page, "probably not for you")
        assert "You can take part!" not in text
        assert "elsewhere.example" not in page.locator("#ps-result").inner_html()
        # no contact and no other knee pain study: no "What you can do next:" over nothing
        assert "What you can do next" not in text
        assert page.locator("#ps-result ul.prescreen-next").count() == 0


def test_other_studies_are_offered_for_a_condition_that_has_them() -> None:
    """The link "See other studies about X" names the first of the study's conditions whose
    page lists other studies too, and is left out when none does."""
    meta = StudyMeta(
        title="T", summary="S", status="recruiting", conditions=("Gout", "Healthy volunteers")
    )
    view = study_view(meta, "studies/t/", "", catalogue("en"))
    gout, healthy = (c.url for c in view.conditions)
    assert other_condition(view, {gout: 1, healthy: 1}) is None
    assert other_condition(view, {gout: 1, healthy: 3}) == view.conditions[1]
    assert other_condition(view, {gout: 2, healthy: 3}) == view.conditions[0]
    ps = build_prescreen(meta, catalogue("es"), age_text="", sex_text="", contact_url="#c",
                         other_url="../v/", other_name="Healthy volunteers")  # fmt: skip
    assert ps is not None and ps.data["otherText"] == "Ver otros estudios sobre Healthy volunteers"
    ps = build_prescreen(meta, catalogue("en"), age_text="", sex_text="", contact_url="#c")
    assert ps is not None and ps.data["otherUrl"] is None and ps.data["otherText"] == ""
