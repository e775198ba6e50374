"""What a patient sees, in real headless Chromium: definitions, search, the pre-screener, the
study finder, the language switch, accessibility (axe), privacy, layout and JavaScript off.

One browser for the session; the example site is built once into a temporary copy and
served on 127.0.0.1. Screenshots go to ``test-artifacts/patient/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import AXE_TAGS
from patient_support import REPO, example_site, serve

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "patient"
STUDY = "studies/asthma-inhaler/"
STUDY_ES = "es/studies/asma-inhalador/"
#: one page of every generated type, in both languages
PAGE_TYPES = {
    "home": ("", "es/"),
    "study": (STUDY, STUDY_ES),
    "plain page": ("about/", "es/acerca-de/"),
    "condition": ("conditions/asthma/", "es/conditions/asma/"),
    "conditions index": ("conditions/", "es/conditions/"),
    "glossary": ("glossary/", "es/glossary/"),
    "404": ("404.html", "es/404.html"),
    "search": ("search/?q=asthma", "es/search/?q=asma"),
}


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site, built once and served on 127.0.0.1."""
    output, _ = example_site(tmp_path_factory.mktemp("patient"))
    with serve(output) as url:
        yield url


@pytest.fixture
def page(chromium: Any, site_url: str) -> Iterator[Any]:
    """A fresh page whose every request is recorded (``page.requests``)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
    yield pg
    context.close()
    assert_local(pg.requests, site_url)  # no test may see a request leave 127.0.0.1


def shot(page: Any, name: str, **kwargs: Any) -> Path:
    """Save a screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def to_docs(path: Path, name: str) -> None:
    """Copy a screenshot to ``docs/screenshots/`` when ``SITEGEN_DOCS_SCREENSHOTS=1``
    (a deliberate update, so an ordinary test run never changes tracked files)."""
    if os.environ.get("SITEGEN_DOCS_SCREENSHOTS") != "1":
        return
    docs = REPO / "docs" / "screenshots"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, docs / name)


def assert_local(requests: list[str], site_url: str) -> None:
    """No request may leave the local test server."""
    outside = [u for u in requests if not u.startswith(site_url) and not u.startswith("data:")]
    assert outside == [], outside


# ------------------------------------------------------------------------- definitions


def test_definition_opens_with_keyboard(page: Any, site_url: str) -> None:
    page.goto(site_url + STUDY)
    page.locator("#main").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('term')"):
            break
    else:
        pytest.fail("no definition link reached with Tab")
    term = page.evaluate("document.activeElement.textContent")
    assert term == "placebo"
    # screen readers: the definition is the link's description, read without moving
    described = page.evaluate(
        "document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
        ".textContent"
    )
    assert "no medicine in it" in described
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#def-placebo"
    target = page.locator(":target")
    text = target.inner_text()
    assert "placebo" in text and "no medicine in it" in text
    assert target.is_visible()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # scrolled into view
    section = page.locator("section.study-section", has=page.locator("#def-placebo"))
    to_docs(shot(section, "definition-open"), "study-definition-open.png")
    # and back to where the reader was
    page.locator(":target a.term-back").click()
    assert page.evaluate("location.hash") == "#term-placebo"
    assert page.errors == []


def test_glossary_lists_the_term_with_anchor(page: Any, site_url: str) -> None:
    page.goto(site_url + STUDY + "#def-placebo")
    page.locator("#def-placebo a[href*='glossary/#placebo']").click()
    page.wait_for_url(re.compile(r"/glossary/#placebo$"))
    assert "no medicine in it" in page.locator(":target").inner_text()


# ------------------------------------------------------------------------------- search


