"""Search: the writer's ``before_swap`` hook and the Pagefind indexer
(``sitegen.publish.search``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.publish.search import index_site, pagefind_command
from sitegen.publish.writer import publish

PAGE = (
    '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
    "</head><body><nav>Menu words</nav><main data-pagefind-body><h1>{title}</h1><p>{text}</p>"
    '<p data-pagefind-filter="Status">Open</p></main></body></html>'
)


def site_files() -> dict[str, bytes]:
    return {
        "index.html": PAGE.format(lang="en", title="Home", text="Asthma inhaler study").encode(),
        "es/index.html": PAGE.format(lang="es", title="Inicio", text="Estudio del asma").encode(),
    }


def test_before_swap_sees_the_new_folder_and_may_add_files(tmp_path: Path) -> None:
    out = tmp_path / "output"
    seen: list[Path] = []

    def hook(folder: Path) -> list[Diagnostic]:
        seen.append(folder)
        assert (folder / "index.html").is_file()
        assert folder != out and not out.exists()  # before the swap
        (folder / "extra.txt").write_text("added")
        return [warning("site", 0, 0, "SRCH003", "just a note")]

    diags = publish(out, site_files(), before_swap=hook)
    assert [d.code for d in diags] == ["SRCH003"]
    assert (out / "extra.txt").read_text() == "added"
    assert len(seen) == 1 and not seen[0].exists()  # the temporary folder is gone


def test_an_error_in_before_swap_keeps_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "output"
    publish(out, {"index.html": b"old"})

    def failing(folder: Path) -> list[Diagnostic]:
        (folder / "half-written").write_text("x")
        return [error("site", 0, 0, "SRCH002", "the search indexer failed")]

    diags = publish(out, {"index.html": b"new"}, before_swap=failing)
    assert [d.code for d in diags] == ["SRCH002"]
    assert (out / "index.html").read_bytes() == b"old"
    assert not (out / "half-written").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # no temporary left


def test_pagefind_runs_with_this_python() -> None:
    cmd = pagefind_command(Path("/x"))
    assert cmd[:3] == [sys.executable, "-m", "pagefind"]
    assert cmd[3:5] == ["--site", "/x"]


def test_index_site_builds_one_index_per_language(tmp_path: Path) -> None:
    for rel, data in site_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    assert index_site(tmp_path) == []
    bundle = tmp_path / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = (bundle / "pagefind-entry.json").read_text()
    assert '"en"' in entry and '"es"' in entry


def test_index_site_reports_a_missing_pagefind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pagefind", None)  # import fails
    diags = index_site(tmp_path)
    assert [d.code for d in diags] == ["SRCH001"]
    assert diags[0].is_error and "pagefind[bin]" in diags[0].hint


def test_index_site_reports_a_failed_run(tmp_path: Path) -> None:
    diags = index_site(tmp_path / "does-not-exist")
    assert [d.code for d in diags] == ["SRCH002"]
