"""A folder sitegen replaces as a whole: the site in ``output/``, the reviewer reports in
``reports/`` and the preview. One sequence for all three:

1. ``open``: a fresh folder next to the current one (``writer.Staging``), and the last run's
   record of the current one (``records``), whose unchanged files may be linked over;
2. the caller fills the new folder (through a ``build.outputs.StagedSink`` on ``staging``);
3. ``commit``: forget the old record, swap the new folder in atomically, save the new record;
   or ``abort``: drop the new folder, the current one stays as it was.

Every problem comes back as a diagnostic naming the folder; nothing is dropped silently.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.core.diagnostics import Diagnostic
from sitegen.publish.records import Written, forget_records, load_records, save_records
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
        problems = self.staging.open()
        if not problems and read_last:
            self.last = load_records(self.root, self.records)
        return problems

    def commit(self, written: dict[str, Written]) -> list[Diagnostic]:
        """Swap the filled folder in and record ``written`` (every file in it) for the next
        run. A failed swap leaves the current folder as it was and says so."""
        # First forget: a crash must not leave a record of files that are no longer there.
        forget_records(self.root, self.records)
        try:
            self.staging.commit()
        except OSError as exc:
            self.staging.abort()
            return [self.staging.error_for(exc)]
        save_records(self.root, self.records, written)
        return []

    def abort(self) -> None:
        """Drop the new folder; the current one stays as it was."""
        self.staging.abort()
