"""Numbers patients can read: a check of how a results page states numbers.

Rules (after "Good Lay Summary Practice" and the risk-communication literature):

* NUM001 (warning): a percentage with no natural frequency next to it. "12%" alone is
  misread; "12 out of 100 people (12%)" is not. A natural frequency is "N out of M",
  "N in M" or "N of M people" (Spanish: "N de cada M", "N de M").
* NUM002 (error): a relative risk ("twice as likely", "30% lower risk", "hazard ratio",
  "risk was halved") in a paragraph that gives no absolute risk as a natural frequency.
  A relative change alone makes a small effect look large.

Checked line by line on the Markdown source, so every finding has its line and column; a
paragraph (for NUM002) is the run of non-blank lines around the finding. Code blocks are
skipped. Pure functions.
"""

from __future__ import annotations

import re

from sitegen.core.diagnostics import Diagnostic, error, warning

_PERCENT = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|per ?cent\b|percent\b|por ciento\b)", re.I)
_FREQ = {
    "en": re.compile(r"\b\d[\d,]*\s+(?:out of|in|of)\s+(?:every\s+)?\d[\d,]*\b", re.I),
    "es": re.compile(r"\b\d[\d.]*\s+(?:de cada|de|entre)\s+\d[\d.]*\b", re.I),
}
_RELATIVE = {
    "en": re.compile(
        r"\b(?:twice|three times|four times|\d+(?:\.\d+)? times) (?:as (?:likely|often|many|much)|"
        r"more likely|less likely|as|more|less|higher|lower)\b|"
        r"\brelative risk\b|\bhazard ratio\b|\bodds ratio\b|\brisk ratio\b|"
        r"\b(?:halved|doubled|tripled)\b|"
        r"\b(?:cut|lowered|reduced|raised|increased) (?:the |their |your )?(?:risk|chance)s? by\b|"
        r"\d+(?:\.\d+)?\s?(?:%|per ?cent|percent) (?:lower|higher|less|more|smaller|bigger|"
        r"greater|reduction|increase|fewer)\b",
        re.I,
    ),
    "es": re.compile(
        r"\b(?:el doble|la mitad|\d+(?:[.,]\d+)? veces) (?:de|más|menos)\b|"
        r"\briesgo relativo\b|\bcociente de riesgos\b|"
        r"\braz[oó]n de (?:riesgos|momios|probabilidades)\b|"
        r"\b(?:redujo|reduce|aumentó|aumenta|bajó|subió) (?:el|su) (?:riesgo|probabilidad) "
        r"(?:en|un)\b|"
        r"\d+(?:[.,]\d+)?\s?(?:%|por ciento) (?:menos|más|menor|mayor)\b",
        re.I,
    ),
}
_FENCE = re.compile(r"^\s*(```|~~~)")


def check_numbers(path: str, body: str, body_line: int, lang: str) -> list[Diagnostic]:
    """NUM001/NUM002 findings for a Markdown body (``body_line``: its first line in the file)."""
    lang = "es" if lang == "es" else "en"
    freq, relative = _FREQ[lang], _RELATIVE[lang]
    lines = body.split("\n")
    code = _code_lines(lines)
    diags: list[Diagnostic] = []
    for n, line in enumerate(lines):
        if n in code:
            continue
        where = n + body_line
        for m in relative.finditer(line):
            if not any(freq.search(lines[i]) for i in _paragraph(lines, n, code)):
                diags.append(
                    error(
                        path, where, m.start() + 1, "NUM002",
                        f'relative risk "{m.group(0)}" without the absolute risk',
                        'say how many people it happened to in each group too: "3 out of 100 '
                        'people who took the medicine, and 6 out of 100 who took the placebo"',
                    )
                )  # fmt: skip
        cells = line.split("|") if line.lstrip().startswith("|") else [line]
        offset = 0
        for cell in cells:
            for m in _PERCENT.finditer(cell):
                if not freq.search(cell):
                    diags.append(
                        warning(
                            path, where, offset + m.start() + 1, "NUM001",
                            f'percentage "{m.group(0)}" without a natural frequency',
                            'write it as "12 out of 100 people (12%)"',
                        )
                    )  # fmt: skip
            offset += len(cell) + 1
    return diags


def _code_lines(lines: list[str]) -> set[int]:
    out: set[int] = set()
    inside = False
    for n, line in enumerate(lines):
        if _FENCE.match(line):
            inside = not inside
            out.add(n)
        elif inside:
            out.add(n)
    return out


def _paragraph(lines: list[str], n: int, code: set[int]) -> range:
    start = n
    while start > 0 and lines[start - 1].strip() and (start - 1) not in code:
        start -= 1
    end = n
    while end + 1 < len(lines) and lines[end + 1].strip() and (end + 1) not in code:
        end += 1
    return range(start, end + 1)


def natural_frequency(count: int, total: int, lang: str = "en") -> str:
    """ "12 out of 150 (8%)": a count with its denominator, then the percentage rounded."""
    joiner = "de" if lang == "es" else "out of"
    if total <= 0:
        return f"{count} {joiner} {total}"
    pct = 100 * count / total
    shown = f"{pct:.0f}" if pct >= 1 or pct == 0 else "less than 1"
    if lang == "es":
        shown = shown.replace("less than 1", "menos de 1")
    return f"{count} {joiner} {total} ({shown}%)"
