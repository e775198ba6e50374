"""The built example site, read as files: languages, glossary links, privacy, page budget,
search attributes and a byte-for-byte reproducible build (search index included)."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from patient_support import REPO, build, copy_example_site, example_site, html_pages

from sitegen.i18n import catalogue, flat_keys

BASE = "https://studies.example.org/"
# 70 KB uncompressed (about 15 KB gzipped): the pre-screener asks about every eligibility
# bullet, and the stylesheet carries the phone, print and site-list rules.
BUDGET = 70 * 1024
ARTIFACTS = REPO / "test-artifacts" / "patient"


class Page(HTMLParser):
    """The facts of one built page that these tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang = ""
        self.ids: set[str] = set()
        self.links: list[dict[str, str]] = []  # <link>
        self.anchors: list[str] = []  # <a href>
        self.scripts: list[dict[str, str]] = []
        self.resources: list[str] = []  # src= of anything
        self.csp = ""
        self.lang_switch = False
        self.forms: list[dict[str, str]] = []
        self.filters: list[str] = []
        self.body_attr = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "link":
            self.links.append(a)
        if tag == "a" and "href" in a:
            self.anchors.append(a["href"])
        if tag == "script":
            self.scripts.append(a)
        if "src" in a:
            self.resources.append(a["src"])
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content", "")
        if "lang-switch" in a.get("class", "").split():
            self.lang_switch = True
        if tag == "form":
            self.forms.append(a)
        if "data-search-filter" in a:
            self.filters.append(a["data-search-filter"])
        if "data-search-body" in a:
            self.body_attr = True


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Page]]:
    output, _ = example_site(tmp_path_factory.mktemp("patient"))
    pages = {
        p.relative_to(output).as_posix(): Page(p.read_text(encoding="utf-8"))
        for p in html_pages(output)
    }
    return output, pages


def url_to_file(url: str) -> str:
    rel = url.removeprefix(BASE)
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def test_every_page_has_its_language(built: tuple[Path, dict[str, Page]]) -> None:
    _, pages = built
    assert len(pages) > 40
    for rel, page in pages.items():
        assert page.lang == ("es" if rel.startswith("es/") else "en"), rel


def test_hreflang_alternates_point_both_ways_and_come_with_a_switcher(
    built: tuple[Path, dict[str, Page]],
) -> None:
    _, pages = built
    with_alts = 0
    for rel, page in pages.items():
        alts = {ln["hreflang"]: ln["href"] for ln in page.links if ln.get("rel") == "alternate"}
        if not alts:
            assert not page.lang_switch, f"{rel}: switcher without a translation"
            continue
        with_alts += 1
        assert set(alts) == {"en", "es"}, rel
        assert url_to_file(alts[page.lang]) == rel, rel
        assert page.lang_switch, f"{rel}: translated page without a language switcher"
        for lang, href in alts.items():
            other = pages[url_to_file(href)]
            back = {
                ln["hreflang"]: ln["href"] for ln in other.links if ln.get("rel") == "alternate"
            }
            assert url_to_file(back.get(page.lang, "")) == rel, f"{href} does not link back"
            assert other.lang == lang
    generated = ["index.html", "conditions/index.html", "glossary/index.html"]
    generated += ["search/index.html", "404.html", "studies/asthma-inhaler/index.html"]
    generated += ["about/index.html", "conditions/asthma/index.html"]
    for rel in generated:
        assert any(ln.get("rel") == "alternate" for ln in pages[rel].links), rel
    assert with_alts >= 2 * len(generated)


def test_spanish_pages_show_no_english_interface_text(built: tuple[Path, dict[str, Page]]) -> None:
    output, pages = built
    en, es = catalogue("en").strings, catalogue("es").strings
    english = set()
    for key in flat_keys(en):
        value = str(catalogue("en").get(key))
        if "{" in value or len(value.split()) < 2 or value == str(catalogue("es").get(key)):
            continue
        english.add(value)
    assert len(english) > 100 and es
    english |= {"Northfield Clinical Studies", "Northfield Research Office"}
    for rel in pages:
        if not rel.startswith("es/"):
            continue
        text = (output / rel).read_text(encoding="utf-8")
        text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)  # JSON-LD registry data
        # registry words quoted in English for health professionals, marked lang="en"
        text = re.sub(r'<(dd|div|p) lang="en"[^>]*>.*?</\1>', "", text, flags=re.S)
        found = sorted(s for s in english if s in text)
        assert found == [], f"{rel}: {found[:5]}"


def test_templates_have_no_hard_coded_text() -> None:
    theme = REPO / "sitegen" / "theme" / "templates"
    for path in sorted(theme.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
        text = re.sub(r"<script\b.*?</script>|<!--.*?-->", " ", text, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)
        words = re.findall(r"[^\W\d_]{2,}", text)
        assert words == [], f"{path.name}: {words[:10]}"


def test_template_strings_exist_in_every_catalogue() -> None:
    theme = REPO / "sitegen" / "theme" / "templates"
    used: set[str] = set()
    for path in theme.rglob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text()))
    assert used
    for lang in ("en", "es"):
        keys = flat_keys(catalogue(lang).strings)
        assert used <= keys, (lang, sorted(used - keys))
    assert flat_keys(catalogue("en").strings) == flat_keys(catalogue("es").strings)


