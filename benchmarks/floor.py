"""The "floor": the design card's libraries doing the least a generator must do, in one process.

Read each file, ``yaml.safe_load`` its front matter, Python-Markdown with tables, a trivial Jinja
template, write the page. No checks. sitegen's own timings are reported as a ratio to this.

    python benchmarks/floor.py SITE_DIR OUT_DIR
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jinja2
import markdown
import yaml


def floor(site: Path, out: Path) -> tuple[int, float]:
    """Build ``site`` the minimal way into ``out``; return (pages, seconds)."""
    started = time.perf_counter()
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(
        "<!doctype html><html lang=en><title>{{ title }}</title><main>{{ body | safe }}</main>"
    )
    md = markdown.Markdown(extensions=["tables"])
    n = 0
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, fm, body = text.split("---\n", 2)
        meta = yaml.safe_load(fm)
        md.reset()
        html = md.convert(body)
        target = out / path.relative_to(site / "content").with_suffix("") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(title=meta["title"], body=html), encoding="utf-8")
        n += 1
    return n, time.perf_counter() - started


if __name__ == "__main__":
    pages, seconds = floor(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{pages} pages in {seconds:.2f} s: {1000 * seconds / pages:.2f} ms/page")
