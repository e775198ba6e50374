"""Inline definitions in page bodies (WCAG 3.1.3 Unusual Words, 3.1.4 Abbreviations).

The first use on a page of a dictionary term of kind ``explain`` becomes a footnote-style
link to its definition, listed in a "Words explained" box at the end of the same section
(before the next ``<h2>``)::

    <a class="term" id="term-placebo" href="#def-placebo"
       aria-describedby="def-placebo-text">placebo</a>
    ...
    <div class="terms"><p class="terms-title">Words explained in this part</p><dl>
      <div class="term-entry" id="def-placebo" tabindex="-1"><dt><dfn>placebo</dfn></dt>
      <dd><span id="def-placebo-text">A pill ...</span> <a href="../glossary/#placebo">...</a>
      <a class="term-back" href="#term-placebo">Back to the text</a></dd></div></dl></div>

Terms are found by ``find`` (the readability package's matcher, via ``glossary.Lexicon``).
This markup is valid inside ``<p>`` (a ``<details>`` is not), needs no JavaScript, works with a
keyboard (Tab, Enter) and touch, and screen readers read the definition as the link's
description without moving. The first use of an abbreviation with an ``expansion`` becomes
``<abbr title="...">AE</abbr> (adverse event)``; the visible expansion is left out when the
text already spells it out next to the abbreviation.

Only text nodes are changed, never inside links, headings, code, ``<abbr>`` or ``<dfn>``.
Pure: HTML in, HTML out, deterministic.
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from sitegen.core.cachefile import Deferred
from sitegen.markup.convert import link_placeholders
from sitegen.render.glossary import Term

#: elements whose text is never marked up
SKIP = frozenset(
    {
        "a", "abbr", "button", "code", "dfn", "h1", "h2", "h3", "h4", "h5", "h6", "kbd",
        "label", "pre", "samp", "script", "style", "summary", "textarea", "var",
    }
)  # fmt: skip
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
#: how far around an abbreviation (in characters) its spelled-out form counts as "next to it"
NEAR = 80


@dataclass(frozen=True)
class Labels:
    """Interface strings for the markup, from the catalogue."""

    section_title: str
    glossary_link: str
    back: str


@dataclass(frozen=True)
class Annotated(Deferred):
    """A body with its terms marked up, and the terms it used in order of first use."""

    html: str
    used: tuple[Term, ...]
    #: the content files its link placeholders point to (``convert.link_placeholders``)
    targets: tuple[str, ...] = ()


#: finds dictionary terms in a text: ``(start, end, term)`` in order, not overlapping
Finder = Callable[[str], Iterable[tuple[int, int, Term]]]


def _esc(text: str) -> str:
    return _html.escape(text, quote=False)


def _attr(text: str) -> str:
    return _html.escape(text, quote=True)


class _Rewriter(HTMLParser):
    """Copies HTML token by token, marking up terms in eligible text nodes."""

    def __init__(self, find: Finder, glossary_url: str, labels: Labels) -> None:
        super().__init__(convert_charrefs=True)
        self.find = find
        self.glossary_url = glossary_url
        self.labels = labels
        self.out: list[str] = []
        self.stack: list[str] = []
        self.used: dict[str, Term] = {}
        #: (output index where a section starts, [(term, text as written)] first used there)
        self.sections: list[tuple[int, list[tuple[Term, str]]]] = [(0, [])]

    # -- tokens -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2" and not self.stack:
            self.sections.append((len(self.out), []))
        self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if any(t in SKIP for t in self.stack):
            self.out.append(_esc(data))
        else:
            self.out.append(self._mark(data))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    # -- marking ------------------------------------------------------------------------
    def _mark(self, text: str) -> str:
        parts: list[str] = []
        pos = 0
        for start, end, term in self.find(text):
            if start < pos or not (term.explained or term.abbreviation):
                continue
            if term.anchor in self.used:
                continue
            shown = text[start:end]
            if term.explained and self._defined(term.expansion):
                # "electrocardiogram (ECG)": the long form is already defined on this page
                term = replace(term, kind="abbreviation")
            self.used[term.anchor] = term
            self.sections[-1][1].append((term, shown))
            parts.append(_esc(text[pos:start]))
            parts.append(self._markup(term, shown, text, start, end))
            pos = end
        parts.append(_esc(text[pos:]))
        return "".join(parts)

    def _markup(self, term: Term, shown: str, text: str, start: int, end: int) -> str:
        a = term.anchor
        inner = _esc(shown)
        if term.expansion:
            inner = f'<abbr title="{_attr(term.expansion)}">{inner}</abbr>'
        if term.explained:
            inner = (
                f'<a class="term" id="term-{a}" href="#def-{a}" '
                f'aria-describedby="def-{a}-text">{inner}</a>'
            )
        if term.expansion and not _spelled_out(term.expansion, text, start, end):
            inner += f' <span class="abbr-expansion">({_esc(term.expansion)})</span>'
        return inner

    def _defined(self, words: str | None) -> bool:
        return bool(words) and any(
            t.explained and t.term.casefold() == (words or "").casefold()
            for t in self.used.values()
        )

    # -- definition boxes ---------------------------------------------------------------
    def result(self) -> str:
        out = list(self.out)
        # Insert from the last section backwards so earlier indexes stay valid.
        bounds = [*(start for start, _ in self.sections[1:]), len(out)]
        for (_, terms), end in reversed(list(zip(self.sections, bounds, strict=True))):
            box = self._box(terms)
            if box:
                out.insert(end, box)
        return "".join(out)

    def _box(self, terms: Sequence[tuple[Term, str]]) -> str:
        entries = [(t, shown) for t, shown in terms if t.explained]
        if not entries:
            return ""
        lab = self.labels
        rows = []
        for t, shown in entries:
            a = t.anchor
            rows.append(
                f'<div class="term-entry" id="def-{a}" tabindex="-1">'
                f"<dt><dfn>{_esc(_display(shown, t.term))}</dfn></dt>"
                f'<dd><span id="def-{a}-text">{_esc(t.definition)}</span> '
                f'<span class="term-links"><a href="{_attr(self.glossary_url)}#{a}">'
                f"{_esc(lab.glossary_link)}</a> "
                f'<a class="term-back" href="#term-{a}">{_esc(lab.back)}</a></span></dd></div>'
            )
        return (
            '\n<div class="terms" data-search-ignore>'
            f'<p class="terms-title">{_esc(lab.section_title)}</p>'
            f"<dl>{''.join(rows)}</dl></div>\n"
        )


def _display(shown: str, headword: str) -> str:
    """The word as the definition list shows it: as written in the text ("clinical study"),
    lower-cased at a sentence start ("Placebo" -> "placebo") unless the headword has capitals
    ("ECG", "Phase 1" stays as the dictionary writes it)."""
    if shown.casefold() == headword.casefold():
        return headword
    if shown[:1].isupper() and shown[1:2].islower() and headword[:1].islower():
        return shown[:1].lower() + shown[1:]
    return shown


def _spelled_out(expansion: str, text: str, start: int, end: int) -> bool:
    """True when ``expansion`` is written within ``NEAR`` characters of the abbreviation."""
    around = text[max(0, start - NEAR) : end + NEAR].casefold()
    return expansion.casefold() in around


def annotate(html: str, find: Finder, *, glossary_url: str, labels: Labels) -> Annotated:
    """Mark up the first use of each term in ``html`` and add the definition boxes."""
    rw = _Rewriter(find, glossary_url, labels)
    rw.feed(html)
    rw.close()
    out = rw.result()
    return Annotated(out, tuple(rw.used.values()), link_placeholders(out))
