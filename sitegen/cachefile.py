"""One file of the build cache (``.sitegen-cache/``): a pickled value behind a SHA-256 line.

Both the per-page results (``workers``) and the record of written files (``outputs``) are
stored this way. A file that is missing, truncated, altered or unreadable loads as ``None``
and is rebuilt, never trusted; writes are atomic (temporary file, then rename) and best
effort, since a cache that cannot be written only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any


def load(path: Path) -> Any | None:
    """The value stored at ``path``, or ``None`` when there is no intact one."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, _, payload = data.partition(b"\n")
    if digest != hashlib.sha256(payload).hexdigest().encode():
        return None  # truncated or altered: rebuild
    try:
        return pickle.loads(payload)
    except Exception:
        return None


def store(path: Path, value: Any) -> None:
    """Store ``value`` at ``path`` atomically; failures to write are ignored."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    data = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
