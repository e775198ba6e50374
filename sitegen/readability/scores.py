"""Readability scores from counts: every formula is a pure function of one ``Counts``.

A page is tokenised, split into sentences and its syllables counted once (``count_sentence``
per sentence, summed per page and per section); each textstat formula is then arithmetic on
those sums, with textstat 0.7.8's constants. ``gate_grade`` is the one number the gate uses
(see ``GATE.md``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .text import Sentence

#: a word is "unfamiliar" below this wordfreq Zipf frequency (about 10 per million words)
UNFAMILIAR_ZIPF = 4.0
_STATISTICAL = re.compile(r"[%‰<>=±≤≥]|\d\.\d|\d,\d{1,2}(?!\d)")
_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-ZÁÉÍÓÚÑÜ]")
_ALPHA_WORD = re.compile(r"[^\W\d_]+(?:['’\-‐‑][^\W\d_]+)*")
_NONWORD = re.compile(r"\W+")
_ROMAN = re.compile(r"M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})")
#: capitalised tokens that are not acronyms a reader needs expanded
NOT_ACRONYMS = frozenset({"OK", "TV", "AM", "PM", "US", "USA", "UK", "EU"})


@dataclass(frozen=True, slots=True)
class Counts:
    """Additive counts of a stretch of prose (a sentence, a section, a page)."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0
    letters: int = 0  # textstat: word characters, punctuation and spaces removed
    polysyllables: int = 0  # words with 3+ syllables (SMOG)
    hard_fog: int = 0  # not on the easy-word list and 3+ syllables (Gunning Fog)
    hard_dale_chall: int = 0  # not on the Dale-Chall easy-word list
    unfamiliar: int = 0  # alphabetic words with Zipf frequency < UNFAMILIAR_ZIPF
    statistical: int = 0  # numbers with a decimal point, %, or <, >, =, ±
    acronyms: int = 0  # tokens with 2+ capital letters (HbA1c, NSCLC, CT)
    jargon: int = 0  # dictionary terms (after the allow-list)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.words + other.words,
            self.sentences + other.sentences,
            self.syllables + other.syllables,
            self.letters + other.letters,
            self.polysyllables + other.polysyllables,
            self.hard_fog + other.hard_fog,
            self.hard_dale_chall + other.hard_dale_chall,
            self.unfamiliar + other.unfamiliar,
            self.statistical + other.statistical,
            self.acronyms + other.acronyms,
            self.jargon + other.jargon,
        )


def is_acronym(token: str, lang: str = "en") -> bool:
    """True for a token with two or more capital letters (HbA1c, NSCLC, CT).

    Not: Roman numerals, and words of 5+ letters written in capitals that are ordinary
    words in lower case ("DIAGNOSIS").
    """
    if token.islower() or len(_UPPER.findall(token)) < 2 or token in NOT_ACRONYMS:
        return False
    if token.isalpha():
        if _ROMAN.fullmatch(token):
            return False
        if len(token) >= 5 and token.isupper() and lexicon.zipf(token.lower(), lang) >= 3.0:
            return False
    return True


@lru_cache(maxsize=65_536)
def is_statistical(raw: str) -> bool:
    """True for a number written as a decimal, a percentage or with a comparison sign."""
    return bool(_DIGIT.search(raw)) and bool(_STATISTICAL.search(raw))


def shouted(sentence: Sentence, lang: str = "en") -> frozenset[int]:
    """Indices of words written in capitals for emphasis, not as abbreviations.

    All of them when most words of a 3+ word sentence are capitals ("PLEASE BRING YOUR
    LETTER"); else capitalised ordinary words next to another capitalised ordinary word of 5+
    letters ("PAST MEDICAL HISTORY", "PHYSICAL EXAM").
    """
    ws = sentence.words
    caps = [w.text.isalpha() and w.text.isupper() and len(w.text) > 1 for w in ws]
    alpha = sum(1 for w in ws if w.text.isalpha())
    if alpha >= 3 and sum(caps) * 2 > alpha:
        return frozenset(range(len(ws)))
    if sum(caps) < 2:
        return frozenset()
    known = [c and lexicon.zipf(w.text.lower(), lang) >= 3.0 for c, w in zip(caps, ws, strict=True)]
    out = set()
    for i, k in enumerate(known):
        if not k:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(ws) and known[j] and len(ws[j].text) >= 5:
                out.add(i)
    return frozenset(out)


