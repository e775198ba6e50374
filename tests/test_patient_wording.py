"""What a patient reads on the built example site, checked for wording slips: dates in the
words of the page's language, counts in the singular for one, labels that agree with what
they label."""

from __future__ import annotations

import json
import posixpath
import re
import string

import pytest
from patient_support import OpenElements, example_site, html_pages

from sitegen.content.model import STATUSES
from sitegen.i18n import LANGUAGES, catalogue, flat_keys
from sitegen.render.facts import date_text

_TIME = re.compile(r'<time datetime="([0-9-]+)">([^<]*)</time>')


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every HTML page of the built example site, by its path in the output folder."""
    output, _ = example_site(tmp_path_factory.mktemp("wording"))
    return {
        p.relative_to(output).as_posix(): p.read_text(encoding="utf-8") for p in html_pages(output)
    }


def _lang(rel: str) -> str:
    return "es" if rel.startswith("es/") else "en"


def test_dates_are_written_in_words_of_the_page_language(pages: dict[str, str]) -> None:
    seen = {"en": 0, "es": 0}
    for rel, html in pages.items():
        for iso, shown in _TIME.findall(html):
            lang = _lang(rel)
            assert shown == date_text(iso, catalogue(lang)), f"{rel}: {shown!r}"
            assert not re.search(r"\d{4}-\d{2}", shown), f"{rel}: {shown!r}"
            seen[lang] += 1
    # every study, results and information page with `updated`, and the accessibility pages
    assert seen["en"] >= 10 and seen["es"] >= 4, seen
    asthma = pages["es/studies/asma-inhalador/index.html"]
    assert "Última revisión de esta página: <time" in asthma
    assert ">12 de enero de 2026</time>" in asthma
    assert ">12 January 2026</time>" in pages["studies/asthma-inhaler/index.html"]


def test_the_condition_label_is_singular_for_one_condition(pages: dict[str, str]) -> None:
    counts: dict[tuple[str, int], int] = {}
    for rel, html in pages.items():
        cat = catalogue(_lang(rel))
        one, many = cat.t("condition"), cat.t("conditions")
        for label, items in re.findall(r"<dt>([^<]*)</dt> <dd>(.*?)</dd>", html, flags=re.S):
            if label not in (one, many):
                continue
            n = len(re.sub(r"<[^>]*>", "", items).split(", "))
            assert label == (one if n == 1 else many), f"{rel}: {label!r} for {n}"
            counts[_lang(rel), n] = counts.get((_lang(rel), n), 0) + 1
    # key facts and study cards, with one condition and with two, in both languages
    assert counts.get(("en", 1)) and counts.get(("en", 2)) and counts.get(("es", 1)), counts


#: placeholders that stand for a number in the catalogues
_NUMBERS = frozenset({"n", "count", "shown", "total", "km", "mi", "max", "day", "year"})
#: words ending in "s" that are not plurals
_NOT_PLURAL = frozenset({"más"})


def _one_everywhere(text: str) -> str:
    fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return text.format(**{f: "1" if f in _NUMBERS else "X" for f in fields})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_interface_string_puts_a_plural_after_one(lang: str) -> None:
    """A string with a number says "1 study", "1 milla" when the number is one, or has a
    ``_one`` form beside it that the code picks."""
    cat = catalogue(lang)
    keys = flat_keys(cat.strings)
    checked, wrong = 0, []
    for key in sorted(keys):
        value = cat.get(key)
        if not isinstance(value, str) or not _NUMBERS & {
            f for _, f, _, _ in string.Formatter().parse(value) if f
        }:
            continue
        if f"{key.removesuffix('_many')}_one" in keys or f"{key}_one" in keys:
            continue  # the code picks the _one form for one
        checked += 1
        text = _one_everywhere(value)
        for m in re.finditer(r"\b1 (?:\w+ ){0,2}?(\w+s)\b", text):
            if m.group(1) not in _NOT_PLURAL:
                wrong.append(f"{key}: {text}")
    assert checked >= 10
    assert wrong == []


class _Foreign(OpenElements):
    """The text of a page inside elements marked as another language than the page's."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def handle_data(self, data: str) -> None:
        langs = [lg for _, lg in self.stack if lg]
        if data.strip() and langs and langs[-1] != self.lang:
            self.texts.append(data.strip())


def test_interface_text_is_never_marked_as_another_language(pages: dict[str, str]) -> None:
    """A screen reader reads a part marked ``lang="es"`` with Spanish sounds: the page's own
    interface strings (the hidden "Read this page in" before the language switch's
    "Español") must not sit inside it."""
    for rel, html in pages.items():
        lang = _lang(rel)
        cat = catalogue(lang)
        own = {str(cat.get(k)) for k in flat_keys(cat.strings) if isinstance(cat.get(k), str)}
        own = {s for s in own if len(s.split()) >= 2 and "{" not in s}
        parser = _Foreign(lang)
        parser.feed(html)
        assert [t for t in parser.texts if t in own] == [], rel
    switch = pages["index.html"].split('class="lang-switch"', 1)[1].split("</div>", 1)[0]
    assert '<span lang="es">Español</span>' in switch and "Read this page in" in switch


