"""The site search index as the build keeps it: one doc file per searchable page, and each
language's word shards and meta file patched from the last build's, never rebuilt whole.

A page's doc file (``publish.searchdoc``) is made where the page is rendered (a worker) and
written only when its bytes differ from the last build's file of that page. The main process
then knows which docs changed or went away; ``publish.searchindex.patch_index`` rewrites only
the word shards those docs' words fall in (the result is byte-identical to a full index of
the site: a test edits a site at random and compares). A full index is made when there is no
usable last index (first build, ``--clean``, a new sitegen, a file changed by hand).

Memory: a language without a usable last index (known from the last build's record before
the first page arrives) has each page's entry put into an ``IndexBuilder`` as it comes from
its worker; the entries themselves are not kept (at 10,000 pages they were about 180 MiB of
Python dicts held until the index was made).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sitegen.build.manifest import code_fingerprint
from sitegen.build.outputs import Shipped, Sink, render_key
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.urls import SEARCH_INDEX, output_file
from sitegen.publish.records import Written
from sitegen.publish.searchdoc import (
    SearchDoc,
    doc_from_json,
    doc_id,
    doc_json,
    extract,
    terms,
)
from sitegen.publish.searchindex import Entry, IndexBuilder, IndexStale, build_index, patch_index


def doc_file(lang: str, ident: str) -> str:
    """The doc file of a page (its id: ``searchdoc.doc_id``) in the site folder."""
    return f"{SEARCH_INDEX}/{lang}/d/{ident}.json"


@dataclass(frozen=True)
class DocOut:
    """What rendering one page gives the search index: its doc file, and the page's index
    entry when the file changed since the last build (None: the last build's file is kept)."""

    lang: str
    ident: str
    url: str
    rel: str
    key: str
    entry: Entry | None
    shipped: Shipped | None


def page_doc(sink: Sink, lang: str, url: str, html: bytes) -> DocOut | None:
    """The search doc of the page at site URL ``url`` (None: the page is not searched),
    written into ``sink`` unless the last build wrote the same bytes. Pure but for the sink:
    safe in a forked worker."""
    doc = extract(html.decode("utf-8", "replace"), url)
    if doc is None:
        return None
    data = doc_json(doc)
    key = hashlib.sha256(data).hexdigest()
    ident = doc_id(url)
    rel = doc_file(lang, ident)
    prev = sink.previous.get(rel)
    if prev is not None and prev.key == key and sink.reuse(rel, key) is not None:
        return DocOut(lang, ident, url, rel, key, None, Shipped(rel, key, None, None, prev))
    return DocOut(lang, ident, url, rel, key, _entry_of(doc, lang), sink.ship(rel, data, key))


@dataclass
class SearchIndex:
    """The docs of one build, gathered in the main process (``add``, ``keep``), then the
    index files each language needs (``finish``)."""

    sink: Sink
    #: language -> doc id -> (url, doc file, entry when the doc changed and the language's
    #: index is patched; None when it is built whole: the entry went into its builder)
    docs: dict[str, dict[str, tuple[str, str, Entry | None]]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    #: language -> the builder of its whole index, or None when the last index is patched
    builders: dict[str, IndexBuilder | None] = field(default_factory=dict)
    #: language -> doc id -> doc file kept from the last build that could not be read back
    unread: dict[str, dict[str, str]] = field(default_factory=dict)
    generation: str = field(default_factory=lambda: render_key(SEARCH_INDEX, code_fingerprint()))

    def add(self, out: DocOut | None) -> None:
        """A page rendered by this build (``page_doc``'s answer, from any process)."""
        if out is None:
            return
        if out.shipped is not None:
            self.sink.receive(out.shipped)
        self._note(out.lang, out.ident, out.url, out.rel, out.entry)

    def keep(self, lang: str, url: str) -> None:
        """A page kept from the last build: its doc file (if it had one) is kept too, or
        made again from the kept page if the last build's is gone."""
        ident = doc_id(url)
        rel = doc_file(lang, ident)
        prev = self.sink.previous.get(rel)
        if prev is not None and self.sink.reuse(rel, prev.key) is not None:
            self._note(lang, ident, url, rel, None)
            return
        staging = getattr(self.sink, "staging", None)
        if staging is None or staging.path is None:
            return
        try:
            html = (staging.path / output_file(url)).read_bytes()
        except OSError:
            return
        self.add(page_doc(self.sink, lang, url, html))

    def _note(self, lang: str, ident: str, url: str, rel: str, entry: Entry | None) -> None:
        docs = self.docs.setdefault(lang, {})
        other = docs.get(ident)
        if other is not None and other[0] != url:
            self.problems.append(
                error(
                    "site",
                    0,
                    0,
                    "SRCH004",
                    f"two pages have the same search id {ident}: {other[0]} and {url}",
                    "rename one of the two pages (change its slug)",
                )
            )
        builder = self._builder(lang)
        if builder is None:
            docs[ident] = (url, rel, entry)
            return
        if other is None:  # the same page noted again is the same doc
            if entry is None:
                entry = self._written_entry(lang, rel)
            if entry is None:
                self.unread.setdefault(lang, {})[ident] = rel
            else:
                builder.add(ident, entry)
        docs[ident] = (url, rel, None)

    def _builder(self, lang: str) -> IndexBuilder | None:
        """The builder of ``lang``'s whole index when the last build left no index of this
        generation to patch (decided on the language's first doc); None to patch it."""
        if lang not in self.builders:
            top = f"{SEARCH_INDEX}/{lang}/"
            keys = [
                w.key
                for rel, w in self.sink.previous.items()
                if rel.startswith(top) and not rel.startswith(top + "d/")
            ]
            usable = bool(keys) and all(k == self.generation for k in keys)
            self.builders[lang] = None if usable else IndexBuilder(lang)
        return self.builders[lang]

    def finish(self) -> list[Diagnostic]:
        """Write (or keep) each language's word shards and meta file; problems as
        diagnostics (the build publishes nothing then)."""
        if self.problems:
            return self.problems
        for lang in sorted(self.docs):  # a language with no page left has no index
            self._finish_lang(lang)
        return self.problems

    def _finish_lang(self, lang: str) -> None:
        """One language's index files, patched from the last build's where possible."""
        generation = self.generation
        builder = self.builders.pop(lang, None)
        if builder is not None:
            unread = self.unread.get(lang)
            if unread:
                self.problems.append(_stale_doc(unread[min(unread)]))
                return
            for rel, data in sorted(builder.files().items()):
                self.sink.put(f"{SEARCH_INDEX}/{lang}/{rel}", data, generation)
            return
        docs = self.docs[lang]
        top = f"{SEARCH_INDEX}/{lang}/"
        prev_docs = {
            rel[len(top) + 2 : -5]: rel for rel in self.sink.previous if rel.startswith(top + "d/")
        }
        prev_index = {
            rel[len(top) :]: w
            for rel, w in self.sink.previous.items()
            if rel.startswith(top) and not rel.startswith(top + "d/")
        }
        # No builder: ``_builder`` found the last index usable, so it is patched.
        changed = {i: e for i, (_, _, e) in docs.items() if e is not None}
        gone = sorted(set(prev_docs) - set(docs))
        patched = self._patched(lang, top, prev_docs, prev_index, changed, gone)
        if patched is not None:
            writes, links = patched
            linked: list[str] = []
            for rel in links:
                if self.sink.reuse(top + rel, generation) is None:
                    self._unlink(top + r for r in linked)
                    patched = None
                    break
                linked.append(rel)
        if patched is None:
            full = self._full(lang, docs)
            if full is None:
                return
            writes = full
        for rel, data in sorted(writes.items()):
            self.sink.put(top + rel, data, generation)

    def _patched(
        self,
        lang: str,
        top: str,
        prev_docs: Mapping[str, str],
        prev_index: Mapping[str, Written],
        changed: Mapping[str, Entry],
        gone: list[str],
    ) -> tuple[dict[str, bytes], list[str]] | None:
        """The index files after patching the last build's: the rewritten ones (bytes) and
        the ones to keep; None when the last index cannot be used."""
        if not changed and not gone:
            return {}, sorted(prev_index)
        old: dict[str, Entry] = {}
        for ident in [*sorted(i for i in changed if i in prev_docs), *gone]:
            entry = self._previous_entry(lang, prev_docs[ident])
            if entry is None:
                return None
            old[ident] = entry

        def read(rel: str) -> bytes | None:
            """A file of the last index; None if it had none. A file it had that is gone or
            was changed by hand since is no answer at all (None would read as "empty")."""
            w = prev_index.get(rel)
            if w is None:
                return None
            data = self._read_previous(top + rel, w)
            if data is None:
                raise IndexStale(f"{top + rel} changed since the last build")
            return data

        try:
            writes, deletes = patch_index(lang, read, old, changed)
        except IndexStale:
            return None
        return writes, sorted(set(prev_index) - set(writes) - set(deletes))

    def _unlink(self, rels: Iterable[str]) -> None:
        """Take files linked from the last build back out of the new folder (before they are
        written afresh: writing into a link would change the published file)."""
        staging = getattr(self.sink, "staging", None)
        for rel in rels:
            self.sink.records.pop(rel, None)
            if staging is not None and staging.path is not None:
                with contextlib.suppress(OSError):
                    (staging.path / rel).unlink()

    def _full(
        self, lang: str, docs: Mapping[str, tuple[str, str, Entry | None]]
    ) -> dict[str, bytes] | None:
        """Every index file of ``lang`` made from every doc (kept docs are read back)."""
        entries: list[tuple[str, Entry]] = []
        for ident in sorted(docs):
            _, rel, entry = docs[ident]
            if entry is None:
                entry = self._written_entry(lang, rel)
                if entry is None:
                    self.problems.append(_stale_doc(rel))
                    return None
            entries.append((ident, entry))
        return build_index(lang, entries)

    def _read_previous(self, rel: str, w: Written) -> bytes | None:
        """A file of the last build's folder, if it is still the file recorded."""
        staging = getattr(self.sink, "staging", None)
        return None if staging is None else staging.read_current(rel, w.size, w.mtime_ns)

    def _previous_entry(self, lang: str, rel: str) -> Entry | None:
        """The index entry of a doc as the last build wrote it."""
        w = self.sink.previous.get(rel)
        data = None if w is None else self._read_previous(rel, w)
        return None if data is None else _entry(lang, data)

    def _written_entry(self, lang: str, rel: str) -> Entry | None:
        """The index entry of a doc file in this build's folder (kept from the last)."""
        staging = getattr(self.sink, "staging", None)
        path = None if staging is None or staging.path is None else staging.path / rel
        try:
            data = path.read_bytes() if path is not None else None
        except OSError:
            data = None
        return None if data is None else _entry(lang, data)


def _entry(lang: str, data: bytes) -> Entry | None:
    """The index entry of a doc file's bytes; None if they are not a doc file."""
    try:
        doc = doc_from_json(data)
    except ValueError:
        return None
    return _entry_of(doc, lang)


def _entry_of(doc: SearchDoc, lang: str) -> Entry:
    """A doc's index entry: its word weights and its filter values."""
    return terms(doc, lang), {name: list(values) for name, values in doc.filters}


def _stale_doc(rel: str) -> Diagnostic:
    return error(
        "site",
        0,
        0,
        "SRCH002",
        f"the search index could not be updated: {rel} of the last build is missing or "
        "was changed by hand",
        "build again with --clean",
    )
