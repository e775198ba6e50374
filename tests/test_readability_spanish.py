"""The Spanish gate grade: lemma-aware familiarity, rarity, numbers, abbreviations, jargon."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.readability import check_document, lexicon, load_glossary
from sitegen.readability import scores as sc

PLAIN_ES = Path(__file__).parent / "fixtures" / "readability" / "plain-es"
ES = load_glossary("es")

PLAIN = (
    "Usted puede dejar el estudio cuando quiera. Nadie se va a enojar. Su médico lo seguirá "
    "atendiendo igual que antes. Si tiene preguntas, llame al equipo del estudio."
)
#: written for this test in the style of a protocol summary (not from any data set)
TECHNICAL = (
    "Los participantes (N = 412) fueron aleatorizados 1:1 a recibir NUH-417 o placebo; el "
    "criterio de valoración principal fue la variación del FEV1 en la semana 24 (diferencia "
    "de medias 0,12 l; IC del 95 %: 0,05 a 0,19; p < 0,001). Los acontecimientos adversos "
    "surgidos durante el tratamiento se notificaron en el 43,2 % frente al 41,8 %. "
) * 3


def grade(text: str) -> float:
    return check_document("p.md", text, 1, [], lang="es", glossary=ES).grade


def test_inflected_verbs_are_as_familiar_as_their_lemma() -> None:
    assert lexicon.lemma("tomaron", "es") == "tomar"
    for form in ("tomaron", "aleatorizadas", "recibió"):
        assert lexicon.familiarity(form, "es") >= lexicon.zipf(lexicon.lemma(form, "es"), "es")
    # English words are looked up as written
    assert lexicon.familiarity("randomized", "en") == lexicon.zipf("randomized", "en")


def test_rarity_counts_only_in_spanish_and_only_rare_words() -> None:
    es = sc.word_facts("hipogeusia", "es")
    assert es.rarity > 0 and es.unfamiliar
    assert sc.word_facts("casa", "es").rarity == 0
    assert sc.word_facts("hypogeusia", "en").rarity == 0
    assert sc.word_facts("TAC", "es").rarity == 0  # an abbreviation counts as one, not as rare


def test_plain_calibration_pages_pass_and_protocol_text_is_blocked() -> None:
    pages = [p for p in sorted(PLAIN_ES.glob("*.md")) if p.stem != "README"]
    assert len(pages) >= 4
    for p in pages:
        assert 6.0 <= grade(p.read_text(encoding="utf-8")) <= 8.0, p.name
    check = check_document("p.md", TECHNICAL, 1, [], lang="es", glossary=ES)
    assert check.grade >= 14.0
    assert check.verdict == "block"


@pytest.mark.parametrize(
    "harder",
    [
        PLAIN.replace("llame al equipo", "llame al equipo (tasa de respuesta del 37,5 %)"),
        PLAIN.replace("Su médico", "Su médico de AP del SNS"),
        PLAIN.replace("dejar el estudio", "dejar el ensayo aleatorizado doble ciego"),
        PLAIN.replace("Nadie se va a enojar", "Nadie manifestará animadversión"),
    ],
    ids=["statistical number", "abbreviations", "jargon", "rare words"],
)
def test_each_feature_makes_the_grade_harder(harder: str) -> None:
    assert grade(harder) > grade(PLAIN)


def test_dictionary_terms_feed_the_grade() -> None:
    text = "El ensayo es aleatorizado. " * 10
    with_terms = check_document("p.md", text, 1, [], lang="es", glossary=ES)
    without = check_document("p.md", text, 1, [], lang="es", glossary=load_glossary("en"))
    assert with_terms.stats["jargon_terms"] > 0 and without.stats["jargon_terms"] == 0
    assert with_terms.grade > without.grade


@pytest.mark.parametrize(
    ("perspicuity", "band"),
    [(90, "very easy"), (80, "very easy"), (70, "fairly easy"), (60, "normal"),
     (55, "normal"), (45, "somewhat difficult"), (30, "very difficult")],
)  # fmt: skip
def test_inflesz_bands(perspicuity: float, band: str) -> None:
    assert sc.inflesz_band(perspicuity) == band
