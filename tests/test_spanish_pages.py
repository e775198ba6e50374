"""Everything a patient sees on a Spanish page is in Spanish: a word-level detector of English
over the visible text and the text attributes of every built Spanish page (labels, key facts,
pre-screener, glossary, search, 404, translation notices), outside parts marked ``lang="en"``
(a registry title, a study that exists only in English)."""

from __future__ import annotations

import re

import pytest
from patient_support import OpenElements, build, copy_example_site, html_pages

#: common English words that are not Spanish words: one of them in Spanish text is English
_ENGLISH_WORDS = """the and you your with this that are will what when who how page
    study studies search show
    read call here there from have has which our we they not can may see find open close
    back next results result filter filters all any yes none other about before after only
    if or of to in on for by at is be it was were been do does did each every some most many
    much more less than then into out up answer question questions clear reset loading menu
    skip main content glossary contact phone email years months weeks days old male female
    people take part join eligible right my please sorry found help where why"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())
_TEXT_ATTRS = ("aria-label", "title", "placeholder", "alt")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
_WORD = re.compile(r"[^\W\d_]+")


class Visible(OpenElements):
    """The text a reader meets on a page: text nodes, text attributes, the meta description and
    strings kept in ``data-*`` attributes for scripts; not scripts, styles or parts in
    another language (``lang`` not Spanish)."""

    def _foreign(self) -> bool:
        return any(t in ("script", "style") or (lg and lg != "es") for t, lg in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        a = {k: v or "" for k, v in attrs}
        if self._foreign() or a.get("lang", "es") != "es":
            return
        self.texts += [a[k] for k in _TEXT_ATTRS if a.get(k)]
        self.texts += [v for k, v in a.items() if k.startswith("data-") and " " in v.strip()]
        if tag == "meta" and a.get("name") == "description":
            self.texts.append(a.get("content", ""))
        if tag == "input" and a.get("type") in ("submit", "button"):
            self.texts.append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._foreign():
            self.texts.append(data)


def english_words(html: str) -> list[str]:
    """The English words a reader of this (Spanish) page would meet."""
    parser = Visible()
    parser.feed(html)
    words = []
    for text in parser.texts:
        words += [w for w in _WORD.findall(_ADDRESS.sub(" ", text)) if w.lower() in ENGLISH]
    return words


def test_detector_finds_english_and_respects_lang() -> None:
    page = '<html lang="es"><body><p>Puede participar.</p>{}</body></html>'
    assert english_words(page.format("")) == []
    found = english_words(page.format("<button>Show all studies</button>"))
    assert found == ["Show", "all", "studies"]
    assert english_words(page.format('<input type="search" placeholder="Search">')) == ["Search"]
    assert english_words(page.format('<div data-msg="Please answer every question">')) != []
    assert english_words(page.format('<p lang="en">The registry title</p>')) == []
    assert english_words(page.format('<a lang="en" hreflang="en">English</a>')) == []
    assert english_words(page.format("<p>Escriba a team@example.org</p>")) == []


@pytest.fixture(scope="module")
def spanish_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example site built with every English original edited after its translation, so
    that the Spanish pages also carry the out-of-date notice."""
    root = copy_example_site(tmp_path_factory.mktemp("spanish") / "site")
    originals = 0
    for path in sorted((root / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "translation_key:" in text and "\nlang: es" not in text:
            path.write_text(text + "\nWe check this page every month.\n", encoding="utf-8")
            originals += 1
    assert originals >= 5
    result = build(root)
    assert sum(1 for d in result.diagnostics if d.code == "TR002") >= 5
    output = root / "output"
    return {
        p.relative_to(output).as_posix(): p.read_text(encoding="utf-8")
        for p in html_pages(output)
        if p.relative_to(output).parts[0] == "es"
    }


def test_spanish_pages_have_no_english_interface_text(spanish_pages: dict[str, str]) -> None:
    kinds = {"es/404.html", "es/index.html", "es/glossary/index.html", "es/search/index.html"}
    assert kinds <= spanish_pages.keys()
    assert any(k.startswith("es/studies/") for k in spanish_pages)
    assert any(k.startswith("es/results/") for k in spanish_pages)
    found = {rel: english_words(html) for rel, html in spanish_pages.items()}
    assert {rel: words for rel, words in found.items() if words} == {}


def test_out_of_date_notice_is_in_spanish(spanish_pages: dict[str, str]) -> None:
    notices = [html for html in spanish_pages.values() if "translation-notice" in html]
    assert len(notices) >= 5
    for html in notices:
        assert "puede no estar al día" in html and "Lea la versión original en inglés" in html
