"""The preview's "Apply" buttons: a safe suggestion written into the page's own file through
the preview server, and the page reloads (a real server process and Chromium)."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from small_site import BUILD_PY, clean_env, write_site

TIMEOUT = 30.0
SOURCE = "content/studies/walking-study.md"
PAGE = "studies/walking-study/"
WALKING_JARGON = """\
---
title: "A walking plan for knee pain"
summary: "We want to find out if a daily walk can help people with sore knees."
status: recruiting
conditions:
  - "Knee pain"
---

## What is this study about?

Many people have sore knees. A short walk each day may help. Prior to the walk, an investigator
will call you.

## How do I find out more or join?

Call the study team. They will answer your questions. You can stop at any time.
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    site = write_site(tmp_path / "site", {SOURCE: WALKING_JARGON})
    proc = subprocess.Popen(
        [sys.executable, str(BUILD_PY), "serve", "--port", "0", "--no-open"],
        cwd=site,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    seen: list[str] = []
    url = ""
    deadline = time.monotonic() + TIMEOUT
    while not url and time.monotonic() < deadline:
        try:
            seen.append(lines.get(timeout=0.1))
        except queue.Empty:
            assert proc.poll() is None, "".join(seen)
            continue
        m = re.search(r"at (http://127\.0\.0\.1:\d+/) ", seen[-1])
        url = m.group(1) if m else ""
    assert url, "".join(seen)
    try:
        yield url, site
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        while not lines.empty():
            seen.append(lines.get())
        assert "Traceback" not in "".join(seen), "".join(seen)


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
    url, site = served
    source = site / SOURCE
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
    url, site = served
    source = site / SOURCE
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
