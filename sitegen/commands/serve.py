"""``sitegen serve``: a development server for writers.

It builds the preview (``preview.PreviewBuilder``) into ``.sitegen-preview/site/``, serves it
with the standard library's ``ThreadingHTTPServer`` on 127.0.0.1, watches the content,
templates, ``site.yml`` and glossary files with ``watchdog``, rebuilds ~100 ms after the last
change, and tells open tabs to reload through Server-Sent Events at ``/__sitegen/events``.
The reload script (``/__sitegen/reload.js``) is added to HTML responses as they are served, so
it is never in any file on disk. While the build fails, every page request gets an HTTP 500
page listing the problems at file:line; the next good build brings the site back.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import html
import ipaddress
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
import webbrowser
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from sitegen.commands.fixes import apply_fixes, read_source, write_source
from sitegen.commands.preview import ASSET_PREFIX, PreviewBuild, PreviewBuilder, error_page
from sitegen.content.config import CONFIG_NAME, SiteConfig, load_config
from sitegen.core.diagnostics import Diagnostic, count, sorted_diagnostics
from sitegen.core.sitelock import CacheFolderProblem, SiteBusy, lock_problem, site_lock
from sitegen.core.urls import SEARCH_INDEX
from sitegen.readability.model import Fix

ASSETS_DIR = Path(__file__).parent.parent / "theme" / "preview"
ASSETS = {"reload.js": "text/javascript; charset=utf-8", "preview.css": "text/css; charset=utf-8"}
DEBOUNCE = 0.05  # seconds of quiet after the last change before a rebuild starts
KEEPALIVE = 15.0  # seconds between SSE comments that keep idle connections open
LOCK_WAIT = 300.0  # seconds a rebuild waits for a build or check in another terminal
STOP_WAIT = 1.0  # seconds Ctrl+C waits for a running rebuild before abandoning it
STOP_GRACE = 5.0  # seconds after Ctrl+C by which the server has ended, stuck or not
REQUEST_TIMEOUT = 10.0  # seconds a connection may take to send a request or take a reply
MAX_CONNECTIONS = 64  # connections served at once (one thread each); more are closed at once
_IGNORED_NAME = re.compile(r"^(?:\.|#)|(?:~|\.swp|\.swx|\.tmp|\.part)$|^4913$")
_HEAD_END = re.compile(rb"</head>", re.I)


def host_name(header: str) -> str:
    """The host name of a ``Host`` header: ``[::1]:8000`` -> ``::1``, ``LocalHost.:80`` ->
    ``localhost``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        value = value.partition(":")[0]
    return value.rstrip(".")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------------------------
# Shared state between the rebuild thread and the request threads


@dataclass
class PreviewState:
    """The latest build and a generation counter that open tabs wait on."""

    build: PreviewBuild
    site_dir: Path
    root_name: str
    generation: int = 1
    closing: bool = False
    #: what the preview cannot apply live, in plain words (shown on every page)
    notices: list[str] = field(default_factory=list)
    #: the site's folder: the "Apply" buttons write into its pages (None: they are refused)
    root: Path | None = None
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, build: PreviewBuild) -> None:
        """Record a new build and wake every event stream, so that open tabs reload."""
        with self.changed:
            self.build = build
            self.generation += 1
            self.changed.notify_all()

    def notice(self, text: str) -> None:
        """Add a notice and reload open tabs, so that they show it."""
        with self.changed:
            self.notices.append(text)
            self.generation += 1
            self.changed.notify_all()

    def moved_on(self, seen: int) -> bool:
        """True when there is a build newer than ``seen``, or the server is closing."""
        return self.generation != seen or self.closing

    def close(self) -> None:
        """End every event stream (server shutdown)."""
        with self.changed:
            self.closing = True
            self.changed.notify_all()


def _same_site(headers: Any) -> bool:
    """True when a request comes from a page of the preview itself: the Host is this computer
    (no DNS rebinding) and the browser says the request is same-origin (``Sec-Fetch-Site``),
    or, from a client that does not send it, any ``Origin`` is this computer."""
    host = urllib.parse.urlsplit("//" + headers.get("Host", "")).hostname or ""
    if not is_loopback(host):
        return False
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = headers.get("Origin")
    return origin is None or is_loopback(urllib.parse.urlsplit(origin).hostname or "")


