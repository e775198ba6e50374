"""Drop-in suggestions: the plain words of a dictionary entry fitted to where the term stands.

``drop_in`` turns a dictionary match into an ``Edit`` a writer (or ``check --fix``) can apply
as it is: the plain words take the term's number and tense ("inhibitors" -> "blockers",
"randomize" -> "choose by chance"), a capital where the term had one at a sentence start,
and a preceding "a"/"an" fixed for the new first word. English inflection comes from
``lemminflect`` (its data ships in the wheel; it is imported only when a term appears in a
form other than as written). Spanish: plural forms; other forms need the entry's ``forms``.

No edit is offered when the entry is not a safe drop-in: a ``rewrite`` or ``explain`` entry,
one without plain words or with ``fix: false``, or a form whose inflection is unknown
(a derived "-ly" or "-ation" form, say).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from sitegen.readability.jargon import Entry, _norm, spellings


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


#: words that end the head of a plain phrase: "loss of appetite" inflects "loss"
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_HEAD_END = _wordset(
    "of by with for in on at to from that who which where when about after before as than "
    "while during or and your you it de del que con para por a en al y o"
)
_SENTENCE_END = re.compile(r"(?:^|[.!?]\s*|\n\s*)[\"“‘'(\[]?\s*$")
_ARTICLE = re.compile(r"(?<![\w'’-])(a|an|A|An|AN)(\s+)$")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_YOU_SOUND = re.compile(r"^(?:u[bcfgklmnprstv][aeiouy]|eu|ew|uni|use|usu|ura|ure|uro|one\b|once)")


def article_for(word: str) -> str:
    """ "a" or "an" before ``word`` (by its first sound, as far as spelling tells)."""
    if re.match(r"[AEFHILMNORSX](?:[A-Z0-9]|-)", word):
        return "an"  # said letter by letter: "an X-ray", "an MRI", "an HbA1c" is "a"
    w = word.lower()
    if not w:
        return "a"
    if w.startswith(_SILENT_H):
        return "an"
    if w[0] in "aeiou":
        return "a" if _YOU_SOUND.match(w) else "an"
    if w[0].isdigit():
        return "an" if w[0] == "8" or w.startswith(("11", "18")) else "a"
    return "a"


def at_sentence_start(text: str, start: int) -> bool:
    """True when ``text[start]`` begins a sentence (or the text, a line or a list item)."""
    return bool(_SENTENCE_END.search(text, 0, start)) if start else True


def drop_in(text: str, start: int, end: int, entry: Entry, lang: str = "en") -> Edit | None:
    """The edit that puts ``entry``'s first plain option in place of ``text[start:end]``.

    None when the entry offers no safe drop-in (see the module docstring).
    """
    if entry.kind != "replace" or not entry.fix or not entry.plain:
        return None
    surface = text[start:end]
    before = _PREVIOUS.search(text, 0, start)
    new = plain_form(surface, entry, lang, before.group(1).lower() if before else "")
    if new is None:
        return None
    if (
        " " in new.strip()
        and not _ends_in_particle(entry.term)
        and not _noun_like(entry.term)
        and not _free_after(text, end)
    ):
        return None  # "randomized participants": a phrase does not fit before a noun
    new = _cased(new, surface, entry, at_sentence_start(text, start))
    if lang == "en":
        m = _ARTICLE.search(text, 0, start)
        if m is not None:
            first = new.split(maxsplit=1)[0] if new.strip() else ""
            want = article_for(first.strip('"“(')) if first else m.group(1).lower()
            if want != m.group(1).lower():
                art = m.group(1)
                fixed = want.capitalize() if art[0].isupper() else want
                if art.isupper() and len(art) > 1:
                    fixed = want.upper()
                return Edit(m.start(1), end, fixed + m.group(2) + new)
    return Edit(start, end, new)


_PREVIOUS = re.compile(r"([^\W\d_]+)[^\w]*\s+(?:[^\W\d_]+ly\s+)?$")
#: words after which a past form is a participle: "is performed", "has resolved"
_AUX = _wordset(
    "am is are was were be been being has have had having get gets got gotten getting 's 're"
)
_PARTICLES = _wordset("to of with for by from in on out at about into up off down over")


def _ends_in_particle(term: str) -> bool:
    """True for a term ending in a preposition or particle ("secondary to", "rule out"):
    its object follows it, so any word may come next."""
    words = term.split()
    return len(words) > 1 and words[-1].lower() in _PARTICLES


#: words after which a multi-word plain phrase still reads as English
_FOLLOWERS = _wordset(
    "to and or but in at on by for with from of as when if because so then until after before "
    "prior"
    " during than while into over under within without until y o pero en con para por de que "
    "cuando si porque"
)
_NEXT_WORD = re.compile(r"[\s\xa0]*([^\W\d_]+)")
_NOT_NOUN = (
    "ed", "ing", "ous", "al", "ive", "ic", "ory", "ary", "ize", "ise", "ate", "ible", "able",
    "ful", "less", "ly", "ado", "ada", "ido", "ida",
)  # fmt: skip


def _noun_like(term: str) -> bool:
    """True when the term's last word is a noun and not an adjective or a verb form
    (so a phrase in its place may be followed by anything: "hospital stay rates")."""
    last = term.split()[-1].lower() if term.split() else ""
    if not last.isascii():
        return not last.endswith(_NOT_NOUN)
    if last.endswith(("ed", "ing")):
        return False
    readings = _lemminflect().getAllLemmas(last)
    if not readings:
        return not last.endswith(_NOT_NOUN)
    return "NOUN" in readings and "ADJ" not in readings


def blocking_word(text: str, end: int, entry: Entry, plain: str) -> str:
    """The word after the term that a multi-word ``plain`` phrase cannot stand before
    ("participants" in "randomized participants"), or "" when the phrase fits."""
    if " " not in plain.strip() or _ends_in_particle(entry.term) or _noun_like(entry.term):
        return ""
    m = _NEXT_WORD.match(text, end)
    return "" if m is None or m.group(1).lower() in _FOLLOWERS else m.group(1)


def _free_after(text: str, end: int) -> bool:
    """True when ``text[end:]`` does not go on with a content word in the same sentence."""
    m = _NEXT_WORD.match(text, end)
    return m is None or m.group(1).lower() in _FOLLOWERS


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (overlapping ones after the first are
    left out)."""
    out: list[str] = []
    at = 0
    for e in sorted(edits):
        if e.start < at:
            continue
        out.append(text[at : e.start])
        out.append(e.new)
        at = e.end
    out.append(text[at:])
    return "".join(out)


