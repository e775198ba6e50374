"""One atomic file write: every module that replaces a user's file or a cache file uses it.

The new bytes go to a fresh temporary file in the same folder, created exclusively (so a link
planted where the temporary file would go is never followed), then renamed over the target in
one step: a reader sees the old file or the new one, never a half-written one. An existing
file keeps its permission bits; line endings and encodings are the caller's (``data`` is
written as given). The whole site folder is written by ``publish.writer`` instead.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["atomic_write"]


def atomic_write(path: Path, data: bytes, *, new_mode: int = 0o600, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one rename.

    An existing regular file keeps its permission bits; a new file (or one replacing a
    symbolic link, which is replaced, never followed) gets ``new_mode``. ``durable`` flushes
    the data to disk before the rename (a user's file); caches skip it. Raises ``OSError``
    and leaves no temporary file behind.
    """
    try:
        st = os.stat(path, follow_symlinks=False)
        mode = stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else new_mode
    except FileNotFoundError:
        mode = new_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
