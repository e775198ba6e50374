"""The render stage as the build runs it: every public file of the site into a sink.

For each file, its render key (``outputs.RenderKeys``) from everything it shows decides whether the
last build's file is kept (hard-linked by a ``StagedSink``) or the page is rendered again;
content pages to render are fanned out to forked worker processes (``pool.iter_jobs``),
which write straight into the new folder. What each page is made of is the render stage's
(``render/site.py`` and the module of each page type).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import Any, TypeVar

from sitegen.build.manifest import code_fingerprint
from sitegen.build.nearcache import NearCache
from sitegen.build.outputs import MemorySink, RenderKeys, Shipped, Sink
from sitegen.build.pool import PARALLEL_MIN, iter_jobs
from sitegen.build.searching import DocOut, SearchIndex, page_doc
from sitegen.content.model import StudyMeta
from sitegen.core.diagnostics import Diagnostic
from sitegen.core.patching import moved
from sitegen.core.urls import output_file
from sitegen.publish.records import Written
from sitegen.render import listing
from sitegen.render.assets import study_sites
from sitegen.render.content_pages import content_page
from sitegen.render.context import GeneratedPage, SiteModel, SiteRender, render_generated
from sitegen.render.glossary import Term
from sitegen.render.memory import recall
from sitegen.render.site import generated_pages, prepare_site
from sitegen.render.sitemap import page_entry, robots_txt, sitemap_xml
from sitegen.render.stages import PageResult
from sitegen.render.templates import compile_all
from sitegen.render.views import StudyView


@dataclass(frozen=True)
class _PageOut:
    lang: str
    shipped: Shipped | None
    used: tuple[Term, ...]
    diagnostics: tuple[Diagnostic, ...]
    doc: DocOut | None = None


def render_site(
    model: SiteModel,
    sink: Sink | None = None,
    *,
    jobs: int | None = None,
    search: SearchIndex | None = None,
) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Render all public files into ``sink`` (default: a new ``MemorySink``); content pages
    are rendered in ``jobs`` worker processes. ``search``: gathers each searchable page's
    doc for the search index (``SearchIndex.finish`` then writes the index).

    A file whose render key matches the last build's is reused by the sink instead of
    rendered. Returns the sink's files (a ``MemorySink``'s bytes; empty for a
    ``StagedSink``) and diagnostics.
    """
    sink = MemorySink() if sink is None else sink
    if model.memory is not None:
        model.memory.start()
    places = NearCache(model.root, code_fingerprint())
    site = prepare_site(model, places.site_point)
    keys = RenderKeys(site, code_fingerprint())
    keys.begin()
    cfg = site.config
    sitemap: list[tuple[str, str | None]] = []
    used_by_lang: dict[str, list[Term]] = {lang: [] for lang in site.langs}
    diags = _content_pages(site, keys, sink, jobs, used_by_lang, sitemap, search)
    for lang in site.langs:
        for g in generated_pages(site, lang, used_by_lang[lang]):
            diags += _generated_page(site, keys, sink, g, search)
            if g.in_sitemap:
                sitemap.append((g.url, None))
    for name, data in site.assets.items():
        sink.put(name, data)
    if site.near:
        sites = partial(study_sites, model.results)
        places.emit_tables(sites, sink, _tables_key(places, model))
    places.save()
    for lang in site.langs:
        _listing_index(site, keys, sink, lang)
    make_sitemap = partial(sitemap_xml, cfg.base_url, sitemap)
    context = (cfg.base_url, sitemap)
    sink.put("sitemap.xml", recall(model.memory, "sitemap", "", None, context, make_sitemap, True))
    sink.put("robots.txt", robots_txt(cfg.base_url))
    if model.memory is not None:
        model.memory.finish()
    diags.extend(sink.problems)
    files = dict(sorted(sink.files.items())) if isinstance(sink, MemorySink) else {}
    return files, diags


@dataclass
class _Loop:
    """The content pages' loop of one build of a long-running process (the preview), kept
    in ``RenderMemory.loop`` so that the next build visits only the pages whose result is
    not the very object it was: each page's result, output file, source path, sitemap entry
    and the glossary terms its file uses, in loop order; and the sink's records (the next
    build's ``previous``)."""

    items: list[PageResult]
    rels: list[str]
    paths: list[str]
    entries: list[tuple[str, str | None]]
    used: list[tuple[Term, ...]]
    records: dict[str, Written]
    #: the positions the build that made this loop visited
    visited: Sequence[int] = ()


