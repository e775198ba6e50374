"""Scores: agreement with textstat 0.7.8, the gate grade, Spanish, short texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from textstat.backend import metrics as ts

from sitegen.readability import GateSettings, check_document, make_glossary
from sitegen.readability import scores as sc
from sitegen.readability.extract import extract
from sitegen.readability.jargon import read_entries

FIXTURES = Path(__file__).parent / "fixtures" / "readability"
EN = make_glossary(read_entries(FIXTURES / "jargon.en.yml", "en")[0])
ES = make_glossary(read_entries(FIXTURES / "jargon.es.yml", "es")[0], "es")

# Plain paragraphs on which our sentence split and textstat's agree (no abbreviations, no
# decimals, every sentence 3+ words, no hyphens).
PARAGRAPHS = [
    "The study team will call you after your first visit. They will ask how you feel and "
    "whether you had any problems. You can ask them questions at any time. Your answers help "
    "us make the study better for everyone.",
    "Asthma makes the airways in your lungs swollen and narrow. This can cause coughing and a "
    "tight chest. Many people use a daily inhaler to prevent attacks. But for some people, "
    "asthma still gets in the way of life.",
    "Participants received either the investigational medication or a matching placebo for "
    "twelve consecutive weeks. Researchers evaluated pulmonary function, symptom frequency and "
    "quality of life at regular intervals. Statistical analyses compared outcomes between "
    "treatment groups using standard methods.",
]


@pytest.mark.parametrize("text", PARAGRAPHS)
def test_scores_agree_with_textstat(text: str) -> None:
    ours = check_document("p.md", text, 1, [], glossary=EN).scores
    theirs = {
        "flesch_kincaid_grade": ts.flesch_kincaid_grade(text, "en_US"),
        "smog_index": ts.smog_index(text, "en_US"),
        "gunning_fog": ts.gunning_fog(text, "en_US"),
        "coleman_liau_index": ts.coleman_liau_index(text),
        "dale_chall": ts.dale_chall_readability_score(text, "en_US"),
        "flesch_reading_ease": ts.flesch_reading_ease(text, "en_US"),
    }
    assert set(ours) == set(theirs)
    for name, value in theirs.items():
        assert ours[name] == pytest.approx(value, abs=0.02), name


SPANISH = (
    "El estudio dura seis meses y tiene cuatro visitas. En cada visita, una enfermera le hará "
    "unas preguntas sencillas. Usted puede dejar el estudio cuando quiera, sin dar explicaciones."
)


def test_spanish_scores_agree_with_textstat_and_give_a_grade() -> None:
    check = check_document("p.md", SPANISH, 1, [], lang="es", glossary=ES)
    assert check.lang == "es"
    assert set(check.scores) == {"fernandez_huerta", "szigriszt_pazos", "gutierrez_polini",
                                 "crawford"}  # fmt: skip
    theirs = {
        "fernandez_huerta": ts.fernandez_huerta(SPANISH, "es"),
        "szigriszt_pazos": ts.szigriszt_pazos(SPANISH, "es"),
        "gutierrez_polini": ts.gutierrez_polini(SPANISH),
        "crawford": ts.crawford(SPANISH, "es"),
    }
    for name, value in theirs.items():
        assert check.scores[name] == pytest.approx(value, abs=0.02), name
    counts = sc.total(
        sc.sentence_row(s, "es") for s in extract(SPANISH, 1).sentences
    )  # no dictionary term in the text
    assert check.grade == round(sc.gate_grade(counts, "es"), 1)
    assert check.stats["inflesz"] == sc.inflesz_band(check.scores["szigriszt_pazos"])


@pytest.mark.parametrize(
    ("ease", "grade"),
    [(110, 3.0), (100, 4.0), (95, 4.5), (90, 5.0), (80, 6.0), (70, 7.0), (65, 8.0), (60, 9.0),
     (50, 12.0), (40, 14.0), (30, 16.0), (0, 18.0), (-40, 20.0)],
)  # fmt: skip
def test_fernandez_huerta_to_grade(ease: float, grade: float) -> None:
    assert sc.fernandez_huerta_grade(ease) == pytest.approx(grade)


def test_one_pass_counts_add_up_per_section() -> None:
    body = "## One\n\nShort words here. More words.\n\n## Two\n\nAnother sentence to count.\n"
    check = check_document("p.md", body, 1, [], glossary=EN)
    assert [(s.title, s.line, s.words, s.sentences) for s in check.sections] == [
        ("One", 1, 6, 3), ("Two", 5, 5, 2)
    ]  # fmt: skip
    assert check.stats["words"] == 11 and check.stats["sentences"] == 5


def test_syllables_use_the_dictionary_part_by_part() -> None:
    prose = extract("A follow-up visit.", 1)
    counts = sc.count_sentence(prose.sentences[0], "en")
    assert counts.syllables == 1 + 3 + 2  # a, fol-low-up, vis-it


def test_short_texts_are_marked_and_not_blocked_on_grade_alone() -> None:
    hard = "Pharmacokinetic parameters demonstrated considerable interindividual variability."
    check = check_document("p.md", hard, 1, [], glossary=EN)
    assert check.stats["short_text"] is True
    assert check.grade > 10
    assert check.verdict == "warn"
    long_hard = " ".join([hard] * 10)
    assert check_document("p.md", long_hard, 1, [], glossary=EN).verdict == "block"


def test_gate_grade_ranks_technical_text_above_plain_text() -> None:
    plain = (FIXTURES / "plain" / "sleep-study.md").read_text(encoding="utf-8")
    technical = (
        "Participants (N = 412) were randomized 1:1 to receive NUH-417 or placebo; the primary "
        "endpoint was change in FEV1 at week 24 (LS mean difference 0.12 L, 95% CI 0.05 to "
        "0.19; p < 0.001). Treatment-emergent adverse events occurred in 43.2% vs. 41.8%. "
    ) * 4
    g_plain = check_document("p.md", plain, 1, [], glossary=EN).grade
    g_tech = check_document("p.md", technical, 1, [], glossary=EN).grade
    assert 6.0 <= g_plain <= 8.0
    assert g_tech >= 14.0


def test_empty_page_scores_zero() -> None:
    check = check_document("p.md", "", 1, [], glossary=EN, settings=GateSettings())
    assert check.grade == 0.0
    assert all(v == 0.0 for v in check.scores.values())
    # a page with no text is not a page a patient can use: refused (PH004), not passed
    assert check.verdict == "block" and [f.code for f in check.findings][:1] == ["PH004"]
