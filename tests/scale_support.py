"""A generated site of many short study pages (``benchmarks/generate.py`` with one sentence per
paragraph), for the tests of what must not grow with the site."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType

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