def count_sentence(
    sentence: Sentence, lang: str, allow: frozenset[str] = frozenset(), jargon: int = 0
) -> Counts:
    """Count one sentence's words, syllables, letters and word classes, textstat's way.

    ``jargon`` is the number of dictionary terms found in the sentence (``rules``).
    """
    syl_total = poly = fog = dc = unfamiliar = stat = acr = 0
    loud = shouted(sentence, lang)
    for i, w in enumerate(sentence.words):
        syl, hard, acronym, unfamiliar_word = _word_facts(w.text, lang)
        syl_total += syl
        dc += hard
        if syl >= 3:
            poly += 1
            fog += hard
        if is_statistical(w.raw):
            stat += 1
        elif acronym:
            if i not in loud and w.text.casefold() not in allow:
                acr += 1
        elif unfamiliar_word:
            unfamiliar += 1
    return Counts(
        words=len(sentence.words),
        sentences=1,
        syllables=syl_total,
        letters=len(_NONWORD.sub("", sentence.text)),
        polysyllables=poly,
        hard_fog=fog,
        hard_dale_chall=dc,
        unfamiliar=unfamiliar,
        statistical=stat,
        acronyms=acr,
        jargon=jargon,
    )


@lru_cache(maxsize=262_144)
def _word_facts(word: str, lang: str) -> tuple[int, bool, bool, bool]:
    """(syllables, off the easy-word list, acronym, unfamiliar) of one word, cached."""
    syl = lexicon.token_syllables(word, lang)
    hard = lexicon.key(word).lower() not in lexicon.easy_words(lang)
    acronym = is_acronym(word, lang)
    unfamiliar = (
        not acronym
        and bool(_ALPHA_WORD.fullmatch(word))
        and lexicon.zipf(word.lower().replace("’", "'"), lang) < UNFAMILIAR_ZIPF
    )
    return syl, hard, acronym, unfamiliar


# --------------------------------------------------------------------------- formulas


def _ratios(c: Counts) -> tuple[float, float]:
    """(words per sentence, syllables per word)."""
    return c.words / c.sentences, c.syllables / c.words


def flesch_reading_ease(c: Counts) -> float:
    """Flesch Reading Ease (higher is easier): 206.835 - 1.015 WPS - 84.6 SPW."""
    if not c.words or not c.sentences:
        return 0.0
    wps, spw = _ratios(c)
    return 206.835 - 1.015 * wps - 84.6 * spw


def flesch_kincaid_grade(c: Counts) -> float:
    """Flesch-Kincaid grade: 0.39 WPS + 11.8 SPW - 15.59."""
    if not c.words or not c.sentences:
        return 0.0
    wps, spw = _ratios(c)
    return 0.39 * wps + 11.8 * spw - 15.59


def smog_index(c: Counts) -> float:
    """SMOG: 1.043 sqrt(30 polysyllables / sentences) + 3.1291."""
    if not c.sentences:
        return 0.0
    return 1.043 * math.sqrt(30 * c.polysyllables / c.sentences) + 3.1291


def gunning_fog(c: Counts) -> float:
    """Gunning Fog: 0.4 (WPS + 100 hard words / words), hard = not easy and 3+ syllables."""
    if not c.words or not c.sentences:
        return 0.0
    return 0.4 * (c.words / c.sentences + 100 * c.hard_fog / c.words)


def coleman_liau_index(c: Counts) -> float:
    """Coleman-Liau: 0.058 L - 0.296 S - 15.8 (letters and sentences per 100 words)."""
    if not c.words or not c.sentences or not c.letters:
        return 0.0
    return 0.058 * 100 * c.letters / c.words - 0.296 * 100 * c.sentences / c.words - 15.8


def dale_chall(c: Counts) -> float:
    """New Dale-Chall as textstat computes it (every word off the easy list is difficult)."""
    if not c.words or not c.sentences:
        return 0.0
    pdw = 100 * c.hard_dale_chall / c.words
    return 0.1579 * pdw + 0.0496 * c.words / c.sentences + (3.6365 if pdw > 5 else 0.0)


def fernandez_huerta(c: Counts) -> float:
    """Fernandez Huerta reading ease (Spanish, higher is easier): 206.84 - 60 SPW - 1.02 WPS."""
    if not c.words or not c.sentences:
        return 0.0
    wps, spw = _ratios(c)
    return 206.84 - 60 * spw - 1.02 * wps


def szigriszt_pazos(c: Counts) -> float:
    """Szigriszt-Pazos perspicuity (Spanish, higher is easier): 206.84 - 62.3 SPW - WPS."""
    if not c.words or not c.sentences:
        return 0.0
    wps, spw = _ratios(c)
    return 206.84 - 62.3 * spw - wps


def gutierrez_polini(c: Counts) -> float:
    """Gutierrez de Polini comprehensibility (Spanish): 95.2 - 9.7 LPW - 0.35 WPS."""
    if not c.words or not c.sentences:
        return 0.0
    return 95.2 - 9.7 * c.letters / c.words - 0.35 * c.words / c.sentences


