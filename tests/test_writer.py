"""The writer: atomic swap, no path outside output/, recovery after an interrupted build."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.publish import writer


@pytest.mark.parametrize(
    "rel",
    [
        "../evil.html",
        "a/../../evil.html",
        "/etc/passwd",
        "C:/Windows/evil.html",
        "c:evil.html",
        "a\\..\\evil.html",
        "a\x00b.html",
        "",
        "a//b.html",
        "./a.html",
    ],
)
def test_unsafe_paths_are_refused(rel: str) -> None:
    with pytest.raises(writer.UnsafePath):
        writer.check_relpath(rel)


@pytest.mark.parametrize("rel", ["index.html", "studies/a-b/index.html", "assets/site.css"])
def test_safe_paths(rel: str) -> None:
    assert writer.check_relpath(rel) == rel


def tree(path: Path) -> dict[str, bytes]:
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def test_publish_replaces_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "output"
    assert writer.publish(out, {"index.html": b"one", "old/page.html": b"x"}) == []
    assert writer.publish(out, {"index.html": b"two", "new/page.html": b"y"}) == []
    assert tree(out) == {"index.html": b"two", "new/page.html": b"y"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_publish_refuses_escape_and_keeps_old_site(tmp_path: Path) -> None:
    out = tmp_path / "output"
    writer.publish(out, {"index.html": b"old"})
    diags = writer.publish(out, {"index.html": b"new", "../escape.html": b"x"})
    assert [d.format() for d in diags] == [
        'output: error: refused to write "../escape.html": the path leaves output/ [OUT001]'
    ]
    assert tree(out) == {"index.html": b"old"}
    assert not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_publish_refuses_symlinked_output(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "output").symlink_to(elsewhere)
    diags = writer.publish(tmp_path / "output", {"index.html": b"x"})
    assert [d.code for d in diags] == ["OUT002"]
    assert list(elsewhere.iterdir()) == []


def test_stale_temporary_folders_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "output"
    writer.publish(out, {"index.html": b"old"})
    (tmp_path / ".output.tmp-999999" / "studies").mkdir(parents=True)
    (tmp_path / ".output.tmp-999999" / "studies" / "half.html").write_bytes(b"half")
    assert writer.publish(out, {"index.html": b"new"}) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_interrupted_fallback_swap_is_recovered(tmp_path: Path) -> None:
    # A build killed between the two renames of the fallback swap leaves no output/ but the
    # previous site in an .old- folder: the next build puts it back before anything else.
    old = tmp_path / ".output.old-12345"
    old.mkdir()
    (old / "index.html").write_bytes(b"previous")
    (tmp_path / ".output.tmp-12345").mkdir()
    removed = writer.clean_stale(tmp_path / "output")
    assert removed == [".output.tmp-12345"]
    assert tree(tmp_path / "output") == {"index.html": b"previous"}


def test_fallback_swap_without_renameat2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    out = tmp_path / "output"
    writer.publish(out, {"index.html": b"one"})
    writer.publish(out, {"index.html": b"two"})
    assert tree(out) == {"index.html": b"two"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
