"""The jargon dictionary: load ``data/jargon.<lang>.yml`` plus site glossaries, and match it.

Matching runs once over a text's word tokens whatever the dictionary size: every entry is
expanded when the glossary loads into its surface forms (inflections, British/American
spellings, hyphen/space/no-space variants) and stored in a token trie, so finding terms is one
walk over the tokens with a dictionary lookup per step, leftmost-longest first. Matches need
word boundaries (they are whole tokens) and may cross a hyphen or spaces, never other
punctuation. ``case_sensitive`` entries (acronyms such as "CT") match their exact spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate, chain, compress, islice
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from sitegen.core.diagnostics import Diagnostic, Severity

DATA = Path(__file__).parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when built, else Python
KINDS = ("replace", "explain", "rewrite")
_KEYS = {"term", "kind", "plain", "definition", "category", "variants", "case_sensitive",
         "expansion", "note", "notes", "source", "example", "expected", "how", "not_before",
         "not_after", "forms", "fix"}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One dictionary entry: ``replace`` terms have plain words, ``explain`` terms need a
    short explanation at first use, ``rewrite`` terms need the sentence rewritten (``how``).

    ``example`` is a sentence that uses the term; for ``replace`` entries ``expected`` is that
    sentence with the first plain option applied mechanically (``suggest.drop_in``), for
    ``rewrite`` entries a rewrite by hand shown to the writer. ``not_before``/``not_after``:
    word sequences that, right after/before the term, stop it matching. ``forms``: the exact
    replacement of a surface form (lower case) where inflecting ``plain`` would be wrong.
    ``fix``: False when the plain words are advice, never to be applied automatically.
    """

    term: str
    kind: str
    plain: tuple[str, ...] = ()
    definition: str = ""
    category: str = ""
    variants: tuple[str, ...] = ()
    case_sensitive: bool = False
    expansion: str = ""
    source: str = ""
    example: str = ""
    expected: str = ""
    how: str = ""
    not_before: tuple[tuple[str, ...], ...] = ()
    not_after: tuple[tuple[str, ...], ...] = ()
    forms: tuple[tuple[str, str], ...] = ()
    fix: bool = True

    @cached_property
    def comma(self) -> bool:
        """True when the term or a variant is written with a comma (a match may cross one)."""
        return any("," in t for t in (self.term, *self.variants))


class JargonMatch(NamedTuple):
    """A dictionary term found in a text: ``text[start:end]`` is ``surface``."""

    start: int
    end: int
    entry: Entry
    surface: str


# --------------------------------------------------------------------------- surface forms

_SPELLING = [
    # British -> American and back, on one lower-case word
    (re.compile(r"(?<=\w\w\w)is(?=e[sdr]?$|ers$|ing$|ations?$)"), "iz"),
    (re.compile(r"(?<=\w\w\w)iz(?=e[sdr]?$|ers$|ing$|ations?$)"), "is"),
    (re.compile(r"(?<=\w)ys(?=e[sdr]?$|ing$)"), "yz"),
    (re.compile(r"(?<=\w)yz(?=e[sdr]?$|ing$)"), "ys"),
    (re.compile(r"(?<=\w\w)our(?=s?$|ed$|ing$|al$|able$)"), "or"),
    (re.compile(r"(?<=\w\w[^aeiou])or(?=s?$)"), "our"),
    (re.compile(r"(?<=\w[^aeiou])re(?=s?$)"), "er"),
    (re.compile(r"(?<=\w[bt])er(?=s?$)"), "re"),
    (re.compile(r"(?<=\w)ae(?=\w)|^ae(?=\w{3})"), "e"),
    (re.compile(r"(?<=\w)oe(?=\w)(?!s?$)|^oe(?=\w{3})"), "e"),
    (re.compile(r"^hem"), "haem"),
    (re.compile(r"(?<=\w)emi(?=as?$|c$|cs$)"), "aemi"),
    (re.compile(r"^ed(?=em)"), "oed"),
    (re.compile(r"^esoph"), "oesoph"),
    (re.compile(r"^estr"), "oestr"),
    (re.compile(r"^fet(?=[au])"), "foet"),
    (re.compile(r"^celiac"), "coeliac"),
    (re.compile(r"rrhea"), "rrhoea"),
    (re.compile(r"pnea"), "pnoea"),
    (re.compile(r"^etiol"), "aetiol"),
    (re.compile(r"ped(?=ia|ic)"), "paed"),
    (re.compile(r"anesth"), "anaesth"),
    (re.compile(r"gynec"), "gynaec"),
    (re.compile(r"^cesar"), "caesar"),
    (re.compile(r"^fec(?=es|al)"), "faec"),
    (re.compile(r"(?<=[aeiou])l(?=ed$|ing$|ers?$)"), "ll"),
    (re.compile(r"(?<=[aeiou])ll(?=ed$|ing$|ers?$)"), "l"),
    (re.compile(r"ogue(?=s?$)"), "og"),
    (re.compile(r"sulph"), "sulf"),
    (re.compile(r"sulf"), "sulph"),
]
_VOWELS = "aeiou"


