"""Checked pages kept in memory between the preview's builds.

``sitegen serve`` builds the whole site once; after that the watcher says which files
changed. ``PageMemory.process`` is given to ``pipeline.build_site`` in place of
``workers.process_all``: it processes (reads, validates, converts, checks) only the content
files that changed or are new, and gives every other page's ``Outcome`` from memory, without
reading its file or its cache entry. Anything that every page depends on (``site.yml``, the
glossaries, sitegen's code: ``workers.settings_fingerprint``), or a change outside the
content folder, processes every page again (through the page cache, as a build does).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Collection
from pathlib import Path

from sitegen.build.workers import Outcome, process_all, settings_fingerprint
from sitegen.content import reader
from sitegen.content.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic

Found = tuple[str, str, Path]


class PageMemory:
    """Each content file's last ``Outcome``, by site-relative path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.outcomes: dict[str, Outcome] = {}
        self._salt: bytes | None = None
        #: the files processed by the last ``process`` call (the rest came from memory)
        self.processed: list[str] = []
        #: what the last ``discover`` found: every entry in path order, and the problems
        self._found: list[Found] | None = None
        self._paths: list[str] = []
        self._problems: list[Diagnostic] = []
        self._content_dir = ""
        #: whether the last ``discover`` listed the content folder (False: from memory)
        self.listed = False

    def forget(self) -> None:
        """Drop everything: the next build processes every page."""
        self.outcomes.clear()
        self._salt = None
        self._found = None

    def discoverer(
        self, config: SiteConfig, changed: Collection[str] | None
    ) -> Callable[[Path, str], tuple[list[Found], list[Diagnostic]]]:
        """The ``discover`` function for ``build_site``: ``reader.discover``, or, when only
        content files changed since the last build (``changed``), the last build's list
        with just those files looked at again (``reader.discover_file``)."""

        def discover(root: Path, content_dir: str) -> tuple[list[Found], list[Diagnostic]]:
            return self.discover(root, content_dir, changed)

        return discover

    def discover(
        self, root: Path, content_dir: str, changed: Collection[str] | None
    ) -> tuple[list[Found], list[Diagnostic]]:
        """``reader.discover``'s answer, from the last one and the ``changed`` paths when
        possible. Files the watcher does not report (names starting with a dot, editors'
        temporary files) are noticed at the next full listing."""
        self.listed = False
        if self._found is not None and changed is not None and content_dir == self._content_dir:
            looked = [(c, reader.discover_file(root, content_dir, c)) for c in changed]
            if all(answer is not None for _, answer in looked):
                for rel, answer in looked:
                    assert answer is not None
                    self._update(rel, *answer)
                return list(self._found), list(self._problems)
        self.listed = True
        found, problems = reader.discover(root, content_dir)
        self._found, self._problems, self._content_dir = found, problems, content_dir
        self._paths = [f[0] for f in found]
        return list(found), list(problems)

    def _update(self, rel: str, entry: Found | None, problem: Diagnostic | None) -> None:
        """Put what ``discover`` says of ``rel`` in place of what it said before."""
        assert self._found is not None
        at = bisect.bisect_left(self._paths, rel)
        if at < len(self._paths) and self._paths[at] == rel:
            del self._paths[at], self._found[at]
        if entry is not None:
            self._paths.insert(at, rel)
            self._found.insert(at, entry)
        self._problems = [d for d in self._problems if d.path != rel]
        if problem is not None:
            self._problems.append(problem)

    def processor(
        self, config: SiteConfig, changed: Collection[str] | None
    ) -> Callable[[list[tuple[str, str, Path]]], list[Outcome]]:
        """The ``process`` function for ``build_site``: ``changed`` are the site-relative
        paths that changed since the last build (None: unknown, process every page)."""

        def process(found: list[tuple[str, str, Path]]) -> list[Outcome]:
            return self.process(config, found, changed)

        return process

    def process(
        self,
        config: SiteConfig,
        found: list[tuple[str, str, Path]],
        changed: Collection[str] | None,
    ) -> list[Outcome]:
        """The ``Outcome`` of each of ``found`` (every content file, as ``reader.discover``
        lists them), processing only those that ``changed`` or are not in memory."""
        salt = settings_fingerprint(self.root, config)
        if salt != self._salt or changed is None or not _content_only(changed, config):
            self.outcomes.clear()
            todo = found
        else:
            folders = tuple(c.rstrip("/") + "/" for c in changed if not c.endswith(".md"))
            wanted = set(changed)
            todo = [
                f
                for f in found
                if f[0] in wanted or f[0] not in self.outcomes or f[0].startswith(folders)
            ]
        outs = process_all(self.root, config, todo, jobs=1, prune=todo is found)
        self._salt = salt
        self.processed = [o.path for o in outs]
        for o in outs:
            self.outcomes[o.path] = kept_metadata(self.outcomes.get(o.path), o)
        present = {f[0] for f in found}
        for gone in [p for p in self.outcomes if p not in present]:
            del self.outcomes[gone]
        return [self.outcomes[f[0]] for f in found]


def kept_metadata(old: Outcome | None, new: Outcome) -> Outcome:
    """``new``, holding the ``old`` page's very metadata and URL objects when they are equal
    to its own (an edit to a page's text only): whatever the render stage computed from
    them (a study's view, its place in the listings, its "near me" points) is then found
    unchanged by identity (``render/memory.py``) instead of being computed again."""
    if old is None or old.page is None or new.page is None:
        return new
    page, before = new.page, old.page
    meta, url = page.meta, page.url
    if type(before.meta) is type(meta) and before.meta == meta and repr(before.meta) == repr(meta):
        meta = before.meta
    if before.url == url:
        url = before.url
    if meta is page.meta and url is page.url:
        return new
    return dataclasses.replace(new, page=dataclasses.replace(page, meta=meta, url=url))


def _content_only(changed: Collection[str], config: SiteConfig) -> bool:
    """True when every changed path is in the content folder (a page, or a folder of
    pages), so that no other page's processing can depend on it."""
    base = config.content_dir.strip("/") + "/"
    return all(c.startswith(base) for c in changed)
