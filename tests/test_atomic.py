"""One atomic write for users' files and caches: mode kept, no link followed, nothing left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sitegen.content import provenance
from sitegen.core.atomic import atomic_write
from sitegen.core.cachefile import CACHE_DIR

HASH = "sha256:" + "ab" * 32


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)


@pytest.mark.parametrize("bits", [0o644, 0o640, 0o600, 0o664])
def test_an_existing_file_keeps_its_mode(tmp_path: Path, bits: int) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"old\r\n")
    page.chmod(bits)
    atomic_write(page, b"new\r\n")
    assert page.read_bytes() == b"new\r\n"  # bytes as given: line endings are the caller's
    assert mode(page) == bits


def test_a_new_file_gets_the_new_mode(tmp_path: Path) -> None:
    atomic_write(tmp_path / "a", b"x")
    atomic_write(tmp_path / "b", b"x", new_mode=0o644)
    assert (mode(tmp_path / "a"), mode(tmp_path / "b")) == (0o600, 0o644)


def test_a_link_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    outside.chmod(0o644)
    link = tmp_path / "cache.txt"
    link.symlink_to(outside)
    atomic_write(link, b"new", durable=False)
    assert outside.read_bytes() == b"keep"
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert mode(link) == 0o600  # the link's target's mode is not copied


def test_a_failed_write_leaves_the_file_and_no_temporary_file(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"old")
    with pytest.raises(TypeError):
        atomic_write(page, "not bytes")  # type: ignore[arg-type]
    assert page.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.md"]


def test_a_signoff_snapshot_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    """The snapshot used to go through a fixed ``<hash>.tmp`` name, following a link put there."""
    folder = tmp_path / CACHE_DIR / provenance.SNAPSHOTS
    folder.mkdir(parents=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    (folder / f"{'ab' * 32}.tmp").symlink_to(outside)
    (folder / f"{'ab' * 32}.txt").symlink_to(outside)
    provenance.save_snapshot(tmp_path, HASH, "the signed text")
    assert outside.read_text() == "keep"
    assert provenance.load_snapshot(tmp_path, HASH) == "the signed text"


def test_a_signoff_snapshot_is_not_written_into_a_linked_cache_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / CACHE_DIR).symlink_to(elsewhere)
    provenance.save_snapshot(tmp_path, HASH, "the signed text")
    assert list(elsewhere.rglob("*")) == []
