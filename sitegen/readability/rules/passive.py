"""RD003: passive voice (a form of "to be" and a past participle)."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import compress
from operator import attrgetter

from sitegen.readability.rules.context import Context, Hit, quote, wordset

_LOWER_QUOTE = attrgetter("lower_quote")  # of WordFacts
_BE = {
    "en": wordset("am is are was were be been being isn't aren't wasn't weren't 's 're"),
    "es": wordset("es son fue fueron será serán sido ser siendo sería serían era eran"),
}
_ADVERBS = wordset(
    "not also often then still now already usually always never sometimes only just "
    "first regularly carefully closely randomly later no también siempre ya luego"
)
_IRREGULAR = wordset(
    "arisen awoken beaten become begun bent bitten bled blown born borne bought bound "
    "broken brought built burnt caught chosen cut dealt done drawn driven drunk eaten "
    "fallen fed felt fought found forbidden forgotten forgiven frozen given gone "
    "grown heard held hidden hit hung hurt kept knelt known laid led left lent let "
    "lost made meant met mistaken overcome paid proven put quit read rid ridden risen "
    "run said seen sent set shaken shed shown shut sold sought spent split spoken "
    "spread stolen struck stuck sung sunk sworn swept taken taught thought thrown "
    "told torn understood undertaken withdrawn woken won worn written"
)
#: "-ed" words after "to be" that are adjectives or fixed phrases, not passives
_NOT_PASSIVE = wordset(
    "located based supposed used interested concerned tired worried married scared "
    "pleased excited bored surprised aged related involved called named allowed able "
    "hundred indeed need speed seed feed bleed naked wicked sacred ragged rugged "
    "beloved learned skilled qualified experienced advanced limited detailed tailored "
    "prepared committed dedicated disabled diseased pregnant unwell unsure"
)
_PARTICIPLE_ES = re.compile(r"\w{2,}(?:ad|id)[oa]s?$")


def passive_voice(ctx: Context) -> list[Hit]:
    """RD003 (note): a form of "to be", up to two adverbs, then a past participle (-ed or an
    irregular one such as "given", "taken"). Adjectives like "located", "based", "worried"
    are skipped. Spanish: a form of "ser" and a participle in -ado/-ido."""
    be = _BE.get(ctx.lang, _BE["en"])
    out: list[Hit] = []
    pw = ctx.words
    words, facts, bounds = pw.words, pw.facts, pw.bounds
    # word indices are page-wide: ``last`` ends the sentence of the form of "to be"
    for g in compress(range(len(words)), map(be.__contains__, map(_LOWER_QUOTE, facts))):
        k = bisect_right(bounds, g) - 1
        last = bounds[k + 1]
        j = g + 1
        while j < last and j <= g + 2 and _is_adverb(facts[j].lower):
            j += 1
        if j >= last or facts[j].lower in be:
            continue
        if not _is_participle(facts[j].lower, ctx.lang):
            continue
        w, wj = words[g], words[j]
        if wj.raw != wj.text and wj.raw[0] != wj.text[0]:
            continue  # "is (treated)" or quoted: not a plain verb phrase
        s = ctx.prose.sentences[k]
        text = ctx.prose.blocks[s.block].text[w.start : wj.end]
        msg = f"passive voice {quote(text)}: say who does it"
        out.append(Hit(s.block, w.start, wj.end, "passive", "RD003", "note", msg, "", "",
                       text.lower()))  # fmt: skip
    return out


def _is_adverb(word: str) -> bool:
    return word in _ADVERBS or (word.endswith("ly") and len(word) > 4) or word.endswith("mente")


def _is_participle(word: str, lang: str) -> bool:
    if lang == "es":
        return bool(_PARTICIPLE_ES.match(word))
    if word in _NOT_PASSIVE or not word.isalpha():
        return False
    return word in _IRREGULAR or (len(word) > 4 and word.endswith("ed"))
