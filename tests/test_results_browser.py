"""The results page and the reader feedback form in headless Chromium, in English and
Spanish: axe (WCAG 2.2 AA) and the W3C Nu HTML checker find nothing, the icon arrays have a
text alternative, no request leaves the site, the layout fits at 375 px and 1280 px, and
the pages work without JavaScript and in print."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import AXE_TAGS
from patient_support import build, copy_example_site, serve
from test_page_types import nu_checker_errors

pytestmark = pytest.mark.browser

RESULTS = "results/childhood-eczema-cream/"
RESULTS_ES = "es/results/resultados-crema-eczema/"
STUDY = "studies/childhood-eczema-cream/"
#: pages with the feedback form (every page has it; the plain page has nothing else), and
#: the accessibility statement
FORM_PAGES = ("about/", "es/acerca-de/", "accessibility/", "es/accessibility/")
ENDPOINT = "https://forms.example.net/answers"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The example site with feedback on, built once and served on 127.0.0.1."""
    root = copy_example_site(tmp_path_factory.mktemp("results-browser") / "site")
    with (root / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write(f"feedback:\n  enabled: true\n  endpoint: {ENDPOINT}\n")
    build(root)
    with serve(root / "output") as url:
        yield url, root / "output"


@pytest.fixture
def page(chromium: Any, site: tuple[str, Path]) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()
    outside = [u for u in pg.requests if not u.startswith(site[0]) and not u.startswith("data:")]
    assert outside == []


@pytest.mark.parametrize("path", [RESULTS, RESULTS_ES, *FORM_PAGES])
def test_axe_finds_nothing_and_no_request_leaves_the_site(
    page: Any, site: tuple[str, Path], path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    url = site[0]
    page.goto(url + path)
    assert page.locator("form.feedback-form").count() == 1
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
    ]
    assert violations == [], f"{path}: {violations}"
    # Filling the form in sends nothing; only pressing Send would post to the endpoint.
    page.get_by_label(re.compile("^(Yes|Sí)$")).check()
    page.locator("#feedback-words").fill("placebo")
    page.wait_for_timeout(200)
    assert all(r.startswith(url) or r.startswith("data:") for r in page.requests)
    assert page.context.cookies() == []
    assert page.locator("form.feedback-form").get_attribute("action") == ENDPOINT


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        (RESULTS, "38 out of 100 children who used the study cream had clear or almost clear"),
        (RESULTS_ES, "38 de cada 100 niños que usaron la crema del estudio tenían la piel"),
    ],
)
def test_icon_arrays_have_a_text_alternative(
    page: Any, site: tuple[str, Path], path: str, sentence: str
) -> None:
    page.goto(site[0] + path)
    images = page.get_by_role("img", name=re.compile(re.escape(sentence)))
    assert images.count() == 1
    svg = images.first
    # 100 figures, 38 filled: the same numbers as the front matter and the caption
    assert svg.locator("g.icon-on").count() == 38
    assert svg.locator("g.icon-off").count() == 62
    # what a screen reader gets: the figure as one image named by the sentence
    snapshot = page.locator("figure.icon-figure").first.aria_snapshot()
    assert snapshot.startswith("- figure") and f'img "{sentence}' in snapshot, snapshot


@pytest.mark.parametrize("width", [375, 1280])
def test_results_layout_fits(chromium: Any, site: tuple[str, Path], width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    try:
        for path in (RESULTS, RESULTS_ES):
            pg.goto(site[0] + path)
            wide = pg.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide}px wide at {width}px"
            boxes = pg.evaluate(
                "() => [...document.querySelectorAll("
                "'main table, main svg.icon-array, form.feedback-form')]"
                ".map(e => e.getBoundingClientRect().right)"
            )
            assert boxes and max(boxes) <= width, (path, boxes)
            # the form's controls are large enough to hit (WCAG 2.2 target size, 24 px)
            sizes = pg.evaluate(
                "() => [...document.querySelectorAll('form.feedback-form button,"
                " form.feedback-form input:not([type=hidden])')]"
                ".map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
            )
            assert len(sizes) == 4 and all(w >= 20 and h >= 20 for w, h in sizes), sizes
            button = pg.locator("form.feedback-form button").bounding_box()
            assert button["height"] >= 44, button
        # the study page links to its results, the results page back
        pg.goto(site[0] + STUDY)
        pg.get_by_role("link", name=re.compile("Read the results in plain words")).click()
        assert pg.url == site[0] + RESULTS
        pg.get_by_role("link", name="Read about the study itself").click()
        assert pg.url == site[0] + STUDY
    finally:
        context.close()


def test_without_javascript_and_in_print(chromium: Any, site: tuple[str, Path]) -> None:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    pg = context.new_page()
    try:
        pg.goto(site[0] + RESULTS)
        assert pg.locator("svg.icon-array").count() == 2
        assert pg.locator("form.feedback-form button[type=submit]").is_visible()
        assert pg.locator("script").count() == 0  # results pages need no script at all
        pg.emulate_media(media="print")
        assert pg.locator("svg.icon-array").first.is_visible()
        assert pg.locator("figcaption").first.is_visible()
        assert not pg.locator("aside.feedback").is_visible()
        # filled and empty figures differ in shape, not only colour: fill vs outline
        fills = pg.evaluate(
            """() => [...document.querySelectorAll('svg.icon-array g')].map(
                 g => g.getAttribute('fill'))"""
        )
        assert set(fills) == {"currentColor", "none"}
    finally:
        context.close()


def test_the_html_checker_finds_no_error(site: tuple[str, Path]) -> None:
    out = site[1]
    pages = [str(out / p / "index.html") for p in (RESULTS, RESULTS_ES, STUDY, *FORM_PAGES)]
    assert nu_checker_errors(pages) == []
