"""What the browser and HTML-checker tests share: the axe rule tags, a Chromium tab that fails
its test on a script error, and the W3C Nu HTML checker (vnu)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VNU_JAR = Path(
    os.environ.get(
        "SITEGEN_VNU_JAR", REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    )
)


@contextmanager
def open_tab(chromium: Any, width: int, url: str | None = None) -> Iterator[Any]:
    """A tab ``width`` px wide (opened at ``url`` if given); a script error on it fails the
    test when the tab closes."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if url is not None:
        page.goto(url)
    yield page
    context.close()
    assert errors == []


def nu_errors(pages: list[str]) -> list[dict[str, Any]]:
    """The W3C Nu HTML checker's error messages on ``pages`` (files); skips the test without
    Java or the checker on a developer machine, fails it in CI."""
    java = shutil.which("java")
    missing = [x for x, ok in (("java", java), (str(VNU_JAR), VNU_JAR.is_file())) if not ok]
    if java is None or missing:
        message = f"the W3C Nu HTML checker needs {', '.join(missing)}: run ./dev test once"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or "{}").get("messages", [])
    return [m for m in messages if m.get("type") == "error"]


def nu_html_errors(pages: list[str]) -> list[str]:
    """Just the text of each of ``nu_errors``."""
    return [str(m.get("message")) for m in nu_errors(pages)]
