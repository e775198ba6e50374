"""Render every public file of the site from checked pages: study and plain pages, the home
page per language, condition pages, 404, sitemap, robots.txt and theme assets.

Pure apart from reading templates and assets: returns ``{relative path: bytes}`` for the
writer, in a deterministic order and content.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from . import jsonld
from .config import SiteConfig
from .diagnostics import Diagnostic
from .i18n import Catalogue, catalogue
from .model import StudyMeta, slugify
from .templates import THEME_DIR, make_environment, render
from .urls import output_file, relative_url
from .views import Link, StudyView, sort_studies, study_view

if TYPE_CHECKING:
    from .pipeline import PageResult

STATIC_DIR = THEME_DIR.parent / "static"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)


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


def _prefix(lang: str, default: str) -> str:
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


def render_site(model: SiteModel) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Render all public files."""
    cfg = model.config
    root = model.root
    default = cfg.language
    env = make_environment(root / cfg.templates_dir)
    files: dict[str, bytes] = {}
    diags: list[Diagnostic] = []
    assets = static_files(root / cfg.templates_dir)
    files.update(assets)
    versions = {
        name: hashlib.sha256(data).hexdigest()[:10] for name, data in sorted(assets.items())
    }

    langs = sorted({r.page.lang for r in model.results} | {default}, key=lambda x: x != default)
    by_lang: dict[str, list[PageResult]] = {lang: [] for lang in langs}
    for r in model.results:
        by_lang[r.page.lang].append(r)

    # Translations: (kind, key) -> {lang: url}
    translations: dict[tuple[str, str], dict[str, str]] = {}
    for r in model.results:
        key = r.page.meta.translation_key
        if key:
            translations.setdefault((r.page.kind, key), {})[r.page.lang] = r.page.url

    sitemap: list[tuple[str, str | None]] = []

    def emit(
        url: str,
        template: str,
        lang: str,
        extra: dict[str, Any],
        *,
        source: str,
        alternates: dict[str, str] | None = None,
        absolute: bool = False,
    ) -> None:
        cat = catalogue(lang)
        ctx = _common(cfg, cat, lang, url, by_lang, versions, alternates or {}, absolute=absolute)
        ctx.update(extra)
        html, more = render(env, template, ctx, root, source)
        diags.extend(more)
        if html is not None:
            files[output_file(url)] = html.encode("utf-8")

    for lang in langs:
        cat = catalogue(lang)
        prefix = _prefix(lang, default)
        studies: list[StudyView] = []
        for r in by_lang[lang]:
            if r.page.kind == "study":
                assert isinstance(r.page.meta, StudyMeta)
                studies.append(study_view(r.page.meta, r.page.url, prefix, cat))
        studies = sort_studies(studies)
        conditions: dict[str, list[StudyView]] = {}
        for s in studies:
            for c in s.conditions:
                conditions.setdefault(c.text, []).append(s)
        condition_links = sorted(
            (Link(name, f"{prefix}conditions/{slugify(name)}/") for name in conditions),
            key=lambda link: link.text.casefold(),
        )
        home_alts = {lg: _prefix(lg, default) for lg in langs}
        emit(
            prefix,
            "home.html",
            lang,
            {
                "title": cfg.title,
                "description": cfg.description or cat.t("studies_intro"),
                "studies": studies,
                "conditions": condition_links,
                "kind": "home",
            },
            source="home",
            alternates=home_alts,
        )
        sitemap.append((prefix, None))
        cond_alts = {lg: f"{_prefix(lg, default)}conditions/" for lg in langs}
        emit(
            f"{prefix}conditions/",
            "conditions.html",
            lang,
            {
                "title": cat.t("conditions_heading"),
                "description": cat.t("conditions_heading"),
                "conditions": [(link, len(conditions[link.text])) for link in condition_links],
                "kind": "conditions",
            },
            source="conditions",
            alternates=cond_alts,
        )
        sitemap.append((f"{prefix}conditions/", None))
        for link in condition_links:
            emit(
                link.url,
                "condition.html",
                lang,
                {
                    "title": cat.t("condition_studies", name=link.text),
                    "description": cat.t("condition_studies", name=link.text),
                    "condition": link,
                    "studies": conditions[link.text],
                    "kind": "condition",
                },
                source=f"condition {link.text}",
            )
            sitemap.append((link.url, None))
        views = {s.url: s for s in studies}
        for r in by_lang[lang]:
            page = r.page
            meta = page.meta
            key = meta.translation_key
            alts = translations.get((page.kind, key), {}) if key else {}
            canonical = cfg.base_url + page.url
            extra: dict[str, Any] = {
                "title": meta.title,
                "description": meta.summary or meta.title,
                "body": Markup(r.rendered.html),
                "headings": r.rendered.headings,
                "kind": page.kind,
                "updated": str(meta.updated) if meta.updated else None,
            }
            if page.kind == "study":
                assert isinstance(meta, StudyMeta)
                extra["study"] = views[page.url]
                extra["intro"], extra["sections"] = split_sections(r.rendered.html)
                data = jsonld.study_jsonld(meta, canonical, page.lang, meta.summary)
                extra["jsonld"] = Markup(jsonld.dumps(data))
                template = "study.html"
            else:
                template = "page.html"
            emit(page.url, template, lang, extra, source=page.path, alternates=alts)
            sitemap.append((page.url, str(meta.updated) if meta.updated else None))

    emit(
        "404.html",
        "404.html",
        default,
        {"title": catalogue(default).t("not_found_title"), "description": "", "kind": "404"},
        source="404",
        absolute=True,  # served for any missing path, so links start at the site root
    )
    files["sitemap.xml"] = _sitemap(cfg.base_url, sitemap)
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {cfg.base_url}sitemap.xml\n".encode()
    return dict(sorted(files.items())), diags


def _common(
    cfg: SiteConfig,
    cat: Catalogue,
    lang: str,
    url: str,
    by_lang: dict[str, list[PageResult]],
    versions: dict[str, str],
    alternates: dict[str, str],
    *,
    absolute: bool = False,
) -> dict[str, Any]:
    prefix = _prefix(lang, cfg.language)
    nav_pages = sorted(
        (
            r.page
            for r in by_lang.get(lang, [])
            if r.page.kind == "page" and getattr(r.page.meta, "order", None) is not None
        ),
        key=lambda p: (p.meta.order, p.url),  # type: ignore[union-attr]
    )
    nav = [Link(cat.t("all_studies"), prefix)] + [Link(p.meta.title, p.url) for p in nav_pages]
    contact = next((p for p in nav_pages if "contact" in (p.meta.translation_key, p.slug)), None)

    root_path = "/" + cfg.base_url.split("://", 1)[-1].partition("/")[2]

    def to(target: str) -> str:
        return root_path + target if absolute else relative_url(url, target)

    def asset(name: str) -> str:
        rel = to("assets/" + name)
        v = versions.get("assets/" + name)
        return f"{rel}?v={v}" if v else rel

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
        "csp": CSP,
        "jsonld": None,
        "headings": (),
        "updated": None,
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
