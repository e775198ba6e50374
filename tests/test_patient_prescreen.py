"""The pre-screener's questions and data block (``sitegen.render.prescreen``), and the study
finder's filter data (``sitegen.render.views``)."""

from __future__ import annotations

import json

import pytest

from sitegen.content.model import Age, Eligibility, Question, Site, StudyMeta
from sitegen.i18n import catalogue
from sitegen.render.prescreen import Prescreen, build_prescreen
from sitegen.render.views import finder_options, study_view

EN = catalogue("en")


def study(status: str = "recruiting", **elig: object) -> StudyMeta:
    defaults: dict[str, object] = {"age_min": Age(18), "age_max": Age(70)}
    defaults.update(elig)
    return StudyMeta(
        title="T",
        summary="S",
        status=status,
        conditions=("Knee osteoarthritis", "Knee pain"),
        eligibility=Eligibility(**defaults),  # type: ignore[arg-type]
    )


def screen(meta: StudyMeta, contact: str | None = "#contact-team") -> Prescreen | None:
    return build_prescreen(
        meta, EN, age_text="18 to 70 years", sex_text="Women only", contact_url=contact
    )


@pytest.mark.parametrize(
    "status",
    ["enrolling_by_invitation", "active_not_recruiting", "completed", "terminated", "unknown"],
)
def test_only_studies_taking_volunteers_have_one(status: str) -> None:
    assert screen(study(status)) is None


def test_age_and_the_first_condition() -> None:
    ps = screen(study("not_yet_recruiting"))
    assert ps is not None
    assert [(q.id, q.kind) for q in ps.questions] == [
        ("ps-age", "age"),
        ("ps-condition", "yesno"),
    ]
    assert ps.questions[1].text == (
        "Has a doctor told you that you have this health condition: Knee osteoarthritis?"
    )
    assert ps.data["ageMin"] == 18 and ps.data["ageMax"] == 70


def test_sex_only_when_the_study_is_for_one_sex() -> None:
    ps = screen(study(sex="female"))
    assert ps is not None
    sex = [q for q in ps.questions if q.kind == "sex"]
    assert len(sex) == 1 and sex[0].expect == "female"
    assert sex[0].reason == "This study is for: Women only."
    assert not any(q.kind == "sex" for q in screen(study()).questions)  # type: ignore[union-attr]


def test_writer_questions_follow_and_replace_the_condition_question() -> None:
    own = (
        Question("Has a doctor told you that you have knee osteoarthritis?", "yes"),
        Question("Do you smoke now?", "no"),
    )
    ps = screen(study(questions=own))
    assert ps is not None
    assert [q.id for q in ps.questions] == ["ps-age", "ps-q1", "ps-q2"]
    assert ps.questions[2].expect == "no"
    assert ps.questions[2].reason == 'You answered "Yes" to: Do you smoke now?'


def test_healthy_volunteer_studies_do_not_ask_about_the_condition() -> None:
    ps = screen(study(healthy_volunteers=True))
    assert ps is not None
    assert [q.kind for q in ps.questions] == ["age"]


def test_no_age_limit_no_age_question() -> None:
    ps = screen(study(age_min=None, age_max=None))
    assert ps is not None
    assert [q.id for q in ps.questions] == ["ps-condition"]
    assert ps.data["ageMin"] is None and ps.data["ageMax"] is None


def test_months_become_years() -> None:
    ps = screen(study(age_min=Age(6, "months"), age_max=Age(17)))
    assert ps is not None and ps.data["ageMin"] == 0.5


def test_data_block_is_safe_inside_a_script_element() -> None:
    own = (Question("Is </script><script>alert(1)</script> & fine?", "yes"),)
    ps = screen(study(questions=own))
    assert ps is not None
    text = ps.json()
    assert "</script" not in text and "<" not in text and "&" not in text
    data = json.loads(text)
    assert data["questions"][-1]["reason"].endswith("</script><script>alert(1)</script> & fine?")
    assert set(data["strings"]) >= {"age_missing", "fit_title", "not_fit_title", "not_medical"}
    assert data["contactUrl"] == "#contact-team"


def test_every_string_exists_in_both_languages() -> None:
    for lang in ("en", "es"):
        ps = build_prescreen(
            study(sex="male"), catalogue(lang), age_text="x", sex_text="y", contact_url=None
        )
        assert ps is not None
        assert all(ps.data["strings"].values())


def test_finder_data_and_options() -> None:
    meta = StudyMeta(
        title="T",
        summary="S",
        status="recruiting",
        conditions=("Asthma",),
        eligibility=Eligibility(age_min=Age(6, "months"), healthy_volunteers=True),
        sites=(
            Site(name="A", city="Madrid", country="Spain"),
            Site(name="B", city="Boston", country="United States"),
            Site(name="C", city="Madrid", country="Spain"),
        ),
    )
    view = study_view(meta, "studies/t/", "", EN)
    assert view.finder.attrs() == {
        "data-conditions": "|asthma|",
        "data-places": "|spain|spain/madrid|united-states|united-states/boston|",
        "data-age-min": "0.5",
        "data-age-max": "",
        "data-healthy": "yes",
    }
    other = study_view(
        StudyMeta(title="U", summary="S", status="completed", conditions=("Gout",)),
        "studies/u/",
        "",
        EN,
    )
    opts = finder_options([view, other], EN)
    assert [o.label for o in opts.conditions] == ["Asthma", "Gout"]
    assert [o.value for o in opts.statuses] == ["recruiting", "completed"]
    assert [(o.label, [c.label for c in o.group]) for o in opts.places] == [
        ("Spain", ["Madrid"]),
        ("United States", ["Boston"]),
    ]
