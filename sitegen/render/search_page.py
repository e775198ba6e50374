"""The search page of each language (Pagefind's interface; the index is built by
``publish/search.py``). Not listed in the sitemap."""

from __future__ import annotations

from sitegen.core.urls import SEARCH
from sitegen.render.context import SEARCH_CSP, GeneratedPage, SiteRender


def search_page(site: SiteRender, lang: str) -> GeneratedPage:
    """The search page of ``lang``: its own CSP lets Pagefind's WebAssembly run."""
    st = site.per[lang]
    extra = {
        "title": st.cat.t("search_title"),
        "description": st.cat.t("search_intro"),
        "kind": "search",
        "csp": SEARCH_CSP,
        "scripts": ["search.js"],
    }
    return GeneratedPage(st.prefix + SEARCH, "search.html", lang, extra, "search",
                         site.per_lang(SEARCH), in_sitemap=False)  # fmt: skip
