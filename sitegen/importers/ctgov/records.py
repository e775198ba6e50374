"""Reading record files: JSON bytes to a decoded record, strictly (UTF-8, no ``NaN`` or
infinite numbers, no duplicate keys), with control, direction-override and lone surrogate
characters removed from every string; then mapped to studies. Invalid or truncated JSON is an
IMP001 error at the line and column where it breaks."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.core.textsafety import printable, strip_unsafe
from sitegen.importers.ctgov.study import ImportedStudy, parse_record, parse_studies


class _Refused(Exception):
    """JSON that parses but that sitegen will not guess about."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]} is too large to be a real value")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f'the key "{printable(key[:60])}" appears twice in one object')
        out[key] = value
    return out


def _clean(value: Any) -> tuple[Any, int]:
    """``value`` with control, direction-override and lone surrogate characters removed
    from every string (keys too); and how many were removed."""
    if isinstance(value, str):
        cleaned, n = strip_unsafe(value)
        cleaned, m = _SURROGATE.subn("", cleaned)
        return cleaned, n + m
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            item, n = _clean(item)
            items.append(item)
            total += n
        return items, total
    if isinstance(value, dict):
        total = 0
        out = {}
        for k, v in value.items():
            k, n = _clean(k)
            v, m = _clean(v)
            out[k] = v
            total += n + m
        return out, total
    return value, 0


_SURROGATE = re.compile("[\ud800-\udfff]")


def _decode(raw: bytes, display_path: str) -> tuple[Any, Diagnostic | None]:
    """Decode JSON bytes; on failure return an IMP001 diagnostic with line and column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, error(
            display_path,
            0,
            0,
            "IMP001",
            f"not UTF-8 text (byte {exc.start}); expected a JSON study record",
        )

    def _no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed in JSON")

    try:
        return (
            json.loads(
                text,
                parse_constant=_no_constant,
                parse_float=_finite,
                object_pairs_hook=_no_duplicates,
            ),
            None,
        )
    except _Refused as exc:
        return None, error(display_path, 0, 0, "IMP001", f"not a usable JSON record: {exc}")
    except json.JSONDecodeError as exc:
        if not text.strip():
            return None, error(
                display_path, 0, 0, "IMP001", "empty file; expected a JSON study record"
            )
        if exc.msg.startswith("Unterminated string"):
            message = "truncated JSON: the file ends inside the string that starts here"
            hint = "download the complete record again"
        elif exc.pos >= len(text.rstrip()):
            message = f"truncated JSON: the file ends too early ({exc.msg})"
            hint = "download the complete record again"
        else:
            message = f"not valid JSON: {exc.msg}"
            hint = "expected a ClinicalTrials.gov API v2 study record (.json)"
        return None, error(display_path, exc.lineno, exc.colno, "IMP001", message, hint)
    except (ValueError, RecursionError) as exc:
        return None, error(display_path, 0, 0, "IMP001", f"not valid JSON: {exc}")


def load_studies(path: Path, display_path: str) -> tuple[list[ImportedStudy], list[Diagnostic]]:
    """Read one JSON file (a study record or a ``{"studies": [...]}`` search response)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [error(display_path, 0, 0, "IMP010", f"cannot read file: {exc.strerror}")]
    data, problem = _decode(raw, display_path)
    if problem is not None:
        return [], [problem]
    data, removed = _clean(data)
    studies, diags = parse_studies(data, display_path)
    if removed:
        diags.insert(0, _removed_warning(display_path, removed))
    return studies, diags


def _removed_warning(display_path: str, removed: int) -> Diagnostic:
    return warning(
        display_path,
        0,
        0,
        "IMP012",
        f"{removed} control, text-direction override or invalid characters were removed "
        "from the registry text",
        "they are invisible, and can make text show in another order than it is stored",
    )


def load_record(path: Path, display_path: str) -> tuple[ImportedStudy | None, list[Diagnostic]]:
    """Read one JSON study record (UTF-8) and map it; ``display_path`` names it in messages.

    Invalid or truncated JSON is an IMP001 error at the line and column where it breaks.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(display_path, 0, 0, "IMP010", f"cannot read file: {exc.strerror}")]
    data, problem = _decode(raw, display_path)
    if problem is not None:
        return None, [problem]
    data, removed = _clean(data)
    study, diags = parse_record(data, display_path)
    if removed:
        diags.insert(0, _removed_warning(display_path, removed))
    return study, diags
