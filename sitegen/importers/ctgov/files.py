"""Draft pages on disk: where a study's page goes (the page that already holds its NCT id,
whatever its file name), and writing one atomically, never over an existing page unless
asked to."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path


def display(path: Path, root: Path | None) -> str:
    """``path`` as messages show it: relative to ``root`` when inside it, else as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


_NCT_LINE_RE = re.compile(r"^nct_id:\s*['\"]?(NCT\d{8})['\"]?\s*$", re.MULTILINE)


def existing_pages(out_dir: Path) -> dict[str, Path]:
    """NCT id -> the page already in ``out_dir`` for it (the file name may have been changed)."""
    pages: dict[str, Path] = {}
    if not out_dir.is_dir():
        return pages
    for page in sorted(out_dir.glob("*.md")):
        try:
            text = page.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if not text.startswith("---"):
            continue
        end = text.find("\n---", 3)
        m = _NCT_LINE_RE.search(text[: end if end > 0 else len(text)])
        if m and m.group(1) not in pages:
            pages[m.group(1)] = page
    return pages


def write_atomic(target: Path, data: bytes, *, overwrite: bool) -> bool:
    """Write ``data`` to ``target`` through a temporary file in the same folder.

    Returns False (and writes nothing) when ``target`` exists and ``overwrite`` is False.
    Raises OSError for other failures.
    """
    if not overwrite and target.exists():
        return False
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, target)
            return True
        try:
            os.link(tmp, target)  # atomic and never replaces an existing file
        except FileExistsError:
            return False
        except OSError:  # no hard links on this file system
            if target.exists():
                return False
            os.replace(tmp, target)
        return True
    finally:
        if tmp.exists():
            tmp.unlink()
