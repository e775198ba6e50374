"""JG005: rare words (wordfreq Zipf frequency below ``rare_word_zipf``)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, repeat
from operator import is_, itemgetter

from sitegen.readability import lexicon
from sitegen.readability.rules.context import Context, Hit, quote, wordset
from sitegen.readability.rules.explained import is_explained, is_introduced
from sitegen.readability.scores import is_acronym

_TEXT = itemgetter(2)  # Word.text
_RARE_PART = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_UNITS = wordset("mg mcg µg ug kg g ml mL l dl mmhg mmol iu bpm cm mm km")


#: Spanish verbs carry tense and pronouns ("dígaselo", "cubrirán"): wordfreq sees each form
#: separately, so Spanish words must be this much rarer to be reported
SPANISH_RARE_OFFSET = 1.0


def rare_words(ctx: Context) -> list[Hit]:
    """JG005 (note): words rarer than ``rare_word_zipf`` in wordfreq, not in the dictionary.

    One finding per word, at its first use, saying how often it is used on the page.
    Skipped: capitalised words inside a sentence (names), words with digits (drug codes),
    abbreviations, units, allow-listed words, words inside a dictionary match, the page's own
    subjects (``GateSettings.subjects``) and a word explained where it is first used (or
    named after its explanation) together with its later uses.
    """
    out: list[Hit] = []
    threshold = ctx.settings.rare_word_zipf
    if ctx.lang == "es":
        threshold -= SPANISH_RARE_OFFSET
    covered = {b: [(m.start, m.end) for m in ms] for b, ms in ctx.jargon.items() if ms}
    pw = ctx.words
    cache = _RARE_BELOW.get((ctx.lang, threshold))
    if cache is None or len(cache) >= 200_000:
        cache = _RARE_BELOW[ctx.lang, threshold] = {}
    texts = list(map(_TEXT, pw.words))
    rare = list(map(cache.get, texts))
    for g in list(compress(range(len(rare)), map(is_, rare, repeat(None)))):  # new words
        rare[g] = cache[texts[g]] = _rare_below(texts[g], ctx.lang, threshold)
    subjects = ctx.settings.subjects
    first: dict[str, int] = {}  # word -> index of its hit in ``out``
    uses: dict[str, int] = {}
    done: set[str] = set()  # explained on the page, or its own subject
    for g in compress(range(len(rare)), rare):
        k = pw.sentence_of(g)
        n = g - pw.bounds[k]  # the word's index in its sentence
        s = ctx.prose.sentences[k]
        w = pw.words[g]
        spans = covered.get(s.block, ())
        for a, b, part, low, msg in rare[g] or ():
            if part[0].isupper() and (n or a):
                continue
            if low in done or (subjects and _subject(low, subjects)):
                continue
            start, end = w.start + a, w.start + b
            if spans and any(x < end and start < y for x, y in spans):
                continue
            if ctx.settings.allows(part):
                continue
            if low not in first and (
                is_explained(ctx, s.block, start, end) or is_introduced(ctx, s.block, start, end)
            ):
                done.add(low)  # explained at its first use: fine here and from now on
                continue
            uses[low] = uses.get(low, 0) + 1
            if low in first:
                continue
            first[low] = len(out)
            out.append(Hit(s.block, start, end, "rare-word", "JG005", "note", msg, "", "", low))
    for low, i in first.items():
        if uses[low] > 1:
            h = out[i]
            out[i] = h._replace(message=f"{h.message} (used {uses[low]} times on this page)")
    return out


def _subject(word: str, subjects: frozenset[str]) -> bool:
    """True when ``word`` or its singular ("inhalers") is one of the page's subjects."""
    return word in subjects or (
        word.endswith("s") and (word[:-1] in subjects or word[:-2] in subjects)
    )


def how_rare(zipf: float) -> str:
    """A word's frequency in everyday words: "about 1 in 200,000 words" (from its Zipf value,
    the base-10 logarithm of its uses per billion words)."""
    if zipf <= 0:
        return "not in our list of everyday words"
    n = 10 ** (9 - zipf)
    digits = len(str(int(n))) - 1
    rounded = round(n / 10**digits) * 10**digits if n >= 10 else round(n)
    return f"about 1 in {rounded:,} words"


#: (start, end, part, lower-case part, zipf) of one candidate part of a word (``_rare_parts``)
_RarePart = tuple[int, int, str, str, float]


#: (start, end, part, lower-case part, JG005 message) of a part rarer than a threshold
_RareHit = tuple[int, int, str, str, str]

#: (language, threshold) -> word -> ``_rare_below``
_RARE_BELOW: dict[tuple[str, float], dict[str, tuple[_RareHit, ...]]] = {}


def _rare_below(word: str, lang: str, threshold: float) -> tuple[_RareHit, ...]:
    """The ``_rare_parts`` of a word rarer than ``threshold``, with their JG005 message."""
    return tuple(
        (
            a,
            b,
            part,
            low,
            f"a word few readers know: {quote(part)} ({how_rare(z)}): use a common word or "
            "explain it",
        )
        for a, b, part, low, z in _rare_parts(word, lang)
        if z < threshold
    )


@lru_cache(maxsize=262_144)
def _rare_parts(word: str, lang: str) -> tuple[_RarePart, ...]:
    """Candidate parts of a word for JG005 with their Zipf frequency: (start, end, part,
    lower-case part, zipf). Words with digits, abbreviations, units and parts under 3 letters
    have none."""
    if any(ch.isdigit() for ch in word) or is_acronym(word, lang):
        return ()
    out = []
    for m in _RARE_PART.finditer(word):
        part = m.group()
        low = part.lower().replace("’", "'")
        if len(part) < 3 or low in _UNITS:
            continue
        out.append((m.start(), m.end(), part, low, lexicon.zipf(low, lang)))
    return tuple(out)
