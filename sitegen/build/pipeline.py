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
import re
import shutil
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sitegen.content import frontmatter
from sitegen.content import reader
from sitegen.content import results as results_pages
from sitegen.core.cmdline import command
from sitegen.content.config import SiteConfig
from sitegen.content.draft_texts import placeholder_texts
from sitegen.core.diagnostics import Diagnostic, Severity, error, sorted_diagnostics, warning
from sitegen.render.facts import study_checks
from sitegen.content.frontmatter import FrontMatter, dotted_value
from sitegen.i18n import LANGUAGES
from sitegen.markup.convert import broken_links, resolve_links
from sitegen.content.model import (
    OPEN_STATUSES,
    PageMeta,
    ResultMeta,
    StudyMeta,
    condition_problems,
    effective_slug,
    parse_meta,
)
from sitegen.build.outputs import (
    StagedSink,
    Written,
    forget_records,
    load_records,
    record_tree,
    render_key,
    save_records,
)
from sitegen.readability import (
    GateSettings,
    PageCheck,
    ProseField,
    check_document,
    load_glossary,
    review_facts,
)
from sitegen.readability import Signoff as GateSignoff
from sitegen.readability import Waiver as GateWaiver
from sitegen.readability.completeness import required_for
from sitegen.readability.formats import page_diagnostics
from sitegen.publish.search import BUNDLE_DIR, Indexing, finish_index, pagefind_version, start_index
from sitegen.build.rendering import render_site
from sitegen.content.pages import Page
from sitegen.render.context import SiteModel, lang_prefix
from sitegen.render.stages import BuildResult, PageResult
from sitegen.content.translations import Member, Source, Stale, check_translations, source_version
from sitegen.core.urls import output_file
from sitegen.publish.writer import Staging

#: the name of the output folder's record in the cache (``outputs``)
OUTPUT_RECORDS = "output"

#: the front-matter fields whose positions ``site_checks`` reports problems at
SITE_CHECK_FIELDS = ("slug", "translation_key", "study")
RESERVED_SLUGS = frozenset(
    {"studies", "conditions", "assets", "es", "en", "glossary", "search", "results"}
    | {"accessibility"}
)
#: the code prefixes of readability-gate findings (a draft's are never errors)
GATE_PREFIXES = ("RD", "JG", "PR", "PH", "CP", "CC")


def page_url(kind: str, slug: str, lang: str, default_lang: str) -> str:
    """The published URL of a content page."""
    prefix = lang_prefix(lang, default_lang)
    if kind == "result":
        return f"{prefix}results/{slug}/"
    return f"{prefix}studies/{slug}/" if kind == "study" else f"{prefix}{slug}/"


def load_page(
    rel: str, kind: str, full: Path, config: SiteConfig, text: str | None = None
) -> tuple[Page | None, list[Diagnostic]]:
    """Read and validate one content file (``text``: its already decoded content)."""
    diags: list[Diagnostic] = []
    if text is None:
        src, more = reader.read_source(rel, kind, full, config.max_file_kb * 1024)
        diags += more
        if src is None:
            return None, diags
        text, stem = src.text, src.stem
    else:
        stem = full.name[: -len(".md")]
    fm, more = frontmatter.parse(text, rel)
    diags += more
    if fm is None:
        return None, diags
    cls = {"study": StudyMeta, "result": ResultMeta}.get(kind, PageMeta)
    meta, more = parse_meta(fm, rel, cls)
    diags += more
    if meta is None:
        if fm.data.get("draft") is True:  # a draft never stops a build, even unreadable
            diags = [draft_diagnostic(d) for d in diags]
        return None, diags
    if kind == "study":
        diags += study_checks(meta, fm, rel, date.today())
        more = condition_problems(meta, fm, rel)
        if more:
            return None, diags + more
    slug = effective_slug(meta, stem)
    if not slug:
        diags.append(error(rel, 0, 0, "SRC006", "cannot make a URL from the file name; set slug:"))
        return None, diags
    lang = meta.lang or config.language
    url = page_url(kind, slug, lang, config.language)
    return Page(rel, kind, meta, slug, lang, url, fm.body, fm.body_line, fm), diags


