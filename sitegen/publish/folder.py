"""A folder sitegen replaces as a whole: the site in ``output/``, the reviewer reports in
``reports/`` and the preview. One sequence for all three:

1. ``open``: a new folder next to the current one (``writer.Staging``), and the last run's
   record of the current one (``records``), whose unchanged files may be linked over;
2. the caller fills the new folder (through a ``build.outputs.StagedSink`` on ``staging``);
3. ``commit``: forget the old record, swap the new folder in atomically, save the new record;
   or ``abort``: drop the new folder, the current one stays as it was.

The folder a commit replaces is not deleted but kept in the cache folder as the *spare*
(``records.spare_folder``, with the replaced folder's record), and the next ``open`` fills
it again instead of an empty folder: its files that are still the current ones stay where
they are, so a run that changed a few files neither makes a folder per page and links every
file, nor deletes the whole replaced folder (at 10,000 pages, seconds of system calls).
Whatever the spare holds that the run did not make is removed before the swap; nothing of
a spare without its record (a run that stopped half-way) stays.

Every problem comes back as a diagnostic naming the folder; nothing is dropped silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.core.cachefile import CacheFolderError, real_dir
from sitegen.core.diagnostics import Diagnostic
from sitegen.publish.records import (
    Written,
    forget_spare_records,
    load_records,
    load_spare_records,
    records_to_spare,
    save_records,
    spare_folder,
)
from sitegen.publish.writer import Staging


class PublishFolder:
    """The folder ``root/folder`` (shown as ``folder`` in diagnostics), recorded in the cache
    under ``records`` (e.g. "output", "reports", "preview")."""

    def __init__(self, root: Path, folder: str, records: str, what: str = "the site") -> None:
        self.root = root
        self.records = records
        self.staging = Staging(root / folder, display=folder, what=what)
        #: the last run's record of the folder (empty until ``open``, or when there is none)
        self.last: dict[str, Written] = {}

    def open(self, *, read_last: bool = True) -> list[Diagnostic]:
        """Create the new folder and read the last record (not with ``read_last=False``: the
        caller holds it already); problems as diagnostics."""
        spare = spare_folder(self.root, self.records)
        recorded = load_spare_records(self.root, self.records)
        # The spare is taken (or removed) now: its record describes it no longer.
        forget_spare_records(self.root, self.records)
        kept = {rel: (w.key, w.size, w.mtime_ns) for rel, w in recorded.items()}
        recycle = spare if recorded or os.path.lexists(spare) else None
        problems = self.staging.open(recycle, kept)
        if not problems and read_last:
            self.last = load_records(self.root, self.records)
        return problems

    def commit(self, written: dict[str, Written]) -> list[Diagnostic]:
        """Swap the filled folder in and record ``written`` (every file in it) for the next
        run; the replaced folder becomes the spare. A failed swap leaves the current folder
        as it was and says so."""
        self.staging.drop_stale(written)
        # First forget: a crash must not leave a record of files that are no longer there.
        # The record goes with the folder it describes, which becomes the spare.
        records_to_spare(self.root, self.records)
        spare = self._spare_place()
        try:
            self.staging.commit(keep=spare)
        except OSError as exc:
            self.staging.abort()
            forget_spare_records(self.root, self.records)
            return [self.staging.error_for(exc)]
        if spare is None or not os.path.isdir(spare):
            forget_spare_records(self.root, self.records)
        save_records(self.root, self.records, written)
        return []

    def _spare_place(self) -> Path | None:
        """Where the replaced folder is to be kept (nothing there), or None if it cannot."""
        spare = spare_folder(self.root, self.records)
        try:
            real_dir(spare.parent)
        except (OSError, CacheFolderError):
            return None
        shutil.rmtree(spare, ignore_errors=True)  # a spare no ``open`` took: not recorded
        return spare

    def abort(self) -> None:
        """Drop the new folder; the current one stays as it was."""
        self.staging.abort()
