"""Readability scores from counts: every formula is a pure function of one ``Counts``.

A page is tokenised, split into sentences and its syllables counted once (``count_sentence``
per sentence, summed per page and per section); each textstat formula is then arithmetic on
those sums, with textstat 0.7.8's constants. ``gate_grade`` is the one number the gate uses
(see ``GATE.md``).

Everything counted about a word depends on the word alone, so it is worked out once per
distinct word and language (``word_facts``) and a page's words are looked up in one pass
(``page_words``); ``check.count_page`` then adds up whole runs of plain sentences at once.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, islice
from operator import attrgetter, itemgetter
from typing import NamedTuple

from sitegen.readability import lexicon, spanish
from sitegen.readability.text import Sentence, Word

#: a word is "unfamiliar" below this wordfreq Zipf frequency (about 10 per million words)
UNFAMILIAR_ZIPF = 4.0
#: Spanish rarity: a word scores the Zipf points its familiarity lacks to reach this (in 1/100s)
RARITY_ZIPF = 5.0
_STATISTICAL = re.compile(r"[%‰<>=±≤≥]|\d\.\d|\d,\d{1,2}(?!\d)")
_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-ZÁÉÍÓÚÑÜ]")
_ALPHA_WORD = re.compile(r"[^\W\d_]+(?:['’\-‐‑][^\W\d_]+)*")
_NONWORD = re.compile(r"\W+")
_ROMAN = re.compile(r"M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})")
_WORDS = attrgetter("words")  # of a Sentence
_TEXT = itemgetter(2)  # Word.text
_RAW = itemgetter(3)  # Word.raw
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
    rarity: int = 0  # Spanish: sum of (RARITY_ZIPF - familiarity) over words, in 1/100 Zipf
    style: int = 0  # Spanish: sum of the words' weighted style signs (``spanish``), in 1/100s

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
            self.rarity + other.rarity,
            self.style + other.style,
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


class WordFacts(NamedTuple):
    """Everything the counts and rules need to know about one word (``Word.text``).

    The first ``SUMMED_FACTS`` fields are what ``sentence_row`` adds up per sentence.
    """

    syllables: int
    polysyllable: bool  # 3+ syllables
    hard_fog: bool  # hard and 3+ syllables (Gunning Fog)
    hard: bool  # off the easy-word list (Dale-Chall)
    unfamiliar: bool  # alphabetic, not an acronym, familiarity < UNFAMILIAR_ZIPF
    acronym: bool  # ``is_acronym``
    rarity: int  # Spanish: alphabetic, not an acronym: (RARITY_ZIPF - familiarity) in 1/100s
    style: int  # Spanish: alphabetic, not an acronym: ``spanish.style_points``
    statistical: bool  # ``is_statistical`` of the word itself
    caps: bool  # alphabetic, 2+ letters, all capitals (``shouted``)
    alpha: bool  # ``str.isalpha``
    known_caps: bool  # caps and an ordinary word in lower case (Zipf >= 3)
    lower: str
    lower_quote: str  # lower-cased, curly apostrophes straight


_FACTS: dict[str, dict[str, WordFacts]] = {}
_FACTS_MAX = 200_000  # distinct words per language kept (then the cache starts over)


def word_facts(word: str, lang: str) -> WordFacts:
    """The ``WordFacts`` of one word, computed once per word and language per process."""
    cache = _FACTS.get(lang)
    if cache is None:
        cache = _FACTS[lang] = {}
    facts = cache.get(word)
    if facts is None:
        if len(cache) >= _FACTS_MAX:
            cache.clear()
        facts = cache[word] = _word_facts(word, lang)
    return facts


def _word_facts(word: str, lang: str) -> WordFacts:
    syl = lexicon.token_syllables(word, lang)
    hard = lexicon.key(word).lower() not in lexicon.easy_words(lang)
    acronym = is_acronym(word, lang)
    lower = word.lower()
    familiar = 99.0
    style = 0
    if not acronym and _ALPHA_WORD.fullmatch(word):
        familiar = lexicon.familiarity(lower.replace("’", "'"), lang)
        if lang == "es":
            style = spanish.style_points(lower.replace("’", "'"))
    unfamiliar = familiar < UNFAMILIAR_ZIPF
    rarity = round(100 * (RARITY_ZIPF - familiar)) if lang == "es" and familiar < RARITY_ZIPF else 0
    alpha = word.isalpha()
    caps = alpha and word.isupper() and len(word) > 1
    known_caps = caps and lexicon.zipf(lower, lang) >= 3.0
    return WordFacts(
        syl,
        syl >= 3,
        hard and syl >= 3,
        hard,
        unfamiliar,
        acronym,
        rarity,
        style,
        is_statistical(word),
        caps,
        alpha,
        known_caps,
        lower,
        lower.replace("’", "'"),
    )


#: WordFacts' leading fields summed by ``sentence_row``: syllables .. style
SUMMED_FACTS = 8


def sentence_facts(sentence: Sentence, lang: str) -> list[WordFacts]:
    """``word_facts`` of every word of a sentence."""
    return [word_facts(w.text, lang) for w in sentence.words]


class PageWords(NamedTuple):
    """Every word of a page's sentences in one list, with its facts: sentence ``k`` has
    ``words[bounds[k]:bounds[k + 1]]`` (sentences always have words)."""

    words: list[Word]
    facts: list[WordFacts]
    bounds: list[int]
    letters: list[int]  # of each word's whole token (``Word.raw``), textstat's way

    def sentence_of(self, i: int) -> int:
        """The index of the sentence that ``words[i]`` belongs to."""
        return bisect_right(self.bounds, i) - 1

    def sentence_facts(self, k: int) -> list[WordFacts]:
        """The facts of sentence ``k``'s words."""
        return self.facts[self.bounds[k] : self.bounds[k + 1]]


