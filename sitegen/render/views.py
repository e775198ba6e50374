"""What templates see: plain-language views of study metadata, built from the catalogue.

Templates never get a raw registry code: every code becomes the label a patient reads here.
All functions are pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

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
    """Everything a study template shows, in plain words.

    The fields are what every listing needs of every study (its order, its conditions); the
    rest is worked out from the metadata and the catalogue when a template or the
    pre-screener first reads it (a site of 10,000 studies sorts and groups every view, but
    an edit renders only a few cards and one study page)."""

    title: str
    summary: str
    url: str
    status: str
    conditions: tuple[Link, ...]
    meta: StudyMeta
    #: the catalogue of the page's language (the labels below are made from it)
    cat: Catalogue = field(repr=False, compare=False)

    @cached_property
    def status_label(self) -> str:
        """The status as a patient reads it."""
        return self.cat.t(f"status_labels.{self.status}")

    @cached_property
    def status_tone(self) -> str:
        """The status's tone: "open", "soon", "closed" or "done" (``STATUS_TONE``)."""
        return STATUS_TONE[self.status]

    @cached_property
    def is_open(self) -> bool:
        """True while the study takes volunteers."""
        return self.status in OPEN_STATUSES

    @cached_property
    def nct_id(self) -> str | None:
        """The ClinicalTrials.gov number, if any."""
        return self.meta.nct_id

    @cached_property
    def registry_url(self) -> str | None:
        """The study's ClinicalTrials.gov page, if it has a number."""
        nct = self.meta.nct_id
        return f"https://clinicaltrials.gov/study/{nct}" if nct else None

    @cached_property
    def phase_short(self) -> str:
        """The phase, short ("Phase 2")."""
        return phase_text(self.meta.phase, self.cat, "phase_short")

    @cached_property
    def phase_label(self) -> str:
        """The phase, in words."""
        return phase_text(self.meta.phase, self.cat, "phase_labels")

    @cached_property
    def study_type_label(self) -> str:
        """The kind of study, in words."""
        return self.cat.t(f"study_type_labels.{self.meta.study_type}")

    @cached_property
    def design_sentences(self) -> tuple[str, ...]:
        """How the study is designed, as sentences (``facts.design_sentences``)."""
        return design_sentences(self.meta, self.cat)

    @cached_property
    def age_text(self) -> str:
        """Who may take part by age ("18 to 55 years")."""
        return age_text(self.meta.eligibility, self.cat)

    @cached_property
    def sex_text(self) -> str:
        """Who may take part by sex."""
        elig = self.meta.eligibility
        return self.cat.t(f"sex_labels.{elig.sex if elig else 'all'}")

    @cached_property
    def healthy_volunteers(self) -> bool:
        """True when healthy volunteers may take part."""
        elig = self.meta.eligibility
        return bool(elig and elig.healthy_volunteers)

    @cached_property
    def include(self) -> tuple[str, ...]:
        """Who can take part (inclusion criteria)."""
        elig = self.meta.eligibility
        return elig.include if elig else ()

    @cached_property
    def exclude(self) -> tuple[str, ...]:
        """Who cannot take part (exclusion criteria)."""
        elig = self.meta.eligibility
        return elig.exclude if elig else ()

    @cached_property
    def location_summary(self) -> str:
        """Where, in one line ("Leeds, United Kingdom and 2 more places")."""
        return location_summary(self.meta, self.cat)

    @cached_property
    def sites(self) -> tuple[SiteView, ...]:
        """The study sites with their plain status."""
        cat = self.cat
        return tuple(
            SiteView(
                name=s.name,
                place=", ".join(x for x in (s.city, s.region) if x),
                country=s.country or "",
                status_label=cat.t(f"status_labels.{s.status}") if s.status else "",
                status_tone=STATUS_TONE.get(s.status or "", "closed"),
                contact=s.contact,
            )
            for s in self.meta.sites
        )

    @cached_property
    def countries(self) -> tuple[str, ...]:
        """The countries of the sites, in order, once each."""
        return tuple(dict.fromkeys(s.country for s in self.meta.sites if s.country))

    @cached_property
    def sponsor(self) -> str | None:
        """The sponsor's name, if any."""
        return self.meta.sponsor.name if self.meta.sponsor else None

    @cached_property
    def updated(self) -> str | None:
        """The date of the last update (ISO), if any."""
        return str(self.meta.updated) if self.meta.updated else None

    @cached_property
    def finder(self) -> FinderData:
        """What the study finder filters the study's card on."""
        return finder_data(self.meta)

    @cached_property
    def date_facts(self) -> tuple[tuple[str, str], ...]:
        """The study's dates as (label, text)."""
        return date_facts(self.meta, self.cat)

    @cached_property
    def contacts(self) -> tuple[ContactView, ...]:
        """The study team's contacts as the page shows them."""
        return tuple(contact_view(c, self.cat) for c in self.meta.contacts)

    @cached_property
    def site_groups(self) -> tuple[SiteGroup, ...]:
        """The sites grouped by country, the page's language first."""
        return site_groups(self.meta.sites, self.cat.lang, self.cat, STATUS_TONE)

    @cached_property
    def take_part(self) -> ContactView | None:
        """The first contact for "How to take part"."""
        return first_contact(self.meta, self.site_groups, self.cat)

    @cached_property
    def official_title(self) -> str | None:
        """The title in the registry, if any."""
        return self.meta.registry_title

    @cached_property
    def registry_criteria(self) -> str | None:
        """The registry's own eligibility text, if any."""
        elig = self.meta.eligibility
        return elig.registry_text if elig else None

    @cached_property
    def stopped(self) -> tuple[str, str] | None:
        """Why a stopped study stopped, if it did (``facts.stopped_note``)."""
        return stopped_note(self.meta, self.cat)


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
    conditions = tuple(Link(c, condition_url(c, lang_prefix)) for c in meta.conditions)
    return StudyView(meta.title, meta.summary, url, meta.status, conditions, meta, cat)


def sort_studies(views: list[StudyView]) -> list[StudyView]:
    """Looking for volunteers first, then opening soon, ... then by title."""
    return sorted(views, key=lambda v: (STATUS_ORDER[v.status], v.title.casefold(), v.url))
