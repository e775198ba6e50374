"""Paged study listings (``render/listing.py``) on the example site with one study a page:
the pages of each listing together show exactly the studies the one-page listing shows, in
the same order; the pager is in the page's language with ``rel`` links; without JavaScript the
pager leads through every study, and with it the study finder and "studies near me" cover
every study (loaded from ``listing.json``). In headless Chromium at 375 and 1280 px."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from browser_support import AXE_TAGS, nu_html_errors, open_tab
from patient_support import serve

from sitegen.render import listing

REPO = Path(__file__).resolve().parent.parent
PER_PAGE = 1


def _cards(html: str, at: str) -> list[str]:
    """The study links of the cards of a listing page at site path ``at``, in order, as site
    paths."""
    hrefs = re.findall(r'class="card-title"><a href="([^"]*)"', html)
    return [urljoin("http://site/" + at, h).removeprefix("http://site/") for h in hrefs]


def _listing(out: Path, base: str) -> list[list[str]]:
    """The cards of each page of the listing at ``base`` (a site path), first page first."""
    pages = [_cards((out / base / "index.html").read_text(), base)]
    n = 2
    while (out / base / "page" / str(n) / "index.html").is_file():
        at = f"{base}page/{n}/"
        pages.append(_cards((out / at / "index.html").read_text(), at))
        n += 1
    return pages


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built with one-page listings (kept as ``before/``), then with two
    studies a page."""
    from sitegen.cli import main

    root = tmp_path_factory.mktemp("listing")
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yml", root / "site.yml")
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    shutil.copytree(root / "output", root / "before")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(listing, "STUDIES_PER_PAGE", PER_PAGE)
        assert main(["build", "--root", str(root), "--quiet", "--clean"]) == 0
    return root


def _listings(out: Path) -> list[str]:
    """Every listing's site path: the home page of each language and each condition page."""
    bases = ["", "es/"]
    for lang in ("", "es/"):
        folders = sorted((out / lang / "conditions").iterdir())
        bases += [f"{lang}conditions/{p.name}/" for p in folders if p.is_dir()]
    return bases


def test_the_pages_of_a_listing_show_every_study_once_in_the_same_order(site: Path) -> None:
    paged = 0
    for base in _listings(site / "before"):
        before = _cards((site / "before" / base / "index.html").read_text(), base)
        pages = _listing(site / "output", base)
        assert [s for page in pages for s in page] == before, base
        assert all(len(p) == PER_PAGE for p in pages[:-1]) and 1 <= len(pages[-1]) <= PER_PAGE
        assert len(pages) == max(1, -(-len(before) // PER_PAGE))
        paged += len(pages) > 1
    assert paged >= 2  # both home pages (each condition has one study: test_scale_pages.py)


def test_the_listing_index_holds_every_card_in_listing_order(site: Path) -> None:
    for lang in ("", "es/"):
        home = _cards((site / "before" / lang / "index.html").read_text(), lang)
        data = json.loads((site / "output" / lang / "listing.json").read_text())
        at = lang + "listing.json"
        assert [_cards(card, at)[0] for card in data["cards"]] == home
    assert not (site / "before" / "listing.json").exists()  # one page: no index, as before


def test_the_pager_speaks_the_page_language_and_links_rel_prev_and_next(site: Path) -> None:
    html = (site / "output" / "es" / "page" / "2" / "index.html").read_text()
    assert '<html lang="es"' in html
    assert 'aria-label="Páginas de la lista de estudios"' in html
    assert "Página 2 de 3" in html and ">Página anterior<" in html
    assert '<link rel="prev" href="../../../es/">' in html
    assert '<link rel="next" href="../../../es/page/3/">' in html
    first = (site / "output" / "index.html").read_text()
    assert '<link rel="next" href="page/2/">' in first and 'rel="prev"' not in first
    assert ">Next page<" in first and 'aria-current="page"' in first
    assert "Página" not in first


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site / "output") as url:
        yield url


@pytest.fixture(params=[375, 1280])
def tab(request: pytest.FixtureRequest, chromium: Any, base_url: str) -> Iterator[Any]:
    with open_tab(chromium, request.param) as page:
        yield page


def _shown(tab: Any, base_url: str) -> list[str]:
    hrefs = tab.eval_on_selector_all(
        "#study-list > li:not([hidden]) .card-title a", "els => els.map(e => e.href)"
    )
    return [h.removeprefix(base_url) for h in hrefs]


def _no_sideways_scroll(tab: Any) -> None:
    sizes = tab.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], sizes


