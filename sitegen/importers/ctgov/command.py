"""``import ctgov``: record files and folders to draft pages on disk (``import_paths``), the
only part of the importer that writes. Each study's draft is validated as a build would
validate it before anything is written; a study with an error writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sitegen.content.model import ResultMeta, StudyMeta
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.importers.ctgov.draft import page_problem
from sitegen.importers.ctgov.files import display, existing_pages, write_atomic
from sitegen.importers.ctgov.records import load_studies
from sitegen.importers.ctgov.results_page import results_draft
from sitegen.importers.ctgov.study import ImportedStudy

_KEEP_HINT = "keep the edited page, or import again with --overwrite to replace it"


def import_paths(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    overwrite: bool = False,
    root: Path | None = None,
    results_dir: Path | None = None,
) -> tuple[list[Path], list[Diagnostic]]:
    """Import study records into ``out_dir`` (usually ``content/studies``).

    Each path is a ``.json`` file or a folder (its ``*.json`` files, sorted). Every valid study
    is written to ``<slug>.md`` (or to the page that already holds its NCT id); a study with an
    error writes nothing. An existing page is kept, with an IMP008 error, unless ``overwrite``.
    Diagnostics name paths relative to ``root`` when given, else as passed. Never raises for
    bad input; returns the written paths and all diagnostics.

    With ``results_dir`` (usually ``content/results``), a record's ``resultsSection`` also
    gives a draft results page there (``results_page``); malformed results refuse the whole
    study: neither page is written. A page that would not validate (IMP013) is never written.
    """
    files, diags = _record_files(paths, root)
    existing = existing_pages(out_dir)
    written: list[Path] = []
    seen: dict[str, str] = {}
    for path, shown in files:
        studies, file_diags = load_studies(path, shown)
        diags.extend(file_diags)
        for study in studies:
            if study.nct_id in seen:
                diags.append(
                    error(
                        shown,
                        0,
                        0,
                        "IMP009",
                        f"{study.nct_id} was already imported from {seen[study.nct_id]}"
                        "; this copy is skipped",
                    )
                )
                continue
            seen[study.nct_id] = shown
            target = existing.get(study.nct_id, out_dir / f"{study.slug}.md")
            job = _Import(study, shown, root, overwrite, diags)
            written += job.run(target, results_dir)
    return written, diags


def _record_files(
    paths: Sequence[Path], root: Path | None
) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """Each record file to read, with its name in messages: a folder gives its ``*.json``."""
    diags: list[Diagnostic] = []
    files: list[tuple[Path, str]] = []
    for path in paths:
        shown = display(path, root)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                diags.append(warning(shown, 0, 0, "IMP007", "no .json files in this folder"))
            files.extend((p, display(p, root)) for p in found)
        elif path.is_file():
            files.append((path, shown))
        else:
            diags.append(error(shown, 0, 0, "IMP010", "no such file or folder"))
    return files, diags


class _Import:
    """Writing one study's draft pages; every problem goes to ``diags`` under the record's
    name (``shown``)."""

    def __init__(
        self,
        study: ImportedStudy,
        shown: str,
        root: Path | None,
        overwrite: bool,
        diags: list[Diagnostic],
    ) -> None:
        self.study = study
        self.shown = shown
        self.root = root
        self.overwrite = overwrite
        self.diags = diags

    def run(self, target: Path, results_dir: Path | None) -> list[Path]:
        """Validate then write the study page at ``target`` and, with ``results_dir`` and
        results in the record, its results page; both pages or neither. The written paths."""
        study = self.study
        results: tuple[str, Path] | None = None
        if results_dir is not None and study.results is not None:
            results_page, more = results_draft(
                study.results, study.results_path, study.front_matter, target.name, self.shown
            )
            self.diags.extend(more)
            if results_page is None:
                return []
            results_target = existing_pages(results_dir).get(
                study.nct_id, results_dir / f"{study.slug}.md"
            )
            results = (results_page, results_target)
        page_text = study.to_markdown()
        if not self._valid(page_text, target, StudyMeta, "the page"):
            return []
        if results is not None and not self._valid(*results, ResultMeta, "the results page"):
            return []
        ok = self._write(page_text, target)
        if ok is None:
            return []
        written = [target] if ok else []
        if results is not None:  # written even next to a kept (edited) study page
            results_written = self._write(*results)
            if results_written:
                written.append(results[1])
            elif results_written is False:
                self._kept(results[1], f"{study.nct_id} results")
        if not ok:
            self._kept(target, study.nct_id)
        return written

    def _valid(self, text: str, target: Path, cls: type, what: str) -> bool:
        """Whether the draft ``text`` builds as a ``cls`` page; if not, an IMP013 error
        naming the record file and the front-matter field."""
        problem = page_problem(text, display(target, self.root), cls)
        if problem is None:
            return True
        self.diags.append(
            error(
                self.shown,
                0,
                0,
                "IMP013",
                f"{self.study.nct_id}: {what} made from this record would not build, so "
                f"it was not written: {problem}",
                "check the record: it may be damaged or not a real study",
            )
        )
        return False

    def _write(self, text: str, target: Path) -> bool | None:
        """Write one page: True if written, False if it exists (and may not be replaced),
        None (and an IMP010 error) if it cannot be written."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            return write_atomic(target, text.encode("utf-8"), overwrite=self.overwrite)
        except OSError as exc:
            shown = display(target, self.root)
            self.diags.append(
                error(self.shown, 0, 0, "IMP010", f"cannot write {shown}: {exc.strerror or exc}")
            )
            return None

    def _kept(self, target: Path, what: str) -> None:
        shown = display(target, self.root)
        self.diags.append(
            error(
                self.shown,
                0,
                0,
                "IMP008",
                f"{shown} already exists ({what}); not overwritten",
                _KEEP_HINT,
            )
        )
