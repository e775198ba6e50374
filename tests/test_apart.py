"""``apart``: a function run in a throwaway forked process leaves this one's memory as it was."""

from __future__ import annotations

import os
import sys

import pytest

from sitegen.core.apart import apart


def _rss_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _many_small_objects() -> dict[str, tuple[float, float]]:
    """About 100 MiB of short-lived rows, and a point kept for each: the points, made while
    the rows live, pin their memory in this process."""
    rows = [
        {"zip": f"{i:05d}", "lat": str(i / 7), "long": str(-i / 3), "city": f"town {i}"}
        for i in range(200_000)
    ]
    return {row["zip"]: (float(row["lat"]), float(row["long"])) for row in rows}


def test_the_result_is_the_same_as_in_this_process() -> None:
    assert apart(_many_small_objects) == _many_small_objects()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks and reads /proc")
def test_it_runs_in_another_process_and_leaves_no_memory_behind() -> None:
    assert apart(os.getpid) != os.getpid()
    before = _rss_kib()
    points = apart(_many_small_objects)
    assert len(points) == 200_000
    # the points themselves are about 46 MiB here; made in this process, it grows 130 MiB
    assert _rss_kib() - before < 80 * 1024


def _fails() -> int:
    raise ValueError("bad input")


def test_an_error_in_the_function_is_raised_here() -> None:
    with pytest.raises(ValueError, match="bad input"):
        apart(_fails)


def test_with_other_threads_running_it_runs_here() -> None:
    """Forking a process whose other threads may hold a lock is unsafe (the preview)."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert apart(os.getpid) == os.getpid()
    finally:
        stop.set()
        other.join()
    assert apart(os.getpid) != os.getpid()
