"""``apart``: a function run in a throwaway forked process leaves this one's memory as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sitegen.core.apart import apart

REPO = Path(__file__).parent.parent


def _many_small_objects() -> dict[str, tuple[float, float]]:
    """About 100 MiB of short-lived rows, and a point kept for each: the points, made while
    the rows live, pin their memory in this process."""
    rows = [
        {"zip": f"{i:05d}", "lat": str(i / 7), "long": str(-i / 3), "city": f"town {i}"}
        for i in range(200_000)
    ]
    return {row["zip"]: (float(row["lat"]), float(row["long"])) for row in rows}


# Run in a process of its own: a test worker has threads of its own (then ``apart`` does not
# fork, by design). Prints whether it ran elsewhere and how much this process grew (KiB).
_SCRIPT = """
import os, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from sitegen.core.apart import apart
from test_apart import _many_small_objects
def rss():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith("VmRSS:"))
elsewhere = apart(os.getpid) != os.getpid()
before = rss()
points = apart(_many_small_objects)
assert len(points) == 200_000
print(elsewhere, rss() - before)
"""


def test_the_result_is_the_same_as_in_this_process() -> None:
    assert apart(_many_small_objects) == _many_small_objects()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks and reads /proc")
def test_it_runs_in_another_process_and_leaves_no_memory_behind() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(REPO), str(REPO / "tests")],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    elsewhere, grown = out.stdout.split()
    assert elsewhere == "True"
    # the points themselves are about 46 MiB here; made in this process, it grows 130 MiB
    assert int(grown) < 80 * 1024


def _fails() -> int:
    raise ValueError("bad input")


def test_an_error_in_the_function_is_raised_here() -> None:
    with pytest.raises(ValueError, match="bad input"):
        apart(_fails)


def test_with_other_threads_running_it_runs_here() -> None:
    """Forking a process whose other threads may hold a lock is unsafe (the preview)."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert apart(os.getpid) == os.getpid()
    finally:
        stop.set()
        other.join()
