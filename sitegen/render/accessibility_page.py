"""The accessibility statement of each language, from ``site.yml`` (``accessibility``)."""

from __future__ import annotations

from typing import Any

from sitegen.content.config import SiteConfig
from sitegen.core.urls import ACCESSIBILITY
from sitegen.render.context import GeneratedPage, SiteRender


def accessibility_page(site: SiteRender, lang: str) -> GeneratedPage:
    """The accessibility statement page of ``lang``."""
    st = site.per[lang]
    cfg = site.config
    extra = {
        "title": st.cat.t("a11y.title"),
        "description": st.cat.t("a11y.intro", site=cfg.texts(lang).title),
        "kind": "accessibility",
        "statement": accessibility_statement(cfg, lang),
    }
    return GeneratedPage(st.prefix + ACCESSIBILITY, "accessibility.html", lang, extra,
                         "accessibility", site.per_lang(ACCESSIBILITY))  # fmt: skip


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
