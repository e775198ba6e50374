"""Shared helpers for the patient-feature tests (``test_patient_*.py``).

``example_site`` builds the repository's example site ONCE per test session into a temporary
copy (``content/``, ``site.yml`` and ``templates/`` are copied; the repo's ``output/`` is never
touched); ``serve`` serves a folder on 127.0.0.1 on a free port.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sitegen.build.pipeline import BuildResult, build_site
from sitegen.content.config import load_config

REPO = Path(__file__).resolve().parent.parent
_BUILT: dict[str, tuple[Path, BuildResult]] = {}


def copy_example_site(dest: Path) -> Path:
    """Copy the example site's sources (content, templates, site.yml) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("content", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "site.yml", dest / "site.yml")
    return dest


def build(root: Path) -> BuildResult:
    """Build the site at ``root`` and fail with its errors if it was not published."""
    config, diags = load_config(root)
    assert config is not None, [d.format() for d in diags]
    result = build_site(root, config)
    errors = [d.format() for d in result.diagnostics if d.is_error]
    assert result.published, errors
    return result


def example_site(tmp_root: Path) -> tuple[Path, BuildResult]:
    """The example site built once per session: (output folder, build result)."""
    if "example" not in _BUILT:
        root = copy_example_site(tmp_root / "site")
        result = build(root)
        _BUILT["example"] = (root / "output", result)
    return _BUILT["example"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that leaves a page while it is still arriving (a throttled test moving
        on) is normal: no traceback for it."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 (free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def html_pages(output: Path) -> list[Path]:
    """Every HTML page of a built site."""
    return sorted(output.rglob("*.html"))


def built_study_page(root: Path, study_text: str) -> str:
    """The HTML of the small test site's walking study, built from ``study_text``."""
    from small_site import write_site

    build(write_site(root, {"content/studies/walking-study.md": study_text}))
    return (root / "output" / "studies" / "walking-study" / "index.html").read_text()


def recording_page(context: Any) -> Any:
    """A new page of a browser context that records every request URL (``page.requests``)
    and every script error (``page.errors``)."""
    pg = context.new_page()
    pg.requests = []
    pg.errors = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    return pg


#: elements without an end tag
VOID_ELEMENTS = frozenset({"meta", "link", "input", "img", "br", "hr", "source", "area", "wbr"})


class OpenElements(HTMLParser):
    """An HTML parser that knows the open elements and the ``lang`` each one sets
    (``stack``, innermost last); subclasses collect what they look for into ``texts``."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return