def page_words(sentences: Sequence[Sentence], lang: str) -> PageWords:
    """The ``PageWords`` of a page's sentences (one dictionary lookup per word)."""
    words = list(chain.from_iterable(map(_WORDS, sentences)))
    bounds = list(accumulate(map(len, map(_WORDS, sentences)), initial=0))
    # map over dict.get: the hot loop of every check (mypy cannot pick the overload)
    facts: list[WordFacts] = list(map(_FACTS.get(lang, {}).get, map(_TEXT, words)))  # type: ignore[arg-type]
    if not all(facts):  # words not seen before
        for i in [i for i, f in enumerate(facts) if f is None]:
            facts[i] = word_facts(words[i].text, lang)
    letters: list[int] = list(map(_LETTERS.get, map(_RAW, words)))  # type: ignore[arg-type]
    if not all(letters):  # tokens not seen before (every word has a letter or digit)
        if len(_LETTERS) >= _FACTS_MAX:
            _LETTERS.clear()
        for i in [i for i, n in enumerate(letters) if n is None]:
            raw = words[i].raw
            letters[i] = _LETTERS[raw] = len(_NONWORD.sub("", raw))
    return PageWords(words, facts, bounds, letters)


#: letters (word characters) of a whitespace token, per token
_LETTERS: dict[str, int] = {}


def shouted(sentence: Sentence, lang: str = "en") -> frozenset[int]:
    """Indices of words written in capitals for emphasis, not as abbreviations.

    All of them when most words of a 3+ word sentence are capitals ("PLEASE BRING YOUR
    LETTER"); else capitalised ordinary words next to another capitalised ordinary word of 5+
    letters ("PAST MEDICAL HISTORY", "PHYSICAL EXAM").
    """
    return shouted_facts(sentence, sentence_facts(sentence, lang))


def shouted_facts(sentence: Sentence, facts: list[WordFacts]) -> frozenset[int]:
    """``shouted`` from the sentence's ``sentence_facts``."""
    caps = sum(f.caps for f in facts)
    if caps < 2:
        return frozenset()
    alpha = sum(f.alpha for f in facts)
    if alpha >= 3 and caps * 2 > alpha:
        return frozenset(range(len(facts)))
    ws = sentence.words
    known = [f.known_caps for f in facts]
    out = set()
    for i, k in enumerate(known):
        if not k:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(ws) and known[j] and len(ws[j].text) >= 5:
                out.add(i)
    return frozenset(out)


#: the fields of ``Counts`` in order: ``sentence_row`` returns them as a plain tuple
Row = tuple[int, int, int, int, int, int, int, int, int, int, int, int, int]


def count_sentence(
    sentence: Sentence, lang: str, allow: frozenset[str] = frozenset(), jargon: int = 0
) -> Counts:
    """Count one sentence's words, syllables, letters and word classes, textstat's way.

    ``jargon`` is the number of dictionary terms found in the sentence (``rules``).
    """
    return Counts(*sentence_row(sentence, lang, allow, jargon))


def sentence_row(
    sentence: Sentence,
    lang: str,
    allow: frozenset[str] = frozenset(),
    jargon: int = 0,
    facts: list[WordFacts] | None = None,
    letters: int | None = None,
) -> Row:
    """``count_sentence`` as a tuple in ``Counts`` field order (``facts``: its words' facts;
    ``letters``: its letter count, if known)."""
    if facts is None:
        facts = sentence_facts(sentence, lang)
    text = sentence.text
    if letters is None:
        letters = len(_NONWORD.sub("", text))
    if facts and _DIGIT.search(text) is None:
        # no digit, so nothing statistical: every count is a plain sum over the words
        sums = map(sum, islice(zip(*facts, strict=True), SUMMED_FACTS))
        syl_total, poly, fog, dc, unfamiliar, n_acronyms, rarity, style = sums
        acr = 0
        if n_acronyms:
            loud = shouted_facts(sentence, facts)
            ws = sentence.words
            acr = sum(
                1
                for i, f in enumerate(facts)
                if f.acronym and i not in loud and ws[i].text.casefold() not in allow
            )
        return (
            len(facts), 1, syl_total, letters, poly, fog, dc, unfamiliar, 0, acr, jargon, rarity,
            style,
        )  # fmt: skip
    syl_total = poly = fog = dc = unfamiliar = stat = rarity = style = 0
    acronyms: list[int] = []
    for i, (w, f) in enumerate(zip(sentence.words, facts, strict=True)):
        syl_total += f.syllables
        poly += f.polysyllable
        fog += f.hard_fog
        dc += f.hard
        rarity += f.rarity
        style += f.style
        raw = w.raw
        if f.statistical if raw == w.text else is_statistical(raw):
            stat += 1
        elif f.acronym:
            acronyms.append(i)
        elif f.unfamiliar:
            unfamiliar += 1
    acr = 0
    if acronyms:
        loud = shouted_facts(sentence, facts)
        ws = sentence.words
        acr = sum(1 for i in acronyms if i not in loud and ws[i].text.casefold() not in allow)
    return (
        len(facts),
        1,
        syl_total,
        letters,
        poly,
        fog,
        dc,
        unfamiliar,
        stat,
        acr,
        jargon,
        rarity,
        style,
    )


