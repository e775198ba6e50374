"""JG003: abbreviations not spelled out at their first use (WCAG 3.1.4)."""

from __future__ import annotations

import re
from itertools import compress
from operator import attrgetter

from sitegen.readability import lexicon
from sitegen.readability.rules.context import Context, Hit, in_span
from sitegen.readability.scores import is_statistical, shouted_facts

_ACRONYM = attrgetter("acronym")  # of WordFacts
_DRUG_CODE = re.compile(r"[A-Z]{1,6}-?\d{3,}[A-Za-z0-9-]*")
_EXPANDED_AFTER = re.compile(r"\s*\(\s*[^()]*?[a-záéíóúñ]{2}")


def _caps_word(token: str, lang: str) -> bool:
    """True for an ordinary word written in capitals, as in a heading ("PLAN", "SKIN",
    "POSTOPERATIVE"): 6+ letters, or a common word of 4+ letters (Zipf >= 4, about 1 use in
    100,000 words)."""
    return (
        token.isalpha()
        and token.isupper()
        and len(token) >= 4
        and (len(token) >= 6 or lexicon.zipf(token.lower(), lang) >= 4.0)
    )


def acronyms(ctx: Context) -> list[Hit]:
    """JG003: an abbreviation of 2+ capitals not spelled out at its first use (WCAG 3.1.4)."""
    out: list[Hit] = []
    seen: set[str] = set()
    expansions = ctx.glossary.expansions
    jargon_starts = {
        (b, m.start)
        for b, ms in ctx.jargon.items()
        for m in ms
        if m.entry.kind == "replace" or not m.entry.expansion
    }
    pw = ctx.words
    louds: dict[int, frozenset[int]] = {}  # per sentence, computed when needed
    for g in compress(range(len(pw.words)), map(_ACRONYM, pw.facts)):
        w = pw.words[g]
        token = w.text
        if _DRUG_CODE.fullmatch(token):
            continue
        if _caps_word(token, ctx.lang):
            continue
        if pw.facts[g].statistical if w.raw == token else is_statistical(w.raw):
            continue
        key = token[:-1] if token.endswith("s") and token[:-1].isupper() else token
        if key in seen or ctx.settings.allows(token) or ctx.settings.allows(key):
            continue
        k = pw.sentence_of(g)
        s = ctx.prose.sentences[k]
        loud = louds.get(k)
        if loud is None:
            loud = louds[k] = shouted_facts(s, pw.sentence_facts(k))
        if g - pw.bounds[k] in loud:
            continue
        seen.add(key)
        text = ctx.prose.blocks[s.block].text
        if (s.block, w.start) in jargon_starts:
            continue  # the dictionary finding says it better
        after, before = text[w.end : s.end], text[s.start : w.start]
        if _EXPANDED_AFTER.match(after):
            continue
        if before.rstrip().endswith("(") and len(before.strip("( ").split()) >= 1:
            continue
        if in_span(ctx.prose.blocks[s.block].spans, w.start, w.end, "abbr"):
            continue
        match = next((m for m in ctx.jargon.get(s.block, ()) if m.start == w.start), None)
        full = (match.entry.expansion if match else "") or expansions.get(key, "")
        advice = f'"{full} ({key})"' if full else f'the full words, then "({key})"'
        msg = f'abbreviation "{token}" is not spelled out at first use: write {advice}'
        out.append(Hit(s.block, w.start, w.end, "acronym", "JG003", "warning", msg,
                       f"{full} ({key})" if full else "", "", key))  # fmt: skip
    return out
