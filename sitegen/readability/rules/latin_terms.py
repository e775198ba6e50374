"""JG004: Latin abbreviations (e.g., i.e., etc., vs., viz., cf., et al.)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from sitegen.readability.rules.context import Context, Hit, quote

_LATIN = (
    (r"\be\.\s?g\.|\beg\.(?=\s)", "e.g.", "for example", "por ejemplo"),
    (r"\bi\.\s?e\.", "i.e.", "that is", "es decir"),
    (r"\betc\b\.?", "etc.", "and so on", "y otros"),
    (r"\bvs\b\.?", "vs.", "compared with", "frente a"),
    (r"\bviz\b\.", "viz.", "namely", "a saber"),
    (r"\bcf\b\.", "cf.", "see", "véase"),
    (r"\bet\s+al\b\.?", "et al.", "and others", "y otros"),
)
#: the lookahead only lets the engine skip ahead: every abbreviation starts with e, i, v or c
_LATIN_RE = re.compile(
    "(?=[eivc])(?:" + "|".join(f"(?P<l{i}>{p})" for i, (p, *_) in enumerate(_LATIN)) + ")", re.I
)


#: Each abbreviation's match starts with a match of this in ``fold``-ed text (no word
#: boundaries, lower case): only the blocks it touches are searched with ``_LATIN_RE``.
_LATIN_HINT = re.compile(r"e\.\s?g\.|eg\.|i\.\s?e\.|etc|vs|viz\.|cf\.|et\s+al")


_ET_AL = re.compile(r"et\s+al")


def _may_have_latin(folded: str) -> bool:
    """False when no ``_LATIN_HINT`` can match: each needs one of these (quick) substrings."""
    return (
        "g." in folded  # e.g., eg.
        or "i." in folded  # i.e.
        or "etc" in folded
        or "vs" in folded
        or "viz." in folded
        or "cf." in folded
        or _ET_AL.search(folded) is not None
    )


def latin(ctx: Context) -> list[Hit]:
    """JG004: Latin abbreviations (e.g., i.e., etc., vs., viz., cf., et al.)."""
    out: list[Hit] = []
    blocks = ctx.prose.blocks
    page, bases = ctx.page_text
    folded = ctx.folded_page
    if not _may_have_latin(folded):
        return out
    todo: Iterable[int] = range(len(blocks))
    if len(folded) == len(page):  # always (see ``promotional``)
        found: set[int] = set()
        for m in _LATIN_HINT.finditer(folded):
            first = bisect_right(bases, m.start()) - 1
            found.update(range(first, bisect_right(bases, m.end() - 1, first)))
        todo = sorted(found)
    for i in todo:
        b = blocks[i]
        for m in _LATIN_RE.finditer(b.text):
            idx = int(m.lastgroup[1:])  # type: ignore[index]
            _, name, en, es = _LATIN[idx]
            plain = es if ctx.lang == "es" else en
            msg = f'Latin abbreviation {quote(m.group())}: say "{plain}"'
            out.append(Hit(i, m.start(), m.end(), "latin", "JG004", "warning", msg, plain, "",
                           name))  # fmt: skip
    return out
