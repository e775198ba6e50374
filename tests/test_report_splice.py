"""``readability.json`` and the SARIF file after an edit: each unchanged page's part is copied
from the last build's files (``report.splice``), and both documents are still a clean
build's, byte for byte; a report file changed by hand, or a damaged record, is not used."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import test_incremental

import sitegen.report as report
from sitegen.publish.records import REPORT_RECORDS, Written, load_records, save_records
from sitegen.report.splice import JSON_FILE, SARIF_FILE

NAMES = (JSON_FILE, SARIF_FILE)


site = test_incremental.site  # the example site's content, title "Test studies"


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages whose parts are made from the page cache (not copied)."""
    seen: list[str] = []
    real = report.report_texts

    def counting(check: Any) -> tuple[str, str]:
        seen.append(check.path)
        return real(check)

    monkeypatch.setattr(report, "report_texts", counting)
    return seen


build = test_incremental.build


def edit(site: Path, old: str, new: str) -> None:
    faq = site / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text().replace(old, new, 1))


def documents(site: Path) -> dict[str, bytes]:
    return {n: (site / "reports" / n).read_bytes() for n in NAMES}


def clean(site: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    kept = documents(site)
    build(site, capsys, "--clean")
    return kept


def test_unchanged_pages_are_copied_and_the_documents_are_a_clean_builds(
    site: Path, capsys: pytest.CaptureFixture[str], made: list[str]
) -> None:
    build(site, capsys)
    pages = len(json.loads((site / "reports" / JSON_FILE).read_bytes())["pages"])
    assert pages > 5 and len(made) == pages  # the first build has nothing to copy from
    made.clear()
    edit(site, "## ", "## Some ")
    build(site, capsys)
    assert made == ["content/pages/faq.md"]  # only the edited page is made again
    doc = json.loads((site / "reports" / JSON_FILE).read_bytes())
    assert len(doc["pages"]) == pages
    json.loads((site / "reports" / SARIF_FILE).read_bytes())
    assert clean(site, capsys) == documents(site)


def _counts(site: Path, source: str) -> dict[str, int]:
    doc = json.loads((site / "reports" / JSON_FILE).read_bytes())
    counts: dict[str, int] = next(p["counts"] for p in doc["pages"] if p["source"] == source)
    return counts


def test_counts_are_made_for_each_build_even_for_copied_pages(
    site: Path, capsys: pytest.CaptureFixture[str], made: list[str]
) -> None:
    """A page's part is copied, its counts are not: editing the English FAQ makes its
    translation out of date (one more warning on that unchanged page)."""
    translation = "content/pages/preguntas-frecuentes.md"
    build(site, capsys)
    before = _counts(site, translation)
    made.clear()
    edit(site, "## ", "## Some ")
    build(site, capsys)
    assert translation not in made
    after = _counts(site, translation)
    assert after == {**before, "warnings": before["warnings"] + 1}
    assert clean(site, capsys) == documents(site)


@pytest.mark.parametrize("damage", ["edited by hand", "deleted", "bad record"])
def test_a_changed_report_or_record_is_not_used(
    site: Path, capsys: pytest.CaptureFixture[str], made: list[str], damage: str
) -> None:
    build(site, capsys)
    pages = len(made)
    made.clear()
    path = site / "reports" / JSON_FILE
    if damage == "edited by hand":
        data = path.read_bytes()
        st = path.stat()
        path.write_bytes(data.replace(b'"grade"', b'"GRADE"'))  # same size
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    elif damage == "deleted":
        path.unlink()
    else:
        records = load_records(site, REPORT_RECORDS)
        assert records is not None
        w = records[JSON_FILE]
        assert isinstance(w.extra, list) and len(w.extra) == pages
        # every recorded part points past the end of the file, or is not a part at all
        bad: list[Any] = [[p[0], p[1], w.size, 10] for p in w.extra[:-1]] + ["x"]
        records[JSON_FILE] = Written(w.key, w.size, w.mtime_ns, bad)
        save_records(site, REPORT_RECORDS, records)
    edit(site, "## ", "## Some ")
    build(site, capsys)
    assert len(made) == pages  # nothing copied
    assert b'"GRADE"' not in (site / "reports" / JSON_FILE).read_bytes()
    assert clean(site, capsys) == documents(site)
