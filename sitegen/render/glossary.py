"""The words the site explains: dictionary entries as ``Term`` values, and the Glossary page.

The jargon dictionary and its matcher belong to the readability package (``load_glossary``);
this module is the one place that reads them for the public site, so a change in the
dictionary's shape touches one adapter. ``definitions`` marks terms up in page bodies;
``glossary_entries`` orders the terms a language's pages used for its Glossary page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.core.urls import slugify
from sitegen.readability import load_glossary, make_glossary

if TYPE_CHECKING:
    from sitegen.readability import Entry, Glossary


@dataclass(frozen=True)
class Term:
    """One dictionary entry, as the public site uses it.

    An ``explain`` term gets an inline definition at its first use on a page; a term with an
    ``expansion`` (an abbreviation) gets ``<abbr>`` plus its visible expansion. ``anchor`` is
    the term's id on the Glossary page.
    """

    term: str
    kind: str
    definition: str
    expansion: str | None = None
    anchor: str = ""

    @property
    def explained(self) -> bool:
        """True when pages define this term inline (``kind: explain``)."""
        return self.kind == "explain" and bool(self.definition)

    @property
    def abbreviation(self) -> bool:
        """True when the term is an abbreviation with a known expansion."""
        return bool(self.expansion)

    @property
    def expansion_shown(self) -> str | None:
        """The expansion the Glossary shows beside the term ("Short for: ..."): none when the
        definition already spells it out ("Short for electrocardiogram, a quick test ...")."""
        if self.expansion and self.expansion.casefold() not in self.definition.casefold():
            return self.expansion
        return None


def terms_from_entries(entries: Iterable[Entry]) -> tuple[Term, ...]:
    """Dictionary entries as ``Term`` values with unique anchors.

    Entries without a definition are skipped; anchors are slugs of the headword, made unique
    with ``-2``, ``-3`` ... in dictionary order.
    """
    out: list[Term] = []
    seen: set[str] = set()
    for entry in entries:
        if not entry.term.strip() or not entry.definition.strip():
            continue
        base = slugify(entry.term) or "term"
        anchor, n = base, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        out.append(
            Term(
                term=entry.term.strip(),
                kind=entry.kind,
                definition=entry.definition.strip(),
                expansion=entry.expansion.strip() or None,
                anchor=anchor,
            )
        )
    return tuple(out)


class Lexicon:
    """A language's dictionary terms and the readability package's matcher for them, so
    pages define exactly the terms the readability gate finds (same inflections, spellings
    and leftmost-longest rule: "placebo-controlled" is one term, not "placebo")."""

    def __init__(self, glossary: Glossary) -> None:
        self._glossary = glossary
        self.terms = terms_from_entries(glossary.entries)
        self._by_key = {t.term.casefold(): t for t in self.terms}

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """``(start, end, term)`` of every dictionary term in ``text``, in order."""
        out = []
        for m in self._glossary.find(text):
            term = self._by_key.get(m.entry.term.strip().casefold())
            if term is not None:
                out.append((m.start, m.end, term))
        return out


def site_lexicon(lang: str, extra: Sequence[Path] = ()) -> Lexicon:
    """The dictionary of ``lang`` plus a site's extra glossary files."""
    return Lexicon(load_glossary(lang, tuple(extra)))


def entries_lexicon(entries: Sequence[Entry], lang: str = "en") -> Lexicon:
    """A lexicon from dictionary entries in memory (tests, tools)."""
    return Lexicon(make_glossary(entries, lang))


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order that ignores case and accents ("órgano" sorts with "organ")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    base = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return base, text


def glossary_entries(used: Iterable[Term]) -> list[Term]:
    """The terms for a Glossary page: each once, alphabetically."""
    unique = {t.anchor: t for t in used}
    return sorted(unique.values(), key=lambda t: sort_key(t.term))
