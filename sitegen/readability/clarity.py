"""The clear-communication score: the items of the CDC Clear Communication Index and of
PEMAT-P that a program can judge, one rule (and one code) each.

Each item is *met*, *failed* or *not applicable* to a page; the score is the share of the
applicable items met, 0-100 (the CDC index counts the same way; it calls 90 or more a
pass, PEMAT-P more than 70% understandable). A failed item is a note (CC001-CC015) at the
place it is about, or about the whole page; a page below the site's ``clarity_min`` gets a
CC000 warning. ``docs/clear-communication.md`` explains each item: its source, how it is
computed here, and what a reviewer must still judge.

The rules read what the checker has already found (extracted prose, the grade, the other
findings); they count, they do not understand. They are heuristics written to be easy to
check by hand, with the words they look for listed below.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from sitegen.core.codes import lookup
from sitegen.readability.model import Clarity, Finding, GateSettings, ItemResult
from sitegen.readability.prefilter import ascii_folded
from sitegen.readability.text import Block, Prose


class Item(NamedTuple):
    """One clear-communication item: its code, short name, what it asks and its sources."""

    code: str
    name: str
    title: str
    source: str


#: where each item comes from; its name (rule), title (meaning) and fix are in core/codes.py
SOURCES: dict[str, str] = {
    "CC001": "CDC CCI 1, 2, 10; PEMAT-P 1, 11",
    "CC002": "CDC CCI 5, 12, 14; PEMAT-P 20",
    "CC003": "CDC CCI 6; PEMAT-P 5",
    "CC004": "CDC CCI 7; PEMAT-P 3",
    "CC005": "CDC CCI 7; PEMAT-P 3",
    "CC006": "PEMAT-P 4; CDC CCI 7",
    "CC007": "CDC CCI 8; PEMAT-P 12, 22",
    "CC008": "CDC CCI 9; PEMAT-P 8, 9",
    "CC009": "CDC CCI 9; PEMAT-P 8",
    "CC010": "CDC CCI 15, 16; PEMAT-P 6",
    "CC011": "CDC CCI 17; PEMAT-P 7",
    "CC012": "CDC CCI 20; PEMAT-P 6",
    "CC013": "CDC CCI 19",
    "CC014": "PEMAT-P 21",
    "CC015": "CDC CCI 15, 16",
}

ITEMS: dict[str, Item] = {
    code: Item(code, lookup(code).rule, lookup(code).meaning, source)
    for code, source in SOURCES.items()
}

#: items dropped from the list above must not leave a hole in the codes
assert all(c == f"CC{n:03d}" for n, c in enumerate(ITEMS, 1))


# --------------------------------------------------------------------------- word lists


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP = _wordset(
    "about after also been before being could does doing from have into many more most "
    "much only other over same some such than that their them then there these they this "
    "those through under very were what when where which while will with would your you "
    "study studies people page para como pero esta este estos estas sobre entre desde "
    "hasta cuando donde porque puede pueden tiene tienen usted ustedes estudio estudios "
    "personas"
)
_ACTION = {
    "en": re.compile(
        r"(?:^|[.!?,:]\s+|\n)(?:please\s+)?(?:call|phone|ring|e-?mail|write|ask|talk|tell|contact"
        r"|visit|speak|fill|book|join|read|go|come|bring|let|send|sign|see|find|use)\b"
        r"|\byou\s+(?:can|may|could|should|will\s+need\s+to)\s+(?:also\s+)?(?:call|phone|ring"
        r"|e-?mail|write|ask|talk|contact|join|take\s+part|speak|visit|sign|find|leave|stop)\b",
        re.I,
    ),
    "es": re.compile(
        r"(?:^|[.!?,:]\s+|\n)(?:por\s+favor\s+)?(?:llame|escriba|pregunte|hable|diga|contacte"
        r"|visite|venga|traiga|lea|rellene|pida|consulte|envíe|env[ií]enos|ll[aá]menos"
        r"|escr[ií]banos|vea|busque|use)\b"
        r"|\bpuede\s+(?:también\s+)?(?:llamar|escribir|preguntar|participar|hablar|contactar"
        r"|dejar|pedir|consultar|visitar)\b",
        re.I,
    ),
}
#: words that start a step: at the start of a sentence or after a semicolon
_SEQUENCE = {
    "en": re.compile(r"(?:^|[.!?;:]\s+)(?:first|second|third|then|next|after\s+that"
                     r"|afterwards|finally|lastly)\b", re.I),
    "es": re.compile(r"(?:^|[.!?;:]\s+)(?:primero|segundo|tercero|luego|despu[eé]s"
                     r"|a\s+continuaci[oó]n|por\s+[uú]ltimo|finalmente)\b", re.I),
}  # fmt: skip
_GENERIC_HEADINGS = _wordset(
    "introduction overview background details information info more other others general "
    "notes note section part miscellaneous misc text content contents body introducción "
    "introduccion información informacion detalles otros otras general notas sección "
    "seccion parte texto contenido"
)
_DECIMAL_PERCENT = re.compile(r"\b\d+[.,]\d+\s*%")
_PERCENT = re.compile(r"\d\s*%|\b\d[\d.,]*\s*(?:percent|per\s+cent|por\s+ciento)\b", re.I)
_IN_N = re.compile(
    r"\b(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|un[oa]?|dos|tres|cuatro"
    r"|cinco|seis|siete|ocho|nueve|diez)\s+(?:in|out\s+of|of\s+every|de\s+cada|entre)\s+"
    r"(?:every\s+)?(\d[\d,]*)\b",
    re.I,
)
_CALCULATION = re.compile(
    r"\b\d+\s*/\s*\d+\b(?!\s*/)|\bper\s+(?:1,?000|10,?000|100,?000)\b"
    r"|\bpor\s+cada\s+(?:1\.?000|10\.?000|100\.?000)\b"
    r"|\b(?:subtract|multiply|divide|add\s+up|reste|multiplique|divida|sume)\b",
    re.I,
)
_RELATIVE = {
    "en": re.compile(
        r"\d\s*%\s*(?:lower|higher|less|more|fewer|greater|smaller|bigger|reduction|increase"
        r"|decrease|drop|rise)\b"
        r"|\b(?:reduce[sd]?|lower(?:s|ed)?|cut(?:s)?|raise[sd]?|increase[sd]?|decrease[sd]?)\s+"
        r"(?:\w+\s+){0,4}by\s+(?:\d+\s*%|half|a\s+third|a\s+quarter)"
        r"|\b(?:twice|half|\d+\s+times|two|three|four|five)\s+(?:times\s+)?as\s+(?:likely|many"
        r"|much|often|common)\b"
        r"|\b\d+\s+times\s+(?:more|less|higher|lower)\b|\bhalve[sd]?\b",
        re.I,
    ),
    "es": re.compile(
        r"\d\s*%\s*(?:menos|más|mas)\b|\b(?:reduce|reducir|redujo|baja|aumenta|sube)\s+"
        r"(?:\w+\s+){0,4}(?:en\s+)?(?:un\s+)?\d+\s*%|\bel\s+doble\b|\bla\s+mitad\b"
        r"|\b\d+\s+veces\s+(?:más|mas|menos)\b",
        re.I,
    ),
}
_RISK = {
    "en": re.compile(r"\b(?:risks?|side\s+effects?|harms?|discomfort|dangers?|unwanted|sore"
                     r"|bruis\w*|worse|unpleasant)\b", re.I),
    "es": re.compile(r"\b(?:riesgos?|efectos?\s+secundarios?|efectos?\s+adversos?|molestias?"
                     r"|daños?|peligros?|dolorid[oa]s?|moretones?|peor|desagradables?)\b", re.I),
}  # fmt: skip
_BENEFIT = {
    "en": re.compile(r"\b(?:benefits?|help(?:s|ed)?|improve[sd]?|better|gain|good\s+for"
                     r"|ease[sd]?|relie\w+|hurt\s+less)\b", re.I),
    "es": re.compile(r"\b(?:beneficios?|ayud(?:a|ar|ará|e|en)|mejor(?:a|ar|ará|e)?|ventajas?"
                     r"|alivi\w+)\b",
                     re.I),
}  # fmt: skip
_YOU = {
    "en": frozenset({"you", "your", "yours", "yourself", "you'll", "you're", "you've", "you'd"}),
    "es": frozenset({"usted", "ustedes", "su", "sus", "le", "les", "puede", "pueda", "podrá",
                     "podría", "tendrá", "recibirá", "quiere", "tiene", "debe", "participa"}),
}  # fmt: skip

_THEM = {
    "en": _wordset("participant participants patient patients subject subjects volunteer "
                   "volunteers individuals"),
    "es": _wordset("participante participantes paciente pacientes sujeto sujetos voluntario "
                   "voluntarios voluntaria voluntarias"),
}  # fmt: skip

# Cheap tests before the number searches above (``prefilter``): each holds wherever its
# pattern can match, so a page without a hint skips the search and the result is the same.

#: part of every ``_IN_N`` match: the space before "in", "out of" ... and the number after
_IN_N_HINT = re.compile(r"\s(?:in|out\s+of|of\s+every|de\s+cada|entre)\s+(?:every\s+)?\d", re.I)
#: the start of every ``_PERCENT`` match
_PERCENT_HINT = re.compile(r"\d[\d.,]*\s*(?:%|per|por)", re.I)
#: in ``ascii_folded`` text, part of every ``_CALCULATION`` match but the first kind ("1/3")
_CALCULATION_HINT = re.compile(r"p[eo]r\s|subtract|multipl|divid|add\s|reste|sume")
#: in ``ascii_folded`` text, part of every ``_RELATIVE`` match without a "%" but the English
#: "reduced ... by half" kind, which has "by" and one of ``_CHANGE_WORDS``
_RELATIVE_HINT = {
    "en": re.compile(r"as\s+(?:likely|many|much|often|common)|times\s|halve"),
    "es": re.compile(r"doble|mitad|veces"),
}
_BY = re.compile(r"by\s")
_CHANGE_WORDS = ("reduce", "lower", "cut", "raise", "increase", "decrease")

_WORD_TEXT = attrgetter("text")

# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Page:
    """What the rules read: prose, language, grade, settings and the other findings."""

    prose: Prose
    lang: str
    grade: float
    words: int
    sentences: int
    settings: GateSettings
    findings: Sequence[Finding]

    def codes(self, *codes: str) -> list[Finding]:
        """Unwaived findings with one of ``codes``."""
        return [f for f in self.findings if f.code in codes and not f.waived_by]

    @property
    def body(self) -> list[tuple[int, Block]]:
        """The body's blocks with their index (front-matter fields left out)."""
        return [(i, b) for i, b in enumerate(self.prose.blocks) if b.source == 0]

    @cached_property
    def text(self) -> str:
        """All the prose, one block a line."""
        return "\n".join(b.text for b in self.prose.blocks)

    @cached_property
    def folded(self) -> str:
        """``text`` as ``prefilter.ascii_folded``: for cheap tests before a search."""
        return ascii_folded(self.text)

    @cached_property
    def in_n(self) -> list[re.Match[str]]:
        """Every "x in N" form of ``text`` (``_IN_N``), in order."""
        text = self.text
        return list(_IN_N.finditer(text)) if _IN_N_HINT.search(text) else []

    @cached_property
    def percent(self) -> re.Match[str] | None:
        """The first percentage of ``text`` (``_PERCENT``)."""
        text = self.text
        return _PERCENT.search(text) if _PERCENT_HINT.search(text) else None

    def calculation(self) -> re.Match[str] | None:
        """The first calculation left to the reader in ``text`` (``_CALCULATION``)."""
        if "/" in self.text or _CALCULATION_HINT.search(self.folded):
            return _CALCULATION.search(self.text)
        return None

    def relative(self) -> re.Match[str] | None:
        """The first relative change in ``text`` (``_RELATIVE`` of the page's language)."""
        lang = self.lang if self.lang in _RELATIVE else "en"
        text, folded = self.text, self.folded
        possible = (
            "%" in text
            or _RELATIVE_HINT[lang].search(folded) is not None
            or (
                lang == "en"
                and _BY.search(folded) is not None
                and any(w in folded for w in _CHANGE_WORDS)
            )
        )
        return _RELATIVE[lang].search(text) if possible else None

    def field(self, name: str) -> Block | None:
        """The block of a front-matter field, if the page has it."""
        for b in self.prose.blocks:
            if b.source and self.prose.sources[b.source].name == name:
                return b
        return None

    def sentences_of(self, index: int) -> int:
        """How many sentences block ``index`` has."""
        return sum(1 for s in self.prose.sentences if s.block == index)


