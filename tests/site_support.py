"""A copy of the repository's example content as a site to build in a test, and ways to look
at what a build left in a folder (the output reuse and search index tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.cli import main

REPO = Path(__file__).parent.parent


def content_site(tmp_path: Path) -> Path:
    """A site at ``tmp_path/site`` with the repository's ``content/`` and a one-line
    ``site.yml``."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    (root / "site.yml").write_text("title: Test studies\n")
    return root


def build(root: Path, *args: str) -> None:
    """``sitegen build`` of ``root``, quietly; it must succeed."""
    assert main(["build", "--root", str(root), "-q", *args]) == 0


def inodes(folder: Path) -> dict[str, int]:
    """Each file under ``folder`` and its inode (a file kept from the last build keeps it)."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def tree(folder: Path, under: str = "") -> dict[str, bytes]:
    """Each file under ``folder/under`` and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted((folder / under).rglob("*"))
        if p.is_file()
    }
