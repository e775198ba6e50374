"""Incremental builds: a no-change build does nothing, every real change rebuilds, and a
damaged cache or manifest is detected and rebuilt, never trusted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.build import manifest, workers
from sitegen.cli import main
from sitegen.content.config import load_config

REPO = Path(__file__).parent.parent


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    (root / "site.yml").write_text("title: Test studies\n")
    return root


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["build", "--root", str(root), *args]) == 0
    return capsys.readouterr().out


def test_no_change_build_does_nothing(site: Path, capsys) -> None:
    assert build(site, capsys).startswith("Built ")
    index = site / "output" / "index.html"
    mtime = index.stat().st_mtime_ns
    assert build(site, capsys).startswith("Up to date: nothing changed")
    assert index.stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    "change",
    ["edit content", "edit site.yml", "add template", "touch output", "remove report", "clean"],
)
def test_every_change_rebuilds(site: Path, capsys, change: str) -> None:
    build(site, capsys)
    args: tuple[str, ...] = ()
    if change == "edit content":
        faq = site / "content" / "pages" / "faq.md"
        faq.write_text(faq.read_text().replace("## ", "## Some ", 1))
    elif change == "edit site.yml":
        (site / "site.yml").write_text("title: Other studies\n")
    elif change == "add template":
        (site / "templates").mkdir()
        (site / "templates" / "page.html").write_text(
            '{% extends "base.html" %}{% block main %}<h1>{{ title }}</h1>{% endblock %}\n'
        )
    elif change == "touch output":
        (site / "output" / "index.html").write_text("hacked")
    elif change == "remove report":
        (site / "reports" / "index.html").unlink()
    else:
        args = ("--clean",)
    assert build(site, capsys, *args).startswith("Built ")
    assert (site / "output" / "index.html").read_text() != "hacked"
    assert (site / "reports" / "index.html").is_file()


def test_damaged_cache_entries_are_rebuilt(site: Path, capsys) -> None:
    build(site, capsys)
    before = (site / "output" / "studies" / "asthma-inhaler" / "index.html").read_bytes()
    entries = sorted((site / manifest.CACHE_DIR / "pages").rglob("*.json"))
    assert len(entries) == len(list((site / "content").rglob("*.md")))
    for i, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if i % 2 else data.replace(b"asthma", b"ASTHMA"))
    (site / manifest.CACHE_DIR / "last-build.json").write_text("not json")
    assert build(site, capsys).startswith("Built ")
    after = (site / "output" / "studies" / "asthma-inhaler" / "index.html").read_bytes()
    assert after == before


def test_cache_key_depends_on_content_and_settings(site: Path) -> None:
    config, _ = load_config(site)
    assert config is not None
    salt = workers.settings_fingerprint(site, config)
    (site / "site.yml").write_text("title: Test studies\nreadability: {limit: 9}\n")
    config2, _ = load_config(site)
    assert config2 is not None
    assert workers.settings_fingerprint(site, config2) != salt


def test_cache_entries_of_no_current_file_are_pruned(site: Path, capsys) -> None:
    build(site, capsys)
    pages = site / manifest.CACHE_DIR / "pages"
    before = {p.name for p in pages.rglob("*.json")}
    faq = site / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text().replace("## ", "## Some ", 1))
    build(site, capsys)
    after = {p.name for p in pages.rglob("*.json")}
    assert len(after) == len(before) == len(list((site / "content").rglob("*.md")))
    assert len(after - before) == 1  # the edited file's new entry replaced its old one
    # Each entry's report texts (``formats.texts_file``) live and go with it.
    assert {p.stem for p in pages.rglob("*.texts")} == {Path(n).stem for n in after}
    strays = [pages / "zz" / "not-a-key.json", pages / "zz" / "not-a-key.texts"]
    strays[0].parent.mkdir(exist_ok=True)
    for stray in strays:
        stray.write_bytes(b"x")
    faq.write_text(faq.read_text().replace("## Some ", "## Other ", 1))
    build(site, capsys)
    assert not any(stray.exists() for stray in strays)


def test_report_texts_kept_in_the_cache_are_checked_and_made_again_when_damaged(
    site: Path, capsys
) -> None:
    """A cached page's readability.json and SARIF parts are read from its ``.texts`` file
    when the last reports cannot give them (one signed with this user's key is used as it
    is); one that was altered, planted or deleted is made again from the check, so the
    reports are a clean build's, byte for byte."""
    from sitegen.core import cachefile

    build(site, capsys)
    texts = sorted((site / manifest.CACHE_DIR / "pages").rglob("*.texts"))
    assert len(texts) > 3
    # not the page the edits below change: its texts are made again anyway
    texts = [p for p in texts if b"pages/faq.md" not in (cachefile.read_verified(p) or b"")]
    payload = cachefile.read_verified(texts[0])
    assert payload is not None and payload.count(b"\n") == 2 and b'"grade"' in payload
    faq = site / "content" / "pages" / "faq.md"
    reports = site / "reports"

    def rebuild(edit: str) -> bytes:
        faq.write_text(faq.read_text().replace("## ", f"## {edit} ", 1))  # reports rewritten
        # without the last report, no page's part is copied from it (``report.splice``)
        (reports / "readability.json").unlink()
        build(site, capsys)
        return (reports / "readability.json").read_bytes()

    cachefile.write_signed(texts[0], payload.replace(b'"grade"', b'"grADE"', 1))
    assert b'"grADE"' in rebuild("Some")
    texts[0].write_bytes(b"not a mac\n" + payload.replace(b'"grade"', b'"grADE"', 1))
    texts[1].unlink()
    assert b'"grADE"' not in rebuild("Other")
    names = ("readability.json", "readability.sarif")
    kept = {n: (reports / n).read_bytes() for n in names}
    build(site, capsys, "--clean")
    assert kept == {n: (reports / n).read_bytes() for n in names}