#: (met, detail, where: (block, start, end) or None)
Outcome = tuple[bool | None, str, tuple[int, int, int] | None]
NA: Outcome = (None, "", None)
MET: Outcome = (True, "", None)


def _content_words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[^\W\d_]{4,}", text.casefold()) if w not in _STOP}


def main_message(p: Page) -> Outcome:
    """CC001: a summary of one or two sentences, and a first paragraph about the same thing."""
    paragraphs = [(i, b) for i, b in p.body if b.kind in ("paragraph", "item")]
    if not paragraphs:
        return NA
    summary = p.field("summary")
    if summary is not None:
        n = len([s for s in p.prose.sentences if p.prose.blocks[s.block] is summary])
        if n > 2:
            return False, f"the summary has {n} sentences: say the main message in one or two", None
    title = p.field("title")
    about = _content_words((title.text if title else "") + " " + (summary.text if summary else ""))
    first_i, first = paragraphs[0]
    headings_before = sum(
        1 for i, b in p.body if b.kind == "heading" and b.level == 2 and i < first_i
    )
    if headings_before > 1:
        return False, "the page does not start with a paragraph: put the main message first", None
    if about and not (_content_words(first.text) & about):
        return (False, "the first paragraph does not repeat what the title and summary say the "
                "page is about", (first_i, 0, len(first.text)))  # fmt: skip
    return MET


