"""Every output tells the same story: one page's error and warning counts are the same in the
build, the check (text, JSON, SARIF), the preview panel, the dashboard, the page report and
summary.md; JSON and SARIF carry every diagnostic; ``check`` works on any text file."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from sitegen.cli import main

REL = "content/studies/inhaler.md"
#: an unknown field (FM015 warning), a jargon term used twice (one line: "+1 more"), another
#: jargon term, a sentence over 20 words: blocked, with errors and warnings
PAGE = """\
---
title: A study of an inhaler for asthma
summary: We want to find out if an inhaler helps people whose asthma is not under control.
status: recruiting
conditions: [Asthma]
colour: blue
---
## What is this study about?

You will be randomized to one of two groups. Being randomized is like tossing a coin.
We will evaluate how well the inhaler works for people who have had asthma for many years and
who still have problems with breathing at night and in the morning.

## Who can take part?

You can take part if you are an adult with asthma.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "studies").mkdir(parents=True)
    (root / "site.yml").write_text("title: Test\n")
    (root / REL).write_text(PAGE)
    return root


def totals(text: str) -> tuple[int, int]:
    m = re.search(r"(\d+) errors, (\d+) warnings\.", text)
    assert m, text
    return int(m.group(1)), int(m.group(2))


def test_one_page_is_counted_the_same_everywhere(site: Path, capsys) -> None:
    from sitegen.commands.preview import PREVIEW_SITE, PreviewBuilder

    root = str(site)
    assert main(["check", "--root", root, str(site / REL)]) == 1
    text = capsys.readouterr().out
    expected = totals(text)
    errors, warnings = expected
    assert errors >= 3 and warnings >= 2, text  # RD001 + 2 jargon lines; FM015 + RD002
    assert "[FM015]" in text and "(+1 more) [JG001]" in text

    assert main(["check", "--root", root, "--format", "json", str(site / REL)]) == 1
    doc = json.loads(capsys.readouterr().out)
    (page,) = doc["pages"]
    assert (page["counts"]["errors"], page["counts"]["warnings"]) == expected
    printed = [d for d in doc["diagnostics"] if d["path"] == REL and d["severity"] != "note"]
    assert len(printed) == errors + warnings
    assert any(d["code"] == "FM015" for d in printed)

    assert main(["check", "--root", root, "--format", "sarif", str(site / REL)]) == 1
    run = json.loads(capsys.readouterr().out)["runs"][0]
    counts = run["properties"]["files"][REL]
    assert (counts["errors"], counts["warnings"]) == expected
    assert "FM015" in {r["ruleId"] for r in run["results"]}

    assert main(["build", "--root", root]) == 0  # blocked: withheld, the rest published
    out, err = capsys.readouterr()
    assert totals(out) == expected
    assert f"{REL}: blocked" in err

    words = f"{errors} errors, {warnings} warnings"
    dashboard = (site / "reports" / "index.html").read_text()
    assert f'<span class="count problems">{words}</span>' in dashboard
    report = next((site / "reports" / "pages").glob("*.html")).read_text()
    assert f'<strong class="problems">{words}</strong>' in report
    assert f"{words}:" in (site / "reports" / "summary.md").read_text()
    assert json.loads((site / "reports" / "readability.json").read_text())["pages"][0][
        "counts"
    ] == {"errors": errors, "warnings": warnings}

    assert PreviewBuilder(site).build().ok
    preview = (site / PREVIEW_SITE / "studies" / "inhaler" / "index.html").read_text()
    assert f'<p class="sg-counts">{words} (as build and check count them).</p>' in preview


def test_a_metadata_error_still_gets_readability_findings(site: Path, capsys) -> None:
    page = site / REL
    page.write_text(PAGE.replace("title: A study of an inhaler for asthma", "title: " + "x" * 82))
    assert main(["check", "--root", str(site), str(page)]) == 1
    out = capsys.readouterr().out
    assert "[FM013]" in out and "[JG001]" in out and "[RD001]" in out


def test_json_and_sarif_carry_content_errors(site: Path, capsys) -> None:
    page = site / REL
    page.write_text(PAGE.replace("status: recruiting", "status: recuiting"))
    assert main(["check", "--root", str(site), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["pages"] and any(d["code"] == "FM012" for d in doc["diagnostics"])
    assert main(["check", "--root", str(site), "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    fm = [r for r in results if r["ruleId"] == "FM012"]
    assert fm and fm[0]["level"] == "error"
    assert fm[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


def test_check_any_text_file_anywhere_and_stdin(site: Path, tmp_path: Path, capsys, monkeypatch):
    outside = tmp_path / "notes" / "draft-letter.txt"
    outside.parent.mkdir()
    outside.write_text("We will evaluate the efficacy of the drug prior to the visit.\n")
    assert main(["check", "--root", str(site), str(outside)]) == 1
    out = capsys.readouterr().out
    assert f'{outside}:1:9: error: jargon "evaluate"' in out
    inside = site / "content" / "notes.md"  # in the site, but not a page: still checked
    inside.write_text("---\ntitle: Notes\n---\nYou will be randomized.\n")
    assert main(["check", "--root", str(site), str(inside)]) == 1
    out = capsys.readouterr().out
    assert 'content/notes.md:4:13: error: jargon "randomized"' in out
    assert "Checked 1 pages" in out
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Prior to the visit.\n")))
    assert main(["check", "--root", str(site), "-"]) == 1
    assert '<stdin>:1:1: error: jargon "Prior to"' in capsys.readouterr().out
    plain = tmp_path / "plain.md"
    plain.write_text("You can stop at any time. Call us if you have a question.\n")
    assert main(["check", "--root", str(tmp_path), str(plain)]) == 0  # defaults: no site.yml
    assert "Checked 1 pages: 1 pass" in capsys.readouterr().out
