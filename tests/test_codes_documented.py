"""Every diagnostic code sitegen can print is documented with its fix."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).parent.parent
DOCS = [
    REPO / "README.md",
    REPO / "sitegen" / "readability" / "CODES.md",
    REPO / "docs" / "import.md",
]


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for p in (REPO / "sitegen").rglob("*.py"):
        found |= set(re.findall(r'"([A-Z]{2,5}\d{3})"', p.read_text(encoding="utf-8")))
    return found


def test_every_code_is_documented() -> None:
    documented = set()
    for doc in DOCS:
        documented |= set(re.findall(r"^\| ([A-Z]{2,5}\d{3}) \|", doc.read_text(), re.M))
    codes = codes_in_source()
    assert len(codes) > 50
    assert sorted(codes - documented) == []
