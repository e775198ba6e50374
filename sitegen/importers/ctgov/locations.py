"""Places and people of a ClinicalTrials.gov record: the study sites
(``contactsLocationsModule.locations``) and contacts, as the content model's ``Site`` and
``Contact`` hold them. Contact names, phones and e-mails are real published data and are
copied exactly; a value longer than the model's limit is left out with a warning."""

from __future__ import annotations

from typing import Any

from sitegen.content.model import Contact, Site
from sitegen.importers.ctgov.reader import Reader, join_path
from sitegen.importers.ctgov.vocabulary import CONTACT_ROLES, EMAIL_RE, SITE_STATUSES, limit


def _phone(r: Reader, contact: dict[str, Any], path: str) -> str | None:
    phone = r.exact(contact, "phone", path)
    ext = r.exact(contact, "phoneExt", path)
    if phone and ext:
        phone = f"{phone} ext. {ext}"
    if phone and len(phone) > limit(Contact, "phone"):
        r.warn(
            join_path(path, "phone"),
            "IMP007",
            f"{len(phone)} characters, more than the content model's {limit(Contact, 'phone')}; "
            "left out",
        )
        return None
    return phone


def read_contact(r: Reader, contact: dict[str, Any], path: str, *, role: bool) -> dict[str, Any]:
    """A contact as the content model holds it: name, phone and e-mail copied exactly, and
    the role (lower case) when ``role``; a detail the model cannot hold is left out."""
    out: dict[str, Any] = {"name": r.exact(contact, "name", path, limit=limit(Contact, "name"))}
    code = r.enum(contact, "role", path, CONTACT_ROLES)
    if role:
        out["role"] = code
    out["phone"] = _phone(r, contact, path)
    out["email"] = r.exact(contact, "email", path, limit=limit(Contact, "email"), pattern=EMAIL_RE)
    return out


def read_sites(r: Reader, module: dict[str, Any] | None, path: str) -> list[dict[str, Any]]:
    """The ``sites`` of the front matter from ``contactsLocationsModule.locations``: name,
    place, position, status and the first contact of each."""
    sites = []
    for site_path, loc in r.items(module, "locations", path):
        city = r.line(loc, "city", site_path, limit=limit(Site, "city"))
        country = r.line(loc, "country", site_path, limit=limit(Site, "country"))
        name = r.line(loc, "facility", site_path, limit=limit(Site, "name"))
        if not name:
            name = f"Study site in {city or country or 'an unnamed place'}"
        status = r.enum(loc, "status", site_path, SITE_STATUSES)
        if status == "available":
            r.warn(
                join_path(site_path, "status"),
                "IMP007",
                '"AVAILABLE" (expanded access) is not a site status of the content model; left out',
            )
            status = None
        geo = r.obj(loc, "geoPoint", site_path)
        geo_path = join_path(site_path, "geoPoint")
        lat = r.get(geo, "lat", geo_path, "number")
        lon = r.get(geo, "lon", geo_path, "number")
        if lat is not None and not -90 <= lat <= 90:
            r.error(join_path(geo_path, "lat"), "IMP003", f"latitude {lat} is outside -90 to 90")
            lat = None
        if lon is not None and not -180 <= lon <= 180:
            r.error(join_path(geo_path, "lon"), "IMP003", f"longitude {lon} is outside -180 to 180")
            lon = None
        contact: dict[str, Any] = {}
        for contact_path, person in r.items(loc, "contacts", site_path):
            details = read_contact(r, person, contact_path, role=True)
            if not contact and details.get("role") == "contact":
                details.pop("role")
                contact = details
        sites.append(
            {
                "name": name,
                "city": city,
                "region": r.line(loc, "state", site_path, limit=limit(Site, "region")),
                "country": country,
                "postal_code": r.line(loc, "zip", site_path, limit=limit(Site, "postal_code")),
                "lat": lat,
                "lon": lon,
                "status": status,
                "contact": contact,
            }
        )
    return sites
