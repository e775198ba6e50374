"""Condition pages: per language, the index of conditions with their number of studies and
one listing page per condition; and which condition pages are translations of each other."""

from __future__ import annotations

from collections.abc import Sequence

from sitegen.content.model import StudyMeta
from sitegen.core.urls import CONDITIONS, condition_url, lang_prefix, slugify
from sitegen.render import listing
from sitegen.render.context import GeneratedPage, SiteRender
from sitegen.render.nearme import near_of, near_scripts
from sitegen.render.stages import PageResult
from sitegen.render.views import Link, StudyView


def studies_by_condition(studies: Sequence[StudyView]) -> dict[str, list[StudyView]]:
    """Condition name -> the studies that list it, in listing order."""
    conditions: dict[str, list[StudyView]] = {}
    for s in studies:
        for c in s.conditions:
            conditions.setdefault(c.text, []).append(s)
    return conditions


def condition_links(conditions: dict[str, list[StudyView]], prefix: str) -> list[Link]:
    """A link to each condition page, alphabetically (ignoring case)."""
    return sorted(
        (Link(name, condition_url(name, prefix)) for name in conditions),
        key=lambda link: link.text.casefold(),
    )


def conditions_page(
    site: SiteRender, lang: str, conditions: dict[str, list[StudyView]], links: list[Link]
) -> GeneratedPage:
    """The index of conditions of ``lang``, each with its number of studies."""
    cat = site.per[lang].cat
    extra = {
        "title": cat.t("conditions_heading"),
        "description": cat.t("conditions_description"),
        "conditions": [(link, len(conditions[link.text])) for link in links],
        "kind": "conditions",
    }
    url = f"{site.per[lang].prefix}{CONDITIONS}"
    return GeneratedPage(url, "conditions.html", lang, extra, "conditions",
                         site.per_lang(CONDITIONS))  # fmt: skip


def condition_pages(
    site: SiteRender, lang: str, conditions: dict[str, list[StudyView]], links: list[Link]
) -> list[GeneratedPage]:
    """One page per condition of ``lang``, listing its studies."""
    cat = site.per[lang].cat
    out = []
    for link in links:
        studies = conditions[link.text]
        paged = listing.is_paged(studies)
        scripts = near_scripts(studies, site.near)
        near = near_of(studies, site.near)  # every page of the listing has every study's
        if paged and scripts:
            scripts = [listing.INDEX_SCRIPT, *scripts]
        for url, shown, pager in listing.pages(studies, link.url):
            first = pager is None or pager.number == 1
            title = cat.t("condition_studies", name=link.text)
            if not first:
                assert pager is not None
                title += f" ({cat.t('pager.position', n=pager.number, count=pager.count)})"
            extra = {
                "title": title,
                "description": cat.t("condition_description", name=link.text),
                "condition": link,
                "condition_value": slugify(link.text),
                "studies": shown,
                "pager": pager,
                "listing_index": listing.index_url(site, lang) if paged else None,
                "near": near,
                "scripts": scripts,
                "kind": "condition",
            }
            alternates = site.condition_alts.get(link.url) if first else None
            source = f"condition {link.text}"
            out.append(GeneratedPage(url, "condition.html", lang, extra, source, alternates))
    return out


def condition_translations(
    results: Sequence[PageResult], default: str
) -> dict[str, dict[str, str]]:
    """Condition page URL -> {lang: URL} for conditions whose translation is certain.

    Two studies that are translations of each other (same ``translation_key``) and list the
    same number of conditions pair them in order ("Asthma" <-> "Asma"). A condition paired
    with two different names in another language gets no alternates.
    """
    groups: dict[str, dict[str, StudyMeta]] = {}
    for r in results:
        meta = r.page.meta
        if r.page.kind == "study" and meta.translation_key and isinstance(meta, StudyMeta):
            groups.setdefault(meta.translation_key, {})[r.page.lang] = meta
    pairs: dict[tuple[str, str], dict[str, set[str]]] = {}
    for metas in groups.values():
        for lang, meta in metas.items():
            for other, ometa in metas.items():
                if other == lang or len(ometa.conditions) != len(meta.conditions):
                    continue
                for name, oname in zip(meta.conditions, ometa.conditions, strict=True):
                    pairs.setdefault((lang, name), {}).setdefault(other, set()).add(oname)
    out: dict[str, dict[str, str]] = {}
    for (lang, name), others in sorted(pairs.items()):
        alts = {lang: condition_url(name, lang_prefix(lang, default))}
        for other, names in others.items():
            if len(names) == 1:
                alts[other] = condition_url(next(iter(names)), lang_prefix(other, default))
        if len(alts) > 1:
            out[alts[lang]] = alts
    return out
