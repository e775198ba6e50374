"""Sentence and word findings: jargon, abbreviations, Latin, rare words, long sentences,
passive voice and promotional wording.

Each rule is a pure function from the extracted ``Prose`` to ``Hit``s (block-relative spans);
``check`` turns hits into located ``Finding``s. The heuristics are deliberately simple and
documented in ``CODES.md``; every hit names the exact words so a writer can judge it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress, repeat
from operator import attrgetter, is_, itemgetter
from typing import NamedTuple

from sitegen.readability import lexicon
from sitegen.readability.jargon import Glossary, JargonMatch
from sitegen.readability.model import FindingSeverity, GateSettings
from sitegen.readability.scores import (
    PageWords,
    is_acronym,
    is_statistical,
    page_words,
    shouted_facts,
)
from sitegen.readability.suggest import Edit, blocking_word, drop_in, plain_form
from sitegen.readability.text import Prose, Sentence, Span, page_text

_ACRONYM = attrgetter("acronym")  # of WordFacts
_LOWER_QUOTE = attrgetter("lower_quote")  # of WordFacts
_TEXT = itemgetter(2)  # Word.text


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


class Hit(NamedTuple):
    """A finding before it is located in the file: ``block.text[start:end]``."""

    block: int
    start: int
    end: int
    rule: str
    code: str
    severity: FindingSeverity
    message: str
    suggestion: str = ""
    definition: str = ""
    key: str = ""
    #: a safe drop-in: replace ``block.text[fix.start:fix.end]`` with ``fix.new``
    fix: Edit | None = None


@dataclass(frozen=True)
class Context:
    """What every rule may read."""

    prose: Prose
    lang: str
    settings: GateSettings
    glossary: Glossary
    jargon: dict[int, list[JargonMatch]]  # per block
    by_block: dict[int, list[Sentence]]
    #: the ``page_words`` of the prose (computed when not given)
    pw: PageWords | None = None

    @cached_property
    def words(self) -> PageWords:
        """Every word of the page with its facts (``scores.page_words``)."""
        return self.pw if self.pw is not None else page_words(self.prose.sentences, self.lang)

    @cached_property
    def page_text(self) -> tuple[str, list[int]]:
        """Every block's text joined with newlines, and where each block starts in it."""
        return page_text(self.prose)

    @cached_property
    def folded_page(self) -> str:
        """``fold`` of ``page_text``: to look for plain lower-case ASCII hints."""
        return fold(self.page_text[0])

    def sentence_at(self, block: int, pos: int) -> tuple[int, int]:
        """Bounds of the sentence containing ``pos`` in a block (the whole block if none)."""
        for s in self.by_block.get(block, ()):
            if s.start <= pos < s.end:
                return s.start, s.end
        return 0, len(self.prose.blocks[block].text)


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


def _quote(text: str) -> str:
    return f'"{" ".join(text.split())}"'


def _in_span(spans: tuple[Span, ...], start: int, end: int, kind: str) -> Span | None:
    for sp in spans:
        if sp.kind == kind and sp.start <= start and end <= sp.end:
            return sp
    return None


# --------------------------------------------------------------------------- jargon

_EXPLAINED_AFTER = re.compile(
    r"\s*(?:\(|[:–—]\s*\w|,?\s*(?:which|that|this|it)\s+means\b|\s*means\b"
    r"|\s*(?:is|are)\s+(?:a|an|when|where|how|what)\b|,\s*(?:or|i\.?e\.?)\s)",
    re.I,
)
_EXPLAINED_AFTER_ES = re.compile(
    r"\s*(?:\(|[:–—]\s*\w|,?\s*(?:que|lo que)\s+significa\b|\s*significa\b"
    r"|\s*(?:es|son)\s+(?:un|una|unos|unas|cuando|donde)\b)",
    re.I,
)
_CALLED_BEFORE = re.compile(r"(?:called|known\s+as|llamad[oa]s?|conocid[oa]s?\s+como)\s+"
                            r"(?:(?:a|an|the|un|una|el|la)\s+)?$", re.I)  # fmt: skip


