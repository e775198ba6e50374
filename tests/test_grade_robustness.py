"""Grade robustness (RD006, RD007): padding a hard page with text a patient cannot use
(garbled runs of short words, headings, lists of fragments) does not make its grade easier."""

from __future__ import annotations

from sitegen.readability import GateSettings, check_document
from sitegen.readability.extract import extract
from sitegen.readability.robust import SHARE, garbled, sort_sentences

#: a protocol-style paragraph: blocked on its grade alone
HARD = (
    "## What is this study about?\n\n"
    "This randomised, double-blind, placebo-controlled phase 2 trial evaluates the efficacy "
    "and safety of subcutaneous administration in adults with inadequately controlled "
    "hypertension. Eligible participants undergo ambulatory blood pressure monitoring, "
    "comprehensive laboratory assessment and electrocardiography at baseline and at "
    "scheduled intervals throughout the twelve-week treatment period. Participants receive "
    "either the investigational medication or matching placebo according to a "
    "computer-generated randomisation schedule.\n"
)
SETTINGS = GateSettings(block_on_replace_jargon=False)


def _check(body: str):  # type: ignore[no-untyped-def]
    return check_document("p.md", body, 1, [], settings=SETTINGS)


def test_the_hard_page_is_blocked_on_its_grade() -> None:
    check = _check(HARD)
    assert check.grade > 10 and check.verdict == "block"


def test_a_list_of_fragments_does_not_dilute_the_grade() -> None:
    base = _check(HARD)
    fragments = "\n".join(f"- Blood test {i}" for i in range(40))
    padded = _check(HARD + "\n## Tests\n\n" + fragments + "\n")
    assert padded.grade >= base.grade
    assert padded.verdict == "block"
    [rd007] = [f for f in padded.findings if f.code == "RD007"]
    assert "fragment" in rd007.message


def test_headings_do_not_dilute_the_grade() -> None:
    base = _check(HARD)
    headings = "\n\n".join(f"## Part {i} of it" for i in range(30))
    padded = _check(HARD + "\n" + headings + "\n")
    assert padded.grade >= base.grade and padded.verdict == "block"


def test_a_headings_only_page_is_refused() -> None:
    body = "\n\n".join(f"## What you do on day {i} at the clinic" for i in range(12)) + "\n"
    check = _check(body)
    assert check.verdict == "block"
    codes = {f.code for f in check.findings}
    assert "RD007" in codes  # no full sentences: no grade to pass on
    assert "PH004" in codes  # and every heading is empty


GARBLED = (
    "Chosen by chance the phase 2 trial check the how well it works. "
    "You get the the blood pressure check at the clinic. "
    "A will of the team to is a check of the new a way. "
)


def test_garbled_sentences_are_found_and_do_not_dilute_the_grade() -> None:
    assert garbled(["check", "the", "how", "well", "it", "works"], "en")
    assert garbled(["get", "the", "the", "blood", "test"], "en")
    assert not garbled(["we", "had", "had", "enough", "of", "it"], "en")
    assert not garbled(["dosage,", "dosage", "frequency", "and", "device"], "en")
    assert garbled(["sabemos", "la", "cómo", "funciona"], "es")
    assert not garbled(["una", "de", "las", "clínicas", "de", "España"], "es")
    base = _check(HARD)
    padded = _check(HARD + "\n" + GARBLED * 6 + "\n")
    assert padded.grade >= base.grade and padded.verdict == "block"
    rd006 = [f for f in padded.findings if f.code == "RD006"]
    assert rd006 and rd006[0].text.startswith("Chosen by chance")


def test_a_page_of_garbled_text_only_is_refused() -> None:
    check = _check("## What is this study about?\n\n" + GARBLED * 6 + "\n")
    assert check.verdict == "block"
    assert any(f.code == "RD007" and f.severity == "error" for f in check.findings)


def test_normal_pages_are_graded_as_before() -> None:
    """Headings and short list items of a page written normally stay well under SHARE."""
    body = HARD + "\n## What happens\n\n- You come to the clinic 4 times.\n- Blood test\n"
    prose = extract(body, 1, [])
    usable = sort_sentences(prose, "en")
    assert usable.unusable < SHARE * usable.words
    assert not [f for f in _check(body).findings if f.code == "RD007"]