def spellings(word: str) -> set[str]:
    """British and American spellings of one lower-case English word (the word included)."""
    return set(_spellings(word))


@lru_cache(maxsize=65_536)
def _spellings(word: str) -> frozenset[str]:
    out = {word}
    if len(word) < 4 or not word.isalpha():
        return frozenset(out)
    for pattern, repl in _SPELLING:
        for w in list(out):
            v = pattern.sub(repl, w)
            if v != w:
                out.add(v)
        if len(out) > 16:
            break
    return frozenset(out)


def inflections(word: str, lang: str = "en") -> set[str]:
    """Regular inflections of one lower-case word (the word included).

    English: plurals (-s, -es, -ies, Latin -a/-ae/-i/-es), verb forms (-ed/-d, -ing, -ies/-ied,
    doubled final consonant), the -ly adverb, and the -ation noun of verbs in
    -ate/-ize/-ise/-yze; a term in -ized/-ated also matches its verb ("randomized": "randomize",
    "randomizing", "randomization"). Spanish: plural and gender endings.
    """
    if not word.isalpha():
        return {word, word + "s"}
    if lang == "es":
        return _inflections_es(word)
    w = word
    out = {w}
    if len(w) < 3:
        return out | {w + "s"}
    if w.endswith(("ized", "ised", "ated", "yzed", "ysed")):
        base = w[:-1]
        noun = _ation(base)
        return out | {base, base + "s", base[:-1] + "ing", noun, noun + "s"}
    if w.endswith("ed"):
        return out | {w[:-2] + "ing"}
    if w.endswith(("ing", "ation", "ness", "ment")):
        return out | {w + "s"}
    if w.endswith("y") and w[-2] not in _VOWELS:
        out |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        out |= {w + "es", w + "ed", w + "ing"}
    else:
        out.add(w + "s")
    if w.endswith("e"):
        out |= {w + "d", w[:-1] + "ing"}
    elif not w.endswith("y") or w[-2] in _VOWELS:
        out |= {w + "ed", w + "ing"}
        if len(w) <= 6 and re.search(r"[^aeiou][aeiou][bdgmnprt]$", w):
            out |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    if w.endswith(("ate", "ize", "ise", "yze")):
        out |= {_ation(w), _ation(w) + "s"}
    # the -ly adverb of an adjective (bilateral -> bilaterally, systemic -> systemically)
    if w.endswith("ic"):
        out.add(w + "ally")
    elif w.endswith("le"):
        out.add(w[:-1] + "y")
    elif w.endswith("y") and w[-2] not in _VOWELS:
        out.add(w[:-1] + "ily")
    elif not w.endswith(("ly", "e", "y")) or (w.endswith("e") and w[-2] not in _VOWELS):
        out.add(w + "ly")
    # Latin and Greek plurals
    if len(w) >= 5:
        for sing, plur in (("is", "es"), ("us", "i"), ("um", "a"), ("rion", "ria"), ("a", "ae"),
                           ("ix", "ices"), ("ex", "ices")):  # fmt: skip
            if w.endswith(sing):
                out.add(w[: -len(sing)] + plur)
    return out


