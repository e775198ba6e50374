"""Typed access to one ClinicalTrials.gov record by JSON path (``Reader``): every field read
is checked for its kind, vocabulary and length, and every problem becomes a diagnostic naming
the record file and the field's JSON path (``protocolSection.statusModule.overallStatus``)."""

from __future__ import annotations

import math
import re
from typing import Any

from sitegen.core.diagnostics import Diagnostic, did_you_mean, error, warning
from sitegen.importers.ctgov.text import one_line, strip_html, unescape_markdown


def describe(value: Any) -> str:
    """What kind of JSON value ``value`` is, for a message ("a string", "a list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_KINDS: dict[str, str] = {
    "object": "an object",
    "list": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int)
    return isinstance(value, int | float) and math.isfinite(value)


def join_path(path: str, key: str | int) -> str:
    """The JSON path of ``key`` (a field name or a list index) under ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Reader:
    """Reads fields of one record by JSON path; every problem becomes a diagnostic."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.diags: list[Diagnostic] = []

    def error(self, path: str, code: str, message: str, hint: str = "") -> None:
        where = f"{path}: " if path else ""
        self.diags.append(error(self.source, 0, 0, code, where + message, hint))

    def warn(self, path: str, code: str, message: str, hint: str = "") -> None:
        where = f"{path}: " if path else ""
        self.diags.append(warning(self.source, 0, 0, code, where + message, hint))

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diags)

    def get(
        self, obj: dict[str, Any] | None, key: str, path: str, kind: str, *, required: bool = False
    ) -> Any:
        """Return ``obj[key]`` if it has the expected kind; None (and a diagnostic) if not."""
        full = join_path(path, key)
        value = obj.get(key) if obj is not None else None
        if value is None:
            if required:
                self.error(full, "IMP002", "missing required field")
            return None
        if not _is_kind(value, kind):
            self.error(full, "IMP003", f"expected {_KINDS[kind]}, got {describe(value)}")
            return None
        if kind == "string" and not value.strip():
            if required:
                self.error(full, "IMP002", "required field is empty")
            return None
        return value

    def obj(
        self, parent: dict[str, Any] | None, key: str, path: str, *, required: bool = False
    ) -> dict[str, Any] | None:
        return self.get(parent, key, path, "object", required=required)

    def items(
        self, parent: dict[str, Any] | None, key: str, path: str, kind: str = "object"
    ) -> list[tuple[str, Any]]:
        """The items of a list field that have ``kind``, with their JSON paths."""
        full = join_path(path, key)
        values = self.get(parent, key, path, "list") or []
        out = []
        for i, item in enumerate(values):
            item_path = join_path(full, i)
            if item is None:
                continue
            if not _is_kind(item, kind):
                self.error(item_path, "IMP003", f"expected {_KINDS[kind]}, got {describe(item)}")
                continue
            out.append((item_path, item))
        return out

    def enum(
        self,
        parent: dict[str, Any] | None,
        key: str,
        path: str,
        choices: tuple[str, ...],
        *,
        required: bool = False,
    ) -> str | None:
        """A registry code from ``choices``, returned lower-case."""
        value = self.get(parent, key, path, "string", required=required)
        if value is None:
            return None
        return self.code(value, join_path(path, key), choices)

    def code(self, value: str, path: str, choices: tuple[str, ...]) -> str | None:
        """Check one registry code against ``choices``; return it lower-case."""
        code = value.strip().upper()
        if code in choices:
            return code.lower()
        self.error(
            path,
            "IMP004",
            f'expected one of {", ".join(choices)}, got "{value}"{did_you_mean(code, choices)}',
        )
        return None

    def text(
        self,
        parent: dict[str, Any] | None,
        key: str,
        path: str,
        *,
        required: bool = False,
        long: bool = False,
        markdown: bool = False,
    ) -> str | None:
        """A registry string, HTML removed; ``markdown`` undoes backslash escapes."""
        full = join_path(path, key)
        value = self.get(parent, key, path, "string", required=required)
        if value is None:
            return None
        if long and value.rstrip().endswith(("...", "…")):
            self.error(
                full,
                "IMP005",
                'text ends in "..." and looks truncated',
                "import the complete record from ClinicalTrials.gov, not a trimmed copy",
            )
            return None
        cleaned, removed = strip_html(value)
        if removed:
            self.warn(full, "IMP006", "HTML markup was removed from the registry text")
        if markdown:
            cleaned = unescape_markdown(cleaned)
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not cleaned:
            if required:
                self.error(full, "IMP002", "required field is empty")
            return None
        return cleaned

    def line(
        self,
        parent: dict[str, Any] | None,
        key: str,
        path: str,
        *,
        required: bool = False,
        limit: int = 0,
    ) -> str | None:
        """A one-line registry string (whitespace collapsed) within ``limit`` characters."""
        value = self.text(parent, key, path, required=required)
        if value is None:
            return None
        value = one_line(value)
        if limit and len(value) > limit:
            self.warn(
                join_path(path, key),
                "IMP007",
                f"{len(value)} characters, more than the content model's {limit}; left out",
            )
            return None
        return value

    def exact(
        self,
        parent: dict[str, Any] | None,
        key: str,
        path: str,
        *,
        limit: int = 0,
        pattern: re.Pattern[str] | None = None,
    ) -> str | None:
        """A contact detail copied exactly (only surrounding spaces trimmed)."""
        value = self.get(parent, key, path, "string")
        if value is None:
            return None
        value = value.strip()
        full = join_path(path, key)
        if limit and len(value) > limit:
            self.warn(
                full,
                "IMP007",
                f"{len(value)} characters, more than the content model's {limit}; left out",
            )
            return None
        if pattern is not None and not pattern.match(value):
            self.warn(
                full,
                "IMP007",
                f'"{value}" is not an e-mail address the content model accepts; left out',
            )
            return None
        return value