def call_to_action(p: Page) -> Outcome:
    """CC002: a sentence that tells the reader what to do ("Call ...", "You can join ...")."""
    if p.words < 50:
        return NA
    if _ACTION.get(p.lang, _ACTION["en"]).search(p.text):
        return MET
    return False, "no sentence says what the reader can do (call, ask, join ...)", None


def active_voice(p: Page) -> Outcome:
    """CC003: at most one sentence in ten in the passive voice (RD003)."""
    if p.sentences < 5:
        return NA
    passive = len(p.codes("RD003"))
    if passive * 10 > p.sentences:
        return False, f"{passive} of {p.sentences} sentences are in the passive voice", None
    return MET


def everyday_words(p: Page) -> Outcome:
    """CC004: no word with a plainer one to use (JG001), rare words at most 1 in 100 words."""
    if p.words < 20:
        return NA
    replace = p.codes("JG001")
    if replace:
        return False, f'"{replace[0].text}" has a plainer word (JG001)', None
    rare = len(p.codes("JG005"))
    if rare * 100 > p.words:
        return False, f"{rare} rare words in {p.words} words (at most 1 in 100)", None
    return MET


def reading_grade(p: Page) -> Outcome:
    """CC005: the gate grade is within the target (pages of 50+ words)."""
    if p.words < p.settings.min_words_to_block:
        return NA
    if p.grade > p.settings.target:
        return False, f"grade {p.grade:g} is over the target {p.settings.target:g}", None
    return MET


