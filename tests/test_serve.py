"""``serve`` end to end: a real server process on a free port, real HTTP requests, a real
Server-Sent Events stream, real file edits. Also: nothing of the preview reaches ``output/``."""

from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from small_site import BUILD_PY, WALKING, clean_env, run, write_site

from sitegen.commands.preview import PREVIEW_MARKERS, PREVIEW_SITE, highlight
from sitegen.commands.serve import is_relevant
from sitegen.content.config import ReadabilityConfig, SiteConfig
from sitegen.readability.model import Finding

#: how long a live test waits for a rebuild to show (it returns as soon as it does): a
#: template save rebuilds every page, and CI runs these beside other test workers
TIMEOUT = 30.0
PAGE = "studies/walking-study/"
SOURCE = "content/studies/walking-study.md"


class Server:
    """A running ``build.py serve`` and what it printed."""

    def __init__(self, proc: subprocess.Popen[str], url: str, lines: queue.Queue[str]) -> None:
        self.proc = proc
        self.url = url
        self.lines = lines
        self.seen: list[str] = []

    def get(self, path: str) -> tuple[int, str, str]:
        """GET ``path``: (status, content type, body) for any status."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=TIMEOUT) as resp:
                return resp.status, resp.headers["Content-Type"], resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers["Content-Type"], exc.read().decode("utf-8")

    def wait_output(self, pattern: str) -> re.Match[str]:
        """Wait for a line of output matching ``pattern``."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for line in self.seen:
                m = re.search(pattern, line)
                if m:
                    return m
            try:
                self.seen.append(self.lines.get(timeout=0.05))
            except queue.Empty:
                assert self.proc.poll() is None, "server exited:\n" + "".join(self.seen)
        raise AssertionError(f"no output matching {pattern!r}:\n" + "".join(self.seen))


