"""The Glossary page of each language: every dictionary term its pages explain, once each,
alphabetically."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.core.urls import GLOSSARY
from sitegen.render.context import GeneratedPage, SiteRender
from sitegen.render.glossary import Term, glossary_entries


def glossary_page(site: SiteRender, lang: str, used: Iterable[Term]) -> GeneratedPage:
    """The Glossary of ``lang`` (``used``: the terms its pages marked up)."""
    st = site.per[lang]
    extra = {
        "title": st.cat.t("glossary_title"),
        "description": st.cat.t("glossary_intro"),
        "entries": glossary_entries(used),
        "kind": "glossary",
    }
    return GeneratedPage(st.prefix + GLOSSARY, "glossary.html", lang, extra, "glossary",
                         site.per_lang(GLOSSARY))  # fmt: skip
