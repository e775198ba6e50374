"""A word-level diff of two texts: what changed since a reviewer's last sign-off.

Pure functions: ``word_diff`` gives segments, ``terminal_lines`` shows them like
``git diff --word-diff`` (``[-old-]{+new+}``, changed lines only).
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

Op = Literal["=", "-", "+"]
Segment = tuple[Op, str]

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn ``old`` into ``new``: kept (``=``), removed (``-``) and added (``+``)
    text, compared word by word (whitespace runs are tokens of their own)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[Segment] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("=", "".join(a[i1:i2]))
        else:
            add("-", "".join(a[i1:i2]))
            add("+", "".join(b[j1:j2]))
    return out


def changed(segments: list[Segment]) -> bool:
    """True when the segments remove or add anything."""
    return any(op != "=" for op, _ in segments)


def terminal_lines(segments: list[Segment], limit: int = 40) -> list[str]:
    """The changed lines, with removed words as ``[-...-]`` and added ones as ``{+...+}``;
    at most ``limit`` lines (then a line saying how many more)."""
    text = ""
    marks: list[bool] = [False]
    for op, part in segments:
        for i, piece in enumerate(part.split("\n")):
            if i:
                text += "\n"
                marks.append(False)
            if op == "=" or not piece:
                text += piece
                continue
            text += f"[-{piece}-]" if op == "-" else f"{{+{piece}+}}"
            marks[-1] = True
    lines = [line for line, mark in zip(text.split("\n"), marks, strict=True) if mark]
    if len(lines) > limit:
        return [*lines[:limit], f"... and {len(lines) - limit} more changed lines"]
    return lines
