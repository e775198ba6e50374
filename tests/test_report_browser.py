"""The reviewer reports in real headless Chromium: the dashboard's order, sorting and filter,
every finding highlighted in the draft's page report, keyboard access to the notes, axe
(WCAG 2.2 AA), ``file://`` and no request leaving the machine.

The repository's example content plus one jargon-heavy draft written like a sponsor's
protocol is built once into a temporary folder; ``reports/`` is served on 127.0.0.1.
Screenshots go to ``test-artifacts/report/`` (git-ignored); with
``SITEGEN_DOCS_SCREENSHOTS=1`` the two used by ``docs/reports.md`` are refreshed too.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import AXE_TAGS
from report_support import REPO, serve

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "report"
DRAFT_PATH = "content/studies/xr204-titration-protocol.md"
DRAFT_REPORT = "pages/xr204-titration-protocol.html"
DRAFT_TITLE = "XR-204 titration study in refractory hypertension (protocol draft)"
DRAFT = """\
---
title: "{DRAFT_TITLE}"
summary: >-
  Subjects will be randomized in a double-blind fashion to receive the
  investigational product or placebo.
status: not_yet_recruiting
conditions: ["Hypertension"]
draft: true
---

## Study overview

Subjects will be randomized in a double-blind fashion to receive the investigational
product or placebo prior to commencement of the titration period, and the investigator
will ascertain eligibility utilizing the inclusion/exclusion criteria, e.g. an eGFR ≥ 45
mL/min/1.73 m² at screening, following which participants will be administered the IP
q.d. for the duration of the treatment-emergent adverse event (TEAE) observation window.

## Procedures

Pharmacokinetic sampling will be performed at pre-specified timepoints; concomitant
medications must be discontinued ≥ 14 days prior to baseline. Participants may
experience a revolutionary, completely safe new treatment!
""".replace("{DRAFT_TITLE}", DRAFT_TITLE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site plus the draft, built once; returns the site root."""
    from sitegen.cli import main

    root = tmp_path_factory.mktemp("report-browser")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "site.yml", root / "site.yml")
    (root / DRAFT_PATH).write_text(DRAFT, encoding="utf-8")
    main(["build", "--root", str(root), "--quiet"])  # exit code: other pages may be blocked
    assert (root / "reports" / "index.html").is_file()
    return root


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site / "reports") as url:
        yield url