_NAMED_BEFORE = re.compile(
    r"(?:called|known\s+as|(?:word|term|name)\s+for\s+(?:this|it|that)\s+is"
    r"|(?:se\s+)?llam(?:a|an|ad[oa]s?)|conocid[oa]s?\s+como"
    r"|(?:palabra|término|nombre)(?:\s+\w+)?\s+(?:para\s+esto\s+)?es)"
    r"\s+(?:(?:a|an|the|un|una|el|la)\s+)?[\"“‘']?$",
    re.I,
)


def is_introduced(ctx: Context, block: int, start: int, end: int) -> bool:
    """True when a ``replace`` term is named after its plain explanation, not used as jargon.

    "Swelling of the pancreas (pancreatitis)", "This is called blinding.", "The medical word
    for this is randomization." teach the word a patient will hear; using it afterwards
    without the plain words is still jargon.
    """
    b = ctx.prose.blocks[block]
    s0, _ = ctx.sentence_at(block, start)
    before = b.text[s0:start]
    after = b.text[end:]
    if before.rstrip().endswith("(") and after.lstrip().startswith(")") and before.strip("( "):
        return True
    return bool(_NAMED_BEFORE.search(before))


def is_explained(ctx: Context, block: int, start: int, end: int) -> bool:
    """True when a term at ``text[start:end]`` is explained where it is used.

    Explained: followed in the same sentence by a parenthesis, a colon or dash, "which means",
    "means", "is a/an/when/where"; written inside parentheses after its explanation ("a dummy
    treatment (placebo)"); introduced with "called"/"known as"; linked to the site glossary;
    or wrapped in ``<abbr title>``/``<dfn>``.
    """
    b = ctx.prose.blocks[block]
    s0, s1 = ctx.sentence_at(block, start)
    after = b.text[end:s1]
    before = b.text[s0:start]
    pattern = _EXPLAINED_AFTER_ES if ctx.lang == "es" else _EXPLAINED_AFTER
    if pattern.match(after):
        return True
    if before.rstrip().endswith("(") and after.lstrip().startswith(")") and before.strip("( "):
        return True
    if _CALLED_BEFORE.search(before):
        return True
    link = _in_span(b.spans, start, end, "link")
    if link is not None and "glossary" in link.value.lower():
        return True
    abbr = _in_span(b.spans, start, end, "abbr")
    return abbr is not None


def jargon_terms(ctx: Context) -> list[Hit]:
    """JG001 for every ``replace`` term; JG002 for an ``explain`` term unexplained at first use."""
    out: list[Hit] = []
    seen_explain: set[str] = set()
    severity: FindingSeverity = "error" if ctx.settings.block_on_replace_jargon else "warning"
    in_body = {
        m.entry.term.casefold()
        for block, matches in ctx.jargon.items()
        if ctx.prose.blocks[block].kind != "field"
        for m in matches
    }
    for block, matches in ctx.jargon.items():
        for m in matches:
            e = m.entry
            key = e.term.casefold()
            if e.kind == "replace":
                if key not in seen_explain and is_introduced(ctx, block, m.start, m.end):
                    seen_explain.add(key)  # named once after its plain explanation: fine
                    continue
                out.append(_replace_hit(ctx, block, m, severity))
                continue
            if e.kind == "rewrite":
                msg = f"{_quote(m.surface)} has no word-for-word swap: {e.how}"
                if e.example and e.expected:
                    msg += f' For example, "{e.example}" becomes "{e.expected}"'
                out.append(Hit(block, m.start, m.end, "jargon", "JG001", severity, msg, "",
                               e.definition, key))  # fmt: skip
                continue
            if e.expansion and is_acronym(m.surface, ctx.lang):
                continue  # an abbreviation: JG003 asks for its expansion at first use
            if key in seen_explain:
                continue
            seen_explain.add(key)
            if is_explained(ctx, block, m.start, m.end):
                continue
            if ctx.prose.blocks[block].kind != "field" or key in in_body:
                # In the page text the site marks the first use up as a definition a patient
                # can open (sitegen/render/definitions.py); front-matter text (title, summary,
                # eligibility bullets) gets no such markup, so it needs its own explanation
                # unless the page text uses, and so defines, the term too.
                continue
            msg = f"{_quote(m.surface)} needs a short explanation where it is first used"
            out.append(Hit(block, m.start, m.end, "jargon", "JG002", "warning", msg,
                           e.plain[0] if e.plain else "", e.definition, key))  # fmt: skip
    return out


