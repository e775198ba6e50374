"""Shared helpers for the reviewer-report tests (``test_report_*.py``): synthetic findings, a
small HTML reader that gives every ``<mark>``'s attributes and exact text content, and a
local HTTP server for the browser tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from patient_support import serve  # noqa: F401 - one local server helper for both suites

from sitegen.readability.model import Finding

REPO = Path(__file__).resolve().parent.parent


def finding(
    line: int,
    column: int,
    text: str,
    code: str = "JG001",
    *,
    rule: str = "jargon",
    severity: str = "error",
    message: str = "",
    suggestion: str = "",
) -> Finding:
    """A finding with sensible defaults for the fields a test does not care about."""
    return Finding(
        rule=rule,
        code=code,
        severity=severity,  # type: ignore[arg-type]
        line=line,
        column=column,
        text=text,
        message=message or f"{code} on {text!r}",
        suggestion=suggestion,
    )


@dataclass
class Mark:
    """One ``<mark>`` element: its attributes and its text content (as ``textContent``)."""

    attrs: dict[str, str]
    text: str = ""
    parents: list[str] = field(default_factory=list)  # ids of the enclosing marks


class MarkReader(HTMLParser):
    """Collect every ``<mark>`` with the text inside it (nested marks included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[Mark] = []
        self._open: list[Mark] = []
        self.text = ""  # text content of the whole document
        self.source = ""  # the same without detached chips: the source as written

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            parents = [m.attrs.get("id", "") for m in self._open]
            mark = Mark({k: v or "" for k, v in attrs}, "", parents)
            self.marks.append(mark)
            self._open.append(mark)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        if not any("detached" in m.attrs.get("class", "").split() for m in self._open):
            self.source += data
        for m in self._open:
            m.text += data


def read_marks(html: str) -> MarkReader:
    """Parse ``html`` and return the reader with its marks."""
    reader = MarkReader()
    reader.feed(html)
    reader.close()
    return reader