def _pump(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


def start(argv: list[str], site: Path, env: dict[str, str]) -> Server:
    """Start a server process in ``site``; its output is read in a thread as it comes."""
    proc = subprocess.Popen(
        argv,
        cwd=site,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    return Server(proc, "", lines)


@pytest.fixture
def server(site: Path) -> Iterator[Server]:
    argv = [sys.executable, str(BUILD_PY), "serve", "--port", "0", "--no-open", "-v"]
    srv = start(argv, site, clean_env())
    proc, lines = srv.proc, srv.lines
    try:
        srv.url = srv.wait_output(r"at (http://127\.0\.0\.1:\d+/) ").group(1)
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
            proc.kill()
            proc.wait()
        output = "".join(srv.seen) + "".join(iter_queue(lines))
        assert "Traceback" not in output, output
        assert proc.returncode == 0, output  # 1: stopping was stuck, and the output says where


def iter_queue(q: queue.Queue[str]) -> Iterator[str]:
    while True:
        try:
            yield q.get_nowait()
        except queue.Empty:
            return


class Events:
    """A Server-Sent Events stream read in a thread, as a browser tab would."""

    def __init__(self, url: str) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.resp = urllib.request.urlopen(url + "__sitegen/events", timeout=60)
        assert self.resp.headers["Content-Type"].startswith("text/event-stream")
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(lambda line: line.startswith(": sitegen preview"))

    def _read(self) -> None:
        try:
            for raw in self.resp:
                self.lines.put(raw.decode("utf-8").rstrip("\n"))
        except OSError:
            pass

    def wait_for(self, test: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                continue
            if test(line):
                return line
        raise AssertionError("no such event")

    def wait_reload(self) -> None:
        self.wait_for(lambda line: line == "event: reload")


def text_of(page: str) -> str:
    """The text of a page without tags and finding labels (marks may split any sentence)."""
    page = re.sub(r'<a class="sg-finding-label"[^>]*>[^<]*</a>', "", page)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def wait_until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_edit_reload_break_recover(server: Server, site: Path) -> None:
    # The preview: content pages with the readability panel and the reload script.
    status, ctype, body = server.get(PAGE)
    assert status == 200 and ctype.startswith("text/html")
    assert "A short walk each day may help." in text_of(body)
    assert 'class="sg-readability"' in body
    assert "Grade " in body and "against target 8" in body
    assert re.search(r'<script src="/__sitegen/reload\.js" data-build="\d+" defer></script>', body)
    assert "Content-Security-Policy" in body  # the page's own CSP is kept
    assert server.get("__sitegen/reload.js")[1].startswith("text/javascript")
    assert server.get("__sitegen/preview.css")[0] == 200
    # Drafts are shown, with a banner and the flagged term marked in the text.
    status, _, draft = server.get("studies/sleep-draft/")
    assert status == 200
    assert 'class="sg-preview-banner' in draft and "Draft:" in draft
    mark = (
        r'<mark class="sg-finding [^"]*" id="sg-mark-\d+" '
        r'title="[^"\[]+ \[[A-Z]{2}\d{3}\][^"]*">[^<]+</mark>'
    )
    assert re.search(mark, draft)
    assert 'class="sg-finding-label"' in draft
    # The reload script is added while serving, never written into the preview files.
    on_disk = (site / PREVIEW_SITE / "studies" / "walking-study" / "index.html").read_text()
    assert "sg-readability" in on_disk and "reload.js" not in on_disk
    assert server.get("no/such/page/")[0] == 404

    # Edit a page: the rebuilt page is served and open tabs get a reload event.
    events = Events(server.url)
    source = site / SOURCE
    source.write_text(WALKING.replace("each day", "after lunch"), encoding="utf-8")
    events.wait_reload()
    wait_until(lambda: "A short walk after lunch may help." in text_of(server.get(PAGE)[2]))
    took = float(server.wait_output(r"walking-study\.md changed: rebuilt in ([\d.]+) s").group(1))
    assert took < 10

    # Break the YAML: every page is an error page naming file:line; assets still load.
    source.write_text(WALKING.replace("status: recruiting", "status: [recruiting"), "utf-8")
    events.wait_reload()
    wait_until(lambda: server.get(PAGE)[0] == 500)
    status, ctype, body = server.get(PAGE)
    assert ctype.startswith("text/html")
    assert re.search(r"content/studies/walking-study\.md:\d+(:\d+)?: error: ", body), body
    assert "/__sitegen/reload.js" in body
    assert server.get("")[0] == 500
    assert server.get("__sitegen/reload.js")[0] == 200
    server.wait_output(r"Build failed")

    # Fix it: the site comes back.
    source.write_text(WALKING, encoding="utf-8")
    events.wait_reload()
    wait_until(lambda: server.get(PAGE)[0] == 200)
    assert "A short walk each day may help." in text_of(server.get(PAGE)[2])


def test_preview_never_reaches_output(site: Path) -> None:
    from sitegen.commands.preview import PreviewBuilder

    preview = PreviewBuilder(site).build()
    assert preview.ok, [d.format() for d in preview.failures]
    preview_text = "".join(p.read_text("utf-8") for p in (site / PREVIEW_SITE).rglob("*.html"))
    for marker in PREVIEW_MARKERS:
        assert marker in preview_text
    r = run("build", cwd=site)
    assert r.returncode == 0, r.stderr
    out = site / "output"
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        for marker in (*PREVIEW_MARKERS, "sg-", "reload.js", "EventSource"):
            assert marker not in text, f"{marker} in {path.relative_to(out)}"
    assert not (out / "studies" / "sleep-draft").exists()


def test_host_and_port_problems_are_usage_errors(site: Path) -> None:
    bad_host = run("serve", "--host", "256.1.1.1", "--no-open", cwd=site)
    assert bad_host.returncode == 2
    assert "cannot listen on 256.1.1.1" in bad_host.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run("serve", "--port", str(port), "--no-open", cwd=site)
    assert busy.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    assert "--port 0" in busy.stderr
    assert "Traceback" not in bad_host.stderr + busy.stderr


# --------------------------------------------------------------------------------------------
# Marking findings in the page (pure functions)


def _finding(text: str, line: int = 5, field: str = "", waived_by: str = "") -> Finding:
    return Finding(
        rule="jargon",
        code="JG001",
        severity="warning",
        line=line,
        column=1,
        text=text,
        message=f'jargon "{text}"',
        suggestion="plain words",
        field=field,
        waived_by=waived_by,
    )


def _marks(html_text: str) -> list[str]:
    return re.findall(r'<mark class="sg-finding[^>]*>(.*?)</mark>', html_text, re.S)


@pytest.mark.parametrize(
    ("fragment", "text", "expect"),
    [
        ("<p>Take a placebo now.</p>", "placebo", ["placebo"]),
        ("<p>A long\n  sentence here.</p>", "A long sentence here.", ["A long\n  sentence here."]),
        ("<p>Salt &amp; pepper</p>", "Salt & pepper", ["Salt &amp; pepper"]),
        ('<p title="placebo">none</p><script>placebo</script>', "placebo", []),
        ("<p>placebos are not a placebo</p>", "placebo", ["placebo"]),
        ("<p>a <b>bold</b> word</p>", "a bold word", []),  # across tags: listed, not marked
    ],
)
def test_highlight_marks_text_only(fragment: str, text: str, expect: list[str]) -> None:
    out, marked = highlight(fragment, [(1, _finding(text))])
    assert _marks(out) == expect
    assert marked == ({1} if expect else set())
    unmarked = re.sub(r'<mark[^>]*>|</mark>|<a class="sg-finding-label"[^>]*>[^<]*</a>', "", out)
    assert unmarked == fragment


def test_repeated_term_marks_each_occurrence_once() -> None:
    fragment = "<header><p>Lead: metformin.</p></header><p>metformin and metformin.</p>"
    start = fragment.index("<p>metformin")
    findings = [
        (1, _finding("metformin", line=3, field="summary")),
        (2, _finding("metformin", line=20)),
        (3, _finding("metformin", line=21)),
        (4, _finding("metformin", line=22, waived_by="A. Reviewer")),
    ]
    out, marked = highlight(fragment, findings, start)
    assert marked == {1, 2, 3}
    ids = re.findall(r'id="sg-mark-(\d+)"', out)
    assert ids == ["1", "2", "3"]  # the field finding in the header, the body ones in the body
    assert out.index('id="sg-mark-2"') > start


@pytest.mark.parametrize(
    ("rel", "relevant"),
    [
        ("content/studies/a.md", True),
        ("content/pages/b.md", True),
        ("templates/page.html", True),
        ("templates/static/site.css", True),
        ("site.yml", True),
        ("glossary/terms.yml", True),
        ("glossary/other.yml", False),
        ("content/studies/.a.md.swp", False),
        ("content/studies/a.md~", False),
        ("content/studies/.a.md.123.tmp", False),
        (".sitegen-preview/site/index.html", False),
        ("output/index.html", False),
        ("reports/index.html", False),
        ("README.md", False),
    ],
)
def test_which_changes_rebuild(tmp_path: Path, rel: str, relevant: bool) -> None:
    config = SiteConfig(readability=ReadabilityConfig(glossary=("glossary/terms.yml",)))
    assert is_relevant(tmp_path / rel, tmp_path, config) is relevant


def test_preview_rebuild_keeps_the_pages_that_did_not_change(site: Path) -> None:
    from sitegen.commands.preview import PreviewBuilder

    builder = PreviewBuilder(site)
    assert builder.build().ok
    folder = site / PREVIEW_SITE
    before = {p: p.stat().st_ino for p in folder.rglob("*.html")}
    source = site / SOURCE
    source.write_text(
        source.read_text("utf-8") + "\nThis sentence is new for the preview.\n", "utf-8"
    )
    assert builder.build(changed=[SOURCE]).ok
    after = {p: p.stat().st_ino for p in folder.rglob("*.html")}
    changed = {p.relative_to(folder).as_posix() for p in after if before.get(p) != after[p]}
    assert changed == {PAGE + "index.html"}, changed
    page = (folder / PAGE / "index.html").read_text("utf-8")
    assert "This sentence is new for the preview." in page and "sg-readability" in page


def _stopped(srv: Server, timeout: float) -> tuple[int, float, str]:
    """SIGTERM the server: (exit code, seconds it took to end, everything it printed)."""
    started = time.monotonic()
    srv.proc.terminate()
    code = srv.proc.wait(timeout=timeout)
    took = time.monotonic() - started
    time.sleep(0.2)  # let the reader thread take the last lines
    return code, took, "".join(srv.seen) + "".join(iter_queue(srv.lines))


def test_stop_abandons_a_rebuild_that_is_waiting(server: Server, site: Path) -> None:
    from sitegen.commands.serve import STOP_WAIT
    from sitegen.core.sitelock import site_lock

    # A build in another terminal holds the site: the rebuild after this save waits for it
    # (up to 5 minutes). Stopping the server must not.
    with site_lock(site, "build"):
        source = site / SOURCE
        source.write_text(source.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        time.sleep(1.0)  # the change is seen and the rebuild is waiting for the lock
        code, took, output = _stopped(server, timeout=STOP_WAIT + 9)
    assert code == 0, output
    assert took < STOP_WAIT + 2.5, (took, output)
    assert "Stopped." in output and "A rebuild was still running: it was abandoned." in output
    assert "Traceback" not in output and "Timeout" not in output, output


def test_stuck_stop_ends_with_where_it_was_stuck(site: Path) -> None:
    from sitegen.commands.serve import STOP_GRACE

    # Saving the preview's record hangs (as a full disk or a dead network folder could):
    # the server still ends, STOP_GRACE seconds after SIGTERM, and shows where it was stuck.
    hang = (
        "import sys, time\n"
        "from sitegen.commands.preview import PreviewBuilder\n"
        "PreviewBuilder.save = lambda self: time.sleep(600)\n"
        "from sitegen.cli import main\n"
        "sys.exit(main(['serve', '--port', '0', '--no-open']))\n"
    )
    srv = start([sys.executable, "-c", hang], site, clean_env(PYTHONPATH=str(BUILD_PY.parent)))
    proc = srv.proc
    try:
        srv.wait_output(r"at (http://127\.0\.0\.1:\d+/) ")
        code, took, output = _stopped(srv, timeout=STOP_GRACE + 10)
    finally:
        if proc.poll() is None:  # pragma: no cover - the grace period did not work
            proc.kill()
            proc.wait()
    assert code == 1, output
    assert STOP_GRACE - 0.5 < took < STOP_GRACE + 3, (took, output)
    assert "Stopped." in output and "<lambda>" in output and "Timeout" in output, output
