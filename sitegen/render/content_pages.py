"""The pages content files make: study pages, results pages and plain pages. One function
per kind gives the template values only that kind has; ``content_page`` adds what all three
share and renders the page. Pure: safe to run in a forked worker process.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from sitegen.content import results as results_pages
from sitegen.content.model import ResultMeta, StudyMeta
from sitegen.content.pages import Page
from sitegen.content.translations import Stale
from sitegen.core.diagnostics import Diagnostic
from sitegen.core.urls import relative_url
from sitegen.i18n import Catalogue
from sitegen.render import jsonld
from sitegen.render.body import annotate_body
from sitegen.render.context import SiteRender, render_page
from sitegen.render.definitions import Annotated
from sitegen.render.glossary import Term
from sitegen.render.prescreen import build_prescreen
from sitegen.render.sections import split_sections
from sitegen.render.stages import PageResult
from sitegen.render.views import Link, StudyView

#: the template of each kind of content page
TEMPLATES = {"study": "study.html", "result": "result.html", "page": "page.html"}


def template_of(page: Page) -> str:
    """The template a content page is rendered with."""
    return TEMPLATES.get(page.kind, "page.html")


def shown_of(site: SiteRender, r: PageResult) -> tuple[Any, ...]:
    """What a content page shows besides the site-wide parts, for its render key: its kind,
    its own source (the content cache key, else its metadata and headings), its body with
    resolved links (the URLs of the pages it links to), its paired page and its notice."""
    page = r.page
    own = r.key or (repr(page.meta), r.rendered.headings)
    if r.key and r.links is not None and r.annotated is not None:
        # the body is the cache key's; what its links resolve to, the targets' URLs
        body_html: object = [(t, r.links.get(t)) for t in r.annotated.targets]
    else:
        body_html = r.body_html()
    stale = site.model.stale.get(page.path)
    st = site.per[page.lang]
    view = st.views.get(page.url) if page.kind == "study" else None
    other = other_condition(view, st.condition_counts) if view else None
    return page.kind, own, body_html, site.pair_link(page), stale, other


def other_condition(view: StudyView, counts: Mapping[str, int]) -> Link | None:
    """The first of a study's conditions whose page lists other studies too (``counts``:
    condition page URL -> studies listed), or None: "See other studies about Asthma" must
    not lead to a page that lists only this study."""
    return next((c for c in view.conditions if counts.get(c.url, 0) > 1), None)


def content_page(
    site: SiteRender, r: PageResult
) -> tuple[str, bytes | None, tuple[Term, ...], list[Diagnostic]]:
    """Render one content page: (file name, bytes or None, the glossary terms it used,
    diagnostics)."""
    cfg = site.config
    page = r.page
    meta = page.meta
    lang = page.lang
    st = site.per[lang]
    if r.annotated is not None:
        body = dataclasses.replace(r.annotated, html=r.body_html())
    else:
        body = annotate_body(r.rendered.html, page.url, lang, cfg, site.model.root)
    extra: dict[str, Any] = {
        "title": meta.title,
        "description": meta.summary or meta.title,
        "body": Markup(body.html),
        "headings": r.rendered.headings,
        "kind": page.kind,
        "updated": str(meta.updated) if meta.updated else None,
        "translation_notice": translation_notice(
            site.model.stale.get(page.path), page.url, st.cat, site.page_by_url
        ),
    }
    pair = _pair(site.pair_link(page), page.url)
    if isinstance(meta, StudyMeta) and page.kind == "study":
        contact = site.shared[lang].contact
        view = st.views[page.url]
        other = other_condition(view, st.condition_counts)
        extra.update(study_page(meta, view, body, page.url, st.cat, contact, other))
        data = jsonld.study_jsonld(meta, cfg.base_url + page.url, page.lang, meta.summary)
        extra["jsonld"] = Markup(jsonld.dumps(data))
        extra["results_link"] = pair
    elif isinstance(meta, ResultMeta) and page.kind == "result":
        extra.update(result_page(meta, body, lang))
        extra["study_link"] = pair
    name, out, more = render_page(site, page.url, template_of(page), lang, extra,
                                  source=page.path, alternates=site.alternates(page))  # fmt: skip
    return name, out, tuple(body.used), more


def study_page(
    meta: StudyMeta,
    view: StudyView,
    body: Annotated,
    url: str,
    cat: Catalogue,
    contact_page: Page | None,
    other: Link | None = None,
) -> dict[str, Any]:
    """Template values only study pages have: sections, the pre-screener, its script.
    ``other``: the condition page the pre-screener suggests for other studies."""
    intro, sections = split_sections(body.html)
    if meta.contacts:
        contact: str | None = "#contact-team"
    else:  # the site's contact page in the study's language
        contact = relative_url(url, contact_page.url) if contact_page else None
    prescreen = build_prescreen(
        meta,
        cat,
        age_text=view.age_text,
        sex_text=view.sex_text,
        contact_url=contact,
        other_url=relative_url(url, other.url) if other else None,
        other_name=other.text if other else None,
    )
    return {
        "study": view,
        "intro": intro,
        "sections": sections,
        "prescreen": prescreen,
        "scripts": ["prescreen.js"] if prescreen else [],
    }


def result_page(meta: ResultMeta, body: Annotated, lang: str) -> dict[str, Any]:
    """Template values of a results page: its sections in Annex V order, each with the
    icon arrays drawn after it."""
    intro, sections = split_sections(body.html)
    icons = results_pages.icon_arrays_by_section(meta, lang)
    out = []
    for s in sections:
        key = results_pages.element_of(s.heading.striptags())
        out.append({"section": s, "key": key, "icons": icons.pop(key, []) if key else []})
    return {"intro": intro, "result_sections": out}


def _pair(link: tuple[str, str, str] | None, url: str) -> dict[str, str] | None:
    """A link to the paired results or study page, relative to ``url``, with its language
    (a study may exist only in the site's language)."""
    if link is None:
        return None
    return {"url": relative_url(url, link[0]), "title": link[1], "lang": link[2]}


def translation_notice(
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
