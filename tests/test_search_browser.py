"""The search page with sitegen's own index (search.js), in real headless Chromium: typing finds
the matching pages only and says how many, inflected and accent-free words find their pages,
filters narrow the results with true counts, ?q= runs on load, "More results", keyboard-only
use, no request leaves the site, axe finds nothing, it fits 375 px and 1280 px with 44 px
targets, a Spanish page speaks only Spanish, and a missing index or a file:// page is said.

The example site is built once and its pages indexed with ``searchindex.build_index``; what
each query must show comes from the Python twin of the query (``search_query``)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_support import AXE_TAGS
from patient_support import example_site, serve
from search_support import SiteIndex, write_index
from test_spanish_pages import english_words

from sitegen.publish.searchdoc import doc_id, terms

pytestmark = pytest.mark.browser

STATUS = "#search .search-status"
RESULT_LINKS = ".search-result-title a"
OPEN = "Looking for volunteers"


@dataclass(frozen=True)
class Site:
    url: str
    output: Path
    index: SiteIndex

    def expected(self, lang: str, text: str, **filters: list[str]) -> list[str]:
        """The links the query must show, in order (filters by name, spaces as _)."""
        checked = {name.replace("_", " "): values for name, values in filters.items()}
        return [self.url + u for u in self.index.query(lang, text, checked)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example site with its search index, served."""
    built, _ = example_site(tmp_path_factory.mktemp("search"))
    page = (built / "search" / "index.html").read_text(encoding="utf-8")
    assert "data-index=" in page
    output = tmp_path_factory.mktemp("search-site") / "output"
    shutil.copytree(built, output)
    index = write_index(output, ["en", "es"], "en")
    with serve(output) as url:
        yield Site(url, output, index)


