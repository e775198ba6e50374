"""Where rendered files go, and which of them can be kept from the last build.

Every output file has a *render key*: a hash of everything its bytes depend on (sitegen's
code, the settings, the templates it uses, the page's own content and whatever it shows of
other pages). A build records the key, size and modification time of every file it wrote
(``publish.records``: JSON in ``.sitegen-cache/outputs-<folder>.json``, never code). The next
build computes the keys again: a file whose key is unchanged, and which is still the very
file recorded (same size and modification time: not edited by hand), is hard-linked from
the current folder into the new one instead of being rendered again. The new folder is
still swapped in atomically.

Two sinks share one interface: ``StagedSink`` writes into a ``writer.Staging`` folder (from
forked workers too, so no process holds the whole site), ``MemorySink`` keeps bytes in a
dict (the preview, and tests).
"""

from __future__ import annotations

import functools
import hashlib
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from sitegen.core.diagnostics import Diagnostic
from sitegen.publish.records import Written
from sitegen.publish.writer import Staging, UnsafePath
from sitegen.render.content_pages import TEMPLATES as CONTENT_TEMPLATES
from sitegen.render.content_pages import shown_of, template_of
from sitegen.render.context import GeneratedPage, SiteRender
from sitegen.render.memory import recall
from sitegen.render.stages import PageResult
from sitegen.render.templates import template_fingerprint
from sitegen.render.views import StudyView

#: a file's content: its bytes, or its pieces in order (streamed to disk by ``StagedSink``)
Chunks = bytes | Iterable[bytes]


@dataclass(frozen=True)
class Shipped:
    """What a forked worker sends back for one file it rendered."""

    rel: str
    key: str
    extra: Any
    data: bytes | None  # the bytes, for a sink that keeps them in memory
    written: Written | None  # the record, for a sink that wrote the file itself
    problem: Diagnostic | None = None