def test_spanish_interface_says_problema_de_salud_throughout() -> None:
    """The Spanish pages call a health condition "problema de salud" (labels, filters,
    headings); "condición de salud", a calque of the English, named the same thing twice
    on the home page's finder and in the conditions page's description."""
    cat = catalogue("es")
    texts = {k: str(cat.get(k)) for k in flat_keys(cat.strings)}
    assert [k for k, v in texts.items() if re.search(r"\bcondici(ón|ones)\b", v, re.I)] == []
    assert "problema de salud" in texts["finder.open"]
    assert texts["conditions_description"].startswith("Los problemas de salud")


_HREFLANG = re.compile(r'<a ([^>]*)hreflang="([a-z]+)"([^>]*)>(.*?)</a>(.{0,80})', re.S)


def test_a_link_to_a_page_in_another_language_says_so(pages: dict[str, str]) -> None:
    """A link such as "Lea sobre el estudio" to an English page says "(en inglés)" after it,
    as the home page's list of studies in another language does; a link whose own text is in
    that language (a title, "Español") or names it ("... original en inglés") needs nothing."""
    checked = 0
    for rel, html in pages.items():
        cat = catalogue(_lang(rel))
        for before, other, after, text, following in _HREFLANG.findall(html):
            if other == _lang(rel) or "lang=" in before + after:
                continue
            name = cat.t(f"language_names.{other}")
            if f'lang="{other}"' in text or name in text:
                continue
            checked += 1
            tag = cat.t("in_language", language=name)
            assert re.sub(r"<[^>]*>", "", following).lstrip().startswith(tag), f"{rel}: {text}"
    assert checked >= 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_status_reads_well_after_its_label(lang: str) -> None:
    """Pages write "Status: <label>" (cards, study pages, each place): no label repeats the
    word "Status" ("Status: Status not confirmed recently")."""
    cat = catalogue(lang)
    label = cat.t("status").casefold()
    for status in STATUSES:
        text = cat.t(f"status_labels.{status}")
        assert text and label not in text.casefold(), (status, text)


def test_the_healthy_volunteers_fact_says_what_yes_and_no_answer(pages: dict[str, str]) -> None:
    """Key facts answered "Yes" or "No" to "People without the condition", a group of people
    and no question: the label now says what the answer is about, as the finder's filter
    ("Only studies that take people without the health condition") does."""
    rows = {"en": set(), "es": set()}
    for rel, html in pages.items():
        if "/studies/" not in "/" + rel:
            continue
        cat = catalogue(_lang(rel))
        label = cat.t("healthy_volunteers")
        found = re.findall(rf"<dt>{re.escape(label)}</dt> <dd>([^<]*)</dd>", html)
        assert len(found) == 1, rel
        rows[_lang(rel)] |= set(found)
    assert rows == {"en": {"Yes", "No"}, "es": {"No"}}
    assert catalogue("en").t("healthy_volunteers").startswith("Takes people without")
    assert catalogue("es").t("healthy_volunteers").startswith("Acepta personas sin")


def test_spanish_design_sentences_say_whose_treatment() -> None:
    """In "Usted y el equipo del estudio sabrán qué tratamiento recibe" it was open who receives
    the treatment (usted or the team); every other design sentence says "recibe usted"."""
    cat = catalogue("es")
    design = {k: str(cat.get(k)) for k in flat_keys(cat.strings) if k.startswith("design.")}
    about = [v for v in design.values() if "qué tratamiento recibe" in v]
    assert len(about) >= 5
    assert [v for v in about if "qué tratamiento recibe usted" not in v] == []


def test_see_other_studies_leads_to_other_studies(pages: dict[str, str]) -> None:
    """The pre-screener's "See other studies about Asthma" led to the Asthma page, which
    listed only the study the patient had just been told was not for them: it is offered
    only for a condition whose page lists other studies too, and names that condition."""
    offered = left_out = 0
    for rel, html in pages.items():
        m = re.search(r"data-prescreen-data>(.*?)</script>", html, flags=re.S)
        if not m:
            continue
        data = json.loads(m.group(1))
        if not data["otherUrl"]:
            assert data["otherText"] == ""
            left_out += 1
            continue
        offered += 1
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), data["otherUrl"]))
        listing = pages[target + "/index.html"]
        cards = re.findall(r'class="card-title"><a href="([^"]*)"', listing)
        assert len(cards) >= 2, (rel, target)
    # every condition of the example has one study a language: nothing to offer
    assert left_out >= 6 and offered == 0


def test_how_to_take_part_says_when_only_invited_people_can(pages: dict[str, str]) -> None:
    """The invitation-only walking study's "How to take part" said what every open study
    says ("Call or e-mail the study team ... check with you if the study is right for you")
    under "Taking part by invitation only"."""
    boxes = {}
    for rel, html in pages.items():
        m = re.search(r'id="take-part-heading">[^<]*</h2>\s*<p>([^<]*)</p>', html)
        if m:
            boxes[rel] = m.group(1)
    en = catalogue("en")
    invited = "studies/memory-walking-group/index.html"
    assert boxes[invited] == en.t("take_part.text_invitation")
    others = [text for rel, text in boxes.items() if rel != invited]
    assert len(others) >= 8
    assert all(t in (en.t("take_part.text"), catalogue("es").t("take_part.text")) for t in others)
