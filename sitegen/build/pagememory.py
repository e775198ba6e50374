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

from collections.abc import Callable, Collection
from pathlib import Path

from sitegen.build.workers import Outcome, process_all, settings_fingerprint
from sitegen.content.config import SiteConfig


class PageMemory:
    """Each content file's last ``Outcome``, by site-relative path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.outcomes: dict[str, Outcome] = {}
        self._salt: bytes | None = None
        #: the files processed by the last ``process`` call (the rest came from memory)
        self.processed: list[str] = []

    def forget(self) -> None:
        """Drop everything: the next build processes every page."""
        self.outcomes.clear()
        self._salt = None

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
            self.forget()
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
            self.outcomes[o.path] = o
        present = {f[0] for f in found}
        for gone in [p for p in self.outcomes if p not in present]:
            del self.outcomes[gone]
        return [self.outcomes[f[0]] for f in found]


def _content_only(changed: Collection[str], config: SiteConfig) -> bool:
    """True when every changed path is in the content folder (a page, or a folder of
    pages), so that no other page's processing can depend on it."""
    base = config.content_dir.strip("/") + "/"
    return all(c.startswith(base) for c in changed)
