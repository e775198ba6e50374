"""How long a writer waits in ``sitegen serve``: from saving one page to seeing it.

Starts ``build.py serve --port 0 --no-open`` on a site (after its first build), listens to
the reload events at ``/__sitegen/events`` like an open tab, adds a word to one sentence of
one study page and measures, from the moment the file is written:

- ``servable``: until a request for that page returns the new text (polled every 20 ms);
- ``reload``: until the server sends the tab its reload event;
- ``cpu``: the processor time the server used meanwhile (user + system, from ``/proc``): on
  a busy shared machine, the wall-clock figures above grow with the load, this one does not.

Each edit is made ``--edits`` times (each time a different text) and the median and the
worst are printed; the page is put back as it was at the end.

    python benchmarks/serve_edit.py SITE [--edits 5] [--page content/studies/study-00007.md]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE = "content/studies/study-00007.md"
SENTENCE = "You can ask"
WORDS = ("today", "now", "soon")


def _get(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().read()
    finally:
        conn.close()


class Events:
    """The server's reload events, as an open tab receives them (time of each)."""

    def __init__(self, port: int) -> None:
        self.times: list[float] = []
        self.ready = threading.Event()
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
        self._conn.request("GET", "/__sitegen/events")
        self._resp = self._conn.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in iter(self._resp.readline, b""):
            self.ready.set()
            if raw.startswith(b"event: reload"):
                self.times.append(time.perf_counter())


def cpu_seconds(pid: int) -> float:
    """User + system processor time of process ``pid`` (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def page_url(page: str) -> str:
    """The preview URL of a generated study page."""
    return "/studies/" + Path(page).stem + "/"


def measure_edits(site: Path, page: str = PAGE, edits: int = 5) -> dict[str, float]:
    """Start the preview of ``site``, edit ``page`` ``edits`` times; seconds (median and
    worst) to servable and to the reload event, and the first build's time."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--root", str(site), "--port", "0",
         "--no-open", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        port = 0
        for line in proc.stdout:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        if not port:
            raise SystemExit("the preview did not start")
        first = time.perf_counter() - started
        events = Events(port)
        events.ready.wait(10)
        src = site / page
        url = page_url(page)
        servable: list[float] = []
        reload: list[float] = []
        cpu: list[float] = []
        original = src.read_text(encoding="utf-8")
        assert SENTENCE in original, f"{page} does not say {SENTENCE!r}"
        for n in range(1, edits + 1):
            seen = len(events.times)
            time.sleep(0.3)  # let the watcher settle between edits
            word = f"{SENTENCE} ({WORDS[n % len(WORDS)]} {n})"
            c0 = cpu_seconds(proc.pid)
            t0 = time.perf_counter()
            src.write_text(original.replace(SENTENCE, word, 1), encoding="utf-8")
            want = word.encode()
            while True:
                if want in _get(port, url):
                    break
                if time.perf_counter() - t0 > 120:
                    raise SystemExit("the edit never showed")
                time.sleep(0.02)
            servable.append(time.perf_counter() - t0)
            while len(events.times) <= seen and time.perf_counter() - t0 < 120:
                time.sleep(0.005)
            reload.append(events.times[seen] - t0)
            cpu.append(cpu_seconds(proc.pid) - c0)
        src.write_text(original, encoding="utf-8")
        return {
            "first build": first,
            "servable median": statistics.median(servable),
            "servable worst": max(servable),
            "reload median": statistics.median(reload),
            "reload worst": max(reload),
            "cpu median": statistics.median(cpu),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--page", default=PAGE)
    ap.add_argument("--edits", type=int, default=5)
    args = ap.parse_args()
    for name, seconds in measure_edits(args.site, args.page, args.edits).items():
        print(f"{name}: {seconds:.3f} s")


if __name__ == "__main__":
    main()
