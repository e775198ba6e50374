"""Prose extraction and sentence splitting (sitegen.readability.text)."""

from __future__ import annotations

import pytest

from sitegen.readability import ProseField
from sitegen.readability.extract import extract
from sitegen.readability.sentences import split_sentences, words


def sentences(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Lee will see you. Then you go home.", ["Dr. Lee will see you.", "Then you go home."]),
        ("Take 2.5 mg twice a day. Stop if you feel sick.",
         ["Take 2.5 mg twice a day.", "Stop if you feel sick."]),
        ("You may get a mild illness, e.g. a cold. It soon passes.",
         ["You may get a mild illness, e.g. a cold.", "It soon passes."]),
        ("We compare drug A vs. drug B. Both are pills.",
         ["We compare drug A vs. drug B.", "Both are pills."]),
        ("Bring pills, creams, etc. to the visit. We check them.",
         ["Bring pills, creams, etc. to the visit.", "We check them."]),
        ("Bring pills, creams, etc. The nurse checks them.",
         ["Bring pills, creams, etc.", "The nurse checks them."]),
        ("Mrs. Smith and Mr. Jones met Prof. Lee and Ms. Brown. They talked.",
         ["Mrs. Smith and Mr. Jones met Prof. Lee and Ms. Brown.", "They talked."]),
        ("The dose is approx. 3 tablets. That is all.",
         ["The dose is approx. 3 tablets.", "That is all."]),
        ("Ask for form No. 5 at the desk. It is on the left.",
         ["Ask for form No. 5 at the desk.", "It is on the left."]),
        ("J. Smith leads the study. She is a nurse.",
         ["J. Smith leads the study.", "She is a nurse."]),
        ("Ask John F. Kennedy or write to J. Smith. Take vitamin D. Then rest.",
         ["Ask John F. Kennedy or write to J. Smith.", "Take vitamin D.", "Then rest."]),
        ("It helps, i.e. it lowers pain. Good.", ["It helps, i.e. it lowers pain.", "Good."]),
        ("Is this right for me? Ask your doctor! We can help.",
         ["Is this right for me?", "Ask your doctor!", "We can help."]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("Results were 3.5 times better in week 2.", ["Results were 3.5 times better in week 2."]),
        ("Wait... then call us. Thanks.", ["Wait... then call us.", "Thanks."]),
        ("¿Puede participar? Sí. El Dr. Ruiz le explica todo.",
         ["¿Puede participar?", "Sí.", "El Dr. Ruiz le explica todo."]),
        ("...", []),
        ("", []),
    ],
)  # fmt: skip
def test_sentence_split_traps(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def body_sentences(body: str) -> list[str]:
    return [s.text for s in extract(body, 1).sentences]


def test_headings_and_bullets_are_sentences_of_their_own() -> None:
    body = (
        "## Who can join\n"
        "\n"
        "You may be able to join if\n"
        "- you are 18 or older\n"
        "- you have asthma\n"
        "  - and use an inhaler\n"
        "* you live near a clinic\n"
        "1. you can come to 6 visits\n"
        "\n"
        "Setext heading\n"
        "--------------\n"
        "A paragraph that runs\n"
        "over two lines. And a second sentence.\n"
    )
    assert body_sentences(body) == [
        "Who can join",
        "You may be able to join if",
        "you are 18 or older",
        "you have asthma",
        "and use an inhaler",
        "you live near a clinic",
        "you can come to 6 visits",
        "Setext heading",
        "A paragraph that runs over two lines.",
        "And a second sentence.",
    ]


def test_table_cells_blockquotes_and_skipped_blocks() -> None:
    body = (
        "| When | What happens |\n"
        "|------|:------------:|\n"
        "| Week 1 | A blood test |\n"
        "\n"
        "> Quoted advice here.\n"
        "> More of it\n"
        "\n"
        "```python\n"
        "print('not prose')\n"
        "```\n"
        "\n"
        "    indented code is skipped\n"
        "\n"
        '<div class="note">\n'
        "HTML block text is skipped\n"
        "</div>\n"
        "\n"
        "<!-- a comment\n"
        "over lines -->\n"
        "{: .lead }\n"
        "[ref]: https://example.org/a\n"
        "*[HTML]: Hyper Text Markup Language\n"
        "---\n"
        "Last line.\n"
    )
    assert body_sentences(body) == [
        "When",
        "What happens",
        "Week 1",
        "A blood test",
        "Quoted advice here.",
        "More of it",
        "Last line.",
    ]


def positions(body: str, body_line: int = 1) -> list[tuple[str, int, int]]:
    """Every word with its file line and column."""
    prose = extract(body, body_line)
    out = []
    for s in prose.sentences:
        for w in s.words:
            line, col, _, _, text = prose.locate(s.block, w.start, w.end)
            out.append((text, line, col))
    return out


def test_extraction_skips_non_prose_with_exact_positions() -> None:
    body = (
        "See `code here` and https://example.org/page now.\n"
        "Mail help@example.org or call +44 20 7946 0958.\n"
        "Study NCT01234567 (EudraCT 2004-123456-12) is <b>open</b>.\n"
        '[Read **more**](https://x.org/a_(b) "title") ![a map](map.png) here.\n'
    )
    assert positions(body, body_line=10) == [
        ("See", 10, 1),
        ("and", 10, 17),
        ("now", 10, 46),
        ("Mail", 11, 1),
        ("or", 11, 23),
        ("call", 11, 26),
        ("Study", 12, 1),
        ("EudraCT", 12, 20),
        ("is", 12, 44),
        ("open", 12, 50),
        ("Read", 13, 2),
        ("more", 13, 9),
        ("a", 13, 48),
        ("map", 13, 50),
        ("here", 13, 64),
    ]


def test_numbers_that_are_not_phone_numbers_stay() -> None:
    body = "Visits on 2025-03-01 and 2025-04-01 take 1 to 2 hours; 1,200 people join.\n"
    assert [w for w, _, _ in positions(body)] == [
        "Visits", "on", "2025-03-01", "and", "2025-04-01", "take", "1", "to", "2", "hours",
        "1,200", "people", "join",
    ]  # fmt: skip


def test_inline_markup_entities_and_escapes() -> None:
    source = 'Fish &amp; chips, \\*not\\* emphasis, <abbr title="x ray">XR</abbr> _now_.'
    prose = extract(source, 1)
    assert prose.blocks[0].text.split() == [
        "Fish", "&", "chips,", "*not*", "emphasis,", "XR", "now."
    ]  # fmt: skip
    assert [sp.kind for sp in prose.blocks[0].spans] == ["abbr"]


def test_fields_come_first_and_keep_their_positions() -> None:
    fields = [
        ProseField("title", "Testing an inhaler", 2, 9),
        ProseField("summary", "A folded\nsummary text", 3, 10, exact=False),
    ]
    prose = extract("Body text here.\n", 20, fields)
    assert [b.kind for b in prose.blocks] == ["field", "field", "paragraph"]
    assert prose.locate(0, 8, 15)[:2] == (2, 17)  # "inhaler"
    assert prose.locate(1, 9, 16) == (3, 10, 3, 10, "summary")  # inexact: the field's start
    assert prose.locate(2, 5, 9)[:2] == (20, 6)
    assert prose.field_name(0) == "title" and prose.field_name(2) == ""


def test_sections_follow_level_two_headings() -> None:
    body = (
        "# Page\n\nIntro.\n\n## First part\n\nOne.\n\n### Detail\n\nTwo.\n\n## Second\n\nThree.\n"
    )
    prose = extract(body, 1)
    assert [s.title for s in prose.sections] == ["First part", "Second"]
    by_text = {b.text: b.section for b in prose.blocks}
    assert by_text == {"Page": -1, "Intro.": -1, "First part": 0, "One.": 0, "Detail": 0,
                       "Two.": 0, "Second": 1, "Three.": 1}  # fmt: skip


def test_words_match_textstat_tokens() -> None:
    ws = words("(RR) don't — 2.5 mg, patients' x-ray")
    assert [(w.text, w.raw) for w in ws] == [
        ("RR", "(RR)"), ("don't", "don't"), ("2.5", "2.5"), ("mg", "mg,"),
        ("patients", "patients'"), ("x-ray", "x-ray"),
    ]  # fmt: skip


def test_crlf_and_tabs_do_not_shift_columns() -> None:
    body = "One line.\r\n\r\n-\tTabbed item here\r\n"
    assert positions(body) == [
        ("One", 1, 1), ("line", 1, 5), ("Tabbed", 3, 3), ("item", 3, 10), ("here", 3, 15)
    ]  # fmt: skip


def test_an_empty_heading_still_starts_a_section() -> None:
    prose = extract("Intro.\n\n## `code`\n\nText.\n\n## B\n\nMore.\n", 1)
    assert [(s.title, s.block) for s in prose.sections] == [("", -1), ("B", 2)]
    assert [(b.text, b.section) for b in prose.blocks] == [
        ("Intro.", -1), ("Text.", 0), ("B", 1), ("More.", 1)
    ]  # fmt: skip
