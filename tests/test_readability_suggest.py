"""Drop-in suggestions: inflection, capitals, a/an, context rules and the dictionary's own
examples applied mechanically."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.readability import Entry, check_document, load_glossary, make_glossary
from sitegen.readability.jargon import read_entries
from sitegen.readability.suggest import apply_edits, article_for, drop_in, example_result

E = [
    Entry("inhibitor", "replace", ("blocker",), example="x"),
    Entry("randomized", "replace", ("chosen by chance",)),
    Entry("ambulatory", "replace", ("able to walk",), not_before=(("blood", "pressure"),)),
    Entry("ambulatory blood pressure monitoring", "replace", ("blood pressure checks all day",)),
    Entry("adverse event", "replace", ("harmful effect",)),
    Entry("serious adverse event", "replace", ("serious side effect or health problem",)),
    Entry("utilize", "replace", ("use",)),
    Entry("prior to", "replace", ("before",)),
    Entry("hospitalization", "replace", ("hospital stay",)),
    Entry("AE", "replace", ("side effect",), case_sensitive=True, category="abbreviation"),
    Entry("titrate", "replace", ("adjust step by step",)),
    Entry("endpoint", "replace", ("goal",), fix=False),
    Entry("inclusion criteria include", "rewrite", how="Start with who can join."),
    Entry("study arm", "replace", ("study group",), not_after=(("control",),)),
    Entry("randomized, double-blind trial", "replace", ("fair hidden study",)),
]
G = make_glossary(E)


def fixed(text: str) -> str:
    edits = [drop_in(text, m.start, m.end, m.entry) for m in G.find(text)]
    return apply_edits(text, [e for e in edits if e is not None])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # number and tense carried over (lemminflect)
        ("Both inhibitors work.", "Both blockers work."),
        ("Patients were randomized.", "Patients were chosen by chance."),
        ("We utilized it and utilize it.", "We used it and use it."),
        ("The dose is titrated.", "The dose is adjusted step by step."),
        ("Doses are titrated weekly.", "Doses are titrated weekly."),
        ("Two hospitalizations.", "Two hospital stays."),
        ("Adverse events were rare.", "Harmful effects were rare."),
        ("Serious adverse events: none.", "Serious side effects or health problems: none."),
        # capital at a sentence start, capitals kept, a/an fixed
        ("Prior to the visit, an AE may occur.", "Before the visit, a side effect may occur."),
        ("An adverse event.", "A harmful effect."),
        ("It was. Utilize it.", "It was. Use it."),
        ("RANDOMIZED", "CHOSEN BY CHANCE"),
        ("We saw an inhibitor.", "We saw a blocker."),
        # a phrase before a noun is left alone: no safe drop-in
        ("Randomized participants.", "Randomized participants."),
        ("They are ambulatory.", "They are able to walk."),
        # phrase entries win, not_before/not_after stop a match
        ("Ambulatory blood pressure monitoring.", "Blood pressure checks all day."),
        ("Ambulatory blood pressure.", "Ambulatory blood pressure."),
        ("The control study arm.", "The control study arm."),
        ("One study arm.", "One study group."),
        # a term written with commas matches across them; others never do
        ("A randomized, double-blind trial.", "A fair hidden study."),
        ("Prior, to go.", "Prior, to go."),
        # advice only, and rewrites, are never applied
        ("The endpoint is pain.", "The endpoint is pain."),
        ("Inclusion criteria include age.", "Inclusion criteria include age."),
    ],
)
def test_drop_in(text: str, expected: str) -> None:
    assert fixed(text) == expected


@pytest.mark.parametrize(
    ("word", "article"),
    [("apple", "an"), ("hour", "an"), ("use", "a"), ("unit", "a"), ("umbrella", "an"),
     ("blocker", "a"), ("one", "a"), ("8", "an"), ("European", "a")],
)  # fmt: skip
def test_article_for(word: str, article: str) -> None:
    assert article_for(word) == article


def test_finding_carries_the_fitted_suggestion_and_its_fix() -> None:
    body = "Both inhibitors work. Patients were randomized.\n"
    c = check_document("p.md", body, 5, [], glossary=make_glossary([E[0], E[1]]))
    jg = [f for f in c.findings if f.code == "JG001"]
    assert [f.suggestion for f in jg] == ["blockers", "chosen by chance"]
    assert 'say "blockers"' in jg[0].message
    fix = jg[0].fix
    assert fix is not None
    assert (fix.line, fix.column, fix.old, fix.new) == (5, 6, "inhibitors", "blockers")
    assert jg[1].fix is None  # no example in the entry: advice, not an automatic edit


def test_rewrite_finding_explains_how_with_an_example() -> None:
    entry = Entry(
        "inclusion criteria include",
        "rewrite",
        how='Start with "You can join if you".',
        example="Inclusion criteria include age 18 or older.",
        expected="You can join if you are 18 or older.",
    )
    c = check_document("p.md", "Inclusion criteria include pregnancy.\n", 1, [],
                       glossary=make_glossary([entry]))  # fmt: skip
    (f,) = [f for f in c.findings if f.code == "JG001"]
    assert f.fix is None and f.suggestion == ""
    assert 'Start with "You can join if you".' in f.message
    assert '"You can join if you are 18 or older."' in f.message


def test_bad_schema_values_are_reported(tmp_path: Path) -> None:
    p = tmp_path / "g.yml"
    p.write_text(
        "version: 1\nlang: en\nentries:\n"
        "  - {term: a1, kind: rewrite, definition: d}\n"
        "  - {term: a2, plain: [x], forms: [x]}\n"
        "  - {term: a3, plain: [x], not_before: 3}\n"
        "  - {term: a4, plain: [x], example: [x]}\n"
        "  - {term: a5, plain: [x], forms: {A5s: xs}, not_after: [the big]}\n",
        encoding="utf-8",
    )
    entries, problems = read_entries(p, "en")
    assert [e.term for e in entries] == ["a5"]
    assert entries[0].forms == (("a5s", "xs"),) and entries[0].not_after == (("the", "big"),)
    messages = " ".join(d.message for d in problems)
    for part in ("needs 'how'", "'forms' must map", "'not_before' and 'not_after'",
                 "'example' must be a string"):  # fmt: skip
        assert part in messages


# --------------------------------------------------------------------------- the dictionary


def _examples(lang: str) -> list[Entry]:
    return [e for e in load_glossary(lang).entries if e.example]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_dictionary_example_gives_exactly_its_expected_rewrite(lang: str) -> None:
    """Each ``replace`` entry with an example: its first plain option applied mechanically to
    the example gives exactly ``expected``."""
    g = load_glossary(lang)
    bad = []
    for e in _examples(lang):
        if e.kind != "replace":
            continue
        got = example_result(e, lang, g.find)
        if got != e.expected:
            bad.append(f"{e.term}: {e.example!r} -> {got!r}, expected {e.expected!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_rewrite_entries_have_an_example_that_matches(lang: str) -> None:
    g = load_glossary(lang)
    for e in g.entries:
        if e.kind == "rewrite":
            assert e.how and e.example and e.expected, e.term
            assert any(m.entry.term == e.term for m in g.find(e.example)), e.term


def test_english_examples_cover_protocol_words() -> None:
    g = load_glossary("en")
    have = {e.term for e in g.entries if e.example and e.expected}
    for term in ("randomized", "prior to", "utilize", "inhibitor", "ambulatory",
                 "randomized, double-blind, placebo-controlled trial",
                 "inclusion criteria include"):  # fmt: skip
        assert term in have


def test_spanish_plurals_and_forms() -> None:
    es = make_glossary(
        [
            Entry("evento adverso", "replace", ("efecto dañino",), variants=("eventos adversos",)),
            Entry("asignado", "replace", ("puesto en un grupo",)),
            Entry(
                "aleatorizado",
                "replace",
                ("elegido al azar",),
                forms=(("aleatorizada", "elegida al azar"), ("aleatorizadas", "elegidas al azar")),
            ),
            Entry("intervención", "replace", ("tratamiento",)),
        ],
        "es",
    )

    def fix_es(text: str) -> str:
        edits = [drop_in(text, m.start, m.end, m.entry, "es") for m in es.find(text)]
        return apply_edits(text, [e for e in edits if e is not None])

    assert fix_es("Hubo eventos adversos.") == "Hubo efectos dañinos."
    assert fix_es("Eventos adversos: pocos.") == "Efectos dañinos: pocos."
    assert fix_es("La persona fue aleatorizada.") == "La persona fue elegida al azar."
    assert fix_es("Dos intervenciones.") == "Dos tratamientos."
    assert fix_es("Fueron aleatorizados.") == "Fueron elegidos al azar."
    # a gender form without an entry in ``forms`` is not guessed
    assert fix_es("Fue asignada.") == "Fue asignada."
    assert fix_es("Fue asignado.") == "Fue puesto en un grupo."


def test_capitals_of_abbreviations_and_plain_words() -> None:
    g = make_glossary(
        [
            Entry("HbA1c", "replace", ("Long-term sugar test",), category="abbreviation"),
            Entry("radiograph", "replace", ("X-ray",)),
        ]
    )

    def fix(text: str) -> str:
        edits = [drop_in(text, m.start, m.end, m.entry) for m in g.find(text)]
        return apply_edits(text, [e for e in edits if e is not None])

    assert fix("We check the HbA1c.") == "We check the long-term sugar test."
    assert fix("HbA1c is checked.") == "Long-term sugar test is checked."
    assert fix("You will have a radiograph.") == "You will have an X-ray."


def test_a_verb_used_before_a_noun_gets_advice_to_reword_not_a_fix() -> None:
    g = make_glossary([Entry("randomized", "replace", ("chosen by chance",), example="x")])
    c = check_document("p.md", "Randomized participants get the pill.\n", 1, [], glossary=g)
    (f,) = [f for f in c.findings if f.code == "JG001"]
    assert f.fix is None
    assert f.message == (
        'jargon "Randomized": say "chosen by chance" (reword the sentence: these words do not '
        'fit before "participants")'
    )
    c = check_document("p.md", "Participants are randomized.\n", 1, [], glossary=g)
    (f,) = [f for f in c.findings if f.code == "JG001"]
    assert f.fix is not None and f.message == 'jargon "randomized": say "chosen by chance"'