def test_search_finds_a_study(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.fill("#site-search-q", "inhaler")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=inhaler"))
    from playwright.sync_api import expect

    link = page.locator(".search-result-title a").first
    link.wait_for(timeout=10_000)
    expect(page.locator(".search-filter legend")).to_have_count(3, timeout=15_000)
    filters = page.locator(".search-filter legend").all_inner_texts()
    assert {"Health condition", "Status", "Country"} <= {f.strip() for f in filters}
    page.wait_for_timeout(300)  # let result excerpts settle for the screenshot
    to_docs(shot(page, "search-results"), "search-results.png")
    link.click()
    page.wait_for_load_state()
    assert "/studies/" in page.url
    assert page.locator("h1").inner_text().startswith("Testing an extra inhaler")
    assert_local(page.requests, site_url)
    assert page.errors == []


def test_search_in_spanish_uses_the_spanish_index(page: Any, site_url: str) -> None:
    page.goto(site_url + "es/search/?q=inhalador")
    page.locator(".search-result-title a").first.wait_for(timeout=10_000)
    hrefs = page.eval_on_selector_all(".search-result-title a", "els => els.map(e => e.href)")
    assert hrefs and all("/es/" in h for h in hrefs)


# ------------------------------------------------------------------------ pre-screener


def _result(page: Any, expected: str) -> str:
    """The text announced in the pre-screener's status region once it contains ``expected``."""
    from playwright.sync_api import expect

    status = page.locator("#ps-result")
    expect(status).to_contain_text(expected)
    assert status.get_attribute("role") == "status"
    return status.inner_text()


def answer_bullets(page: Any) -> None:
    """Answer every "Is this true for you?" bullet question the way that fits the study."""
    for radio in page.locator("form[data-prescreen] input[id^='ps-in'][value='yes']").all():
        radio.check()
    for radio in page.locator("form[data-prescreen] input[id^='ps-ex'][value='no']").all():
        radio.check()


def test_prescreen_errors_then_fit_then_not(page: Any, site_url: str) -> None:
    page.goto(site_url + STUDY)
    form = page.locator("form[data-prescreen]")
    form.scroll_into_view_if_needed()
    page.click("form[data-prescreen] button[type=submit]")
    # age missing: message tied to the field, field marked invalid and focused
    error = page.locator("#ps-age-error")
    assert error.is_visible() and "age" in error.inner_text().lower()
    age = page.locator("#ps-age")
    assert "ps-age-error" in (age.get_attribute("aria-describedby") or "")
    assert age.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "ps-age"
    assert "Some questions need an answer" in _result(page, "Some questions")
    assert page.url.endswith(STUDY)  # the form never navigates

    # answers that fit, typed with the keyboard
    page.keyboard.type("34")
    page.check("#ps-q1-yes")
    page.check("#ps-q2-no")
    answer_bullets(page)
    age.press("Enter")  # implicit submission from the age field
    text = _result(page, "You may be able to join")
    assert "not a medical decision" in text
    assert not error.is_visible()
    assert page.locator("#ps-result a[href='#contact-team']").count() == 1
    to_docs(shot(page.locator("#prescreen"), "prescreen-fit"), "prescreen-result.png")

    # too old, and a smoker: two reasons
    age.fill("75")
    page.check("#ps-q2-yes")
    page.click("form[data-prescreen] button")
    text = _result(page, "probably not for you")
    assert "18 to 70 years" in text
    assert "Do you smoke now?" in text
    shot(page.locator("#prescreen"), "prescreen-not-fit")
    assert page.url.endswith(STUDY)
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert_local(page.requests, site_url)
    assert page.errors == []


def test_prescreen_in_spanish(page: Any, site_url: str) -> None:
    page.goto(site_url + STUDY_ES)
    page.fill("#ps-age", "40")
    page.check("#ps-q1-no")
    page.check("#ps-q2-no")
    answer_bullets(page)
    page.click("form[data-prescreen] button")
    text = _result(page, "Probablemente este estudio no es para usted")
    assert "¿Un médico le ha dicho que tiene asma?" in text
    assert "no es una decisión médica" in text


def test_no_prescreen_on_closed_studies(page: Any, site_url: str) -> None:
    page.goto(site_url + "studies/migraine-prevention/")
    assert page.locator("form[data-prescreen]").count() == 0


# ------------------------------------------------------------------------- home finder


def _visible_cards(page: Any) -> int:
    return page.locator("#study-list > li:visible").count()


def test_home_filters(page: Any, site_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(site_url)
    page.click(".finder summary")  # the filters fold away so the studies come first on a phone
    total = page.locator("#study-list > li").count()
    assert total == 10 and _visible_cards(page) == total
    count = page.locator("#finder-count")
    assert count.get_attribute("role") == "status"

    page.select_option("#f-condition", label="Asthma")
    assert _visible_cards(page) == 1
    assert count.inner_text() == f"Studies shown: 1 of {total}."

    page.select_option("#f-condition", value="")
    page.select_option("#f-status", value="recruiting")
    recruiting = _visible_cards(page)
    assert 0 < recruiting < total
    statuses = page.eval_on_selector_all(
        "#study-list > li:not([hidden])", "els => els.map(e => e.dataset.status)"
    )
    assert set(statuses) == {"recruiting"}

    # keyboard: type an age, tick "healthy volunteers" with the space bar
    page.focus("#f-age")
    page.keyboard.type("60")
    expect(count).not_to_have_text(f"Studies shown: {recruiting} of {total}.")
    aged = _visible_cards(page)
    assert aged < recruiting
    page.focus("#f-healthy")
    page.keyboard.press("Space")
    assert page.is_checked("#f-healthy")
    assert _visible_cards(page) == 0
    assert page.locator("#finder-none").is_visible()

    page.select_option("#f-place", label="Madrid")
    page.click("button[type=reset]")
    expect(count).to_have_text(f"Studies shown: {total} of {total}.")
    assert _visible_cards(page) == total
    assert page.url.rstrip("/") == site_url.rstrip("/")  # nothing submitted
    shot(page, "home-finder", full_page=True)


def test_home_filter_by_place(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.click(".finder summary")
    page.select_option("#f-place", label="Madrid")
    titles = page.locator("#study-list > li:visible h3").all_inner_texts()
    assert titles == ["Testing an extra inhaler for asthma that still causes problems"]


# ----------------------------------------------------------------------------- language


def test_language_switch(page: Any, site_url: str) -> None:
    page.goto(site_url + STUDY)
    assert page.get_attribute("html", "lang") == "en"
    page.click(".lang-switch a[hreflang=es]")
    page.wait_for_url(re.compile(re.escape(STUDY_ES) + "$"))
    assert page.get_attribute("html", "lang") == "es"
    assert page.locator("h1").inner_text().startswith("Prueba de un inhalador")
    assert page.locator(".site-search button").inner_text() == "Buscar"
    page.click(".lang-switch a[hreflang=en]")
    page.wait_for_url(re.compile(re.escape(STUDY) + "$"))
    assert page.get_attribute("html", "lang") == "en"


# --------------------------------------------------------------------------- axe-core


@pytest.fixture(scope="module")
def axe_page(chromium: Any) -> Iterator[Any]:
    """One page for all axe runs."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_has_no_violations(axe_page: Any, site_url: str, kind: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path in PAGE_TYPES[kind]:
        axe_page.goto(site_url + path)
        if kind == "search":
            axe_page.locator(".search-result-title a").first.wait_for(timeout=10_000)
        results = axe.run(axe_page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
        ]
        assert violations == [], f"{path}: {violations}"


# ---------------------------------------------------------------- privacy and layout


def test_no_third_party_requests_no_cookies_no_storage(page: Any, site_url: str) -> None:
    for path in ("", STUDY, "es/", "glossary/", "search/?q=asthma"):
        page.goto(site_url + path)
    page.locator(".search-result-title a").first.wait_for(timeout=10_000)
    assert_local(page.requests, site_url)
    assert any("/search-index/en/" in u for u in page.requests)  # the index came from the site
    assert page.context.cookies() == []
    storage = page.evaluate("[document.cookie, localStorage.length, sessionStorage.length]")
    assert storage == ["", 0, 0]
    assert page.errors == []


CLS_JS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 1000);
})"""


def test_no_layout_shift_from_late_content(page: Any, site_url: str) -> None:
    # Pages whose content is all in the HTML must not move at all, even when the HTML arrives
    # slowly and the browser paints the part it has (a slow phone connection, or a loaded
    # machine): the network is throttled to 20 KB/s so the page is painted in pieces.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    slow = {
        "offline": False,
        "latency": 40,
        "downloadThroughput": 20_000,
        "uploadThroughput": 20_000,
    }
    cdp.send("Network.emulateNetworkConditions", slow)
    for path in ("", STUDY):
        page.goto(site_url + path)
        assert page.evaluate(CLS_JS) < 0.01, path
    cdp.send(
        "Network.emulateNetworkConditions",
        {**slow, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    # The search page fills in Pagefind's UI and results after loading; space is reserved,
    # but on a loaded machine Pagefind's own widgets can still settle a little: hold it to
    # the "good" cumulative layout shift threshold (0.1).
    page.goto(site_url + "search/?q=asthma")
    assert page.evaluate(CLS_JS) < 0.1


@pytest.mark.parametrize(
    ("width", "scale"),
    [(320, 1), (640, 2)],  # 320 CSS px wide; a 1280 px window at 200% zoom
    ids=["320px", "zoom-200"],
)
def test_reflow_without_horizontal_scrolling(
    chromium: Any, site_url: str, width: int, scale: int
) -> None:
    context = chromium.new_context(
        viewport={"width": width, "height": 800}, device_scale_factor=scale
    )
    pg = context.new_page()
    try:
        for path in ("", STUDY, "search/?q=asthma", "glossary/"):
            pg.goto(site_url + path)
            pg.wait_for_timeout(200)
            wide = pg.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide}px wide at {width}px"
        if width == 320:
            pg.goto(site_url + STUDY)
            shot(pg, "study-320", full_page=True)
    finally:
        context.close()


# ------------------------------------------------------------------------ JavaScript off


def test_works_without_javascript(chromium: Any, site_url: str) -> None:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    pg = context.new_page()
    try:
        pg.goto(site_url)
        assert pg.locator("#study-list > li:visible").count() == 10
        assert not pg.locator("#finder").is_visible()
        assert pg.locator("noscript, .note").first.count() == 1
        assert "need JavaScript" in pg.locator("body").inner_text()

        pg.goto(site_url + STUDY)
        assert pg.locator(".eligibility").is_visible()
        assert "You may be able to join if" in pg.locator(".eligibility").inner_text()
        assert not pg.locator("form[data-prescreen]").is_visible()
        assert "checker needs JavaScript" in pg.locator("#prescreen").inner_text()
        pg.locator("a.term").first.click()
        assert pg.evaluate("location.hash") == "#def-placebo"
        assert "no medicine in it" in pg.locator(":target").inner_text()

        pg.goto(site_url + "search/")
        assert "Search needs JavaScript" in pg.locator("main").inner_text()
        shot(pg, "study-no-js")
    finally:
        context.close()