def _replace_hit(ctx: Context, block: int, m: JargonMatch, severity: FindingSeverity) -> Hit:
    """JG001 for a ``replace`` term: its plain words in the term's form, and the edit that
    puts them in place when that is safe (inside a link it never is)."""
    e = m.entry
    text = ctx.prose.blocks[block].text
    fix = None
    if e.example and not _in_span(ctx.prose.blocks[block].spans, m.start, m.end, "link"):
        fix = drop_in(text, m.start, m.end, e, ctx.lang)
    if fix is not None:
        plain: str | None = fix.new  # with its article when that changed: "a study doctor"
    elif e.plain:
        plain = plain_form(m.surface, e, ctx.lang) if e.fix else None
        plain = plain or e.plain[0]
    else:
        plain = ""
    if plain:
        msg = f'jargon {_quote(m.surface)}: say "{plain}"'
        after = blocking_word(text, m.end, e, plain) if fix is None and e.example else ""
        if after:  # "randomized participants": the verb's plain words need a new sentence
            msg += f' (reword the sentence: these words do not fit before "{after}")'
    else:
        msg = f"jargon {_quote(m.surface)}: use everyday words"
    return Hit(block, m.start, m.end, "jargon", "JG001", severity, msg, plain or "", e.definition,
               e.term.casefold(), fix)  # fmt: skip


# --------------------------------------------------------------------------- acronyms

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
        if _in_span(ctx.prose.blocks[s.block].spans, w.start, w.end, "abbr"):
            continue
        match = next((m for m in ctx.jargon.get(s.block, ()) if m.start == w.start), None)
        full = (match.entry.expansion if match else "") or expansions.get(key, "")
        advice = f'"{full} ({key})"' if full else f'the full words, then "({key})"'
        msg = f'abbreviation "{token}" is not spelled out at first use: write {advice}'
        out.append(Hit(s.block, w.start, w.end, "acronym", "JG003", "warning", msg,
                       f"{full} ({key})" if full else "", "", key))  # fmt: skip
    return out


# --------------------------------------------------------------------------- Latin

_LATIN = (
    (r"\be\.\s?g\.|\beg\.(?=\s)", "e.g.", "for example", "por ejemplo"),
    (r"\bi\.\s?e\.", "i.e.", "that is", "es decir"),
    (r"\betc\b\.?", "etc.", "and so on", "y otros"),
    (r"\bvs\b\.?", "vs.", "compared with", "frente a"),
    (r"\bviz\b\.", "viz.", "namely", "a saber"),
    (r"\bcf\b\.", "cf.", "see", "véase"),
    (r"\bet\s+al\b\.?", "et al.", "and others", "y otros"),
)
#: the lookahead only lets the engine skip ahead: every abbreviation starts with e, i, v or c
_LATIN_RE = re.compile(
    "(?=[eivc])(?:" + "|".join(f"(?P<l{i}>{p})" for i, (p, *_) in enumerate(_LATIN)) + ")", re.I
)


#: Each abbreviation's match starts with a match of this in ``fold``-ed text (no word
#: boundaries, lower case): only the blocks it touches are searched with ``_LATIN_RE``.
_LATIN_HINT = re.compile(r"e\.\s?g\.|eg\.|i\.\s?e\.|etc|vs|viz\.|cf\.|et\s+al")


_ET_AL = re.compile(r"et\s+al")


def _may_have_latin(folded: str) -> bool:
    """False when no ``_LATIN_HINT`` can match: each needs one of these (quick) substrings."""
    return (
        "g." in folded  # e.g., eg.
        or "i." in folded  # i.e.
        or "etc" in folded
        or "vs" in folded
        or "viz." in folded
        or "cf." in folded
        or _ET_AL.search(folded) is not None
    )