def total(rows: Iterable[Row]) -> Counts:
    """The sum of ``sentence_row`` tuples as ``Counts`` (``Counts()`` for none)."""
    return Counts(*map(sum, zip(*rows, strict=True)))


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
    """The gate's US-grade estimate (never below 0), in its language's form (``GATE.md``)."""
    if not c.words or not c.sentences:
        return 0.0
    if lang == "es":
        return max(0.0, ES_INTERCEPT + ES_SCALE * gate_raw_es(c))
    return max(0.0, INTERCEPT + SCALE * gate_raw(c))


# The Spanish gate grade (GATE.md), built like the English one on a Spanish base:
#   grade = ES_INTERCEPT + ES_SCALE * (B + ES_W_RARITY*R + ES_W_STATISTICAL*N
#                                        + ES_W_ACRONYMS*A + ES_W_JARGON*J + S)
# B = 4 + (100 - Fernandez Huerta) / 10, the easy end of Flesch's ease-to-grade table extended
# linearly; R = mean rarity per word: Zipf points below RARITY_ZIPF of the word or its lemma
# (simplemma), whichever is more familiar; N, A, J per 100 words as in English, J from the
# Spanish dictionary; S = the words' style signs (``spanish``: long words, relational adjectives,
# nominalisations, formal connectors; "usted"/"su" and finite verbs count against), each share
# of words times its weight in ``spanish.STYLE_WEIGHTS``. Fitted by
# `python benchmarks/readability_quality_es.py --fit`: pairwise logistic regression on the "fit"
# topics of the CLARA-MeD NCI professional/patient pairs, B keeping weight 1; ES_INTERCEPT and
# ES_SCALE map the mean professional sentence of those topics to grade 16 and the mean of our
# Spanish translations (tests/fixtures/readability/plain-es/ and the example site's translated
# pages) to the mean grade the English gate gives their originals, so that a translation grades
# like its original. Accuracy on the held-out topics is reported in GATE.md.
ES_W_RARITY = 3.1535
ES_W_STATISTICAL = 0.4801
ES_W_ACRONYMS = 0.4666
ES_W_JARGON = 0.0277
ES_SCALE = 1.0004
ES_INTERCEPT = 3.9318


def gate_features_es(c: Counts) -> tuple[float, float, float, float, float]:
    """(Spanish base B, mean rarity per word, then per 100 words: statistical, acronyms,
    jargon)."""
    if not c.words or not c.sentences:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    per100 = 100 / c.words
    return (
        4 + (100 - fernandez_huerta(c)) / 10,
        c.rarity / 100 / c.words,
        c.statistical * per100,
        c.acronyms * per100,
        c.jargon * per100,
    )


def gate_raw_es(c: Counts) -> float:
    """The Spanish gate grade before its linear calibration (grade-like units of B)."""
    base, rar, stat, acr, jar = gate_features_es(c)
    style = c.style / 100 / c.words if c.words else 0.0
    return (
        base + ES_W_RARITY * rar + ES_W_STATISTICAL * stat + ES_W_ACRONYMS * acr
        + ES_W_JARGON * jar + style
    )  # fmt: skip


def style_words(words: Iterable[str], lang: str = "es") -> list[str]:
    """The lower-case forms of the words whose style signs count (``spanish``): alphabetic
    words that are not abbreviations, as ``word_facts`` takes them."""
    return [
        w.lower().replace("’", "'")
        for w in words
        if not is_acronym(w, lang) and _ALPHA_WORD.fullmatch(w)
    ]


#: INFLESZ (Barrio-Cantalejo 2008): bands of the Szigriszt-Pazos perspicuity for health texts
INFLESZ_BANDS = ((80.0, "very easy"), (65.0, "fairly easy"), (55.0, "normal"),
                 (40.0, "somewhat difficult"), (float("-inf"), "very difficult"))  # fmt: skip


def inflesz_band(perspicuity: float) -> str:
    """The INFLESZ band of a Szigriszt-Pazos score (55-65 "normal" is the usual aim)."""
    return next(name for low, name in INFLESZ_BANDS if perspicuity >= low)


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
