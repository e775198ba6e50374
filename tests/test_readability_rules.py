"""One test table per rule: the exact findings (code, text, line:column, message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.readability import GateSettings, ProseField, check_document, make_glossary
from sitegen.readability.jargon import read_entries

FIXTURES = Path(__file__).parent / "fixtures" / "readability"
EN = make_glossary(read_entries(FIXTURES / "jargon.en.yml", "en")[0])
ES = make_glossary(read_entries(FIXTURES / "jargon.es.yml", "es")[0], "es")


def findings(
    text: str, codes: tuple[str, ...], lang: str = "en", *, field: bool = False, **settings: object
) -> list:
    """Findings for ``text`` as the page body, or as a front-matter field (``field=True``)."""
    glossary = ES if lang == "es" else EN
    body, fields = (" ", [ProseField("summary", text, 1, 1)]) if field else (text, [])
    check = check_document(
        "p.md", body, 1, fields, lang=lang, glossary=glossary, settings=GateSettings(**settings)
    )
    return [(f.code, f.text, f.column, f.severity) for f in check.findings if f.code in codes]


def messages(text: str, code: str, lang: str = "en", *, field: bool = False) -> list[str]:
    glossary = ES if lang == "es" else EN
    body, fields = (" ", [ProseField("summary", text, 1, 1)]) if field else (text, [])
    check = check_document("p.md", body, 1, fields, lang=lang, glossary=glossary)
    return [f.message for f in check.findings if f.code == code]


# --------------------------------------------------------------------------- JG001, JG002

JARGON = ("JG001", "JG002")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You will be randomised.", [("JG001", "randomised", 13, "error")]),
        ("A placebo pill.", [("JG002", "placebo", 3, "warning")]),
        ("A placebo pill. Another placebo.", [("JG002", "placebo", 3, "warning")]),
        ("A placebo (a dummy pill) is used.", []),
        ("Some people get a dummy pill (placebo).", []),
        ("A placebo is a dummy pill.", []),
        ("A placebo means a dummy pill.", []),
        ("A placebo, which means a dummy pill.", []),
        ("You may get a pill called a placebo.", []),
        ("First a placebo (a dummy). Later a placebo.", []),
    ],
)  # fmt: skip
def test_jargon_findings_in_front_matter_text(text: str, expected: list) -> None:
    """Titles, summaries and eligibility bullets get no inline definitions: JG002 applies."""
    assert findings(text, JARGON, field=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You will be randomised.", [("JG001", "randomised", 13, "error")]),
        ("A placebo pill.", []),  # the site marks the first use up as a definition
        ("Read about the [placebo](/glossary/#placebo) here.", []),
        ("A <dfn>placebo</dfn> is used.", []),
        ("The medical word for this is randomization.", []),
        ("This is called randomized. Later, randomized again.",
         [("JG001", "randomized", 35, "error")]),
        ("Swelling of the pancreas (pancreatitis).", []),
    ],
)  # fmt: skip
def test_jargon_findings_in_page_text(text: str, expected: list) -> None:
    assert findings(text, JARGON) == expected


def test_explain_term_in_summary_is_defined_by_the_page_text() -> None:
    check = check_document(
        "p.md",
        "A placebo pill.",
        3,
        [ProseField("summary", "You may get a placebo.", 2, 10)],
        glossary=EN,
    )
    assert [f.code for f in check.findings if f.code.startswith("JG")] == []


def test_jargon_messages_and_severity_setting() -> None:
    assert messages("You will be randomized.", "JG001") == [
        'jargon "randomized": say "chosen by chance"'
    ]
    assert messages("A biopsy.", "JG002", field=True) == [
        '"biopsy" needs a short explanation where it is first used'
    ]
    assert findings("You will be randomized.", JARGON, block_on_replace_jargon=False) == [
        ("JG001", "randomized", 13, "warning")
    ]
    assert findings("You will be randomized.", JARGON, allow=frozenset({"randomized"})) == []


# --------------------------------------------------------------------------- JG003


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You will have an MRI scan. The MRI is loud.", [("JG003", "MRI", 18, "warning")]),
        ("A magnetic resonance imaging (MRI) scan. The MRI is loud.", []),
        ("An MRI (magnetic resonance imaging) scan.", []),
        ("An <abbr title=\"magnetic resonance imaging\">MRI</abbr> scan.", []),
        ("Your HbA1c and COVID-19 tests.", [("JG003", "HbA1c", 6, "warning"),
                                           ("JG003", "COVID-19", 16, "warning")]),
        ("The drug NUH-417 in Phase III, in the US and UK, is OK.", []),
        ("PLEASE BRING YOUR LETTER TO EVERY VISIT.", []),
        ("PAST MEDICAL HISTORY of asthma, and a PHYSICAL EXAM with an ECG.",
         [("JG003", "ECG", 61, "warning")]),
        ("A CT scan.", [("JG003", "CT", 3, "warning")]),
        ("A computed tomography (CT) scan.", []),
        ("People with NSCLC.", []),  # a replace term: JG001 says it better
    ],
)  # fmt: skip
def test_acronym_findings(text: str, expected: list) -> None:
    assert findings(text, ("JG003",)) == expected


def test_acronym_messages_use_dictionary_expansions() -> None:
    assert messages("A CT scan.", "JG003") == [
        'abbreviation "CT" is not spelled out at first use: write "computed tomography (CT)"'
    ]
    assert messages("An MRI scan.", "JG003") == [
        'abbreviation "MRI" is not spelled out at first use: write the full words, then "(MRI)"'
    ]
    assert findings("An MRI scan.", ("JG003",), allow=frozenset({"mri"})) == []


# --------------------------------------------------------------------------- JG004


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bring snacks, e.g. fruit.", [("JG004", "e.g.", 15, "warning")]),
        ("Bring snacks (i.e. fruit), nuts etc.",
         [("JG004", "i.e.", 15, "warning"), ("JG004", "etc.", 33, "warning")]),
        ("Pills vs. cream; Smith et al. found it; cf. page 2; viz. this.",
         [("JG004", "vs.", 7, "warning"), ("JG004", "et al.", 24, "warning"),
          ("JG004", "cf.", 41, "warning"), ("JG004", "viz.", 53, "warning")]),
        ("Eggs, tea, vest and etcetera.", []),
    ],
)  # fmt: skip
def test_latin_findings(text: str, expected: list) -> None:
    assert findings(text, ("JG004",)) == expected


def test_latin_message() -> None:
    assert messages("Fruit, e.g. apples.", "JG004") == [
        'Latin abbreviation "e.g.": say "for example"'
    ]
    assert messages("Frutas, p. ej. manzanas, etc.", "JG004", lang="es") == [
        'Latin abbreviation "etc.": say "y otros"'
    ]


# --------------------------------------------------------------------------- JG005


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You may feel lassitude.", [("JG005", "lassitude", 14, "note")]),
        ("You will meet Dr. Quenby at the clinic.", []),  # a name inside a sentence
        ("Lassitude is common.", [("JG005", "Lassitude", 1, "note")]),
        ("Take NUH-417 and 20 mg daily.", []),
        ("A placebo or a biopsy.", []),  # dictionary terms are JG001/JG002, not rare words
        ("You may feel post-lassitude.", [("JG005", "lassitude", 19, "note")]),
    ],
)  # fmt: skip
def test_rare_word_findings(text: str, expected: list) -> None:
    assert findings(text, ("JG005",)) == expected


def test_rare_word_threshold_and_allow_list() -> None:
    assert findings("You may feel lassitude.", ("JG005",), rare_word_zipf=1.0) == []
    assert findings("You may feel lassitude.", ("JG005",), allow=frozenset({"lassitude"})) == []
    assert messages("You may feel lassitude.", "JG005") == [
        'a word few readers know: "lassitude" (about 1 in 20,000,000 words): use a common word '
        "or explain it"
    ]


def test_a_repeated_rare_word_is_one_finding_with_a_count() -> None:
    text = "You may feel lassitude. Lassitude passes. Tell us about your lassitude."
    assert findings(text, ("JG005",)) == [("JG005", "lassitude", 14, "note")]
    assert messages(text, "JG005")[0].endswith("(used 3 times on this page)")


@pytest.mark.parametrize(
    "text",
    [
        "Lassitude (feeling very tired) is common. Lassitude passes.",
        "Feeling very tired (lassitude) is common. Your lassitude passes.",
        "You may feel lassitude, which means feeling very tired. The lassitude passes.",
    ],
)
def test_a_rare_word_explained_at_first_use_is_not_reported(text: str) -> None:
    assert findings(text, ("JG005",)) == []


def test_the_pages_own_subjects_are_not_rare_words() -> None:
    text = "The nebuliser is new. You use the nebuliser twice a day."
    assert findings(text, ("JG005",)) != []
    assert findings(text, ("JG005",), subjects=frozenset({"nebuliser"})) == []


# --------------------------------------------------------------------------- RD002, RD003

LONG = "You " + "will " * 19 + "come."  # 21 words


def test_long_sentences() -> None:
    assert findings(LONG, ("RD002",)) == [("RD002", LONG, 1, "warning")]
    assert messages(LONG, "RD002") == ["sentence of 21 words; aim for 20 or fewer"]
    assert findings("You " + "will " * 18 + "come.", ("RD002",)) == []
    assert findings("You will come to the clinic on time.", ("RD002",), max_sentence_words=5) == [
        ("RD002", "You will come to the clinic on time.", 1, "warning")
    ]


def test_long_list_items_are_found_on_their_own_line() -> None:
    body = "Intro.\n\n- " + LONG + "\n- Short item\n"
    check = check_document("p.md", body, 1, [], glossary=EN)
    long = [f for f in check.findings if f.code == "RD002"]
    assert [(f.line, f.column, f.text) for f in long] == [(3, 3, LONG)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your blood will be tested.", [("RD003", "be tested", 17, "note")]),
        ("The results were written down.", [("RD003", "were written", 13, "note")]),
        ("You are not randomly chosen.", [("RD003", "are not randomly chosen", 5, "note")]),
        ("It is being tested.", [("RD003", "being tested", 7, "note")]),
        ("The clinic is located in town and is based in a school.", []),
        ("We will test your blood.", []),
        ("You are worried and tired.", []),
        ("La muestra será analizada.", [("RD003", "será analizada", 12, "note")]),
    ],
)  # fmt: skip
def test_passive_voice(text: str, expected: list) -> None:
    lang = "es" if text.startswith("La ") else "en"
    assert findings(text, ("RD003",), lang=lang) == expected


# --------------------------------------------------------------------------- PR001


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This new treatment is a breakthrough!",
         [("PR001", "new treatment", 6, "error"), ("PR001", "breakthrough", 25, "error")]),
        ("This miracle cure is guaranteed.",
         [("PR001", "miracle", 6, "error"), ("PR001", "cure", 14, "error"),
          ("PR001", "guaranteed", 22, "error")]),
        ("The medicine is completely safe.", [("PR001", "completely safe", 17, "error")]),
        ("The medicine is safe and works.", [("PR001", "safe", 17, "error")]),
        ("It is a proven treatment.", [("PR001", "proven", 9, "error")]),
        ("You get free treatment and free medicine.",
         [("PR001", "free treatment", 9, "error"), ("PR001", "free medicine", 28, "error")]),
        ("Act now to join.", [("PR001", "Act now", 1, "error")]),
        ("You will be paid $50!", [("PR001", "!", 21, "error")]),
        # not promotional
        ("There is no cure for asthma.", []),
        ("We will check how safe it is.", []),
        ("We want to see if it is safe.", []),
        ("Walking is safe for most people.", []),
        ("Keep it in a safe place. Safety checks come first.", []),
        ("It is not yet proven.", []),
        ("There is no guarantee it will help.", []),
        ("The new medicine is being tested in this study.", []),
        ("Breakthrough pain can happen.", []),
        ("Great news! You can join.", []),
        ("You get free parking.", []),
    ],
)  # fmt: skip
def test_promotional(text: str, expected: list) -> None:
    assert findings(text, ("PR001",)) == expected


def test_promotional_severity_setting_and_message() -> None:
    assert findings("A breakthrough.", ("PR001",), block_on_promotional=False) == [
        ("PR001", "breakthrough", 3, "warning")
    ]
    assert messages("A breakthrough.", "PR001") == [
        'promotional wording "breakthrough": describe the study neutrally'
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Este tratamiento nuevo es un milagro.",
         [("PR001", "tratamiento nuevo", 6, "error"), ("PR001", "milagro", 30, "error")]),
        ("El estudio es gratis y el resultado está garantizado.",
         [("PR001", "gratis", 15, "error"), ("PR001", "garantizado", 42, "error")]),
        ("Le pagamos 50 euros por visita!", [("PR001", "!", 31, "error")]),
        ("No hay cura para el asma.", []),
        ("El medicamento nuevo se está probando en este estudio.", []),
    ],
)  # fmt: skip
def test_spanish_promotional(text: str, expected: list) -> None:
    assert findings(text, ("PR001",), lang="es") == expected


def test_spanish_jargon_and_long_sentences() -> None:
    text = "Usted será aleatorizado. " + "Usted " + "puede " * 20 + "venir."
    got = findings(text, ("JG001", "RD002"), lang="es")
    assert got[0] == ("JG001", "aleatorizado", 12, "error")
    assert got[1][0] == "RD002"
