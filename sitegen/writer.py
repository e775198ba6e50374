"""The only module that writes the public site: build into a fresh folder, then swap it in.

``output/`` is always either the previous site or the new one, never a mix: the new site is
written to a sibling temporary folder and exchanged with ``output/`` in one atomic
``renameat2(RENAME_EXCHANGE)`` call (Linux), or two renames elsewhere. A build killed at any
point leaves a temporary folder behind, which the next build removes. No path may leave the
output folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from .diagnostics import Diagnostic, error

_UNSAFE_PART = re.compile(r"^(?:\.\.?|)$|[\x00-\x1f\\:]")


class UnsafePath(ValueError):
    """A computed output path would leave the output folder."""


def check_relpath(rel: str) -> str:
    """Return ``rel`` if it is a safe relative path inside the output folder, else raise."""
    if not rel or rel.startswith("/") or "\x00" in rel:
        raise UnsafePath(rel)
    if re.match(r"^[A-Za-z]:", rel) or "\\" in rel:
        raise UnsafePath(rel)
    for part in rel.split("/"):
        if _UNSAFE_PART.search(part):
            raise UnsafePath(rel)
    return rel


def temp_names(output: Path) -> tuple[str, str]:
    """Prefixes of the temporary folders that belong to ``output``."""
    return f".{output.name}.tmp-", f".{output.name}.old-"


def clean_stale(output: Path) -> list[str]:
    """Remove temporary folders left by an earlier, interrupted build; return their names.

    If a build died between the two renames of the fallback swap, ``output`` is missing and
    the previous site is in an ``.old-`` folder: it is put back first.
    """
    parent = output.parent
    tmp_prefix, old_prefix = temp_names(output)
    removed: list[str] = []
    if not parent.is_dir():
        return removed
    entries = sorted(parent.iterdir())
    if not output.exists():
        olds = [e for e in entries if e.name.startswith(old_prefix) and e.is_dir()]
        if olds:
            os.rename(olds[-1], output)
            entries = sorted(parent.iterdir())
    for entry in entries:
        if entry.name.startswith((tmp_prefix, old_prefix)) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def write_tree(base: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) under ``base``, refusing unsafe paths."""
    base_resolved = base.resolve()
    made: set[Path] = set()
    for rel in sorted(files):
        check_relpath(rel)
        target = base / rel
        parent = target.parent
        if parent not in made:
            parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        if not target.resolve().is_relative_to(base_resolved):
            raise UnsafePath(rel)
        target.write_bytes(files[rel])


#: a step run on the complete new folder before the swap (e.g. the search indexer); it may
#: add files there, and any error it returns cancels the publish
BeforeSwap = Callable[[Path], list[Diagnostic]]


def publish(
    output: Path,
    files: Mapping[str, bytes],
    *,
    display: str = "output",
    before_swap: BeforeSwap | None = None,
) -> list[Diagnostic]:
    """Atomically replace the folder ``output`` with ``files`` (plus what ``before_swap``
    adds to the new folder).

    Returns diagnostics (never raises for a bad path or a full disk); on any error the
    previous ``output`` is left as it was. Warnings from ``before_swap`` are returned too.
    """
    clean_stale(output)
    if output.exists() and (output.is_symlink() or not output.is_dir()):
        return [error(display, 0, 0, "OUT002", f"{display} exists and is not a folder")]
    tmp_prefix, old_prefix = temp_names(output)
    tmp = output.parent / f"{tmp_prefix}{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
        write_tree(tmp, files)
    except UnsafePath as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return [
            error(display, 0, 0, "OUT001", f'refused to write "{exc}": the path leaves {display}/')
        ]
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return [error(display, 0, 0, "OUT003", f"cannot write the site: {exc.strerror}")]
    more: list[Diagnostic] = []
    if before_swap is not None:
        more = list(before_swap(tmp))
        if any(d.is_error for d in more):
            shutil.rmtree(tmp, ignore_errors=True)
            return more
    swap_in(tmp, output, output.parent / f"{old_prefix}{os.getpid()}")
    return more


def swap_in(new: Path, output: Path, old: Path) -> None:
    """Make ``new`` become ``output`` atomically; the previous content is deleted."""
    if not output.exists():
        os.rename(new, output)
        return
    if _exchange(new, output):
        shutil.rmtree(new, ignore_errors=True)  # now holds the previous site
        return
    os.rename(output, old)
    os.rename(new, output)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths with ``renameat2(RENAME_EXCHANGE)``; False where unsupported."""
    global _libc
    if os.name != "posix":
        return False
    if _libc is None:
        name = ctypes.util.find_library("c")
        try:
            _libc = ctypes.CDLL(name, use_errno=True)
        except OSError:
            _libc = False
    if not _libc or not hasattr(_libc, "renameat2"):
        return False
    at_fdcwd = -100
    res = _libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if res == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))