def test_definitions_and_glossary_links_resolve(built: tuple[Path, dict[str, Page]]) -> None:
    _, pages = built
    checked = 0
    for rel, page in pages.items():
        folder = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
        for href in page.anchors:
            if href.startswith("#def-") or href.startswith("#term-"):
                assert href[1:] in page.ids, f"{rel}: {href}"
                checked += 1
            elif "glossary/#" in href:
                target, _, frag = href.partition("#")
                resolved = posixpath.normpath(folder + target) + "/index.html"
                assert frag in pages[resolved].ids, f"{rel}: {href}"
                checked += 1
    assert checked > 20


def test_glossary_pages_list_the_used_terms_alphabetically(
    built: tuple[Path, dict[str, Page]],
) -> None:
    output, _ = built
    for rel, lang in (("glossary/index.html", "en"), ("es/glossary/index.html", "es")):
        text = (output / rel).read_text(encoding="utf-8")
        terms = re.findall(r"<dt><dfn>([^<]+)</dfn>", text)
        assert terms, rel
        folded = [t.casefold() for t in terms]
        assert folded == sorted(folded, key=lambda s: s.translate(str.maketrans("áéíóú", "aeiou")))
        assert 'id="placebo"' in text
        assert f'<html lang="{lang}">' in text


def test_no_third_party_resources_and_a_strict_csp(built: tuple[Path, dict[str, Page]]) -> None:
    _, pages = built
    for rel, page in pages.items():
        for src in page.resources:
            assert not re.match(r"^(?:[a-z]+:)?//", src), f"{rel}: {src}"
        for ln in page.links:
            if ln.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
                assert not re.match(r"^(?:[a-z]+:)?//", ln["href"]), f"{rel}: {ln['href']}"
        for s in page.scripts:
            assert s.get("src") or s.get("type") in ("application/json", "application/ld+json")
        assert "script-src 'self'" in page.csp and "unsafe-inline" not in page.csp
        assert "connect-src 'self'" in page.csp
        assert "wasm" not in page.csp and "eval" not in page.csp, rel  # search included


def test_study_pages_stay_under_the_budget(built: tuple[Path, dict[str, Page]]) -> None:
    output, pages = built
    lines = []
    for rel, page in sorted(pages.items()):
        if "/studies/" not in "/" + rel:
            continue
        size = (output / rel).stat().st_size
        parts = [f"html {size}"]
        folder = (output / rel).parent
        assets = [ln["href"] for ln in page.links if ln.get("rel") == "stylesheet"]
        assets += [s["src"] for s in page.scripts if s.get("src")]
        for href in assets:
            n = (folder / href.split("?")[0]).resolve().stat().st_size
            parts.append(f"{href.split('?')[0].rsplit('/', 1)[-1]} {n}")
            size += n
        lines.append(f"{rel}: {size} bytes ({', '.join(parts)})")
        assert size < BUDGET, lines[-1]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "page-weights.txt").write_text("\n".join(lines) + "\n")
    assert len(lines) == 13


def test_search_attributes(built: tuple[Path, dict[str, Page]]) -> None:
    output, pages = built
    study = pages["studies/asthma-inhaler/index.html"]
    assert study.body_attr
    assert {"Health condition", "Status", "Country"} <= set(study.filters)
    assert {"Problema de salud", "Estado", "País"} <= set(
        pages["es/studies/asma-inhalador/index.html"].filters
    )
    assert pages["about/index.html"].body_attr
    assert not pages["index.html"].body_attr  # lists are not indexed twice
    text = (output / "studies/asthma-inhaler/index.html").read_text()
    body = text.index("data-search-body")
    assert text.index('class="site-nav"') < body < text.index('class="site-footer"')
    assert (output / "search-index" / "en" / "meta.json").is_file()


def test_prescreen_form_never_submits(built: tuple[Path, dict[str, Page]]) -> None:
    _, pages = built
    forms = pages["studies/asthma-inhaler/index.html"].forms
    prescreen = [f for f in forms if "data-prescreen" in f]
    assert len(prescreen) == 1
    assert prescreen[0]["method"] == "dialog" and "action" not in prescreen[0]
    assert not any(
        "data-prescreen" in f for f in pages["studies/migraine-prevention/index.html"].forms
    )


def test_build_is_reproducible_byte_for_byte(
    built: tuple[Path, dict[str, Page]], tmp_path: Path
) -> None:
    first, _ = built
    second = build_again(tmp_path)
    a = {p.relative_to(first).as_posix(): p for p in first.rglob("*") if p.is_file()}
    b = {p.relative_to(second).as_posix(): p for p in second.rglob("*") if p.is_file()}
    assert sorted(a) == sorted(b)
    assert any(name.startswith("search-index/es/w/") for name in a)
    different = [name for name in sorted(a) if a[name].read_bytes() != b[name].read_bytes()]
    assert different == []


def build_again(tmp_path: Path) -> Any:
    root = copy_example_site(tmp_path / "again")
    build(root)
    return root / "output"


def test_the_example_site_tells_no_reader_its_facts_may_be_out_of_date(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A new user's first site has no stale translation (TR001/TR002 put a notice on the page)
    and no recruiting study past its completion date (FACT002)."""
    _, result = example_site(tmp_path_factory.mktemp("patient"))
    assert [d.format() for d in result.diagnostics if d.code.startswith(("TR", "FACT"))] == []
