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
  memory not sampled);
- ``Pelican``: Pelican 4.12 in a virtual environment of its own (``pelican_peer.py``, made
  under ``--out`` on first use with pip), on the same pages converted to its metadata format;
  said so in the output when it cannot be installed. ``--no-pelican`` skips it.

Each is printed as wall seconds, CPU seconds (user + system of the process and every child it
waited for), ms/page, the ratio to the floor and to Pelican's cold build, and peak memory (the
sum of the proportional set size of the process and all its children, sampled every 20 ms or,
for a big process, 20 times as long as a sample takes, so sampling stalls it for < 5 %),
search index included (sitegen writes it itself). The targets of issue 18 follow as ratios
of the same run. On a shared machine the CPU seconds are the steadier figure.

    python benchmarks/run.py --pages 1000 [--jobs 2] [--out /tmp/sitegen-bench] [--no-pelican]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import pelican_peer  # noqa: E402
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


def tree_rss(pid: int) -> int:
    """Memory of ``pid`` and all its descendants (sum of PSS), in bytes."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += _rss(p)
        stack += _children(p)
    return total


@dataclass(frozen=True)
class Row:
    """One scenario's measurements."""

    name: str
    seconds: float
    cpu: float
    peak: int
    code: int


def code_now() -> str:
    """sitegen's code fingerprint as a build computes it (its cache keys depend on it)."""
    sys.path.insert(0, str(REPO))
    from sitegen.build.manifest import code_fingerprint

    return code_fingerprint()


#: sitegen's code when this run started: a change to it during the run makes every later
#: build process every page again, so those rows measure something else
CODE_AT_START = code_now()


def measure(name: str, cmd: list[str], cwd: Path) -> Row:
    """Run ``cmd``: wall and CPU seconds, peak tree memory, exit code (a warning on stderr
    when sitegen's code is no longer the code the run started with)."""
    if code_now() != CODE_AT_START:
        print(
            f'warning: sitegen\'s code changed since this run started; "{name}" and every '
            "row after it do not measure the code the run began with",
            file=sys.stderr,
        )
    err_file = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, after the wait)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err_file)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            began = time.perf_counter()
            peak = max(peak, tree_rss(proc.pid))
            # Reading smaps_rollup walks the process's page tables and holds its memory map
            # lock: sampled every 20 ms, a 1 GiB build stalled for 20-50 % of its wall time.
            # Sleep 20 times as long as the sample took, so it stalls the build for < 5 %.
            time.sleep(max(0.02, 20 * (time.perf_counter() - began)))

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, status, usage = os.wait4(proc.pid, 0)  # the rusage of the process and its children
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    t.join()
    if proc.returncode not in (0, 1):
        err_file.seek(0)
        sys.stderr.write(err_file.read().decode(errors="replace")[-2000:])
    err_file.close()
    cpu = usage.ru_utime + usage.ru_stime
    return Row(name, elapsed, cpu, peak, proc.returncode)


def run(n: int, out: Path, jobs: int | None, pelican: bool) -> list[Row]:
    """All scenarios for one site size."""
    site = out / f"site-{n}"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    generate(n, site, seed=1)
    py = sys.executable
    extra = ["--jobs", str(jobs)] if jobs else []
    build = [py, str(REPO / "build.py"), "build", "--root", str(site), "-q", *extra]
    floor_out = out / f"floor-{n}"
    shutil.rmtree(floor_out, ignore_errors=True)
    rows = [measure("floor", [py, str(HERE / "floor.py"), str(site), str(floor_out)], REPO)]
    rows.append(measure("cold build", [*build, "--clean"], REPO))
    rows.append(measure("no-change rebuild", build, REPO))
    page = site / "content" / "studies" / "study-00007.md"
    page.write_text(page.read_text().replace("You can ask", "You may ask", 1))
    rows.append(measure("edit one page", build, REPO))
    page.write_text(page.read_text().replace("You may ask", "You can ask", 1))
    rows.append(measure("edit one page again (steady state)", build, REPO))
    theme = REPO / "sitegen" / "theme" / "templates" / "page.html"
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "page.html").write_text(theme.read_text() + "\n{# edited #}\n")
    rows.append(measure("edit one template (page.html: plain pages)", build, REPO))
    base = REPO / "sitegen" / "theme" / "templates" / "base.html"
    (site / "templates" / "base.html").write_text(
        base.read_text().replace("</body>", "<!-- edited -->\n</body>")
    )
    rows.append(measure("edit the base template (every page)", build, REPO))
    check = [py, str(REPO / "build.py"), "check", "--root", str(site), "-q", "--clean", *extra]
    rows.append(measure("check alone (cold)", check, REPO))
    rows += serve_rows(site)
    if pelican:
        rows.append(_pelican(site, out, n))
    return rows


