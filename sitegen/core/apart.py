"""Work done in a throwaway forked process, for its memory's sake.

A Python process does not give freed memory back to the system while any object is left in
the same arena: a function that makes 100 MiB of short-lived objects to compute 18 MiB of
tables leaves the process 150 MiB bigger, and a forked worker that later allocates there
copies those pages too. ``apart`` runs such a function in a forked child and takes back its
pickled result, made compactly in this process; the child's memory goes with it.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

_T = TypeVar("_T")


def apart(fn: Callable[[], _T]) -> _T:
    """``fn()``, computed in a forked child when this platform forks (``fn`` must be a
    module-level function and its result picklable); in this process otherwise, or when
    the child cannot be started or dies, or while other threads run (the preview's server):
    a lock one of them holds would stay held in the child."""
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - not Linux
        return fn()
    if threading.active_count() > 1:
        return fn()
    try:
        with ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=gc.freeze
        ) as pool:
            return pool.submit(fn).result()
    except (BrokenProcessPool, OSError):
        return fn()