def terms_explained(p: Page) -> Outcome:
    """CC006: no unexplained dictionary term (JG002) or abbreviation (JG003)."""
    missing = p.codes("JG002", "JG003")
    if missing:
        terms = ", ".join(f'"{f.text}"' for f in missing[:3])
        return False, f"not explained where first used: {terms}", None
    return MET


def lists(p: Page) -> Outcome:
    """CC007: no paragraph that lists steps (3+ sentences starting "First", "Then", "Next",
    "Finally" ...) or items (2+ ";")."""
    if p.words < 100:
        return NA
    seq = _SEQUENCE.get(p.lang, _SEQUENCE["en"])
    for i, b in p.body:
        if b.kind != "paragraph":
            continue
        if len(seq.findall(b.text)) >= 3 or b.text.count(";") >= 2:
            return (False, "a paragraph lists steps or items one after another: make it a list",
                    (i, 0, len(b.text)))  # fmt: skip
    return MET


def headings(p: Page) -> Outcome:
    """CC008: 2+ ``##`` headings on a page of 150+ words, none of them generic
    ("Introduction", "Details", "More information"), and no section over 350 words."""
    heads = [(i, b) for i, b in p.body if b.kind == "heading" and b.level == 2]
    if p.words < 150 and not heads:
        return NA
    if p.words >= 150 and len(heads) < 2:
        return (
            False,
            f"{p.words} words under {len(heads)} ## heading(s): split it into sections",
            None,
        )
    for i, b in heads:
        words = re.findall(r"[^\W\d_]+", b.text.casefold())
        if not words or all(w in _GENERIC_HEADINGS for w in words):
            return (
                False,
                f'heading "{b.text}" does not say what the section is about',
                (i, 0, len(b.text)),
            )
    sizes: dict[int, int] = {}
    for s in p.prose.sentences:
        block = p.prose.blocks[s.block]
        if block.source == 0 and block.section >= 0:
            sizes[block.section] = sizes.get(block.section, 0) + len(s.words)
    for section, n in sizes.items():
        if n > 350:
            title = p.prose.sections[section].title
            return False, f'section "{title}" has {n} words: split it', None
    return MET


