"""The preview after an edit: only what depends on the edited page is checked and rendered
again, and what it shows is always what a full preview build of the same files shows.

Runs ``PreviewBuilder`` (what ``sitegen serve`` runs on every save) on a copy of the example
site, with the changed paths the watcher would report.
"""

from __future__ import annotations

import html
import http.client
import random
import re
import shutil
import threading
from pathlib import Path

import pytest

from sitegen.build.rendering import _Loop
from sitegen.cli import main
from sitegen.commands import serve
from sitegen.commands.preview import PREVIEW_SITE, SEARCH_NOTICE, PreviewBuild, PreviewBuilder
from sitegen.content.config import load_config
from sitegen.core.diagnostics import sorted_diagnostics

REPO = Path(__file__).resolve().parent.parent
STUDY = "content/studies/asthma-inhaler.md"
STUDY_HTML = "studies/asthma-inhaler/index.html"
TRANSLATION_HTML = "es/studies/asma-inhalador/index.html"
OTHER = "content/studies/migraine-prevention.md"
TRANSLATION = "content/studies/asma-inhalador.md"


def copy_example(dest: Path) -> Path:
    """The example site's own files (no caches, no output) in ``dest``."""
    dest.mkdir(parents=True)
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "site.yml", dest / "site.yml")
    return dest


def served(root: Path) -> dict[str, bytes]:
    """Every file of the preview folder."""
    base = root / PREVIEW_SITE
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in base.rglob("*") if p.is_file()}


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel} does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PreviewBuilder]:
    root = copy_example(tmp_path_factory.mktemp("incremental") / "site")
    # the Spanish page is a current translation: an edit to its original makes it out of date
    assert main(["translated", "--root", str(root), "-q", str(root / TRANSLATION)]) == 0
    builder = PreviewBuilder(root)
    first = builder.build()
    assert first.ok, first.failures
    return root, builder


def test_a_text_edit_renders_the_page_and_its_translation_only(
    example: tuple[Path, PreviewBuilder],
) -> None:
    root, builder = example
    before = served(root)
    edit(root, STUDY, "## ", "We thank you for reading this page.\n\n## ")
    build = builder.build([STUDY])
    assert build.ok, build.failures
    assert builder.memory.processed == [STUDY]
    assert not builder.memory.listed  # the content folder is not listed again
    # only the edited page is collected again (links resolved, diagnostics gathered)
    collected = builder.collected.pages
    assert collected.made is not None
    assert {collected.items[i].path for i in collected.made} == {STUDY}
    # the content pages' loop visits it and its translation only (``rendering._unchanged``)
    loop = builder.rendering.loop
    assert isinstance(loop, _Loop)
    assert {loop.paths[i] for i in loop.visited} == {STUDY, TRANSLATION}
    # only its render key (and its translation's, whose notice names the original) is
    # computed again: its metadata is the very object it was (``kept_metadata``), so no
    # listing that shows it is looked at again
    made = builder.rendering.made
    assert STUDY in {name for kind, name in made if kind == "content"} <= {STUDY, TRANSLATION}
    assert not [name for kind, name in made if kind != "content"]
    after = served(root)
    assert "We thank you for reading this page." in after[STUDY_HTML].decode()
    # The translation says its original changed; nothing else shows the page's text.
    assert builder.rendered == {STUDY_HTML, TRANSLATION_HTML}
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert changed == {STUDY_HTML, TRANSLATION_HTML}
    assert "studies/migraine-prevention/index.html" in after


def test_a_title_edit_renders_the_listings_that_show_it(
    example: tuple[Path, PreviewBuilder],
) -> None:
    root, builder = example
    text = (root / STUDY).read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    edit(root, STUDY, title, 'title: "A new inhaler for asthma that you use once a day"')
    build = builder.build([STUDY])
    assert build.ok, build.failures
    pages = served(root)
    new_title = "A new inhaler for asthma that you use once a day"
    assert new_title in pages[STUDY_HTML].decode()
    assert new_title in pages["index.html"].decode()  # the home page lists it
    assert new_title in pages["conditions/asthma/index.html"].decode()
    assert {"index.html", "conditions/asthma/index.html"} <= builder.rendered
    # other studies' pages are not rendered again
    assert not {rel for rel in builder.rendered if rel.startswith("studies/")} - {STUDY_HTML}
    assert "studies/migraine-prevention/index.html" not in builder.rendered