@pytest.fixture
def page(chromium: Any, site: Site) -> Iterator[Any]:
    """A 1280 px tab that records its requests and fails the test on a script error or on a
    request that leaves the site."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests = []  # type: ignore[attr-defined]
    errors: list[str] = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == []
    assert [u for u in pg.requests if not u.startswith(site.url)] == []


def status_is(page: Any, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator(STATUS)).to_have_text(text, timeout=5_000)


def count_is(page: Any, selector: str, n: int) -> None:
    from playwright.sync_api import expect

    expect(page.locator(selector)).to_have_count(n, timeout=5_000)


def links(page: Any) -> list[str]:
    return page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")


def filter_values(site: Site, urls: list[str], name: str) -> list[str]:
    """The values of filter ``name`` that the English pages at ``urls`` have, sorted."""
    docs = [site.index.docs["en"][doc_id(u.removeprefix(site.url))] for u in urls]
    return sorted({v for d in docs for n, values in d.filters if n == name for v in values})


def type_query(page: Any, text: str) -> None:
    box = page.locator("#search-q")
    box.fill("")
    box.press_sequentially(text, delay=40)


def has_form(site: Site, lang: str, url: str, form: str) -> bool:
    """Whether the page at ``url`` has the word ``form`` itself."""
    return form in terms(site.index.docs[lang][doc_id(url)], lang)


# ---------------------------------------------------------------------------- finding


def test_typing_shows_the_matching_pages_only(page: Any, site: Site) -> None:
    page.goto(site.url + "search/")
    assert page.evaluate("document.activeElement.id") == "search-q"  # ready to type
    type_query(page, "asthma")
    expected = site.expected("en", "asthma")
    assert len(expected) == 2
    status_is(page, "2 results for asthma")
    assert links(page) == expected
    assert page.evaluate("location.search") == "?q=asthma"  # shareable
    marks = page.locator(".search-excerpt mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} == {"asthma"}
    # the study's sections that mention it, linked to their headings
    study = page.locator(".search-result", has=page.locator(f"a[href='{expected[0]}']"))
    subs = study.locator(".search-subs a")
    assert 1 <= subs.count() <= 3
    heading = subs.first.inner_text()
    page.goto(subs.first.get_attribute("href"))
    assert page.locator(":target").inner_text() == heading  # the anchor is that heading


def test_more_words_narrow_the_results(page: Any, site: Site) -> None:
    page.goto(site.url + "search/")
    type_query(page, "study")
    status_is(page, "16 results for study")
    type_query(page, "study asthma")  # every word must match; the list is replaced
    status_is(page, "2 results for study asthma")
    assert links(page) == site.expected("en", "study asthma")


def test_inflected_words_find_the_page(page: Any, site: Site) -> None:
    about = site.url + "about/"
    assert has_form(site, "en", "about/", "inhaler")
    assert not has_form(site, "en", "about/", "inhalers")
    page.goto(site.url + "search/")
    type_query(page, "inhalers")
    status_is(page, "2 results for inhalers")
    assert about in links(page)
    assert links(page) == site.expected("en", "inhalers")
    type_query(page, "volunteer")  # most pages say only "volunteers"
    expected = site.expected("en", "volunteer")
    without = [
        u for u in expected if not has_form(site, "en", u.removeprefix(site.url), "volunteer")
    ]
    assert len(without) > 3
    status_is(page, f"{len(expected)} results for volunteer")
    assert links(page) == expected[:10]


def test_accent_free_spanish_query_finds_the_page(page: Any, site: Site) -> None:
    assert not has_form(site, "es", "es/studies/presion-arterial-app/", "presion")
    page.goto(site.url + "es/search/?q=presion")
    expected = site.expected("es", "presion")
    status_is(page, f"{len(expected)} resultados para presion")
    assert site.url + "es/studies/presion-arterial-app/" in expected
    assert links(page) == expected
    marks = page.locator(".search-excerpt mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} == {"presión"}


def test_a_word_start_finds_the_longer_word(page: Any, site: Site) -> None:
    expected = site.expected("en", "osteo")  # no page has "osteo" itself
    assert site.url + "studies/knee-osteoarthritis-injection/" in expected
    page.goto(site.url + "search/?q=osteo")
    status_is(page, f"{len(expected)} results for osteo")
    assert links(page) == expected


def test_nothing_found_says_so_and_offers_the_lists(page: Any, site: Site) -> None:
    page.goto(site.url + "search/?q=zebra")
    status_is(page, "Nothing was found for zebra.")
    assert page.locator(RESULT_LINKS).count() == 0
    help_box = page.locator(".search-help")
    assert "Try fewer words" in help_box.inner_text()
    shown = page.locator(".search-browse a").evaluate_all("els => els.map(e => e.href)")
    assert help_box.locator("a").evaluate_all("els => els.map(e => e.href)") == shown
    page.goto(site.url + "search/?q=asthma%20zebra")  # every word must match
    status_is(page, "Nothing was found for asthma zebra.")


def test_an_index_that_cannot_be_loaded_is_said(page: Any, site: Site) -> None:
    page.route("**/search-index/en/meta.json", lambda route: route.fulfill(status=500))
    page.goto(site.url + "search/?q=asthma")
    status_is(page, "Sorry, search is not working at the moment.")
    assert "try again later" in page.locator(".search-help").inner_text()
    assert page.locator(RESULT_LINKS).count() == 0


def test_a_page_opened_as_a_file_shows_the_note(page: Any, site: Site) -> None:
    page.goto((site.output / "search" / "index.html").as_uri())
    assert page.locator("#search-file-note").is_visible()
    assert not page.locator("#search").is_visible()
    page.requests.clear()  # file:// requests are not the web site's


# ---------------------------------------------------------------------- page and filters


def test_query_from_the_address_runs_on_load(page: Any, site: Site) -> None:
    page.goto(site.url + "search/?q=inhaler")
    status_is(page, "2 results for inhaler")
    assert page.locator("#search-q").input_value() == "inhaler"
    assert links(page) == site.expected("en", "inhaler")


def test_back_from_a_result_returns_to_the_last_search(page: Any, site: Site) -> None:
    page.goto(site.url + "search/?q=study")
    status_is(page, "16 results for study")
    type_query(page, "inhaler")  # the address follows without adding history entries
    status_is(page, "2 results for inhaler")
    page.locator(RESULT_LINKS).first.click()
    page.wait_for_url(site.expected("en", "inhaler")[0])
    page.go_back()
    assert page.url == site.url + "search/?q=inhaler"
    status_is(page, "2 results for inhaler")
    page.go_back()
    assert page.url == "about:blank"


def test_filter_narrows_the_results_with_true_counts(page: Any, site: Site) -> None:
    page.goto(site.url + "search/?q=study")
    status_is(page, "16 results for study")
    legends = page.locator(".search-filter legend").all_inner_texts()
    assert legends == ["Country", "Health condition", "Status"]
    open_ = site.expected("en", "study", Status=[OPEN])
    option = page.locator("label.search-option", has_text=OPEN)
    assert option.locator(".search-option-count").inner_text() == f"({len(open_)})"
    option.locator("input").check()
    status_is(page, f"{len(open_)} results for study")
    assert links(page) == open_
    assert page.evaluate("document.activeElement.type") == "checkbox"  # focus stays
    # only values present in the results (plus checked ones) are offered
    conditions = page.locator(".search-filter", has_text="Health condition")
    shown = conditions.locator(".search-option-value").all_inner_texts()
    assert shown == filter_values(site, open_, "Health condition")
    # values of one filter add up, filters narrow each other
    us = site.expected("en", "study", Status=[OPEN], Country=["United States"])
    country = page.locator("label.search-option", has_text="United States")
    assert country.locator(".search-option-count").inner_text() == f"({len(us)})"
    country.locator("input").check()
    status_is(page, f"{len(us)} results for study")
    assert links(page) == us
    page.get_by_role("button", name="Clear filters").click()
    status_is(page, "16 results for study")
    assert page.locator(".search-option input:checked").count() == 0


def test_filters_alone_list_their_pages(page: Any, site: Site) -> None:
    page.goto(site.url + "search/")
    page.locator("label.search-option", has_text="Asthma").locator("input").check()
    status_is(page, "1 result")
    assert links(page) == [site.url + "studies/asthma-inhaler/"]


def test_more_results_shows_ten_more(page: Any, site: Site) -> None:
    page.goto(site.url + "search/?q=study")
    status_is(page, "16 results for study")
    expected = site.expected("en", "study")
    assert links(page) == expected[:10]
    more = page.get_by_role("button", name="More results")
    more.click()
    count_is(page, RESULT_LINKS, 16)
    assert links(page) == expected
    # the reader carries on at the first new result; nothing more to load
    assert page.evaluate("document.activeElement.href") == expected[10]
    assert not more.is_visible()


def test_keyboard_only(page: Any, site: Site) -> None:
    page.goto(site.url + "search/")
    page.locator("#main").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-q":
            break
    else:
        pytest.fail("the search box was not reached with Tab")
    page.keyboard.type("inhaler")
    page.keyboard.press("Enter")
    status_is(page, "2 results for inhaler")
    page.keyboard.press("Tab")
    first = site.expected("en", "inhaler")[0]
    assert page.evaluate("document.activeElement.href") == first
    page.keyboard.press("Enter")
    page.wait_for_url(first)
    assert page.locator("h1").inner_text().startswith("Testing an extra inhaler")


def test_no_request_leaves_the_site(page: Any, site: Site) -> None:
    page.goto(site.url + "search/?q=study")
    status_is(page, "16 results for study")
    page.get_by_role("button", name="More results").click()
    count_is(page, RESULT_LINKS, 16)
    type_query(page, "asthma")
    status_is(page, "2 results for asthma")
    type_query(page, "study")
    status_is(page, "16 results for study")
    assert [u for u in page.requests if not u.startswith(site.url)] == []
    assert not any("pagefind" in u for u in page.requests)
    shards = [u for u in page.requests if u.endswith("/search-index/en/w/st.json")]
    assert len(shards) == 1  # each file is fetched once per page load


# ----------------------------------------------------------------- accessibility, layout


@pytest.mark.parametrize("path", ["search/?q=asthma", "search/?q=study", "es/search/?q=asma"])
def test_axe_finds_no_violations_with_results_shown(page: Any, site: Site, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site.url + path)
    page.locator(RESULT_LINKS).first.wait_for()
    page.locator(".search-filter").first.wait_for()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]  # fmt: skip
    assert violations == []


TARGETS = """() => [...document.querySelectorAll(
    '#search input, #search button, #search a, #search label.search-option')]
  .filter(e => e.offsetParent !== null && !(e.type === 'checkbox'))
  .map(e => { const b = e.getBoundingClientRect();
              return {what: e.outerHTML.slice(0, 60), w: b.width, h: b.height}; })"""


@pytest.mark.parametrize("width", [375, 1280])
def test_layout_fits_with_large_targets(chromium: Any, site: Site, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 800})
    pg = context.new_page()
    try:
        pg.goto(site.url + "search/?q=study")
        status_is(pg, "16 results for study")
        pg.locator(".search-filter").first.wait_for()
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
        small = [t for t in pg.evaluate(TARGETS) if t["h"] < 44 or t["w"] < 44]
        assert small == []
        results = pg.locator(".search-results").bounding_box()
        filters = pg.locator(".search-filters").bounding_box()
        if width == 1280:  # side by side, results first
            assert filters["x"] > results["x"] + results["width"] - 1
        else:  # one column, the filters after the results
            assert filters["y"] >= results["y"] + results["height"] - 1
            assert filters["x"] + filters["width"] <= width
    finally:
        context.close()


def test_spanish_page_speaks_only_spanish(page: Any, site: Site) -> None:
    page.goto(site.url + "es/search/?q=asma")
    status_is(page, "2 resultados para asma")
    page.locator(".search-filter").first.wait_for()
    assert page.locator("label[for=search-q]").inner_text() == "Palabras que busca"
    assert english_words(page.content()) == []
    type_query(page, "cebra")
    status_is(page, "No encontramos nada para cebra.")
    assert english_words(page.content()) == []
    page.route("**/search-index/es/meta.json", lambda route: route.fulfill(status=500))
    page.goto(site.url + "es/search/?q=asma")
    status_is(page, "Lo sentimos, la búsqueda no funciona en este momento.")
    assert english_words(page.content()) == []
    assert re.search(r"\bMás resultados\b", page.content()) is not None  # the hidden button
