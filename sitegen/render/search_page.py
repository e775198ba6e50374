"""The search page of each language (``search.js`` draws the search box and results from the
index the build writes: ``build/searching.py``). Not listed in the sitemap."""

from __future__ import annotations

from sitegen.core.urls import SEARCH
from sitegen.render.context import GeneratedPage, SiteRender


def search_page(site: SiteRender, lang: str) -> GeneratedPage:
    """The search page of ``lang``."""
    st = site.per[lang]
    extra = {
        "title": st.cat.t("search_title"),
        "description": st.cat.t("search_intro"),
        "kind": "search",
        "scripts": ["search.js"],
    }
    return GeneratedPage(st.prefix + SEARCH, "search.html", lang, extra, "search",
                         site.per_lang(SEARCH), in_sitemap=False)  # fmt: skip
