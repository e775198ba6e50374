"""Site search: build the Pagefind index of a freshly written site folder.

``start_index`` runs ``python -m pagefind --site DIR`` on the new folder before it is swapped
into ``output/`` (other work goes on meanwhile; ``finish_index`` waits for it), so the
published site and its index always match. Pagefind (the ``pagefind[bin]`` wheel, which
ships the binary) indexes the ``data-pagefind-body`` part of each page, one index per
``<html lang>``, and writes its UI assets and index under ``pagefind/``. Same input, same
bytes: the few index files Pagefind writes in a random order are put in order by
``pagefind_canon`` (a test builds twice and compares every file).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.publish.pagefind_canon import canonicalize

#: the folder Pagefind writes into, relative to the site root
BUNDLE_DIR = "pagefind"
TIMEOUT_S = 300


def pagefind_command(site: Path) -> list[str]:
    """The command that indexes ``site`` with the Pagefind binary of this Python."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]


@dataclass
class Indexing:
    """A Pagefind run in progress on a site folder (``start_index``)."""

    site: Path
    proc: subprocess.Popen[str]
    started: float


def start_index(site: Path) -> Indexing | list[Diagnostic]:
    """Start indexing the site folder ``site`` in place; ``finish_index`` waits for it.
    Returns the diagnostics instead when Pagefind cannot be started."""
    try:
        import pagefind  # noqa: F401  (only checks that the package is installed)
    except ImportError:
        return [
            error(
                "site",
                0,
                0,
                "SRCH001",
                "cannot build the search index: the pagefind package is not installed",
                "pip install 'pagefind[bin]' (it is a dependency of sitegen)",
            )
        ]
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        proc = subprocess.Popen(
            pagefind_command(site),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    except OSError as exc:
        return [error("site", 0, 0, "SRCH002", f"the search indexer did not run: {exc}")]
    return Indexing(site, proc, time.monotonic())


def finish_index(job: Indexing | list[Diagnostic]) -> list[Diagnostic]:
    """Wait for a Pagefind run; problems come back as diagnostics."""
    if isinstance(job, list):
        return job
    site, proc = job.site, job.proc
    try:
        out, err = proc.communicate(timeout=max(1.0, TIMEOUT_S - (time.monotonic() - job.started)))
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        proc.communicate()
        return [error("site", 0, 0, "SRCH002", f"the search indexer did not run: {exc}")]
    if proc.returncode != 0 or not (site / BUNDLE_DIR / "pagefind.js").is_file():
        detail = (err or out).strip().splitlines()
        last = detail[-1] if detail else f"exit code {proc.returncode}"
        return [error("site", 0, 0, "SRCH002", f"the search indexer failed: {last}")]
    empty = incomplete_files(site / BUNDLE_DIR)
    if empty:  # Pagefind exits 0 on a full disk, leaving empty files behind
        return [
            error(
                "site",
                0,
                0,
                "SRCH002",
                f"the search index is incomplete: {len(empty)} empty file(s), such as "
                f"{empty[0]}; nothing was published",
                "check the free disk space and build again",
            )
        ]
    if not canonicalize(site / BUNDLE_DIR):
        return [
            warning(
                "site",
                0,
                0,
                "SRCH003",
                "the search index is not byte-for-byte reproducible: this Pagefind version "
                "writes its filter index in a format sitegen does not know",
                "search works; pin pagefind to a version listed in pyproject.toml",
            )
        ]
    return []


def incomplete_files(bundle: Path) -> list[str]:
    """The empty files of a Pagefind bundle (relative paths, sorted): a complete index has
    none, so any is a write that failed (a full disk)."""
    empty = []
    for path in bundle.rglob("*"):
        try:
            if path.is_file() and path.stat().st_size == 0:
                empty.append(path.relative_to(bundle).as_posix())
        except OSError:
            empty.append(path.relative_to(bundle).as_posix())
    return sorted(empty)


def index_site(site: Path) -> list[Diagnostic]:
    """Index the site folder ``site`` in place; problems come back as diagnostics."""
    return finish_index(start_index(site))


def pagefind_version() -> str:
    """The installed Pagefind's version (part of the search index's render key)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "missing"
