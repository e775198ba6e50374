"""Studies near me: site coordinates and the place tables the browser looks a patient's
postcode or town up in (offline: only same-origin JSON files the build writes).

Coordinates of a site come from its own ``lat``/``lon``, else from its US ZIP code, else from
its US town and state, both from the ``zipcodes`` package (the only module that imports it).
The tables are split so a page loads one small piece: postcodes by their first three
characters (``assets/near/pc/021.json``), towns by their first two letters
(``assets/near/town/bo.json``). Towns are US towns (``zipcodes``) plus every site's own town.
All output is sorted and rounded, so the same input gives the same bytes. Pure functions.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sitegen.content.model import Site, StudyMeta
from sitegen.core.apart import apart
from sitegen.render.views import StudyView

#: where the tables live in the output
NEAR_DIR = "assets/near/"
#: decimals kept of a coordinate (about 11 m)
PLACES = 4
_US = {"us", "usa", "united states", "united states of america", "estados unidos", "eeuu"}
_ZIP5 = re.compile(r"^(\d{5})(?:-\d{4})?$")
EARTH_KM = 6371.0088

Point = tuple[float, float]


def norm_postcode(text: str) -> str:
    """A postcode as looked up: upper case, no spaces; a US ZIP+4 as its five digits."""
    m = _ZIP5.match(text.strip())
    return m.group(1) if m else re.sub(r"[^0-9A-Z]+", "", text.upper())


def norm_town(text: str) -> str:
    """A town name as looked up: accents dropped, lower case, one space between words."""
    if text.isascii():  # nothing to decompose or drop; casefold is lower
        plain = text.lower()
    else:
        plain = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_LETTER_OR_DIGIT.sub(" ", plain).split())


_NOT_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]+")


def shard_of_postcode(code: str) -> str:
    """The table piece a normalised postcode is in: its first three characters."""
    return code[:3]


def shard_of_town(name: str) -> str:
    """The table piece a normalised town name is in: its first two letters or digits."""
    return name.replace(" ", "")[:2]


def _pt(lat: float, lon: float) -> Point:
    return (round(float(lat), PLACES), round(float(lon), PLACES))


_UsTables = tuple[dict[str, Point], dict[tuple[str, str], Point], dict[tuple[str, str], int]]


@functools.lru_cache(maxsize=1)
def _us() -> _UsTables:
    """US ZIP code centroids, and town centroids by (normalised town, state) with their
    number of ZIP codes (a bigger town first when a name is ambiguous). Made in a forked
    process (``apart``): the 42,000 rows they are made from would leave this one about 140
    MiB bigger for good."""
    return apart(_us_tables)


def _us_tables() -> _UsTables:
    """``_us``, made here."""
    import zipcodes

    zips: dict[str, Point] = {}
    sums: dict[tuple[str, str], list[float]] = {}
    for row in _zip_rows(zipcodes):
        try:
            point = _pt(row["lat"], row["long"])
        except (KeyError, TypeError, ValueError):
            continue
        zips[row["zip_code"]] = point
        key = (row["city"], row["state"])
        acc = sums.setdefault(key, [0.0, 0.0, 0])
        acc[0] += point[0]
        acc[1] += point[1]
        acc[2] += 1
    towns = {k: _pt(v[0] / v[2], v[1] / v[2]) for k, v in sums.items()}
    counts = {k: int(v[2]) for k, v in sums.items()}
    return zips, towns, counts


def _zip_rows(zipcodes: Any) -> list[dict[str, Any]]:
    """Every ZIP code row, in a list only the caller keeps: ``zipcodes.list_all()`` keeps
    its 42,000 dicts (88 MiB) in the module for the life of the process, so the list is
    asked of the compiled part that makes it, when the package has one (zipcodes 3)."""
    fresh = getattr(getattr(zipcodes, "_zipcodes", None), "list_all", None)
    rows = fresh() if callable(fresh) else zipcodes.list_all()
    return rows if isinstance(rows, list) else list(rows)


_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ",
    "new mexico": "NM", "new york": "NY", "north carolina": "NC", "north dakota": "ND",
    "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA", "puerto rico": "PR",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
}  # fmt: skip


def site_point(site: Site) -> Point | None:
    """Where a site is: its own ``lat``/``lon``, else its US ZIP code's centroid, else its
    US town's (with its state); None if none of these is known."""
    if site.lat is not None and site.lon is not None:
        return _pt(site.lat, site.lon)
    us = site.country is None or norm_town(site.country) in _US
    if not us:
        return None
    zips = _us()[0]
    if site.postal_code:
        point = zips.get(norm_postcode(site.postal_code))
        if point:
            return point
    if site.city and site.region:
        region = site.region.strip()
        state = _STATES.get(norm_town(region), region.upper())
        return _town_index().get((norm_town(site.city), state))
    return None


