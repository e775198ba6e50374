"""The preview's "Apply" buttons: a safe suggestion written into the page's own file through
the preview server, and the page reloads (a real server process and Chromium)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import test_serve
from small_site import WALKING
from test_serve import PAGE, SOURCE, Server

# the preview server of the small site, as in test_serve.py
site = test_serve.site
server = test_serve.server

TIMEOUT = 30.0
JARGON = "A short walk each day may help. Prior to the walk, an investigator\nwill call you."
WALKING_JARGON = WALKING.replace("A short walk each day may help. We want to find out if it does.",
                                 JARGON)  # fmt: skip


@pytest.fixture
def served(server: Server, site: Path) -> tuple[str, Path]:
    """The preview of the small site, once it shows the walking page with two jargon terms."""
    (site / SOURCE).write_text(WALKING_JARGON, encoding="utf-8")
    server.wait_output(r"walking-study\.md changed: rebuilt")  # printed once it is served
    assert "investigator" in server.get(PAGE)[2]
    return server.url, site


def _post(url: str, data: dict[str, str], headers: dict[str, str] | None = None) -> int:
    req = urllib.request.Request(
        url + "__sitegen/apply", data=urllib.parse.urlencode(data).encode(), method="POST"
    )
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_apply_button_writes_the_fix_and_the_page_reloads(
    chromium: Any, served: tuple[str, Path]
) -> None:
    url, root = served
    source = root / SOURCE
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(url + PAGE)
        buttons = tab.locator(".sg-readability .sg-apply button")
        assert buttons.count() == 2
        assert buttons.nth(0).inner_text() == "Apply: write “Before”"
        assert buttons.nth(1).inner_text() == "Apply: write “a study doctor”"
        buttons.nth(1).click()
        # the file has the fix, and the page shows it once the rebuild is done
        tab.wait_for_function(
            "() => document.querySelector('main')?.innerText.includes('the walk, a study doctor')",
            timeout=TIMEOUT * 1000,
        )
        text = source.read_text(encoding="utf-8")
        assert "Prior to the walk, a study doctor\nwill call you." in text
        assert tab.locator(".sg-readability .sg-apply button").count() == 1
        tab.locator(".sg-readability .sg-apply button").click()
        tab.wait_for_function(
            "() => document.querySelector('main')?.innerText.includes('Before the walk')",
            timeout=TIMEOUT * 1000,
        )
        assert tab.locator(".sg-readability .sg-apply button").count() == 0
        assert source.read_text(encoding="utf-8") == WALKING_JARGON.replace(
            "Prior to the walk, an investigator", "Before the walk, a study doctor"
        )
    finally:
        context.close()


def test_apply_refuses_what_the_checker_did_not_offer(served: tuple[str, Path]) -> None:
    url, root = served
    source = root / SOURCE
    before = source.read_bytes()
    line = (
        WALKING_JARGON.splitlines().index(
            "Many people have sore knees. A short walk each day may help. Prior to the walk, an "
            "investigator"
        )
        + 1
    )
    offered = {"page": SOURCE, "line": str(line), "column": "62", "end_line": str(line),
               "end_column": "70", "old": "Prior to", "new": "Before"}  # fmt: skip
    assert _post(url, {**offered, "new": "<script>"}) == 403  # not the checker's suggestion
    assert _post(url, {**offered, "page": "site.yml"}) == 403  # not that page's fix
    assert _post(url, {**offered, "page": "../" + SOURCE}) == 403
    assert _post(url, offered, {"Origin": "http://evil.example"}) == 403
    assert _post(url, offered, {"Sec-Fetch-Site": "cross-site"}) == 403
    assert _post(url, {"page": SOURCE}) == 403
    assert source.read_bytes() == before
    assert _post(url, offered) in (200, 303)  # the real one works (urllib follows the 303)
    assert "Before the walk, an investigator" in source.read_text(encoding="utf-8")