def test_a_template_edit_after_text_edits_renders_every_page_that_uses_it(
    tmp_path: Path,
) -> None:
    """After text edits, unchanged pages keep their render keys without being looked at
    (``RenderKeys.same_context``); a site template saved next (the pages and their
    translation states unchanged) still renders every page that uses it, and only those."""
    root = copy_example(tmp_path / "site")
    builder = PreviewBuilder(root)
    assert builder.build().ok
    for n in (1, 2):
        edit(root, OTHER, "## ", f"Thank you for reading, {n}.\n\n## ")
        assert builder.build([OTHER]).ok
    assert builder.rendered == {"studies/migraine-prevention/index.html"}
    marker = "<!-- the site's own study page -->"
    theme = REPO / "sitegen" / "theme" / "templates" / "study.html"
    own = theme.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}" + marker)
    (root / "templates" / "study.html").write_text(own, encoding="utf-8")
    assert builder.build(["templates/study.html"]).ok
    pages = served(root)
    studies = {rel for rel in pages if re.fullmatch(r"([a-z]{2}/)?studies/[^/]+/index\.html", rel)}
    assert len(studies) >= 5
    assert [rel for rel in sorted(studies) if marker not in pages[rel].decode()] == []
    assert {rel for rel in builder.rendered if "studies/" in rel} == studies
    assert not any(marker in data.decode() for rel, data in pages.items()
                   if rel.endswith(".html") and rel not in studies)  # fmt: skip


def test_an_original_edited_after_other_edits_renders_its_translation_notice(
    tmp_path: Path,
) -> None:
    """With the render keys of unchanged pages kept (``RenderKeys.same_context``), an edit
    to an original still renders its translation again: the translation's result is the
    very object it was, but its notice now says the original changed."""
    root = copy_example(tmp_path / "site")
    assert main(["translated", "--root", str(root), "-q", str(root / TRANSLATION)]) == 0
    builder = PreviewBuilder(root)
    assert builder.build().ok
    for n in (1, 2):
        edit(root, OTHER, "## ", f"Thank you for reading, {n}.\n\n## ")
        assert builder.build([OTHER]).ok
    notice = served(root)[TRANSLATION_HTML].decode()
    edit(root, STUDY, "## ", "We thank you for reading this page.\n\n## ")
    assert builder.build([STUDY]).ok
    assert builder.rendered == {STUDY_HTML, TRANSLATION_HTML}
    assert served(root)[TRANSLATION_HTML].decode() != notice


def test_an_error_shows_the_error_page_then_the_fix_shows_the_page(
    example: tuple[Path, PreviewBuilder],
) -> None:
    root, builder = example
    edit(root, OTHER, "status:", "status: [unclosed\nstatus_was:")
    broken = builder.build([OTHER])
    assert not broken.ok
    assert any(d.path == OTHER for d in broken.failures)
    edit(root, OTHER, "status: [unclosed\nstatus_was:", "status:")
    edit(root, OTHER, "## ", "Thank you for your time today.\n\n## ")
    fixed = builder.build([OTHER])
    assert fixed.ok, fixed.failures
    page = served(root)["studies/migraine-prevention/index.html"].decode()
    assert "Thank you for your time today." in page


# --------------------------------------------------------------------------------------------
# Random edit sequences against a full preview build


def _edits(root: Path) -> list[tuple[str, str, str, str]]:
    """(label, path, old, new) edits that apply to the example site in any order (each
    old text is unique to its edit)."""
    return [
        ("body", "content/studies/long-covid-tiredness.md", "## ", "You may feel tired.\n\n## "),
        ("status", "content/studies/migraine-prevention.md", "status: active_not_recruiting",
         "status: completed"),
        ("title", "content/pages/about.md", 'title: "About', 'title: "All about'),
        # a renamed condition: its old page leaves the site
        ("condition", "content/studies/memory-walking-group.md", '  - "Memory changes with age"',
         '  - "Memory and age"'),
        ("translation", "content/studies/asma-inhalador.md", "## ", "Gracias por leer.\n\n## "),
        ("result", "content/results/childhood-eczema-cream.md", "## ", "Thank you all.\n\n## "),
        ("draft", "content/studies/blood-pressure-app.md", "---\n", "---\ndraft: true\n"),
        # a study title shown in the listings, and a new URL for a page others link to
        ("study title", "content/studies/healthy-volunteers-gout-phase1.md",
         'title: "', 'title: "New: '),
        ("slug", "content/pages/faq.md", "order: 3\n", "order: 3\nslug: questions\n"),
        # a study leaves the site; a translation leaves its original
        ("delete", "content/studies/knee-osteoarthritis-injection.md", "", ""),
        ("delete", "content/results/resultados-crema-eczema.md", "", ""),
        # a file in no content folder: a warning, and nothing published
        ("new page", "content/studies/old/notes.md", "", "---\ntitle: Notes\n---\nNotes.\n"),
        ("settings", "site.yml", "tagline: ", "tagline: Clear words. "),
        ("template", "templates/page.html", "", ""),
    ]  # fmt: skip


