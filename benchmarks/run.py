"""Speed benchmark: sitegen against the single-process "floor", on generated sites.

For each N it generates N realistic study pages (``generate.py``, fixed seed), then times in
separate processes, in this order:

- ``floor``: read, ``yaml.safe_load``, Python-Markdown with tables, trivial Jinja, write;
- ``cold build``: ``build --clean`` with every check, reports and the search index;
- ``no-change rebuild``: ``build`` again with nothing changed;
- ``edit one page``: one page's text changed, then ``build``;
- ``edit one template``: a site override of ``page.html`` (used by plain pages), then
  ``build``;
- ``edit the base template``: a site override of ``base.html`` (every page extends it);
- ``check``: ``check --clean`` (every check, nothing published);
- ``serve``: the preview running, one page edited: seconds from the save until the new page
  is served, and until open tabs get the reload event (``serve_edit.py``, median of 3 edits;
  memory not sampled).

Each is printed as seconds, ms/page, ratio to the floor and peak memory (the sum of the
proportional set size of the process and all its children, sampled every 20 ms).

    python benchmarks/run.py --pages 1000 10000 [--jobs 2] [--out /tmp/sitegen-bench]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return out


def _rss(pid: int) -> int:
    """Proportional set size: memory shared between forked workers is counted once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _is_pagefind(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"pagefind" in fh.read()
    except OSError:
        return False


def tree_rss(pid: int) -> tuple[int, int]:
    """Memory of ``pid`` and all its descendants (sum of PSS), in bytes: all of it, and
    without the Pagefind indexer (a separate program sitegen runs)."""
    total, own, stack = 0, 0, [(pid, False)]
    while stack:
        p, under_pagefind = stack.pop()
        under_pagefind = under_pagefind or _is_pagefind(p)
        rss = _rss(p)
        total += rss
        own += 0 if under_pagefind else rss
        stack += [(c, under_pagefind) for c in _children(p)]
    return total, own


def measure(cmd: list[str], cwd: Path) -> tuple[float, int, int, int]:
    """Run ``cmd``; return (seconds, peak tree memory, peak without Pagefind, exit code)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = own_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, own_peak
        while not done.is_set():
            total, own = tree_rss(proc.pid)
            peak, own_peak = max(peak, total), max(own_peak, own)
            time.sleep(0.02)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    t.join()
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return elapsed, peak, own_peak, proc.returncode


def run(n: int, out: Path, jobs: int | None) -> list[tuple[str, float, int, int, int]]:
    """All scenarios for one site size."""
    site = out / f"site-{n}"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    generate(n, site, seed=1)
    build = [sys.executable, str(REPO / "build.py")]
    extra = ["--jobs", str(jobs)] if jobs else []
    rows = []
    floor_out = out / f"floor-{n}"
    shutil.rmtree(floor_out, ignore_errors=True)
    rows.append(("floor", *measure([sys.executable, str(HERE / "floor.py"), str(site),
                                    str(floor_out)], REPO)))  # fmt: skip
    rows.append(("cold build", *measure([*build, "build", "--root", str(site), "-q", "--clean",
                                         *extra], REPO)))  # fmt: skip
    rows.append(("no-change rebuild", *measure([*build, "build", "--root", str(site), "-q",
                                                *extra], REPO)))  # fmt: skip
    page = site / "content" / "studies" / "study-00007.md"
    page.write_text(page.read_text().replace("You can ask", "You may ask", 1))
    rows.append(("edit one page", *measure([*build, "build", "--root", str(site), "-q", *extra],
                                           REPO)))  # fmt: skip
    theme = REPO / "sitegen" / "theme" / "templates" / "page.html"
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "page.html").write_text(theme.read_text() + "\n{# edited #}\n")
    rows.append(("edit one template (page.html: plain pages)", *measure([*build, "build",
                 "--root", str(site), "-q", *extra], REPO)))  # fmt: skip
    base = REPO / "sitegen" / "theme" / "templates" / "base.html"
    (site / "templates" / "base.html").write_text(
        base.read_text().replace("</body>", "<!-- edited -->\n</body>")
    )
    rows.append(("edit the base template (every page)", *measure([*build, "build", "--root",
                 str(site), "-q", *extra], REPO)))  # fmt: skip
    rows.append(("check", *measure([*build, "check", "--root", str(site), "-q", "--clean",
                                    *extra], REPO)))  # fmt: skip
    rows += serve_rows(site)
    return rows


def serve_rows(site: Path) -> list[tuple[str, float, int, int, int]]:
    """``serve``: one page edited while the preview runs (``serve_edit.py``)."""
    from serve_edit import measure_edits

    got = measure_edits(site, edits=3)
    return [
        ("serve: edit one page, save to page served", got["servable median"], 0, 0, 0),
        ("serve: edit one page, save to reload event", got["reload median"], 0, 0, 0),
    ]


def main() -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--out", type=Path, default=Path("/tmp/sitegen-bench"))
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores; jobs: {args.jobs or 'default (one per core)'}\n")
    print(
        "| pages | scenario | seconds | ms/page | ratio to floor | peak memory (MiB) "
        "| without Pagefind (MiB) | exit |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n in args.pages:
        rows = run(n, args.out, args.jobs)
        floor = rows[0][1]
        for name, seconds, peak, own, code in rows:
            print(
                f"| {n:,} | {name} | {seconds:.2f} | {1000 * seconds / n:.2f} | "
                f"{seconds / floor:.2f} | {peak / 2**20:.0f} | {own / 2**20:.0f} | {code} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