@functools.lru_cache(maxsize=1)
def _town_index() -> dict[tuple[str, str], Point]:
    """US town centroids by (normalised town, state)."""
    return {(norm_town(city), state): p for (city, state), p in sorted(_us()[1].items())}


def study_points(
    meta: StudyMeta, point_of: Callable[[Site], Point | None] = site_point
) -> tuple[Point, ...]:
    """The known places of a study's sites, sorted, without repeats (``point_of``: where a
    site is, ``site_point`` or a cache of it)."""
    return tuple(sorted({p for s in meta.sites if (p := point_of(s)) is not None}))


def points_attr(points: Iterable[Point]) -> str:
    """The ``data-near`` value of a study card: ``lat,lon;lat,lon``."""
    return ";".join(f"{lat:g},{lon:g}" for lat, lon in points)


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance in kilometres (haversine), as the browser computes it."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(min(1.0, h)))


def nearest_km(home: Point, points: Iterable[Point]) -> float | None:
    """Distance to the nearest of ``points``; None if there are none."""
    return min((distance_km(home, p) for p in points), default=None)


def _dumps(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def tables(
    sites: Iterable[Site], point_of: Callable[[Site], Point | None] = site_point
) -> dict[str, bytes]:
    """Every table piece, by output path: US ZIP codes and the sites' own postcodes by
    postcode, US towns and the sites' own towns by name (each name: a list of
    ``[label, lat, lon]``, the sites' towns first, then bigger towns first). ``point_of``:
    where a site is (``site_point`` or a cache of it)."""
    zips, towns, counts = _us()
    postcodes: dict[str, dict[str, list[float]]] = {}
    for code, point in zips.items():
        postcodes.setdefault(shard_of_postcode(code), {})[code] = list(point)
    names: dict[str, dict[tuple[int, int, str], list[object]]] = {}
    for site in sites:
        where = point_of(site)
        if where is None:
            continue
        point = where
        if site.postal_code:
            code = norm_postcode(site.postal_code)
            if code:
                postcodes.setdefault(shard_of_postcode(code), {}).setdefault(code, list(point))
        if site.city and norm_town(site.city):
            label = ", ".join(x for x in (site.city, site.region, site.country) if x)
            names.setdefault(norm_town(site.city), {})[(0, 0, label)] = [label, *point]
    normal: dict[str, str] = {}  # a town name is in many states
    for (city, state), point in towns.items():
        label = f"{city}, {state}"
        name = normal.get(city)
        if name is None:
            name = normal[city] = norm_town(city)
        names.setdefault(name, {})[(1, -counts[(city, state)], label)] = [label, *point]
    town_shards: dict[str, dict[str, list[list[object]]]] = {}
    for name, entries in names.items():
        if not name:
            continue
        if len(entries) == 1:  # most names: nothing to sort or leave out
            ordered = list(entries.values())
        else:
            seen: set[str] = set()
            ordered = []
            for _, entry in sorted(entries.items()):
                if entry[0] not in seen:
                    seen.add(str(entry[0]))
                    ordered.append(entry)
        town_shards.setdefault(shard_of_town(name), {})[name] = ordered
    out = {f"{NEAR_DIR}pc/{k}.json": _dumps(v) for k, v in postcodes.items() if k}
    out |= {f"{NEAR_DIR}town/{k}.json": _dumps(v) for k, v in town_shards.items()}
    return dict(sorted(out.items()))


def near_of(studies: Iterable[StudyView], near: Mapping[str, str]) -> dict[str, str]:
    """The ``data-near`` value of each listed study that has a known place (``near``: study
    URL -> ``points_attr`` of its sites)."""
    return {s.url: near[s.url] for s in studies if s.url in near}


def near_scripts(studies: Iterable[StudyView], near: Mapping[str, str]) -> list[str]:
    """``near.js`` where a listing has a study with a known place."""
    return ["near.js"] if near_of(studies, near) else []