def serve_rows(site: Path) -> list[Row]:
    """``serve``: one page edited while the preview runs (``serve_edit.py``)."""
    from serve_edit import measure_edits

    got = measure_edits(site, edits=3)
    return [
        Row("serve: edit one page, save to page served", got["servable median"], 0.0, 0, 0),
        Row("serve: edit one page, save to reload event", got["reload median"], 0.0, 0, 0),
    ]


def _pelican(site: Path, out: Path, n: int) -> Row:
    """Pelican's cold build of the same pages (installed on first use)."""
    command, why = pelican_peer.install(out / "pelican-venv")
    if command is None:
        print(f"Pelican could not be installed, so it is not compared: {why}", flush=True)
        return Row("Pelican 4.12 cold build (NOT INSTALLED)", 0.0, 0.0, 0, -1)
    project = out / f"pelican-{n}"
    shutil.rmtree(project, ignore_errors=True)
    pelican_peer.convert(site, project)
    return measure("Pelican 4.12 cold build (no checks, no search)",
                   pelican_peer.build_command(command, project), REPO)  # fmt: skip


def _ratio(a: Row | None, b: Row | None, cpu: bool = False) -> str:
    if a is None or b is None or b.code < 0:
        return "n/a"
    x, y = (a.cpu, b.cpu) if cpu else (a.seconds, b.seconds)
    return f"{x / y:.2f}" if y else "n/a"


def report(n: int, rows: list[Row]) -> None:
    """Print one size's rows and the issue's targets as ratios of this run."""
    by = {r.name.split(" (")[0]: r for r in rows}
    floor, pelican = by.get("floor"), next((r for r in rows if r.name.startswith("Pelican")), None)
    for r in rows:
        print(
            f"| {n:,} | {r.name} | {r.seconds:.2f} | {r.cpu:.2f} | {1000 * r.seconds / n:.2f} | "
            f"{_ratio(r, floor)} | {_ratio(r, pelican)} | {r.peak / 2**20:.0f} | {r.code} |",
            flush=True,
        )
    cold, check = by.get("cold build"), by.get("check alone")
    edit, steady = by.get("edit one page"), by.get("edit one page again")
    print(f"\nTargets at {n:,} pages (ratios of this run; wall / CPU):")
    print(f"- cold build / Pelican cold build: {_ratio(cold, pelican)} / "
          f"{_ratio(cold, pelican, True)} (target: <= 1)")  # fmt: skip
    print(f"- check / cold build: {_ratio(check, cold)} / {_ratio(check, cold, True)} "
          "(target: <= 1)")  # fmt: skip
    for label, row in (("one edited page", edit), ("steady-state edit", steady)):
        if row and cold:
            print(f"- {label}: {row.seconds:.2f} s, {row.cpu:.2f} s CPU ({_ratio(row, cold)} "
                  "of a cold build; target at 10,000 pages: < 5 s)")  # fmt: skip
    if by.get("no-change rebuild"):
        print(f"- no-change rebuild: {by['no-change rebuild'].seconds:.2f} s (target: < 1 s)")
    if cold:
        print(f"- peak memory of the cold build, search index included: "
              f"{cold.peak / 2**20:.0f} MiB (target at 10,000 pages: < 1 GiB)")  # fmt: skip
    print()


def main() -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, nargs="+", default=[1000])
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--out", type=Path, default=Path("/tmp/sitegen-bench"))
    ap.add_argument("--no-pelican", action="store_true", help="do not install and time Pelican")
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores; jobs: {args.jobs or 'default (one per core)'}; "
          f"load average {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    for n in args.pages:
        rows = run(n, args.out, args.jobs, not args.no_pelican)
        print(
            "| pages | scenario | seconds | CPU s | ms/page | ratio to floor | ratio to Pelican "
            "| peak memory (MiB) | exit |"
        )
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        report(n, rows)


if __name__ == "__main__":
    main()
