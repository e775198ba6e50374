"""Crash safety: a build killed with SIGKILL at any moment leaves output/ as the old site or
the new one, never a mix, and the next build cleans up after it by itself."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).parent.parent


def snapshot(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


PUBLISH = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from sitegen.publish.writer import publish
    version = sys.argv[2]
    files = {{f"studies/s{{i}}/index.html": (version * 2000).encode() for i in range(3000)}}
    files["index.html"] = version.encode()
    sys.exit(1 if publish(Path(sys.argv[1]), files) else 0)
    """
)


def test_writer_killed_at_many_points(tmp_path: Path) -> None:
    script = tmp_path / "publish.py"
    script.write_text(PUBLISH.format(repo=str(REPO)))
    out = tmp_path / "output"
    assert subprocess.run([sys.executable, script, str(out), "A"]).returncode == 0
    old = snapshot(out)
    # The reference publish of the new version also gives how long a full publish takes, to
    # spread the kills over it (a separate timing run would be the same publish again).
    ref = tmp_path / "ref" / "output"
    started = time.perf_counter()
    assert subprocess.run([sys.executable, script, str(ref), "B"]).returncode == 0
    duration = time.perf_counter() - started
    new = snapshot(ref)
    outcomes = set()
    # Kills while the new files are written (0.2, 0.6: one early, one late), around the end
    # of writing and the swap (0.7 to 0.95), and while the old tree is deleted (1.0, 1.1). A
    # kill at 0.4 landed in the same writing phase as 0.2 and 0.6 and is not repeated.
    for fraction in (0.2, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1):
        proc = subprocess.Popen([sys.executable, script, str(out), "B"])
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(out)
        if now == {} and any(p.name.startswith(".output.old-") for p in tmp_path.iterdir()):
            # Killed between the two renames of the fallback swap: recovery is tested below.
            now = old
        assert now in (old, new), f"output/ is a mix after a kill at {fraction:.0%}"
        outcomes.add("new" if now == new else "old")
        # The next publish recovers by itself and leaves no temporary folders.
        assert subprocess.run([sys.executable, script, str(out), "A"]).returncode == 0
        assert snapshot(out) == old
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []
    assert "old" in outcomes


def builds_of(site: Path) -> list[int]:
    """Live processes whose command line names ``site`` (a build and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().split(") ", 1)[1][:1]
        except OSError:
            continue
        if str(site).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def test_build_killed_then_rebuilt(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    site = tmp_path / "site"
    generate(40, site, seed=3)
    build = [sys.executable, str(REPO / "build.py"), "build", "--root", str(site), "-q"]
    env = {**os.environ, "NO_COLOR": "1"}
    assert subprocess.run(build, env=env, capture_output=True).returncode == 0
    old = snapshot(site / "output")
    # Change every page, then build the new version elsewhere as the reference.
    for p in sorted((site / "content" / "studies").glob("*.md")):
        p.write_text(p.read_text().replace("Example Health Research", "Example Health Trust"))
    ref = tmp_path / "ref"
    ref.mkdir()
    for name in ("content", "site.yml"):
        src = site / name
        dst = ref / name
        subprocess.run(["cp", "-r", str(src), str(dst)], check=True)
    started = time.perf_counter()
    subprocess.run([*build[:4], str(ref), "-q"], env=env, capture_output=True, check=True)
    duration = time.perf_counter() - started
    new = snapshot(ref / "output")
    assert new != old
    for fraction in (0.3, 0.6, 0.8, 0.9, 0.95):
        proc = subprocess.Popen(
            build, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert snapshot(site / "output") in (old, new)
        # The killed build's worker processes die with it: none is left waiting for work.
        deadline = time.monotonic() + 5
        while builds_of(site) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert builds_of(site) == []
    assert subprocess.run(build, env=env, capture_output=True).returncode == 0
    assert snapshot(site / "output") == new
    leftovers = [p.name for p in site.iterdir() if p.name.startswith((".output", ".reports"))]
    assert leftovers == []
