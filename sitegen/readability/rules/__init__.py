"""Sentence and word findings: jargon, abbreviations, Latin, rare words, long sentences,
passive voice and promotional wording.

Each rule is a pure function from the extracted ``Prose`` to ``Hit``s (block-relative spans);
``check`` turns hits into located ``Finding``s. The heuristics are deliberately simple and
documented in ``CODES.md``; every hit names the exact words so a writer can judge it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sitegen.readability.jargon import Glossary, JargonMatch
from sitegen.readability.model import GateSettings
from sitegen.readability.rules.abbreviations import acronyms
from sitegen.readability.rules.context import Context, Hit
from sitegen.readability.rules.latin_terms import latin
from sitegen.readability.rules.length import long_sentences
from sitegen.readability.rules.passive import passive_voice
from sitegen.readability.rules.promotion import promotional
from sitegen.readability.rules.rare import rare_words
from sitegen.readability.rules.terms import jargon_terms
from sitegen.readability.scores import PageWords
from sitegen.readability.text import Prose, Sentence, page_text

__all__ = ["Context", "Hit", "find_all", "jargon_matches"]


def jargon_matches(
    prose: Prose, glossary: Glossary, allow: frozenset[str] = frozenset()
) -> dict[int, list[JargonMatch]]:
    """Dictionary terms of every block (allow-listed terms left out), by block index.

    The blocks are matched in one call, joined by newlines: a match never crosses one (terms
    are whole tokens joined by spaces or hyphens only).
    """
    out: dict[int, list[JargonMatch]] = {i: [] for i in range(len(prose.blocks))}
    page, bases = page_text(prose)
    found = glossary.find(page, allow)
    if not found:
        return out
    block = 0
    last = len(bases) - 1
    for m in found:
        while block < last and bases[block + 1] <= m.start:
            block += 1
        base = bases[block]
        out[block].append(JargonMatch(m.start - base, m.end - base, m.entry, m.surface))
    return out


def find_all(
    prose: Prose,
    lang: str,
    settings: GateSettings,
    glossary: Glossary,
    jargon: dict[int, list[JargonMatch]] | None = None,
    pw: PageWords | None = None,
) -> list[Hit]:
    """Run every rule over the page's prose (``jargon``: precomputed ``jargon_matches``;
    ``pw``: precomputed ``page_words``)."""
    if jargon is None:
        jargon = jargon_matches(prose, glossary, frozenset(t.casefold() for t in settings.allow))
    by_block: dict[int, list[Sentence]] = defaultdict(list)
    for s in prose.sentences:
        by_block[s.block].append(s)
    ctx = Context(prose, lang, settings, glossary, jargon, by_block, pw)
    rules: tuple[Callable[[Context], list[Hit]], ...] = (
        jargon_terms,
        acronyms,
        latin,
        rare_words,
        long_sentences,
        passive_voice,
        promotional,
    )
    return [hit for rule in rules for hit in rule(ctx)]
