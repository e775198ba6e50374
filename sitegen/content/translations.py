"""Translations that cannot drift: which version of the original a translation was made from,
and the facts a translation must give exactly as its original does.

Pages that share a ``translation_key`` (and kind) are translations of each other; the one in
the site's default language is the **original**. A translation records the version of the
original it was made from in ``translated_from`` (``python build.py translated PAGE`` writes
it): ``source_version`` of the original, a hash of its front matter (without ``signoff`` and
``translated_from``) and body, whitespace normalised. Then:

- TR001 (warning): the translation records no version, so nobody knows whether it is current;
- TR002 (warning): the original has changed since; the published translation carries a notice
  in its own language, linking to the original, until ``translated_from`` is updated;
- TR003 (error): a fact differs: numbers, ages, dates (months and weekdays by name too), doses,
  phone numbers, e-mail addresses, the site list and the count of criteria, with both files and
  lines in the message.

Pure functions: the caller reads the files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sitegen.content.frontmatter import FrontMatter, dotted_value, strip_top_level_keys
from sitegen.core.cmdline import command
from sitegen.core.diagnostics import Diagnostic, error, warning

#: the front-matter field of a translation that holds the original's ``source_version``
FIELD = "translated_from"
VERSION_LEN = 16
#: front-matter keys that are bookkeeping, not content: they do not change the version
_NOT_CONTENT = frozenset({"signoff", FIELD})


def source_version(yaml_text: str, body: str) -> str:
    """The version of a page's content: 16 hex digits of a SHA-256 of its front matter (less
    ``signoff`` and ``translated_from``) and body, runs of whitespace made one space."""
    front = strip_top_level_keys(yaml_text, _NOT_CONTENT)
    text = " ".join(front.split()) + "\0" + " ".join(body.split())
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:VERSION_LEN]


# --------------------------------------------------------------------------- facts


class Fact(NamedTuple):
    """One fact of a page: ``kind`` (a field name, or number / phone / email in the text),
    its normalised ``value`` and where it is (``line`` 0: unknown)."""

    kind: str
    value: str
    line: int
    col: int


#: single front-matter values that must be equal (the dotted path is the fact's kind)
FIELDS = (
    "status", "nct_id", "study_type", "phase", "eligibility.age_min", "eligibility.age_max",
    "eligibility.sex", "eligibility.healthy_volunteers", "participation.visits",
    "participation.overnight_stays", "enrollment.target", "enrollment.type", "dates.start",
    "dates.primary_completion", "dates.completion", "design.randomized", "design.placebo",
    "design.masking", "design.masked",
)  # fmt: skip
#: lists whose length must be equal, with the per-item fields that must be equal too
LISTS: dict[str, tuple[str, ...]] = {
    "eligibility.include": (),
    "eligibility.exclude": (),
    "eligibility.questions": ("answer",),
    "interventions": ("type",),
    # names of sites, cities and countries are translated; codes, places and contacts are not
    "sites": (
        "postal_code",
        "lat",
        "lon",
        "status",
        "contact.phone",
        "contact.email",
        "contact.lang",
    ),
    "contacts": ("phone", "email"),
    "icon_arrays": ("count", "total", "section"),
}
#: what a list's count is called in a message
_LIST_NAMES = {
    "eligibility.include": "inclusion criteria",
    "eligibility.exclude": "exclusion criteria",
    "eligibility.questions": "pre-screener questions",
    "interventions": "interventions",
    "sites": "sites",
    "contacts": "contacts",
    "icon_arrays": "icon arrays",
}

_LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+|\]:\s*\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w.,])\+?\(?\d[\d ().\-\u00a0]{5,}\d(?![\w])")
_TIME = re.compile(r"(?<![\d.,:])(\d{1,2}):(\d{2})(?![\d:])")
_NUMBER = {
    "en": re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"),
    "es": re.compile(r"(?<![\w.,])\d{1,3}(?:[.\u00a0 ]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"),
}
_WORD = re.compile(r"[^\W\d_]+")
#: number words (2 and up: "one"/"un"/"una" are also articles and pronouns)
_NUMBER_WORDS = {
    "en": "two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty",
    "es": "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciséis diecisiete dieciocho diecinueve veinte",
}
_WORD_VALUE = {
    lang: {w: str(i) for i, w in enumerate(words.split(), start=2)}
    for lang, words in _NUMBER_WORDS.items()
}
_TENS = {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "treinta": "30",
         "cuarenta": "40", "cincuenta": "50", "sesenta": "60", "twice": "2"}  # fmt: skip
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip
_DIAS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
#: month and weekday names -> (kind, the English name): English ones are capitalised
_CALENDAR: dict[str, dict[str, tuple[str, str]]] = {
    "en": {**{m: ("month", m) for m in _MONTHS}, **{d: ("day", d) for d in _DAYS}},
    "es": {
        **{es: ("month", en) for es, en in zip(_MESES, _MONTHS, strict=True)},
        "setiembre": ("month", "September"),
        **{es: ("day", en) for es, en in zip(_DIAS, _DAYS, strict=True)},
    },
}


def _number(token: str, lang: str) -> str:
    """A number token in a language's notation as a plain decimal: "1,000" (en), "1.000" and
    "1 000" (es) -> "1000"; "2.5" (en), "2,5" (es) -> "2.5"."""
    if lang == "es":
        token = re.sub(r"(?<=\d)[.\u00a0 ](?=\d{3}(?!\d))", "", token).replace(",", ".")
    else:
        token = token.replace(",", "")
    whole, _, frac = token.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def text_facts(text: str, lang: str, line: int, col: int, exact: bool = True) -> list[Fact]:
    """The numbers, phone numbers, e-mail addresses, months and weekdays in one piece of prose.

    ``line``, ``col``: where ``text`` starts; with ``exact``, a line break moves to the next
    line at column 1 (a Markdown body), else every fact is placed at (line, col). The number
    1 is left out (it is "a" or "one" as often as a quantity); 9:00 counts as 9 and 17:00 as 5
    ("5 pm"); "twice" is 2.
    """
    out: list[Fact] = []
    blank = _LINK_TARGET.sub(lambda m: " " * len(m.group()), text)

    def where(pos: int) -> tuple[int, int]:
        if not exact:
            return line, col
        before = text.count("\n", 0, pos)
        if before == 0:
            return line, col + pos
        return line + before, pos - text.rfind("\n", 0, pos)

    def take(rx: re.Pattern[str], s: str) -> str:
        return rx.sub(lambda m: " " * len(m.group()), s)

    for m in _EMAIL.finditer(blank):
        out.append(Fact("email", m.group().lower(), *where(m.start())))
    blank = take(_EMAIL, blank)
    for m in _PHONE.finditer(blank):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) >= 7:
            out.append(Fact("phone", digits, *where(m.start())))
            blank = blank[: m.start()] + " " * len(m.group()) + blank[m.end() :]
    for m in _TIME.finditer(blank):
        hour, minutes = int(m.group(1)), m.group(2)
        hour = hour - 12 if hour > 12 else hour  # 17:00 is "5 pm"
        value = str(hour) if minutes == "00" else f"{hour}:{minutes}"
        out.append(Fact("number", value, *where(m.start())))
    blank = take(_TIME, blank)
    for m in _NUMBER[lang if lang in _NUMBER else "en"].finditer(blank):
        value = _number(m.group(), lang)
        if value != "1":
            out.append(Fact("number", value, *where(m.start())))
    words = _WORD_VALUE.get(lang, {})
    calendar = _CALENDAR.get(lang, {})
    for m in _WORD.finditer(blank):
        word = m.group()
        low = word.lower()
        spelled = words.get(low) or _TENS.get(low)
        if spelled:
            out.append(Fact("number", spelled, *where(m.start())))
        # English names only capitalised ("May 2026", not "you may"); "May" only by a number
        named = calendar.get(word if lang == "en" else low)
        if named and (word != "May" or re.search(r"\d\s*,?\s*$", blank[: m.start()])
                      or re.match(r"\s*\d", blank[m.end() :])):  # fmt: skip
            out.append(Fact(*named, *where(m.start())))
    return out


def _norm(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(sorted(_norm(v) for v in value))
    if isinstance(value, str):
        return " ".join(value.split()).lower()
    return str(value).lower()


def field_facts(fm: FrontMatter) -> list[Fact]:
    """The front-matter facts of a page: ``FIELDS`` values, ``LISTS`` lengths and items."""
    out: list[Fact] = []

    def at(name: str) -> tuple[int, int]:
        while name:
            pos = fm.positions.get(name) or fm.key_positions.get(name)
            if pos is not None:
                return pos.line, pos.col
            name = name.rpartition(".")[0]
        return 0, 0

    for name in FIELDS:
        value = dotted_value(fm.data, name)
        if value is not None:
            out.append(Fact(name, _norm(value), *at(name)))
    for name, item_fields in LISTS.items():
        items = dotted_value(fm.data, name)
        if not isinstance(items, list):
            continue
        out.append(Fact(name, str(len(items)), *at(name)))
        for i in range(len(items)):
            for sub in item_fields:
                value = dotted_value(items[i], sub)
                if value is not None:
                    out.append(Fact(f"{name}.{i}.{sub}", _norm(value), *at(f"{name}.{i}.{sub}")))
    return out


# --------------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Source:
    """What the comparison needs of one page: its path, language, front matter (full, with
    positions), body and patient-facing front-matter strings (name, text, line, col, exact)."""

    path: str
    lang: str
    fm: FrontMatter
    body: str
    body_line: int
    prose: Sequence[tuple[str, str, int, int, bool]]

    def facts(self) -> tuple[list[Fact], list[Fact]]:
        """(front-matter facts, facts in the text)."""
        text = text_facts(self.body, self.lang, self.body_line, 1)
        for _name, value, line, col, exact in self.prose:
            text += text_facts(value, self.lang, line, col, exact)
        return field_facts(self.fm), text


def _loc(path: str, f: Fact | None) -> str:
    return f"{path}:{f.line}" if f is not None and f.line else path


_TEXT_KINDS = {"number": "number", "phone": "phone number", "email": "e-mail address",
               "month": "month", "day": "day of the week"}  # fmt: skip


def compare_facts(original: Source, translation: Source) -> list[Diagnostic]:
    """TR003 errors for every fact the two pages do not give alike (at the translation, with
    the original's file and line in the message)."""
    o_fields, o_text = original.facts()
    t_fields, t_text = translation.facts()
    diags: list[Diagnostic] = []
    o_by = {f.kind: f for f in o_fields}
    t_by = {f.kind: f for f in t_fields}
    for kind in sorted(o_by.keys() | t_by.keys(), key=_field_order):
        of, tf = o_by.get(kind), t_by.get(kind)
        if of is not None and tf is not None and of.value == tf.value:
            continue
        parent = next((n for n in LISTS if kind.startswith(n + ".")), None)
        if parent is not None:
            po, pt = o_by.get(parent), t_by.get(parent)
            if po is None or pt is None or po.value != pt.value:
                continue  # the lists differ in length: reported once, for the list
        label = _LIST_NAMES.get(kind)
        if label:
            what = f"{tf.value if tf else 0} {label} here, {of.value if of else 0} in the original"
        else:
            here = f'"{tf.value}"' if tf else "not given"
            there = f'"{of.value}"' if of else "not given"
            what = f"{kind} is {here} here but {there} in the original"
        line, col = (tf.line, tf.col) if tf else _field_anchor(translation, kind)
        diags.append(
            error(
                translation.path,
                line,
                col,
                "TR003",
                f"{what} {_loc(original.path, of)}",
                "a translation must give the same facts as its original: correct whichever "
                "file is wrong",
            )
        )
    for kind, name in _TEXT_KINDS.items():
        o_vals = [f for f in o_text if f.kind == kind]
        t_vals = [f for f in t_text if f.kind == kind]
        o_set, t_set = {f.value for f in o_vals}, {f.value for f in t_vals}
        only_o = [f for f in _first(o_vals) if f.value not in t_set]
        only_t = [f for f in _first(t_vals) if f.value not in o_set]
        for i in range(max(len(only_o), len(only_t))):
            of = only_o[i] if i < len(only_o) else None
            tf = only_t[i] if i < len(only_t) else None
            if tf is not None and of is not None:
                msg = f'{name} "{tf.value}" here, "{of.value}" in the original'
            elif tf is not None:
                msg = f'{name} "{tf.value}" here is not in the original'
            else:
                assert of is not None
                msg = f'{name} "{of.value}" of the original is not in this translation:'
            line, col = (tf.line, tf.col) if tf else (translation.body_line, 1)
            diags.append(
                error(
                    translation.path,
                    line,
                    col,
                    "TR003",
                    f"{msg} {_loc(original.path, of)}",
                    "write the same " + name + " in both languages",
                )
            )
    return diags


def _first(facts: Iterable[Fact]) -> list[Fact]:
    """The first fact of each value, in order of appearance."""
    seen: set[str] = set()
    out = []
    for f in sorted(facts, key=lambda f: (f.line, f.col)):
        if f.value not in seen:
            seen.add(f.value)
            out.append(f)
    return out


def _field_order(kind: str) -> tuple[int, str]:
    head = kind.split(".")[0]
    names = [n.split(".")[0] for n in (*FIELDS, *LISTS)]
    return (names.index(head) if head in names else len(names)), kind


def _field_anchor(src: Source, kind: str) -> tuple[int, int]:
    """Where a fact the translation lacks would go: its parent field, else line 1."""
    name = kind
    while name:
        pos = src.fm.positions.get(name) or src.fm.key_positions.get(name)
        if pos is not None:
            return pos.line, pos.col
        name = name.rpartition(".")[0]
    return 1, 1


# --------------------------------------------------------------------------- the site


@dataclass(frozen=True)
class Stale:
    """A published translation's state when it is not known to be current: ``state`` is
    ``changed`` (the original changed since) or ``unknown`` (no version recorded)."""

    state: str
    original_url: str
    original_lang: str


class Member(NamedTuple):
    """What ``check_translations`` needs of a page (``pipeline.Page`` fits)."""

    path: str
    kind: str
    lang: str
    url: str
    key: str | None
    recorded: str | None  # its ``translated_from``
    draft: bool


def groups(members: Iterable[Member], default_lang: str) -> list[tuple[Member, list[Member]]]:
    """(original, translations) of every translation key that has an original in the default
    language and at least one translation; drafts take no part."""
    by_key: dict[tuple[str, str], list[Member]] = {}
    for m in members:
        if m.key and not m.draft:
            by_key.setdefault((m.kind, m.key), []).append(m)
    out = []
    for _, ms in sorted(by_key.items()):
        originals = [m for m in ms if m.lang == default_lang]
        others = [m for m in ms if m.lang != default_lang]
        if len(originals) == 1 and others:
            out.append((originals[0], sorted(others, key=lambda m: m.path)))
    return out


def check_translations(
    members: Sequence[Member],
    default_lang: str,
    load: Callable[[str], tuple[Source, str] | None],
) -> tuple[list[Diagnostic], dict[str, Stale]]:
    """TR001/TR002 warnings, TR003 errors, and the translations to publish with a notice
    (path -> ``Stale``). ``load(path)`` gives a page's ``Source`` and ``source_version``
    (None if it cannot be read any more: the page is skipped)."""
    diags: list[Diagnostic] = []
    stale: dict[str, Stale] = {}
    for original, translations in groups(members, default_lang):
        loaded = load(original.path)
        if loaded is None:
            continue
        o_src, version = loaded
        for t in translations:
            t_loaded = load(t.path)
            if t_loaded is None:
                continue
            t_src = t_loaded[0]
            pos = t_src.fm.positions.get(FIELD) or t_src.fm.positions.get("translation_key")
            line, col = (pos.line, pos.col) if pos else (1, 1)
            if not t.recorded:
                diags.append(
                    warning(
                        t.path,
                        line,
                        col,
                        "TR001",
                        f"translation of {original.path} does not record which version of it "
                        "was translated; readers are told it may be out of date",
                        f"once it matches the original: {command('translated', t.path)}",
                    )
                )
                stale[t.path] = Stale("unknown", original.url, original.lang)
            elif t.recorded != version:
                diags.append(
                    warning(
                        t.path,
                        line,
                        col,
                        "TR002",
                        f"out of date: {original.path} changed after this translation was made "
                        f"(translated from {t.recorded}, now {version}); readers are told so",
                        f"update the translation, then: {command('translated', t.path)}",
                    )
                )
                stale[t.path] = Stale("changed", original.url, original.lang)
            diags += compare_facts(o_src, t_src)
    return diags, stale