def short_paragraphs(p: Page) -> Outcome:
    """CC009: every paragraph has at most 5 sentences and at most 100 words."""
    paragraphs = [(i, b) for i, b in p.body if b.kind == "paragraph"]
    if not paragraphs:
        return NA
    for i, b in paragraphs:
        n = p.sentences_of(i)
        words = sum(len(s.words) for s in p.prose.sentences if s.block == i)
        if n > 5 or words > 100:
            return (False, f"a paragraph of {n} sentences and {words} words (at most 5 and 100)",
                    (i, 0, len(b.text)))  # fmt: skip
    return MET


def one_number_form(p: Page) -> Outcome:
    """CC010: not both percentages and "x in 100" forms on one page."""
    pct, in_n = p.percent, (p.in_n[0] if p.in_n else None)
    if not pct and not in_n:
        return NA
    if pct and in_n:
        return (False, f'both "{pct.group(0)}" and "{in_n.group(0)}": use one form for all '
                "numbers", None)  # fmt: skip
    return MET


def no_calculation(p: Page) -> Outcome:
    """CC011: no "x in N" forms with different N (unless the page also gives them out of
    100 or 1,000, doing the sum for the reader), fractions, rates per 1,000 or arithmetic."""
    text = p.text
    if not re.search(r"\d", text):
        return NA
    denominators = {m.group(2).replace(",", "") for m in p.in_n}
    common = denominators & {"100", "1000"}
    if len(denominators) > 1 and not common:
        shown = ", ".join(sorted(denominators, key=int))
        return False, f'"x in N" with different N ({shown}): the reader has to compare them', None
    m = p.calculation()
    if m:
        return False, f'"{m.group(0)}" leaves a calculation to the reader', None
    return MET