def inject_reload(page: bytes, generation: int, notices: Sequence[str] = ()) -> bytes:
    """Add the reload script to an HTML page (before ``</head>``, else at the end), with the
    preview's notices (what it cannot apply live) for the script to show at the top."""
    extra = ""
    if notices:
        extra = f' data-notices="{html.escape(json.dumps(list(notices)), quote=True)}"'
    tag = (
        f'<script src="{ASSET_PREFIX}reload.js" data-build="{generation}"{extra} defer></script>\n'
    ).encode()
    m = _HEAD_END.search(page)
    if m is None:
        return page + tag
    return page[: m.start()] + tag + page[m.start() :]


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the preview folder, the reload machinery under ``/__sitegen/``, and the error
    page while the build fails. Nothing is cached by the browser."""

    state: PreviewState  # set on the subclass made by ``make_server``
    verbose = False
    server_version = "sitegen-preview"
    #: host names besides the loopback ones that ``Host`` may name (``make_server``)
    allowed_hosts: frozenset[str] = frozenset()
    timeout = REQUEST_TIMEOUT  # on the connection's socket: a slow client is dropped

    def host_allowed(self) -> bool:
        """True when the ``Host`` header names this server: a loopback address or an
        allowed name. A page elsewhere that made its own name resolve to 127.0.0.1 (DNS
        rebinding) sends its own name, and is refused."""
        name = host_name(self.headers.get("Host", ""))
        return is_loopback(name) or name in self.allowed_hosts

    def refuse_host(self) -> None:
        """403 for a request whose ``Host`` is not this server's."""
        body = (
            b"This sitegen preview answers only requests for 127.0.0.1, localhost or [::1] "
            b"(and names given with --allow-host).\n"
        )
        self._send(HTTPStatus.FORBIDDEN, body, "text/plain; charset=utf-8")

    def translate_path(self, path: str) -> str:
        """The file for a URL path: in the preview folder; the search index, which only
        ``build`` makes, from the last build's output (search lags behind the preview)."""
        local = super().translate_path(path)
        state = self.state
        config = state.build.config
        if state.root is None or config is None or os.path.exists(local):
            return local
        try:
            rel = Path(local).relative_to(state.site_dir)
        except ValueError:
            return local
        if not rel.parts or rel.parts[0] != SEARCH_INDEX:
            return local
        output = (state.root / config.output_dir).resolve()
        published = (output / rel).resolve()
        if not published.is_relative_to(output / SEARCH_INDEX):
            return local
        return str(published)

    def do_HEAD(self) -> None:
        if not self.host_allowed():
            self.refuse_host()
            return
        super().do_HEAD()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if self.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        if not self.host_allowed():
            self.refuse_host()
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == f"{ASSET_PREFIX}events":
            self._events(urllib.parse.parse_qs(url.query).get("since", [""])[0])
            return
        if url.path.startswith(ASSET_PREFIX):
            self._asset(url.path[len(ASSET_PREFIX) :])
            return
        state = self.state
        with state.changed:
            build, generation = state.build, state.generation
            notices = tuple(state.notices)
        fs = Path(self.translate_path(self.path))
        if fs.is_dir():
            if not url.path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                location = urllib.parse.urlunsplit(("", "", url.path + "/", url.query, ""))
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            fs = fs / "index.html"
        is_page = fs.suffix in (".html", ".htm") or not fs.suffix
        if not build.ok and is_page:
            page = error_page(build.diagnostics, root_name=state.root_name, crash=build.crash)
            body = page.encode("utf-8")
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, inject_reload(body, generation, notices))
            return
        if fs.suffix in (".html", ".htm") and fs.is_file():
            self._send(HTTPStatus.OK, inject_reload(fs.read_bytes(), generation, notices))
            return
        if not fs.exists():
            missing = state.site_dir / "404.html"
            if missing.is_file():
                self._send(
                    HTTPStatus.NOT_FOUND, inject_reload(missing.read_bytes(), generation, notices)
                )
            else:
                self.send_error(HTTPStatus.NOT_FOUND)
            return
        super().do_GET()

    def do_POST(self) -> None:
        """``/__sitegen/apply``: write one of a page's own safe suggestions into its file
        (the panel's "Apply" button), then send the browser back to the page, which reloads
        again when the rebuild is done. Only from this computer, only a fix the checker
        offered for that page in the latest build, only into that page's own file."""
        url = urllib.parse.urlsplit(self.path)
        if url.path != f"{ASSET_PREFIX}apply":
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        problem = self._apply()
        if problem:
            self._send(HTTPStatus.FORBIDDEN, problem.encode("utf-8"), "text/plain; charset=utf-8")
            return
        back = self._back or "/"
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", back)
        self.send_header("Content-Length", "0")
        self.end_headers()

    _back = "/"

    def _apply(self) -> str:
        """Apply the posted fix; "" when done, else why not."""

        state = self.state
        if state.root is None or not is_loopback(str(self.client_address[0])):
            return "Apply works only from this computer.\n"
        if not _same_site(self.headers):
            return "Apply works only from the preview's own pages.\n"
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= 65_536:
            return "Bad request.\n"
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        back = form.get("back", ["/"])[0]
        self._back = back if back.startswith("/") and not back.startswith("//") else "/"
        try:
            page = form["page"][0]
            fix = Fix(int(form["line"][0]), int(form["column"][0]), int(form["end_line"][0]),
                      int(form["end_column"][0]), form["old"][0], form["new"][0])  # fmt: skip
        except (KeyError, IndexError, ValueError):
            return "Bad request.\n"
        with state.changed:
            offered = state.build.fixes.get(page, ())
        if fix not in offered:
            return "This suggestion is no longer current: the page has changed. Reload it.\n"
        path = (state.root / page).resolve()
        if not path.is_relative_to(state.root.resolve()) or not path.is_file():
            return "Not a page of this site.\n"
        try:
            done = apply_fixes(read_source(path), [fix])
            if not done.applied:
                return "The file no longer says this here. Reload the page.\n"
            write_source(path, done.text)
        except (OSError, UnicodeDecodeError) as exc:
            return f"Could not write {page}: {getattr(exc, 'strerror', None) or exc}\n"
        return ""

    def _send(
        self, status: HTTPStatus, body: bytes, ctype: str = "text/html; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _asset(self, name: str) -> None:
        if name not in ASSETS:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self._send(HTTPStatus.OK, (ASSETS_DIR / name).read_bytes(), ASSETS[name])

    def _events(self, since: str) -> None:
        """A Server-Sent Events stream: ``event: reload`` after every rebuild."""
        state = self.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        self.close_connection = True
        with state.changed:
            seen = state.generation
        try:
            self.wfile.write(f"retry: 1000\n: sitegen preview, build {seen}\n\n".encode())
            if since and since != str(seen):
                # The page was served before the latest build finished: reload it now.
                self.wfile.write(f"event: reload\ndata: {seen}\n\n".encode())
            while True:
                with state.changed:
                    state.changed.wait_for(
                        functools.partial(state.moved_on, seen), timeout=KEEPALIVE
                    )
                    if state.closing:
                        return
                    current = state.generation
                if current != seen:
                    seen = current
                    self.wfile.write(f"event: reload\ndata: {seen}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
        except OSError:  # the tab was closed
            return


def make_server(
    host: str,
    port: int,
    state: PreviewState,
    *,
    verbose: bool,
    allowed_hosts: Iterable[str] = (),
) -> ThreadingHTTPServer:
    """A threading HTTP server for the preview; ``port`` 0 picks a free port. It answers
    requests whose ``Host`` is a loopback address, ``host`` or one of ``allowed_hosts``;
    at most ``MAX_CONNECTIONS`` at once, each dropped after ``REQUEST_TIMEOUT`` idle seconds."""
    names = frozenset(host_name(h) for h in (host, *allowed_hosts))
    handler = type(
        "BoundPreviewHandler",
        (PreviewHandler,),
        {"state": state, "verbose": verbose, "allowed_hosts": names},
    )
    slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        # closing the server does not wait for the connections' threads: an event stream
        # or a slow client could otherwise keep a stopped server alive
        block_on_close = False
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

        def process_request(self, request: Any, client_address: Any) -> None:
            if not slots.acquire(blocking=False):  # too many connections: drop this one
                self.shutdown_request(request)
                return
            try:
                super().process_request(request, client_address)
            except Exception:  # no thread was started ("can't start new thread"): free its slot
                slots.release()
                raise
            # Not on KeyboardInterrupt (Ctrl+C or SIGTERM): it can arrive while
            # ``Thread.start`` waits for a thread that has started and frees the slot itself.
            # Releasing it here too made the semaphore raise ValueError, which the server
            # takes for a failed request: the stop was lost and the server ran on.

        def process_request_thread(self, request: Any, client_address: Any) -> None:
            try:
                super().process_request_thread(request, client_address)
            finally:
                slots.release()

        def finish_request(self, request: Any, client_address: Any) -> None:
            handler(request, client_address, self, directory=str(state.site_dir))

        def handle_error(self, request: Any, client_address: Any) -> None:
            """A browser that goes away mid-answer (a tab reloaded or closed while a file
            was sent) is normal, not an error: no traceback for it. Anything else is
            reported as the standard library does."""
            if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                return
            super().handle_error(request, client_address)

    return Server((host, port), handler)


# --------------------------------------------------------------------------------------------
# Watching files


def watch_targets(root: Path, config: SiteConfig | None) -> list[tuple[Path, bool]]:
    """Folders to watch as ``(folder, recursive)``: content, templates, and the folders of
    ``site.yml`` and the glossary files. Folders that do not exist yet are skipped; the site
    folder itself is always watched (not recursively), so a new templates folder is seen."""
    targets: dict[Path, bool] = {root: False}
    if config is not None:
        for name in (config.content_dir, config.templates_dir):
            folder = root / name
            if folder.is_dir():
                targets[folder] = True
        for g in config.extra_files():
            folder = (root / g).parent
            if folder.is_dir():
                targets[folder] = targets.get(folder, False)
    return sorted(targets.items())


def is_relevant(path: Path, root: Path, config: SiteConfig | None) -> bool:
    """True when a change to ``path`` should rebuild the preview."""
    if _IGNORED_NAME.search(path.name):
        return False
    try:
        rel = path.relative_to(root)
    except ValueError:
        return False
    if rel.as_posix() == CONFIG_NAME:
        return True
    if config is None:
        return False
    if rel.is_relative_to(config.content_dir) or rel.is_relative_to(config.templates_dir):
        return True
    return rel.as_posix() in {Path(g).as_posix() for g in config.extra_files()}


class _Handler(FileSystemEventHandler):
    def __init__(self, notify: Callable[[Path, bool], None]) -> None:
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in ("created", "modified", "deleted", "moved"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        new_folder = event.is_directory and event.event_type in ("created", "moved")
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.notify(Path(os.fsdecode(raw)), new_folder)


class Watcher:
    """Watches the site's source files and calls ``on_change(rel_path)`` for each change.

    A new folder the site uses (``templates/``, ``content/``, a glossary's folder) is
    watched as soon as it appears, in the watcher's own thread, so that nothing saved in it
    afterwards is missed; folders no longer used stop being watched, and the others are
    never unwatched on the way. A folder that cannot be watched (the system's limit of
    watched folders, say) is reported through ``on_problem`` in plain words.
    """

    def __init__(
        self,
        root: Path,
        on_change: Callable[[str], None],
        on_problem: Callable[[str], None] = lambda text: None,
    ) -> None:
        self.root = root
        self.on_change = on_change
        self.on_problem = on_problem
        self.config: SiteConfig | None = None
        self._observer = Observer()
        self._watches: dict[tuple[Path, bool], Any] = {}
        self._failed: set[Path] = set()
        self._lock = threading.Lock()
        self._handler = _Handler(self._notify)

    def start(self, config: SiteConfig | None) -> None:
        """Start watching."""
        self.update(config)
        self._observer.start()

    def update(self, config: SiteConfig | None) -> list[Path]:
        """Watch the folders ``config`` names (after ``site.yml`` changed or a folder
        appeared); returns the folders newly watched.

        Called from the observer's thread (a new folder) and from others (after a build).
        The observer holds its own lock while it hands an event to ``_notify``, and takes it
        again in ``schedule``: so the watcher's lock guards only its own bookkeeping and is
        never held while the observer is called, or two threads could wait on each other.
        The same handler is scheduled each time, so two threads adding one folder at once
        watch it once."""
        with self._lock:
            self.config = config
            targets = watch_targets(self.root, config)
            dropped = [self._watches.pop(k) for k in list(self._watches) if k not in targets]
            wanted = [t for t in targets if t not in self._watches]
        for watch in dropped:
            with contextlib.suppress(KeyError):  # unscheduled by another thread meanwhile
                self._observer.unschedule(watch)
        added = []
        for folder, recursive in wanted:
            try:
                watch = self._observer.schedule(self._handler, str(folder), recursive=recursive)
            except OSError as exc:
                with self._lock:
                    said = folder in self._failed
                    self._failed.add(folder)
                if not said:
                    self.on_problem(_cannot_watch(self.root, folder, exc))
                continue
            with self._lock:
                self._failed.discard(folder)
                known = (folder, recursive) in self._watches
                self._watches[(folder, recursive)] = watch
            if not known:
                added.append(folder)
        return added

    def _notify(self, path: Path, new_folder: bool = False) -> None:
        if new_folder:
            self.update(self.config)
        if is_relevant(path, self.root, self.config):
            self.on_change(path.relative_to(self.root).as_posix())

    def stop(self) -> None:
        """Stop watching."""
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=2)


def _shown(folder: Path, root: Path) -> str:
    """A watched folder as a writer names it: ``templates/``."""
    try:
        return folder.relative_to(root).as_posix() + "/"
    except ValueError:
        return str(folder)


def _cannot_watch(root: Path, folder: Path, exc: OSError) -> str:
    """The plain-words notice for a folder the preview cannot watch."""
    rel = folder.relative_to(root).as_posix() if folder != root else "the site folder"
    why = exc.strerror or str(exc)
    text = (
        f"the preview cannot watch {rel} for changes ({why}): saving a file there does not "
        "update it. Stop sitegen serve and start it again after saving"
    )
    if exc.errno == 28:  # ENOSPC: inotify's limit of watched folders
        text += "; on Linux, raise the limit with: sudo sysctl fs.inotify.max_user_watches=524288"
    return text


class Rebuilder:
    """Collects changes, waits ``DEBOUNCE`` seconds of quiet, rebuilds, tells tabs to reload."""

    def __init__(
        self,
        builder: PreviewBuilder,
        state: PreviewState,
        report: Callable[[PreviewBuild, list[str], float], None],
    ) -> None:
        self.builder = builder
        self.state = state
        self.report = report
        self.on_config: Callable[[SiteConfig | None], list[Path] | None] = lambda config: None
        self._pending: dict[str, None] = {}
        self._first_change = 0.0
        self._last_change = 0.0
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="sitegen-rebuild", daemon=True)

    def start(self) -> None:
        """Start the rebuild thread."""
        self._thread.start()

    def changed(self, rel: str) -> None:
        """Note a changed file (called from the watcher's thread)."""
        with self._wake:
            now = time.perf_counter()
            if not self._pending:
                self._first_change = now
            self._pending[rel] = None
            self._last_change = now
            self._wake.notify()

    def stop(self) -> bool:
        """Stop; True when no rebuild was running or it ended within ``STOP_WAIT`` seconds,
        False when one is still running (it is abandoned: the process is about to end)."""
        with self._wake:
            self._stopped = True
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=STOP_WAIT)
        return not self._thread.is_alive()

    def _run(self) -> None:
        self.builder.warm()
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._pending or self._stopped)
                if self._stopped:
                    return
                while True:  # debounce: wait until no change for DEBOUNCE seconds
                    quiet = time.perf_counter() - self._last_change
                    if quiet >= DEBOUNCE or self._stopped:
                        break
                    self._wake.wait(DEBOUNCE - quiet)
                if self._stopped:
                    return
                changed = list(self._pending)
                first = self._first_change
                self._pending.clear()
            build = self.builder.build(changed)
            for folder in self.on_config(build.config) or ():
                # a folder started being watched during the build: build once more, so a
                # file saved in it before the watch began is not missed
                self.changed(_shown(folder, self.builder.root))
            self.state.publish(build)
            self.report(build, changed, time.perf_counter() - first)


