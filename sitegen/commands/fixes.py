"""Apply the readability checker's safe drop-ins to a page's source file (``check --fix``,
``check --diff`` and the preview's "Apply" button).

A fix is applied only when the file still has exactly the text the finding quoted at its
position, and never inside the front matter's keys, code, a link's target, an HTML tag or a
URL. Files are rewritten atomically (a temporary file in the same folder, then a rename),
keeping the file's mode, its line endings and a byte-order mark if it had one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.atomic import atomic_write
from sitegen.readability.model import Fix, PageCheck

#: source text a fix may never touch: fenced code, inline code, link and image targets,
#: reference definitions, HTML tags and comments, autolinks and bare URLs
_PROTECTED = re.compile(
    r"(?ms)^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[^\n]*$"  # fenced code
    r"|(`+)(?:(?!\2).)+?\2"  # inline code
    r"|\]\([^)\n]*\)"  # link target
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[^\n]*$"  # reference definition
    r"|<!--.*?-->|<[^>\n]+>"  # HTML comments, tags and autolinks
    r"|\b(?:https?|ftp|mailto):[^\s)>\]]+|\bwww\.[^\s)>\]]+"  # bare URLs
)
_FM_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?[^\s:#][^:\n]*:(?=[ \t]|$)", re.M)


@dataclass(frozen=True)
class FixResult:
    """What applying a page's fixes did: the new text and the fixes applied or skipped."""

    text: str
    applied: tuple[Fix, ...]
    skipped: tuple[Fix, ...]


def page_fixes(check: PageCheck) -> list[Fix]:
    """The safe drop-ins of a checked page (one per finding that has one)."""
    return [f.fix for f in check.findings if f.fix is not None]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(m.end())
    return starts


def _protected(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _PROTECTED.finditer(text)]
    fm_end = _front_matter_end(text)
    if fm_end:
        spans.extend((m.start(), m.end()) for m in _FM_KEY.finditer(text, 0, fm_end))
        spans.append((0, 3))  # the opening fence
    return spans


def _front_matter_end(text: str) -> int:
    body = text[1:] if text.startswith("\ufeff") else text
    if not body.startswith("---"):
        return 0
    m = re.search(r"^(?:---|\.\.\.)[ \t]*\r?$", body[3:], re.M)
    return (m.end() + 3 + (len(text) - len(body))) if m else 0


def apply_fixes(text: str, fixes: Iterable[Fix]) -> FixResult:
    """``text`` (a whole source file, as read with ``newline=""``) with ``fixes`` applied.

    Positions are 1-based lines and code-point columns as the checker reports them (a BOM is
    not counted). A fix whose position does not hold ``old``, that overlaps another, or that
    touches protected text is skipped.
    """
    starts = _line_starts(text)
    bom = 1 if text.startswith("\ufeff") else 0
    protected = _protected(text)
    placed: list[tuple[int, int, Fix]] = []
    skipped: list[Fix] = []
    for fx in fixes:
        at = _offset(starts, fx.line, fx.column, bom)
        end = _offset(starts, fx.end_line, fx.end_column, bom)
        if (
            at is None
            or end is None
            or text[at:end] != fx.old
            or not fx.old
            or any(a < end and at < b for a, b in protected)
            or any(a < end and at < b for a, b, _ in placed)
        ):
            skipped.append(fx)
            continue
        placed.append((at, end, fx))
    out = text
    for at, end, fx in sorted(placed, key=lambda p: p[0], reverse=True):
        out = out[:at] + fx.new + out[end:]
    applied = tuple(fx for _, _, fx in sorted(placed, key=lambda p: p[0]))
    return FixResult(out, applied, tuple(skipped))


def _offset(starts: Sequence[int], line: int, column: int, bom: int) -> int | None:
    if line < 1 or line > len(starts) or column < 1:
        return None
    return starts[line - 1] + column - 1 + (bom if line == 1 else 0)


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of a file's text before and after (``a/PATH`` and ``b/PATH``)."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(x if x.endswith(("\n", "\r")) else x + "\n\\ No newline at end of file\n"
                   for x in lines)  # fmt: skip


def read_source(path: Path) -> str:
    """A file's exact text: line endings and a BOM kept."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def write_source(path: Path, text: str) -> None:
    """Replace a page's file with ``text`` (from ``read_source``: line endings and BOM kept)
    atomically, keeping its permission bits."""
    atomic_write(path, text.encode("utf-8"))