def _apply(root: Path, label: str, rel: str, old: str, new: str) -> str:
    if label == "template":
        theme = REPO / "sitegen" / "theme" / "templates" / "page.html"
        target = root / rel
        target.parent.mkdir(exist_ok=True)
        target.write_text(theme.read_text(encoding="utf-8") + "\n<!-- a site's own page -->\n")
    elif label == "new page":
        (root / rel).parent.mkdir(exist_ok=True)
        (root / rel).write_text(new, encoding="utf-8")
    elif label == "delete":
        (root / rel).unlink()
    else:
        edit(root, rel, old, new)
    return rel


NEW_PAGE = (
    "---\ntitle: Parking at the clinic\nsummary: Where to leave your car.\norder: 9\n---\n\n"
    "## Where can I park?\n\nYou can park next to the main door. It is free.\n"
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edit_sequences_show_what_a_full_build_shows(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    root = copy_example(tmp_path / "live")
    builder = PreviewBuilder(root)
    assert builder.build().ok
    edits = _edits(root)
    edits.append(("new page", "content/pages/parking.md", "", NEW_PAGE))
    rng.shuffle(edits)
    steps = edits
    broken_at = rng.randrange(len(steps))
    for n, (label, rel, old, new) in enumerate(steps):
        if n == broken_at:  # an edit that breaks a page, then this step's build after the fix
            edit(root, OTHER, "status:", "status: [unclosed\nstatus_was:")
            assert not builder.build([OTHER]).ok
            edit(root, OTHER, "status: [unclosed\nstatus_was:", "status:")
            changed = [_apply(root, label, rel, old, new), OTHER]
        else:
            changed = [_apply(root, label, rel, old, new)]
        build = builder.build(changed)
        assert build.ok, (label, build.failures)
    live = served(root)

    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".sitegen-*"))
    full_build = PreviewBuilder(fresh).build()
    assert full_build.ok
    assert build.diagnostics == full_build.diagnostics
    assert full_build.diagnostics == sorted_diagnostics(full_build.diagnostics)
    full = served(fresh)
    assert sorted(live) == sorted(full)
    different = [rel for rel in full if live[rel] != full[rel]]
    assert not different, f"after {[s[0] for s in steps]}: {different[:5]}"


def test_the_search_page_says_search_lags(example: tuple[Path, PreviewBuilder]) -> None:
    root, _ = example
    pages = served(root)
    for rel in ("search/index.html", "es/search/index.html"):
        assert html.escape(SEARCH_NOTICE) in pages[rel].decode(), rel
    assert SEARCH_NOTICE not in pages["index.html"].decode()


def test_the_preview_serves_the_last_builds_search_index(tmp_path: Path) -> None:
    """Search in the preview works from the index ``build`` made in ``output/`` (it lags),
    and nothing else of ``output/`` or the site is served through it."""
    root = tmp_path / "site"
    site_dir = root / PREVIEW_SITE
    (site_dir / "search").mkdir(parents=True)
    (site_dir / "search" / "index.html").write_text("<html><head></head><body>s</body></html>")
    (root / "output" / "search-index").mkdir(parents=True)
    (root / "output" / "search-index" / "meta.json").write_text("/* index of the last build */")
    (root / "output" / "index.html").write_text("published home")
    (root / "site.yml").write_text("title: T\nbase_url: https://t.example.org/\n")
    config, _ = load_config(root)
    build = PreviewBuild(ok=True, diagnostics=[], failures=[], config=config)
    state = serve.PreviewState(build, site_dir, "site", root=root)
    srv = serve.make_server("127.0.0.1", 0, state, verbose=False)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = int(srv.server_address[1])

        def get(path: str) -> tuple[int, bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.read()

        assert get("/search-index/meta.json") == (200, b"/* index of the last build */")
        assert get("/search-index/../index.html")[1] != b"published home"
        assert get("/search-index/../../site.yml")[0] == 404
        assert get("/search-index/missing.js")[0] == 404
    finally:
        state.close()
        srv.shutdown()
        srv.server_close()
        thread.join(5)
