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
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, error

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


#: a step run on the complete new folder before the swap (e.g. the search indexer); it may
#: add files there, and any error it returns cancels the publish
BeforeSwap = Callable[[Path], list[Diagnostic]]


class Staging:
    """A new site folder being filled next to ``output``, swapped in by ``commit``.

    Files are written one by one (from any process: forked workers write straight into the
    folder, so no one holds the whole site in memory), or reused from the current ``output``
    by hard link when they are known to be unchanged. Nothing is visible in ``output`` until
    ``commit``; ``abort`` (or a crash) leaves ``output`` as it was.
    """

    def __init__(self, output: Path, *, display: str = "output", what: str = "the site") -> None:
        self.output = output
        self.display = display
        self.what = what  # what the folder holds, for "cannot write ..."
        self.path: Path | None = None
        self._made: set[str] = set()
        self._base = self._current = ""

    def open(self) -> list[Diagnostic]:
        """Create the empty new folder; problems come back as diagnostics."""
        clean_stale(self.output)
        if self.output.is_symlink() or (self.output.exists() and not self.output.is_dir()):
            return [
                error(self.display, 0, 0, "OUT002", f"{self.display} exists and is not a folder")
            ]
        tmp_prefix, _ = temp_names(self.output)
        tmp = self.output.parent / f"{tmp_prefix}{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            tmp.mkdir(parents=True)
        except OSError as exc:
            return [self._write_error(exc)]
        self.path = tmp
        self._base = os.fspath(tmp)
        self._current = os.fspath(self.output)
        return []

    def _target(self, rel: str) -> str:
        assert self.path is not None, "Staging.open() first"
        check_relpath(rel)
        base = self._base
        parent, _, _ = rel.rpartition("/")
        if parent and parent not in self._made:
            os.makedirs(f"{base}/{parent}", exist_ok=True)
            self._made.add(parent)
        # Safe without resolving: ``rel`` has no ".." or absolute part (``check_relpath``) and
        # the new folder is ours, so it holds no symlink to follow out of it. Plain strings:
        # at 10,000 pages, building ``Path`` objects costs more than the system calls.
        return f"{base}/{rel}"

    def write(self, rel: str, data: bytes | Iterable[bytes]) -> tuple[int, int]:
        """Write one file, from its bytes or piece by piece (a big report is streamed, never
        held whole); return its ``(size, mtime_ns)``. Raises ``UnsafePath``/``OSError``."""
        target = self._target(rel)
        with open(target, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                for chunk in data:
                    fh.write(chunk)
            fh.flush()
            st = os.fstat(fh.fileno())
        return st.st_size, st.st_mtime_ns

    def _unchanged(self, rel: str, size: int, mtime_ns: int) -> str | None:
        """The path of ``rel`` in the current ``output`` if it is still the plain file of the
        given size and modification time (not edited by hand since); None if not."""
        source = f"{self._current}/{check_relpath(rel)}"
        st = os.stat(source, follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode) or (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
            return None
        return source

    def reuse(self, rel: str, size: int, mtime_ns: int) -> bool:
        """Hard-link ``rel`` from the current ``output`` if it is still the file of the given
        size and modification time (not edited by hand since); False if it cannot be reused.
        """
        try:
            source = self._unchanged(rel, size, mtime_ns)
            if source is None:
                return False
            os.link(source, self._target(rel), follow_symlinks=False)
        except (OSError, UnsafePath):
            return False
        return True

    def read_current(self, rel: str, size: int, mtime_ns: int) -> bytes | None:
        """The bytes of ``rel`` in the current ``output`` if it is still the file of the given
        size and modification time (``reuse``'s test); None if it is not, or is unreadable."""
        try:
            source = self._unchanged(rel, size, mtime_ns)
            if source is None:
                return None
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as fh:
                return fh.read()
        except (OSError, UnsafePath):
            return None

    def commit(self, before_swap: BeforeSwap | None = None) -> list[Diagnostic]:
        """Run ``before_swap`` on the complete folder, then swap it in (unless it failed)."""
        assert self.path is not None, "Staging.open() first"
        more: list[Diagnostic] = []
        if before_swap is not None:
            more = list(before_swap(self.path))
            if any(d.is_error for d in more):
                self.abort()
                return more
        _, old_prefix = temp_names(self.output)
        swap_in(self.path, self.output, self.output.parent / f"{old_prefix}{os.getpid()}")
        self.path = None
        return more

    def abort(self) -> None:
        """Drop the new folder; ``output`` stays as it was."""
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None

    def error_for(self, exc: Exception) -> Diagnostic:
        """The diagnostic for an exception raised while filling the folder."""
        if isinstance(exc, UnsafePath):
            return error(
                self.display,
                0,
                0,
                "OUT001",
                f'refused to write "{exc}": the path leaves {self.display}/',
            )
        assert isinstance(exc, OSError)
        return self._write_error(exc)

    def _write_error(self, exc: OSError) -> Diagnostic:
        return error(self.display, 0, 0, "OUT003", f"cannot write {self.what}: {exc.strerror}")


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
    staging = Staging(output, display=display)
    problems = staging.open()
    if problems:
        return problems
    try:
        for rel in sorted(files):
            staging.write(rel, files[rel])
    except (UnsafePath, OSError) as exc:
        staging.abort()
        return [staging.error_for(exc)]
    return staging.commit(before_swap)


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
_libc: ctypes.CDLL | bool | None = None


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
    if not isinstance(_libc, ctypes.CDLL) or not hasattr(_libc, "renameat2"):
        return False
    at_fdcwd = -100
    res = _libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if res == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))