def _content_pages(
    site: SiteRender,
    keys: RenderKeys,
    sink: Sink,
    jobs: int | None,
    used_by_lang: dict[str, list[Term]],
    sitemap: list[tuple[str, str | None]],
    search: SearchIndex | None,
) -> list[Diagnostic]:
    """Keep or render every content page (the ones to render in worker processes); the
    glossary terms each language's pages use go to ``used_by_lang``, their search docs to
    ``search``. In the preview, only the pages whose result changed (or whose file the sink
    must look at again) are visited; the others are kept as a whole (``_unchanged``)."""
    items = [r for lang in site.langs for r in site.by_lang[lang]]
    n = len(items)
    loop, visit = _unchanged(site, keys, sink, items, search)
    loop.visited = visit
    todo: list[tuple[int, PageResult, str]] = []
    for i in visit:
        r = items[i]
        loop.rels[i] = rel = output_file(r.page.url)
        loop.paths[i] = r.page.path
        loop.entries[i] = page_entry(r.page.url, r.page.meta.updated)
        rkey = keys.content(r)
        kept = sink.reuse(rel, rkey)
        if kept is not None:
            loop.used[i] = tuple(kept.extra or ())
            if search is not None:
                search.keep(r.page.lang, r.page.url)
        else:
            todo.append((i, r, rkey))

    def page_job(n: int) -> _PageOut:
        """Render one content page (pure but for the sink: safe in a forked worker)."""
        _, r, rkey = todo[n]
        name, out, used, more = content_page(site, r)
        shipped = sink.ship(name, out, rkey, used) if out is not None else None
        doc = None
        if search is not None and out is not None:
            doc = page_doc(sink, r.page.lang, r.page.url, out)
        return _PageOut(r.page.lang, shipped, used, tuple(more), doc)

    if len(todo) >= PARALLEL_MIN:
        compile_all(site.env)  # once, before the workers are forked
    diags: list[Diagnostic] = []
    for (i, _, _), out in zip(todo, iter_jobs(page_job, len(todo), jobs), strict=True):
        diags.extend(out.diagnostics)
        if out.shipped is not None:
            sink.receive(out.shipped)
        loop.used[i] = out.used
        if search is not None:
            search.add(out.doc)
    start = 0
    for lang in site.langs:
        end = start + len(site.by_lang[lang])
        used_by_lang[lang].extend(chain.from_iterable(loop.used[start:end]))
        start = end
    assert start == n
    sitemap.extend(loop.entries)
    if site.model.memory is not None:
        site.model.memory.loop = loop
    return diags


def _unchanged(
    site: SiteRender,
    keys: RenderKeys,
    sink: Sink,
    items: list[PageResult],
    search: SearchIndex | None,
) -> tuple[_Loop, Sequence[int]]:
    """The loop to fill and the positions of ``items`` to visit: every one, or, in the
    preview, when the last build's loop can be patched, the pages whose result is not the
    very object it was and those whose file the sink must look at again (``keep_all``):
    the others keep their render key, record, sitemap entry and glossary terms; and those
    whose translation state changed (``SiteRender.restale``). The last loop holds while the
    content pages' context is the last build's (``RenderKeys.same_context``), the sink is
    the one that build's records lead to, and the pages are as many (an added or deleted
    page visits every one)."""
    n = len(items)
    memory = site.model.memory
    last = memory.loop if memory is not None else None
    if (
        memory is not None
        and isinstance(last, _Loop)
        and keys.same_context
        and search is None
        and sink.previous is last.records
        and (changed := moved(items, last.items)) is not None
    ):
        again = sink.keep_all(last.rels, last.paths, set(changed))
        if again is not None:
            memory.carry("content")
            loop = _Loop(items, list(last.rels), list(last.paths), list(last.entries),
                         list(last.used), sink.records)  # fmt: skip
            restale = site.restale
            notices = [i for i, p in enumerate(last.paths) if p in restale] if restale else []
            return loop, sorted({*changed, *again, *notices})
    blank: list[Any] = [None] * n
    return _Loop(items, list(blank), list(blank), list(blank), list(blank), sink.records), range(n)


def _generated_page(
    site: SiteRender, keys: RenderKeys, sink: Sink, g: GeneratedPage, search: SearchIndex | None
) -> list[Diagnostic]:
    """Render one generated page, unless the last build's file can be kept."""
    key = keys.generated(g)
    if sink.reuse(output_file(g.url), key) is not None:
        if search is not None:
            search.keep(g.lang, g.url)
        return []
    name, data, more = render_generated(site, g)
    if data is not None:
        sink.put(name, data, key)
        if search is not None:
            search.add(page_doc(sink, g.lang, g.url, data))
    return more


def _tables_key(places: NearCache, model: SiteModel) -> str:
    """``places.tables_key`` of every study's sites: kept in memory while every study's
    metadata is the very same object, and each study's part while its own is."""
    memory = model.memory
    each = memory.per_item("study metadata") if memory is not None else _each
    metas = [meta for meta in each(model.results, _study_meta) if meta is not None]

    def key() -> str:
        studies = [(r.page.path, meta) for r in model.results
                   if isinstance(meta := r.page.meta, StudyMeta)]  # fmt: skip
        return places.key_of(
            recall(memory, "places", path, meta, None, partial(places.sites_part, meta.sites))
            for path, meta in studies
        )

    return recall(memory, "tables", "", None, (places.salt, metas), key)


def _study_meta(r: PageResult) -> StudyMeta | None:
    meta = r.page.meta
    return meta if isinstance(meta, StudyMeta) else None


_V = TypeVar("_V")


def _each(items: Sequence[PageResult], make: Callable[[PageResult], _V]) -> list[_V]:
    """``PerItem``'s answer without a memory (a published build)."""
    return [make(item) for item in items]


def _studies_fingerprint(studies: list[StudyView], view_keys: dict[str, str]) -> list[object]:
    """``listing_fingerprint(studies, view_keys)`` of a list of study views, without its
    recursion (10,000 studies on a big site)."""
    return [("study", v.url, view_keys.get(v.url) or repr(v)) for v in studies]


def _listing_index(site: SiteRender, keys: RenderKeys, sink: Sink, lang: str) -> None:
    """The ``listing.json`` of a language whose listing takes more than one page, unless the
    last build's file can be kept."""
    studies = site.per[lang].studies
    if not listing.is_paged(studies):
        return
    name = listing.index_url(site, lang)
    memory, card = site.model.memory, "partials/study_card.html"
    shown = recall(memory, "listing", lang, None, studies,
                   lambda: _studies_fingerprint(studies, keys.view_keys))  # fmt: skip
    key = recall(memory, "listing key", lang, None, (keys.template(card), shown, site.near),
                 lambda: keys.key(name, card, lang, None, False, shown, site.near))  # fmt: skip
    if sink.reuse(name, key) is None:
        sink.put(name, listing.listing_index(site, lang), key)
