"""Same input, byte-identical output: whatever the working directory, locale, time zone,
number of worker processes or state of the cache."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parent.parent


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def copy_site(dest: Path) -> Path:
    """The example site, with one translation out of date: its TR002 hint suggests a command,
    which the terminal spells for the folder the build ran in and the reports must not."""
    dest.mkdir(parents=True)
    shutil.copytree(REPO / "content", dest / "content")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copy(REPO / "site.yml", dest / "site.yml")
    original = dest / "content" / "studies" / "asthma-inhaler.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nAsk us anything.\n", "utf-8")
    return dest


def build(site: Path, cwd: Path, env: dict[str, str], *args: str) -> None:
    full_env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "TZ")}
    full_env.update(env)
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--root", str(site), "-q", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    a = copy_site(tmp_path / "a")
    b = copy_site(tmp_path / "elsewhere" / "b")
    build(a, Path("/"), {"LANG": "C", "TZ": "UTC"}, "--jobs", "1", "--clean")
    build(b, tmp_path, {"LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8", "TZ": "Asia/Kathmandu"},
          "--jobs", "2", "--clean")  # fmt: skip
    site_a = tree(a / "output")
    assert len(site_a) > 40
    assert site_a == tree(b / "output")
    # Reports too, except the build history, which records when each build ran.
    assert tree(a / "reports", skip=("history.jsonl",)) == tree(
        b / "reports", skip=("history.jsonl",)
    )
    hints = (a / "reports" / "readability.json").read_text(encoding="utf-8")
    assert '"code": "TR002"' in hints and "then: sitegen translated content/studies/" in hints
    # A second build from the cache gives the same site.
    build(b, tmp_path, {"LANG": "C.UTF-8"}, "--jobs", "2")
    assert tree(b / "output") == site_a
