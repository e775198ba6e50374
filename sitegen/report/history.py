"""``reports/history.jsonl``: one JSON line per build or check, the last ``MAX_ENTRIES`` kept.

Each line records when the build started (the only wall-clock value in the reports), whether it
published, the site-wide numbers and every page's grade, so the next build can show the change
per page and the trend. Unreadable lines are skipped, never fatal: the history is a
convenience, not a record anyone depends on.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.readability.formats import finding_marks

if TYPE_CHECKING:
    from sitegen.build.pipeline import BuildResult

FILE_NAME = "history.jsonl"
MAX_ENTRIES = 200
#: how many of the last lines keep every page's grade
GRADED_ENTRIES = 2
VERSION = 1


@dataclass(frozen=True)
class Entry:
    """One build as recorded in the history."""

    time: str
    published: bool
    pages: int
    median_grade: float
    blocked: int
    warned: int
    passed: int
    findings: int
    grades: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of one line (keys in a fixed order)."""
        return {
            "v": VERSION,
            "time": self.time,
            "published": self.published,
            "pages": self.pages,
            "median_grade": self.median_grade,
            "blocked": self.blocked,
            "warned": self.warned,
            "passed": self.passed,
            "findings": self.findings,
            "grades": dict(sorted(self.grades.items())),
        }

    @classmethod
    def from_json(cls, data: Any) -> Entry | None:
        """An entry from a parsed line, or None if it is not one."""
        if not isinstance(data, dict):
            return None
        try:
            grades = {
                str(k): float(v)
                for k, v in (data.get("grades") or {}).items()
                if isinstance(v, int | float)
            }
            return cls(
                time=str(data.get("time", "")),
                published=bool(data.get("published", False)),
                pages=int(data.get("pages", len(grades))),
                median_grade=float(data["median_grade"]),
                blocked=int(data.get("blocked", 0)),
                warned=int(data.get("warned", 0)),
                passed=int(data.get("passed", 0)),
                findings=int(data.get("findings", 0)),
                grades=grades,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def median(values: Sequence[float]) -> float:
    """The median rounded to 0.1 (0.0 for no values)."""
    return round(statistics.median(values), 1) if values else 0.0


def entry_for(result: BuildResult, started: datetime) -> Entry:
    """The history entry of a build that started at ``started``."""
    checks = result.checks
    return Entry(
        time=started.isoformat(timespec="seconds"),
        published=result.published,
        pages=len(checks),
        median_grade=median([c.grade for c in checks]),
        blocked=sum(1 for c in checks if c.verdict == "block"),
        warned=sum(1 for c in checks if c.verdict == "warn"),
        passed=sum(1 for c in checks if c.verdict == "pass"),
        findings=sum(1 for c in checks for code, _, _ in finding_marks(c) if code != "RD001"),
        grades={c.path: c.grade for c in checks},
    )


def read(path: Path) -> list[Entry]:
    """The entries of an existing history file (oldest first); [] if there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    entries: list[Entry] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            entry = Entry.from_json(json.loads(line))
        except json.JSONDecodeError:
            continue
        if entry is not None:
            entries.append(entry)
    return entries


def dump(entries: Sequence[Entry]) -> bytes:
    """The file content for ``entries``: the last ``MAX_ENTRIES``, one compact line each.

    Per-page grades are kept on the last ``GRADED_ENTRIES`` lines only (the change column
    compares with the build before; a build whose reports are written again replaces its
    own line): on a 10,000-page site they are 0.4 MB a line.
    """
    kept = list(entries[-MAX_ENTRIES:])
    for i in range(max(0, len(kept) - GRADED_ENTRIES)):
        kept[i] = replace(kept[i], grades={})
    lines = [json.dumps(e.to_json(), ensure_ascii=False, separators=(",", ":")) for e in kept]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
