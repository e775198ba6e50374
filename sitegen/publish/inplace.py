"""The preview folder updated in place, file by file, after its first build.

A published build fills a new folder and swaps it in (``writer.Staging``). The preview of
``sitegen serve`` does that once; after an edit, only the few files whose render key changed
are written again, each atomically (a temporary file renamed over the old one), into the
folder being served, so a writer sees the edit without the site being copied. It has the
interface of ``Staging`` that ``outputs.StagedSink`` uses (``write``, ``reuse``,
``error_for``), and the same path checks: no path leaves the folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, error
from sitegen.publish.writer import UnsafePath, check_relpath


class InPlace:
    """Write into the existing folder ``path`` (``display``: its name in diagnostics).

    ``trusted``: the record of the folder's files is this process's own, kept in memory
    since it wrote them, so ``reuse`` believes it without a ``stat`` of every file (a
    file changed by hand in the folder is not noticed until the next full build).
    """

    def __init__(self, path: Path, *, display: str, trusted: bool = False) -> None:
        self.path = path
        self.display = display
        self.trusted = trusted
        self._base = os.fspath(path)

    def _target(self, rel: str) -> str:
        check_relpath(rel)
        parent, _, _ = rel.rpartition("/")
        if parent:
            os.makedirs(f"{self._base}/{parent}", exist_ok=True)
        return f"{self._base}/{rel}"

    def write(self, rel: str, data: bytes) -> tuple[int, int]:
        """Replace one file atomically; return its ``(size, mtime_ns)``."""
        target = self._target(rel)
        if os.path.islink(target) or os.path.isdir(target):
            raise UnsafePath(rel)
        temp = f"{target}.sg-tmp-{os.getpid()}"
        try:
            with open(temp, "wb") as fh:
                fh.write(data)
                fh.flush()
                st = os.fstat(fh.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        return st.st_size, st.st_mtime_ns

    def reuse(self, rel: str, size: int, mtime_ns: int, key: str | None = None) -> bool:
        """True when ``rel`` is still the file of the given size and modification time
        (nothing to do); False when it must be written again. (``key``: as ``Staging``
        takes it; a file updated in place is its own record.)"""
        if self.trusted:
            return True
        try:
            check_relpath(rel)
            st = os.stat(f"{self._base}/{rel}", follow_symlinks=False)
        except (OSError, UnsafePath):
            return False
        return stat.S_ISREG(st.st_mode) and (st.st_size, st.st_mtime_ns) == (size, mtime_ns)

    def remove(self, rel: str) -> None:
        """Delete a file no longer in the site, and its folders left empty."""
        with contextlib.suppress(OSError, UnsafePath):
            check_relpath(rel)
            os.unlink(f"{self._base}/{rel}")
            parent = Path(self._base, rel).parent
            while parent != self.path and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent

    def error_for(self, exc: Exception) -> Diagnostic:
        """The diagnostic for an exception raised while writing."""
        if isinstance(exc, UnsafePath):
            return error(
                self.display, 0, 0, "OUT001", f'refused to write "{exc}": the path leaves '
                f"{self.display}/",
            )  # fmt: skip
        why = getattr(exc, "strerror", None) or exc
        return error(self.display, 0, 0, "OUT003", f"cannot write the site: {why}")
