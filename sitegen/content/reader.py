"""Find content files in a stable order and read them as UTF-8 text, safely.

The reader never follows a link out of the site, refuses files too large to be a page, and
reports undecodable bytes with the line and column where they are.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, error, warning

KINDS = {"studies": "study", "pages": "page", "results": "result"}
BOM = "\ufeff"


@dataclass(frozen=True)
class SourceFile:
    """One content file as read from disk."""

    path: str  # site-relative, "/" separators, e.g. "content/studies/asthma.md"
    kind: str  # "study", "page" or "result"
    text: str  # UTF-8 decoded, BOM removed, line endings normalised to "\n"
    stem: str  # file name without ".md"


def discover(root: Path, content_dir: str) -> tuple[list[tuple[str, str, Path]], list[Diagnostic]]:
    """List ``(rel_path, kind, abs_path)`` for every ``.md`` file under the content folder.

    Sorted by path so that every run sees files in the same order. Symbolic links that point
    outside the site are refused; links to directories are not followed.
    """
    base = root / content_dir
    found: list[tuple[str, str, Path]] = []
    diags: list[Diagnostic] = []
    if not base.is_dir():
        return [], [
            error(
                content_dir,
                0,
                0,
                "SRC008",
                f'content folder "{content_dir}" does not exist',
                "create content/studies/ and content/pages/ or set content_dir in site.yml",
            )
        ]
    site_root = root.resolve()
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False, onerror=unreadable.append):
        dirnames.sort()
        here = Path(dirpath)
        for name in list(dirnames):
            full = here / name
            if full.is_symlink():
                rel = full.relative_to(root).as_posix()
                diags.append(_link_diag(rel, full, site_root, directory=True))
                dirnames.remove(name)
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            entry, problem = _entry(root, base, site_root, here / name)
            if problem is not None:
                diags.append(problem)
            if entry is not None:
                found.append(entry)
    for exc in unreadable:  # a folder that cannot be listed: its pages would silently vanish
        where = Path(exc.filename or base)
        rel = where.relative_to(root).as_posix() if where.is_relative_to(root) else str(where)
        reason = exc.strerror or "unreadable"
        diags.append(
            error(rel, 0, 0, "SRC009", f"cannot read folder: {reason}", "check its permissions")
        )
    found.sort(key=lambda item: item[0])
    return found, diags


def _entry(
    root: Path, base: Path, site_root: Path, full: Path
) -> tuple[tuple[str, str, Path] | None, Diagnostic | None]:
    """One ``.md`` file found in a content folder: its ``discover`` entry, or the problem
    that keeps it out."""
    rel = full.relative_to(root).as_posix()
    problem = _not_a_file(rel, full)
    if problem is not None:
        return None, problem
    if full.is_symlink():
        target = full.resolve()
        if not target.is_relative_to(site_root):
            return None, _link_diag(rel, full, site_root, directory=False)
    parts = full.relative_to(base).parts
    kind = KINDS.get(parts[0]) if len(parts) == 2 else None
    if kind is None:
        return None, warning(
            rel,
            0,
            0,
            "SRC007",
            "file is not in content/studies/ or content/pages/; it is ignored",
            "move study descriptions to content/studies/ and other pages to content/pages/",
        )
    return (rel, kind, full), None


def discover_file(
    root: Path, content_dir: str, rel: str
) -> tuple[tuple[str, str, Path] | None, Diagnostic | None] | None:
    """What ``discover`` says of the one file ``rel`` (site-relative): its entry or its
    problem, both None when it does not exist; None when only a whole ``discover`` can tell
    (not a ``.md`` path in the content folder, or a folder on the way that is a link or
    not a folder)."""
    base = root / content_dir
    full = root / rel
    if not rel.endswith(".md") or not full.is_relative_to(base) or full == base:
        return None
    here = base
    for part in full.relative_to(base).parts[:-1]:
        if part in ("", ".", "..") or here.is_symlink() or not here.is_dir():
            return None
        here = here / part
    if here.is_symlink() or not here.is_dir():
        return None
    if not os.path.lexists(full):
        return None, None
    return _entry(root, base, root.resolve(), full)


def _not_a_file(rel: str, full: Path) -> Diagnostic | None:
    """SRC009/SRC011 unless ``full`` is (or links to) a regular file."""
    try:
        st = os.stat(full)
    except (OSError, ValueError) as exc:
        why = (
            "a broken or looping link"
            if full.is_symlink()
            else (getattr(exc, "strerror", None) or "unreadable")
        )
        return error(rel, 0, 0, "SRC009", f"cannot read file: {why}")
    if not stat.S_ISREG(st.st_mode):
        return error(
            rel,
            0,
            0,
            "SRC011",
            "not a regular file (a FIFO, socket or device named .md); it is not read",
            "remove it, or give it another name",
        )
    return None


def _link_diag(rel: str, full: Path, site_root: Path, *, directory: bool) -> Diagnostic:
    try:
        target = os.readlink(full)
    except OSError:  # pragma: no cover - raced away
        target = "?"
    inside = full.resolve().is_relative_to(site_root)
    if directory and inside:
        return warning(
            rel, 0, 0, "SRC005", "linked folder inside the site is not followed", "copy the files"
        )
    return error(
        rel,
        0,
        0,
        "SRC005",
        f'symbolic link points outside the site (to "{target}"); it is not read',
        "copy the file into content/ instead of linking to it",
    )


def read_source(
    rel: str, kind: str, full: Path, max_bytes: int
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read one content file; every problem is a diagnostic, never an exception."""
    diags: list[Diagnostic] = []
    try:
        size = full.stat().st_size
        if size > max_bytes:
            return None, [
                error(
                    rel,
                    0,
                    0,
                    "SRC003",
                    f"file is {_size(size)}; the limit for one page is {_size(max_bytes)}",
                    "split it into several pages, or raise max_file_kb in site.yml",
                )
            ]
        data = full.read_bytes()
    except OSError as exc:
        return None, [error(rel, 0, 0, "SRC009", f"cannot read file: {exc.strerror}")]
    if not data.strip():
        return None, [
            error(
                rel,
                1,
                1,
                "SRC002",
                "file is empty",
                "start it with a front matter block (see docs/content-model.md), or delete it",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            error(
                rel,
                line,
                col,
                "SRC001",
                f"file is not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
                "save the file as UTF-8 in your editor",
            )
        ]
    if text.startswith(BOM):
        text = text[1:]
        diags.append(
            warning(
                rel,
                1,
                1,
                "SRC004",
                "file starts with a UTF-8 byte order mark; it was ignored",
                "save the file as UTF-8 without BOM",
            )
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [error(rel, line, 0, "SRC001", "file contains a NUL character")]
    stem = full.name[: -len(".md")]
    return SourceFile(rel, kind, text, stem), diags


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:.0f} KB"