@pytest.fixture
def tab(chromium: Any, base_url: str) -> Iterator[Any]:
    """A fresh page; any request that is not to the local server or a file fails the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith((base_url, "file:", "data:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert errors == [], f"script errors: {errors}"


def _shot(page: Any, name: str, docs_name: str = "") -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    if docs_name and os.environ.get("SITEGEN_DOCS_SCREENSHOTS") == "1":
        docs = REPO / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / docs_name)


def _column(page: Any, label: str) -> list[str]:
    """The ``data-sort`` values of the visible rows in the column headed ``label``."""
    return page.evaluate(
        """(label) => {
            const table = document.getElementById('pages-table');
            const heads = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
            const i = heads.indexOf(label);
            return [...table.tBodies[0].rows].filter(r => !r.hidden)
                .map(r => r.cells[i].getAttribute('data-sort'));
        }""",
        label,
    )


def _paths(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#pages-table tbody tr:not([hidden]) .path", "els => els.map(e => e.textContent)"
    )


def _axe(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result.response["violations"]
    ]


def test_dashboard_order_sort_and_filter(tab: Any, base_url: str) -> None:
    tab.goto(base_url + "index.html")
    assert _paths(tab)[0] == DRAFT_PATH  # blocked first, then the hardest
    grade_head = tab.locator("#pages-table thead th", has_text="Grade")
    assert grade_head.get_attribute("aria-sort") is None
    _shot(tab, "dashboard.png", "report-dashboard.png")

    tab.get_by_role("button", name="Grade", exact=True).click()
    assert grade_head.get_attribute("aria-sort") == "ascending"
    grades = [float(g) for g in _column(tab, "Grade")]
    assert grades == sorted(grades)
    assert _paths(tab)[-1] == DRAFT_PATH
    tab.get_by_role("button", name="Grade", exact=True).press("Enter")  # keyboard too
    assert grade_head.get_attribute("aria-sort") == "descending"
    grades = [float(g) for g in _column(tab, "Grade")]
    assert grades == sorted(grades, reverse=True)
    assert tab.locator("th[aria-sort]").count() == 1
    assert "Sorted by Grade, descending" in tab.locator("#table-status").inner_text()

    total = len(_paths(tab))
    tab.get_by_label("Search title or file").fill("xr-204")
    assert _paths(tab) == [DRAFT_PATH]
    assert f"Showing 1 of {total} pages" in tab.locator("#table-status").inner_text()
    tab.get_by_label("Search title or file").fill("")
    tab.get_by_label("Blocked", exact=True).uncheck()
    verdicts = tab.eval_on_selector_all(
        "#pages-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.verdict)"
    )
    assert verdicts and "block" not in verdicts
    assert DRAFT_PATH not in _paths(tab)


def test_draft_report_marks_every_finding_and_shows_notes(
    tab: Any, base_url: str, site: Path
) -> None:
    doc = json.loads((site / "reports" / "readability.json").read_text(encoding="utf-8"))
    (draft,) = [p for p in doc["pages"] if p["source"] == DRAFT_PATH]
    assert len(draft["findings"]) > 20

    tab.goto(base_url + "index.html")
    tab.get_by_role("link", name=DRAFT_TITLE).click()
    tab.wait_for_load_state()
    assert tab.url == base_url + DRAFT_REPORT
    marks = tab.eval_on_selector_all(
        "mark[data-code]",
        """els => els.map(m => ({line: m.dataset.line, column: m.dataset.column,
                                code: m.dataset.code, text: m.textContent,
                                tabindex: m.getAttribute('tabindex'),
                                described: m.getAttribute('aria-describedby')}))""",
    )
    for f in draft["findings"]:
        same = [
            m
            for m in marks
            if (m["line"], m["column"], m["code"]) == (str(f["line"]), str(f["column"]), f["code"])
        ]
        assert same, f"no mark for {f}"
        assert any(m["text"] == f["text"] for m in same), (f, same)
    assert len(marks) == len(draft["findings"])
    assert all(m["tabindex"] == "0" and m["described"] for m in marks)

    for _ in range(60):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.matches('mark.finding')"):
            break
    else:
        pytest.fail("Tab never reached a highlighted finding")
    note = tab.evaluate(
        """() => {
            const m = document.activeElement;
            const after = getComputedStyle(m, '::after');
            const ids = m.getAttribute('aria-describedby').split(' ');
            const desc = ids.map(id => document.getElementById(id).textContent).join(' ');
            return {content: after.content, display: after.display,
                    visibility: after.visibility, position: after.position,
                    tip: m.dataset.tip, description: desc};
        }"""
    )
    assert note["display"] != "none" and note["visibility"] == "visible"
    assert note["tip"] and note["tip"] in note["content"]  # content: attr(data-tip)
    first = note["description"].split(". ")[0]
    assert first and note["tip"].startswith(first)  # the same message for screen readers
    # Tab on to a highlight in the body text, for the screenshot of a note in place
    for _ in range(40):
        if tab.evaluate("!!document.activeElement.closest('.source-block.body')"):
            break
        tab.keyboard.press("Tab")
    tab.evaluate("document.activeElement.scrollIntoView({block: 'center'})")
    _shot(tab, "page-report-focus.png", "report-page.png")
    tab.keyboard.press("Escape")
    hidden = tab.evaluate("getComputedStyle(document.activeElement, '::after').display")
    assert hidden == "none"  # WCAG 1.4.13: dismissible without moving focus


@pytest.mark.parametrize("which", ["dashboard", "page report"])
def test_axe_finds_no_violations(tab: Any, base_url: str, which: str) -> None:
    tab.goto(base_url + ("index.html" if which == "dashboard" else DRAFT_REPORT))
    if which == "dashboard":
        tab.get_by_role("button", name="Grade", exact=True).click()  # after the script ran
    assert _axe(tab) == []


def test_dashboard_from_a_file_url(tab: Any, site: Path) -> None:
    tab.goto((site / "reports" / "index.html").as_uri())
    rows = tab.locator("#pages-table tbody tr")
    assert rows.count() >= 20
    assert tab.locator("button.sort").count() >= 5  # the external script ran from file://
    assert tab.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    tab.goto((site / "reports" / DRAFT_REPORT).as_uri())
    assert tab.locator("mark[data-code]").count() > 20


def test_reports_work_with_javascript_off(chromium: Any, base_url: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(base_url + "index.html")
        assert _paths(tab)[0] == DRAFT_PATH  # the plain HTML is already in the default order
        assert not tab.locator("#filters").is_visible()  # controls that need a script stay hidden
        assert tab.locator("button.sort").count() == 0
        tab.goto(base_url + DRAFT_REPORT)
        mark = tab.locator("pre.source mark[data-code]").first
        mark.focus()
        shown = mark.evaluate("m => getComputedStyle(m, '::after').content.length > 10")
        assert shown  # the note on focus is pure CSS
    finally:
        context.close()