# --------------------------------------------------------------------------------------------
# The command


@dataclass
class ServeOptions:
    """What ``sitegen serve`` was asked to do."""

    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = True
    quiet: bool = False
    verbose: bool = False
    #: host names the ``Host`` header may name besides the loopback ones (``--allow-host``)
    allowed_hosts: tuple[str, ...] = ()


class Console:
    """Printing for the server: diagnostics to stderr, status lines to stdout."""

    def __init__(
        self,
        opts: ServeOptions,
        print_diags: Callable[[Iterable[Diagnostic], TextIO], None],
    ) -> None:
        self.opts = opts
        self.print_diags = print_diags

    def say(self, text: str) -> None:
        """A status line (not with ``-q``)."""
        if not self.opts.quiet:
            print(text, flush=True)

    def build(self, build: PreviewBuild, changed: list[str], took: float) -> None:
        """Report one (re)build."""
        shown = build.diagnostics if self.opts.verbose else build.failures
        self.print_diags(sorted_diagnostics(shown), sys.stderr)
        sys.stderr.flush()
        what = ", ".join(changed[:3]) + (f" (+{len(changed) - 3} more)" if len(changed) > 3 else "")
        if build.crash:
            print(build.crash, file=sys.stderr, end="", flush=True)
            print(
                "sitegen: internal error while building the preview (a bug in sitegen); the "
                "server keeps running and tries again on the next save.",
                file=sys.stderr,
                flush=True,
            )
            return
        if not build.ok:
            print(
                f"Build failed{' after a change to ' + what if what else ''}: the browser shows "
                "the problems. Fix the file and save it to try again.",
                file=sys.stderr,
                flush=True,
            )
            return
        errors, warnings = count(build.diagnostics)
        summary = (
            f"{build.pages} pages ({build.drafts} drafts, {build.blocked} blocked by the "
            f"readability gate); {errors} errors, {warnings} warnings"
        )
        if not changed:
            self.say(f"Preview built: {summary}.")
        elif self.opts.verbose:
            self.say(
                f"{what} changed: rebuilt in {took:.2f} s (build {build.elapsed:.2f} s): {summary}."
            )
        else:
            self.say(f"{what} changed: preview rebuilt.")


