"""The spare folder: the folder a build replaced is kept in the cache and filled again by the
next build (``publish/folder.py``). Files still current stay where they are, everything else
in it is replaced or removed, the published site is never written through, and the result is
byte for byte what a clean build makes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from site_support import build, content_site, inodes, tree

from sitegen.build.manifest import CACHE_DIR
from sitegen.publish import records
from sitegen.publish.folder import PublishFolder
from sitegen.publish.records import Written

STUDY = Path("content") / "studies" / "migraine-prevention.md"
FAQ = Path("content") / "pages" / "faq.md"
PAGE = "studies/migraine-prevention/index.html"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return content_site(tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def folders(folder: Path) -> list[str]:
    """Every folder under ``folder`` (an empty one a clean build would not make shows)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def two_builds(site: Path) -> None:
    """A build, then a build after an edit (a build with nothing to do replaces nothing)."""
    build(site)
    edit(site / FAQ, "## ", "## Some ")
    build(site)


def spare(root: Path, name: str = "output") -> Path:
    return records.spare_folder(root, name)


def same_as_clean(site: Path, tmp_path: Path) -> None:
    """``site``'s output and reports are those of a clean build of the same content and the
    same history (its cache but for the spare folders)."""
    twin = tmp_path / "clean"
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(site, twin, symlinks=True, ignore=shutil.ignore_patterns("spare-*"))
    build(twin, "--clean")
    assert tree(site / "output") == tree(twin / "output")
    assert folders(site / "output") == folders(twin / "output")
    assert tree(site / "reports", "pages") == tree(twin / "reports", "pages")


def test_an_edit_build_fills_the_spare_and_keeps_the_rest_in_place(
    site: Path, tmp_path: Path
) -> None:
    build(site)
    assert not spare(site).exists()  # nothing was replaced yet
    edit(site / FAQ, "## ", "## Some ")
    build(site)
    assert spare(site).is_dir() and spare(site, "reports").is_dir()
    before = inodes(site / "output")
    folder = os.stat(spare(site)).st_ino
    edit(site / STUDY, "## ", "We thank you for reading this page.\n\n## ")
    build(site)
    assert os.stat(site / "output").st_ino == folder  # the spare, filled again
    after = inodes(site / "output")
    # The unchanged files are the published ones (the spare's own, or linked from output/).
    assert {rel for rel in after if after[rel] != before.get(rel) and rel.endswith(".html")} == {
        PAGE
    }
    same_as_clean(site, tmp_path)


def test_the_published_file_is_never_written_through_the_spare(site: Path) -> None:
    two_builds(site)  # the spare now holds links to the published files
    published = site / "output" / PAGE
    assert os.stat(spare(site) / PAGE).st_ino == os.stat(published).st_ino
    witness = site.parent / "witness.html"
    os.link(published, witness)
    old = witness.read_bytes()
    edit(site / STUDY, "## ", "We thank you for reading this page.\n\n## ")
    build(site)
    assert witness.read_bytes() == old
    assert b"We thank you for reading this page." in published.read_bytes()


def test_removed_pages_and_strange_files_leave_no_trace(site: Path, tmp_path: Path) -> None:
    two_builds(site)
    # A file and folders the last build did not make, put into the spare by hand.
    (spare(site) / "stray.txt").write_text("not ours")
    (spare(site) / "empty" / "deeper").mkdir(parents=True)
    (site / "content" / "studies" / "memory-walking-group.md").unlink()
    build(site)
    assert not (site / "output" / "stray.txt").exists()
    assert not (site / "output" / "empty").exists()
    assert not (site / "output" / "studies" / "memory-walking-group").exists()
    same_as_clean(site, tmp_path)


def test_a_spare_without_its_record_keeps_nothing_in_place(site: Path, tmp_path: Path) -> None:
    two_builds(site)
    (site / CACHE_DIR / "spare-output.json").unlink()
    # A file of the spare changed by hand: without its record, nothing vouches for it.
    target = spare(site) / "index.html"
    stat = target.stat()
    target.unlink()  # not written through: the published file is another name of it
    target.write_bytes(b"<p>hand-made</p>".ljust(stat.st_size))
    os.utime(target, ns=(stat.st_mtime_ns, stat.st_mtime_ns))
    build(site)
    assert b"hand-made" not in (site / "output" / "index.html").read_bytes()
    same_as_clean(site, tmp_path)


def test_a_spare_file_edited_since_it_was_recorded_is_made_again(site: Path) -> None:
    folder = PublishFolder(site, "out", "out")
    assert folder.open() == []
    rel = "a/index.html"
    size, mtime = folder.staging.write(rel, b"one")
    assert folder.commit({rel: Written("k1", size, mtime)}) == []
    assert folder.open() == []
    assert folder.staging.reuse(rel, size, mtime, "k1")  # linked from out/
    assert folder.commit({rel: Written("k1", size, mtime)}) == []
    # out/ and the spare hold the same file; it is replaced in the spare by a new one.
    held = spare(site, "out") / rel
    held.unlink()
    held.write_bytes(b"two")
    assert folder.open() == []
    assert folder.staging.reuse(rel, size, mtime, "k1")  # not the spare's: out/'s again
    assert folder.commit({rel: Written("k1", size, mtime)}) == []
    assert (site / "out" / rel).read_bytes() == b"one"


def test_an_interrupted_build_leaves_no_spare_to_use(site: Path) -> None:
    folder = PublishFolder(site, "out", "out")
    assert folder.open() == []
    size, mtime = folder.staging.write("x.html", b"x")
    assert folder.commit({"x.html": Written("k", size, mtime)}) == []
    assert folder.open() == []
    folder.staging.write("y.html", b"y")
    assert folder.commit({}) == []
    assert spare(site, "out").is_dir()
    assert folder.open() == []  # the spare is taken ...
    assert not spare(site, "out").exists()
    assert records.load_spare_records(site, "out") == {}
    folder.abort()  # ... and a build that stops does not give it back
    assert not spare(site, "out").exists()
    assert folder.open() == []
    assert folder.commit({}) == []
    assert sorted(os.listdir(site / "out")) == []
