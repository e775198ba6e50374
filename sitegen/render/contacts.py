"""Contacts as a page shows them: links that do only what they say, sites grouped by country.

A ``tel:`` link keeps only the digits (and a leading ``+``), with an extension as ``;ext=``
(RFC 3966); an e-mail has already been checked as a plain address by the content model, so a
``mailto:`` link can never carry a query or headers. All functions are pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.content.model import CONTACT_ROLES, Contact, Site, StudyMeta
from sitegen.i18n import Catalogue
from sitegen.render.glossary import sort_key

_EXT_RE = re.compile(r"\s*(?:ext\.?|extension|x|#)\s*(\d+)\s*$", re.IGNORECASE)


def tel_href(phone: str) -> str:
    """``tel:+15550142`` from "+1 555 0142"; "+1 555 0142 ext. 12" -> ``tel:+15550142;ext=12``.
    Empty if the text has no digits."""
    ext = ""
    m = _EXT_RE.search(phone)
    if m:
        ext, phone = m.group(1), phone[: m.start()]
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return ""
    plus = "+" if phone.strip().startswith("+") else ""
    return f"tel:{plus}{digits}" + (f";ext={ext}" if ext else "")


@dataclass(frozen=True)
class ContactView:
    """One contact as shown: every field plain text, ``tel`` a safe ``tel:`` URL."""

    name: str | None
    role: str | None
    phone: str | None
    tel: str
    email: str | None
    lang: str | None


def contact_view(c: Contact, cat: Catalogue) -> ContactView:
    """The view of one contact; a registry role code becomes its plain label."""
    role = c.role
    if role and role in CONTACT_ROLES:
        role = cat.t(f"contact_roles.{role}") or None
    return ContactView(
        name=c.name,
        role=role,
        phone=c.phone,
        tel=tel_href(c.phone) if c.phone else "",
        email=c.email,
        lang=c.lang,
    )


@dataclass(frozen=True)
class SiteEntry:
    """A site in the list: name, place, status and its own contact."""

    name: str
    place: str
    status_label: str
    status_tone: str
    contact: ContactView | None


@dataclass(frozen=True)
class SiteGroup:
    """The sites of one country."""

    country: str
    sites: tuple[SiteEntry, ...]


def site_groups(
    sites: tuple[Site, ...], lang: str, cat: Catalogue, tones: dict[str, str]
) -> tuple[SiteGroup, ...]:
    """Sites grouped by country (``tones``: status code -> badge tone). Countries with a
    contact who speaks the page's language come first, then the others alphabetically; within
    a country, such sites come first, then the order the content gives."""
    groups: dict[str, list[tuple[int, Site]]] = {}
    for i, site in enumerate(sites):
        groups.setdefault(site.country or "", []).append((i, site))

    def speaks(site: Site) -> bool:
        return bool(site.contact and site.contact.lang == lang)

    def group_key(item: tuple[str, list[tuple[int, Site]]]) -> tuple[int, int, tuple[str, str]]:
        country, members = item
        return (
            0 if any(speaks(s) for _, s in members) else 1,
            1 if not country else 0,  # sites without a country last
            sort_key(country),
        )

    out = []
    for country, members in sorted(groups.items(), key=group_key):
        ordered = sorted(members, key=lambda m: (0 if speaks(m[1]) else 1, m[0]))
        out.append(
            SiteGroup(
                country=country or cat.t("country_unknown"),
                sites=tuple(
                    SiteEntry(
                        name=s.name,
                        place=", ".join(x for x in (s.city, s.region) if x),
                        status_label=cat.t(f"status_labels.{s.status}") if s.status else "",
                        status_tone=tones.get(s.status or "", "closed"),
                        contact=contact_view(s.contact, cat) if s.contact else None,
                    )
                    for _, s in ordered
                ),
            )
        )
    return tuple(out)


def first_contact(
    meta: StudyMeta, groups: tuple[SiteGroup, ...], cat: Catalogue
) -> ContactView | None:
    """The contact a patient should try first: the study's central contact, else the first
    site contact in the page's order (a contact who speaks the page's language first)."""
    if meta.contacts:
        return contact_view(meta.contacts[0], cat)
    for group in groups:
        for site in group.sites:
            if site.contact and (site.contact.phone or site.contact.email):
                return site.contact
    return None