def latin(ctx: Context) -> list[Hit]:
    """JG004: Latin abbreviations (e.g., i.e., etc., vs., viz., cf., et al.)."""
    out: list[Hit] = []
    blocks = ctx.prose.blocks
    page, bases = ctx.page_text
    folded = ctx.folded_page
    if not _may_have_latin(folded):
        return out
    todo: Iterable[int] = range(len(blocks))
    if len(folded) == len(page):  # always (see ``promotional``)
        found: set[int] = set()
        for m in _LATIN_HINT.finditer(folded):
            first = bisect_right(bases, m.start()) - 1
            found.update(range(first, bisect_right(bases, m.end() - 1, first)))
        todo = sorted(found)
    for i in todo:
        b = blocks[i]
        for m in _LATIN_RE.finditer(b.text):
            idx = int(m.lastgroup[1:])  # type: ignore[index]
            _, name, en, es = _LATIN[idx]
            plain = es if ctx.lang == "es" else en
            msg = f'Latin abbreviation {_quote(m.group())}: say "{plain}"'
            out.append(Hit(i, m.start(), m.end(), "latin", "JG004", "warning", msg, plain, "",
                           name))  # fmt: skip
    return out


# --------------------------------------------------------------------------- rare words

_RARE_PART = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_UNITS = _wordset("mg mcg µg ug kg g ml mL l dl mmhg mmol iu bpm cm mm km")


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
            f"a word few readers know: {_quote(part)} ({how_rare(z)}): use a common word or "
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


# --------------------------------------------------------------------------- sentences


def long_sentences(ctx: Context) -> list[Hit]:
    """RD002: sentences longer than ``max_sentence_words``."""
    limit = ctx.settings.max_sentence_words
    return [
        Hit(
            s.block,
            s.start,
            s.end,
            "long-sentence",
            "RD002",
            "warning",
            f"sentence of {len(s.words)} words; aim for {limit} or fewer",
        )
        for s in ctx.prose.sentences
        if len(s.words) > limit
    ]