def load_pages(
    root: Path, config: SiteConfig, only: Sequence[str] | None = None
) -> tuple[list[Page], list[Diagnostic]]:
    """Read and validate content files (all of them, or the site-relative paths in ``only``)."""
    diags: list[Diagnostic] = []
    found, more = reader.discover(root, config.content_dir)
    diags += more
    if only is not None:
        wanted = set(only)
        found = [f for f in found if f[0] in wanted]
    pages: list[Page] = []
    for rel, kind, full in found:
        page, more = load_page(rel, kind, full, config)
        diags += more
        if page is not None:
            pages.append(page)
    return pages, diags


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
    root: Path, config: SiteConfig, pages: Sequence[Page]
) -> tuple[list[Diagnostic], dict[str, Stale]]:
    """Translations against their originals (``translations``): out-of-date warnings and
    differing facts; each page in a translation group is read again for its positions."""
    by_path = {p.path: p for p in pages}
    members = [
        Member(
            p.path, p.kind, p.lang, p.url, p.meta.translation_key, p.meta.translated_from, p.draft
        )
        for p in pages
    ]

    def load(path: str) -> tuple[Source, str] | None:
        page = by_path[path]
        src, _ = reader.read_source(path, page.kind, root / path, config.max_file_kb * 1024)
        fm = frontmatter.parse(src.text, path)[0] if src is not None else None
        if fm is None:
            return None
        full = dataclasses.replace(page, fm=fm)
        prose = [(f.name, f.text, f.line, f.column, f.exact) for f in prose_fields(full)]
        version = source_version(fm.yaml_text, fm.body)
        return Source(path, page.lang, fm, fm.body, fm.body_line, prose), version

    return check_translations(members, config.language, load)


def prose_fields(page: Page) -> list[ProseField]:
    """The patient-facing front-matter text of a page, with its positions."""
    names: list[str] = ["title", "summary"]
    meta = page.meta
    if isinstance(meta, StudyMeta):
        names.append("why_stopped")
        if meta.eligibility:
            names += [f"eligibility.include.{i}" for i in range(len(meta.eligibility.include))]
            names += [f"eligibility.exclude.{i}" for i in range(len(meta.eligibility.exclude))]
            names += [
                f"eligibility.questions.{i}.question"
                for i in range(len(meta.eligibility.questions))
            ]
        names += [f"interventions.{i}.plain" for i in range(len(meta.interventions))]
        if meta.participation:
            names += ["participation.duration", "participation.remote"]
            names += [
                f"participation.procedures.{i}" for i in range(len(meta.participation.procedures))
            ]
        names += ["support.payment", "support.travel", "support.other"]
    if isinstance(meta, ResultMeta):
        names += [f"icon_arrays.{i}.label" for i in range(len(meta.icon_arrays))]
    return fields_from_data(page.fm, names)


def fields_from_data(fm: FrontMatter, names: Sequence[str]) -> list[ProseField]:
    """ProseFields for the dotted ``names`` that hold text in ``fm``."""
    out: list[ProseField] = []
    for name in names:
        value = dotted_value(fm.data, name)
        if not isinstance(value, str) or not value.strip():
            continue
        pos = fm.positions.get(name)
        if pos is None:
            continue
        out.append(ProseField(name, value, pos.line, pos.col, pos.exact))
    return out


#: front-matter values that are not shown to patients as text (``metadata_values`` skips them)
_NOT_SHOWN = frozenset({"signoff", "source", "readability", "draft", "lang", "status", "phase"})