def crawford(c: Counts) -> float:
    """Crawford years of schooling (Spanish): -0.205 S + 0.049 Sy - 3.407 (per 100 words)."""
    if not c.words or not c.sentences:
        return 0.0
    return -0.205 * 100 * c.sentences / c.words + 0.049 * 100 * c.syllables / c.words - 3.407


ENGLISH_SCORES = {
    "flesch_kincaid_grade": flesch_kincaid_grade,
    "smog_index": smog_index,
    "gunning_fog": gunning_fog,
    "coleman_liau_index": coleman_liau_index,
    "dale_chall": dale_chall,
    "flesch_reading_ease": flesch_reading_ease,
}
SPANISH_SCORES = {
    "fernandez_huerta": fernandez_huerta,
    "szigriszt_pazos": szigriszt_pazos,
    "gutierrez_polini": gutierrez_polini,
    "crawford": crawford,
}


def scores(c: Counts, lang: str) -> dict[str, float]:
    """Every formula that applies to ``lang``, rounded to 2 decimals."""
    table = SPANISH_SCORES if lang == "es" else ENGLISH_SCORES
    return {name: round(f(c), 2) for name, f in table.items()}


# --------------------------------------------------------------------------- the gate grade

# The English gate grade (GATE.md):
#   grade = INTERCEPT + SCALE * (FK + W_UNFAMILIAR*U + W_STATISTICAL*N + W_ACRONYMS*A + W_JARGON*J)
# FK is Flesch-Kincaid from the same counts; U, N, A and J are per 100 words: unfamiliar words
# (Zipf < 4), statistical numbers (decimals, %, <, >, =, ±), acronyms and dictionary terms.
# Fitted by `python benchmarks/readability_quality.py --fit`: the W_* by pairwise logistic
# regression on the 288 `orig_split == "val"` pairs of the Cochrane abstract/plain-summary data
# (Devaraj et al. 2021), with Flesch-Kincaid's own weight fixed at 1 so sentence length and
# syllables keep their classic effect; INTERCEPT and SCALE then map the mean val abstract to
# grade 16 and the mean of the plain patient pages in tests/fixtures/readability/plain/ to
# grade 7. Accuracy on the 336 `test` pairs (not used for fitting) is reported in GATE.md.
W_UNFAMILIAR = 0.4933
W_STATISTICAL = 1.7427
W_ACRONYMS = 1.7523
W_JARGON = 1.4781
SCALE = 0.1907
INTERCEPT = 6.2930


def gate_features(c: Counts) -> tuple[float, float, float, float, float]:
    """(Flesch-Kincaid, then per 100 words: unfamiliar, statistical, acronyms, jargon)."""
    if not c.words or not c.sentences:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    per100 = 100 / c.words
    return (
        flesch_kincaid_grade(c),
        c.unfamiliar * per100,
        c.statistical * per100,
        c.acronyms * per100,
        c.jargon * per100,
    )


def gate_raw(c: Counts) -> float:
    """The gate grade before its linear calibration (Flesch-Kincaid units)."""
    fk, unf, stat, acr, jar = gate_features(c)
    return fk + W_UNFAMILIAR * unf + W_STATISTICAL * stat + W_ACRONYMS * acr + W_JARGON * jar


def gate_grade(c: Counts, lang: str) -> float:
    """The gate's US-grade estimate (never below 0); Spanish via ``fernandez_huerta_grade``."""
    if not c.words or not c.sentences:
        return 0.0
    if lang == "es":
        return fernandez_huerta_grade(fernandez_huerta(c))
    return max(0.0, INTERCEPT + SCALE * gate_raw(c))


#: Fernandez Huerta reading ease -> US grade, after Flesch's own table (90-100 grade 5,
#: 80-90 grade 6, 70-80 grade 7, 60-70 grades 8-9, 50-60 grades 10-12, 30-50 college,
#: 0-30 graduate): the upper end of each band, joined linearly.
_FH_TO_GRADE = ((100.0, 4.0), (90.0, 5.0), (80.0, 6.0), (70.0, 7.0), (60.0, 9.0),
                (50.0, 12.0), (30.0, 16.0), (0.0, 18.0))  # fmt: skip


def fernandez_huerta_grade(ease: float) -> float:
    """A rough US grade for a Fernandez Huerta score (piecewise linear, 0 to 20)."""
    pts = _FH_TO_GRADE
    if ease >= pts[0][0]:
        (e0, g0), (e1, g1) = pts[0], pts[1]
    elif ease <= pts[-1][0]:
        (e0, g0), (e1, g1) = pts[-2], pts[-1]
    else:
        k = next(i for i in range(len(pts) - 1) if pts[i + 1][0] <= ease <= pts[i][0])
        (e0, g0), (e1, g1) = pts[k], pts[k + 1]
    grade = g0 + (ease - e0) * (g1 - g0) / (e1 - e0)
    return min(20.0, max(0.0, grade))
