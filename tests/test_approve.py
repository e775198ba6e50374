"""``approve``: a sign-off publishes a blocked page as it is, covers everything a patient reads,
shows what changed on re-approval, and refuses bad input with nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.build.pipeline import build_site
from sitegen.cli import main
from sitegen.content.config import load_config

STUDY = """\
---
title: A study of a new asthma inhaler
summary: We want to find out if a new inhaler helps people whose asthma is not under control.
status: recruiting
conditions: [Asthma]
eligibility:
  age_min: 18 years
  age_max: 70 years
  sex: all
  include: ["You are 18 to 70 years old."]
support:
  payment: We pay you 50 dollars for each visit.
dates:
  start: 2026-01-15
sites:
  - name: City Hospital
    city: Springfield
contacts:
  - name: Study team
    email: team@example.org
    phone: "555-0100"
---
## What is this study about?

This randomized study will evaluate the efficacy of an investigational inhaler. Participants
will be randomized to one of two groups. We will monitor adverse events throughout the study.

## Who can take part?

You can take part if you have asthma that still causes problems.
"""

#: (what a patient reads, the text before, the text after)
CHANGES = {
    "status": ("status: recruiting", "status: active_not_recruiting"),
    "eligibility bullet": ("You are 18 to 70 years old.", "You are 18 to 75 years old."),
    "minimum age": ("age_min: 18 years", "age_min: 16 years"),
    "maximum age": ("age_max: 70 years", "age_max: 80 years"),
    "sex": ("sex: all", "sex: female"),
    "conditions": ("conditions: [Asthma]", "conditions: [Asthma, COPD]"),
    "site": ("city: Springfield", "city: Shelbyville"),
    "contact e-mail": ("team@example.org", "other@example.org"),
    "contact phone": ('"555-0100"', '"555-0199"'),
    "start date": ("start: 2026-01-15", "start: 2026-03-01"),
    "payment": ("50 dollars", "20 dollars"),
    "title": ("A study of a new asthma", "A study of another asthma"),
    "summary": ("helps people", "helps adults"),
    "body": ("still causes problems", "often causes problems"),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "studies").mkdir(parents=True)
    (root / "site.yml").write_text("title: Test\n")
    page = root / "content" / "studies" / "inhaler.md"
    page.write_text(STUDY)
    page.chmod(0o644)
    return root


def checked(root: Path):
    config, _ = load_config(root)
    assert config is not None
    result = build_site(root, config, write=False)
    return {c.path: c for c in result.checks}["content/studies/inhaler.md"]


def approve(root: Path, *args: str) -> int:
    page = root / "content" / "studies" / "inhaler.md"
    return main(["approve", str(page), "--root", str(root), "--date", "2026-11-27", *args])


def test_one_signoff_publishes_a_blocked_page(site: Path, capsys) -> None:
    assert checked(site).verdict == "block"
    assert approve(site, "--by", "R. Reviewer", "--yes") == 0
    out = capsys.readouterr().out
    assert "It accepts every current finding:" in out and "JG001 x" in out
    c = checked(site)
    assert (c.verdict, c.signoff_state) == ("pass", "approved")
    assert c.reason == "signed off by R. Reviewer on 2026-11-27"
    assert main(["build", "--root", str(site), "-q"]) == 0
    assert (site / "output" / "studies" / "inhaler" / "index.html").is_file()


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_any_change_a_patient_would_see_reopens_review(site: Path, what: str) -> None:
    assert approve(site, "--by", "R. Reviewer", "--yes") == 0
    assert checked(site).signoff_state == "approved"
    page = site / "content" / "studies" / "inhaler.md"
    before, after = CHANGES[what]
    text = page.read_text()
    assert text.count(before) == 1
    page.write_text(text.replace(before, after))
    c = checked(site)
    assert (c.signoff_state, c.verdict) == ("changed", "block"), what


def test_moving_a_key_or_spacing_does_not_reopen_review(site: Path) -> None:
    assert approve(site, "--by", "R. Reviewer", "--yes") == 0
    page = site / "content" / "studies" / "inhaler.md"
    text = page.read_text()
    text = text.replace("status: recruiting\n", "").replace("sex: all\n", "sex: all\nstatus: x\n")
    text = text.replace("  sex: all\nstatus: x\n", "  sex: all\n").replace(
        "conditions: [Asthma]\n", "conditions: [Asthma]\nstatus: recruiting\n"
    )
    text = text.replace("inhaler. Participants\nwill", "inhaler.   Participants  \nwill")
    page.write_text(text)
    assert checked(site).signoff_state == "approved"


def test_reapproval_shows_a_word_diff_since_the_last_signoff(site: Path, capsys) -> None:
    assert approve(site, "--by", "R. Reviewer", "--yes") == 0
    page = site / "content" / "studies" / "inhaler.md"
    page.write_text(page.read_text().replace("50 dollars", "20 dollars"))
    capsys.readouterr()
    assert approve(site, "--by", "A. Second", "--yes") == 0
    out = capsys.readouterr().out
    assert "Changed since the last sign-off by R. Reviewer on 2026-11-27:" in out
    assert "support.payment: We pay you [-50-]{+20+} dollars for each visit." in out
    assert page.read_text().count("text_hash:") == 1  # the stale sign-off is gone


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", ""], "--by: the reviewer's name is empty"),
        (["--by", "   "], "--by: the reviewer's name is empty"),
        (["--by", "x" * 200], "--by: 200 characters, at most 100"),
        (["--by", "A\nB"], "control characters"),
        (["--by", "A", "--date", "2024-02-30"], '--date: "2024-02-30" is not a real date'),
        (["--by", "A", "--date", "30/01/2024"], "is not a date written YYYY-MM-DD"),
        (["--by", "A", "--waive", "rd1", "--reason", "x"], '"RD1" is not a finding code'),
        (["--by", "A", "--waive", "XX999", "--reason", "x"], 'unknown code "XX999"'),
        (["--by", "A", "--waive", "JG001"], "--waive JG001: needs --reason"),
        (["--by", "A", "--role", "Patient Rep"], '--role: "Patient Rep" is not a role name'),
    ],
)
def test_bad_input_is_refused_with_nothing_written(
    site: Path, capsys, args: list[str], message: str
) -> None:
    page = site / "content" / "studies" / "inhaler.md"
    before = page.read_bytes()
    assert approve(site, *args, "--yes") == 2
    err = capsys.readouterr().err
    assert message in err and "nothing was written" in err
    assert page.read_bytes() == before
    assert sorted(p.name for p in page.parent.iterdir()) == ["inhaler.md"]


def test_roles_required_by_the_site(site: Path, capsys) -> None:
    (site / "site.yml").write_text("title: Test\nreview:\n  roles: [patient, clinical]\n")
    assert approve(site, "--by", "Ana") == 2
    assert "one of patient, clinical" in capsys.readouterr().err
    assert approve(site, "--by", "Ana", "--role", "patient", "--yes") == 0
    c = checked(site)
    assert (c.verdict, c.missing_roles) == ("block", ("clinical",))
    assert approve(site, "--by", "Dr Bo", "--role", "clinical", "--yes") == 0
    c = checked(site)
    assert (c.verdict, c.missing_roles) == ("pass", ())
    assert c.reason == (
        "signed off by Ana (patient) on 2026-11-27 and Dr Bo (clinical) on 2026-11-27"
    )


def test_write_keeps_mode_line_endings_and_bom(site: Path) -> None:
    page = site / "content" / "studies" / "inhaler.md"
    page.write_bytes(b"\xef\xbb\xbf" + STUDY.replace("\n", "\r\n").encode())
    page.chmod(0o640)
    assert approve(site, "--by", "R. Reviewer", "--yes") == 0
    data = page.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"signoff:\r\n- by: R. Reviewer\r\n" in data
    assert os.stat(page).st_mode & 0o777 == 0o640
    assert checked(site).signoff_state == "approved"


def test_waive_accepts_single_findings_without_signing_off(site: Path) -> None:
    assert approve(site, "--by", "A", "--waive", "JG001", "--reason", "agreed") == 0
    c = checked(site)
    assert c.signoff_state == "none"
    assert all(f.waived_by == "agreed" for f in c.findings if f.code == "JG001")


class _Tty:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "code"), [("n", 1), ("", 1), ("y", 0)])
def test_on_a_terminal_approve_asks_first(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys, answer: str, code: int
) -> None:
    page = site / "content" / "studies" / "inhaler.md"
    before = page.read_bytes()
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin", _Tty())
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    assert approve(site, "--by", "R. Reviewer") == code
    out = capsys.readouterr().out
    assert asked == ["Write this sign-off? [y/N] "]
    assert "It accepts every current finding:" in out  # shown before the question
    assert (page.read_bytes() == before) is (code == 1)


def test_an_invalid_old_signoff_is_replaced(site: Path) -> None:
    page = site / "content" / "studies" / "inhaler.md"
    broken = 'signoff:\n  by: ""\n  date: 2024-02-30\n  text_hash: sha256:abc\n---\n## What'
    page.write_text(STUDY.replace("---\n## What", broken, 1))
    config, _ = load_config(site)
    assert config is not None
    assert build_site(site, config, write=False).errors  # the old sign-off breaks the page
    assert approve(site, "--by", "R. Reviewer", "--yes") == 0
    assert page.read_text().count("signoff:") == 1 and 'by: ""' not in page.read_text()
    assert checked(site).signoff_state == "approved"


def test_approve_keeps_a_world_readable_page_world_readable(site: Path) -> None:
    """A 0644 page stays 0644 (a page a web server or colleague reads must stay readable)."""
    page = site / "content" / "studies" / "inhaler.md"
    assert approve(site, "--by", "R. Reviewer", "--yes") == 0
    assert "signoff:" in page.read_text()
    assert os.stat(page).st_mode & 0o777 == 0o644
