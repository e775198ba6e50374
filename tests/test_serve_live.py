"""A preview that never lies: folders made while ``serve`` runs are watched at once (a new
``templates/``, ``templates/static/``, a new content folder), and what the preview cannot
apply live is said in the terminal and on the page, as is a server that stopped."""

from __future__ import annotations

import errno
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import test_serve
from small_site import write_site
from test_serve import Server, text_of, wait_until

from sitegen.commands.serve import Watcher, inject_reload
from sitegen.render.templates import THEME_DIR

BASE = (THEME_DIR / "base.html").read_text(encoding="utf-8")


server = test_serve.server  # the running preview of ``site`` below


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small site without templates/ and without content/pages/ (and more time for each
    wait: these tests make several rebuilds in a row)."""
    monkeypatch.setattr(test_serve, "TIMEOUT", 60.0)
    return write_site(tmp_path / "site", {"content/pages/about.md": ""})


def _marked(marker: str) -> str:
    return BASE.replace('<main id="main"', f'<p class="marker">{marker}</p>\n<main id="main"', 1)


def test_folders_made_while_serving_are_seen(server: Server, site: Path) -> None:
    assert not (site / "templates").exists()
    # a new templates/ with an override, then edits in quick succession: the last one wins
    (site / "templates").mkdir()
    for n in range(4):
        (site / "templates" / "base.html").write_text(_marked(f"edit {n}"), encoding="utf-8")
        time.sleep(0.05 * n)
    wait_until(lambda: "edit 3" in server.get("")[2])
    # an edit long after the folder appeared
    time.sleep(0.5)
    (site / "templates" / "base.html").write_text(_marked("later"), encoding="utf-8")
    wait_until(lambda: "later" in server.get("")[2])
    # templates/static/ replaces a theme asset
    (site / "templates" / "static").mkdir()
    (site / "templates" / "static" / "noscript.css").write_text("/* mine */\n", "utf-8")
    wait_until(lambda: server.get("assets/noscript.css")[2] == "/* mine */\n")
    # a content folder that did not exist
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "parking.md").write_text(
        '---\ntitle: "Parking"\n---\n\nYou can park for free in the car park by the door.\n',
        encoding="utf-8",
    )
    wait_until(lambda: server.get("parking/")[0] == 200)
    assert "park for free" in text_of(server.get("parking/")[2])
    # site.yml: a new name shows on every page
    with open(site / "site.yml", "a", encoding="utf-8") as fh:
        fh.write("tagline: Research you can join\n")
    wait_until(lambda: "Research you can join" in server.get("parking/")[2])


def test_a_new_folder_is_watched_before_any_rebuild(tmp_path: Path) -> None:
    """The watcher itself starts watching a new templates/ the moment it appears (nothing
    else calls ``update`` here), so a file saved in it right after is seen."""
    from sitegen.content.config import load_config

    site = write_site(tmp_path / "site")
    seen: list[str] = []
    watcher = Watcher(site, seen.append)
    watcher.start(load_config(site)[0])
    try:
        (site / "templates").mkdir()
        deadline = time.monotonic() + 30
        while "templates" not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        (site / "templates" / "base.html").write_text(_marked("x"), encoding="utf-8")
        while "templates/base.html" not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "templates/base.html" in seen, seen
    finally:
        watcher.stop()


class _FullObserver:
    """An observer that cannot watch one more folder (inotify's limit)."""

    def __init__(self) -> None:
        self.scheduled: list[str] = []

    def schedule(self, handler: Any, path: str, recursive: bool = False) -> object:
        if path.endswith("templates"):
            raise OSError(errno.ENOSPC, "No space left on device")
        self.scheduled.append(path)
        return object()

    def unschedule(self, watch: object) -> None:
        pass


def test_a_folder_that_cannot_be_watched_is_said(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    (site / "templates").mkdir()
    said: list[str] = []
    watcher = Watcher(site, lambda rel: None, said.append)
    watcher._observer = _FullObserver()  # type: ignore[assignment]
    from sitegen.content.config import load_config

    added = watcher.update(load_config(site)[0])
    assert [p.name for p in added] == ["site", "content"]
    assert len(said) == 1
    assert said[0].startswith("the preview cannot watch templates for changes")
    assert "max_user_watches" in said[0] and "start it again" in said[0]
    watcher.update(load_config(site)[0])
    assert len(said) == 1  # said once, not on every rebuild
    page = inject_reload(b"<html><head></head><body></body></html>", 3, said).decode()
    m = re.search(r'data-notices="([^"]*)"', page)
    assert m and json.loads(m.group(1).replace("&quot;", '"')) == said


@pytest.mark.browser
def test_the_page_says_what_is_not_live(chromium: Any, server: Server, site: Path) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server.url + "studies/walking-study/")
    page.wait_for_timeout(300)
    assert page.locator(".sg-live-notice").count() == 0
    server.proc.terminate()
    server.proc.wait(timeout=10)
    notice = page.locator("#sg-live-stopped")
    notice.wait_for(timeout=15000)
    assert "not answering" in notice.inner_text()
    assert notice.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(251, 228, 228)"
    context.close()


@pytest.mark.browser
def test_notices_show_at_the_top_of_the_page(chromium: Any, tmp_path: Path) -> None:
    """reload.js shows the server's notices (what is not live) above the page."""
    from patient_support import serve

    from sitegen.commands.serve import ASSETS_DIR

    (tmp_path / "__sitegen").mkdir()
    (tmp_path / "__sitegen" / "reload.js").write_bytes((ASSETS_DIR / "reload.js").read_bytes())
    notice = "the preview cannot watch templates for changes (No space left on device)"
    page_html = inject_reload(
        b'<!doctype html><html lang="en"><head><title>t</title></head>'
        b"<body><main><h1>Hello</h1></main></body></html>",
        2,
        [notice],
    )
    (tmp_path / "index.html").write_bytes(page_html)
    with serve(tmp_path) as url:
        context = chromium.new_context(viewport={"width": 375, "height": 800})
        page = context.new_page()
        page.goto(url)
        box = page.locator("#sg-live-notices")
        box.wait_for(timeout=10000)
        assert box.inner_text() == f"Not shown live: {notice}."
        first = page.evaluate("document.body.firstElementChild.id")
        assert first in ("sg-live-notices", "sg-live-stopped")
        top = box.bounding_box()
        assert top is not None and top["width"] <= 375
        context.close()


class _LockingObserver:
    """An observer that, like watchdog's, holds one lock while it hands an event to a
    handler and takes it again in ``schedule``."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.scheduling = threading.Event()
        self.scheduled: list[str] = []

    def schedule(self, handler: Any, path: str, recursive: bool = False) -> object:
        self.scheduling.set()
        with self.lock:
            self.scheduled.append(path)
            return (path, recursive)

    def unschedule(self, watch: object) -> None:
        with self.lock:
            pass


def test_a_new_folder_during_an_update_does_not_hang_the_watcher(tmp_path: Path) -> None:
    """The observer's thread sees a new folder (holding the observer's lock) while another
    thread updates the watches after a build: neither waits for the other forever."""
    from sitegen.content.config import load_config

    site = write_site(tmp_path / "site")
    config = load_config(site)[0]
    watcher = Watcher(site, lambda rel: None)
    observer = _LockingObserver()
    watcher._observer = observer  # type: ignore[assignment]
    (site / "templates").mkdir()
    dispatching = threading.Event()

    def dispatch() -> None:  # the observer's thread, handing over "templates/ created"
        with observer.lock:
            dispatching.set()
            observer.scheduling.wait(5)
            time.sleep(0.1)  # the other thread now waits for the observer's lock
            watcher._notify(site / "templates", new_folder=True)

    dispatcher = threading.Thread(target=dispatch, daemon=True)
    dispatcher.start()
    dispatching.wait(5)
    updater = threading.Thread(target=watcher.update, args=(config,), daemon=True)
    updater.start()
    dispatcher.join(10)
    updater.join(10)
    assert not dispatcher.is_alive() and not updater.is_alive(), "the watcher hung"
    assert str(site / "templates") in observer.scheduled
