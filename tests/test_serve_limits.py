"""The preview server answers only its own host names, drops slow clients and never runs
more than ``MAX_CONNECTIONS`` request threads (DNS rebinding and slow-request attacks)."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.commands import serve
from sitegen.commands.preview import PreviewBuild


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, object]]:
    monkeypatch.setattr(serve, "MAX_CONNECTIONS", 3)
    (tmp_path / "index.html").write_text("<html><head></head><body>preview</body></html>")
    state = serve.PreviewState(PreviewBuild(ok=True, diagnostics=[], failures=[]), tmp_path, "s")
    srv = serve.make_server(
        "127.0.0.1", 0, state, verbose=False, allowed_hosts=("preview.example.lan",)
    )
    srv.RequestHandlerClass.timeout = 1.0  # type: ignore[attr-defined]
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield int(srv.server_address[1]), srv
    finally:
        state.close()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def get(port: int, host: str | None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", "/", skip_host=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    return status


def test_only_loopback_and_allowed_host_names_are_answered(server) -> None:
    port, _ = server
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"[::1]:{port}"):
        assert get(port, host) == 200, host
    assert get(port, "preview.example.lan") == 200
    for host in (f"evil.example:{port}", "127.0.0.1.evil.example", "", None):
        assert get(port, host) == 403, host


def half_sent(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # never finished
    return s


def test_slow_requests_are_dropped_and_threads_are_bounded(server) -> None:
    port, _ = server
    before = threading.active_count()
    slow = [half_sent(port) for _ in range(10)]
    time.sleep(0.3)
    assert threading.active_count() - before <= 3  # MAX_CONNECTIONS, not 10
    started = time.monotonic()
    for s in slow:
        assert s.recv(100) == b""  # closed by the server (a hang would time out here)
        s.close()
    assert time.monotonic() - started < 5  # each dropped after its timeout, or at once
    time.sleep(0.2)
    assert get(port, "localhost") == 200  # the server is still there for a real request


@pytest.mark.parametrize("gone", [BrokenPipeError, ConnectionResetError])
def test_a_browser_that_goes_away_mid_answer_prints_no_traceback(
    server: tuple[int, object], capsys: pytest.CaptureFixture[str], gone: type[OSError]
) -> None:
    """A tab reloaded while a file is being sent breaks the connection: that is normal and
    the terminal stays clean; any other failure of a request is still reported."""
    _, srv = server
    try:
        raise gone(32, "the browser went away")
    except OSError:
        srv.handle_error(None, ("127.0.0.1", 1))  # type: ignore[attr-defined]
    assert capsys.readouterr().err == ""
    try:
        raise ValueError("a real bug")
    except ValueError:
        srv.handle_error(None, ("127.0.0.1", 1))  # type: ignore[attr-defined]
    assert "Traceback" in capsys.readouterr().err


def test_ctrl_c_while_a_request_thread_starts_stops_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C (or SIGTERM) can arrive while ``Thread.start`` waits for a request's thread,
    which has started and will free its connection slot itself. The interrupt must reach
    the server loop as it came, never turn into a failed request (it once did, through a
    semaphore released twice, and the server ran on)."""
    (tmp_path / "index.html").write_text("<html><head></head><body>preview</body></html>")
    state = serve.PreviewState(PreviewBuild(ok=True, diagnostics=[], failures=[]), tmp_path, "s")
    srv = serve.make_server("127.0.0.1", 0, state, verbose=False)
    real_start = threading.Thread.start

    def start_then_interrupted(self: threading.Thread) -> None:
        real_start(self)
        self.join(10)  # the request is answered and its slot freed (a loaded machine)
        raise KeyboardInterrupt  # then the signal handler's exception arrives

    port = int(srv.server_address[1])
    ended: list[BaseException] = []

    def loop() -> None:
        try:
            srv.serve_forever(poll_interval=0.05)
        except BaseException as exc:  # what ended the loop is the point
            ended.append(exc)

    monkeypatch.setattr(threading.Thread, "start", start_then_interrupted)
    server_thread = threading.Thread(target=loop, daemon=True)
    real_start(server_thread)
    try:
        assert get(port, f"127.0.0.1:{port}") == 200
        server_thread.join(10)
        stuck = server_thread.is_alive()
    finally:
        monkeypatch.undo()
        if server_thread.is_alive():
            srv.shutdown()  # the interrupt was lost: the loop ran on
        state.close()
        srv.server_close()
    assert not stuck, "the interrupt was lost: the server kept serving"
    assert len(ended) == 1 and type(ended[0]) is KeyboardInterrupt, ended