def test_the_record_of_a_rebuild_matches_the_folders(site: Path, capsys) -> None:
    """The no-change check compares the folders with what the build says it wrote, so a
    rebuild that kept most files must record them exactly (size and time)."""
    build(site, capsys)
    faq = site / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text().replace("## ", "## Some ", 1))
    assert build(site, capsys).startswith("Built ")
    config, _ = load_config(site)
    assert config is not None
    last = manifest.load(site)
    assert last is not None and last.outputs == manifest.output_fingerprint(site, config)
    assert build(site, capsys).startswith("Up to date: nothing changed")


def test_a_no_change_build_loads_no_checker(site: Path, capsys) -> None:
    """ "Up to date" is decided without importing the checker, its word lists or the renderer
    (a fresh process: about 0.5 s of imports a no-change build used to pay)."""
    import subprocess
    import sys

    build(site, capsys)
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['build.py', 'build', '--root', {str(site)!r}]\n"
        "try:\n"
        f"    runpy.run_path({str(REPO / 'build.py')!r}, run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "heavy = ('wordfreq', 'jinja2', 'markdown', 'sitegen.readability.check')\n"
        "print('HEAVY', sorted(m for m in heavy if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert "Up to date" in proc.stdout, proc.stdout + proc.stderr
    assert "HEAVY []" in proc.stdout, proc.stdout


@pytest.mark.parametrize("flags", [(), ("-q",), ("-v",)], ids=["default", "quiet", "verbose"])
def test_a_no_change_build_prints_what_the_build_printed(
    site: Path, capsys, flags: tuple[str, ...]
) -> None:
    """The manifest keeps the diagnostics as printed: a no-change build shows the same lines
    (errors only with -q, notes only with -v) and the same counts as the build it skips."""
    # a settings warning too: it is printed in place among the pages' findings
    (site / "site.yml").write_text("title: Test studies\nunknown_setting: 1\n")
    assert main(["build", "--root", str(site), *flags]) == 0
    built = capsys.readouterr()
    assert main(["build", "--root", str(site), *flags]) == 0
    again = capsys.readouterr()
    assert again.err == built.err
    if "-q" in flags:
        assert "warning:" not in again.err
    else:
        assert "unknown_setting" in again.err and "warning:" in again.err
        first = built.out.splitlines()[0]  # "Built ... in 1.23 s: 0 errors, 5 warnings."
        tail = first[first.rindex(": ") + 2 :]
        assert again.out.startswith("Up to date: nothing changed")
        assert again.out.splitlines()[0].endswith(tail), (built.out, again.out)
    assert ("note:" in again.err) == ("-v" in flags and "note:" in built.err)


def test_a_manifest_of_another_format_is_not_trusted(site: Path, capsys) -> None:
    build(site, capsys)
    path = site / manifest.CACHE_DIR / manifest.FILE_NAME
    from sitegen.core.cachefile import read_verified, write_signed

    raw = read_verified(path)
    assert raw is not None
    import json

    data = json.loads(raw)
    del data["lines"]  # as an older sitegen wrote it
    write_signed(path, json.dumps(data).encode())
    assert manifest.load(site) is None
    assert build(site, capsys).startswith("Built ")