@pytest.mark.browser
def test_without_javascript_the_pager_leads_through_every_study(
    chromium: Any, base_url: str, site: Path
) -> None:
    for width, lang, label in ((375, "es/", "Página siguiente"), (1280, "", "Next page")):
        context = chromium.new_context(
            java_script_enabled=False, viewport={"width": width, "height": 900}
        )
        try:
            tab = context.new_page()
            tab.goto(base_url + lang)
            seen: list[str] = []
            while True:
                seen += _shown(tab, base_url)
                _no_sideways_scroll(tab)
                nav = tab.locator("nav.pager")
                assert nav.is_visible()
                for box in [a.bounding_box() for a in nav.locator("a").all()]:
                    assert box["height"] >= 44 and box["width"] >= 44  # touch targets
                nxt = nav.get_by_role("link", name=label)
                if not nxt.count():
                    break
                # the next page fully loaded before it is read (a loaded machine could
                # evaluate in the new document before it had an element)
                with tab.expect_navigation(wait_until="load"):
                    nxt.click()
            assert seen == _cards((site / "before" / lang / "index.html").read_text(), lang)
        finally:
            context.close()


@pytest.mark.browser
def test_the_finder_covers_every_study(tab: Any, base_url: str, site: Path) -> None:
    tab.goto(base_url)
    first = _shown(tab, base_url)
    assert len(first) == PER_PAGE
    every = _cards((site / "before" / "index.html").read_text(), "")
    # a condition none of the first page's studies has
    html = (site / "before" / "index.html").read_text()
    cards = re.findall(r'<li class="card study-card"[^>]*data-conditions="([^"]*)"[^>]*>\s*'
                       r'<h3 class="card-title"><a href="([^"]*)"', html)  # fmt: skip
    wanted = next(c for c, _ in cards if not any(c == d for d, u in cards if u in first))
    condition = wanted.strip("|").split("|")[0]
    expected = [u for c, u in cards if f"|{condition}|" in c]
    tab.locator("details.finder-details > summary").first.click()
    tab.locator("#f-condition").select_option(condition)
    tab.locator("nav.pager").wait_for(state="hidden")
    assert _shown(tab, base_url) == expected
    count = tab.locator("#finder-count").inner_text()
    assert count == f"Studies shown: {len(expected)} of {len(every)}."
    tab.locator("#f-condition").select_option("")
    assert _shown(tab, base_url) == every
    _no_sideways_scroll(tab)


@pytest.mark.browser
def test_near_me_sorts_every_study_of_a_paged_listing(tab: Any, base_url: str) -> None:
    tab.goto(base_url)
    tab.locator("details:has(#near) > summary").click()
    tab.get_by_label(re.compile("ZIP code")).fill("02115")
    tab.locator("#near button[type=submit]").click()
    tab.locator("#near-status").filter(has_text="02115").wait_for(timeout=10_000)
    shown = _shown(tab, base_url)
    assert len(shown) > PER_PAGE and tab.locator(".near-distance").count() >= PER_PAGE
    assert not tab.locator("nav.pager").is_visible()
    _no_sideways_scroll(tab)


@pytest.mark.browser
def test_axe_finds_no_violations_on_a_paged_listing(tab: Any, base_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for path in ("", "page/2/", "es/page/2/"):
        tab.goto(base_url + path)
        result = Axe().run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert [v["id"] for v in result.response["violations"]] == [], path


def test_the_nu_html_checker_finds_no_error(site: Path) -> None:
    out = site / "output"
    assert (
        nu_html_errors([str(out / p / "index.html") for p in ("", "page/2/", "es/page/2/")]) == []
    )


def test_studies_only_in_another_language_are_counted_not_all_listed(site: Path) -> None:
    """The Spanish home page lists one page's worth of the studies that are only in English,
    counts them all and links the English home page, which lists every one."""
    pattern = r'<ul class="other-language-list">(.*?)</ul>'
    before = (site / "before" / "es" / "index.html").read_text()
    after = (site / "output" / "es" / "index.html").read_text()
    every = re.findall(r"<li>", re.search(pattern, before, re.S).group(1))  # type: ignore[union-attr]
    shown = re.findall(r"<li>", re.search(pattern, after, re.S).group(1))  # type: ignore[union-attr]
    assert len(every) > PER_PAGE and len(shown) == PER_PAGE
    heading = r'id="other-language-heading">[^<]*<span class="count">\(([^)]*)\)'
    assert re.search(heading, after).group(1) == re.search(heading, before).group(1)  # type: ignore[union-attr]
    more = f"… y {len(every) - PER_PAGE} más. Todos están en la página de inicio en"
    # the sentence ends after the link: "... en inglés."
    assert more in after and 'hreflang="en">inglés</a>.</p>' in after
    assert "Todos están" not in before
