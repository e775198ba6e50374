"""The writer's ``before_swap`` hook: work on the complete new folder before it is swapped in
(the search index of the site is written through the build's sink instead: see
test_search_incremental.py)."""

from __future__ import annotations

from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.publish.writer import publish

PAGE = (
    '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
    "</head><body><nav>Menu words</nav><main data-search-body><h1>{title}</h1><p>{text}</p>"
    '<p data-search-filter="Status">Open</p></main></body></html>'
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
        return [warning("site", 0, 0, "FACT001", "just a note")]

    diags = publish(out, site_files(), before_swap=hook)
    assert [d.code for d in diags] == ["FACT001"]
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
