"""Render every public file of the site from checked pages: study and plain pages, and per
language the home page (with the study finder), condition pages, the Glossary, the search
page and a 404 page; then sitemap, robots.txt and theme assets.

Every file goes to a sink (``outputs``) with its render key: a hash of everything the file
shows (sitegen's code and assets, the settings, the templates it uses, the page's content,
the navigation, translations and listed studies). A ``StagedSink`` keeps a file whose key
matches the last build's instead of rendering it; a ``MemorySink`` renders everything. The
bytes are deterministic either way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from sitegen.build.manifest import code_fingerprint
from sitegen.build.outputs import MemorySink, Shipped, Sink, render_key
from sitegen.build.workers import (
    PARALLEL_MIN,
    annotate_body,
    default_jobs,
    fork_context,
    forked_pool,
)
from sitegen.content import results as results_pages
from sitegen.content.brand import brand_assets, logo_name
from sitegen.content.config import SiteConfig
from sitegen.content.model import ResultMeta, StudyMeta, slugify
from sitegen.content.translations import Stale
from sitegen.core.diagnostics import Diagnostic
from sitegen.core.urls import output_file, relative_url
from sitegen.i18n import LANGUAGES, Catalogue, catalogue
from sitegen.render import feedback, jsonld, nearme
from sitegen.render.definitions import Annotated
from sitegen.render.glossary import Term, glossary_entries
from sitegen.render.prescreen import build_prescreen
from sitegen.render.templates import THEME_DIR, make_environment, render, template_fingerprint
from sitegen.render.views import Link, StudyView, finder_options, sort_studies, study_view

if TYPE_CHECKING:
    from sitegen.build.pipeline import PageResult

STATIC_DIR = THEME_DIR.parent / "static"
_CSP = (
    "default-src 'self'; script-src 'self'{wasm}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)
CSP = _CSP.format(wasm="")
#: the search page runs Pagefind's WebAssembly, which Chromium only compiles with this
SEARCH_CSP = _CSP.format(wasm=" 'wasm-unsafe-eval'")
#: where the generated pages live, per language (after the language prefix)
GLOSSARY = "glossary/"
SEARCH = "search/"
ACCESSIBILITY = "accessibility/"


#: the template of each kind of content page
TEMPLATES = {"study": "study.html", "result": "result.html", "page": "page.html"}

SLOTS = {
    "eligibility": {"who-can-take-part", "quien-puede-participar"},
    "sites": {"where-is-the-study-happening", "donde-se-hace-el-estudio"},
    "contact": {"how-do-i-find-out-more-or-join", "como-puedo-saber-mas-o-participar"},
}
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


@dataclass(frozen=True)
class Section:
    """A ``##`` section of a page body, and which generated block belongs after it."""

    id: str
    heading: Markup
    content: Markup
    slot: str


def split_sections(html: str) -> tuple[Markup, list[Section]]:
    """Split body HTML at its ``<h2>`` headings: (text before the first, sections)."""
    matches = list(_H2.finditer(html))
    if not matches:
        return Markup(html), []
    intro = Markup(html[: matches[0].start()])
    sections = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(html)
        slot = next((name for name, ids in SLOTS.items() if m.group(1) in ids), "")
        sections.append(Section(m.group(1), Markup(m.group(0)), Markup(html[m.end() : end]), slot))
    return intro, sections


@dataclass(frozen=True)
class SiteModel:
    """Everything needed to render the site."""

    root: Path
    config: SiteConfig
    results: Sequence[PageResult]
    languages: Sequence[str]
    #: translations published with a notice that they may be out of date (``translations``)
    stale: Mapping[str, Stale] = field(default_factory=dict)


def lang_prefix(lang: str, default: str) -> str:
    """URL prefix of a language: the default language lives at the root."""
    return "" if lang == default else f"{lang}/"


def static_files(templates_dir: Path) -> dict[str, bytes]:
    """Theme assets (and a site's ``templates/static/`` overrides) under ``assets/``."""
    files: dict[str, bytes] = {}
    for base in (STATIC_DIR, templates_dir / "static"):
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file() and not p.is_symlink():
                files["assets/" + p.relative_to(base).as_posix()] = p.read_bytes()
    return files


