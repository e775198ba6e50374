"""Inline definitions and abbreviations in page bodies (``sitegen.render.definitions``) and the
Glossary order (``sitegen.render.glossary``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from sitegen.readability import Entry
from sitegen.render.definitions import Labels, annotate
from sitegen.render.glossary import (
    entries_lexicon,
    glossary_entries,
    site_lexicon,
    sort_key,
    terms_from_entries,
)

PLACEBO = Entry("placebo", "explain", definition="A dummy treatment with no medicine in it.")
BIOPSY = Entry("biopsy", "explain", definition="Taking a small piece of tissue.")
AE = Entry(
    "AE",
    "replace",
    plain=("side effect",),
    definition="Short for adverse event.",
    expansion="adverse event",
    case_sensitive=True,
)
ECG_LONG = Entry("electrocardiogram", "explain", definition="A test of the heart's signals.")
ECG = Entry(
    "ECG", "explain", definition="Short for electrocardiogram.", expansion="electrocardiogram"
)
CONTROLLED = Entry("placebo-controlled", "replace", definition="Compared with a dummy.")
RANDOM = Entry("randomized", "replace", definition="Put in a group by chance.")
LABELS = Labels("Words explained in this part", "All words explained", "Back to the text")
LEXICON = entries_lexicon([PLACEBO, BIOPSY, AE, ECG_LONG, ECG, CONTROLLED, RANDOM])


def mark(html: str) -> str:
    return annotate(html, LEXICON.find, glossary_url="../glossary/", labels=LABELS).html


def test_first_use_becomes_a_footnote_link_and_a_definition_box() -> None:
    out = mark("<p>Some get a placebo. The placebo looks the same.</p>")
    assert out.count('class="term"') == 1
    assert (
        '<a class="term" id="term-placebo" href="#def-placebo" '
        'aria-describedby="def-placebo-text">placebo</a>. The placebo looks'
    ) in out
    assert (
        '<div class="term-entry" id="def-placebo" tabindex="-1"><dt><dfn>placebo</dfn></dt>'
        '<dd><span id="def-placebo-text">A dummy treatment with no medicine in it.</span>'
    ) in out
    assert '<a href="../glossary/#placebo">All words explained</a>' in out
    assert '<a class="term-back" href="#term-placebo">Back to the text</a>' in out


def test_box_closes_the_section_of_first_use() -> None:
    html = (
        '<p>Intro.</p><h2 id="a">A</h2><p>A biopsy.</p><ul><li>A placebo.</li></ul>'
        '<h2 id="b">B</h2><p>Another biopsy and placebo.</p>'
    )
    out = mark(html)
    a_start, b_start = out.index('<h2 id="a">'), out.index('<h2 id="b">')
    box = out.index('class="terms"')
    assert a_start < box < b_start  # one box, at the end of section A
    assert out.count('class="terms"') == 1
    assert out.index('id="def-biopsy"') < out.index('id="def-placebo"')
    assert out.endswith("<p>Another biopsy and placebo.</p>")


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="x">placebo</a></p>',
        '<h2 id="p">What is a placebo?</h2>',
        "<h3>placebo</h3>",
        "<p><code>placebo</code></p>",
        "<pre><code>placebo</code></pre>",
        '<p><abbr title="x">placebo</abbr></p>',
        "<p><dfn>placebo</dfn></p>",
    ],
)
def test_never_inside_links_headings_code_or_existing_markup(html: str) -> None:
    assert mark(html) == html


def test_a_longer_term_wins_so_placebo_controlled_is_not_placebo() -> None:
    out = mark("<p>A placebo-controlled study. Later a placebo.</p>")
    assert "placebo-controlled study" in out
    assert 'aria-describedby="def-placebo-text">placebo</a>.' in out


def test_replace_terms_are_left_to_the_readability_gate() -> None:
    assert mark("<p>You will be randomized.</p>") == "<p>You will be randomized.</p>"


def test_plural_and_sentence_case_match_and_show_the_headword() -> None:
    out = mark("<p>Biopsies are taken.</p>")
    assert 'href="#def-biopsy" aria-describedby="def-biopsy-text">Biopsies</a>' in out
    assert "<dt><dfn>biopsies</dfn></dt>" in out


def test_abbreviation_gets_abbr_and_visible_expansion_once() -> None:
    out = mark("<p>An AE is reported. Another AE.</p>")
    assert '<abbr title="adverse event">AE</abbr> <span class="abbr-expansion">' in out
    assert "(adverse event)</span> is reported. Another AE.</p>" in out
    assert 'class="terms"' not in out  # a replace term has no inline definition


def test_spelled_out_abbreviation_gets_no_second_expansion() -> None:
    out = mark("<p>An adverse event (AE) is any health problem.</p>")
    assert '(<abbr title="adverse event">AE</abbr>) is' in out
    assert "abbr-expansion" not in out


def test_abbreviation_of_a_defined_term_is_not_defined_twice() -> None:
    out = mark("<p>An electrocardiogram (ECG) records the heart.</p>")
    assert out.count('class="term-entry"') == 1
    assert '(<abbr title="electrocardiogram">ECG</abbr>)' in out


def test_case_sensitive_abbreviations_need_their_spelling() -> None:
    html = "<p>Ae and ae are not abbreviations.</p>"
    assert mark(html) == html


def test_text_is_escaped_and_entities_survive() -> None:
    out = mark("<p>5 &lt; 6 &amp; a placebo &gt; none</p>")
    assert out.startswith("<p>5 &lt; 6 &amp; a ")
    assert "</a> &gt; none</p>" in out


def test_output_is_well_nested_html() -> None:
    out = mark(
        "<p>A <em>placebo</em> and a biopsy.</p><table><tr><td>AE</td></tr></table>"
        '<h2 id="x">X</h2><p>biopsy</p>'
    )
    checker = _Nesting()
    checker.feed(out)
    assert checker.stack == [] and checker.errors == []
    # nothing block-level inside a paragraph
    for p in out.split("<p>")[1:]:
        inner = p.split("</p>")[0]
        assert "<div" not in inner and "<dl" not in inner


def test_used_terms_are_reported_in_order() -> None:
    result = annotate(
        "<p>A biopsy, an AE and a placebo.</p>",
        LEXICON.find,
        glossary_url="g/",
        labels=LABELS,
    )
    assert [t.term for t in result.used] == ["biopsy", "AE", "placebo"]


def test_no_dictionary_no_change() -> None:
    html = "<p>A placebo.</p>"
    out = annotate(html, lambda text: [], glossary_url="g/", labels=LABELS)
    assert out.html == html and out.used == ()


def test_glossary_is_alphabetical_ignoring_case_and_accents() -> None:
    terms = terms_from_entries(
        [
            Entry("órgano", "explain", definition="x"),
            Entry("Zeta", "explain", definition="x"),
            Entry("ensayo", "explain", definition="x"),
            Entry("ensayo", "explain", definition="duplicate headword, second anchor"),
        ]
    )
    assert [t.anchor for t in terms] == ["organo", "zeta", "ensayo", "ensayo-2"]
    ordered = glossary_entries([terms[1], terms[0], terms[2], terms[0]])
    assert [t.term for t in ordered] == ["ensayo", "órgano", "Zeta"]
    assert sort_key("Ésta") < sort_key("estb")


def test_the_glossary_shows_an_expansion_the_definition_does_not_spell_out() -> None:
    """ "ECG (Short for: electrocardiogram)" above "Short for electrocardiogram, a quick test"
    said it twice; "HbA1c (Short for: glycated hemoglobin)" above "A blood test ..." once."""
    spelled, plain = terms_from_entries(
        [
            Entry("ECG", "explain", definition="Short for Electrocardiogram, a test.",
                  expansion="electrocardiogram"),
            Entry("HbA1c", "replace", definition="A blood test.", expansion="glycated hemoglobin"),
        ]
    )  # fmt: skip
    assert spelled.expansion_shown is None
    assert plain.expansion_shown == "glycated hemoglobin"


@pytest.mark.parametrize(
    ("lang", "wrong"),
    [
        ("en", r"Short for (a|an|the) "),
        ("es", r"Abreviatura (de (un|una|el|la|los|las)|del comité) "),
    ],
)
def test_no_abbreviation_is_short_for_a_description(lang: str, wrong: str) -> None:
    """The Glossary printed "HbA1c (Short for: glycated hemoglobin)" over "Short for a blood
    test that shows ...": an abbreviation is short for its expansion, not for a description."""
    terms = [t for t in site_lexicon(lang).terms if t.expansion]
    assert len(terms) > (100 if lang == "en" else 40)
    found = [f"{t.term}: {t.definition}" for t in terms if re.match(wrong, t.definition)]
    assert found == []


class _Nesting(HTMLParser):
    VOID = frozenset({"br", "img", "hr", "input", "meta", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(tag)
        else:
            self.stack.pop()
