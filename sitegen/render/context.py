"""What every rendered page of a site shares: the site's URL scheme for generated pages, the
Content-Security-Policy, the navigation and contact page of each language, and the template
values every page has (``page_context``). ``SiteRender`` holds what the page functions of one
build read (settings, templates, assets, the studies of each language); ``render_page`` turns
one page's own values into bytes. Pure but for reading templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from sitegen.content.brand import logo_name
from sitegen.content.config import SiteConfig
from sitegen.content.pages import Page
from sitegen.content.translations import Stale
from sitegen.core.diagnostics import Diagnostic
from sitegen.core.urls import (
    ACCESSIBILITY,
    CONDITIONS,
    GLOSSARY,
    SEARCH,
    lang_prefix,
    output_file,
    relative_url,
    site_path,
)
from sitegen.i18n import LANGUAGES, Catalogue, catalogue
from sitegen.render import feedback
from sitegen.render.facts import date_text
from sitegen.render.memory import RenderMemory
from sitegen.render.stages import PageResult
from sitegen.render.templates import render
from sitegen.render.views import Link, StudyView

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)


@dataclass(frozen=True)
class SiteModel:
    """Everything needed to render the site."""

    root: Path
    config: SiteConfig
    results: Sequence[PageResult]
    languages: Sequence[str]
    #: translations published with a notice that they may be out of date (``translations``)
    stale: Mapping[str, Stale] = field(default_factory=dict)
    #: what the last build of this process computed per page (the preview; ``memory``)
    memory: RenderMemory | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Shared:
    """What every page of one language shows of the other pages: navigation and contact."""

    nav_pages: tuple[Page, ...]  # in menu order
    contact: Page | None
    signature: tuple[Any, ...]  # for render keys


def shared_of(results: Sequence[PageResult]) -> Shared:
    """The navigation (plain pages with an ``order``) and contact page of one language."""
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
    contact = contact_page(results)
    signature = (
        tuple((p.meta.title, p.url) for p in nav_pages),
        contact.url if contact is not None else None,
    )
    return Shared(nav_pages, contact, signature)


def contact_page(results: Sequence[PageResult]) -> Page | None:
    """The plain page people use to contact the site (translation key or slug "contact")."""
    return next(
        (
            r.page
            for r in results
            if r.page.kind == "page" and "contact" in (r.page.meta.translation_key, r.page.slug)
        ),
        None,
    )


@dataclass(frozen=True)
class LangState:
    """One language's catalogue, URL prefix and listed studies (in listing order)."""

    cat: Catalogue
    prefix: str
    studies: list[StudyView]
    views: dict[str, StudyView]
    #: condition page URL -> how many of the listed studies it lists
    condition_counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GeneratedPage:
    """A page no content file makes (home, condition, glossary ...): its URL, template,
    language, its own template values, and how it is named in diagnostics."""

    url: str
    template: str
    lang: str
    extra: dict[str, Any]
    source: str
    alternates: dict[str, str] | None = None
    #: links start at the site root (the 404 page, served for any missing path)
    absolute: bool = False
    #: listed in sitemap.xml
    in_sitemap: bool = True


@dataclass(frozen=True)
class SiteRender:
    """What the page functions of one build read: the model, templates, asset versions,
    the languages (default first) with their pages, navigation and listed studies."""

    model: SiteModel
    env: jinja2.Environment
    #: asset name -> bytes (theme, site overrides, brand)
    assets: dict[str, bytes]
    #: asset name -> short content hash, for ``?v=`` cache busting
    versions: dict[str, str]
    langs: list[str]
    by_lang: dict[str, list[PageResult]]
    shared: dict[str, Shared]
    per: dict[str, LangState]
    #: (kind, translation key) -> {lang: url}
    translations: dict[tuple[str, str], dict[str, str]]
    #: condition page URL -> {lang: URL} where the translation is certain
    condition_alts: dict[str, dict[str, str]]
    #: study URL -> its sites' coordinates (``data-near``), for studies with a known place
    near: dict[str, str]
    #: results page path -> study URL, study URL -> results page URL
    result_of_path: dict[str, str]
    result_of_study: dict[str, str]
    page_by_url: dict[str, Page]
    #: True when this site was kept from the last build of a long-running process with the
    #: same pages (``site._patched``): what a content page's render key reads of the other
    #: pages (languages, results link) is the last build's, and so is its translation
    #: notice unless its path is in ``restale``
    same_context: bool = False
    #: the pages whose translation state changed since that build (``same_context`` only)
    restale: frozenset[str] = frozenset()

    @property
    def config(self) -> SiteConfig:
        """The site's settings."""
        return self.model.config

    def alternates(self, page: Page) -> dict[str, str]:
        """The same content page in other languages: {lang: url}."""
        key = page.meta.translation_key
        return self.translations.get((page.kind, key), {}) if key else {}

    def pair_link(self, page: Page) -> tuple[str, str, str] | None:
        """(URL, title, language) of the page's results page (for a study) or study page."""
        other = self.result_of_path.get(page.path) or self.result_of_study.get(page.url)
        if other is None:
            return None
        return other, self.page_by_url[other].meta.title, self.page_by_url[other].lang

    def per_lang(self, path: str) -> dict[str, str]:
        """The same generated page in every language."""
        return {lg: lang_prefix(lg, self.config.language) + path for lg in self.langs}


def render_page(
    site: SiteRender,
    url: str,
    template: str,
    lang: str,
    extra: dict[str, Any],
    *,
    source: str,
    alternates: dict[str, str] | None = None,
    absolute: bool = False,
) -> tuple[str, bytes | None, list[Diagnostic]]:
    """One page's file name, bytes (None if its template failed) and diagnostics."""
    cfg = site.config
    cat = catalogue(lang)
    ctx = page_context(cfg, cat, lang, url, site.shared[lang], site.versions, alternates or {},
                       absolute=absolute)  # fmt: skip
    ctx.update(extra)
    html, more = render(site.env, template, ctx, site.model.root, source)
    return output_file(url), (html.encode("utf-8") if html is not None else None), more


def render_generated(
    site: SiteRender, page: GeneratedPage
) -> tuple[str, bytes | None, list[Diagnostic]]:
    """``render_page`` for a generated page."""
    return render_page(site, page.url, page.template, page.lang, page.extra, source=page.source,
                       alternates=page.alternates, absolute=page.absolute)  # fmt: skip


def page_context(
    cfg: SiteConfig,
    cat: Catalogue,
    lang: str,
    url: str,
    shared: Shared,
    versions: dict[str, str],
    alternates: dict[str, str],
    *,
    absolute: bool = False,
) -> dict[str, Any]:
    """The template values every page has: links, navigation, language versions, CSP, and
    ``date`` (an ISO date in the words of the page's language) and the language names."""
    prefix = lang_prefix(lang, cfg.language)
    nav = [Link(cat.t("all_studies"), prefix)] + [
        Link(p.meta.title, p.url) for p in shared.nav_pages
    ]
    contact = shared.contact

    root_path = site_path(cfg.base_url)

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
        "date": partial(date_text, cat=cat),
        "language_names": {k: cat.t(f"language_names.{k}") for k in LANGUAGES},
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
        "conditions_url": to(prefix + CONDITIONS),
        "base_path": root_path,
        "scripts": [],
        "prescreen": None,
    }