def plain_form(surface: str, entry: Entry, lang: str = "en", previous: str = "") -> str | None:
    """``entry.plain[0]`` in the form ``surface`` has (lower case as written in the entry),
    or None when that form cannot be worked out. ``previous``: the word before the term,
    which tells a past participle from a past tense ("is performed", "performed it")."""
    plain = entry.plain[0]
    key = _norm(surface)
    forms = dict(entry.forms)
    if key in forms:
        return forms[key]
    toks = key.split()
    if not toks:
        return None
    for base in (entry.term, *entry.variants):
        btoks = _norm(base).split()
        if len(btoks) != len(toks):
            continue
        pairs = enumerate(zip(btoks, toks, strict=True))
        diff = [i for i, (a, b) in pairs if not _same(a, b, lang)]
        if not diff:
            return plain
        if lang == "es" and all(_is_plural_es(btoks[i], toks[i]) for i in diff):
            return _plural_es(plain)  # "eventos adversos" of "evento adverso"
        if len(diff) == 1:
            i = diff[0]
            if lang == "es":
                return _plural_es(plain) if _is_plural_es(btoks[i], toks[i]) else None
            tag = _tag(btoks[i], toks[i])
            if tag == "VBD" and previous in _AUX:
                tag = "VBN"  # lemminflect lists "performed" once, as VBD
            if tag is not None:
                return _inflect_phrase(plain, tag)
    # a no-space or hyphen-joined form of a multi-word term ("doubleblind")
    joined = {"".join(_norm(b).split()) for b in (entry.term, *entry.variants)}
    if len(toks) == 1 and toks[0] in joined:
        return plain
    return None


def _same(a: str, b: str, lang: str) -> bool:
    return a == b or (lang == "en" and b in spellings(a))


def _cased(new: str, surface: str, entry: Entry, sentence_start: bool) -> str:
    letters = [c for c in surface if c.isalpha()]
    shouting = (
        len(letters) > 1
        and all(c.isupper() for c in letters)
        and not entry.case_sensitive
        and entry.category != "abbreviation"
        and not (len(letters) <= 5 and len(surface.split()) == 1)
    )
    if shouting:
        return new.upper()
    acronym = (
        entry.case_sensitive
        or entry.category == "abbreviation"
        or sum(c.isupper() for c in surface) >= 2
    )
    if sentence_start or (surface[:1].isupper() and not acronym):
        return new[:1].upper() + new[1:]
    if new[:1].isupper() and new[1:2].islower():
        return new[:1].lower() + new[1:]  # "Prescription" inside a sentence
    return new


# --------------------------------------------------------------------------- English


def _lemminflect() -> Any:
    import lemminflect  # 1-3 s to load: only when a form needs inflecting

    return lemminflect