@dataclass(frozen=True)
class _LangState:
    cat: Catalogue
    prefix: str
    studies: list[StudyView]
    views: dict[str, StudyView]


@dataclass(frozen=True)
class _PageOut:
    lang: str
    shipped: Shipped | None
    used: tuple[Term, ...]
    diagnostics: tuple[Diagnostic, ...]


_FORKED_JOB: Callable[[int], Any] | None = None


def _run_forked(indices: Sequence[int]) -> list[Any]:
    assert _FORKED_JOB is not None
    return [_FORKED_JOB(i) for i in indices]


def run_jobs(job: Callable[[int], Any], n: int, jobs: int | None) -> list[Any]:
    """``[job(0), ..., job(n - 1)]``, in forked worker processes when that pays off.

    The job (a closure over the whole site) is not pickled: forked workers inherit it; only
    indices go out and results come back, in order, so the output is the same as in one
    process.
    """
    workers = default_jobs() if jobs is None else max(1, jobs)
    ctx = fork_context()
    if workers == 1 or n < PARALLEL_MIN or ctx.get_start_method() != "fork":
        return [job(i) for i in range(n)]
    global _FORKED_JOB
    _FORKED_JOB = job
    try:
        size = max(4, n // (workers * 8))
        chunks = [list(range(i, min(n, i + size))) for i in range(0, n, size)]
        with forked_pool(workers) as pool:
            return [out for part in pool.map(_run_forked, chunks) for out in part]
    finally:
        _FORKED_JOB = None


def render_site(
    model: SiteModel, sink: Sink | None = None, *, jobs: int | None = None
) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Render all public files into ``sink`` (default: a new ``MemorySink``); content pages
    are rendered in ``jobs`` worker processes.

    Each file gets a render key (``outputs.render_key``) from everything it shows; a file
    whose key matches the last build's is reused by the sink instead of rendered. Returns
    the sink's files (a ``MemorySink``'s bytes; empty for a ``StagedSink``) and diagnostics.
    """
    sink = MemorySink() if sink is None else sink
    cfg = model.config
    root = model.root
    default = cfg.language
    env = make_environment(root / cfg.templates_dir)
    diags: list[Diagnostic] = []
    brand = cfg.brand
    # a site's templates/static/ may still replace brand.css, like any theme asset
    assets = brand_assets(root, brand.primary, brand.accent, brand.logo) | static_files(
        root / cfg.templates_dir
    )
    versions = {
        name: hashlib.sha256(data).hexdigest()[:10] for name, data in sorted(assets.items())
    }
    extra_glossaries = tuple(root / g for g in cfg.readability.glossary)
    # What every file depends on: sitegen itself, the settings, assets, extra glossaries.
    salt = render_key(
        code_fingerprint(), repr(cfg), versions, *[_read(p) for p in extra_glossaries]
    )
    template_fps: dict[str, str] = {}

    def template_fp(name: str) -> str:
        if name not in template_fps:
            template_fps[name] = template_fingerprint(env, name)
        return template_fps[name]

    langs = sorted({r.page.lang for r in model.results} | {default}, key=lambda x: x != default)
    by_lang: dict[str, list[PageResult]] = {lang: [] for lang in langs}
    for r in model.results:
        by_lang[r.page.lang].append(r)
    shared = {lang: _shared(by_lang[lang]) for lang in langs}

    # Translations: (kind, key) -> {lang: url}
    translations: dict[tuple[str, str], dict[str, str]] = {}
    for r in model.results:
        key = r.page.meta.translation_key
        if key:
            translations.setdefault((r.page.kind, key), {})[r.page.lang] = r.page.url
    condition_alts = condition_translations(model.results, default)

    sitemap: list[tuple[str, str | None]] = []

    def key_of(url: str, template: str, lang: str, alternates: dict[str, str] | None,
               absolute: bool, *parts: object) -> str:  # fmt: skip
        return render_key(
            salt, template_fp(template), url, template, lang, sorted((alternates or {}).items()),
            absolute, shared[lang].signature, *parts,
        )  # fmt: skip

    def render_one(
        url: str,
        template: str,
        lang: str,
        extra: dict[str, Any],
        *,
        source: str,
        alternates: dict[str, str] | None = None,
        absolute: bool = False,
    ) -> tuple[str, bytes | None, list[Diagnostic]]:
        cat = catalogue(lang)
        ctx = _common(cfg, cat, lang, url, shared[lang], versions, alternates or {},
                      absolute=absolute)  # fmt: skip
        ctx.update(extra)
        html, more = render(env, template, ctx, root, source)
        return output_file(url), (html.encode("utf-8") if html is not None else None), more

    def emit(url: str, template: str, lang: str, extra: dict[str, Any], **kw: Any) -> None:
        """Render one generated page, unless the last build's file can be kept."""
        key = key_of(url, template, lang, kw.get("alternates"), kw.get("absolute", False),
                     _fingerprint(extra, view_keys))  # fmt: skip
        if sink.reuse(output_file(url), key) is not None:
            return
        name, data, more = render_one(url, template, lang, extra, **kw)
        diags.extend(more)
        if data is not None:
            sink.put(name, data, key)

    def per_lang(path: str) -> dict[str, str]:
        """The same generated page in every language."""
        return {lg: lang_prefix(lg, default) + path for lg in langs}

    # What a listed study stands for in a listing's render key: a hash of its metadata (an
    # edit to a study's text alone does not change the listings).
    view_keys = {r.page.url: r.meta_key or repr(r.page.meta) for r in model.results}
    per: dict[str, _LangState] = {}
    for lang in langs:
        cat = catalogue(lang)
        prefix = lang_prefix(lang, default)
        studies: list[StudyView] = []
        for r in by_lang[lang]:
            if r.page.kind == "study":
                assert isinstance(r.page.meta, StudyMeta)
                studies.append(study_view(r.page.meta, r.page.url, prefix, cat))
        studies = sort_studies(studies)
        per[lang] = _LangState(cat, prefix, studies, {s.url: s for s in studies})
    # Studies near me: each study card's site coordinates, and the place tables (only if
    # some site has a known place).
    near = {
        r.page.url: nearme.points_attr(nearme.study_points(r.page.meta))
        for r in model.results
        if isinstance(r.page.meta, StudyMeta)
    }
    near = {url: attr for url, attr in near.items() if attr}

    # Results pages and their study pages link to each other.
    result_of_path, result_of_study, _ = results_pages.link_checks(
        results_pages.linked([r.page for r in model.results])
    )
    page_by_url = {r.page.url: r.page for r in model.results}

    def pair_link(page: Any) -> tuple[str, str, str] | None:
        """(URL, title, language) of the page's results page (for a study) or study page."""
        other = result_of_path.get(page.path) or result_of_study.get(page.url)
        if other is None:
            return None
        return other, page_by_url[other].meta.title, page_by_url[other].lang

    items = [(lang, r) for lang in langs for r in by_lang[lang]]
    used_by_lang: dict[str, list[Term]] = {lang: [] for lang in langs}
    todo: list[tuple[int, str]] = []
    for index, (lang, r) in enumerate(items):
        page = r.page
        updated = str(page.meta.updated) if page.meta.updated else None
        sitemap.append((page.url, updated))
        key = page.meta.translation_key
        alts = translations.get((page.kind, key), {}) if key else {}
        template = TEMPLATES.get(page.kind, "page.html")
        # The content cache key stands for the page's own source; the HTML (with resolved
        # links) for the URLs of the pages it links to.
        own = r.key or (repr(page.meta), r.rendered.headings)
        body_html = r.annotated.html if r.annotated is not None else r.rendered.html
        rkey = key_of(
            page.url, template, lang, alts, False, page.kind, own, body_html, pair_link(page),
            model.stale.get(page.path),
        )  # fmt: skip
        kept = sink.reuse(output_file(page.url), rkey)
        if kept is not None:
            used_by_lang[lang].extend(kept.extra or ())
        else:
            todo.append((index, rkey))

    def page_job(n: int) -> _PageOut:
        """Render one content page (pure but for the sink: safe in a forked worker)."""
        index, rkey = todo[n]
        lang, r = items[index]
        st = per[lang]
        page = r.page
        meta = page.meta
        key = meta.translation_key
        alts = translations.get((page.kind, key), {}) if key else {}
        canonical = cfg.base_url + page.url
        body = r.annotated or annotate_body(r.rendered.html, page.url, lang, cfg, root)
        extra: dict[str, Any] = {
            "title": meta.title,
            "description": meta.summary or meta.title,
            "body": Markup(body.html),
            "headings": r.rendered.headings,
            "kind": page.kind,
            "updated": str(meta.updated) if meta.updated else None,
            "translation_notice": _translation_notice(
                model.stale.get(page.path), page.url, cat, page_by_url
            ),
        }
        if page.kind == "study":
            assert isinstance(meta, StudyMeta)
            view = st.views[page.url]
            extra.update(_study_extra(meta, view, body, page.url, st.cat, shared[lang].contact))
            data = jsonld.study_jsonld(meta, canonical, page.lang, meta.summary)
            extra["jsonld"] = Markup(jsonld.dumps(data))
            extra["results_link"] = _pair(pair_link(page), page.url)
            template = "study.html"
        elif page.kind == "result":
            assert isinstance(meta, ResultMeta)
            extra.update(_result_extra(meta, body, lang))
            extra["study_link"] = _pair(pair_link(page), page.url)
            template = "result.html"
        else:
            template = "page.html"
        name, out, more = render_one(
            page.url, template, lang, extra, source=page.path, alternates=alts
        )
        used = tuple(body.used)
        shipped = sink.ship(name, out, rkey, used) if out is not None else None
        return _PageOut(lang, shipped, used, tuple(more))

    for out in run_jobs(page_job, len(todo), jobs):
        diags.extend(out.diagnostics)
        if out.shipped is not None:
            sink.receive(out.shipped)
        used_by_lang[out.lang].extend(out.used)

    for lang in langs:
        st = per[lang]
        cat, prefix, studies = st.cat, st.prefix, st.studies
        used = used_by_lang[lang]
        conditions: dict[str, list[StudyView]] = {}
        for s in studies:
            for c in s.conditions:
                conditions.setdefault(c.text, []).append(s)
        condition_links = sorted(
            (Link(name, f"{prefix}conditions/{slugify(name)}/") for name in conditions),
            key=lambda link: link.text.casefold(),
        )
        texts = cfg.texts(lang)
        emit(
            prefix,
            "home.html",
            lang,
            {
                "title": texts.title,
                "description": texts.description or cat.t("studies_intro"),
                "studies": studies,
                "other_studies": other_language_studies(lang, {k: per[k].studies for k in langs}),
                "language_names": {k: cat.t(f"language_names.{k}") for k in LANGUAGES},
                "conditions": condition_links,
                "finder": finder_options(studies, cat),
                "near": _near_of(studies, near),
                "scripts": (["finder.js"] if studies else []) + _near_js(studies, near),
                "kind": "home",
            },
            source="home",
            alternates=per_lang(""),
        )
        sitemap.append((prefix, None))
        emit(
            f"{prefix}conditions/",
            "conditions.html",
            lang,
            {
                "title": cat.t("conditions_heading"),
                "description": cat.t("conditions_description"),
                "conditions": [(link, len(conditions[link.text])) for link in condition_links],
                "kind": "conditions",
            },
            source="conditions",
            alternates=per_lang("conditions/"),
        )
        sitemap.append((f"{prefix}conditions/", None))
        for link in condition_links:
            emit(
                link.url,
                "condition.html",
                lang,
                {
                    "title": cat.t("condition_studies", name=link.text),
                    "description": cat.t("condition_description", name=link.text),
                    "condition": link,
                    "studies": conditions[link.text],
                    "near": _near_of(conditions[link.text], near),
                    "scripts": _near_js(conditions[link.text], near),
                    "kind": "condition",
                },
                source=f"condition {link.text}",
                alternates=condition_alts.get(link.url),
            )
            sitemap.append((link.url, None))
        emit(
            prefix + GLOSSARY,
            "glossary.html",
            lang,
            {
                "title": cat.t("glossary_title"),
                "description": cat.t("glossary_intro"),
                "entries": glossary_entries(used),
                "kind": "glossary",
            },
            source="glossary",
            alternates=per_lang(GLOSSARY),
        )
        sitemap.append((prefix + GLOSSARY, None))
        emit(
            prefix + SEARCH,
            "search.html",
            lang,
            {
                "title": cat.t("search_title"),
                "description": cat.t("search_intro"),
                "kind": "search",
                "csp": SEARCH_CSP,
                "scripts": ["search.js"],
            },
            source="search",
            alternates=per_lang(SEARCH),
        )
        emit(
            prefix + ACCESSIBILITY,
            "accessibility.html",
            lang,
            {
                "title": cat.t("a11y.title"),
                "description": cat.t("a11y.intro", site=texts.title),
                "kind": "accessibility",
                "statement": accessibility_statement(cfg, lang),
            },
            source="accessibility",
            alternates=per_lang(ACCESSIBILITY),
        )
        sitemap.append((prefix + ACCESSIBILITY, None))
        emit(
            prefix + "404.html",
            "404.html",
            lang,
            {
                "title": cat.t("not_found_title"),
                "description": cat.t("not_found_text"),
                "kind": "404",
            },
            source="404",
            alternates=per_lang("404.html"),
            absolute=True,  # served for any missing path, so links start at the site root
        )

    for name, data in assets.items():
        sink.put(name, data)
    if near:
        sites = [s for r in model.results if isinstance(r.page.meta, StudyMeta)
                 for s in r.page.meta.sites]  # fmt: skip
        for name, data in nearme.tables(sites).items():
            sink.put(name, data)
    sink.put("sitemap.xml", _sitemap(cfg.base_url, sitemap))
    sink.put(
        "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {cfg.base_url}sitemap.xml\n".encode()
    )
    diags.extend(sink.problems)
    files = dict(sorted(sink.files.items())) if isinstance(sink, MemorySink) else {}
    return files, diags


