"""The home page of each language: the listing of every study with the study finder, the
conditions, studies near me, and the studies published only in other languages."""

from __future__ import annotations

from sitegen.i18n import LANGUAGES
from sitegen.render import listing
from sitegen.render.context import GeneratedPage, SiteRender
from sitegen.render.memory import recall
from sitegen.render.nearme import near_of, near_scripts
from sitegen.render.views import Link, StudyView, finder_options


def home_pages(site: SiteRender, lang: str, conditions: list[Link]) -> list[GeneratedPage]:
    """The home page of ``lang`` and, on a site with more studies than one page lists, the
    further pages of its listing (``listing``)."""
    st = site.per[lang]
    cat, studies = st.cat, st.studies
    texts = site.config.texts(lang)
    others = other_language_studies(lang, {k: site.per[k].studies for k in site.langs})
    paged = listing.is_paged(studies)
    scripts = (["finder.js"] if studies else []) + near_scripts(studies, site.near)
    # Every page of the listing offers the filters of every study: computed once.
    finder = recall(site.model.memory, "finder", lang, None, studies,
                    lambda: finder_options(studies, cat))  # fmt: skip
    out = []
    for url, shown, pager in listing.pages(studies, st.prefix):
        first = pager is None or pager.number == 1
        extra = {
            "title": texts.title,
            "description": texts.description or cat.t("studies_intro"),
            "studies": shown,
            "total": len(studies),
            "pager": pager,
            "listing_index": listing.index_url(site, lang) if paged and first else None,
            "other_studies": others[: listing.STUDIES_PER_PAGE] if first else [],
            "other_total": len(others),
            "other_homes": other_homes(site, lang, others),
            "language_names": {k: cat.t(f"language_names.{k}") for k in LANGUAGES},
            "conditions": conditions if first else [],
            "finder": finder,
            "near": near_of(studies if first else shown, site.near),
            "scripts": ([listing.INDEX_SCRIPT] if paged else []) + scripts if first else [],
            "kind": "home",
        }
        if not first:
            assert pager is not None
            position = cat.t("pager.position", n=pager.number, count=pager.count)
            extra["title"] = f"{texts.title} ({position})"
        alternates = site.per_lang("") if first else None
        out.append(GeneratedPage(url, "home.html", lang, extra, "home", alternates))
    return out


def other_homes(
    site: SiteRender, lang: str, others: list[tuple[str, StudyView]]
) -> list[tuple[str, str]]:
    """(language, home page URL) of the languages whose studies ``lang``'s home page lists
    only in part (more than one listing page of them)."""
    if len(others) <= listing.STUDIES_PER_PAGE:
        return []
    return [(lg, site.per[lg].prefix) for lg in sorted({lg for lg, _ in others})]


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
