"""Time bounds for processing one page.

Python-Markdown takes time quadratic in the length of a paragraph on some inputs (a 40 KB
line of ``[`` kept a build busy for minutes) and follows nesting as deep as it is written.
Two guards keep every page's processing bounded:

- ``markdown_problems``: the shapes known to be slow are refused before conversion, with the
  line they start on: brackets and parentheses whose matching partner is far away or missing
  (every ``[`` makes the link pattern scan for its ``]``), and quote or list nesting deeper
  than any page needs;
- ``cpu_deadline``: whatever else takes more than ``PAGE_CPU_SECONDS`` of processor time
  (not wall time, so a busy machine does not change the outcome) is stopped and refused.
  It needs a timer signal, so it applies in a build's main thread and its worker processes;
  elsewhere (the preview's rebuild thread) only the first guard applies.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections.abc import Iterator

from sitegen.core.diagnostics import Diagnostic, error

#: processor seconds one page may take to convert and check
PAGE_CPU_SECONDS = 5.0
#: characters the link patterns may scan in one page (about a second of work)
MAX_SCAN = 3_000_000
#: quote (``>``) levels and list indentation (columns) a line may have
MAX_QUOTE_DEPTH = 16
MAX_INDENT = 64

_PAIRS = {"]": "[", ")": "("}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_QUOTES = re.compile(r"^[ \t]*(?:>[ \t]?)+")


class TooSlow(Exception):
    """A page used up its processor time (``cpu_deadline``)."""


def _scan_cost(text: str) -> tuple[int, int]:
    """How many characters the link patterns scan in ``text`` (one paragraph), and the
    offset of the costliest opening bracket."""
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    cost, worst, worst_at = 0, 0, 0
    escaped = False
    for i, c in enumerate(text):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c in stacks:
            stacks[c].append(i)
        elif c in _PAIRS and stacks[_PAIRS[c]]:
            start = stacks[_PAIRS[c]].pop()
            cost += i - start
            if i - start > worst:
                worst, worst_at = i - start, start
    for opened in stacks.values():
        for start in opened:  # never closed: scanned to the end of the paragraph
            cost += len(text) - start
            if len(text) - start > worst:
                worst, worst_at = len(text) - start, start
    return cost, worst_at


def markdown_problems(body: str, path: str, body_line: int) -> list[Diagnostic]:
    """MD002/MD003 errors for shapes of Markdown that would take too long to convert."""
    diags: list[Diagnostic] = []
    total, start = 0, 0
    for part in _PARAGRAPH_BREAK.split(body):
        if "[" in part or "(" in part:
            cost, at = _scan_cost(part)
            total += cost
            if total > MAX_SCAN:
                offset = max(body.find(part, start), 0) + at
                line = body.count("\n", 0, offset) + body_line
                col = offset - body.rfind("\n", 0, offset)
                diags.append(
                    error(
                        path,
                        line,
                        col,
                        "MD002",
                        "too many brackets without their partner ('[' without ']', '(' without "
                        "')') from here on: converting this text would take minutes",
                        "close each bracket, or write a bracket meant as text as \\[ or \\(",
                    )
                )
                break
        start += len(part)
    for n, text in enumerate(body.split("\n")):
        quotes = _QUOTES.match(text)
        depth = quotes.group(0).count(">") if quotes else 0
        stripped = text.lstrip(" \t")
        indent = len(text[: len(text) - len(stripped)].expandtabs(4))
        if depth > MAX_QUOTE_DEPTH or indent > MAX_INDENT:
            what = f"{depth} levels of '>'" if depth > MAX_QUOTE_DEPTH else f"{indent} columns"
            diags.append(
                error(
                    path,
                    n + body_line,
                    1,
                    "MD003",
                    f"nesting too deep ({what}): at most {MAX_QUOTE_DEPTH} quote levels and "
                    f"{MAX_INDENT} columns of indentation",
                    "flatten the quotes or lists",
                )
            )
            break
    return diags


def too_slow(path: str) -> Diagnostic:
    """MD004: the page took more than its processor time."""
    return error(
        path,
        0,
        0,
        "MD004",
        f"processing this page took more than {PAGE_CPU_SECONDS:g} s of processor time; "
        "it was stopped and not published",
        "look for unusual Markdown (very long lines of symbols, deep nesting) and split it",
    )


@contextlib.contextmanager
def cpu_deadline(seconds: float = PAGE_CPU_SECONDS) -> Iterator[None]:
    """Raise ``TooSlow`` in the block once this process has used ``seconds`` more of
    processor time; does nothing outside the main thread or without interval timers."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TooSlow

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
