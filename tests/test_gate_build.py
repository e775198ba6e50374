"""The gate in a real build: a page written like a sponsor's protocol is blocked, named, and
given findings a writer can act on line by line; a reviewer's sign-off lets it through until
the text changes; a draft never blocks."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

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

## Who can take part?

Eligible subjects must demonstrate a pre-bronchodilator FEV1 of 40-80% of predicted normal
and reversibility of at least 12% following administration of a short-acting beta-agonist.

## What will happen if I take part?

Subjects will be randomized to the investigational product or placebo.

## What are the possible benefits and risks?

Adverse events will be monitored throughout the titration period.

## How do I find out more or join?

Contact the principal investigator.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site.yml", root / "site.yml")
    (root / "content" / "studies" / "protocol.md").write_text(PROTOCOL)
    return root


def test_protocol_page_is_blocked_with_actionable_findings(site: Path, capsys) -> None:
    assert main(["build", "--root", str(site), "--strict"]) == 1
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.startswith("content/studies/protocol.md")]
    assert re.search(r"protocol\.md: error: grade \d+(\.\d)? \(target 8, limit 10\): blocked", err)
    jargon = [x for x in lines if x.endswith("[JG001]")]
    assert len(jargon) >= 5
    assert any('jargon "randomized": say "' in x for x in jargon)
    assert all(re.match(r"content/studies/protocol\.md:\d+:\d+: error: ", x) for x in jargon)
    assert "1 page(s) blocked by the readability gate: content/studies/protocol.md" in err
    assert not (site / "output").exists()


def test_a_blocked_page_is_withheld_and_the_rest_publishes(site: Path, capsys) -> None:
    assert main(["build", "--root", str(site), "-v"]) == 0
    err = capsys.readouterr().err
    assert re.search(
        r"^content/studies/protocol\.md: note: withheld \(blocked: reading grade [\d.]+, "
        r"limit 10; \d+ words to replace\): .* \[GATE002\]$",
        err,
        re.M,
    ), err
    assert "Withheld 1 blocked page(s); the rest of the site was published." in err
    assert not (site / "output" / "studies" / "protocol").exists()  # never published: left out
    assert (site / "output" / "studies" / "asthma-inhaler" / "index.html").is_file()
    assert "protocol" not in (site / "output" / "index.html").read_text()


def test_a_withheld_page_keeps_its_last_published_version(site: Path, capsys) -> None:
    (site / "content" / "studies" / "protocol.md").unlink()
    assert main(["build", "--root", str(site), "-q"]) == 0
    out = site / "output" / "studies" / "asthma-inhaler" / "index.html"
    before = out.read_bytes()
    asthma = site / "content" / "studies" / "asthma-inhaler.md"
    asthma.write_text(
        asthma.read_text().replace("\n## ", "\nThe study will evaluate efficacy.\n\n## ", 1)
    )
    faq = site / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text().replace("\n## ", "\n## Urgent: ", 1))
    assert main(["build", "--root", str(site), "-q"]) == 0
    assert out.read_bytes() == before  # the blocked edit is not live, the old page is
    assert "Urgent: " in (site / "output" / "faq" / "index.html").read_text()
    assert main(["build", "--root", str(site), "-q", "--strict"]) == 1
    assert "Urgent: " in (site / "output" / "faq" / "index.html").read_text()  # left as it was


def test_signoff_publishes_until_the_text_changes(site: Path, capsys) -> None:
    page = site / "content" / "studies" / "protocol.md"
    assert main(["approve", str(page), "--root", str(site), "--by", "R. Reviewer",
                 "--date", "2026-11-27"]) == 0  # fmt: skip
    assert "signoff:" in page.read_text()
    assert main(["build", "--root", str(site), "-q"]) == 0, capsys.readouterr().err
    published = site / "output" / "studies" / "protocol" / "index.html"
    before = published.read_bytes()
    page.write_text(page.read_text().replace("Adverse events", "Serious adverse events"))
    assert main(["build", "--root", str(site), "-v"]) == 0
    err = capsys.readouterr().err
    assert "no longer matches" in err and "[GATE002]" in err
    assert published.read_bytes() == before  # the signed-off version stays live
    assert main(["build", "--root", str(site), "--strict"]) == 1


def test_a_draft_is_checked_but_never_blocks(site: Path, capsys) -> None:
    page = site / "content" / "studies" / "protocol.md"
    page.write_text(
        PROTOCOL.replace("conditions: [Asthma]\n", "conditions: [Asthma]\ndraft: true\n")
    )
    assert main(["build", "--root", str(site), "--strict"]) == 0
    err = capsys.readouterr().err
    assert "protocol.md" in err and "(draft)" in err
    assert not (site / "output" / "studies" / "protocol").exists()
    assert main(["check", "--root", str(site), str(page)]) == 0
    out = capsys.readouterr().out
    assert "0 blocked" in out and "error:" not in out


def test_a_draft_with_metadata_errors_never_fails(site: Path, capsys) -> None:
    page = site / "content" / "studies" / "protocol.md"
    page.write_text(PROTOCOL.replace("status: recruiting\n", "status: recuiting\ndraft: true\n"))
    assert main(["build", "--root", str(site), "--strict"]) == 0
    assert re.search(r"protocol\.md:\d+:\d+: warning: status: .* \(draft\) \[FM012\]",
                     capsys.readouterr().err)  # fmt: skip
    assert main(["check", "--root", str(site), str(page)]) == 0


def test_pre_commit_hook_accepts_a_freshly_imported_draft(site: Path, capsys) -> None:
    record = sorted((REPO / "tests" / "data" / "ctgov").glob("*.json"))[0]
    assert main(["import", "ctgov", str(record), "--root", str(site)]) == 0
    out = capsys.readouterr().out
    imported = site / re.search(r"(content/studies/\S+\.md)", out).group(1)
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    assert hook["entry"] == "sitegen check" and hook["pass_filenames"]
    os.chdir(site)
    assert main(["check", str(imported.relative_to(site))]) == 0
