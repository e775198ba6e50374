"""The 404 page of each language (``404.html``): served for any missing path, so its links
start at the site root. Not listed in the sitemap."""

from __future__ import annotations

from sitegen.core.urls import NOT_FOUND
from sitegen.render.context import GeneratedPage, SiteRender


def not_found_page(site: SiteRender, lang: str) -> GeneratedPage:
    """The "page not found" page of ``lang``."""
    st = site.per[lang]
    extra = {
        "title": st.cat.t("not_found_title"),
        "description": st.cat.t("not_found_text"),
        "kind": "404",
    }
    return GeneratedPage(st.prefix + NOT_FOUND, "404.html", lang, extra, "404",
                         site.per_lang(NOT_FOUND), absolute=True, in_sitemap=False)  # fmt: skip
