"""Highlight placement: every finding becomes one ``<mark>`` at its line/column that contains
exactly its text, whatever the overlaps, line breaks and characters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_support import finding, read_marks

from sitegen.readability.model import Finding
from sitegen.report.highlight import Annotation, Segment, place, render, render_mark


def annotate(findings: list[Finding]) -> list[Annotation]:
    return [Annotation(f"f{i}", f, f"tip {i}", f"f{i}-msg") for i, f in enumerate(findings)]


def render_text(text: str, findings: list[Finding], first_line: int = 1):
    segment = Segment(tuple(text.split("\n")), first_line)
    html, outside = render(segment, annotate(findings))
    return str(html), outside


def position(text: str, needle: str, first_line: int = 1, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) in code points of the ``nth`` occurrence of ``needle``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    before = text[:start]
    return first_line + before.count("\n"), start - (before.rfind("\n") + 1) + 1


def assert_exact(html: str, findings: list[Finding]) -> None:
    """Every finding has exactly one mark with its position, code and exact text."""
    marks = read_marks(html).marks
    by_id = {m.attrs["id"]: m for m in marks}
    for i, f in enumerate(findings):
        m = by_id[f"f{i}"]
        assert m.attrs["data-line"] == str(f.line)
        assert m.attrs["data-column"] == str(f.column)
        assert m.attrs["data-code"] == f.code
        assert m.attrs["tabindex"] == "0"
        assert m.attrs["aria-describedby"].split()[0] == f"f{i}-msg"
        assert m.text == f.text, (f, m)
    assert len([m for m in marks if m.attrs.get("id", "").startswith("f")]) == len(findings)


def source_text(html: str) -> str:
    """The document text without detached chips: must be the source, unchanged."""
    return read_marks(html).source


TEXT = "Subjects will be randomized to placebo.\nSecond line with jargon here."


def test_single_finding_is_marked_at_its_column() -> None:
    line, col = position(TEXT, "randomized")
    f = finding(line, col, "randomized")
    html, outside = render_text(TEXT, [f])
    assert outside == []
    assert_exact(html, [f])
    assert 'class="finding sev-error rule-jargon"' in html
    assert read_marks(html).text == TEXT


def test_every_line_has_a_numbered_anchor() -> None:
    html, _ = render_text(TEXT, [], first_line=12)
    assert '<span class="ln" id="L12" data-n="12"></span>Subjects' in html
    assert '<span class="ln" id="L13" data-n="13"></span>Second' in html
    assert read_marks(html).text == TEXT


def test_nested_findings_nest() -> None:
    sentence = finding(1, 1, TEXT.split("\n")[0], "RD002", rule="long-sentence")
    passive = finding(*position(TEXT, "be randomized"), "be randomized", "RD003", rule="passive")
    word = finding(*position(TEXT, "randomized"), "randomized")
    html, _ = render_text(TEXT, [sentence, passive, word])
    assert_exact(html, [sentence, passive, word])
    marks = {m.attrs["id"]: m for m in read_marks(html).marks}
    assert marks["f2"].parents == ["f0", "f1"]


def test_identical_ranges_nest_and_keep_both() -> None:
    a = finding(*position(TEXT, "randomized"), "randomized", "JG001")
    b = finding(*position(TEXT, "randomized"), "randomized", "JG005", rule="rare-word")
    html, _ = render_text(TEXT, [a, b])
    assert_exact(html, [a, b])


def test_crossing_findings_keep_both_and_never_change_another_marks_text() -> None:
    # "will be randomized" and "randomized to placebo" cross: the later one becomes a chip
    a = finding(*position(TEXT, "will be randomized"), "will be randomized", "RD003")
    b = finding(*position(TEXT, "randomized to placebo"), "randomized to placebo", "PR001")
    html, _ = render_text(TEXT, [a, b])
    assert_exact(html, [a, b])
    marks = {m.attrs["id"]: m for m in read_marks(html).marks}
    assert "detached" in marks["f1"].attrs["class"]
    assert marks["f1"].attrs["aria-describedby"] == "f1-msg key-detached"
    assert "overlaps another finding" in marks["f1"].attrs["data-tip"]
    assert marks["f1"].parents == []  # the chip sits outside the other mark
    assert source_text(html) == TEXT


def test_chip_inside_a_long_mark_moves_before_it() -> None:
    sentence = finding(1, 1, TEXT.split("\n")[0], "RD002", rule="long-sentence")
    inner = finding(*position(TEXT, "be randomized to"), "be randomized to", "RD003")
    crossing = finding(*position(TEXT, "to placebo."), "to placebo.", "PR001")
    html, _ = render_text(TEXT, [sentence, inner, crossing])
    assert_exact(html, [sentence, inner, crossing])
    assert html.index('id="f2"') < html.index('id="f0"')


def test_multibyte_characters_count_as_one_column() -> None:
    text = "Café 😀 naïve — placébo ünd 日本語 randomized, e\u0301tude."
    picks = ["😀", "placébo", "日本語", "randomized", "e\u0301tude"]
    findings = [finding(*position(text, p), p) for p in picks]
    html, _ = render_text(text, findings)
    assert_exact(html, findings)
    assert read_marks(html).text == text


def test_finding_over_a_line_break_is_one_mark() -> None:
    text = "A sentence that goes on\nover two lines. Next."
    f = finding(1, 1, "A sentence that goes on\nover two lines.", "RD002", rule="long-sentence")
    html, _ = render_text(text, [f])
    assert_exact(html, [f])
    assert '<span class="ln" id="L2" data-n="2"></span>' in html.split('id="f0"')[1]


def test_html_in_the_source_is_escaped() -> None:
    text = 'Dose <b>&amp; "x" > 5 & y'
    f = finding(1, 6, '<b>&amp; "x"')
    html, _ = render_text(text, [f])
    assert "<b>" not in html
    assert_exact(html, [f])
    assert read_marks(html).text == text


def test_text_not_at_its_position_becomes_a_chip_there() -> None:
    # a folded YAML value: the checker reports the field's start and the matched text
    text = "summary: >\n  Subjects will be randomized."
    f = finding(1, 10, "randomized")
    html, _ = render_text(text, [f])
    assert_exact(html, [f])
    (mark,) = read_marks(html).marks
    assert "detached" in mark.attrs["class"]
    assert "exact place is not known" in mark.attrs["data-tip"]
    assert source_text(html) == text


@pytest.mark.parametrize("line", [0, 3, 99])
def test_findings_outside_the_segment_are_returned(line: int) -> None:
    f = finding(line, 0, "")
    html, outside = render_text(TEXT, [f])
    assert [a.finding for a in outside] == [f]
    assert "<mark" not in html


def test_column_past_the_end_of_the_line_is_clamped() -> None:
    f = finding(1, 500, "ghost")
    html, _ = render_text("short", [f])
    assert_exact(html, [f])


def test_page_level_mark() -> None:
    (a,) = annotate([finding(0, 0, "", "RD001", rule="grade")])
    reader = read_marks(str(render_mark(a)))
    assert reader.marks[0].attrs["data-line"] == "0"
    assert reader.marks[0].text == ""
    assert "empty" in reader.marks[0].attrs["class"]


def test_placements_are_laminar() -> None:
    fs = [
        finding(*position(TEXT, p), p) for p in ("Subjects will", "will be", "be", "be randomized")
    ]
    segment = Segment(tuple(TEXT.split("\n")), 1)
    placed, _ = place(segment, annotate(fs))
    spans = [(p.start, p.end) for p in placed if not p.detached]
    for s1, e1 in spans:
        for s2, e2 in spans:
            assert e1 <= s2 or e2 <= s1 or (s1 <= s2 and e2 <= e1) or (s2 <= s1 and e1 <= e2)


words = st.text(alphabet="abcé😀 <&\n", min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(text=words, data=st.data())
def test_any_findings_are_all_marked_exactly(text: str, data: st.DataObject) -> None:
    """Random source and random spans (overlapping or not): no finding is lost or altered."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    findings = []
    for _ in range(data.draw(st.integers(0, 6))):
        s = data.draw(st.integers(0, len(text) - 1))
        e = data.draw(st.integers(s + 1, len(text)))
        k = max(i for i, st0 in enumerate(starts) if st0 <= s)
        findings.append(finding(k + 1, s - starts[k] + 1, text[s:e]))
    html, outside = render_text(text, findings)
    assert outside == []
    assert_exact(html, findings)
    assert source_text(html) == text
