"""Output reuse: a rebuild renders only the files whose render key changed and keeps the
others from the last build (hard links into the new folder), and the result is byte for
byte what a clean build makes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from site_support import REPO, build, content_site, inodes, tree

from sitegen.build.manifest import CACHE_DIR
from sitegen.cli import main
from sitegen.publish import records


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return content_site(tmp_path)


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {rel for rel, ino in after.items() if before.get(rel) != ino}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_editing_one_page_renders_only_that_page(site: Path, tmp_path: Path) -> None:
    faq = site / "content" / "pages" / "faq.md"
    build(site)
    edit(faq, "## ", "## Some ")  # the second build has a history: grade changes are 0.0
    build(site)
    out_before, reports_before = inodes(site / "output"), inodes(site / "reports")
    twin = tmp_path / "twin"
    shutil.copytree(site, twin, symlinks=True)

    for root in (site, twin):
        edit(root / "content" / "pages" / "faq.md", "## Some ", "## Other ")
    build(site)
    build(twin, "--clean")

    out_changed = changed(out_before, inodes(site / "output"))
    pages = {rel for rel in out_changed if rel.endswith(".html")}
    assert pages == {"faq/index.html"}, pages
    assert any(rel.startswith("search-index/en/w/") for rel in out_changed)  # the page's words
    reports_changed = changed(reports_before, inodes(site / "reports"))
    assert {rel for rel in reports_changed if rel.startswith("pages/")} == {"pages/faq.html"}
    # What was kept is exactly what a clean build makes.
    assert tree(site / "output") == tree(twin / "output")
    assert tree(site / "reports", "pages") == tree(twin / "reports", "pages")


def test_a_template_change_renders_the_pages_that_use_it(site: Path) -> None:
    build(site)
    before = inodes(site / "output")
    (site / "templates").mkdir()
    theme = REPO / "sitegen" / "theme" / "templates" / "page.html"
    marked = theme.read_text().replace("{% block main %}", "{% block main %}<!-- x -->", 1)
    (site / "templates" / "page.html").write_text(marked)
    build(site)
    now = changed(before, inodes(site / "output"))
    assert "faq/index.html" in now and "es/preguntas-frecuentes/index.html" in now
    assert not any(rel.startswith("studies/") for rel in now), now
    assert "<!-- x -->" in (site / "output" / "faq" / "index.html").read_text()

    # A template every page extends: every page is rendered again.
    base = REPO / "sitegen" / "theme" / "templates" / "base.html"
    (site / "templates" / "base.html").write_text(
        base.read_text().replace("</body>", "<!-- y -->\n</body>")
    )
    before = inodes(site / "output")
    build(site)
    now = changed(before, inodes(site / "output"))
    assert "studies/asthma-inhaler/index.html" in now
    assert (
        "<!-- y -->" in (site / "output" / "studies" / "asthma-inhaler" / "index.html").read_text()
    )


def test_a_new_title_renders_the_listings_that_show_it(site: Path) -> None:
    build(site)
    before = inodes(site / "output")
    study = site / "content" / "studies" / "asthma-inhaler.md"
    edit(study, 'title: "', 'title: "Renamed ')
    build(site)
    now = changed(before, inodes(site / "output"))
    assert {"index.html", "studies/asthma-inhaler/index.html"} <= now
    assert "Renamed Testing" in (site / "output" / "index.html").read_text()


def test_editing_a_draft_keeps_the_whole_site_and_its_search_index(site: Path) -> None:
    draft = site / "content" / "studies" / "zz-draft.md"
    draft.write_text(
        "---\ntitle: A draft study\nstatus: not_yet_recruiting\nconditions: [Asthma]\n"
        "summary: We want to learn if a new inhaler helps.\ndraft: true\n---\n\nSome text.\n"
    )
    build(site)
    before = inodes(site / "output")
    draft.write_text(draft.read_text() + "More text.\n")
    build(site)
    now = changed(before, inodes(site / "output"))
    assert not any(rel.startswith("search-index/") for rel in now), now
    assert {rel for rel in now if rel.endswith(".html")} == set()


def test_a_damaged_record_or_a_hand_edit_means_rendering_again(site: Path) -> None:
    build(site)
    page = site / "output" / "studies" / "asthma-inhaler" / "index.html"
    good = page.read_bytes()
    record = site / CACHE_DIR / "outputs-output.json"
    assert records.load_records(site, "output")
    record.write_bytes(record.read_bytes()[:-40])
    assert records.load_records(site, "output") == {}
    page.write_bytes(good.replace(b"<main", b"<main data-hacked"))
    os.utime(page, ns=(1, 1))
    edit(site / "content" / "pages" / "faq.md", "## ", "## Some ")
    build(site)
    assert page.read_bytes() == good
    # The record is back; a hand edit alone (new size or time) is never linked into the site.
    assert records.load_records(site, "output")
    page.write_bytes(good.replace(b"<main", b"<main data-hacked"))
    edit(site / "content" / "pages" / "faq.md", "## Some ", "## Other ")
    build(site)
    assert page.read_bytes() == good


def test_a_search_index_that_cannot_be_written_publishes_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from sitegen.build.searching import SearchIndex
    from sitegen.core.diagnostics import error

    build(site)
    failing = [error("site", 0, 0, "SRCH002", "the search index could not be updated: test")]
    monkeypatch.setattr(SearchIndex, "finish", lambda self: list(failing))
    edit(site / "content" / "pages" / "faq.md", "## ", "## Edited ")
    assert main(["build", "--root", str(site), "-q"]) == 1
    lines = (site / "reports" / "history.jsonl").read_text().splitlines()
    assert [json.loads(line)["published"] for line in lines] == [True, False]
    assert "Edited " not in (site / "output" / "faq" / "index.html").read_text()


def test_editing_a_studys_text_keeps_the_listings(site: Path) -> None:
    build(site)
    before = inodes(site / "output")
    study = site / "content" / "studies" / "migraine-prevention.md"
    edit(study, "\n## ", "\nOne more plain sentence about the study.\n\n## ")
    build(site)
    now = {rel for rel in changed(before, inodes(site / "output")) if rel.endswith(".html")}
    assert now == {"studies/migraine-prevention/index.html"}, now


def test_editing_a_translated_study_re_renders_its_translation_and_nothing_else(
    site: Path,
) -> None:
    """The Spanish page now tells its reader it is out of date: it is rendered again too."""
    translation = site / "content" / "studies" / "asma-inhalador.md"
    assert main(["translated", "--root", str(site), "-q", str(translation)]) == 0  # current
    build(site)
    before = inodes(site / "output")
    study = site / "content" / "studies" / "asthma-inhaler.md"
    edit(study, "\n## ", "\nOne more plain sentence about the study.\n\n## ")
    build(site)
    now = {rel for rel in changed(before, inodes(site / "output")) if rel.endswith(".html")}
    assert now == {"studies/asthma-inhaler/index.html", "es/studies/asma-inhalador/index.html"}


def test_the_dashboard_table_pages_whose_rows_did_not_change_are_kept(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three rows a table page: an edit re-renders exactly the table pages whose bytes
    change (the edited page's row, and rows it moved past), keeps the others, and every
    table page is what a clean build writes; a new site title renders them all again."""
    from sitegen.report import dashtable

    monkeypatch.setattr(dashtable, "ROWS_PER_PAGE", 3)
    study = site / "content" / "studies" / "migraine-prevention.md"
    build(site)
    edit(study, "\n## ", "\nOne more plain sentence about the study.\n\n## ")
    build(site)  # the second build has a history: every other page's change is 0.0
    before, before_bytes = inodes(site / "reports"), tree(site / "reports", "table")
    assert len(before_bytes) > 4
    twin = tmp_path / "twin"
    shutil.copytree(site, twin, symlinks=True)

    for root in (site, twin):
        edit(
            root / "content" / "studies" / "migraine-prevention.md",
            "\nOne more plain sentence about the study.\n",
            "\nEverybody taking part receives comprehensive information beforehand.\n",
        )
    build(site)
    build(twin, "--clean")

    after = tree(site / "reports", "table")
    assert after == tree(twin / "reports", "table")
    rewritten = {rel for rel in changed(before, inodes(site / "reports")) if "table/" in rel}
    differ = {rel for rel, data in after.items() if before_bytes.get(rel) != data}
    assert rewritten - {"table/rows.js"} == differ - {"table/rows.js"}
    shown = {rel for rel, data in after.items() if b"migraine-prevention.md<" in data}
    assert shown and shown - {"table/rows.js"} <= differ, (shown, differ)
    assert len(differ) < len(after) - 2, differ  # most table pages were kept

    # What every table page shows alike: each is rendered again.
    (site / "site.yml").write_text("title: Renamed studies\n")
    before = inodes(site / "reports")
    build(site)
    rewritten = {rel for rel in changed(before, inodes(site / "reports")) if "table/" in rel}
    assert rewritten == set(after)
    assert all(b"Renamed studies" in data for rel, data in tree(site / "reports", "table").items()
               if rel.endswith(".html"))  # fmt: skip