def absolute_risk(p: Page) -> Outcome:
    """CC012: a relative change ("30% lower", "twice as likely") only with an absolute one
    ("3 in 100")."""
    m = p.relative()
    if not m:
        return NA
    if p.in_n:
        return MET
    return False, f'"{m.group(0)}" is a relative change: say it as "x in 100" too', None


def risks_and_benefits(p: Page) -> Outcome:
    """CC013: a page that speaks of risks also speaks of possible benefits; a page that must
    answer the "risks" question (study pages) speaks of both."""
    text = "\n".join(b.text for b in p.prose.blocks if b.kind != "heading")  # said, not asked
    risk = _RISK.get(p.lang, _RISK["en"]).search(text)
    benefit = _BENEFIT.get(p.lang, _BENEFIT["en"]).search(text)
    must = any(r.name == "risks" for r in p.settings.required)
    if not risk and not must:
        return NA  # a page that does not speak of risks (benefits alone: "help" is common)
    if risk and benefit:
        return MET
    missing = "possible benefits" if risk else "possible risks"
    return False, f"the page does not say what the {missing} are", None


def addresses_you(p: Page) -> Outcome:
    """CC014: the page says "you" (Spanish: usted, su, puede ...), and speaks of its readers
    as "participants", "patients", "subjects" or "volunteers" no more often than as "you"."""
    if p.words < 50:
        return NA
    you = _YOU.get(p.lang, _YOU["en"])
    them = _THEM.get(p.lang, _THEM["en"])
    # each distinct word folded once (a page says "the" and "you" many times)
    counts = Counter(map(_WORD_TEXT, chain.from_iterable(s.words for s in p.prose.sentences)))
    n_you = n_them = 0
    for word, n in counts.items():
        folded = word.casefold()
        if folded in you:
            n_you += n
        if folded in them:
            n_them += n
    if n_you == 0:
        return False, 'the page never says "you"', None
    if n_them > n_you:
        return (False, f'readers are "participants", "patients" ... {n_them} times and "you" '
                f"{n_you} times", None)  # fmt: skip
    return MET


def explains_numbers(p: Page) -> Outcome:
    """CC015: no percentage with decimals ("12.5%"): a rounded number is easier to grasp."""
    m = _DECIMAL_PERCENT.search(p.text) if "%" in p.text else None
    if m is None:
        return NA if not p.percent else MET
    return False, f'"{m.group(0)}": round it and say what it means', None


RULES: dict[str, Callable[[Page], Outcome]] = {
    "CC001": main_message,
    "CC002": call_to_action,
    "CC003": active_voice,
    "CC004": everyday_words,
    "CC005": reading_grade,
    "CC006": terms_explained,
    "CC007": lists,
    "CC008": headings,
    "CC009": short_paragraphs,
    "CC010": one_number_form,
    "CC011": no_calculation,
    "CC012": absolute_risk,
    "CC013": risks_and_benefits,
    "CC014": addresses_you,
    "CC015": explains_numbers,
}


def assess(page: Page) -> tuple[Clarity, list[tuple[str, str, tuple[int, int, int] | None]]]:
    """Every item's result and the score; plus (code, detail, where) of each failed item."""
    results = []
    failed = []
    for code, rule in RULES.items():
        met, detail, where = rule(page)
        results.append(ItemResult(code, met, detail))
        if met is False:
            failed.append((code, detail, where))
    applicable = [r for r in results if r.met is not None]
    score = (
        round(100 * sum(1 for r in applicable if r.met) / len(applicable)) if applicable else None
    )
    codes = tuple(r.code for r in results if r.met is False)
    return Clarity(score, tuple(results), codes), failed
