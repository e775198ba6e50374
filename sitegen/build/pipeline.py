"""The whole build as one readable function: read every page, check every page, and only then
render and publish. Never prints, never exits: it returns a ``BuildResult``.

Stages (see docs/architecture.md):
1. discover and read content files (``reader``);
2. parse front matter and validate it against the content model (``frontmatter``, ``model``);
3. site-level checks: slugs, URLs, translations;
4. per page: Markdown to HTML (``markup``) and the readability gate (``readability``);
5. if anything is an error, stop: nothing is written and the old ``output/`` stays;
6. render templates (``templates``) and publish atomically (``writer``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TypeVar

from sitegen.build.outputs import StagedSink
from sitegen.build.pages import (
    check_page,
    draft_diagnostic,
    load_page,
    load_pages,
    meta_prose_fields,
    prose_fields,
)
from sitegen.build.rendering import render_site
from sitegen.build.searching import SearchIndex
from sitegen.build.workers import process_all
from sitegen.content import frontmatter, reader
from sitegen.content import results as results_pages
from sitegen.content.config import SiteConfig
from sitegen.content.pages import Page
from sitegen.content.translations import Member, Source, Stale, check_translations, source_version
from sitegen.core.cachefile import deferred
from sitegen.core.cmdline import command
from sitegen.core.diagnostics import Diagnostic, Severity, error, sorted_diagnostics, warning
from sitegen.core.patching import PerItem
from sitegen.core.urls import output_file
from sitegen.i18n import LANGUAGES
from sitegen.markup.convert import broken_links, resolve_links
from sitegen.publish.folder import PublishFolder
from sitegen.publish.records import OUTPUT_RECORDS, Written
from sitegen.readability.formats import page_diagnostics
from sitegen.readability.model import PageCheck
from sitegen.render.context import SiteModel
from sitegen.render.stages import BuildResult, Outcome, PageResult

RESERVED_SLUGS = frozenset(
    {"studies", "conditions", "assets", "es", "en", "glossary", "search", "results"}
    | {"accessibility"}
)
#: the code prefixes of readability-gate findings (a draft's are never errors)
GATE_PREFIXES = ("RD", "JG", "PR", "PH", "CP", "CC")


def site_checks(pages: Sequence[Page]) -> list[Diagnostic]:
    """Problems between pages: duplicate URLs, reserved slugs, translations."""
    diags: list[Diagnostic] = []
    seen: dict[str, Page] = {}
    for page in pages:
        slug_pos = page.fm.positions.get("slug")
        line, col = (slug_pos.line, slug_pos.col) if slug_pos else (0, 0)
        if page.kind == "page" and page.slug in RESERVED_SLUGS:
            diags.append(
                error(
                    page.path,
                    line,
                    col,
                    "SITE002",
                    f'slug "{page.slug}" is reserved for pages sitegen makes itself',
                    "rename the file or set another slug:",
                )
            )
            continue
        other = seen.get(page.url)
        if other is not None:
            diags.append(
                error(
                    page.path,
                    line,
                    col,
                    "SITE001",
                    f'duplicate slug "{page.slug}": {other.path} is published at the same URL'
                    f" ({page.url})",
                    "give one of the two files another name or slug:",
                )
            )
            continue
        seen[page.url] = page
    keys: dict[tuple[str, str, str], Page] = {}
    for page in pages:
        key = page.meta.translation_key
        if not key:
            continue
        k = (page.kind, key, page.lang)
        if k in keys:
            pos = page.fm.positions.get("translation_key")
            diags.append(
                warning(
                    page.path,
                    pos.line if pos else 0,
                    pos.col if pos else 0,
                    "SITE003",
                    f'translation_key "{key}" is used by two {page.lang} pages: also '
                    f"{keys[k].path}",
                )
            )
        else:
            keys[k] = page
    return diags


def translation_checks(
    root: Path,
    config: SiteConfig,
    pages: Sequence[Page],
    each: Callable[[Sequence[Page], Callable[[Page], Member | None]], list[Member | None]]
    | None = None,
) -> tuple[list[Diagnostic], dict[str, Stale]]:
    """Translations against their originals (``translations``): out-of-date warnings and
    differing facts; each page in a translation group is read again for its positions.
    ``each``: makes the member of each page (the preview's ``PerItem``)."""
    # Only pages with a translation key take part (``translations.groups``).
    all_members = each(pages, _member) if each is not None else list(map(_member, pages))
    members = [m for m in all_members if m is not None]
    by_path: dict[str, Page] = {}

    def load(path: str) -> tuple[Source, str] | None:
        if not by_path:
            by_path.update((p.path, p) for p in pages)
        page = by_path[path]
        src, _ = reader.read_source(path, page.kind, root / path, config.max_file_kb * 1024)
        fm = frontmatter.parse(src.text, path)[0] if src is not None else None
        if fm is None:
            return None
        fields = meta_prose_fields(page.meta, fm)  # the page's own body is not read
        prose = [(f.name, f.text, f.line, f.column, f.exact) for f in fields]
        version = source_version(fm.yaml_text, fm.body)
        return Source(path, page.lang, fm, fm.body, fm.body_line, prose), version

    return check_translations(members, config.language, load)


def _member(p: Page) -> Member | None:
    """A page as a translation group member; None when it has no translation key."""
    meta = p.meta
    if not meta.translation_key:
        return None
    return Member(p.path, p.kind, p.lang, p.url, meta.translation_key, meta.translated_from,
                  p.draft)  # fmt: skip


def withhold_note(path: str, why: str) -> Diagnostic:
    """The GATE002 note that names a withheld page (a note: the page's counts are the same in
    build and check; the build lists withheld pages on its own)."""
    return Diagnostic(
        path,
        0,
        0,
        Severity.NOTE,
        "GATE002",
        f"withheld ({why}): the version published before stays live; a page never "
        "published is left out",
        f"fix it, or have a reviewer sign it off ({command('approve', 'PAGE', '--by', 'NAME')}); "
        "--strict publishes nothing instead",
    )


def publish_site(
    model: SiteModel,
    *,
    jobs: int | None = None,
    reuse: bool = True,
    while_indexing: Callable[[list[Diagnostic]], object] | None = None,
    keep: Sequence[tuple[str, str]] = (),
) -> tuple[list[Diagnostic], dict[str, Written], int]:
    """Render the site into a new folder and swap it in for ``output/``.

    Files whose render key matches the last build's record are hard-linked from the
    current ``output/`` instead of rendered (``reuse=False``: render everything); the
    search index is patched where pages changed (``build.searching``), and
    ``while_indexing`` runs (with the diagnostics so far) before the folder is swapped in.
    ``keep``: the (language, URL) of withheld pages, whose files are kept as the last build
    wrote them (when it did). Returns diagnostics, the record of every file written (empty
    when nothing was published) and how many were rendered.
    """
    root, config = model.root, model.config
    site = PublishFolder(root, config.output_dir, OUTPUT_RECORDS)
    problems = site.open()
    if problems:
        return problems, {}, 0
    staging, last = site.staging, site.last
    previous = last if reuse else {}
    sink = StagedSink(staging, previous)
    search = SearchIndex(sink)
    _, diags = render_site(model, sink, jobs=jobs, search=search)
    for lang, url in keep:
        rel = output_file(url)
        prev = last.get(rel)
        if prev is None or rel in sink.records:
            continue
        if staging.reuse(rel, prev.size, prev.mtime_ns):
            sink.records[rel] = prev
            search.keep(lang, url)
    if any(d.is_error for d in diags):
        staging.abort()
        return diags, {}, 0
    more = search.finish()
    diags = [*diags, *more]
    if any(d.is_error for d in more):
        staging.abort()
        return diags, {}, 0
    if while_indexing is not None:
        while_indexing(diags)
    problems = site.commit(sink.records)
    if problems:
        return [*diags, *problems], {}, 0
    return diags, sink.records, len(sink.rendered)


def build_site(
    root: Path,
    config: SiteConfig,
    *,
    write: bool = True,
    only: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    while_indexing: Callable[[BuildResult], object] | None = None,
    strict: bool = False,
    process: Callable[[list[tuple[str, str, Path]]], list[Outcome]] | None = None,
    memory: CollectMemory | None = None,
    discover: Callable[[Path, str], tuple[list[tuple[str, str, Path]], list[Diagnostic]]]
    | None = None,
    resolve_links: bool | None = None,
) -> BuildResult:
    """Build (``write=True``) or only check the site at ``root``.

    A page blocked by the readability gate is withheld: the version the last build published
    stays as it was (a page never published is left out) and every other page is published.
    ``strict``: publish nothing when any page is blocked. Any other error publishes nothing.

    Pages are read, converted and checked in ``jobs`` worker processes (default: one per
    core; small sites stay in this process) and the results are reused from the cache in
    ``.sitegen-cache/`` when a file, the settings and sitegen itself are unchanged
    (``use_cache=False`` ignores it). The output does not depend on either.
    ``progress(done, total)`` is called as pages are processed, e.g. for a progress bar.
    ``while_indexing(result)`` runs while the search index is built, with the result as it
    will be if the index and the swap succeed (the command line writes the reports then).
    ``process(found)``: the ``workers.Outcome`` of each discovered file, in place of
    ``workers.process_all`` (the preview's ``pagememory`` keeps unchanged pages' in memory).
    ``memory``: what the last build of this process collected of each page (the preview).
    ``discover``: in place of ``reader.discover`` (the preview's ``pagememory`` lists only
    the changed files again).
    ``resolve_links``: results keep their HTML with links resolved (default: when not
    publishing; the preview); ``False``: when rendered, as in a build (``check``).
    """
    started = time.perf_counter()
    result = BuildResult()
    found, diags = (discover or reader.discover)(root, config.content_dir)
    if only is not None:
        wanted = set(only)
        found = [f for f in found if f[0] in wanted]
    if process is not None:
        outcomes = process(found)
    else:
        outcomes = process_all(
            root, config, found, jobs=jobs, use_cache=use_cache, progress=progress,
            prune=only is None,
        )  # fmt: skip
    pages = [o.page for o in outcomes if o.page is not None]
    between = partial(_between_pages, pages, write)
    checked, page_drafts, link_map = (
        memory.between_pages(pages, write, between) if memory is not None else between()
    )
    diags += checked
    members = memory.members if memory is not None else None
    more, result.stale = translation_checks(root, config, pages, members)
    diags += more
    drafts = page_drafts | {
        o.path for o in outcomes if o.page is None and getattr(o.check, "draft", False)
    }
    if only is not None:
        # Checking some files: links to the rest of the site still resolve.
        all_pages, _ = load_pages(root, config)
        link_map = {p.path: p.url for p in all_pages}
    lazy = write if resolve_links is None else not resolve_links  # ``check`` renders none
    groups, more, gate_diags = _collect(result, outcomes, link_map, lazy, memory)
    diags += more
    # Drafts never stop a build or a check: their errors are shown as warnings.
    diags = [draft_diagnostic(d) if d.path in drafts else d for d in diags]
    diags += _withhold(result, root, write=write, strict=strict)
    result.diagnostics = _assemble(groups, diags)
    if write and not any(d.is_error and d not in gate_diags for d in result.diagnostics):
        _publish(result, root, config, jobs=jobs, use_cache=use_cache,
                 while_indexing=while_indexing, started=started)  # fmt: skip
    result.elapsed = time.perf_counter() - started
    return result


def _between_pages(
    pages: list[Page], write: bool
) -> tuple[list[Diagnostic], set[str], dict[str, str]]:
    """The checks between pages (``site_checks``, results links), the drafts among them,
    and the link map (source path -> URL; drafts only when not writing)."""
    found = site_checks(pages) + results_pages.link_checks(results_pages.linked(pages))[2]
    drafts = {p.path for p in pages if p.draft}
    return found, drafts, {p.path: p.url for p in pages if not p.draft or not write}


class CollectMemory:
    """What ``_collect`` made of each page, kept between the builds of one long-running
    process (the preview): a page whose ``Outcome`` is the very object collected last time
    (``pagememory`` keeps unchanged pages' outcomes), with the same link map, is not
    collected again (``patching.PerItem``). Anything else is collected afresh."""

    def __init__(self) -> None:
        self.pages: PerItem[Outcome, _Collected] = PerItem()
        #: each page as a translation group member (``translation_checks``)
        self.members: PerItem[Page, Member | None] = PerItem()
        #: the last build's pages, whether it wrote, and what the checks between pages made
        self._site: tuple[list[Page], bool, object] | None = None

    def between_pages(self, pages: list[Page], write: bool, make: Callable[[], _T]) -> _T:
        """``make()``, the checks between pages (duplicate URLs, reserved slugs, results
        links, the link map), or the last build's answer when it had the same ``write``
        and ``pages`` are its pages with the very metadata and URL objects
        (``pagememory.kept_metadata``) and the same path, kind, language, slug and front
        matter positions."""
        last = self._site
        if last is not None and last[1] == write and _same_pages(last[0], pages):
            value: _T = last[2]  # type: ignore[assignment]
        else:
            value = make()
        self._site = (pages, write, value)
        return value


_T = TypeVar("_T")


def _same_pages(old: list[Page], new: list[Page]) -> bool:
    """``CollectMemory.between_pages``' test."""
    return len(old) == len(new) and all(
        a is b or (b.kept_from(a) and a.fm.positions == b.fm.positions)
        for a, b in zip(old, new, strict=True)
    )


#: one page collected: its path, its result (None if its metadata failed), its check, its
#: diagnostics (``_group``), those about other files, and the gate's findings on a blocked page
_Collected = tuple[
    str, PageResult | None, PageCheck | None, list[Diagnostic], list[Diagnostic],
    list[Diagnostic],
]  # fmt: skip


def _collect(
    result: BuildResult,
    outcomes: list[Outcome],
    link_map: dict[str, str],
    lazy: bool,
    memory: CollectMemory | None = None,
) -> tuple[list[tuple[str, list[Diagnostic]]], list[Diagnostic], set[Diagnostic]]:
    """Add each processed page to ``result`` with its links resolved (``lazy``: when it is
    rendered, ``PageResult.links``). Returns each page's
    diagnostics (path, ``_group``) in the order of ``outcomes``, the diagnostics about other
    files, and the gate's findings on blocked pages (a withheld page's: they do not stop
    the build). ``memory``: pages collected by the last build of this process, reused when
    unchanged."""

    def one(o: Outcome) -> _Collected:
        return _collect_one(o, link_map, lazy)

    each = memory.pages if memory is not None else None
    ones = each(outcomes, one, (link_map, lazy)) if each is not None else list(map(one, outcomes))
    result.results.extend([c[1] for c in ones if c[1] is not None])
    result.checks.extend([c[2] for c in ones if c[2] is not None])
    groups = [(c[0], c[3]) for c in ones]
    stray = list(chain.from_iterable([c[4] for c in ones if c[4]]))
    gate_diags = set(chain.from_iterable([c[5] for c in ones if c[5]]))
    return groups, stray, gate_diags


def _collect_one(o: Outcome, link_map: dict[str, str], lazy: bool) -> _Collected:
    """One page for ``_collect``."""
    if o.page is None and o.check is not None:  # metadata errors: the text is checked
        draft = bool(getattr(o.check, "draft", False))
        found = [*o.diagnostics, *page_diagnostics(o.check)]
        return o.path, None, o.check, *_group(o, found, draft), []
    if o.page is None or o.rendered is None or o.check is None:
        return o.path, None, None, *_group(o, list(o.diagnostics), False), []
    page = o.page
    diags = broken_links(o.rendered, page.path, link_map)
    annotated, links = o.annotated, None
    if lazy and annotated is not None:
        # Publishing renders the marked-up body only: its links are resolved when the page
        # is rendered (most pages of a build are not), and one copy of its HTML is kept (or
        # none, while the page cache has not read it: ``cachefile.Deferred``). ``check``
        # renders none.
        links = link_map
        rendered = o.rendered if deferred(o.rendered) else dataclasses.replace(o.rendered, html="")
    else:
        if annotated is not None:
            html = resolve_links(annotated.html, page.url, link_map)
            annotated = dataclasses.replace(annotated, html=html)
        html = resolve_links(o.rendered.html, page.url, link_map)
        rendered = dataclasses.replace(o.rendered, html=html)
    found_diags = page_diagnostics(o.check)
    gate = found_diags if o.check.verdict == "block" and not page.draft else []
    page_result = PageResult(page, rendered, o.check, o.key, annotated, o.meta_key, links)
    group, others = _group(o, [*o.diagnostics, *diags, *found_diags], page.draft)
    return o.path, page_result, o.check, group, others, gate


def _group(
    o: Outcome, diags: list[Diagnostic], draft: bool
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """A page's own diagnostics, as a draft's if it is one (``draft_diagnostic``), sorted and
    without duplicates (``sorted_diagnostics``); and those about other files, as they are."""
    own = [d for d in diags if d.path == o.path]
    if draft:
        own = [draft_diagnostic(d) for d in own]
    return sorted_diagnostics(own), [d for d in diags if d.path != o.path]


def _assemble(
    groups: list[tuple[str, list[Diagnostic]]], rest: list[Diagnostic]
) -> list[Diagnostic]:
    """``sorted_diagnostics`` of every page's group (each sorted, about its own file only)
    and ``rest``, without sorting the pages' groups again: only the files ``rest`` is
    about are sorted anew."""
    chunks = dict(groups)
    extra: dict[str, list[Diagnostic]] = {}
    for d in rest:
        extra.setdefault(d.path, []).append(d)
    for path, more in extra.items():
        chunks[path] = sorted_diagnostics([*chunks.get(path, ()), *more])
    out: list[Diagnostic] = []
    for path in sorted(chunks):
        out += chunks[path]
    return out


def _withhold(result: BuildResult, root: Path, *, write: bool, strict: bool) -> list[Diagnostic]:
    """Pages the gate blocks: withheld (``result.withheld``, a note each), or with
    ``strict`` one GATE001 error that publishes nothing."""
    if not write:
        return []
    blocked = [r for r in result.results if r.check.verdict == "block" and not r.page.draft]
    if not strict:
        withheld = {r.page.path: r.check.reason for r in blocked}
        result.withheld = sorted(withheld.items())
        return [withhold_note(path, why) for path, why in result.withheld]
    if not blocked:
        return []
    paths = [r.page.path for r in blocked]
    return [
        error(
            "site",
            0,
            0,
            "GATE001",
            f"{len(paths)} page(s) blocked by the readability gate: {', '.join(paths)}",
            "fix the findings above, or have a reviewer sign the page off "
            f"({command('approve', 'PAGE', '--by', 'NAME', root=root)})",
        )
    ]


def _publish(
    result: BuildResult,
    root: Path,
    config: SiteConfig,
    *,
    jobs: int | None,
    use_cache: bool,
    while_indexing: Callable[[BuildResult], object] | None,
    started: float,
) -> None:
    """Publish every page that is not a draft or withheld; record it in ``result``."""
    withheld = dict(result.withheld)
    published = [r for r in result.results if not r.page.draft and r.page.path not in withheld]
    model = SiteModel(
        root=root, config=config, results=published, languages=LANGUAGES, stale=result.stale
    )

    def during(render_diags: list[Diagnostic]) -> None:
        if while_indexing is not None:
            # ``result.diagnostics`` is sorted already (``_assemble``)
            every = (
                sorted_diagnostics([*result.diagnostics, *render_diags])
                if render_diags
                else result.diagnostics
            )
            elapsed = time.perf_counter() - started
            while_indexing(
                dataclasses.replace(result, diagnostics=every, published=True, elapsed=elapsed)
            )

    keep = [(r.page.lang, r.page.url) for r in result.results if r.page.path in withheld]
    more, records, n_rendered = publish_site(
        model, jobs=jobs, reuse=use_cache, while_indexing=during, keep=keep
    )
    if more:
        result.diagnostics = sorted_diagnostics([*result.diagnostics, *more])
    if not any(d.is_error for d in more):
        result.published = True
        result.files_written = len(records)
        result.pages_written = sum(1 for f in records if f.endswith(".html"))
        result.files_rendered = n_rendered


__all__ = [
    "BuildResult",
    "Page",
    "PageResult",
    "build_site",
    "check_page",
    "load_page",
    "load_pages",
    "prose_fields",
]
