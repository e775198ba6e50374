"""Where a sign-off came from: the text it signed and the commit that added it.

Sign-offs live in the page files, so their authenticity is that of the version control the
site is kept in (docs/review.md). Where the site is in a git repository, ``signoff_commit``
names the commit that added a sign-off. The text a reviewer signed is kept as a plain-text
snapshot in ``.sitegen-cache/signed/`` (written by ``approve``), and otherwise read back
from git, so that a re-approval can show what changed since.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.cachefile import CACHE_DIR, read_regular, write_cached

SNAPSHOTS = "signed"
_HASH = re.compile(r"^sha256:([0-9a-f]{64})$")
#: a git call that takes longer than this is given up (the answer is "unknown")
GIT_TIMEOUT = 10


@dataclass(frozen=True)
class Commit:
    """A git commit: short id, author, date (YYYY-MM-DD)."""

    id: str
    author: str
    date: str

    def __str__(self) -> str:
        return f"commit {self.id} by {self.author} on {self.date}"


def _snapshot_path(root: Path, text_hash: str) -> Path | None:
    m = _HASH.match(text_hash)
    return root / CACHE_DIR / SNAPSHOTS / f"{m.group(1)}.txt" if m else None


def save_snapshot(root: Path, text_hash: str, review_text: str) -> None:
    """Keep the text a reviewer signed (best effort: a cache, never required)."""
    path = _snapshot_path(root, text_hash)
    if path is None:
        return
    write_cached(path, review_text.encode("utf-8"))


def load_snapshot(root: Path, text_hash: str) -> str | None:
    """The signed text with this hash, if this machine kept it."""
    path = _snapshot_path(root, text_hash)
    try:
        return read_regular(path).decode("utf-8") if path is not None else None
    except (OSError, UnicodeDecodeError):
        return None


def _git(root: Path, *args: str) -> str | None:
    if shutil.which("git") is None:
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def in_git(root: Path) -> bool:
    """True when ``root`` is inside a git work tree and git can be run."""
    out = _git(root, "rev-parse", "--is-inside-work-tree")
    return out is not None and out.strip() == "true"


def signoff_commit(root: Path, rel: str, text_hash: str) -> Commit | None:
    """The oldest commit that added ``text_hash`` to ``rel``, or None (no git, not
    committed yet)."""
    if not _HASH.match(text_hash):
        return None
    out = _git(root, "log", "--format=%h%x09%an%x09%ad", "--date=short", "-S", text_hash,
               "--", rel)  # fmt: skip
    if not out:
        return None
    first = out.strip().splitlines()[-1].split("\t")
    return Commit(*first) if len(first) == 3 else None


def file_at(root: Path, commit: Commit, rel: str) -> str | None:
    """The content of ``rel`` at ``commit``, or None."""
    return _git(root, "show", f"{commit.id}:{rel}")