@lru_cache(maxsize=4096)
def _tag(base: str, surface: str) -> str | None:
    """The Penn tag ``surface`` has as an inflection of ``base``'s lemma ("inhibitors" of
    "inhibitor": NNS; "randomizing" of "randomized": VBG), or None if it is no inflection."""
    li = _lemminflect()
    forms = spellings(surface)
    tags: list[str] = []
    lemmas = {lemma for ls in li.getAllLemmas(base).values() for lemma in ls} | {base}
    for lemma in sorted(lemmas):
        for upos in ("NOUN", "VERB"):
            for tag, words in li.getAllInflections(lemma, upos).items():
                if forms & set(words) and tag not in tags:
                    tags.append(tag)
    if not tags:  # a word lemminflect does not list: its rules, noun first for a noun
        for upos in ("NOUN", "VERB") if _noun_like(base) else ("VERB", "NOUN"):
            if tags:
                break
            for tag, words in li.getAllInflectionsOOV(base, upos).items():
                if forms & set(words) and tag not in tags:
                    tags.append(tag)
    if not tags:
        return None
    # one form, several tags: "randomized" is VBD and VBN, "randomize" VB and VBP; "NN" can be
    # the same word as "VB" ("test"): prefer what the base itself is
    base_tags = {
        t for lemma in lemmas for t, ws in li.getAllInflections(lemma).items() if base in ws
    }
    for t in ("VBN", "VBD", "VBG", "VBZ", "VB", "VBP", "NNS", "NN"):
        if t in tags and (t[:2] == "VB") == any(b.startswith("VB") for b in base_tags or {"NN"}):
            return t
    return tags[0]


@lru_cache(maxsize=4096)
def _inflect_phrase(plain: str, tag: str) -> str | None:
    """``plain`` with its head word inflected to ``tag``: the first verb for a verb tag,
    the last word before a preposition for a noun tag."""
    li = _lemminflect()
    words = plain.split(" ")
    if tag.startswith("VB"):
        for i, w in enumerate(words):
            lemmas = li.getAllLemmas(w.lower(), "VERB").get("VERB")
            if lemmas:
                form = li.getInflection(lemmas[0], tag)
                if not form:
                    return None
                words[i] = form[0]
                return " ".join(words)
        return None
    if tag == "NNS" and (" or " in plain or " and " in plain):
        # "side effect or health problem" -> "side effects or health problems"
        if "," in plain:
            return None  # a list: which words take the plural is not clear
        parts = re.split(r"( or | and )", plain)
        done = [p if k % 2 else _inflect_phrase(p, tag) for k, p in enumerate(parts)]
        return None if None in done else "".join(d or "" for d in done)
    if tag == "NNS":
        head = len(words) - 1
        for i, w in enumerate(words):
            if i and w.lower() in _HEAD_END:
                head = i - 1
                break
        w = words[head]
        if not w.replace("-", "").isalpha():
            return None
        lemmas = li.getAllLemmas(w.lower(), "NOUN").get("NOUN") or (w.lower(),)
        form = li.getInflection(lemmas[0], "NNS")
        if not form:
            return None
        words[head] = form[0]
        return " ".join(words)
    if tag == "NN":
        return plain
    return None


# --------------------------------------------------------------------------- Spanish


def _is_plural_es(base: str, surface: str) -> bool:
    return (
        surface in (base + "s", base + "es")
        or (
            base.endswith(("ión", "ón"))
            and surface == base[:-2] + base[-2].replace("ó", "o") + "nes"
        )
        or (base.endswith("z") and surface == base[:-1] + "ces")
    )


_ES_ACCENT = str.maketrans("áéíóú", "aeiou")


def _plural_es(plain: str) -> str:
    """Every word of ``plain`` up to its first preposition in the plural."""
    out = []
    words = plain.split(" ")
    for i, w in enumerate(words):
        if i and w.lower() in _HEAD_END:
            out.extend(words[i:])
            break
        out.append(_plural_word_es(w))
    return " ".join(out)


def _plural_word_es(w: str) -> str:
    if not w or not w[-1].isalpha():
        return w
    if w[-1] in "aeiouáéó":
        return w + "s"
    if w.endswith("z"):
        return w[:-1] + "ces"
    if w.endswith(("ón", "ión", "án", "és")):
        return w[:-2] + w[-2].translate(_ES_ACCENT) + w[-1] + "es"
    return w + "es"


def example_result(entry: Entry, lang: str, find: Any) -> str | None:
    """``entry.example`` with the drop-in applied at the entry's first match (``find``: a
    ``Glossary.find``), or None when the example does not match the entry or offers no edit."""
    for m in find(entry.example):
        if m.entry.term == entry.term:
            edit = drop_in(entry.example, m.start, m.end, m.entry, lang)
            if edit is None:
                return None
            return apply_edits(entry.example, [edit])
    return None
