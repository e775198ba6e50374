"""What templates see: plain-language views of study metadata, built from the catalogue.

Templates never get a raw registry code: every code becomes the label a patient reads here.
All functions are pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.content.model import OPEN_STATUSES, Age, Contact, Eligibility, StudyMeta
from sitegen.core.urls import condition_url, slugify
from sitegen.i18n import Catalogue
from sitegen.render.contacts import ContactView, SiteGroup, contact_view, first_contact, site_groups
from sitegen.render.facts import date_facts, design_sentences, stopped_note
from sitegen.render.glossary import sort_key

STATUS_ORDER = {
    "recruiting": 0,
    "not_yet_recruiting": 1,
    "enrolling_by_invitation": 2,
    "active_not_recruiting": 3,
    "suspended": 4,
    "completed": 5,
    "terminated": 6,
    "withdrawn": 7,
    "unknown": 8,
}
# "open": taking volunteers; "soon": opening; "closed": not taking volunteers.
STATUS_TONE = {
    "recruiting": "open",
    "not_yet_recruiting": "soon",
    "enrolling_by_invitation": "soon",
    "active_not_recruiting": "closed",
    "suspended": "closed",
    "completed": "done",
    "terminated": "closed",
    "withdrawn": "closed",
    "unknown": "closed",
}


@dataclass(frozen=True)
class Link:
    """A labelled link (``url`` is site-relative)."""

    text: str
    url: str


@dataclass(frozen=True)
class SiteView:
    """A study site with its plain status."""

    name: str
    place: str
    country: str
    status_label: str
    status_tone: str
    contact: Contact | None


@dataclass(frozen=True)
class StudyView:
    """Everything a study template shows, in plain words."""

    title: str
    summary: str
    url: str
    status: str
    status_label: str
    status_tone: str
    is_open: bool
    conditions: tuple[Link, ...]
    nct_id: str | None
    registry_url: str | None
    phase_short: str
    phase_label: str
    study_type_label: str
    design_sentences: tuple[str, ...]
    age_text: str
    sex_text: str
    healthy_volunteers: bool
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    location_summary: str
    sites: tuple[SiteView, ...]
    countries: tuple[str, ...]
    sponsor: str | None
    updated: str | None
    meta: StudyMeta
    finder: FinderData
    date_facts: tuple[tuple[str, str], ...] = ()
    contacts: tuple[ContactView, ...] = ()
    site_groups: tuple[SiteGroup, ...] = ()
    take_part: ContactView | None = None
    official_title: str | None = None
    registry_criteria: str | None = None
    stopped: tuple[str, str] | None = None


@dataclass(frozen=True)
class FinderData:
    """What the home page's study finder filters a card on (its ``data-`` attributes)."""

    conditions: tuple[str, ...]
    places: tuple[str, ...]
    age_min: float | None
    age_max: float | None
    healthy_volunteers: bool

    def attrs(self) -> dict[str, str]:
        """The card's ``data-`` attributes; lists are ``|``-delimited on both ends."""
        return {
            "data-conditions": "|" + "|".join(self.conditions) + "|",
            "data-places": "|" + "|".join(self.places) + "|",
            "data-age-min": _years(self.age_min),
            "data-age-max": _years(self.age_max),
            "data-healthy": "yes" if self.healthy_volunteers else "no",
        }


@dataclass(frozen=True)
class Option:
    """One ``<option>`` of a finder filter; ``group`` options are a country's cities."""

    value: str
    label: str
    group: tuple[Option, ...] = ()


@dataclass(frozen=True)
class FinderOptions:
    """The choices of the home page's filters, from the studies listed."""

    conditions: tuple[Option, ...]
    statuses: tuple[Option, ...]
    places: tuple[Option, ...]


def _years(value: float | None) -> str:
    return "" if value is None else f"{round(value, 3):g}"


def place_key(country: str, city: str | None = None) -> str:
    """A filter value for a country, or a city in a country (``spain/madrid``)."""
    key = slugify(country) or "unknown"
    return f"{key}/{slugify(city)}" if city else key


def finder_data(meta: StudyMeta) -> FinderData:
    """The filter facts of one study."""
    elig = meta.eligibility
    places: list[str] = []
    for site in meta.sites:
        if not site.country:
            continue
        places.append(place_key(site.country))
        if site.city:
            places.append(place_key(site.country, site.city))
    return FinderData(
        conditions=tuple(dict.fromkeys(slugify(c) for c in meta.conditions)),
        places=tuple(dict.fromkeys(places)),
        age_min=elig.age_min.in_years() if elig and elig.age_min else None,
        age_max=elig.age_max.in_years() if elig and elig.age_max else None,
        healthy_volunteers=bool(elig and elig.healthy_volunteers),
    )


def finder_options(views: list[StudyView], cat: Catalogue) -> FinderOptions:
    """Filter choices for the listed studies: conditions and places alphabetically,
    statuses in list order (looking for volunteers first)."""
    conditions = {slugify(c.text): c.text for v in views for c in v.conditions}
    statuses = sorted({v.status for v in views}, key=lambda s: STATUS_ORDER[s])
    countries: dict[str, tuple[str, dict[str, str]]] = {}
    for v in views:
        for site in v.meta.sites:
            if not site.country:
                continue
            _, cities = countries.setdefault(place_key(site.country), (site.country, {}))
            if site.city:
                cities[place_key(site.country, site.city)] = site.city
    return FinderOptions(
        conditions=tuple(
            Option(k, name) for k, name in sorted(conditions.items(), key=lambda i: _fold(i[1]))
        ),
        statuses=tuple(Option(s, cat.t(f"status_labels.{s}")) for s in statuses),
        places=tuple(
            Option(
                key,
                name,
                tuple(
                    Option(ck, city)
                    for ck, city in sorted(cities.items(), key=lambda i: _fold(i[1]))
                ),
            )
            for key, (name, cities) in sorted(countries.items(), key=lambda i: _fold(i[1][0]))
        ),
    )


