"""The packaged Spanish dictionary: size, well-formed entries, gender and number matching."""

from __future__ import annotations

import re

import pytest

from sitegen.readability import load_glossary

ES = load_glossary("es")
CATEGORIES = {"design", "eligibility", "safety", "procedures", "tests", "body", "conditions",
              "medicines", "statistics", "regulatory", "general", "abbreviation"}  # fmt: skip


def _key(term: str) -> str:
    return re.sub(r"[\s\-]+", " ", term.casefold()).strip()


def test_dictionary_is_large_and_well_formed() -> None:
    assert ES.problems == ()
    assert len(ES.entries) >= 800
    seen: dict[str, str] = {}
    for e in ES.entries:
        for form in (e.term, *e.variants):
            key = _key(form)
            assert key not in seen or seen[key] == e.term, f"{form!r} in {seen.get(key)!r}"
            seen[key] = e.term
        assert e.category in CATEGORIES, e.term
        assert e.definition.endswith("."), e.term
        assert len(e.definition.split()) <= 30, e.term
        assert e.plain and all(p.strip() for p in e.plain), e.term
        if e.category == "abbreviation":
            assert e.expansion, e.term
    replace = [e for e in ES.entries if e.kind == "replace"]
    assert sum(1 for e in replace if e.example and e.expected) >= 200


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Los pacientes fueron aleatorizadas en dos grupos.", "aleatorizado"),
        ("Hubo tres eventos adversos graves.", "evento adverso grave"),
        ("Revise los criterios de inclusión.", "criterios de inclusión"),
        ("Se notificaron reacciones adversas.", "reacción adversa"),
        ("Son dos ensayos aleatorizados.", "ensayo aleatorizado"),
        ("Use dos métodos anticonceptivos.", "anticoncepción"),  # a variant, in the plural
        ("Las gestantes no pueden participar.", "gestante"),
        ("Tiene enfermedades hepáticas.", "hepático"),
        ("Tomará dos comprimidos recubiertos.", "comprimido recubierto"),
    ],
)
def test_gender_and_number_forms_match(text: str, term: str) -> None:
    found = {m.entry.term for m in ES.find(text)}
    assert term in found, found


@pytest.mark.parametrize(("lang", "word"), [("en", "phase"), ("es", "fase")])
def test_phase_entries_are_headed_as_key_facts_write_them(lang: str, word: str) -> None:
    """Key facts say "Phase 1" / "Fase 1": the Glossary lists the same words, with the roman
    numerals as variants that are still recognised."""
    glossary = load_glossary(lang)
    heads = {e.term for e in glossary.entries if re.fullmatch(rf"{word} [0-9IV]+", e.term)}
    assert heads >= {f"{word} {n}" for n in "1234"}, heads
    assert not {h for h in heads if re.fullmatch(rf"{word} [IV]+", h)}, heads
    for n, roman in enumerate(("I", "II", "III", "IV"), start=1):
        hits = glossary.find(f"Es un estudio de {word} {roman} en adultos.")
        assert [h.entry.term for h in hits] == [f"{word} {n}"], (roman, hits)
