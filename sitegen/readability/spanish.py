"""Signs of technical or plain Spanish in a single word, for the Spanish gate grade.

Familiarity (``lexicon.familiarity``) says how common a word is; these signs say how it is
used. Technical Spanish names actions (nominalisations: "la administración", "el
tratamiento"), describes organs with relational adjectives ("hepático", "vesical") and links
sentences with formal markers ("no obstante", "mediante"); plain Spanish says what happens with
finite verbs ("se forman", "puede") and talks to the reader ("usted", "su médico"). Each sign
is a property of one lower-case word (and its simplemma lemma), so it is worked out once per
distinct word (``scores.word_facts``) and a page's signs are sums like its syllables.

``STYLE_WEIGHTS`` are part of the Spanish gate grade (``GATE.md``): fitted with the other
``ES_W_*`` weights by ``python benchmarks/readability_quality_es.py --fit``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sitegen.readability import lexicon

#: the signs, in the order of ``style_signs`` and ``STYLE_WEIGHTS``
STYLE_SIGNS = ("long", "relational", "nominal", "you", "finite", "formal")
#: a word of this many letters or more is "long"
LONG_LETTERS = 10
#: a relational adjective counts only when its lemma is below this Zipf frequency ("normal",
#: "general", "social" are everyday words)
RELATIONAL_ZIPF = 4.5

# Weight of each sign, in grade-like units (the Fernandez Huerta base's) per share of words:
# a sign on every word would add its weight to the raw grade. Negative: a sign of plain text.
# Fitted on the CLARA-MeD NCI "fit" topics (see the benchmark), seed-free (Newton's method).
STYLE_WEIGHTS = (1.3044, 2.5408, 12.7821, -10.8927, -16.6227, 17.6318)

_RELATIONAL = re.compile(r"(?:ic[oa]s?|al(?:es)?|ari[oa]s?|iv[oa]s?|os[oa]s?)$")
_NOMINAL = re.compile(r"(?:ci[oó]n(?:es)?|si[oó]n(?:es)?|mientos?|dad(?:es)?|ncias?|ismos?)$")
_VERB_LEMMA = re.compile(r"(?:ar|er|ir|ír)$")
#: verb forms that are not finite: participles, gerunds, infinitives (also with a pronoun
#: joined on: "dormirse", "tomándolo")
_NOT_FINITE = re.compile(
    r"(?:ad[oa]s?|id[oa]s?|[aá]ndo|i[eé]ndo|y[eé]ndo|ar|er|ir|ír)(?:se|l[oa]s?|les?|me|te|nos)?$"
)
_YOU = frozenset({"usted", "ustedes", "su", "sus"})
#: formal connectors and report words that patient text says another way
_FORMAL = frozenset({
    "obstante", "asimismo", "consiguiente", "mediante", "dicho", "dicha", "dichos", "dichas",
    "respecto", "índole", "ámbito", "constituye", "constituyen", "denominado", "denominada",
    "denominados", "denominadas", "cabe", "conforme", "pese", "citado", "citada", "referente",
    "relativo", "relativa", "concerniente", "aunado", "ulterior", "posterior", "previo", "previa",
    "aproximadamente", "significativamente", "independientemente", "estadísticamente",
    "respectivamente", "particularmente", "fundamentalmente", "principalmente",
})  # fmt: skip


def style_signs(word: str) -> tuple[int, int, int, int, int, int]:
    """The signs (0 or 1, in ``STYLE_SIGNS`` order) of one lower-case alphabetic word."""
    base = lexicon.lemma(word, "es")
    relational = (
        len(word) > 6
        and _RELATIONAL.search(word) is not None
        and lexicon.zipf(base, "es") < RELATIONAL_ZIPF
    )
    finite = (
        len(word) > 2
        and word != base
        and _VERB_LEMMA.search(base) is not None
        and _NOT_FINITE.search(word) is None
    )
    return (
        int(len(word) >= LONG_LETTERS),
        int(relational),
        int(_NOMINAL.search(word) is not None),
        int(word in _YOU),
        int(finite),
        int(word in _FORMAL),
    )


def style_points(word: str) -> int:
    """A word's weighted signs in 1/100 grade-like units (``Counts.style`` sums them)."""
    signs = style_signs(word)
    return round(100 * sum(w * s for w, s in zip(STYLE_WEIGHTS, signs, strict=True)))


def sign_totals(words: Iterable[str]) -> tuple[int, ...]:
    """How many of ``words`` (lower-case alphabetic) carry each sign: for fitting and tests."""
    totals = [0] * len(STYLE_SIGNS)
    for w in words:
        for i, s in enumerate(style_signs(w)):
            totals[i] += s
    return tuple(totals)