def _fold(text: str) -> tuple[str, str]:
    return sort_key(text)


def age_text(elig: Eligibility | None, cat: Catalogue) -> str:
    """'18 to 55 years', '18 years and over', 'Any age'."""
    if elig is None or (elig.age_min is None and elig.age_max is None):
        return cat.t("age_any")
    lo, hi = elig.age_min, elig.age_max
    if lo is not None and hi is not None:
        if lo.unit.rstrip("s") == hi.unit.rstrip("s"):
            return cat.t("age_range", min=lo.value, max=_age(hi, cat))
        return cat.t("age_range", min=_age(lo, cat), max=_age(hi, cat))
    if lo is not None:
        return cat.t("age_min_only", min=_age(lo, cat))
    assert hi is not None
    return cat.t("age_max_only", max=_age(hi, cat))


def _age(age: Age, cat: Catalogue) -> str:
    unit = age.unit.rstrip("s") if age.value == 1 else age.unit.rstrip("s") + "s"
    return f"{age.value} {cat.t('age_units.' + unit)}"


def phase_text(phases: tuple[str, ...], cat: Catalogue, key: str) -> str:
    """Plain phase label; combined phases are joined ("Phase 1 / Phase 2")."""
    labels = [cat.t(f"{key}.{p}") for p in phases]
    return " / ".join(label for label in labels if label)


def location_summary(meta: StudyMeta, cat: Catalogue) -> str:
    """'Leeds, United Kingdom and 2 more places'."""
    places = []
    for s in meta.sites:
        place = ", ".join(x for x in (s.city, s.country) if x)
        if place and place not in places:
            places.append(place)
    if not places:
        return ""
    text = places[0]
    more = len(places) - 1
    if more == 1:
        text += " " + cat.t("locations_more_one")
    elif more > 1:
        text += " " + cat.t("locations_more", n=more)
    return text


def study_view(meta: StudyMeta, url: str, lang_prefix: str, cat: Catalogue) -> StudyView:
    """The plain view of one study. Views are kept for the very ``meta`` objects they were
    made from (the preview keeps unchanged pages in memory and asks again after each edit)."""
    kept = _VIEWS.get(id(meta))
    if kept is not None and kept[0] is meta and kept[1] == (url, lang_prefix, cat.lang):
        return kept[2]
    view = _study_view(meta, url, lang_prefix, cat)
    if len(_VIEWS) > _VIEWS_MAX:
        _VIEWS.clear()
    _VIEWS[id(meta)] = (meta, (url, lang_prefix, cat.lang), view)
    return view


#: id(meta) -> (meta, (url, prefix, language), view); the meta is held so its id stays its own
_VIEWS: dict[int, tuple[StudyMeta, tuple[str, str, str], StudyView]] = {}
_VIEWS_MAX = 200_000


def _study_view(meta: StudyMeta, url: str, lang_prefix: str, cat: Catalogue) -> StudyView:
    elig = meta.eligibility
    sites = tuple(
        SiteView(
            name=s.name,
            place=", ".join(x for x in (s.city, s.region) if x),
            country=s.country or "",
            status_label=cat.t(f"status_labels.{s.status}") if s.status else "",
            status_tone=STATUS_TONE.get(s.status or "", "closed"),
            contact=s.contact,
        )
        for s in meta.sites
    )
    countries = tuple(dict.fromkeys(s.country for s in meta.sites if s.country))
    groups = site_groups(meta.sites, cat.lang, cat, STATUS_TONE)
    nct = meta.nct_id
    return StudyView(
        title=meta.title,
        summary=meta.summary,
        url=url,
        status=meta.status,
        status_label=cat.t(f"status_labels.{meta.status}"),
        status_tone=STATUS_TONE[meta.status],
        is_open=meta.status in OPEN_STATUSES,
        conditions=tuple(Link(c, condition_url(c, lang_prefix)) for c in meta.conditions),
        nct_id=nct,
        registry_url=f"https://clinicaltrials.gov/study/{nct}" if nct else None,
        phase_short=phase_text(meta.phase, cat, "phase_short"),
        phase_label=phase_text(meta.phase, cat, "phase_labels"),
        study_type_label=cat.t(f"study_type_labels.{meta.study_type}"),
        design_sentences=design_sentences(meta, cat),
        age_text=age_text(elig, cat),
        sex_text=cat.t(f"sex_labels.{elig.sex if elig else 'all'}"),
        healthy_volunteers=bool(elig and elig.healthy_volunteers),
        include=elig.include if elig else (),
        exclude=elig.exclude if elig else (),
        location_summary=location_summary(meta, cat),
        sites=sites,
        countries=countries,
        sponsor=meta.sponsor.name if meta.sponsor else None,
        updated=str(meta.updated) if meta.updated else None,
        meta=meta,
        finder=finder_data(meta),
        date_facts=date_facts(meta, cat),
        contacts=tuple(contact_view(c, cat) for c in meta.contacts),
        site_groups=groups,
        take_part=first_contact(meta, groups, cat),
        official_title=meta.registry_title,
        registry_criteria=elig.registry_text if elig else None,
        stopped=stopped_note(meta, cat),
    )


def sort_studies(views: list[StudyView]) -> list[StudyView]:
    """Looking for volunteers first, then opening soon, ... then by title."""
    return sorted(views, key=lambda v: (STATUS_ORDER[v.status], v.title.casefold(), v.url))
