"""The dashboard as a lay reviewer reads it, in headless Chromium at 375 and 1280 px: no
sideways scroll, every column in view, a verdict that says why, formulas under "Details"
with plain labels, a "waiting for me" view by role, axe (WCAG 2.2 AA) and the Nu HTML
checker clean; the page report shows the commit of a sign-off and what changed since."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import AXE_TAGS, nu_html_errors, open_tab
from report_support import REPO, serve
from test_gate_build import PROTOCOL

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "report"
BLOCKED = "content/studies/protocol.md"


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ana Lay", "GIT_AUTHOR_EMAIL": "ana@example.org",
           "GIT_COMMITTER_NAME": "Ana Lay", "GIT_COMMITTER_EMAIL": "ana@example.org"}  # fmt: skip
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site with two required roles and a blocked page that the patient reviewer
    signed off (committed) before it changed again."""
    from sitegen.cli import main

    root = tmp_path_factory.mktemp("dashboard")
    shutil.copytree(REPO / "content", root / "content")
    text = (REPO / "site.yml").read_text() + "\nreview:\n  roles: [patient, clinical]\n"
    (root / "site.yml").write_text(text)
    (root / BLOCKED).write_text(PROTOCOL)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "pages")
    assert main(["approve", str(root / BLOCKED), "--root", str(root), "--by", "Ana Lay",
                 "--role", "patient", "--date", "2026-11-30", "--yes"]) == 0  # fmt: skip
    _git(root, "commit", "-qam", "patient sign-off")
    page = root / BLOCKED
    page.write_text(page.read_text().replace("Adverse events", "Serious adverse events"))
    assert main(["build", "--root", str(root), "--quiet"]) == 0  # the blocked page is withheld
    return root


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site / "reports") as url:
        yield url


@pytest.fixture(params=[375, 1280])
def tab(request: pytest.FixtureRequest, chromium: Any, base_url: str) -> Iterator[Any]:
    with open_tab(chromium, request.param, base_url + "index.html") as page:
        yield page


def _width(tab: Any) -> int:
    return int(tab.viewport_size["width"])


def test_no_sideways_scroll_and_every_column_in_view(tab: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"dashboard-{_width(tab)}.png"), full_page=True)
    sizes = tab.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            view: document.documentElement.clientWidth,
            table: document.getElementById('pages-table').getBoundingClientRect().right,
            wider: [...document.querySelectorAll('#pages-table *, .waiting *, .totals *')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                .map(e => e.tagName + '.' + e.className).slice(0, 5),
        })"""
    )
    assert sizes["page"] <= sizes["view"], sizes
    assert sizes["table"] <= sizes["view"], sizes
    assert sizes["wider"] == [], sizes
    if _width(tab) == 1280:
        heads = tab.eval_on_selector_all(
            "#pages-table thead th",
            "ths => ths.map(t => [t.textContent.trim(), t.getBoundingClientRect().right])",
        )
        assert [h for h, _ in heads] == ["Page", "Verdict", "Grade", "Problems", "Sign-off"]
        assert all(right <= 1280 for _, right in heads), heads


def test_verdict_says_why_and_who_still_has_to_sign(tab: Any) -> None:
    row = tab.locator("#pages-table tbody tr", has_text=BLOCKED)
    verdict = row.locator("td[data-label=Verdict]").inner_text()
    # the badge says the verdict once, the reason follows without repeating it
    assert re.search(r"Blocked\s+reading grade [\d.]+, limit 10; \d+ words to replace", verdict)
    assert "blocked" not in verdict.lower().split("blocked", 1)[1], verdict
    signoff = row.locator("td[data-label=Sign-off]").inner_text()
    assert "Changed since approval" in signoff
    passing = tab.locator("#pages-table tbody tr[data-verdict=pass]").first
    assert passing.locator("td[data-label=Verdict]").inner_text().strip() == "✔ Pass"


def test_formulas_are_under_details_with_plain_labels(tab: Any) -> None:
    heads = tab.locator("#pages-table thead").inner_text()
    for short in ("FK", "SMOG", "FRE", "FH", "SP"):
        assert short not in heads.split()
    details = tab.locator("#pages-table tbody tr").first.locator("details.more")
    assert not details.locator("dl").is_visible()
    details.locator("summary").click()
    text = details.locator("dl").inner_text()
    assert "Flesch-Kincaid grade (school years, lower is easier)" in text
    assert "Reading grade target and limit" in text


def test_waiting_for_me_by_role(tab: Any) -> None:
    section = tab.locator("section.waiting")
    assert "Waiting for the clinical reviewer (1)" in section.inner_text()
    assert "Waiting for the patient reviewer (1)" in section.inner_text()  # changed since
    tab.get_by_label("Waiting for", exact=True).select_option("clinical")
    shown = tab.eval_on_selector_all(
        "#pages-table tbody tr:not([hidden]) .path", "els => els.map(e => e.textContent)"
    )
    assert shown == [BLOCKED]
    assert "Showing 1 of" in tab.locator("#table-status").inner_text()


def test_axe_finds_no_violations(tab: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    tab.locator("details.more summary").first.click()
    result = Axe().run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert [v["id"] for v in result.response["violations"]] == []


def test_page_report_shows_the_signoff_commit_and_the_change(site: Path) -> None:
    report = next((site / "reports" / "pages").glob("protocol*.html")).read_text()
    assert re.search(r"Added in commit [0-9a-f]{7,} by Ana Lay on \d{4}-\d{2}-\d{2}\.", report)
    assert "<del>Adverse</del><ins>Serious adverse</ins>" in report


def test_the_nu_html_checker_finds_no_error(site: Path) -> None:
    pages = [
        str(site / "reports" / "index.html"),
        *map(str, (site / "reports" / "pages").glob("protocol*.html")),
    ]
    assert nu_html_errors(pages) == []