def _ation(verb: str) -> str:
    """The -ation noun of a verb in -ate/-ize/-ise/-yze: titrate -> titration."""
    return verb[:-3] + "ation" if verb.endswith("ate") else verb[:-1] + "ation"


#: Spanish words that end the agreeing part of a phrase ("criterios de inclusión")
_ES_LINKS = frozenset({"de", "del", "con", "en", "por", "para", "a", "al", "sin", "y", "o",
                       "la", "el", "los", "las", "que"})  # fmt: skip


def _plural_es(w: str) -> str:
    """The plural of one Spanish noun or adjective (regular forms)."""
    if w.endswith(("ción", "sión", "ón")):
        return w[:-2] + "ones"
    if w.endswith("z"):
        return w[:-1] + "ces"
    if w[-1] in "aeiouéó":
        return w + "s"
    if w.endswith("s") and len(w) > 4 and w[-2] not in "áéíóú":
        return w  # "análisis", "tórax" pattern: unchanged
    return w + "es"


def _agreeing_es(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """A Spanish phrase with every word before its first preposition or article in the
    plural, and (for -o/-a words) in the other gender too: "evento adverso grave" ->
    "eventos adversos graves"; "paciente aleatorizado" -> "pacientes aleatorizadas"."""
    k = next((i for i, w in enumerate(words) if w in _ES_LINKS), len(words))
    if k < 2 and k != len(words):
        return set()
    head = [_plural_es(w) for w in words[:k]]
    out = {(*head, *words[k:])}
    other = [w[:-2] + ("as" if w.endswith("os") else "os") if w.endswith(("os", "as")) else w
             for w in head]  # fmt: skip
    out.add((*other, *words[k:]))
    singular_other = [w[:-1] + ("a" if w.endswith("o") else "o") if w.endswith(("o", "a"))
                      else w for w in words[:k]]  # fmt: skip
    out.add((*singular_other, *words[k:]))
    return out


def _inflections_es(w: str) -> set[str]:
    out = {w}
    if w.endswith("ción") or w.endswith("sión"):
        return out | {w[:-4] + w[-4:-1].replace("ó", "o") + "nes"}  # intervenciones
    if w.endswith("z"):
        return out | {w[:-1] + "ces"}
    if w.endswith(("o", "a")):
        stem = w[:-1]
        return out | {stem + "o", stem + "a", stem + "os", stem + "as"}
    if w.endswith(("e", "é", "í", "ú")):
        return out | {w + "s"}
    if w[-1] not in "aeiouáéíóú":
        return out | {w + "es"}
    return out | {w + "s"}


_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
#: the same on ASCII text, where [^\W_] is [A-Za-z0-9] (a plain class is quicker to test)
_TOKEN_SPLIT_ASCII = re.compile(r"([A-Za-z0-9]+(?:'[A-Za-z0-9]+)*)")
_JOIN = re.compile(r"[ \t\xa0]*[-‐‑–]?[ \t\xa0]*")
#: a comma between two tokens: crossed only by terms written with a comma
_JOIN_COMMA = re.compile(r"[ \t\xa0]*,[ \t\xa0]*")


def _tokens(text: str) -> list[str]:
    return [t.replace("’", "'") for t in _TOKEN.findall(text)]


def surface_forms(term: str, lang: str = "en") -> set[tuple[str, ...]]:
    """Every token sequence that counts as ``term`` (lower-case), inflections included."""
    return set().union(*ranked_forms(term, lang))


def ranked_forms(term: str, lang: str = "en") -> tuple[set[tuple[str, ...]], ...]:
    """``term``'s surface forms in three ranks: as written; other spellings and the
    hyphen/space/no-space variants; inflections. A form goes to the entry with the best rank."""
    toks = [t.lower() for t in _tokens(term)]
    if not toks:
        return set(), set(), set()
    spell = spellings if lang == "en" else (lambda w: {w})
    combos: list[tuple[str, ...]] = [()]
    for tok in toks:
        combos = [(*c, o) for c in combos for o in sorted(spell(tok))][:32]
    written = {tuple(toks)}
    variants = set(combos)
    inflected: set[tuple[str, ...]] = set()
    for c in combos:
        inflected |= {(*c[:-1], f) for f in inflections(c[-1], lang)}
        if len(c) > 1:
            variants |= {(v,) for v in spell("".join(c))}
            inflected |= {(f, *c[1:]) for f in inflections(c[0], lang)}
            if lang == "es":  # noun and adjectives agree: "eventos adversos graves"
                inflected |= _agreeing_es(c)
    return written, variants - written, inflected - variants - written


# --------------------------------------------------------------------------- the matcher

_END = ""  # trie key holding the entry (never a token)


class Matcher:
    """A token trie over every surface form of every entry."""

    def __init__(self, entries: Iterable[Entry], lang: str = "en") -> None:
        self.folded: dict[str, Any] = {}
        self.exact: dict[str, Any] = {}
        self.size = 0
        entries = list(entries)
        forms = [[ranked_forms(t, lang) for t in (e.term, *e.variants)] for e in entries]
        # by rank across all entries, so a generated form never hides another entry's own term
        for rank in range(3):
            for e, per_surface in zip(entries, forms, strict=True):
                for surface, ranked in zip((e.term, *e.variants), per_surface, strict=True):
                    if not e.case_sensitive:
                        self._insert(self.folded, ranked[rank], e)
                    elif rank != 1 and (toks := tuple(_tokens(surface))):
                        plural = (*toks[:-1], toks[-1] + "s")
                        self._insert(self.exact, {toks} if rank == 0 else {plural}, e)

    def _insert(self, trie: dict[str, Any], keys: Iterable[tuple[str, ...]], entry: Entry) -> None:
        for key in keys:
            if not key:
                continue
            node = trie
            for tok in key:
                node = node.setdefault(tok, {})
            if _END not in node:
                node[_END] = entry
                self.size += 1

    def find(self, text: str) -> list[JargonMatch]:
        """Leftmost-longest, non-overlapping dictionary matches in ``text``."""
        # [gap, token, gap, token, ..., gap]: token i is pieces[2i+1] and starts at at[2i+1]
        pieces = (_TOKEN_SPLIT_ASCII if text.isascii() else _TOKEN_SPLIT).split(text)
        toks = pieces[1::2]
        if "’" in text:
            toks = [t.replace("’", "'") for t in toks]
        lows = list(map(str.lower, toks))
        exact, folded = self.exact, self.folded
        n = len(toks)
        first_folded = list(map(folded.get, lows))
        # the tokens some entry starts with (trie nodes are never empty, so always truthy) and
        # that can match: an entry by themselves or followed by a token that continues them
        # (most are words like "the" or "study" that only start longer terms)
        firsts = compress(range(n), first_folded)
        nodes = compress(first_folded, first_folded)
        nexts = compress(chain(islice(lows, 1, None), (None,)), first_folded)
        starts = [
            k
            for k, node, nxt in zip(firsts, nodes, nexts, strict=True)
            if _END in node or nxt in node  # type: ignore[operator]  # compress drops None
        ]
        first_exact: list[Any] = []
        if exact and not exact.keys().isdisjoint(toks):
            first_exact = list(map(exact.get, toks))
            if any(first_exact):
                starts = sorted({*starts, *compress(range(n), first_exact)})
        out: list[JargonMatch] = []
        if not starts:
            return out
        at = list(accumulate(map(len, pieces), initial=0))
        i = 0  # the first token not inside a match yet
        for k in starts:
            if k < i:
                continue
            best_j = -1
            best: Entry | None = None
            # case-sensitive entries first, then the lower-cased tokens: the longest wins
            for node, keys in ((first_exact[k] if first_exact else None, toks),
                               (first_folded[k], lows)):  # fmt: skip
                j = k
                comma = False  # a comma between the tokens so far: only terms written with one
                while node is not None:
                    entry = node.get(_END)
                    if (
                        entry is not None
                        and j > best_j
                        and (not comma or entry.comma)
                        and (not (entry.not_before or entry.not_after)
                             or _context_ok(entry, lows, k, j))
                    ):  # fmt: skip
                        best_j, best = j, entry
                    if j + 1 >= n:
                        break
                    nxt = node.get(keys[j + 1])
                    if nxt is None:
                        break
                    if not _JOIN.fullmatch(text, at[2 * j + 2], at[2 * j + 3]):
                        if not _JOIN_COMMA.fullmatch(text, at[2 * j + 2], at[2 * j + 3]):
                            break
                        comma = True
                    j += 1
                    node = nxt
            if best is None:
                continue
            start, end = at[2 * k + 1], at[2 * best_j + 2]
            out.append(JargonMatch(start, end, best, text[start:end]))
            i = best_j + 1
        return out


def _context_ok(entry: Entry, lows: list[str], k: int, j: int) -> bool:
    """False when the tokens after ``lows[k:j + 1]`` start with one of the entry's
    ``not_before`` sequences, or the tokens before it end with one of its ``not_after``."""
    for seq in entry.not_before:
        if tuple(lows[j + 1 : j + 1 + len(seq)]) == seq:
            return False
    for seq in entry.not_after:
        if len(seq) <= k and tuple(lows[k - len(seq) : k]) == seq:
            return False
    return True


# --------------------------------------------------------------------------- the glossary


@dataclass(frozen=True)
class Glossary:
    """A language's dictionary: packaged entries with site glossary entries merged in."""

    lang: str
    entries: tuple[Entry, ...]
    files: tuple[str, ...] = ()
    problems: tuple[Diagnostic, ...] = ()
    matcher: Matcher = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def find(self, text: str, allow: frozenset[str] = frozenset()) -> list[JargonMatch]:
        """Dictionary terms in ``text``, minus allow-listed ones (case-insensitive)."""
        found = self.matcher.find(text)
        if not allow:
            return found
        return [
            m
            for m in found
            if m.entry.term.casefold() not in allow and m.surface.casefold() not in allow
        ]

    @cached_property
    def expansions(self) -> dict[str, str]:
        """Abbreviation -> full words, from entries with an ``expansion``."""
        out: dict[str, str] = {}
        for e in self.entries:
            if e.expansion:
                for t in (e.term, *e.variants):
                    out.setdefault(t, e.expansion)
        return out


def make_glossary(entries: Sequence[Entry], lang: str = "en") -> Glossary:
    """A glossary from entries in memory (tests, tools)."""
    return Glossary(lang, tuple(entries), (), (), Matcher(entries, lang))


def load_glossary(lang: str, extra_files: Sequence[Path] = ()) -> Glossary:
    """The packaged dictionary for ``lang`` plus site glossary files (same ``term`` replaces).

    The compiled matcher is cached per (language, files, modification times): calling this
    for every page costs a few ``stat`` calls.
    """
    lang = lang.split("_")[0].split("-")[0].lower()
    files = [DATA / f"jargon.{lang}.yml", *(Path(f) for f in extra_files)]
    stamp = tuple((str(f), *_stat(f)) for f in files)
    return _load(lang, stamp)


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return -1, -1
    return st.st_mtime_ns, st.st_size


@lru_cache(maxsize=16)
def _load(lang: str, stamp: tuple[tuple[str, int, int], ...]) -> Glossary:
    merged: dict[str, Entry] = {}
    problems: list[Diagnostic] = []
    used: list[str] = []
    for i, (name, mtime, _) in enumerate(stamp):
        if mtime < 0:
            if i:  # a missing packaged file is not the site's problem
                problems.append(_problem(name, "glossary file not found"))
            continue
        used.append(name)
        entries, more = read_entries(Path(name), lang)
        problems.extend(more)
        for e in entries:
            merged[e.term.casefold()] = e
    all_entries = tuple(merged.values())
    return Glossary(lang, all_entries, tuple(used), tuple(problems), Matcher(all_entries, lang))


def _problem(path: str, message: str) -> Diagnostic:
    return Diagnostic(path, 0, 0, Severity.WARNING, "JG006", message)


def read_entries(path: Path, lang: str) -> tuple[list[Entry], list[Diagnostic]]:
    """Parse one dictionary file; bad entries are skipped and reported (JG006)."""
    name = str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [], [_problem(name, f"cannot read glossary: {exc}".splitlines()[0])]
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return [], [_problem(name, "a glossary needs a top-level 'entries' list")]
    problems: list[Diagnostic] = []
    if data.get("lang", lang) != lang:
        problems.append(_problem(name, f"glossary is for {data.get('lang')!r}, used for {lang!r}"))
    out: list[Entry] = []
    for n, raw in enumerate(data["entries"], start=1):
        entry, message = _entry(raw, name)
        if message:
            problems.append(_problem(name, f"entry {n}: {message}"))
        if entry is not None:
            out.append(entry)
    return out, problems


def _strings(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _norm(form: str) -> str:
    """A surface form as ``forms`` keys are compared: lower-case tokens joined by spaces."""
    return " ".join(t.lower() for t in _tokens(form))


def _sequences(values: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(seq for v in values if (seq := tuple(t.lower() for t in _tokens(v))))


def _entry(raw: object, source: str) -> tuple[Entry | None, str]:
    if not isinstance(raw, dict):
        return None, "not a mapping"
    term = raw.get("term")
    if not isinstance(term, str) or not term.strip():
        return None, "missing 'term'"
    kind = raw.get("kind", "replace")
    if kind not in KINDS:
        return None, f"{term!r}: kind must be 'replace', 'explain' or 'rewrite'"
    plain, variants = _strings(raw.get("plain")), _strings(raw.get("variants"))
    if plain is None or variants is None:
        return None, f"{term!r}: 'plain' and 'variants' must be lists of strings"
    not_before, not_after = _strings(raw.get("not_before")), _strings(raw.get("not_after"))
    if not_before is None or not_after is None:
        return None, f"{term!r}: 'not_before' and 'not_after' must be lists of strings"
    forms = raw.get("forms") or {}
    if not isinstance(forms, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in forms.items()
    ):
        return None, f"{term!r}: 'forms' must map a form of the term to its plain words"
    texts = {k: raw.get(k) for k in ("example", "expected", "how")}
    bad = [k for k, v in texts.items() if v is not None and not isinstance(v, str)]
    if bad:
        return None, f"{term!r}: '{bad[0]}' must be a string"
    if kind == "rewrite" and not texts["how"]:
        return None, f"{term!r}: a 'rewrite' entry needs 'how' (how to rewrite the sentence)"
    unknown = sorted(set(raw) - _KEYS)
    entry = Entry(
        term=term.strip(),
        kind=kind,
        plain=plain,
        definition=str(raw.get("definition") or ""),
        category=str(raw.get("category") or ""),
        variants=tuple(v.strip() for v in variants if v.strip()),
        case_sensitive=bool(raw.get("case_sensitive", False)),
        expansion=str(raw.get("expansion") or ""),
        source=source,
        example=(texts["example"] or "").strip(),
        expected=(texts["expected"] or "").strip(),
        how=(texts["how"] or "").strip(),
        not_before=_sequences(not_before),
        not_after=_sequences(not_after),
        forms=tuple(sorted((_norm(k), v.strip()) for k, v in forms.items())),
        fix=raw.get("fix", True) is not False,
    )
    return entry, (f"{term!r}: unknown key(s) {', '.join(unknown)}" if unknown else "")