def render_key(*parts: object) -> str:
    """A render key from ``parts`` (strings and bytes as they are, anything else by repr)."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = part.encode("utf-8", "surrogatepass")
        else:
            data = repr(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def listing_fingerprint(value: Any, view_keys: dict[str, str]) -> Any:
    """``value`` (a page's template values) for a render key, with each listed study replaced
    by its page's metadata key (a study's view is made from its metadata and URL alone; its
    repr is long)."""
    if isinstance(value, StudyView):
        return ("study", value.url, view_keys.get(value.url) or repr(value))
    if isinstance(value, dict):
        return sorted((k, listing_fingerprint(v, view_keys)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [listing_fingerprint(v, view_keys) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, [listing_fingerprint(getattr(value, f.name), view_keys)
                                       for f in fields(value)])  # fmt: skip
    return value


class RenderKeys:
    """Render keys of one build's pages: what every file depends on (sitegen's ``code``
    fingerprint, the settings, assets, extra glossaries), the templates a file uses, and
    what it shows (``content_pages.shown_of``; a generated page's own values)."""

    def __init__(self, site: SiteRender, code: str) -> None:
        cfg = site.config
        extra_glossaries = tuple(site.model.root / g for g in cfg.readability.glossary)
        self.site = site
        self.salt = render_key(
            code, repr(cfg), site.versions, *[_read(p) for p in extra_glossaries]
        )
        self.templates: dict[str, str] = {}
        #: True when a content page whose result is the last build's very object has the
        #: last build's key (``begin``)
        self.same_context = False
        #: id -> (value, digest) of the template values of generated pages (``_shown``)
        self._digests: dict[int, tuple[object, tuple[str, str]]] = {}

    @functools.cached_property
    def view_keys(self) -> dict[str, str]:
        """What a listed study stands for in a listing's key: a hash of its metadata (an
        edit to a study's text alone does not change the listings); made when first asked."""
        return {r.page.url: r.meta_key or repr(r.page.meta) for r in self.site.model.results}

    def template(self, template: str) -> str:
        """The fingerprint of a template and those it includes."""
        if template not in self.templates:
            # interned: the same string object from build to build (``render/memory.py``
            # compares contexts by identity first)
            self.templates[template] = sys.intern(template_fingerprint(self.site.env, template))
        return self.templates[template]

    def key(self, url: str, template: str, lang: str, alternates: dict[str, str] | None,
            absolute: bool, *parts: object) -> str:  # fmt: skip
        """The render key of one page."""
        return render_key(
            self.salt, self.template(template), url, template, lang,
            sorted((alternates or {}).items()), absolute, self.site.shared[lang].signature,
            *parts,
        )  # fmt: skip

    def begin(self) -> None:
        """Tell the render memory (if any) what every page's key depends on."""
        memory = self.site.model.memory
        if memory is not None:
            shared = self.site.shared
            memory.begin((self.salt, [(lang, shared[lang].signature) for lang in sorted(shared)]))
            # the content templates read again: a template edit in the preview keeps the site
            templates = [self.template(t) for t in sorted(set(CONTENT_TEMPLATES.values()))]
            self.same_context = self.site.same_context and memory.templates == templates
            memory.templates = templates

    def content(self, r: PageResult) -> str:
        """The render key of a content page (the last build's, when the page's result is the
        very same object and nothing else it shows changed: ``render/memory.py``)."""
        page, site = r.page, self.site
        if self.same_context and page.path not in site.restale:
            # nothing but the page itself can have changed its key
            assert site.model.memory is not None
            kept: str | None = site.model.memory.kept("content", page.path, r)
            if kept is not None:
                return kept
        template = template_of(page)
        alternates = site.alternates(page)
        context = (self.template(template), alternates or None, site.pair_link(page),
                   site.model.stale.get(page.path))  # fmt: skip
        return recall(site.model.memory, "content", page.path, r, context,
                      lambda: self.key(page.url, template, page.lang, alternates, False,
                                       *shown_of(site, r)))  # fmt: skip

    def generated(self, g: GeneratedPage) -> str:
        """The render key of a generated page: its own values, listed studies by their key
        (the last build's when they are the same values: ``render/memory.py``)."""
        context = (self.template(g.template), g.template, g.lang, g.alternates, g.absolute,
                   g.extra)  # fmt: skip

        def make() -> str:
            shown = [(name, self._shown(g.extra[name])) for name in sorted(g.extra)]
            return self.key(g.url, g.template, g.lang, g.alternates, g.absolute, shown)

        return recall(self.site.model.memory, "generated", g.url, None, context, make)

    def _shown(self, value: object) -> object:
        """One template value of a generated page for its key: a plain value as it is, any
        other as the hash of its ``listing_fingerprint``, made once per object (the pages of
        a listing share the finder's options and "near me" points of every study)."""
        if value is None or isinstance(value, str | int | float):
            return value
        kept = self._digests.get(id(value))
        if kept is not None and kept[0] is value:
            return kept[1]
        digest = ("hash", render_key(listing_fingerprint(value, self.view_keys)))
        self._digests[id(value)] = (value, digest)
        return digest


class MemorySink:
    """Rendered files kept as bytes in ``files``; nothing is reused."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        #: the last build's record: none
        self.previous: dict[str, Written] = {}
        self.records: dict[str, Written] = {}
        self.problems: list[Diagnostic] = []
        self.rendered: set[str] = set()

    def reuse(self, rel: str, key: str) -> Written | None:
        """Never: everything is rendered."""
        return None

    def keep_all(
        self, rels: Sequence[str], paths: Sequence[str], skip: Collection[int]
    ) -> list[int] | None:
        """Never (``StagedSink.keep_all``): everything is rendered."""
        return None

    def put(self, rel: str, data: Chunks, key: str = "", extra: Any = None) -> None:
        """Keep one rendered file (its bytes, or its pieces in order)."""
        data = data if isinstance(data, bytes) else b"".join(data)
        self.files[rel] = data
        self.records[rel] = Written(key, len(data), 0, extra)
        self.rendered.add(rel)

    def ship(self, rel: str, data: bytes, key: str = "", extra: Any = None) -> Shipped:
        """In a worker: the file, to be ``receive``d by the main process."""
        return Shipped(rel, key, extra, data, None)

    def receive(self, shipped: Shipped) -> None:
        """In the main process: what a worker shipped."""
        assert shipped.data is not None
        self.put(shipped.rel, shipped.data, shipped.key, shipped.extra)


class StagedSink:
    """Rendered files written into a ``Staging`` folder, unchanged ones hard-linked from
    the folder being replaced. ``previous`` is the last build's record of that folder
    (empty: reuse nothing)."""

    def __init__(self, staging: Staging, previous: dict[str, Written]) -> None:
        self.staging = staging
        self.previous = previous
        self.records: dict[str, Written] = {}
        self.problems: list[Diagnostic] = []
        self.rendered: set[str] = set()

    def reuse(self, rel: str, key: str) -> Written | None:
        """Link ``rel`` from the last build if its key is ``key``; its record, or None."""
        prev = self.previous.get(rel)
        if prev is None or prev.key != key:
            return None
        if not self.staging.reuse(rel, prev.size, prev.mtime_ns, prev.key):
            return None
        self.records[rel] = prev
        return prev

    def keep_all(
        self, rels: Sequence[str], paths: Sequence[str], skip: Collection[int]
    ) -> list[int] | None:
        """Keep each of ``rels`` (the files of the pages from ``paths``) but those at the
        positions ``skip`` as the last build wrote it, for a caller that knows each one's
        render key is the last build's (the preview's loop over pages whose result is the
        very object it was). Returns the positions of those to look at again (no record);
        None when this sink cannot keep a file without looking at it (a new folder, whose
        files are linked one by one), or keeps nothing (``MemorySink``)."""
        if not getattr(self.staging, "trusted", False):
            return None
        previous, records = self.previous, self.records
        again: list[int] = []
        for i, rel in enumerate(rels):
            prev = previous.get(rel)
            if prev is None:
                again.append(i)
            elif i not in skip:
                records[rel] = prev
        return again

    def _write(self, rel: str, data: bytes, key: str, extra: Any) -> Shipped:
        return self._write_chunks(rel, data, key, extra)

    def _write_chunks(self, rel: str, data: Chunks, key: str, extra: Any) -> Shipped:
        try:
            size, mtime_ns = self.staging.write(rel, data)
        except (UnsafePath, OSError) as exc:
            return Shipped(rel, key, extra, None, None, self.staging.error_for(exc))
        return Shipped(rel, key, extra, None, Written(key, size, mtime_ns, extra))

    def put(self, rel: str, data: Chunks, key: str = "", extra: Any = None) -> None:
        """Write one rendered file (its bytes, or its pieces in order: written one by one)."""
        if isinstance(data, bytes):
            self.receive(self._write(rel, data, key, extra))
        else:
            self.receive(self._write_chunks(rel, data, key, extra))

    def ship(self, rel: str, data: bytes, key: str = "", extra: Any = None) -> Shipped:
        """In a worker: write the file; only its record goes back to the main process."""
        return self._write(rel, data, key, extra)

    def receive(self, shipped: Shipped) -> None:
        """In the main process: record what a worker wrote."""
        if shipped.problem is not None:
            self.problems.append(shipped.problem)
        elif shipped.written is not None:
            self.records[shipped.rel] = shipped.written
            self.rendered.add(shipped.rel)


Sink = MemorySink | StagedSink


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