def locked(root: Path, build: Callable[..., PreviewBuild]) -> Callable[..., PreviewBuild]:
    """``build`` holding the site's lock (``sitelock``), waiting up to ``LOCK_WAIT`` seconds
    for a build or check in another terminal; a failed preview build if it cannot."""

    def run(changed: Iterable[str] = ()) -> PreviewBuild:
        try:
            with site_lock(root, "serve", wait=LOCK_WAIT):
                return build(changed)
        except (SiteBusy, CacheFolderProblem) as exc:
            problem = lock_problem(exc)
            return PreviewBuild(ok=False, diagnostics=[problem], failures=[problem])

    return run


def serve(root: Path, opts: ServeOptions, console: Console) -> int:
    """Build the preview, serve it and rebuild on changes until Ctrl+C; returns an exit code."""
    builder = PreviewBuilder(root)
    builder.build = locked(root, builder.build)  # type: ignore[method-assign]
    state = PreviewState(
        PreviewBuild(ok=True, diagnostics=[], failures=[]), builder.site_dir, root.name, root=root
    )
    try:  # listen first: a port in use fails at once, before any build
        server = make_server(
            opts.host, opts.port, state, verbose=opts.verbose, allowed_hosts=opts.allowed_hosts
        )
    except OSError as exc:
        print(
            f"sitegen: error: cannot listen on {opts.host}:{opts.port}: {exc.strerror}; "
            "try another --port, or --port 0 for any free port",
            file=sys.stderr,
        )
        return 2
    rebuilder = Rebuilder(builder, state, console.build)

    def cannot_apply(text: str) -> None:
        print(f"sitegen: warning: {text}", file=sys.stderr, flush=True)
        state.notice(text)

    watcher = Watcher(root, rebuilder.changed, cannot_apply)
    rebuilder.on_config = watcher.update
    try:
        # Watch before the first build, so that a save during it is not missed.
        watcher.start(load_config(root)[0])
        first = builder.build()
        # The site now in memory (a million objects at 10,000 pages) is kept for the whole
        # session: out of the garbage collector's sight, a full collection during an edit
        # takes milliseconds instead of a second.
        gc.collect()
        gc.freeze()
        console.build(first, [], first.elapsed)
        state.publish(first)
        watcher.update(first.config)
        rebuilder.start()
        host, port = str(server.server_address[0]), int(server.server_address[1])
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{port}/"
        print(f"Serving the preview of {root} at {url} (press Ctrl+C to stop)", flush=True)
        if not is_loopback(opts.host):
            print(
                f"sitegen: warning: listening on {opts.host}: anyone who can reach this machine "
                "can see the preview, drafts included",
                file=sys.stderr,
                flush=True,
            )
        if opts.open_browser:
            open_browser(url)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        console.say("Stopped.")
    finally:
        state.close()
        watcher.stop()
        finished = rebuilder.stop()
        server.server_close()
        if finished:  # an abandoned rebuild may be changing the record: keep the last one
            builder.save()
        else:
            console.say("A rebuild was still running: it was abandoned.")
    return 0


def open_browser(url: str) -> None:
    """Open ``url`` in the desktop browser; on Linux only with a graphical session, so a text
    browser never takes over the terminal."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
