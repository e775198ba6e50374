"""The build manifest: what the last successful build was made from, so that a build with
nothing changed can stop at once ("up to date") without reading any page.

The fingerprint covers sitegen's own code and data, ``site.yml``, every template, asset and
glossary file (by content), the stored reader feedback, and every content file (by path, size
and modification time).
The manifest also records every file of ``output/`` and ``reports/`` (size and modification
time): if anything there was changed or removed by hand, the build runs again. A manifest
that cannot be read, or whose MAC does not verify (``cachefile``), is ignored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sitegen.content.config import CONFIG_NAME, FEEDBACK_STORE, SiteConfig
from sitegen.core.cachefile import CACHE_DIR, read_verified, write_signed
from sitegen.core.diagnostics import Diagnostic, Severity
from sitegen.core.textsafety import printed_lines
from sitegen.publish.records import OUTPUT_RECORDS, REPORT_RECORDS, forget_records, load_records

# Light on purpose: a no-change build imports only this, the config and the diagnostics.
FILE_NAME = "last-build.json"
__all__ = [
    "CACHE_DIR",
    "Manifest",
    "forget",
    "forget_interrupted",
    "load",
    "record_build",
    "save",
    "up_to_date",
]
THEME = Path(__file__).parent.parent / "theme"


@cache
def code_fingerprint() -> str:
    """A hash of sitegen's own code, data, templates and assets: a new version invalidates
    every cache entry."""
    base = Path(__file__).parent.parent
    h = hashlib.sha256()
    for p in sorted(base.rglob("*")):
        if p.parent == base / "example" or base / "example" in p.parents:
            continue  # the example site ``init --example`` copies: content, not code
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".md"):
            h.update(p.relative_to(base).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """A successful build: its inputs' fingerprint, what it wrote and what it printed.

    The diagnostics are kept as printed (``core.textsafety.printed_lines``), so a no-change
    build prints them without making tens of thousands of objects or sorting them again."""

    fingerprint: str
    outputs: str
    pages_written: int
    content_pages: int
    drafts: int
    #: the site settings' own diagnostics, as printed: if they differ now, build again
    config_lines: tuple[str, ...]
    #: ``(severity, text)`` of every diagnostic the build printed, in its order
    lines: tuple[tuple[str, str], ...]
    errors: int
    warnings: int
    #: the build withheld pages blocked by the readability gate (GATE002)
    withheld: bool


def _stat_lines(h: hashlib._Hash, folder: str, prefix: str) -> None:
    """Hash ``path size mtime`` of every file below ``folder``, as ``os.walk`` finds them (a
    linked folder is not entered); a file is stat'ed through its link, and a dangling or
    looping link counts as itself (the build reports it)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not e.is_symlink():
                _stat_lines(h, e.path, f"{prefix}{e.name}/")
            continue
        try:
            st = e.stat()
        except OSError:
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
        h.update(f"{prefix}{e.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def input_fingerprint(root: Path, config: SiteConfig) -> str:
    """A hash of everything a build reads."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(repr(config).encode())
    for name in (CONFIG_NAME,):
        with contextlib.suppress(OSError):
            h.update((root / name).read_bytes())
    for base in (root / config.templates_dir, THEME):
        if base.is_dir():
            for p in sorted(base.rglob("*")):
                if p.is_file():
                    h.update(p.relative_to(base).as_posix().encode())
                    h.update(p.read_bytes())
    for g in config.extra_files():
        with contextlib.suppress(OSError):
            h.update((root / g).read_bytes())
    with contextlib.suppress(OSError):  # readers' answers, shown in the reviewer reports
        h.update((root / FEEDBACK_STORE).read_bytes())
    content = (root / config.content_dir).relative_to(root).as_posix()
    _stat_lines(h, str(root / content), content + "/")
    return h.hexdigest()


def output_fingerprint(root: Path, config: SiteConfig) -> str:
    """A hash of the names, sizes and times of every file in output/ and reports/."""
    folders: dict[str, list[str]] = {}
    for folder in (config.output_dir, config.reports_dir):
        lines: list[str] = []
        _scan(root / folder, "", lines)
        folders[folder] = lines
    return _fingerprint(folders)


def written_fingerprint(config: SiteConfig, written: dict[str, dict[str, tuple[int, int]]]) -> str:
    """``output_fingerprint`` from what the build says it wrote (``written``: folder ->
    {file: (size, mtime_ns)}), without listing the folders again. If anything else is in
    them, the two differ and the next build simply runs."""
    folders = {
        folder: [f"{rel}\0{size}\0{mtime}" for rel, (size, mtime) in written[folder].items()]
        for folder in (config.output_dir, config.reports_dir)
    }
    return _fingerprint(folders)


def _fingerprint(folders: dict[str, list[str]]) -> str:
    h = hashlib.sha256()
    for folder, lines in folders.items():
        h.update(folder.encode() + b"\n")
        h.update("\n".join(sorted(lines)).encode())
    return h.hexdigest()


def _scan(folder: Path | str, prefix: str, out: list[str]) -> None:
    """``path size mtime`` of every file below ``folder`` (``os.scandir``: one call a folder)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            _scan(e.path, f"{prefix}{e.name}/", out)
        else:
            st = e.stat(follow_symlinks=False)
            out.append(f"{prefix}{e.name}\0{st.st_size}\0{st.st_mtime_ns}")


#: between two printed lines in the manifest: ``printable`` never lets a NUL through
_SEP = "\x00"
_SEVERITY = {severity.value[0]: severity.value for severity in Severity}


def _path(root: Path) -> Path:
    return root / CACHE_DIR / FILE_NAME


def load(root: Path) -> Manifest | None:
    """The last build's manifest, or ``None`` if missing or damaged."""
    raw = read_verified(_path(root))
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        texts = data["lines"].split(_SEP) if data["lines"] else []
        severities = [_SEVERITY[s] for s in data["severities"]]
        lines = tuple(zip(severities, texts, strict=True))  # ValueError if their counts differ
        return Manifest(
            str(data["fingerprint"]),
            str(data["outputs"]),
            int(data["pages_written"]),
            int(data["content_pages"]),
            int(data["drafts"]),
            tuple(str(line) for line in data["config_lines"]),
            lines,
            int(data["errors"]),
            int(data["warnings"]),
            bool(data["withheld"]),
        )
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def save(root: Path, manifest: Manifest) -> None:
    """Record a successful build (atomically); failures to write are ignored."""
    data = {f.name: getattr(manifest, f.name) for f in dataclasses.fields(manifest)}
    # two strings rather than a list per line: 59,000 lines parse in a few milliseconds
    data["severities"] = "".join(severity[0] for severity, _ in manifest.lines)
    data["lines"] = _SEP.join(text for _, text in manifest.lines)
    payload = json.dumps(data, ensure_ascii=False)
    write_signed(_path(root), payload.encode("utf-8", "surrogatepass"))


def forget(root: Path) -> None:
    """Drop the manifest (the next build runs in full)."""
    with contextlib.suppress(OSError):
        _path(root).unlink()


def up_to_date(
    root: Path,
    config: SiteConfig,
    config_diags: Iterable[Diagnostic],
    *,
    clean: bool,
    strict: bool,
) -> tuple[str, Manifest | None]:
    """The fingerprint of this build's inputs, and the last build's manifest if nothing changed
    since (inputs, the settings' diagnostics, ``output/`` and ``reports/``): then the build
    can stop at once. Never with ``clean``, nor with ``strict`` after a build that withheld
    blocked pages (GATE002)."""
    fingerprint = input_fingerprint(root, config)
    last = None if clean else load(root)
    if (
        last is not None
        and last.fingerprint == fingerprint
        and last.outputs == output_fingerprint(root, config)
        and not (strict and last.withheld)
        and last.config_lines == tuple(text for _, text in printed_lines(config_diags))
    ):
        return fingerprint, last
    return fingerprint, None


def record_build(
    root: Path,
    config: SiteConfig,
    fingerprint: str,
    *,
    pages_written: int,
    content_pages: int,
    drafts: int,
    config_lines: Sequence[str],
    printed: Sequence[tuple[str, str]],
    totals: tuple[int, int],
    withheld: bool,
) -> None:
    """Save the manifest of a published build whose reports were written too: its inputs'
    ``fingerprint``, what ``output/`` and ``reports/`` hold now (from their records) and
    what it printed (``printed_lines`` of every diagnostic; of the settings' own,
    ``config_lines``), with the ``totals`` of errors and warnings and whether it
    ``withheld`` blocked pages."""
    written = {
        folder: {rel: (w.size, w.mtime_ns) for rel, w in load_records(root, name).items()}
        for folder, name in (
            (config.output_dir, OUTPUT_RECORDS),
            (config.reports_dir, REPORT_RECORDS),
        )
    }
    outputs = written_fingerprint(config, written)
    errors, warnings = totals
    save(
        root,
        Manifest(
            fingerprint,
            outputs,
            pages_written,
            content_pages,
            drafts,
            tuple(config_lines),
            tuple(printed),
            errors,
            warnings,
            withheld,
        ),
    )


def forget_interrupted(root: Path) -> None:
    """After an interrupted build: the next one runs in full and writes the reports again
    (they may describe the unfinished build)."""
    forget(root)
    forget_records(root, REPORT_RECORDS)
