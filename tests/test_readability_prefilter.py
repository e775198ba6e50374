"""The cheap tests that skip a search (``readability/prefilter.py``): a search they skip could
not have matched, so every result is the one the full search gives."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.content.draft_texts import placeholder_texts
from sitegen.readability import clarity, placeholders
from sitegen.readability.extract import extract
from sitegen.readability.model import GateSettings, ProseField
from sitegen.readability.prefilter import ascii_folded

#: words and numbers the number rules look for, near misses, and the four characters outside
#: ASCII that a case-insensitive pattern lets match an ASCII letter
PIECES = [
    "1", "3", "10", "100", "1,000", "12.5", "2,5", "%", " %", "/", " / ", "1/3", "percent",
    "per", "cent", "por", "ciento", "cada", "in", "IN", "ın", "İn", "out of", "of every",
    "de cada", "entre", "every", "one", "two", "Three", "ſix", "uno", "dos", "times", "as",
    "likely", "many", "much", "often", "common", "twice", "half", "halves", "Halved",
    "reduced", "lowers", "cut", "raises", "increased", "decrease", "by", "BY", "a third",
    "a quarter", "subtract", "multiply", "divide", "add up", "aDD\tup", "reste",
    "multiplique", "divida", "sume", "resume", "doble", "el doble", "la mitad", "veces",
    "más", "menos", "lower", "higher", "less", "more", "fewer", "the", "risk", "you", "é",
    "\u212a", "\u0130", "\u0131", "\u017f", " ", "  ", "\n", "\t", ".", ",", "(", ")",
    "1 in 10", "uno de cada 10", "dos entre 100", "3 out of every 100", "30% lower",
    "5 % menos", "per 1,000", "por cada 1.000", "2 times more", "twice as likely",
    "cut it by 10%", "cuts it by half", "reduce falls by half", "reduce el riesgo en un 20 %",
    "12.5%",
]  # fmt: skip
#: mostly the pieces above, some random text, joined mostly by spaces
TEXTS = st.lists(
    st.tuples(st.sampled_from(PIECES) | st.sampled_from(PIECES) | st.text(max_size=4),
              st.sampled_from([" ", " ", "", "\n"])),
    min_size=3, max_size=30,
).map(lambda parts: "".join(p + sep for p, sep in parts))  # fmt: skip


def _page(text: str, lang: str) -> clarity.Page:
    prose = extract(text, 1, [])
    return clarity.Page(prose, lang, 6.0, 100, 10, GateSettings(), [])


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> None:
    assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, lang=st.sampled_from(["en", "es"]))
def test_number_searches_give_what_the_full_search_gives(text: str, lang: str) -> None:
    p = _page(text, lang)
    full = p.text
    assert [(m.span(), m.groups()) for m in p.in_n] == [
        (m.span(), m.groups()) for m in clarity._IN_N.finditer(full)
    ]
    _same(p.percent, clarity._PERCENT.search(full))
    _same(p.calculation(), clarity._CALCULATION.search(full))
    _same(p.relative(), clarity._RELATIVE[lang].search(full))


#: one of each kind of match of each search, English first, then Spanish
KINDS = [
    "1 in 10", "1 in every 10", "3 out of every 100", "1 of every 5", "5%", "5 percent",
    "5 per cent", "1/3", "per 1,000", "subtract", "multiply", "divide", "add up", "30% lower",
    "cut it by 10%", "cuts it by half", "reduce falls by half", "lowered it by a third",
    "raises it by a quarter",
    "increased by 5%", "decreases by half", "twice as likely", "two times as many",
    "half as much", "3 times as often", "five as common", "2 times more", "halves", "halved",
    "ſubtract", "1 İN 5", "3 \u0131n 10",
]  # fmt: skip
KINDS_ES = [
    "uno de cada 10", "dos entre 100", "5 por ciento", "por cada 1.000", "reste",
    "multiplique", "divida", "sume", "5 % menos", "reduce el riesgo en un 20 %", "el doble",
    "la mitad", "3 veces más",
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "lang"), [(k, "en") for k in KINDS] + [(k, "es") for k in KINDS_ES]
)
@pytest.mark.parametrize("other", [False, True])
def test_each_kind_of_number_is_still_found(kind: str, lang: str, other: bool) -> None:
    """Each kind is found, in its language, as the full search finds it (and not found in
    the other language's rules where the full search does not find it either)."""
    if other:
        lang = "es" if lang == "en" else "en"
    p = _page(f"We said it plainly: {kind} of the people here.", lang)
    full = p.text
    found = [
        list(clarity._IN_N.finditer(full)),
        clarity._PERCENT.search(full),
        clarity._CALCULATION.search(full),
        clarity._RELATIVE[lang].search(full),
    ]
    assert other or any(found)
    assert [m.span() for m in p.in_n] == [m.span() for m in found[0]]
    _same(p.percent, found[1])
    _same(p.calculation(), found[2])
    _same(p.relative(), found[3])


def test_only_four_characters_outside_ascii_match_an_ascii_letter() -> None:
    """The premise of ``ascii_folded``, checked over every code point."""
    letter = re.compile("(?i)[a-z]")
    others = [chr(i) for i in range(sys.maxunicode + 1) if letter.fullmatch(chr(i)) and i >= 0x80]
    assert sorted(others) == sorted("\u0130\u0131\u017f\u212a")
    for c in others:
        folded = ascii_folded(c)
        assert len(folded) == 1 and re.fullmatch(f"(?i){folded}", c)


def test_folded_text_has_every_ascii_word_a_case_insensitive_search_finds() -> None:
    text = "MULTIPLY, ſUBTRACT, dıvide, İNcrease by \u212aelvin"
    for word in ("multiply", "subtract", "divide", "increase", "kelvin"):
        assert re.search(word, text, re.I)
        assert word in ascii_folded(text)


def test_whitespace_is_the_same_for_a_pattern_and_for_split() -> None:
    """The premise of collapsing spacing before looking for a hint's words."""
    space = re.compile(r"\s")
    for i in range(sys.maxunicode + 1):
        assert bool(space.fullmatch(chr(i))) == chr(i).isspace(), hex(i)


HINTS, _ = placeholder_texts()
#: hint sentences (whole, cut short, in other case and spacing), filler, to-do markers and
#: near misses
PLACEHOLDER_PIECES = [
    *HINTS, *(h.upper() for h in HINTS), *(h.replace(" ", "\n  ") for h in HINTS),
    *(h.replace(" ", " \t ") for h in HINTS),
    *(" ".join(h.split()[:3]) for h in HINTS), "lorem ipsum", "Lorem Ipsum dolor sit amet",
    "dolor sit amet", "consectetur adipiscing", "TODO", "TODO:", "todo", "TBD", "TBC", "FIXME",
    "XX", "XXX", "x-XX", "[insert date]", "[Add the name]", "[ name of the clinic ]",
    "[añada aquí]", "[Nombre del centro]", "[link](https://example.org)", "{{ name }}",
    "<<name>>", "ſay in one or two ſhort sentences", "İnsert", "\u212a", ".", "!", "\n\n", "## ",
    "- ", "We", "the", "study", "clinic", "sentences", "participar",
]  # fmt: skip
BODIES = st.lists(
    st.tuples(st.sampled_from(PLACEHOLDER_PIECES) | st.text(max_size=3),
              st.sampled_from([" ", ". ", "\n", "\n\n"])),
    min_size=1, max_size=25,
).map(lambda parts: "".join(p + sep for p, sep in parts))  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODIES, lang=st.sampled_from(["en", "es"]))
def test_placeholder_searches_give_what_the_full_searches_give(body: str, lang: str) -> None:
    prose = extract(body, 1, [ProseField("summary", body[:40], 2, 10)])
    quick = placeholders.placeholder_hits(prose, lang, HINTS, body, 3)
    with pytest.MonkeyPatch.context() as mp:  # every cheap test passes: every search runs
        mp.setattr(placeholders, "_hint_keys", lambda hints: ("",))
        mp.setattr(placeholders, "_LOREM_KEYS", ("",))
        mp.setattr(placeholders, "_MARKER_KEYS", ("",))
        full = placeholders.placeholder_hits(prose, lang, HINTS, body, 3)
    assert quick == full
