"""Sentences and words of a block's text.

The sentence splitter does not break after common abbreviations ("Dr.", "e.g.", "vs.",
"approx.", "No. 5"), inside decimals ("2.5 mg"), after initials ("J. Smith") or before a
lower-case word. A word is a whitespace token with a letter or digit in it, as textstat counts
them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from operator import itemgetter

from sitegen.readability.text import Sentence, Word

_TERMINAL = re.compile(r"(?:[.!?…]+)[\"'”’»)\]]*(?=\s|$)")
_OPENERS = "([{\"'“‘«¿¡"
#: never end a sentence after these (lower-cased, without the final dot)
_ABBREVIATION_WORDS = (
    "dr mr mrs ms mx prof rev st jr sr e.g i.e vs v approx cf viz fig figs al incl "
    "dra sra srta ud uds aprox p.ej ej pág núm tel"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "núm", "nº", "p", "pp", "vol", "ch"})
_SOFT_ABBREVIATIONS = frozenset({"etc", "a.m", "p.m", "a.c", "d.c"})
_BEFORE_INITIAL_WORDS = "by and with from to for of y con de por"
_BEFORE_INITIAL = frozenset(_BEFORE_INITIAL_WORDS.split())
#: a whitespace token's core: group 1 runs from its first to its last letter or digit
#: (``[^\W_]`` is exactly ``str.isalnum``); no match for a token without either
_WORD_CORE = re.compile(r"(?:[^\w\s]|_)*([^\W_](?:.*[^\W_])?)", re.S)
_new_word = tuple.__new__
_START = itemgetter(0)  # Word.start


def split_sentences(text: str, block: int = 0) -> list[Sentence]:
    """Split one block's text into sentences that contain at least one word."""
    out: list[Sentence] = []
    ws = tuple(words(text))
    if not ws:
        return out
    # A sentence ends where whitespace (or the text's end) follows, so no word crosses one:
    # each sentence takes the block's words that start inside it. A sentence ends with its
    # terminal punctuation; only the last one can end with whitespace.
    starts = list(map(_START, ws))
    ends = [m.end() for m in _TERMINAL.finditer(text) if _ends_sentence(text, m)]
    n = len(text)
    if not ends or ends[-1] < n:
        b = n
        while text[b - 1].isspace():  # the last word ends before any trailing whitespace
            b -= 1
        ends.append(b)
    start = lo = 0
    for end in ends:
        hi = bisect_left(starts, end, lo)
        if hi > lo:
            while text[start].isspace():  # a word starts inside: not whitespace only
                start += 1
            out.append(Sentence(block, start, end, text[start:end], ws[lo:hi]))
        start, lo = end, hi
    return out


def _ends_sentence(text: str, m: re.Match[str]) -> bool:
    k = m.end()
    while k < len(text) and text[k].isspace():
        k += 1
    if k >= len(text):
        return True
    nxt = text[k]
    if nxt.islower() or nxt in ",;:)]}":
        return False
    punct = m.group().rstrip("\"'”’»)]")
    if punct != ".":
        return True
    j = m.start()
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    word = text[j : m.start()].lstrip(_OPENERS)
    low = word.lower()
    if low in _ABBREVIATIONS:
        return False
    if low in _NUMBER_ABBREVIATIONS and nxt.isdigit():
        return False
    if low in _SOFT_ABBREVIATIONS and not nxt.isupper():
        return False
    if len(word) == 1 and word.isupper() and nxt.isupper():
        # an initial ("J. Smith", "John F. Kennedy", "by J. Smith"), not "vitamin D. Then"
        prev = text[:j].split()[-1:] or [""]
        p = prev[0].strip(_OPENERS)
        return not (not p or p[0].isupper() or p.lower() in _BEFORE_INITIAL)
    return True


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of ``text[start:end]``: whitespace tokens with a letter or digit in them.

    This matches textstat's word count (split on whitespace, drop tokens that are only
    punctuation); ``Word.text`` is the token without leading and trailing punctuation.
    """
    end = len(text) if end is None else end
    seg = text if start == 0 and end == len(text) else text[start:end]
    # str.split() splits exactly where the regex ``\S+`` would
    raws = seg.split()
    out: list[Word] = []
    append = out.append
    if len(seg) == sum(map(len, raws)) + len(raws) - 1:
        # one whitespace character between tokens and none around them: the positions add up
        at = start
        for raw in raws:
            after = at + len(raw)
            if raw.isalnum():
                append(_new_word(Word, (at, after, raw, raw)))
            elif core := _core(raw):
                a, b, word = core
                append(_new_word(Word, (at + a, at + b, word, raw)))
            at = after + 1
        return out
    # else a token starts at the first occurrence of its text after the previous token
    find = text.find
    pos = start
    for raw in raws:
        at = find(raw, pos)
        pos = at + len(raw)
        if raw.isalnum():
            append(_new_word(Word, (at, pos, raw, raw)))
        elif core := _core(raw):
            a, b, word = core
            append(_new_word(Word, (at + a, at + b, word, raw)))
    return out


_CORES: dict[str, tuple[int, int, str] | tuple[()]] = {}


def _core(raw: str) -> tuple[int, int, str] | tuple[()]:
    """(start, end, text) of a token's word inside it, () for a token without one; cached."""
    core = _CORES.get(raw)
    if core is None:
        if len(_CORES) >= 100_000:
            _CORES.clear()
        m = _WORD_CORE.match(raw)
        core = _CORES[raw] = (*m.span(1), m.group(1)) if m else ()
    return core