def metadata_values(fm: FrontMatter, shown: Sequence[ProseField]) -> list[ProseField]:
    """Every other front-matter string (conditions, contacts, sites ...) with its position:
    the readability gate checks them for placeholders (PH005), never scores them."""
    skip = {f.name for f in shown}
    out: list[ProseField] = []

    def walk(value: Any, name: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if name or str(k) not in _NOT_SHOWN:
                    walk(v, f"{name}.{k}" if name else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{name}.{i}")
        elif isinstance(value, str) and value.strip() and name not in skip:
            pos = fm.positions.get(name)
            if pos is not None:
                out.append(ProseField(name, value, pos.line, pos.col, pos.exact))

    walk(fm.data, "")
    return out


def gate_settings(
    config: SiteConfig, meta: StudyMeta | PageMeta | ResultMeta | None
) -> GateSettings:
    """Site readability settings, with a page's own ``readability`` override (which can
    only tighten them unless a reviewer signs the page off: ``readability.gate.resolve``)."""
    r = config.readability
    own = meta.readability if meta is not None else None
    return GateSettings(
        target=r.target,
        limit=r.limit,
        page_target=own.target if own is not None else None,
        page_limit=own.limit if own is not None else None,
        block_on_replace_jargon=r.block_on_replace_jargon,
        # Promotional wording about results is always blocked (results.py, docs/results.md).
        block_on_promotional=r.block_on_promotional or isinstance(meta, ResultMeta),
        allow=frozenset(t.casefold() for t in r.allow),
        max_sentence_words=r.max_sentence_words,
        rare_word_zipf=r.rare_word_zipf,
        subjects=page_subjects(meta),
        clarity_min=r.clarity_min,
        placeholders=_placeholders()[0],
        example_values=_placeholders()[1],
    )


@cache
def _placeholders() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return placeholder_texts()


_SUBJECT_WORD = re.compile(r"[^\W\d_]{3,}")


def page_subjects(meta: StudyMeta | PageMeta | ResultMeta | None) -> frozenset[str]:
    """The lower-case words of a study's conditions and intervention names: what the page is
    about, which its readers meet by name (not rare words, JG005)."""
    if not isinstance(meta, StudyMeta):
        return frozenset()
    names = [*meta.conditions, *(i.name for i in meta.interventions)]
    return frozenset(w.lower() for n in names for w in _SUBJECT_WORD.findall(n))


def gate_signoff(meta: StudyMeta | PageMeta | ResultMeta | None) -> tuple[GateSignoff, ...]:
    """The reviewer sign-offs of a page, oldest first, in the readability package's terms."""
    if meta is None:
        return ()
    out = []
    for s in meta.signoff:
        waivers = tuple(GateWaiver(w.code, w.text, w.reason) for w in s.waive)
        accepted = None if s.accepted is None else tuple((a.code, a.count) for a in s.accepted)
        out.append(GateSignoff(s.by, str(s.date), s.text_hash, waivers, s.role or "", accepted))
    return tuple(out)


def check_page(page: Page, config: SiteConfig, root: Path) -> PageCheck:
    """Run the readability gate on one page."""
    glossary = load_glossary(page.lang, tuple(root / g for g in config.readability.glossary))
    fields = prose_fields(page)
    settings = gate_settings(config, page.meta)
    open_study = isinstance(page.meta, StudyMeta) and page.meta.status in OPEN_STATUSES
    topics = config.completeness.required(page.kind)
    if topics:
        required = required_for(topics, page.lang, page.fm.data, open_study)
        settings = dataclasses.replace(settings, required=required)
    return check_document(
        page.path,
        page.body,
        page.body_line,
        fields,
        lang=page.lang,
        settings=settings,
        glossary=glossary,
        signoff=gate_signoff(page.meta),
        draft=page.draft,
        facts=review_facts(page.fm.data),
        required_roles=config.review.roles,
        values=metadata_values(page.fm, fields),
    )


def draft_diagnostic(d: Diagnostic) -> Diagnostic:
    """A draft never stops a build or a check: its errors are shown as warnings."""
    if d.severity is Severity.ERROR:
        return dataclasses.replace(d, severity=Severity.WARNING, message=d.message + " (draft)")
    return d


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
    keep: Sequence[str] = (),
) -> tuple[list[Diagnostic], dict[str, Written], int]:
    """Render the site into a new folder and swap it in for ``output/``.

    Files whose render key matches the last build's record are hard-linked from the
    current ``output/`` instead of rendered (``reuse=False``: render everything); the
    search index is rebuilt only when a page changed, and ``while_indexing`` runs (with the
    diagnostics so far) while Pagefind works. ``keep``: files of withheld pages, kept as the
    last build wrote them (when it did). Returns diagnostics, the record of every file
    written (empty when nothing was published) and how many were rendered.
    """
    root, config = model.root, model.config
    staging = Staging(root / config.output_dir, display=config.output_dir)
    problems = staging.open()
    if problems:
        return problems, {}, 0
    last = load_records(root, OUTPUT_RECORDS)
    previous = last if reuse else {}
    sink = StagedSink(staging, previous)
    _, diags = render_site(model, sink, jobs=jobs)
    for rel in keep:
        prev = last.get(rel)
        if prev is None or rel in sink.records:
            continue
        if staging.reuse(rel, prev.size, prev.mtime_ns):
            sink.records[rel] = prev
    if any(d.is_error for d in diags):
        staging.abort()
        return diags, {}, 0
    assert staging.path is not None
    folder = staging.path

    # Pagefind, unless every page is the last build's: then its index is kept.
    pages = sorted((rel, w.key) for rel, w in sink.records.items() if rel.endswith(".html"))
    key = render_key("pagefind", pagefind_version(), pages)
    kept = {rel: w for rel, w in previous.items() if rel.startswith(BUNDLE_DIR + "/")}
    job: Indexing | list[Diagnostic] | None = None
    if kept and all(w.key == key for w in kept.values()):
        if not all(sink.reuse(rel, key) is not None for rel in kept):
            for rel in kept:
                sink.records.pop(rel, None)
            shutil.rmtree(folder / BUNDLE_DIR, ignore_errors=True)
            job = start_index(folder)
    else:
        job = start_index(folder)
    if while_indexing is not None:
        while_indexing(diags)
    more = finish_index(job) if job is not None else []
    diags = [*diags, *more]
    if any(d.is_error for d in more):
        staging.abort()
        return diags, {}, 0
    if job is not None:
        index_files = record_tree(folder, BUNDLE_DIR, key)
        sink.records.update(index_files)
        sink.rendered.update(index_files)
    forget_records(root, OUTPUT_RECORDS)
    staging.commit()
    save_records(root, OUTPUT_RECORDS, sink.records)
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
    """
    from sitegen.build.workers import process_all

    started = time.perf_counter()
    result = BuildResult()
    found, diags = reader.discover(root, config.content_dir)
    if only is not None:
        wanted = set(only)
        found = [f for f in found if f[0] in wanted]
    outcomes = process_all(
        root, config, found, jobs=jobs, use_cache=use_cache, progress=progress, prune=only is None
    )
    pages = [o.page for o in outcomes if o.page is not None]
    for o in outcomes:
        diags += o.diagnostics
    diags += site_checks(pages)
    more, result.stale = translation_checks(root, config, pages)
    diags += more
    diags += results_pages.link_checks(results_pages.linked(pages))[2]
    drafts = {p.path for p in pages if p.draft}
    drafts |= {o.path for o in outcomes if o.page is None and getattr(o.check, "draft", False)}
    #: the gate's findings on blocked pages: a withheld page's, they do not stop the build
    gate_diags: set[Diagnostic] = set()
    link_map = {p.path: p.url for p in pages if not p.draft or not write}
    if only is not None:
        # Checking some files: links to the rest of the site still resolve.
        all_pages, _ = load_pages(root, config)
        link_map = {p.path: p.url for p in all_pages}
    for o in outcomes:
        if o.page is None and o.check is not None:  # metadata errors: the text is checked
            result.checks.append(o.check)
            diags += page_diagnostics(o.check)
            continue
        if o.page is None or o.rendered is None or o.check is None:
            continue
        page = o.page
        diags += broken_links(o.rendered, page.path, link_map)
        annotated = o.annotated
        if annotated is not None:
            annotated = dataclasses.replace(
                annotated, html=resolve_links(annotated.html, page.url, link_map)
            )
        if write and annotated is not None:
            # Publishing renders the marked-up body only: keep one copy of the page's HTML.
            rendered = dataclasses.replace(o.rendered, html="")
        else:
            html = resolve_links(o.rendered.html, page.url, link_map)
            rendered = dataclasses.replace(o.rendered, html=html)
        result.results.append(PageResult(page, rendered, o.check, o.key, annotated, o.meta_key))
        result.checks.append(o.check)
        found_diags = page_diagnostics(o.check)
        if o.check.verdict == "block" and not page.draft:
            gate_diags.update(found_diags)
        diags += found_diags
    # Drafts never stop a build or a check: their errors are shown as warnings.
    diags = [draft_diagnostic(d) if d.path in drafts else d for d in diags]
    withheld: dict[str, str] = {}
    if write and not strict:
        withheld = {
            r.page.path: r.check.reason
            for r in result.results
            if r.check.verdict == "block" and not r.page.draft
        }
        diags += [withhold_note(path, why) for path, why in sorted(withheld.items())]
        result.withheld = sorted(withheld.items())
    if write and strict:
        blocked = [
            r.page.path for r in result.results if r.check.verdict == "block" and not r.page.draft
        ]
        if blocked:
            diags.append(
                error(
                    "site",
                    0,
                    0,
                    "GATE001",
                    f"{len(blocked)} page(s) blocked by the readability gate: {', '.join(blocked)}",
                    "fix the findings above, or have a reviewer sign the page off "
                    f"({command('approve', 'PAGE', '--by', 'NAME', root=root)})",
                )
            )
    result.diagnostics = sorted_diagnostics(diags)
    if write and not any(d.is_error and d not in gate_diags for d in result.diagnostics):
        published = [r for r in result.results if not r.page.draft and r.page.path not in withheld]
        model = SiteModel(
            root=root, config=config, results=published, languages=LANGUAGES, stale=result.stale
        )

        def during(render_diags: list[Diagnostic]) -> None:
            if while_indexing is not None:
                every = sorted_diagnostics([*result.diagnostics, *render_diags])
                elapsed = time.perf_counter() - started
                while_indexing(
                    dataclasses.replace(result, diagnostics=every, published=True, elapsed=elapsed)
                )

        keep = [output_file(r.page.url) for r in result.results if r.page.path in withheld]
        more, records, n_rendered = publish_site(
            model, jobs=jobs, reuse=use_cache, while_indexing=during, keep=keep
        )
        result.diagnostics = sorted_diagnostics([*result.diagnostics, *more])
        if not any(d.is_error for d in more):
            result.published = True
            result.files_written = len(records)
            result.pages_written = sum(1 for f in records if f.endswith(".html"))
            result.files_rendered = n_rendered
    result.elapsed = time.perf_counter() - started
    return result


__all__ = ["BuildResult", "Page", "PageResult", "build_site"]
