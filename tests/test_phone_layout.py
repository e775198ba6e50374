"""Phone first, print and reflow, measured in headless Chromium: at 375x812 the header takes at
most a quarter of the screen, a study page shows its status, summary, how to take part (with a
contact) and Key facts within two screen heights, the home page its first study on the first
screen; nothing overflows at 320 px in either language; a study page prints on at most 3 A4
pages with how to take part and Key facts on page 1; axe finds nothing at 375 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import AXE_TAGS
from patient_support import example_site, serve

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
STUDIES = {"en": "studies/asthma-inhaler/", "es": "es/studies/asma-inhalador/"}
HOMES = {"en": "", "es": "es/"}
ALL_TYPES = {
    "en": ["", "studies/asthma-inhaler/", "studies/type-2-diabetes-weekly/", "about/",
           "conditions/asthma/", "conditions/", "glossary/", "search/", "404.html"],
    "es": ["es/", "es/studies/asma-inhalador/", "es/studies/diabetes-tipo-2-semanal/",
           "es/acerca-de/", "es/conditions/asma/", "es/conditions/", "es/glossary/",
           "es/search/", "es/404.html"],
}  # fmt: skip
PRINTED = [*STUDIES.values(), "studies/type-2-diabetes-weekly/", "studies/blood-pressure-app/"]

BOX = """sel => { const e = document.querySelector(sel); if (!e) return null;
  const b = e.getBoundingClientRect();
  return {top: b.top + scrollY, bottom: b.bottom + scrollY, left: b.left, right: b.right}; }"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output, _ = example_site(tmp_path_factory.mktemp("phone"))
    with serve(output) as url:
        yield url


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.evaluate(BOX, selector)
    assert found is not None, f"{selector} is not on {page.url}"
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
def test_study_page_puts_facts_and_a_contact_on_the_first_two_screens(
    phone: Any, site_url: str, lang: str
) -> None:
    phone.goto(site_url + STUDIES[lang])
    two_screens = 2 * PHONE["height"]
    assert box(phone, ".site-header")["bottom"] <= PHONE["height"] / 4
    assert box(phone, ".study-header .status")["bottom"] <= PHONE["height"]
    assert box(phone, ".study-header .lead")["bottom"] <= PHONE["height"]
    action = box(phone, "#take-part")
    assert action["bottom"] <= two_screens, action
    links = phone.eval_on_selector_all(
        "#take-part a[href^='tel:'], #take-part a[href^='mailto:']", "els => els.length"
    )
    assert links >= 1  # the action carries a contact, not only a link further down
    facts = box(phone, ".facts")
    assert facts["top"] <= two_screens - 200, facts  # heading and first facts visible
    rows = phone.eval_on_selector_all(
        ".facts dl > div",
        f"els => els.filter(e => e.getBoundingClientRect().bottom + scrollY <= {two_screens})"
        ".length",
    )
    assert rows >= 3, rows


@pytest.mark.parametrize("lang", ["en", "es"])
def test_home_page_shows_the_first_study_on_the_first_screen(
    phone: Any, site_url: str, lang: str
) -> None:
    phone.goto(site_url + HOMES[lang])
    assert box(phone, ".site-header")["bottom"] <= PHONE["height"] / 4
    title = box(phone, "#study-list > li:first-child .card-title")
    assert title["top"] + 28 <= PHONE["height"], title  # its first line of title is visible


def test_wide_screen_keeps_facts_beside_the_title(chromium: Any, site_url: str) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for path in STUDIES.values():
            page.goto(site_url + path)
            header, aside = box(page, ".study-header"), box(page, ".study-aside")
            assert aside["left"] >= header["right"], (header, aside)
            assert abs(aside["top"] - header["top"]) < 40
            assert box(page, "#take-part")["bottom"] <= 900
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_horizontal_overflow_at_320px(chromium: Any, site_url: str, lang: str) -> None:
    context = chromium.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        for path in ALL_TYPES[lang]:
            page.goto(site_url + path)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 320, f"{path} is {wide}px wide at 320px"
    finally:
        context.close()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("path", PRINTED)
def test_study_page_prints_on_three_a4_pages_with_facts_on_page_one(
    chromium: Any, site_url: str, path: str
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + path)
        page.emulate_media(media="print")
        pages = _pdf_pages(page.pdf(format="A4"))
        assert 1 <= pages <= 3, f"{path}: {pages} pages"
        # page 1 is the first 273 mm (A4 minus the 12 mm margins) of a 186 mm wide column
        mm = 96 / 25.4
        page.set_viewport_size({"width": round(186 * mm), "height": round(273 * mm)})
        first_page = 273 * mm
        assert box(page, ".facts")["bottom"] <= first_page, path
        if page.locator("#take-part").count():
            assert box(page, "#take-part")["bottom"] <= first_page, path
            assert page.locator("#take-part .contact a").first.is_visible(), path
    finally:
        context.close()


def test_finder_refuses_an_impossible_age(chromium: Any, site_url: str) -> None:
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url)
        total = page.locator("#study-list > li").count()
        page.click(".finder summary")
        page.fill("#f-age", "130")
        page.click("#finder button[type=submit]")
        expect(page.locator("#f-age-error")).to_be_visible()
        assert page.get_attribute("#f-age", "aria-invalid") == "true"
        assert page.locator("#study-list > li:visible").count() == total
        page.fill("#f-age", "60")
        page.click("#finder button[type=submit]")
        expect(page.locator("#f-age-error")).to_be_hidden()
        assert page.locator("#study-list > li:visible").count() < total
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_axe_finds_nothing_on_a_phone(phone: Any, site_url: str, lang: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path in (HOMES[lang], STUDIES[lang], ALL_TYPES[lang][4]):
        phone.goto(site_url + path)
        results = axe.run(phone, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
        ]
        assert violations == [], f"{path}: {violations}"
