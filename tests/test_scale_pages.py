"""No page grows with the site: a generated site of 250 short study pages
(``benchmarks/generate.py``). Every public HTML page stays under 60 KB; the dashboard's
``index.html``, measured at two site sizes and extrapolated to 10,000 pages, stays under 2 MB;
paged condition pages show exactly the studies of the one-page listing, in the same order, and
"studies near me" on them sorts every one (Chromium, 375 and 1280 px)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from patient_support import serve
from scale_support import many_pages

from sitegen.render import listing

PAGES = 250
PAGE_LIMIT = 60 * 1024
DASHBOARD_LIMIT = 2 * 1024 * 1024
PER_PAGE = 5


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as it comes (kept as ``before/``), then with five studies a page."""
    from sitegen.cli import main

    root = many_pages(tmp_path_factory.mktemp("scale"), PAGES)
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    shutil.copytree(root / "output", root / "before")
    with (root / "site.yml").open("a") as f:
        f.write("# listings of five studies a page\n")  # not a no-change build
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(listing, "STUDIES_PER_PAGE", PER_PAGE)
        assert main(["build", "--root", str(root), "--quiet"]) == 0
    return root


def test_no_public_page_is_over_60_kb(site: Path) -> None:
    out = site / "before"
    sizes = {p: p.stat().st_size for p in out.rglob("*.html")}
    assert len(sizes) > PAGES
    assert (out / "page" / "2" / "index.html").is_file()  # the home page is paged
    over = {str(p.relative_to(out)): n for p, n in sizes.items() if n > PAGE_LIMIT}
    assert over == {}


def test_the_dashboard_stays_under_2_mb_at_10000_pages(site: Path) -> None:
    """``index.html`` rendered from the first 120 and from all 250 pages' results, the growth
    per page extrapolated to 10,000 pages."""
    from sitegen.build.pipeline import build_site
    from sitegen.content.config import load_config
    from sitegen.report import history
    from sitegen.report.dashboard import render_dashboard
    from sitegen.report.overview import summarise

    config, _ = load_config(site)
    assert config is not None
    result = build_site(site, config, write=False)
    summaries = summarise(result.results, config.language, None, result.diagnostics)
    entries = [history.entry_for(result, datetime(2026, 1, 1, tzinfo=UTC))]
    size = {
        n: len(render_dashboard(config, result, summaries[:n], entries)["index.html"])
        for n in (120, PAGES)
    }
    per_page = (size[PAGES] - size[120]) / (PAGES - 120)
    at_10000 = size[PAGES] + per_page * (10_000 - PAGES)
    assert at_10000 < DASHBOARD_LIMIT, (size, per_page)


def _cards(html: str, at: str) -> list[str]:
    hrefs = re.findall(r'class="card-title"><a href="([^"]*)"', html)
    return [urljoin("http://site/" + at, h).removeprefix("http://site/") for h in hrefs]


def test_paged_condition_pages_show_every_study_once_in_the_same_order(site: Path) -> None:
    conditions = sorted(p.name for p in (site / "before" / "conditions").iterdir() if p.is_dir())
    assert len(conditions) >= 10
    for name in conditions:
        base = f"conditions/{name}/"
        before = _cards((site / "before" / base / "index.html").read_text(), base)
        shown, n = [], 1
        while True:
            at = base if n == 1 else f"{base}page/{n}/"
            if not (site / "output" / at / "index.html").is_file():
                break
            page = _cards((site / "output" / at / "index.html").read_text(), at)
            assert 1 <= len(page) <= PER_PAGE
            shown += page
            n += 1
        assert len(before) > PER_PAGE and n - 1 == -(-len(before) // PER_PAGE)
        assert shown == before, name


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site / "output") as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_near_me_sorts_every_study_of_a_paged_condition_page(
    chromium: Any, base_url: str, site: Path, width: int
) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        base = "conditions/asthma/"
        every = _cards((site / "before" / base / "index.html").read_text(), base)
        tab.goto(base_url + base)
        assert tab.locator("#study-list > li").count() == PER_PAGE
        tab.locator("details:has(#near) > summary").click()
        tab.get_by_label(re.compile("ZIP code")).fill("02115")
        tab.locator("#near button[type=submit]").click()
        tab.locator("#near-status").filter(has_text="02115").wait_for(timeout=10_000)
        hrefs = tab.eval_on_selector_all(
            "#study-list > li .card-title a", "els => els.map(e => e.href)"
        )
        assert sorted(h.removeprefix(base_url) for h in hrefs) == sorted(every)
        km = [
            int(m.group(1))
            for t in tab.locator("#study-list .near-distance").all_inner_texts()
            if (m := re.search(r"about (\d+) km", t))
        ]
        assert len(km) == len(every) and km == sorted(km)
        assert tab.locator("#study-list h2.card-title").count() == len(every)
        assert not tab.locator("nav.pager").is_visible()
        sizes = tab.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes[0] <= sizes[1]
    finally:
        context.close()
