"""Every shared ClinicalTrials.gov record imports, builds as a draft and is checked without a
content error (only readability findings, which are the point: the registry's text is what
a writer rewrites first)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sitegen.cli import main

REPO = Path(__file__).parent.parent
RECORDS = REPO / "tests" / "data" / "ctgov"


def test_all_records_import_build_and_check(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yml", site / "site.yml")
    records = sorted(RECORDS.glob("*.json"))
    assert len(records) == 25
    assert main(["import", "ctgov", str(RECORDS), "--root", str(site)]) == 0
    out = capsys.readouterr().out
    assert "Imported 25 studies as drafts" in out
    imported = sorted((site / "content" / "studies").glob("*-nct*.md"))
    assert len(imported) == 25
    assert all("draft: true" in p.read_text() for p in imported)

    # build: drafts are checked, never published, never block
    assert main(["build", "--root", str(site)]) == 0
    err = capsys.readouterr().err
    content_errors = [x for x in err.splitlines() if ": error: " in x]
    assert content_errors == []
    published = {p.parent.name for p in (site / "output" / "studies").glob("*/index.html")}
    assert not any("nct0" in name for name in published)

    # check: every imported page gets a verdict and findings; no front-matter or link error
    code = main(["check", "--root", str(site), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    pages = {p["source"]: p for p in doc["pages"]}
    for p in imported:
        rel = p.relative_to(site).as_posix()
        assert rel in pages, rel
        assert pages[rel]["verdict"] in ("pass", "warn", "block")
    assert code in (0, 1)  # 1: registry text is blocked by the gate, as it should be
    blocked = [s for s, p in pages.items() if p["verdict"] == "block"]
    assert blocked, "registry text written for clinicians should not pass a patient gate"
