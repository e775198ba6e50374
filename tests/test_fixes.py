"""``check --fix`` and ``--diff``: safe drop-ins written into the page, and nothing else."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from small_site import run, write_site

from sitegen.commands.fixes import apply_fixes
from sitegen.readability.model import Fix

PROTOCOL = """\
---
title: "A study of an inhaler for asthma"
summary: "People were randomized prior to the first visit."
status: recruiting
conditions:
  - "Asthma"
eligibility:
  include:
    - "You are ambulatory."
---

## What is this study about?

Participants were randomized. Prior to the first visit, an investigator will call you.
See [the protocol](https://example.org/prior-to) and `prior to` in code.
Visit https://example.org/utilize for more.
"""


def test_apply_fixes_checks_the_text_and_keeps_protected_spans() -> None:
    text = "---\nprior to: x\n---\n\nUse `prior to` here. Prior to it, prior to.\r\nEnd.\r\n"
    fixes = [
        Fix(2, 1, 2, 9, "prior to", "before"),  # a front-matter key
        Fix(5, 6, 5, 14, "prior to", "before"),  # inside inline code
        Fix(5, 22, 5, 30, "Prior to", "Before"),
        Fix(5, 35, 5, 43, "prior to", "before"),
        Fix(5, 35, 5, 37, "pr", "x"),  # overlaps the one before
        Fix(6, 1, 6, 4, "Old", "New"),  # the file no longer says this
    ]
    done = apply_fixes(text, fixes)
    assert done.text == (
        "---\nprior to: x\n---\n\nUse `prior to` here. Before it, before.\r\nEnd.\r\n"
    )
    assert [f.new for f in done.applied] == ["Before", "before"]
    assert len(done.skipped) == 4


def test_apply_fixes_counts_columns_after_a_byte_order_mark() -> None:
    done = apply_fixes("\ufeffPrior to it.\n", [Fix(1, 1, 1, 9, "Prior to", "Before")])
    assert done.text == "\ufeffBefore it.\n"


def _findings(site: Path, page: str) -> list[dict]:
    r = run("check", "--format", "json", page, cwd=site)
    data = json.loads(r.stdout)
    pages = data["pages"] if isinstance(data, dict) and "pages" in data else data
    return [f for p in pages for f in p["findings"]]


def test_check_diff_shows_the_fixes_and_check_fix_writes_them(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"content/studies/protocol.md": PROTOCOL})
    page = site / "content/studies/protocol.md"
    page.write_bytes(PROTOCOL.replace("\n", "\r\n").encode("utf-8"))
    page.chmod(0o640)
    before = page.read_bytes()

    r = run("check", "--diff", "content/studies/protocol.md", cwd=site)
    assert page.read_bytes() == before  # --diff writes nothing
    assert "-Participants were randomized. Prior to the first visit, an investigator" in r.stdout
    assert "+Participants were chosen by chance. Before the first visit, a study doctor" in (
        r.stdout
    )
    assert '+    - "You are able to walk."' in r.stdout

    r = run("check", "--fix", "content/studies/protocol.md", cwd=site)
    assert "Fixed " in r.stdout
    after = page.read_bytes()
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert after.count(b"\r\n") == before.count(b"\r\n")  # line endings kept
    assert b"\n" not in after.replace(b"\r\n", b"")
    text = after.decode("utf-8")
    # a second round fixed what the first made possible ("randomized before")
    assert 'summary: "People were chosen by chance before the first visit."' in text
    assert "Participants were chosen by chance. Before the first visit, a study doctor" in text
    # never inside a link, code or a URL; keys untouched
    assert "[the protocol](https://example.org/prior-to)" in text
    assert "`prior to`" in text and "https://example.org/utilize" in text
    assert "\r\nsummary: " in text and "\r\n  include:\r\n" in text
    assert not list(site.glob("content/studies/.protocol.md.*"))  # no temporary file left

    # nothing --fix could fix is left
    assert [f for f in _findings(site, "content/studies/protocol.md") if f.get("fix")] == []


def test_check_fix_leaves_a_page_without_safe_fixes_alone(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    page = site / "content/studies/walking-study.md"
    before = page.read_bytes()
    r = run("check", "--fix", cwd=site)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Fixed 0 findings in 0 files." in r.stdout
    assert page.read_bytes() == before


def test_a_finding_with_a_fix_survives_the_page_cache() -> None:
    from sitegen.build.workers import _codec
    from sitegen.readability import Entry, check_document, make_glossary

    entry = Entry("prior to", "replace", ("before",), example="x", expected="y")
    check = check_document("p.md", "Prior to the visit.\n", 3, [], glossary=make_glossary([entry]))
    codec = _codec()
    back = codec.loads(codec.dumps(check))
    assert back.findings == check.findings
    assert back.findings[0].fix == Fix(3, 1, 3, 9, "Prior to", "Before")
