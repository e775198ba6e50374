"""One sitegen command at a time per site folder.

``build``, ``check``, ``serve``, ``approve`` and ``import`` hold an exclusive lock on
``.sitegen-cache/lock`` while they run, so two builds never write ``output/``, the reports
or the cache at once. The lock is the operating system's (``flock``): it goes away with the
process holding it, however that process ends, so a lock left by a killed build is never
in the way (the file itself stays, and says who held it last). A second command is refused
at once with a message naming the holder, or, for ``serve``'s rebuilds, waits its turn.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from sitegen.core import cachefile
from sitegen.core.diagnostics import Diagnostic, error

LOCK_NAME = "lock"

try:  # pragma: no cover - always there on Linux and macOS
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locking, as before
    fcntl = None  # type: ignore[assignment]


class SiteBusy(Exception):
    """Another sitegen command holds the site's lock; ``str()`` says which."""


class CacheFolderProblem(Exception):
    """The cache folder cannot hold the lock (see ``cachefile.folder_problem``)."""


def describe(holder: dict[str, object]) -> str:
    """``sitegen build`` (process 1234 on host, since 2026-01-02 03:04:05 UTC)."""
    verb = str(holder.get("verb", "?"))
    started = holder.get("started")
    when = ""
    if isinstance(started, (int, float)):
        when = ", since " + time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started))
    return f"sitegen {verb} (process {holder.get('pid', '?')} on {holder.get('host', '?')}{when})"


def _holder(fd: int) -> dict[str, object]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        if isinstance(data, dict):
            return data
    return {}


@contextlib.contextmanager
def site_lock(root: Path, verb: str, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of the site at ``root`` for ``verb``; ``SiteBusy`` if another command
    still holds it after ``wait`` seconds, ``CacheFolderProblem`` if the cache folder is a
    symbolic link or otherwise unusable."""
    folder = root / cachefile.CACHE_DIR
    problem = cachefile.check_folder(root)
    if problem is not None:
        raise CacheFolderProblem(problem)
    try:
        cachefile.real_dir(folder)
    except cachefile.CacheFolderError as exc:
        raise CacheFolderProblem(str(exc)) from exc
    except OSError as exc:
        raise CacheFolderProblem(f"{folder} cannot be made ({exc.strerror})") from exc
    if fcntl is None:  # pragma: no cover
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(folder / LOCK_NAME, flags, 0o600)
    except OSError as exc:
        raise CacheFolderProblem(f"{folder / LOCK_NAME} cannot be opened ({exc.strerror})") from exc
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SiteBusy(describe(_holder(fd))) from None
                time.sleep(0.05)
        me = {
            "verb": verb,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.time(),
        }
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def lock_problem(exc: SiteBusy | CacheFolderProblem) -> Diagnostic:
    """The diagnostic for a lock that could not be taken."""
    if isinstance(exc, SiteBusy):
        return error(
            f"{cachefile.CACHE_DIR}/{LOCK_NAME}",
            0,
            0,
            "LOCK001",
            f"another sitegen command is working on this site: {exc}; nothing was done",
            "wait for it to finish (or stop it) and run this command again",
        )
    return error(
        cachefile.CACHE_DIR,
        0,
        0,
        "CACHE001",
        f"the cache folder {exc}; sitegen keeps its cache only in a real folder of the "
        "site that belongs to you, and did nothing",
        f"remove {cachefile.CACHE_DIR} (sitegen makes a new one); never commit it",
    )
