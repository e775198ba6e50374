"""Studies near me in real headless Chromium: a patient enters a ZIP code or a town and the
study cards come in the order of the distance to each study's nearest site, as computed here
in Python from the study metadata; every request stays on the site; axe-clean; 375 px; and
without JavaScript the studies stay a plain list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import zipcodes
from browser_support import AXE_TAGS
from patient_support import example_site, recording_page, serve

from sitegen.content.model import StudyMeta
from sitegen.render import nearme

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, StudyMeta]]]:
    """The example site served on 127.0.0.1, and each study page's metadata by URL."""
    output, result = example_site(tmp_path_factory.mktemp("near"))
    metas = {r.page.url: r.page.meta for r in result.results if isinstance(r.page.meta, StudyMeta)}
    with serve(output) as url:
        yield url, metas


@pytest.fixture
def page(chromium: Any, built: tuple[str, dict[str, StudyMeta]]) -> Iterator[Any]:
    """A page at 375 px whose every request is recorded."""
    context = chromium.new_context(viewport={"width": 375, "height": 812})
    pg = recording_page(context)
    yield pg
    context.close()
    outside = [u for u in pg.requests if not u.startswith(built[0])]
    assert outside == [], outside
    assert pg.errors == []


def expected_order(
    shown: list[str], metas: dict[str, StudyMeta], home: tuple[float, float]
) -> list[tuple[str, float | None]]:
    """The cards' URLs sorted by the distance to the nearest site (unknown last, ties and
    unknowns in page order), with that distance, from the metadata alone."""
    rows = []
    for i, url in enumerate(shown):
        points = [(s.lat, s.lon) for s in metas[url].sites if s.lat is not None]
        rows.append((url, nearme.nearest_km(home, points), i))
    rows.sort(key=lambda r: (r[1] is None, r[1] or 0.0, r[2]))
    return [(url, km) for url, km, _ in rows]


def card_urls(pg: Any, base: str) -> list[str]:
    hrefs = pg.eval_on_selector_all("#study-list > li .card-title a", "els => els.map(e => e.href)")
    return [h.removeprefix(base) for h in hrefs]


def search(pg: Any, text: str, done: str) -> None:
    pg.locator("details:has(#near) > summary").click()
    pg.get_by_label(re.compile("ZIP code|código postal")).fill(text)
    pg.locator("#near button[type=submit]").click()
    pg.locator("#near-status").filter(has_text=done).wait_for(timeout=10_000)


@pytest.mark.parametrize(
    ("path", "zip_code"),
    [("", "80202"), ("es/", "30303"), ("conditions/asthma/", "10001"),
     ("es/conditions/asma/", "97201")],
)  # fmt: skip
def test_zip_code_sorts_by_distance_to_the_nearest_site(
    page: Any, built: tuple[str, dict[str, StudyMeta]], path: str, zip_code: str
) -> None:
    base, metas = built
    page.goto(base + path)
    before = card_urls(page, base)
    assert len(before) >= (2 if path in ("", "es/") else 1)
    row = zipcodes.matching(zip_code)[0]
    home = (float(row["lat"]), float(row["long"]))
    want = expected_order(before, metas, home)
    assert want != [(u, None) for u in before]  # some listed study has a known place
    if len(before) > 2:
        assert [url for url, _ in want] != before  # the page order is not already the answer

    search(page, zip_code, zip_code)
    assert card_urls(page, base) == [url for url, _ in want]
    shown_km = page.eval_on_selector_all(
        "#study-list > li",
        "els => els.map(e => { const d = e.querySelector('.near-distance');"
        " return d ? d.textContent : null; })",
    )
    for (url, km), text in zip(want, shown_km, strict=True):
        if km is None:
            assert text is None, url
        else:
            # under half a mile: "less than 1 km", not "about 0 km"
            shown = "1 km" if round(km / 1.609344) == 0 else f"{round(km)} km"
            assert text is not None and shown in text, (url, km, text)
    # only the one piece of the postcode table this ZIP code is in was loaded
    tables = [u for u in page.requests if "/assets/near/" in u]
    assert [u.removeprefix(base) for u in tables] == [f"assets/near/pc/{zip_code[:3]}.json"]
    # no sideways scrolling at 375 px with the form open
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.locator("#near button[type=reset]").click()
    assert card_urls(page, base) == before
    assert page.locator(".near-distance").count() == 0


