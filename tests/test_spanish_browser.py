"""Spanish pages after their scripts have run, in headless Chromium: the search interface, the
pre-screener's messages and the out-of-date translation notice are Spanish, and the notice fits
a 375 px phone and a 1280 px screen and passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from patient_support import build, copy_example_site, serve
from test_spanish_pages import english_words

pytestmark = pytest.mark.browser

STUDY_ES = "es/studies/asma-inhalador/"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site with the English original of the asthma study edited after its
    translation (so the Spanish page carries the notice), built and served."""
    root = copy_example_site(tmp_path_factory.mktemp("es-browser") / "site")
    original = root / "content" / "studies" / "asthma-inhaler.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nWe review this page monthly.\n")
    result = build(root)
    assert any(d.code == "TR002" for d in result.diagnostics)
    with serve(Path(root) / "output") as url:
        yield url


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def test_search_interface_is_spanish(page: Any, site_url: str) -> None:
    page.goto(site_url + "es/search/?q=inhalador")
    page.locator(".search-result-title a").first.wait_for(timeout=10_000)
    html = page.content()
    assert 'id="search-q"' in html  # the interface was drawn by the script
    assert english_words(html) == []
    assert page.errors == []


def test_prescreen_messages_are_spanish(page: Any, site_url: str) -> None:
    page.goto(site_url + STUDY_ES)
    page.click("form[data-prescreen] button[type=submit]")
    page.locator("#ps-age-error").wait_for(state="visible")
    page.fill("#ps-age", "90")
    page.click("form[data-prescreen] button[type=submit]")
    status = page.locator("#ps-result")
    status.wait_for(state="visible")
    assert status.inner_text().strip()
    assert english_words(page.content()) == []
    assert page.errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_out_of_date_notice_is_shown_and_fits(chromium: Any, site_url: str, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 800})
    pg = context.new_page()
    try:
        pg.goto(site_url + STUDY_ES)
        notice = pg.locator(".translation-notice")
        assert notice.is_visible()
        assert "puede no estar al día" in notice.inner_text()
        box = notice.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["y"] < 800  # above the fold, before the study
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
        link = notice.locator("a")
        assert link.get_attribute("hreflang") == "en"
        link.click()
        pg.wait_for_load_state()
        assert pg.url.endswith("/studies/asthma-inhaler/")
        assert pg.locator(".translation-notice").count() == 0
    finally:
        context.close()


def test_page_with_the_notice_passes_axe(page: Any, site_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + STUDY_ES)
    assert page.locator(".translation-notice").is_visible()
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]  # fmt: skip
    assert violations == []
