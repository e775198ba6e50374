"""Plain words in reports and the preview: a verdict is not said twice ("Blocked blocked",
"pass (pass)"), a finding leads with what is wrong (its code comes after), and an imported
draft's report opens with what to rewrite first and keeps its long front matter folded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from small_site import REPO, run, write_site

from sitegen.commands.preview import panel_html
from sitegen.readability.model import Finding, PageCheck
from sitegen.report.env import verdict_reason

RECORD = REPO / "tests" / "data" / "ctgov" / "NCT05948592.json"


@pytest.mark.parametrize(
    ("verdict", "reason", "shown"),
    [
        ("block", "blocked: reading grade 12.1, limit 10", "reading grade 12.1, limit 10"),
        ("pass", "pass", ""),
        ("warn", "within target; 2 warnings", "within target; 2 warnings"),
        (
            "pass",
            "signed off by A. Reviewer on 2026-01-02",
            "signed off by A. Reviewer on 2026-01-02",
        ),
    ],
)
def test_verdict_is_not_said_twice(verdict: str, reason: str, shown: str) -> None:
    assert verdict_reason(verdict, reason) == shown


def _text(html_text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())


def test_imported_draft_report_says_what_to_do_first(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    assert run("import", "ctgov", str(RECORD), cwd=site).returncode == 0
    r = run("check", cwd=site)
    assert r.returncode in (0, 1), r.stderr
    report = next((site / "reports" / "pages").glob("*nct05948592*.html"))
    page = report.read_text(encoding="utf-8")
    text = _text(page)
    first = text.index("What to do first")
    assert first < text.index("Text with findings") < text.index("Findings, top to bottom")
    steps = re.search(r'<section class="first-steps".*?</section>', page, re.S)
    assert steps
    rows = re.findall(
        r"<li><a href=\"#([^\"]+)\">([^<]+)</a> "
        r"<span class=\"small\">\(from line (\d+)\): ([^<]+)</span>",
        steps.group(0),
    )
    assert 1 <= len(rows) <= 5

    # worst first: (errors, warnings) never increase down the list
    def counts(s: str) -> tuple[int, int]:
        e = re.search(r"(\d+) errors?", s)
        w = re.search(r"(\d+) warnings?", s)
        return (int(e.group(1)) if e else 0, int(w.group(1)) if w else 0)

    ranks = [counts(r[3]) for r in rows]
    assert ranks == sorted(ranks, reverse=True)
    for anchor, *_ in rows:  # each links to a finding marked in the text
        assert f'id="{anchor}"' in page
    # the long front matter is folded
    details = re.search(r"<details( open)?>\s*<summary>The front matter", page)
    assert details and details.group(1) is None
    assert "Blocked blocked" not in text and "Pass pass" not in text


def test_preview_panel_leads_with_plain_words() -> None:
    finding = Finding(
        rule="long-sentence",
        code="RD003",
        severity="warning",
        message="this sentence is long (31 words)",
        line=9,
        column=1,
        text="A long sentence",
    )
    check = PageCheck(
        path="content/studies/a.md",
        lang="en",
        verdict="pass",
        grade=7.0,
        scores={},
        sections=[],
        stats={},
        findings=[finding],
        signoff_state="none",
        text_hash="",
        reason="pass",
    )
    out = panel_html(check, [(1, finding)], {1})
    assert ": passes." in out and "pass (pass)" not in out
    item = re.search(r'<li id="sg-finding-1"[^>]*>(.*?)</li>', out, re.S)
    assert item
    plain = _text(item.group(1))
    assert plain.index("this sentence is long") < plain.index("[RD003]")
