"""The process pool: how many workers, forked processes that die with the build, and
``run_jobs`` for work that is a function of an index (content pages, page reports).

Forked workers inherit what the parent has loaded (dictionaries, the whole site as a
closure), so nothing but indices and results is pickled.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sitegen.core import cachefile

#: below this many pages to process, starting worker processes costs more than it saves
PARALLEL_MIN = 40


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_FORKED_JOB: Callable[[int], Any] | None = None


def _run_forked(indices: Sequence[int]) -> list[Any]:
    assert _FORKED_JOB is not None
    return [_FORKED_JOB(i) for i in indices]


def run_jobs(job: Callable[[int], Any], n: int, jobs: int | None) -> list[Any]:
    """``[job(0), ..., job(n - 1)]``, in forked worker processes when that pays off.

    The job (a closure over the whole site) is not pickled: forked workers inherit it; only
    indices go out and results come back, in order, so the output is the same as in one
    process.
    """
    return list(iter_jobs(job, n, jobs))


def iter_jobs(job: Callable[[int], Any], n: int, jobs: int | None) -> Iterator[Any]:
    """``job(0), ..., job(n - 1)`` as ``run_jobs`` makes them, each given as soon as it and
    those before it are done, so the caller need not hold every result at once. The caller
    must not fork or run jobs itself while it iterates."""
    workers = default_jobs() if jobs is None else max(1, jobs)
    ctx = fork_context()
    if workers == 1 or n < PARALLEL_MIN or ctx.get_start_method() != "fork":
        yield from (job(i) for i in range(n))
        return
    global _FORKED_JOB
    _FORKED_JOB = job
    try:
        size = max(4, n // (workers * 8))
        chunks = [list(range(i, min(n, i + size))) for i in range(0, n, size)]
        with forked_pool(workers) as pool:
            for part in pool.map(_run_forked, chunks):
                yield from part
    finally:
        _FORKED_JOB = None


@contextlib.contextmanager
def forked_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` forked processes.

    The garbage collector's objects are frozen while the pool runs: a forked worker that
    collects garbage would otherwise write to every object it inherited and make the
    kernel copy all of the parent's memory (copy-on-write), once per worker.
    """
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=fork_context(),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        ) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _start_worker(parent: int) -> None:
    """In a worker: die with the build; decode pages' deferred fields for the job at hand
    only (kept, they would copy every page the worker reads into its memory)."""
    _die_with_parent(parent)
    cachefile.keep_decoded(False)


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the build process dies, even by SIGKILL (Linux), rather
    than wait forever for work that will not come."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above ran
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def fork_context() -> multiprocessing.context.BaseContext:
    """Fork where available: workers start at once with the dictionaries already loaded."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])