def test_input_fingerprint_sees_every_content_file(site: Path) -> None:
    """Any content file's path, size or time counts, in nested folders and through a link
    to a file; a dangling link counts as itself and never stops the check."""
    config, _ = load_config(site)
    assert config is not None
    first = manifest.input_fingerprint(site, config)
    assert manifest.input_fingerprint(site, config) == first
    nested = site / "content" / "pages" / "more" / "deeper"
    nested.mkdir(parents=True)
    (nested / "note.md").write_text("x")
    second = manifest.input_fingerprint(site, config)
    assert second != first
    (nested / "note.md").write_text("xy")
    third = manifest.input_fingerprint(site, config)
    assert third != second
    target = site / "elsewhere.md"
    target.write_text("a")
    (nested / "linked.md").symlink_to(target)
    linked = manifest.input_fingerprint(site, config)
    target.write_text("ab")  # the link's target changed: the page it gives changed
    assert manifest.input_fingerprint(site, config) != linked
    (nested / "gone.md").symlink_to(site / "missing.md")
    assert manifest.input_fingerprint(site, config) not in (first, second, third, linked)


def test_an_edit_build_decodes_only_the_edited_page(site: Path, capsys, monkeypatch) -> None:
    """After one page is edited, the others' HTML, source text and findings are never
    decoded from the page cache (``cachefile.Deferred``): the build, its reports and its
    record read only what each page shows elsewhere; they wait in a spill file, as on a big
    site. Their files are the same as after a build from scratch (texts kept in memory)."""
    from sitegen.build import workers
    from sitegen.build.pipeline import build_site
    from sitegen.core.cachefile import Spilled, deferred

    build(site, capsys)
    faq = site / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text().replace("## ", "## Some ", 1))
    config, _ = load_config(site)
    assert config is not None
    monkeypatch.setattr(workers, "SPILL_MIN", 1)
    result = build_site(site, config, jobs=1)
    monkeypatch.undo()
    assert result.published
    held = [vars(r.page)["_deferred"][1] for r in result.results if deferred(r.page)]
    assert len(held) >= 5 and all(type(text) is Spilled for text in held)
    light = {r.page.path for r in result.results if deferred(r.page) and deferred(r.check)}
    # the edited page comes from its worker as a cache entry too: what it uses is decoded
    assert light >= {r.page.path for r in result.results} - {"content/pages/faq.md"}
    assert len(light) >= 5
    # rendered again, so their marked-up HTML read: the page and its translation (notice)
    rendered = {r.page.path for r in result.results if r.annotated and not deferred(r.annotated)}
    assert rendered == {"content/pages/faq.md", "content/pages/preguntas-frecuentes.md"}
    edited = (site / "output").resolve()
    fresh = site.parent / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("output", "reports", ".sitegen*"))
    build(fresh, capsys)
    for page in sorted(p.relative_to(fresh / "output") for p in (fresh / "output").rglob("*")):
        if (fresh / "output" / page).is_file():
            assert (edited / page).read_bytes() == (fresh / "output" / page).read_bytes(), page


def test_check_leaves_pages_html_undecoded_and_finds_the_same(site: Path) -> None:
    """``check`` renders nothing, so it resolves no page's links (``resolve_links=False``):
    pages' HTML stays undecoded in the page cache, and it finds exactly what a check that
    resolves them finds, broken links included."""
    from sitegen.build.pipeline import build_site
    from sitegen.core.cachefile import deferred

    faq = site / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text() + "\nSee [the missing page](missing-page.md).\n")
    config, _ = load_config(site)
    assert config is not None
    full = build_site(site, config, write=False, jobs=1)  # fills the page cache
    lazy = build_site(site, config, write=False, jobs=1, resolve_links=False)
    assert lazy.diagnostics == full.diagnostics
    assert any(d.code == "LNK001" and d.path == "content/pages/faq.md" for d in lazy.diagnostics)
    assert [c.verdict for c in lazy.checks] == [c.verdict for c in full.checks]
    pages = [r for r in lazy.results if r.annotated is not None]
    assert len(pages) >= 5
    assert all(deferred(r.annotated) and deferred(r.rendered) for r in pages)
    assert not any(deferred(r.annotated) for r in full.results if r.annotated is not None)
