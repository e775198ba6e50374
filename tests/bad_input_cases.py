"""Set-up and after-checks for the bad-input cases that cannot be stored as plain files:
planted caches, symbolic links, a lock held by another process.

``SETUP[case](site)`` prepares the copied case folder and returns placeholder values for
its ``expected.txt``; ``AFTER[case](site, values)`` checks what must hold after the build
(nothing ran, nothing outside the site was touched, nothing was lost).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sitegen.core.cachefile import CACHE_DIR

REPO = Path(__file__).parent.parent


class _Plant:
    """Unpickling this object creates the file ``marker``: what an attacker's cache does."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def _planted(marker: Path) -> bytes:
    """A cache file in the old format (SHA-256 line, then a pickle) that runs code."""
    payload = pickle.dumps(_Plant(marker))
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _page_keys(site: Path) -> list[str]:
    """The page-cache keys of every content file of ``site`` as a build computes them."""
    from sitegen.build import workers
    from sitegen.content import reader
    from sitegen.content.config import load_config

    config, _ = load_config(site)
    assert config is not None
    salt = workers.settings_fingerprint(site, config)
    found, _ = reader.discover(site, config.content_dir)
    keys = []
    for rel, kind, full in found:
        h = hashlib.sha256(salt)
        h.update(f"{rel}\0{kind}\0".encode())
        h.update(full.read_bytes())
        keys.append(h.hexdigest())
    return keys


def _outside(site: Path) -> Path:
    out = site.parent / f"{site.name}-outside"
    out.mkdir(exist_ok=True)
    return out


def setup_cache_planted_pickle(site: Path) -> dict[str, str]:
    marker = _outside(site) / "pwned"
    cache = site / CACHE_DIR
    (cache / "pages").mkdir(parents=True)
    for name in ("outputs-output", "outputs-reports", "last-build"):
        for ext in ("pickle", "json"):
            (cache / f"{name}.{ext}").write_bytes(_planted(marker))
    for key in _page_keys(site):
        folder = cache / "pages" / key[:2]
        folder.mkdir(exist_ok=True)
        for ext in ("pickle", "json"):
            (folder / f"{key}.{ext}").write_bytes(_planted(marker))
    return {"marker": str(marker)}


def after_cache_planted_pickle(site: Path, values: dict[str, str]) -> None:
    assert not Path(values["marker"]).exists(), "a planted cache file ran code"
    assert (site / "output" / "index.html").is_file()


def setup_cache_symlink(site: Path) -> dict[str, str]:
    outside = _outside(site)
    marker = outside / "pwned"
    (outside / "pages" / "ab").mkdir(parents=True)
    precious = outside / "pages" / "ab" / "precious.pickle"
    precious.write_bytes(b"someone else's file")
    (outside / "outputs-output.pickle").write_bytes(_planted(marker))
    (site / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    return {"marker": str(marker), "precious": str(precious)}


def after_cache_symlink(site: Path, values: dict[str, str]) -> None:
    assert not Path(values["marker"]).exists()
    assert Path(values["precious"]).read_bytes() == b"someone else's file"
    assert sorted(p.name for p in Path(values["precious"]).parent.iterdir()) == ["precious.pickle"]


def setup_cache_pages_symlink(site: Path) -> dict[str, str]:
    outside = _outside(site)
    (outside / "ab").mkdir()
    precious = outside / "ab" / "precious.json"
    precious.write_bytes(b"someone else's file")
    (site / CACHE_DIR).mkdir()
    (site / CACHE_DIR / "pages").symlink_to(outside, target_is_directory=True)
    return {"precious": str(precious)}


def after_cache_pages_symlink(site: Path, values: dict[str, str]) -> None:
    precious = Path(values["precious"])
    assert precious.read_bytes() == b"someone else's file"
    assert [p.name for p in precious.parent.parent.rglob("*")] == ["ab", "precious.json"]
    assert (site / "output" / "index.html").is_file()


def _content(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.md")}


def setup_keep_content(site: Path) -> dict[str, str]:
    (site / ".content.json").write_text(
        json.dumps({k: v.decode() for k, v in _content(site).items()})
    )
    return {}


def after_keep_content(site: Path, values: dict[str, str]) -> None:
    before = json.loads((site / ".content.json").read_text())
    assert {k: v.decode() for k, v in _content(site).items()} == before, "content was lost"
    assert not (site / "output").exists()


def setup_site_locked(site: Path) -> dict[str, str]:
    """Another process holds the site's lock (as a build in another terminal would)."""
    code = (
        "import sys, time; from pathlib import Path; from sitegen.core.sitelock import site_lock\n"
        "with site_lock(Path(sys.argv[1]), 'build'):\n"
        "    print('locked', flush=True); time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(site)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    holder = json.loads((site / CACHE_DIR / "lock").read_text())
    since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(holder["started"]))
    return {"pid": str(proc.pid), "host": holder["host"], "since": since}


def after_site_locked(site: Path, values: dict[str, str]) -> None:
    os.kill(int(values["pid"]), signal.SIGTERM)
    assert not (site / "output").exists()


def setup_stale_lock(site: Path) -> dict[str, str]:
    """A lock file left by a build that was killed: its process is gone."""
    (site / CACHE_DIR).mkdir()
    holder = {"verb": "build", "pid": 2**22 + 1, "host": "elsewhere", "started": 0}
    (site / CACHE_DIR / "lock").write_text(json.dumps(holder))
    return {}


def after_stale_lock(site: Path, values: dict[str, str]) -> None:
    assert (site / "output" / "index.html").is_file()


Setup = Callable[[Path], dict[str, str]]
After = Callable[[Path, dict[str, str]], None]

SETUP: dict[str, Setup] = {
    "cache-planted-pickle": setup_cache_planted_pickle,
    "cache-symlink": setup_cache_symlink,
    "cache-pages-symlink": setup_cache_pages_symlink,
    "site-locked": setup_site_locked,
    "stale-lock": setup_stale_lock,
    **{
        case: setup_keep_content
        for case in (
            "output-dir-site-root",
            "output-dir-content",
            "reports-dir-content",
            "reports-dir-output",
        )
    },
}
AFTER: dict[str, After] = {
    "cache-planted-pickle": after_cache_planted_pickle,
    "cache-symlink": after_cache_symlink,
    "cache-pages-symlink": after_cache_pages_symlink,
    "site-locked": after_site_locked,
    "stale-lock": after_stale_lock,
    **{case: after_keep_content for case in SETUP if SETUP[case] is setup_keep_content},
}
