"""The gate in a real build: a page written like a sponsor's protocol is blocked, named, and
given findings a writer can act on line by line; a reviewer's sign-off lets it through until
the text changes; a draft never blocks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sitegen.cli import main

REPO = Path(__file__).parent.parent
PROTOCOL = """---
title: Efficacy of the investigational product in subjects with asthma
summary: Subjects will be randomized to the investigational product or placebo.
status: recruiting
conditions: [Asthma]
---
## What is this study about?

This randomized, double-blind, placebo-controlled, multicenter study will evaluate the
efficacy, safety and tolerability of the investigational product administered subcutaneously
in subjects with moderate-to-severe persistent asthma inadequately controlled on
medium-to-high dose inhaled corticosteroids prior to commencement of the run-in period.

Eligible subjects must demonstrate a pre-bronchodilator FEV1 of 40-80% of predicted normal
and reversibility of at least 12% following administration of a short-acting beta-agonist.

Adverse events will be monitored throughout the titration period.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site.yml", root / "site.yml")
    (root / "content" / "studies" / "protocol.md").write_text(PROTOCOL)
    return root


def test_protocol_page_is_blocked_with_actionable_findings(site: Path, capsys) -> None:
    assert main(["build", "--root", str(site)]) == 1
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.startswith("content/studies/protocol.md")]
    assert re.search(r"protocol\.md: error: grade \d+(\.\d)? \(target 8, limit 10\): blocked", err)
    jargon = [x for x in lines if x.endswith("[JG001]")]
    assert len(jargon) >= 5
    assert any('jargon "randomized": say "' in x for x in jargon)
    assert all(re.match(r"content/studies/protocol\.md:\d+:\d+: error: ", x) for x in jargon)
    assert "1 page(s) blocked by the readability gate: content/studies/protocol.md" in err
    assert not (site / "output").exists()


def test_signoff_publishes_until_the_text_changes(site: Path, capsys) -> None:
    page = site / "content" / "studies" / "protocol.md"
    assert main(["approve", str(page), "--root", str(site), "--by", "R. Reviewer",
                 "--date", "2026-11-27", "--waive", "RD001", "--waive", "JG001",
                 "--reason", "Protocol wording agreed with the ethics committee"]) == 0  # fmt: skip
    assert "signoff:" in page.read_text()
    assert main(["build", "--root", str(site), "-q"]) == 0, capsys.readouterr().err
    assert (site / "output" / "studies" / "protocol" / "index.html").is_file()
    page.write_text(page.read_text().replace("Adverse events", "Serious adverse events"))
    assert main(["build", "--root", str(site)]) == 1
    err = capsys.readouterr().err
    assert "no longer matches" in err or "changed" in err


def test_a_draft_is_checked_but_never_blocks(site: Path, capsys) -> None:
    page = site / "content" / "studies" / "protocol.md"
    page.write_text(
        PROTOCOL.replace("conditions: [Asthma]\n", "conditions: [Asthma]\ndraft: true\n")
    )
    assert main(["build", "--root", str(site)]) == 0
    err = capsys.readouterr().err
    assert "protocol.md" in err and "(draft)" in err
    assert not (site / "output" / "studies" / "protocol").exists()