def test_town_and_unknown_place(page: Any, built: tuple[str, dict[str, StudyMeta]]) -> None:
    base, metas = built
    page.goto(base)
    before = card_urls(page, base)
    search(page, "Nashville, TN", "Nashville, TN")
    row = next(r for r in zipcodes.filter_by(city="Nashville", state="TN"))
    first = card_urls(page, base)[0]
    assert first == expected_order(before, metas, (float(row["lat"]), float(row["long"])))[0][0]
    assert any(s.city == "Nashville" for s in metas[first].sites)

    page.get_by_label("ZIP code").fill("Nowhereville")
    page.locator("#near button[type=submit]").click()
    page.locator("#near-status").filter(has_text="could not find").wait_for(timeout=10_000)
    assert page.get_by_label("ZIP code").get_attribute("aria-invalid") == "true"


def test_near_form_is_accessible(page: Any, built: tuple[str, dict[str, StudyMeta]]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, _ = built
    for path, text in (("", "02115"), ("es/conditions/asma/", "Boston")):
        page.goto(base + path)
        search(page, text, "Boston" if text == "Boston" else text)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                      for v in results.response["violations"]]  # fmt: skip
        assert violations == [], f"{path}: {violations}"


def test_without_javascript_a_plain_list(
    chromium: Any, built: tuple[str, dict[str, StudyMeta]]
) -> None:
    base = built[0]
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 812}
    )
    pg = context.new_page()
    try:
        for path in ("", "conditions/asthma/"):
            pg.goto(base + path)
            assert not pg.locator("#near").is_visible()
            assert pg.locator("#study-list > li:visible").count() >= 1
            assert pg.locator(".near-distance").count() == 0
    finally:
        context.close()


def _zip_near(
    urls: list[str], metas: dict[str, StudyMeta], low: float, high: float
) -> tuple[str, str]:
    """A ZIP code from which the nearest site of one of these studies is ``low`` to ``high``
    km away, and that study's URL."""
    for url in urls:
        points = [(s.lat, s.lon) for s in metas[url].sites if s.lat is not None and s.lon]
        for row in zipcodes.list_all():
            if not row.get("lat") or row.get("zip_code_type") not in ("STANDARD", None):
                continue
            home = (float(row["lat"]), float(row["long"]))
            if not any(abs(home[0] - p[0]) < 0.05 and abs(home[1] - p[1]) < 0.05 for p in points):
                continue
            km = nearme.nearest_km(home, points)
            if km is not None and low <= km <= high:
                return row["zip_code"], url
    raise AssertionError(f"no ZIP code {low} to {high} km from a listed study")


@pytest.mark.parametrize(
    ("path", "low", "high", "mile", "miles"),
    [
        ("", 1.2, 2.0, "(1 mile)", " miles)"),
        ("es/", 1.2, 2.0, "(1 milla)", " millas)"),
        # a site in the very ZIP code: not "about 0 km (0 miles)"
        ("", 0.0, 0.3, "less than 1 km (under 1 mile)", " miles)"),
        ("es/", 0.0, 0.3, "a menos de 1 km (menos de 1 milla)", " millas)"),
    ],
)
def test_one_mile_is_singular_and_zero_is_less_than_one(
    page: Any,
    built: tuple[str, dict[str, StudyMeta]],
    path: str,
    low: float,
    high: float,
    mile: str,
    miles: str,
) -> None:
    base, metas = built
    page.goto(base + path)
    urls = card_urls(page, base)
    zip_code, near_url = _zip_near(urls, metas, low, high)
    search(page, zip_code, zip_code)
    texts = dict(
        zip(
            card_urls(page, base),
            page.eval_on_selector_all(
                "#study-list > li",
                "els => els.map(e => { const d = e.querySelector('.near-distance');"
                " return d ? d.textContent : null; })",
            ),
            strict=True,
        )
    )
    assert texts[near_url].endswith(mile), texts[near_url]
    others = [t for u, t in texts.items() if u != near_url and t]
    assert others and all(t.endswith(miles) and "(1 " not in t for t in others), others
    assert not any(re.search(r"\b0 (km|mile|milla)", t) for t in texts.values() if t)
