"""The dashboard's page table when the site has more pages than one table page shows
(``report/dashtable.py``): the example site with five rows per table page. Without JavaScript
the table reads page by page through a pager; with it, sorting, filtering and "Show more"
cover every page (loaded from ``table/rows.js``), and a row made by the script says what the
HTML row says. In headless Chromium at 375 and 1280 px."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import AXE_TAGS, nu_html_errors, open_tab
from report_support import REPO, serve

from sitegen.report import dashtable

PER_PAGE = 5


def _rows(html: str) -> list[str]:
    """The source paths of the table's rows, in order."""
    return re.findall(r'<span class="path">([^<]+)</span>', html)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site checked once with the default table (one page: the order before
    paging), then built with five rows per table page."""
    from sitegen.cli import main

    root = tmp_path_factory.mktemp("paged")
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yml", root / "site.yml")
    assert main(["check", "--root", str(root), "--quiet"]) in (0, 1)
    shutil.copy(root / "reports" / "index.html", root / "unpaged.html")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dashtable, "ROWS_PER_PAGE", PER_PAGE)
        assert main(["build", "--root", str(root), "--quiet", "--clean"]) == 0
    return root


def _pages(reports: Path) -> list[Path]:
    files = [reports / "index.html"]
    n = 2
    while (reports / "table" / f"{n}.html").is_file():
        files.append(reports / "table" / f"{n}.html")
        n += 1
    return files


def test_pager_links_the_ends_and_the_neighbours() -> None:
    p = dashtable.pager(7, 1000, 100)
    assert (p.first_row, p.last_row, p.count) == (601, 700, 10)
    assert p.prev == "../table/6.html" and p.next == "../table/8.html"
    numbers = [None if link is None else link.number for link in p.links]
    assert numbers == [1, None, 5, 6, 7, 8, 9, 10]
    assert [link.href for link in p.links if link and link.current] == ["../table/7.html"]
    first = dashtable.pager(1, 1000, 100)
    assert first.prev is None and first.links[0] is not None
    assert first.links[0].href == "index.html" and first.next == "table/2.html"
    assert dashtable.pager(1, 100, 100).count == 1 and dashtable.page_count(0) == 1


def test_the_table_pages_together_show_every_page_once_in_the_same_order(site: Path) -> None:
    reports = site / "reports"
    before = _rows((site / "unpaged.html").read_text())
    assert len(before) == 23
    pages = _pages(reports)
    assert len(pages) == -(-len(before) // PER_PAGE)
    shown = [_rows(p.read_text()) for p in pages]
    assert all(len(rows) == PER_PAGE for rows in shown[:-1]) and 1 <= len(shown[-1]) <= PER_PAGE
    assert [path for rows in shown for path in rows] == before
    data = (reports / "table" / "rows.js").read_text()
    rows = json.loads(data.split("=", 1)[1].strip().rstrip(";"))
    path = rows["meta"]["fields"].index("path")
    assert [r[path] for r in rows["rows"]] == before


def test_the_unpaged_dashboard_has_no_pager(site: Path) -> None:
    html = (site / "unpaged.html").read_text()
    assert 'class="pager"' not in html and "data-rows" not in html


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site / "reports") as url:
        yield url


@pytest.fixture(params=[375, 1280])
def tab(request: pytest.FixtureRequest, chromium: Any, base_url: str) -> Iterator[Any]:
    with open_tab(chromium, request.param, base_url + "index.html") as page:
        yield page


def _shown(tab: Any) -> list[str]:
    return tab.eval_on_selector_all(
        "#pages-table tbody tr:not([hidden]) .path", "els => els.map(e => e.textContent)"
    )


def _grades(tab: Any) -> list[float]:
    return [
        float(x)
        for x in tab.eval_on_selector_all(
            "#pages-table tbody tr:not([hidden]) td[data-label=Grade]",
            "els => els.map(e => e.getAttribute('data-sort'))",
        )
    ]


def _no_sideways_scroll(tab: Any) -> None:
    sizes = tab.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], sizes


def test_without_javascript_the_pager_leads_through_every_page(
    chromium: Any, base_url: str, site: Path
) -> None:
    before = _rows((site / "unpaged.html").read_text())
    for width in (375, 1280):
        viewport = {"width": width, "height": 900}
        context = chromium.new_context(java_script_enabled=False, viewport=viewport)
        try:
            tab = context.new_page()
            tab.goto(base_url + "index.html")
            seen: list[str] = []
            for n in range(1, 6):
                seen += _shown(tab)
                nav = tab.get_by_role("navigation", name=re.compile(f"Page {n} of 5"))
                assert nav.is_visible()
                current = nav.locator("a[aria-current=page]")
                assert current.inner_text().split()[-1] == str(n)
                _no_sideways_scroll(tab)
                box = nav.get_by_role("link", name=re.compile("^Page 1$")).bounding_box()
                assert box["height"] >= 24 and box["width"] >= 24  # WCAG 2.5.8 target size
                if n < 5:
                    nav.get_by_role("link", name="Next page of the table").click()
            assert seen == before
            assert not tab.get_by_role("link", name="Next page of the table").count()
            tab.get_by_role("link", name="Previous page of the table").click()
            assert tab.url.endswith("/table/4.html")
        finally:
            context.close()


def test_sorting_covers_every_page(tab: Any, site: Path) -> None:
    everything = _grades_of_all(site)
    assert len(_shown(tab)) == PER_PAGE
    # on a phone the column heads are visually hidden (rows read as cards): sort by keyboard
    tab.get_by_role("button", name="Grade", exact=True).press("Enter")
    tab.wait_for_function("document.getElementById('table-status').textContent.includes('Sorted')")
    assert _grades(tab) == sorted(everything)[:PER_PAGE]
    assert not tab.get_by_role("navigation", name=re.compile("Page 1 of")).is_visible()
    more = tab.locator("#more-rows button")
    while more.is_visible():
        more.click()
    assert _grades(tab) == sorted(everything)
    tab.get_by_role("button", name="Grade", exact=True).press("Enter")
    assert _grades(tab) == sorted(everything, reverse=True)  # the rows shown stay shown
    _no_sideways_scroll(tab)


def _grades_of_all(site: Path) -> list[float]:
    html = (site / "unpaged.html").read_text()
    return [float(g) for g in re.findall(r'<td data-label="Grade" data-sort="([^"]+)"', html)]


def test_filtering_finds_a_page_from_the_last_table_page(tab: Any, site: Path) -> None:
    last = _rows(_pages(site / "reports")[-1].read_text())[-1]
    assert last not in _shown(tab)
    tab.get_by_label("Search title or file").fill(Path(last).stem)
    # Wait for the filtered table itself (the status line can say "of" before rows.js is in).
    tab.wait_for_function(
        "p => [...document.querySelectorAll('#pages-table tbody tr:not([hidden]) .path')]"
        ".some(e => e.textContent === p)",
        arg=last,
    )
    assert last in _shown(tab)
    assert "Showing" in tab.locator("#table-status").inner_text()
    tab.get_by_label("Search title or file").fill("")
    tab.wait_for_function("document.getElementById('table-status').textContent.includes('all')")
    assert len(_shown(tab)) == PER_PAGE


def test_a_row_made_by_the_script_says_what_the_html_row_says(
    tab: Any, base_url: str, site: Path
) -> None:
    """Every row the script makes from rows.js reads like the same row of a table page."""
    tab.locator("#more-rows button").click()
    tab.wait_for_function("document.querySelectorAll('#pages-table tbody tr').length > 5")

    def texts(page: Any) -> list[str]:
        for d in page.locator("#pages-table tbody details").all():
            d.locator("summary").click()
        return page.eval_on_selector_all(
            "#pages-table tbody tr",
            "rows => rows.map(r => r.innerText.replace(/\\s+/g, ' ').trim())",
        )

    made = texts(tab)[PER_PAGE : 2 * PER_PAGE]
    other = tab.context.new_page()
    other.goto(base_url + "table/2.html")
    assert made == texts(other)
    links = tab.eval_on_selector_all(
        "#pages-table tbody tr th a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert all((site / "reports" / href).is_file() for href in links)
    other.close()


def test_axe_finds_no_violations_on_the_paged_table(tab: Any, base_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for url in ("index.html", "table/3.html"):
        tab.goto(base_url + url)
        result = Axe().run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert [v["id"] for v in result.response["violations"]] == [], url


def test_the_nu_html_checker_finds_no_error(site: Path) -> None:
    assert nu_html_errors([str(p) for p in _pages(site / "reports")[:2]]) == []
