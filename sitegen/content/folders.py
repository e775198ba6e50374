"""The folder settings of ``site.yml`` checked as a set.

sitegen replaces ``output_dir`` and ``reports_dir`` wholesale on every build and deletes
files in its cache folder, so each must be a dedicated sub-folder of the site: inside it
(also after following symbolic links), not the site folder itself, not the same as or
inside another one, and neither inside nor around ``content_dir``, ``templates_dir``, the
cache or ``.git``. Otherwise a typo such as ``output_dir: content`` would delete every page.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sitegen.core.cachefile import CACHE_DIR
from sitegen.core.diagnostics import Diagnostic, error

#: the settings file at the site's root (its home is here, below ``config``, which reads it)
CONFIG_NAME = "site.yml"

#: folders sitegen writes and replaces as a whole
WRITTEN = ("output_dir", "reports_dir")
#: folders sitegen only reads (a written folder must stay clear of them)
READ = ("content_dir", "templates_dir")
#: folders of the site that are no setting but must never be written over
FIXED = {CACHE_DIR: "the cache folder", ".git": "the git repository", ".sitegen-preview": ""}


def _inside(a: str, b: str) -> bool:
    """``a`` is ``b`` or a folder below it (both normalised, site-relative)."""
    return a == b or b == "." or a.startswith(b + "/")


def _blame(a: str, b: str, where: Callable[[str], tuple[int, int]]) -> str:
    """Of two written folders that overlap, the one to report: the one set in site.yml
    (the later one if both are)."""
    if where(a) == (0, 0):
        return b
    if where(b) == (0, 0):
        return a
    return max(a, b, key=where)


def _resolved(root: Path, value: str) -> str | None:
    """``value`` relative to the resolved site root after following links; None if that
    leaves the site."""
    base = root.resolve()
    try:
        rel = (base / value).resolve().relative_to(base).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None
    return rel or "."


def check_folders(
    root: Path, values: dict[str, str], where: Callable[[str], tuple[int, int]]
) -> list[Diagnostic]:
    """Problems with the folder settings ``values`` (name -> site-relative path) of the
    site at ``root``; ``where(name)`` gives the setting's line and column in site.yml."""
    diags: list[Diagnostic] = []

    def report(name: str, code: str, message: str) -> None:
        line, col = where(name)
        diags.append(error(CONFIG_NAME, line, col, code, f'{name}: "{values[name]}" {message}'))

    norm: dict[str, str] = {}
    for name, value in values.items():
        if os.path.isabs(value) or ".." in Path(value).parts or not value.strip():
            report(name, "CFG002", "must be a folder inside the site")
            continue
        resolved = _resolved(root, value)
        if resolved is None:
            report(name, "CFG002", "leads outside the site through a symbolic link")
            continue
        norm[name] = resolved
    for name in WRITTEN:
        mine = norm.get(name)
        if mine is None:
            continue
        if mine == ".":
            report(name, "CFG003", "is the site folder itself: use a dedicated sub-folder")
            continue
        here = root / values[name]
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            what = "a symbolic link" if here.is_symlink() else "a file"
            report(name, "CFG005", f"is {what}, not a folder: sitegen replaces it on every build")
            continue
        for other, theirs in norm.items():
            if other == name or (other in WRITTEN and _blame(name, other, where) != name):
                continue
            if _inside(mine, theirs) or _inside(theirs, mine):
                report(
                    name,
                    "CFG004",
                    f'overlaps {other} ("{values[other]}"): every build replaces this folder, '
                    "so it must be a separate folder",
                )
        for fixed, what in FIXED.items():
            if _inside(mine, fixed) or _inside(fixed, mine):
                report(name, "CFG004", f"overlaps {what or fixed}: use a folder of its own")
    return diags


def check_files(
    root: Path, values: dict[str, str], where: Callable[[str], tuple[int, int]]
) -> list[Diagnostic]:
    """CFG002 for each file setting (name -> site-relative path) that is not inside the
    site, also after following symbolic links (a glossary must not publish a file from
    elsewhere on the machine)."""
    diags: list[Diagnostic] = []
    for name, value in values.items():
        bad = os.path.isabs(value) or ".." in Path(value).parts or not value.strip()
        if bad or _resolved(root, value) in (None, "."):
            line, col = where(name)
            diags.append(
                error(
                    CONFIG_NAME,
                    line,
                    col,
                    "CFG002",
                    f'{name}: "{value}" must be a file inside the site',
                )
            )
    return diags
