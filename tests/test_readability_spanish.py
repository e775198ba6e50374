"""The Spanish gate grade: lemma-aware familiarity, rarity, numbers, abbreviations, jargon."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sitegen.readability import check_document, lexicon, load_glossary, spanish
from sitegen.readability import scores as sc
from sitegen.readability.check import page_counts

PLAIN_ES = Path(__file__).parent / "fixtures" / "readability" / "plain-es"
EXAMPLE = Path(__file__).parent.parent / "sitegen" / "example" / "content"
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
        assert 5.5 <= grade(p.read_text(encoding="utf-8")) <= 8.0, p.name
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


#: the English calibration page each plain Spanish page translates
ORIGINALS = {"caminar": "walking-group", "fumar": "quit-smoking", "rodilla": "knee-pain",
             "sueno": "sleep-study"}  # fmt: skip


def translations() -> list[tuple[str, str, str]]:
    """(name, English original, Spanish translation) of the plain calibration pages and of the
    example site's translated pages."""
    out = [
        (es, (PLAIN_ES.parent / "plain" / f"{en}.md").read_text(encoding="utf-8"),
         (PLAIN_ES / f"{es}.md").read_text(encoding="utf-8"))
        for es, en in ORIGINALS.items()
    ]  # fmt: skip
    by_key: dict[str, dict[str, str]] = {}
    for path in sorted(EXAMPLE.glob("*/*.md")):
        head, _, body = path.read_text(encoding="utf-8")[4:].partition("\n---\n")
        meta = yaml.safe_load(head)
        if meta.get("translation_key"):
            by_key.setdefault(meta["translation_key"], {})[meta.get("lang", "en")] = body
    out += [(k, v["en"], v["es"]) for k, v in sorted(by_key.items()) if len(v) == 2]
    return out


def test_a_translation_grades_like_its_english_original() -> None:
    """The Spanish scale is the English one: ``max_grade`` means the same in both languages."""
    en = load_glossary("en")
    pages = translations()
    assert len(pages) >= 10
    diffs = []
    for name, en_text, es_text in pages:
        en_grade = check_document("p.md", en_text, 1, [], lang="en", glossary=en).grade
        diffs.append(grade(es_text) - en_grade)
        assert abs(diffs[-1]) <= 1.5, name
    assert abs(sum(diffs) / len(diffs)) <= 0.5


# Pairs written for these tests: the same message for a patient and in the style of a protocol
# or a professional summary. Several are about as long in both versions, so sentence length
# and syllables alone (Fernandez Huerta) do not decide them.
LAY_VS_TECHNICAL = [
    (
        "Le daremos el medicamento con una inyección en el brazo. Tarda unos minutos. Después "
        "puede irse a su casa.",
        "La administración del fármaco se realizará mediante inyección intramuscular, con "
        "posterior alta domiciliaria.",
    ),
    (
        "Si se siente mal, llame a su médico. Puede tener dolor de cabeza o ganas de vomitar. "
        "Suelen pasar en un día o dos.",
        "Los acontecimientos adversos notificados con mayor frecuencia fueron cefalea y náuseas, "
        "de intensidad leve y resolución espontánea.",
    ),
    (
        "Puede participar si tiene entre 18 y 65 años y tiene asma desde hace un año o más. No "
        "puede participar si está embarazada.",
        "Criterios de inclusión: edad comprendida entre 18 y 65 años y diagnóstico de asma de al "
        "menos 12 meses de evolución. Criterio de exclusión: gestación.",
    ),
    (
        "Queremos saber si este parche ayuda a dejar de fumar. La mitad de las personas usará el "
        "parche y la otra mitad un parche sin medicamento.",
        "El objetivo principal consiste en la evaluación de la eficacia del parche transdérmico "
        "en la deshabituación tabáquica frente a placebo.",
    ),
    (
        "Usted puede dejar el estudio cuando quiera. Su atención médica no va a cambiar.",
        "La retirada voluntaria del consentimiento no conllevará modificación alguna de la "
        "asistencia sanitaria.",
    ),
    (
        "Tomará una pastilla cada mañana durante tres meses. Cada mes le haremos un análisis de "
        "sangre para ver cómo está su hígado.",
        "La posología consistirá en un comprimido diario durante 12 semanas, con monitorización "
        "mensual de la función hepática mediante determinaciones analíticas.",
    ),
]


@pytest.mark.parametrize(("lay", "technical"), LAY_VS_TECHNICAL)
def test_lay_paragraph_grades_easier_than_technical_one(lay: str, technical: str) -> None:
    assert grade(lay) + 2.0 <= grade(technical)


@pytest.mark.parametrize(("lay", "technical"), LAY_VS_TECHNICAL)
def test_style_signs_separate_lay_from_technical(lay: str, technical: str) -> None:
    """Nominal, formal wording adds to the grade; finite verbs and "usted"/"su" take away."""
    lay_c, tech_c = page_counts(lay, "es", ES), page_counts(technical, "es", ES)
    assert lay_c.style < 0 < tech_c.style


def test_style_signs_of_single_words() -> None:
    names = spanish.STYLE_SIGNS

    def signs(word: str) -> set[str]:
        return {n for n, s in zip(names, spanish.style_signs(word), strict=True) if s}

    assert signs("administración") >= {"nominal", "long"}
    assert "nominal" in signs("tratamiento") and "nominal" in signs("incidencia")
    assert "relational" in signs("hepática") and "relational" in signs("vesical")
    assert "relational" not in signs("normal")  # an everyday word
    assert signs("usted") == {"you"} and signs("sus") == {"you"}
    assert "formal" in signs("mediante") and "formal" in signs("asimismo")
    # finite verb forms, not infinitives, participles or gerunds (with or without a pronoun)
    for finite in ("tomará", "puede", "duermen", "llame", "recibió"):
        assert "finite" in signs(finite), finite
    for other in ("tomar", "aleatorizados", "tomando", "dormirse", "tomándolo", "casa"):
        assert "finite" not in signs(other), other


def test_style_counts_only_in_spanish() -> None:
    assert sc.word_facts("administración", "es").style > 0
    assert sc.word_facts("puede", "es").style < 0
    assert sc.word_facts("administration", "en").style == 0
    assert sc.word_facts("TAC", "es").style == 0  # an abbreviation counts as one


def test_inflected_verb_forms_are_not_rare() -> None:
    """Every form of everyday verbs is as familiar as the verb: no rarity, no unfamiliar word."""
    forms = ["tomaron", "tomaríamos", "durmieron", "duerma", "pidieron", "vuelvan",
             "recibirán", "sintió", "estuviéramos", "hubiesen"]  # fmt: skip
    for form in forms:
        facts = sc.word_facts(form, "es")
        assert facts.rarity < 100 and not facts.unfamiliar, form
    # a rare word still is
    assert sc.word_facts("hipogeusia", "es").rarity > 200