def _near_of(studies: Sequence[StudyView], near: Mapping[str, str]) -> dict[str, str]:
    """The ``data-near`` value of each listed study that has a known place."""
    return {s.url: near[s.url] for s in studies if s.url in near}


def _near_js(studies: Sequence[StudyView], near: Mapping[str, str]) -> list[str]:
    """``near.js`` where a listing has a study with a known place."""
    return ["near.js"] if _near_of(studies, near) else []


def other_language_studies(
    lang: str, studies: dict[str, list[StudyView]]
) -> list[tuple[str, StudyView]]:
    """(language, study) for the studies published only in other languages than ``lang``
    (none of their translations is in ``lang``), by language, then as listed there."""
    here = {v.meta.translation_key for v in studies.get(lang, []) if v.meta.translation_key}
    return [
        (other, v)
        for other in sorted(studies)
        if other != lang
        for v in studies[other]
        if not (v.meta.translation_key and v.meta.translation_key in here)
    ]


def _fingerprint(value: Any, view_keys: dict[str, str]) -> Any:
    """``value`` for a render key, with each listed study replaced by its page's metadata
    key (a study's view is made from its metadata and URL alone; its repr is long)."""
    if isinstance(value, StudyView):
        return ("study", value.url, view_keys.get(value.url) or repr(value))
    if isinstance(value, dict):
        return sorted((k, _fingerprint(v, view_keys)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [_fingerprint(v, view_keys) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, [_fingerprint(getattr(value, f.name), view_keys)
                                       for f in fields(value)])  # fmt: skip
    return value


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


@dataclass(frozen=True)
class _Shared:
    """What every page of one language shows of the other pages: navigation and contact."""

    nav_pages: tuple[Any, ...]  # pipeline.Page, in menu order
    contact: Any  # pipeline.Page | None
    signature: tuple[Any, ...]  # for render keys


def _shared(results: Sequence[PageResult]) -> _Shared:
    nav_pages = tuple(
        sorted(
            (
                r.page
                for r in results
                if r.page.kind == "page" and getattr(r.page.meta, "order", None) is not None
            ),
            key=lambda p: (getattr(p.meta, "order", 0), p.url),
        )
    )
    contact = _contact_page(results)
    signature = (
        tuple((p.meta.title, p.url) for p in nav_pages),
        contact.url if contact is not None else None,
    )
    return _Shared(nav_pages, contact, signature)


def _study_extra(
    meta: StudyMeta,
    view: StudyView,
    body: Annotated,
    url: str,
    cat: Catalogue,
    contact_page: Any,
) -> dict[str, Any]:
    """Template values only study pages have: sections, the pre-screener, its script."""
    intro, sections = split_sections(body.html)
    if meta.contacts:
        contact: str | None = "#contact-team"
    else:  # the site's contact page in the study's language
        contact = relative_url(url, contact_page.url) if contact_page else None
    other = relative_url(url, view.conditions[0].url) if view.conditions else None
    prescreen = build_prescreen(
        meta,
        cat,
        age_text=view.age_text,
        sex_text=view.sex_text,
        contact_url=contact,
        other_url=other,
    )
    return {
        "study": view,
        "intro": intro,
        "sections": sections,
        "prescreen": prescreen,
        "scripts": ["prescreen.js"] if prescreen else [],
    }


def accessibility_statement(cfg: SiteConfig, lang: str) -> dict[str, Any]:
    """The accessibility statement's facts from ``site.yml`` (``accessibility``), in ``lang``:
    limits fall back to the other language's text when one is missing."""
    a = cfg.accessibility
    other = "en" if lang == "es" else "es"
    limits = [getattr(lim, lang) or getattr(lim, other) for lim in a.limitations]
    contact = a.contact or cfg.organisation.email or cfg.organisation.phone
    return {
        "standard": a.standard,
        "level": a.level,
        "status": a.status,
        "limitations": [x for x in limits if x],
        "contact": contact,
        "contact_is_email": bool(contact and "@" in contact),
        "reviewed": str(a.reviewed) if a.reviewed else None,
    }


def _pair(link: tuple[str, str, str] | None, url: str) -> dict[str, str] | None:
    """A link to the paired results or study page, relative to ``url``, with its language
    (a study may exist only in the site's language)."""
    if link is None:
        return None
    return {"url": relative_url(url, link[0]), "title": link[1], "lang": link[2]}


def _result_extra(meta: ResultMeta, body: Annotated, lang: str) -> dict[str, Any]:
    """Template values of a results page: its sections in Annex V order, each with the
    icon arrays drawn after it."""
    intro, sections = split_sections(body.html)
    icons = results_pages.icon_arrays_by_section(meta, lang)
    out = []
    for s in sections:
        key = results_pages.element_of(s.heading.striptags())
        out.append({"section": s, "key": key, "icons": icons.pop(key, []) if key else []})
    return {"intro": intro, "result_sections": out}


def _contact_page(results: Sequence[PageResult]) -> Any:
    """The plain page people use to contact the site (translation key or slug "contact")."""
    return next(
        (
            r.page
            for r in results
            if r.page.kind == "page" and "contact" in (r.page.meta.translation_key, r.page.slug)
        ),
        None,
    )


def condition_translations(
    results: Sequence[PageResult], default: str
) -> dict[str, dict[str, str]]:
    """Condition page URL -> {lang: URL} for conditions whose translation is certain.

    Two studies that are translations of each other (same ``translation_key``) and list the
    same number of conditions pair them in order ("Asthma" <-> "Asma"). A condition paired
    with two different names in another language gets no alternates.
    """
    groups: dict[str, dict[str, StudyMeta]] = {}
    for r in results:
        meta = r.page.meta
        if r.page.kind == "study" and meta.translation_key and isinstance(meta, StudyMeta):
            groups.setdefault(meta.translation_key, {})[r.page.lang] = meta
    pairs: dict[tuple[str, str], dict[str, set[str]]] = {}
    for metas in groups.values():
        for lang, meta in metas.items():
            for other, ometa in metas.items():
                if other == lang or len(ometa.conditions) != len(meta.conditions):
                    continue
                for name, oname in zip(meta.conditions, ometa.conditions, strict=True):
                    pairs.setdefault((lang, name), {}).setdefault(other, set()).add(oname)
    out: dict[str, dict[str, str]] = {}
    for (lang, name), others in sorted(pairs.items()):
        alts = {lang: f"{lang_prefix(lang, default)}conditions/{slugify(name)}/"}
        for other, names in others.items():
            if len(names) == 1:
                alts[other] = (
                    f"{lang_prefix(other, default)}conditions/{slugify(next(iter(names)))}/"
                )
        if len(alts) > 1:
            out[alts[lang]] = alts
    return out


def _translation_notice(
    stale: Stale | None, url: str, cat: Catalogue, published: Mapping[str, Any]
) -> dict[str, str] | None:
    """The notice on a translation that may be out of date, in the reader's language; the
    link to the original only when the original is published (it may be withheld)."""
    if stale is None:
        return None
    language = cat.t(f"language_names.{stale.original_lang}")
    linked = stale.original_url in published
    return {
        "text": cat.t(f"translation_{stale.state}", language=language),
        "link": cat.t("translation_original", language=language) if linked else "",
        "url": relative_url(url, stale.original_url) if linked else "",
        "lang": stale.original_lang,
    }


def _common(
    cfg: SiteConfig,
    cat: Catalogue,
    lang: str,
    url: str,
    shared: _Shared,
    versions: dict[str, str],
    alternates: dict[str, str],
    *,
    absolute: bool = False,
) -> dict[str, Any]:
    prefix = lang_prefix(lang, cfg.language)
    nav = [Link(cat.t("all_studies"), prefix)] + [
        Link(p.meta.title, p.url) for p in shared.nav_pages
    ]
    contact = shared.contact

    root_path = "/" + cfg.base_url.split("://", 1)[-1].partition("/")[2]

    def to(target: str) -> str:
        return root_path + target if absolute else relative_url(url, target)

    def asset(name: str) -> str:
        rel = to("assets/" + name)
        v = versions.get("assets/" + name)
        return f"{rel}?v={v}" if v else rel

    texts = cfg.texts(lang)
    alts = [
        {
            "lang": lg,
            "name": catalogue(lg).t("lang_name"),
            "url": to(target),
            "href": cfg.base_url + target,
        }
        for lg, target in sorted(alternates.items())
    ]
    return {
        "translation_notice": None,
        "site": cfg,
        "lang": lang,
        "t": cat.t,
        "url": to,
        "asset": asset,
        "page_url": url,
        "canonical": cfg.base_url + url,
        "home_url": to(prefix),
        "nav": [
            {"text": link.text, "url": to(link.url), "current": link.url == url} for link in nav
        ],
        "alternates": [a for a in alts if a["lang"] != lang],
        "hreflang": alts if len(alts) > 1 else [],
        "contact_url": to(contact.url) if contact else None,
        "csp": feedback.csp(CSP, cfg.feedback),
        "feedback": feedback.form_context(
            cfg.feedback, url, lang, cat.t("feedback.mail_body", page=cfg.base_url + url)
        ),
        "accessibility_url": to(prefix + ACCESSIBILITY),
        "jsonld": None,
        "headings": (),
        "updated": None,
        "logo_url": asset(logo_name(cfg.brand.logo)) if cfg.brand.logo else None,
        "site_title": texts.title,
        "site_tagline": texts.tagline,
        "organisation_name": texts.organisation,
        "search_url": to(prefix + SEARCH),
        "glossary_url": to(prefix + GLOSSARY),
        "conditions_url": to(prefix + "conditions/"),
        "base_path": root_path,
        "scripts": [],
        "prescreen": None,
    }


def _sitemap(base_url: str, entries: list[tuple[str, str | None]]) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, updated in sorted(set(entries)):
        lines.append("  <url>")
        lines.append(f"    <loc>{xml_escape(base_url + url)}</loc>")
        if updated and len(updated) == 10:
            lines.append(f"    <lastmod>{updated}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
