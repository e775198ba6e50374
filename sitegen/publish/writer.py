"""The only module that writes the public site: build into a fresh folder, then swap it in.

``output/`` is always either the previous site or the new one, never a mix: the new site is
written to a sibling temporary folder and exchanged with ``output/`` in one atomic
``renameat2(RENAME_EXCHANGE)`` call (Linux), or two renames elsewhere. A build killed at any
point leaves a temporary folder behind, which the next build removes. No path may leave the
output folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import stat
from collections.abc import Callable, Collection, Iterable, Mapping
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


#: a file of a recycled folder as its record has it: (render key, size, mtime_ns)
Recorded = tuple[str, int, int]


def _is_recorded(st: os.stat_result, size: int, mtime_ns: int) -> bool:
    """True if ``st`` is a plain file's, of the recorded size and modification time."""
    return stat.S_ISREG(st.st_mode) and (st.st_size, st.st_mtime_ns) == (size, mtime_ns)


class Staging:
    """A new site folder being filled next to ``output``, swapped in by ``commit``.

    Files are written one by one (from any process: forked workers write straight into the
    folder, so no one holds the whole site in memory), or reused from the current ``output``
    by hard link when they are known to be unchanged. Nothing is visible in ``output`` until
    ``commit``; ``abort`` (or a crash) leaves ``output`` as it was.

    The new folder may be *recycled*: the folder ``output`` was before the last swap (see
    ``open``), whose files that are still the current ones stay where they are, so that a
    build that changed a few files neither makes a folder per page nor links every file
    again. Whatever it holds that this build did not make is removed before the swap
    (``drop_stale``).
    """

    def __init__(self, output: Path, *, display: str = "output", what: str = "the site") -> None:
        self.output = output
        self.display = display
        self.what = what  # what the folder holds, for "cannot write ..."
        self.path: Path | None = None
        self._made: set[str] = set()
        self._base = self._current = ""
        #: the files of a recycled folder when it was opened: relative path -> inode
        self._old: dict[str, int] = {}
        #: their records (``Recorded``), for those that may stay where they are
        self._recorded: Mapping[str, Recorded] = {}
        #: folders of a recycled folder that held nothing
        self._empty: list[str] = []

    def open(
        self, recycle: Path | None = None, recorded: Mapping[str, Recorded] | None = None
    ) -> list[Diagnostic]:
        """Create the new folder; problems come back as diagnostics. ``recycle``: a folder
        to fill again instead of an empty one (moved in, so gone from where it was), whose
        files ``recorded`` describes; a file it holds stays only where ``reuse`` finds it
        is still the file recorded for the current ``output``."""
        clean_stale(self.output)
        if self.output.is_symlink() or (self.output.exists() and not self.output.is_dir()):
            return [
                error(self.display, 0, 0, "OUT002", f"{self.display} exists and is not a folder")
            ]
        tmp_prefix, _ = temp_names(self.output)
        tmp = self.output.parent / f"{tmp_prefix}{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        self._made, self._old, self._recorded, self._empty = set(), {}, {}, []
        if recycle is not None and self._recycle(recycle, tmp):
            self._recorded = recorded or {}
        else:
            try:
                tmp.mkdir(parents=True)
            except OSError as exc:
                return [self._write_error(exc)]
        self.path = tmp
        self._base = os.fspath(tmp)
        self._current = os.fspath(self.output)
        return []

    def _recycle(self, folder: Path, tmp: Path) -> bool:
        """Move ``folder`` to ``tmp`` and note what it holds; False if it cannot be used
        (it is then removed)."""
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return False
            os.rename(folder, tmp)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return False
        files: dict[str, int] = {}
        stack = [("", os.fspath(tmp))]
        try:
            while stack:
                rel, path = stack.pop()
                with os.scandir(path) as entries:
                    empty = True
                    for entry in entries:
                        empty = False
                        name = f"{rel}{entry.name}"
                        if entry.is_dir(follow_symlinks=False):
                            self._made.add(name)
                            stack.append((f"{name}/", entry.path))
                        else:
                            files[name] = entry.inode()
                if empty and rel:
                    self._empty.append(rel[:-1])
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            self._made, self._empty = set(), []
            return False
        self._old = files
        return True

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

    def _clear(self, rel: str, target: str) -> None:
        """Take a recycled folder's file out of the way of a new one (it may be a link to
        the published file: writing into it would change that)."""
        if rel in self._old:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)

    def write(self, rel: str, data: bytes | Iterable[bytes]) -> tuple[int, int]:
        """Write one file, from its bytes or piece by piece (a big report is streamed, never
        held whole); return its ``(size, mtime_ns)``. Raises ``UnsafePath``/``OSError``."""
        target = self._target(rel)
        self._clear(rel, target)
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
        return source if _is_recorded(st, size, mtime_ns) else None

    def reuse(self, rel: str, size: int, mtime_ns: int, key: str | None = None) -> bool:
        """Hard-link ``rel`` from the current ``output`` if it is still the file of the given
        size and modification time (not edited by hand since); False if it cannot be reused.
        In a recycled folder, a file recorded with the same ``key``, size and time that is
        still that file stays where it is instead."""
        try:
            if key is not None and self._kept_in_place(rel, (key, size, mtime_ns)):
                return True
            source = self._unchanged(rel, size, mtime_ns)
            if source is None:
                return False
            target = self._target(rel)
            self._clear(rel, target)
            os.link(source, target, follow_symlinks=False)
        except (OSError, UnsafePath):
            return False
        return True

    def _kept_in_place(self, rel: str, recorded: Recorded) -> bool:
        """True if the recycled folder's ``rel`` is recorded as ``recorded`` and is still
        the very file it was when the folder was opened, of the recorded size and time."""
        inode = self._old.get(rel)
        if inode is None or self._recorded.get(rel) != recorded:
            return False
        st = os.stat(f"{self._base}/{check_relpath(rel)}", follow_symlinks=False)
        return (
            stat.S_ISREG(st.st_mode)
            and st.st_ino == inode
            and (st.st_size, st.st_mtime_ns) == recorded[1:]
        )

    def drop_stale(self, made: Collection[str]) -> None:
        """Remove what a recycled folder held that this build did not make (``made``: every
        file it made or kept), and the folders that leaves empty. A file is removed only
        while it is the very file the folder held when it was opened."""
        base = self._base
        parents: set[str] = set(self._empty)
        for rel, inode in self._old.items():
            if rel in made:
                continue
            path = f"{base}/{rel}"
            with contextlib.suppress(OSError):
                if os.stat(path, follow_symlinks=False).st_ino == inode:
                    os.unlink(path)
                    parents.add(rel.rpartition("/")[0])
        for folder in sorted(parents, key=lambda f: f.count("/"), reverse=True):
            while folder:
                try:
                    os.rmdir(f"{base}/{folder}")
                except OSError:
                    break
                folder = folder.rpartition("/")[0]
        self._old, self._empty = {}, []

    def open_current(self, rel: str, size: int, mtime_ns: int) -> int | None:
        """A file descriptor (to read) of ``rel`` in the current ``output`` if the opened file
        is still the plain file of the given size and modification time (``reuse``'s test);
        None if it is not, or cannot be opened."""
        try:
            source = f"{self._current}/{check_relpath(rel)}"
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except (OSError, UnsafePath):
            return None
        try:
            if _is_recorded(os.fstat(fd), size, mtime_ns):
                return fd
        except OSError:
            pass
        os.close(fd)
        return None

    def read_current(self, rel: str, size: int, mtime_ns: int) -> bytes | None:
        """The bytes of ``rel`` in the current ``output`` if it is still the file of the given
        size and modification time (``open_current``); None if it is not, or is unreadable."""
        fd = self.open_current(rel, size, mtime_ns)
        if fd is None:
            return None
        try:
            with os.fdopen(fd, "rb") as fh:
                return fh.read()
        except OSError:
            return None

    def commit(
        self, before_swap: BeforeSwap | None = None, *, keep: Path | None = None
    ) -> list[Diagnostic]:
        """Run ``before_swap`` on the complete folder, then swap it in (unless it failed).
        ``keep``: where the replaced folder is put (to be recycled), instead of deleted."""
        assert self.path is not None, "Staging.open() first"
        more: list[Diagnostic] = []
        if before_swap is not None:
            more = list(before_swap(self.path))
            if any(d.is_error for d in more):
                self.abort()
                return more
        _, old_prefix = temp_names(self.output)
        swap_in(
            self.path, self.output, self.output.parent / f"{old_prefix}{os.getpid()}", keep=keep
        )
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


def swap_in(new: Path, output: Path, old: Path, *, keep: Path | None = None) -> None:
    """Make ``new`` become ``output`` atomically; the previous content is deleted, or moved
    to ``keep`` (which must not exist) when it can be."""
    if not output.exists():
        os.rename(new, output)
        return
    if _exchange(new, output):
        _set_aside(new, keep)  # now holds the previous site
        return
    os.rename(output, old)
    os.rename(new, output)
    _set_aside(old, keep)


def _set_aside(folder: Path, keep: Path | None) -> None:
    """Move the replaced ``folder`` to ``keep``, or delete it (no ``keep``, or it cannot be
    moved there)."""
    if keep is not None:
        try:
            os.rename(folder, keep)
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


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
