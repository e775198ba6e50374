"""Site search: build the Pagefind index of a freshly written site folder.

``index_site`` is the writer's ``before_swap`` hook: it runs ``python -m pagefind --site DIR``
on the new folder before it is swapped into ``output/``, so the published site and its index
always match. Pagefind (the ``pagefind[bin]`` wheel, which ships the binary) indexes the
``data-pagefind-body`` part of each page, one index per ``<html lang>``, and writes its UI
assets and index under ``pagefind/``. Same input, same bytes: the few index files Pagefind
writes in a random order are put in order by ``pagefind_canon`` (a test builds twice and
compares every file).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .diagnostics import Diagnostic, error, warning
from .pagefind_canon import canonicalize

#: the folder Pagefind writes into, relative to the site root
BUNDLE_DIR = "pagefind"
TIMEOUT_S = 300


def pagefind_command(site: Path) -> list[str]:
    """The command that indexes ``site`` with the Pagefind binary of this Python."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]


def index_site(site: Path) -> list[Diagnostic]:
    """Index the site folder ``site`` in place; problems come back as diagnostics."""
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
        proc = subprocess.run(
            pagefind_command(site),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [error("site", 0, 0, "SRCH002", f"the search indexer did not run: {exc}")]
    if proc.returncode != 0 or not (site / BUNDLE_DIR / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        last = detail[-1] if detail else f"exit code {proc.returncode}"
        return [error("site", 0, 0, "SRCH002", f"the search indexer failed: {last}")]
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


def pagefind_version() -> str:
    """The installed Pagefind's version (part of the search index's render key)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "missing"