_BE = {
    "en": _wordset("am is are was were be been being isn't aren't wasn't weren't 's 're"),
    "es": _wordset("es son fue fueron será serán sido ser siendo sería serían era eran"),
}
_ADVERBS = _wordset(
    "not also often then still now already usually always never sometimes only just "
    "first regularly carefully closely randomly later no también siempre ya luego"
)
_IRREGULAR = _wordset(
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
_NOT_PASSIVE = _wordset(
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
        msg = f"passive voice {_quote(text)}: say who does it"
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


# --------------------------------------------------------------------------- promotional


class _Promo(NamedTuple):
    pattern: re.Pattern[str]
    advice: str
    check: Callable[[str, re.Match[str]], bool] | None = None
    #: lower-case ASCII text every match contains one of (``_PROMO_HINTS``), () = no filter
    hints: tuple[str, ...] = ()


_DOUBT = re.compile(
    r"\b(?:if|whether|how|no|not|never|cannot|can't|without|check|test|tested|testing|"
    r"find\s+out|learn|see|unknown|si|cómo|sin|comprobar|saber)\b",
    re.I,
)
_TESTED = re.compile(
    r"\b(?:being\s+tested|investigational|experimental|stud(?:y|ies|ied)|trial|research|"
    r"en\s+estudio|experimental|en\s+investigaci[oó]n|investigacional|se\s+est[aá]\s+probando|"
    r"estudio|ensayo)\b",
    re.I,
)
_PAYMENT = re.compile(
    r"\b(?:pay|paid|payment|payments|money|cash|compensat\w*|reimburs\w*|earn|gift\s+card|"
    r"voucher|pago|pagos|pagar|pagamos|dinero|compensaci[oó]n|reembols\w*)\b|[$£€]",
    re.I,
)
_CLAIM_BEFORE = re.compile(
    r"\b(?:is|are|be|been|was|were|very|completely|totally|perfectly|entirely|absolutely|"
    r"proven|always|100\s?%|es|son|totalmente|completamente|absolutamente|muy)\s+$",
    re.I,
)


_HEDGE = re.compile(r"\b(?:most|usually|generally|mostly|normally|la\s+mayor[ií]a)\b", re.I)


_CLAIM_AFTER = re.compile(
    r"\s+(?:and\s+effective|treatment|medicine|drug|for\s+(?:you|everyone)|y\s+eficaz|"
    r"para\s+todos)\b",
    re.I,
)


def _not_doubted(sentence: str, m: re.Match[str]) -> bool:
    before = sentence[: m.start()].split()[-8:]
    return not _DOUBT.search(" ".join(before)) and not _HEDGE.search(sentence)


def _safe_claim(sentence: str, m: re.Match[str]) -> bool:
    before = sentence[: m.start()]
    after = sentence[m.end() :]
    claim = bool(_CLAIM_BEFORE.search(before)) or bool(_CLAIM_AFTER.match(after))
    return claim and _not_doubted(sentence, m)


def _new_without_testing(sentence: str, m: re.Match[str]) -> bool:
    return not _TESTED.search(sentence)


def _not_negated(sentence: str, m: re.Match[str]) -> bool:
    before = " ".join(sentence[: m.start()].split()[-3:])
    return not re.search(r"\b(?:no|not|cannot|can't|without|never|sin)\b", before, re.I)


def _payment(sentence: str, m: re.Match[str]) -> bool:
    return bool(_PAYMENT.search(sentence))


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I)


_PROMO = {
    "en": (
        _Promo(_rx(r"\b(?:complete(?:ly)?|total(?:ly)?|perfect(?:ly)?|absolutely|100\s?%)\s+safe\b"),
               "do not promise safety; describe the known risks", _not_doubted),
        _Promo(_rx(r"(?<![\w-])safe\b(?![-\w])"), "do not promise safety; describe the known risks",
               _safe_claim),
        _Promo(_rx(r"\bcur(?:e|es|ed)\b"), "do not promise a cure", _not_doubted),
        _Promo(_rx(r"\bbreakthroughs?\b(?!\s+(?:pain|bleeding|infections?|seizures?|cancer|"
                   r"disease|symptoms?))"), "describe the study neutrally"),
        _Promo(_rx(r"\bmiracles?\b|\bmiraculous\b|\bwonder\s+drugs?\b"),
               "describe the study neutrally"),
        _Promo(_rx(r"\bguarantee[ds]?\b"), "do not promise results", _not_negated),
        _Promo(_rx(r"\bproven\b"), "say what is known and what is not", _not_negated),
        _Promo(_rx(r"\b(?:revolutionary|groundbreaking|cutting[- ]edge|life[- ]changing)\b"),
               "describe the study neutrally"),
        _Promo(_rx(r"\bfree\s+(?:treatment|medicines?|medications?|drugs?|care|therapy)\b"),
               'say what it costs you, e.g. "the study medicine costs you nothing"'),
        _Promo(_rx(r"\bnew\s+(?:treatments?|drugs?|medicines?|medications?|therap(?:y|ies))\b"),
               'say it is being tested, e.g. "a study medicine"', _new_without_testing),
        _Promo(_rx(r"\bact\s+now\b|\bdon't\s+miss\b|\blimited\s+places\b"),
               "do not pressure people to join"),
        _Promo(_rx(r"!"), "state payment plainly, without an exclamation mark", _payment),
    ),
    "es": (
        _Promo(_rx(r"\b(?:totalmente|completamente|absolutamente|100\s?%)\s+segur[oa]s?\b"),
               "no prometa seguridad; describa los riesgos conocidos", _not_doubted),
        _Promo(_rx(r"\bcura(?:r|rá|rán|n)?\b"), "no prometa una cura", _not_doubted),
        _Promo(_rx(r"\bmilagros?\b|\bmilagros[oa]s?\b"), "describa el estudio de forma neutral"),
        _Promo(_rx(r"\bgarantiza(?:d[oa]s?|r)?\b|\bgarant[ií]as?\b"), "no prometa resultados",
               _not_negated),
        _Promo(_rx(r"\bgratis\b|\b(?:tratamiento|medicamento|medicina)s?\s+gratuit[oa]s?\b"),
               'diga lo que le cuesta, p. ej. "no le cuesta nada"'),
        _Promo(_rx(r"\b(?:tratamiento|medicamento|f[aá]rmaco|terapia)s?\s+nuev[oa]s?\b|"
                   r"\bnuev[oa]s?\s+(?:tratamiento|medicamento|f[aá]rmaco|terapia)s?\b"),
               'diga que se está probando, p. ej. "un medicamento en estudio"',
               _new_without_testing),
        _Promo(_rx(r"\brevolucionari[oa]s?\b"), "describa el estudio de forma neutral"),
        _Promo(_rx(r"\bact[uú]e\s+(?:ahora|ya)\b"), "no presione para participar"),
        _Promo(_rx(r"[!¡]"), "indique el pago sin signos de exclamación", _payment),
    ),
}  # fmt: skip


#: Per ``_PROMO`` entry, text one of which every match contains (case-insensitively): a
#: sentence (or page) without any of them is not searched with that pattern.
_PROMO_HINTS = {
    "en": (("safe",), ("safe",), ("cur",), ("breakthrough",), ("mirac", "wonder"),
           ("guarantee",), ("proven",), ("revolutionary", "groundbreaking", "cutting", "life"),
           ("free",), ("new",), ("act", "don't", "limited"), ("!",)),
    "es": (("segur",), ("cura",), ("milagro",), ("garant",), ("gratis", "gratuit"), ("nuev",),
           ("revolucionari",), ("act",), ("!", "¡")),
}  # fmt: skip
_PROMO = {
    lang: tuple(p._replace(hints=h) for p, h in zip(table, _PROMO_HINTS[lang], strict=True))
    for lang, table in _PROMO.items()
}
#: the only non-ASCII characters that match an ASCII letter under ``re.I`` and do not lower-case
#: to it (the Kelvin sign does)
_FOLD_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold(text: str) -> str:
    """``text`` lower-cased so that ``hint in fold(text)`` holds whenever ``text`` contains
    the lower-case ASCII ``hint`` under ``re.I`` (same length as ``text``)."""
    if text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        return text.lower()
    return text.translate(_FOLD_FIXES).lower()


def promotional(ctx: Context) -> list[Hit]:
    """PR001: promotional or coercive wording (cure, breakthrough, miracle, guaranteed, proven,
    "safe" as a claim, "free treatment", "new treatment" outside a testing context, "act now",
    "!" about payment)."""
    severity: FindingSeverity = "error" if ctx.settings.block_on_promotional else "warning"
    table = _PROMO.get(ctx.lang, _PROMO["en"])
    sentences = ctx.prose.sentences
    out: list[Hit] = []
    # each pattern runs only on the sentences that contain one of its hints (table order kept)
    always = {k for k, p in enumerate(table) if not p.hints}
    todo: dict[int, set[int]] = {}
    page, bases = ctx.page_text
    folded = ctx.folded_page
    if len(folded) != len(page):  # cannot happen (only U+0130 lower-cases to two characters)
        always = set(range(len(table)))
    else:
        starts = [bases[s.block] + s.start for s in sentences]
        ends = [bases[s.block] + s.end for s in sentences]
        for k, promo in enumerate(table):
            for hint in promo.hints:
                at = folded.find(hint)
                while at >= 0:
                    i = bisect_right(starts, at) - 1
                    if i >= 0 and at + len(hint) <= ends[i]:  # inside sentence i
                        todo.setdefault(i, set()).add(k)
                    at = folded.find(hint, at + 1)
    for i in range(len(sentences)) if always else sorted(todo):
        s = sentences[i]
        run = todo.get(i, always)
        taken: list[tuple[int, int]] = []
        for k in sorted(run | always):
            promo = table[k]
            for m in promo.pattern.finditer(s.text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                if promo.check is not None and not promo.check(s.text, m):
                    continue
                taken.append(m.span())
                text = m.group()
                msg = f"promotional wording {_quote(text)}: {promo.advice}"
                out.append(Hit(s.block, s.start + m.start(), s.start + m.end(), "promotional",
                               "PR001", severity, msg, "", "", text.lower()))  # fmt: skip
    return out
