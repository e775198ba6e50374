"""The home page of each language: the listing of every study with the study finder, the
conditions, studies near me, and the studies published only in other languages."""

from __future__ import annotations

from sitegen.i18n import LANGUAGES
from sitegen.render.context import GeneratedPage, SiteRender
from sitegen.render.nearme import near_of, near_scripts
from sitegen.render.views import Link, StudyView, finder_options


def home_page(site: SiteRender, lang: str, conditions: list[Link]) -> GeneratedPage:
    """The home page of ``lang``, listing its studies (``conditions``: the condition links)."""
    st = site.per[lang]
    cat, studies = st.cat, st.studies
    texts = site.config.texts(lang)
    others = other_language_studies(lang, {k: site.per[k].studies for k in site.langs})
    extra = {
        "title": texts.title,
        "description": texts.description or cat.t("studies_intro"),
        "studies": studies,
        "other_studies": others,
        "language_names": {k: cat.t(f"language_names.{k}") for k in LANGUAGES},
        "conditions": conditions,
        "finder": finder_options(studies, cat),
        "near": near_of(studies, site.near),
        "scripts": (["finder.js"] if studies else []) + near_scripts(studies, site.near),
        "kind": "home",
    }
    return GeneratedPage(st.prefix, "home.html", lang, extra, "home", site.per_lang(""))


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
