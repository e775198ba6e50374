"""The record of a folder sitegen replaces as a whole (``output/``, ``reports/``, the preview):
the render key, size and modification time of every file the last run wrote there.

It is kept in ``.sitegen-cache/outputs-<folder>.json`` (``cachefile``: JSON, never code). The
next run links a file whose render key is unchanged, and which is still the very file recorded
(same size and time: not edited by hand), from the current folder into the new one
(``build.outputs.StagedSink``) instead of rendering it again.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sitegen.core import cachefile
from sitegen.core.cachefile import CACHE_DIR, Codec

_FORMAT = "sitegen-outputs-3"
#: the names of the records of the folders replaced as a whole (``publish.folder``)
OUTPUT_RECORDS = "output"
REPORT_RECORDS = "reports"
PREVIEW_RECORDS = "preview"


@dataclass(frozen=True)
class Written:
    """One file of the last build: its render key, size and modification time, and what
    the renderer wants back when the file is reused (e.g. the glossary terms a page used)."""

    key: str
    size: int
    mtime_ns: int
    extra: Any = None


def _safe(folder: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in folder)


def _records_path(root: Path, folder: str) -> Path:
    return root / CACHE_DIR / f"outputs-{_safe(folder)}.json"


def _spare_records_path(root: Path, folder: str) -> Path:
    return root / CACHE_DIR / f"spare-{_safe(folder)}.json"


def spare_folder(root: Path, folder: str) -> Path:
    """Where the folder replaced by the last run of ``folder`` is kept, to be filled again
    by the next run (``publish.folder``)."""
    return root / CACHE_DIR / f"spare-{_safe(folder)}"


@cache
def _codec() -> Codec:
    """What a record may hold: plain values, ``Written`` and the glossary's ``Term``."""
    return Codec(["sitegen.publish.records", "sitegen.render.glossary"])


def load_records(root: Path, folder: str) -> dict[str, Written]:
    """The last build's record of ``folder`` (e.g. "output"); empty if missing or corrupt."""
    return _load(_records_path(root, folder))


def _load(path: Path) -> dict[str, Written]:
    """The record stored at ``path``; empty if missing, corrupt or of another format."""
    stored = cachefile.load(path, _codec())
    if not (isinstance(stored, tuple) and len(stored) == 2):
        return {}
    fmt, records = stored
    return records if fmt == _FORMAT and isinstance(records, dict) else {}


def save_records(root: Path, folder: str, records: dict[str, Written]) -> None:
    """Record what a successful build wrote in ``folder`` (best effort: a cache)."""
    cachefile.store(_records_path(root, folder), (_FORMAT, dict(sorted(records.items()))), _codec())


def load_spare_records(root: Path, folder: str) -> dict[str, Written]:
    """The record of the spare folder of ``folder`` (``spare_folder``); empty if none."""
    return _load(_spare_records_path(root, folder))


def records_to_spare(root: Path, folder: str) -> None:
    """Make the record of ``folder`` the record of its spare folder (before the folder it
    describes is replaced and kept as the spare); it is no longer the record of ``folder``."""
    path = _records_path(root, folder)
    try:
        os.replace(path, _spare_records_path(root, folder))
    except OSError:
        forget_records(root, folder)
        forget_spare_records(root, folder)


def forget_spare_records(root: Path, folder: str) -> None:
    """Drop the record of the spare folder of ``folder``."""
    with contextlib.suppress(OSError):
        _spare_records_path(root, folder).unlink()


def forget_records(root: Path, folder: str) -> None:
    """Drop the record of ``folder`` (before replacing it: a crash must not leave a record
    of files that are no longer there; the size and time check would catch it anyway)."""
    with contextlib.suppress(OSError):
        _records_path(root, folder).unlink()
