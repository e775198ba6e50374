"""A generated site of many short study pages (``benchmarks/generate.py`` with one sentence per
paragraph), for the tests of what must not grow with the site."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from test_dashboard_browser import VNU_JAR

REPO = Path(__file__).resolve().parent.parent


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sitegen_bench_generate", REPO / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def many_pages(root: Path, n: int, seed: int = 1) -> Path:
    """Write a site of ``n`` short generated study pages (and an About page) into ``root``."""
    gen = _generator()
    full = gen.paragraph

    def short(rng: random.Random, _n: int) -> str:
        return str(full(rng, 1))

    gen.paragraph = short
    gen.generate(n, root, seed)
    return root


def nu_html_errors(pages: list[str]) -> list[str]:
    """The W3C Nu HTML checker's error messages on ``pages`` (skipped without java and
    vnu.jar on a developer machine; a failure in CI)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        message = "the W3C Nu HTML checker needs java and vnu.jar: run ./dev test once"
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
    return [str(m.get("message")) for m in messages if m.get("type") == "error"]
