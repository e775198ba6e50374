"""What the site is made of, page type by page type: the driver of the render stage.

``prepare_site`` gathers what every page function reads (templates, assets, each language's
pages and studies). Content pages are rendered by ``content_pages``; per language,
``generated_pages`` lists the pages no content file makes, each from the module named for
it: the home page listing (``home``), condition pages (``conditions``), the Glossary
(``glossary_page``), search (``search_page``), the accessibility statement
(``accessibility_page``) and the 404 page (``not_found_page``). Assets, "studies near me"
tables (``assets``), ``sitemap.xml`` and ``robots.txt`` (``sitemap``) complete the site.

Which files are rendered and which are kept from the last build, and in which processes,
is the build's business (``build/rendering.py``); nothing here writes a file.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import partial

from sitegen.content import results as results_pages
from sitegen.content.model import Site, StudyMeta
from sitegen.core.urls import lang_prefix
from sitegen.i18n import catalogue
from sitegen.render import nearme
from sitegen.render.accessibility_page import accessibility_page
from sitegen.render.assets import asset_versions, site_assets
from sitegen.render.conditions import (
    condition_links,
    condition_pages,
    condition_translations,
    conditions_page,
    studies_by_condition,
)
from sitegen.render.context import GeneratedPage, LangState, SiteModel, SiteRender, shared_of
from sitegen.render.glossary import Term
from sitegen.render.glossary_page import glossary_page
from sitegen.render.home import home_pages
from sitegen.render.memory import RenderMemory, recall
from sitegen.render.nearme import Point
from sitegen.render.not_found_page import not_found_page
from sitegen.render.search_page import search_page
from sitegen.render.stages import PageResult
from sitegen.render.templates import make_environment
from sitegen.render.views import StudyView, sort_studies, study_view


def prepare_site(
    model: SiteModel, point_of: Callable[[Site], Point | None] = nearme.site_point
) -> SiteRender:
    """Everything the page functions read, computed once per build (``point_of``: where a
    study site is, ``nearme.site_point`` or a cache of it). With a render memory whose last
    site had the same pages (``_changed_pages``), what depends on every page is kept from it."""
    memory = model.memory
    last = memory.site if memory is not None else None
    changed = _changed_pages(last.model, model) if isinstance(last, SiteRender) else None
    if isinstance(last, SiteRender) and changed is not None:
        site = _patched(last, model, changed)
    else:
        site = _prepared(model, point_of)
    if memory is not None:
        memory.site = site
    return site


def _changed_pages(old: SiteModel, new: SiteModel) -> list[int] | None:
    """The positions of the pages that are not the very same result objects, when ``new``
    has the pages of ``old`` in the same order, each with the very metadata and URL objects
    (``pagememory.kept_metadata``) and the same path, kind, language, slug and position of
    ``study:``: then every listing, language state, translation and results link of the
    site is the same. None when it does not."""
    if old.config != new.config or len(old.results) != len(new.results):
        return None
    pairs = enumerate(zip(old.results, new.results, strict=True))
    changed = [i for i, (a, b) in pairs if a is not b]
    for i in changed:
        a, b = old.results[i].page, new.results[i].page
        if not b.kept_from(a) or a.fm.positions.get("study") != b.fm.positions.get("study"):
            return None
    return changed


#: above this many changed pages, ``_patched`` lists every language's pages again
_PATCH_MAX = 64


def _patched(last: SiteRender, model: SiteModel, changed: list[int]) -> SiteRender:
    """``last`` for ``model`` (``_changed_pages``: the results at positions ``changed`` are
    new objects for the same pages): its templates, listings, translations, places and
    navigation kept (``shared`` is made of pages' metadata and URLs, the very same objects);
    the pages themselves and the assets from ``model``; ``same_context``, with the pages
    whose translation state changed (``restale``)."""
    if len(changed) > _PATCH_MAX:
        by_lang: dict[str, list[PageResult]] = {lang: [] for lang in last.langs}
        for r in model.results:
            by_lang[r.page.lang].append(r)
        page_by_url = {r.page.url: r.page for r in model.results}
    else:  # copied at C speed, the few new results put in place
        by_lang = {lang: list(results) for lang, results in last.by_lang.items()}
        page_by_url = dict(last.page_by_url)
        for i in changed:
            old, new = last.model.results[i], model.results[i]
            same_lang = by_lang[new.page.lang]
            same_lang[next(j for j, r in enumerate(same_lang) if r is old)] = new
            page_by_url[new.page.url] = new.page
    assets = site_assets(model.root, model.config)
    return dataclasses.replace(
        last,
        model=model,
        assets=assets,
        versions=asset_versions(assets),
        by_lang=by_lang,
        page_by_url=page_by_url,
        same_context=True,
        restale=_restale(last.model.stale, model.stale),
    )


def _restale(old: Mapping[str, object], new: Mapping[str, object]) -> frozenset[str]:
    """The pages whose translation state differs between ``old`` and ``new``."""
    if old == new:
        return frozenset()
    return frozenset(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))


def _prepared(model: SiteModel, point_of: Callable[[Site], Point | None]) -> SiteRender:
    """``prepare_site`` from nothing."""
    cfg, root, default = model.config, model.root, model.config.language
    assets = site_assets(root, cfg)
    langs = sorted({r.page.lang for r in model.results} | {default}, key=lambda x: x != default)
    by_lang: dict[str, list[PageResult]] = {lang: [] for lang in langs}
    translations: dict[tuple[str, str], dict[str, str]] = {}
    for r in model.results:
        by_lang[r.page.lang].append(r)
        key = r.page.meta.translation_key
        if key:
            translations.setdefault((r.page.kind, key), {})[r.page.lang] = r.page.url
    result_of_path, result_of_study, _ = results_pages.link_checks(
        results_pages.linked([r.page for r in model.results])
    )
    return SiteRender(
        model=model,
        env=make_environment(root / cfg.templates_dir),
        assets=assets,
        versions=asset_versions(assets),
        langs=langs,
        by_lang=by_lang,
        shared={lang: shared_of(by_lang[lang]) for lang in langs},
        per={lang: _lang_state(lang, default, by_lang[lang]) for lang in langs},
        translations=translations,
        condition_alts=condition_translations(model.results, default),
        near=_near(model.results, point_of, model.memory),
        result_of_path=result_of_path,
        result_of_study=result_of_study,
        page_by_url={r.page.url: r.page for r in model.results},
    )


def _lang_state(lang: str, default: str, results: Iterable[PageResult]) -> LangState:
    """The catalogue, URL prefix and listed studies of one language."""
    cat = catalogue(lang)
    prefix = lang_prefix(lang, default)
    studies: list[StudyView] = []
    for r in results:
        if r.page.kind == "study":
            assert isinstance(r.page.meta, StudyMeta)
            studies.append(study_view(r.page.meta, r.page.url, prefix, cat))
    studies = sort_studies(studies)
    counts = Counter(c.url for s in studies for c in s.conditions)
    return LangState(cat, prefix, studies, {s.url: s for s in studies}, dict(counts))


def _near(
    results: Iterable[PageResult],
    point_of: Callable[[Site], Point | None],
    memory: RenderMemory | None = None,
) -> dict[str, str]:
    """Studies near me: each study's site coordinates (only studies with a known place)."""
    near: dict[str, str] = {}
    for r in results:
        meta = r.page.meta
        if isinstance(meta, StudyMeta):
            made = partial(_points_attr, meta, point_of)
            near[r.page.url] = recall(memory, "near", r.page.path, meta, None, made)
    return {url: attr for url, attr in near.items() if attr}


def _listings(site: SiteRender, lang: str) -> list[GeneratedPage]:
    """The home page listing and the condition pages of ``lang``."""
    st = site.per[lang]
    conditions = studies_by_condition(st.studies)
    links = condition_links(conditions, st.prefix)
    return [
        *home_pages(site, lang, links),
        conditions_page(site, lang, conditions, links),
        *condition_pages(site, lang, conditions, links),
    ]


def _points_attr(meta: StudyMeta, point_of: Callable[[Site], Point | None]) -> str:
    return nearme.points_attr(nearme.study_points(meta, point_of))


def generated_pages(site: SiteRender, lang: str, used: Iterable[Term]) -> list[GeneratedPage]:
    """The pages of ``lang`` that no content file makes, in order (``used``: the glossary
    terms its content pages marked up). The listings are the last build's very pages while
    the languages' listed studies are the very same (``prepare_site`` kept them)."""
    context = (site.near, site.condition_alts, site.langs, repr(site.config))
    listings = recall(site.model.memory, "listings", lang, site.per, context,
                      partial(_listings, site, lang))  # fmt: skip
    return [
        *listings,
        glossary_page(site, lang, used),
        search_page(site, lang),
        accessibility_page(site, lang),
        not_found_page(site, lang),
    ]
