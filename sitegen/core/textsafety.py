"""Characters no published text may contain: control characters other than tab and line
breaks, and the Unicode bidirectional overrides, embeddings and isolates that can make text
display in another order than it is stored ("Trojan Source").

The reader refuses NUL bytes in files, but YAML and JSON escapes (``"\\0"``, ``"\\x1b"``,
``"\\u202E"``) make any character out of plain ASCII, so every text value is checked after
parsing: front matter and ``site.yml`` refuse them (FM017, CFG117), page bodies too (SRC010), and
text imported from a registry has them removed, with a warning (IMP).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sitegen.core.diagnostics import Diagnostic, error, sorted_diagnostics

#: C0 controls but tab, LF and CR; DEL and C1 controls; bidi embeddings, overrides, isolates
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def first_unsafe(text: str) -> int:
    """The index of the first unsafe character of ``text``, or -1."""
    m = UNSAFE.search(text)
    return m.start() if m else -1


def describe(ch: str) -> str:
    """``U+001B (ESCAPE)``: a character named without printing it."""
    name = unicodedata.name(ch, "") or {"\x00": "NUL", "\x1b": "ESCAPE", "\x7f": "DELETE"}.get(
        ch, "control character"
    )
    return f"U+{ord(ch):04X} ({name})"


def strip_unsafe(text: str) -> tuple[str, int]:
    """``text`` without its unsafe characters, and how many were removed."""
    return UNSAFE.subn("", text)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: unsafe characters shown as ``\\x1b``/``\\u202e``
    escapes (a diagnostic may quote a value that holds one)."""
    if not UNSAFE.search(text):
        return text
    return UNSAFE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def body_problems(body: str, path: str, body_line: int) -> list[Diagnostic]:
    """SRC010 for the first unsafe character of a page body (its line and column)."""
    at = first_unsafe(body)
    if at < 0:
        return []
    line = body.count("\n", 0, at) + body_line
    col = at - body.rfind("\n", 0, at)
    return [
        error(
            path,
            line,
            col,
            "SRC010",
            f"the text contains {describe(body[at])}: control and text-direction override "
            "characters are not allowed",
            "delete it; it is invisible in most editors",
        )
    ]


def printed_lines(diags: Iterable[Diagnostic]) -> list[tuple[str, str]]:
    """Each diagnostic as printed, sorted by place, duplicates removed: ``(severity, text)``
    with the text safe for a terminal (the one home of how a diagnostic is printed)."""
    return [(d.severity.value, printable(d.format())) for d in sorted_diagnostics(diags)]
