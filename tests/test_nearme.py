"""Studies near me, build side: site coordinates, the split place tables, distance order."""

from __future__ import annotations

import json

import pytest
import zipcodes

from sitegen.content.model import Site
from sitegen.render import nearme


def _zip_point(code: str) -> tuple[float, float]:
    row = zipcodes.matching(code)[0]
    return float(row["lat"]), float(row["long"])


@pytest.fixture(scope="module")
def tables() -> dict[str, bytes]:
    sites = [
        Site(name="Leeds unit", city="Leeds", region="England", country="United Kingdom",
             postal_code="LS1 4AP", lat=53.8008, lon=-1.5491),
        Site(name="Cádiz unit", city="Cádiz", country="Spain", lat=36.5271, lon=-6.2886),
    ]  # fmt: skip
    return nearme.tables(sites)


def test_postcode_table_is_split_by_the_first_three_digits(tables: dict[str, bytes]) -> None:
    pieces = {k: json.loads(v) for k, v in tables.items() if k.startswith("assets/near/pc/")}
    assert len(pieces) > 800  # one piece per 3-digit prefix, not one big table
    total = 0
    for name, piece in pieces.items():
        prefix = name.removeprefix("assets/near/pc/").removesuffix(".json")
        assert piece and all(code[:3] == prefix for code in piece), name
        total += len(piece)
    assert total == len({r["zip_code"] for r in zipcodes.list_all()}) + 1  # + the Leeds site
    for code in ("02115", "10001", "94103", "60601"):
        lat, lon = pieces[f"assets/near/pc/{code[:3]}.json"][code]
        want = _zip_point(code)
        assert (lat, lon) == pytest.approx(want, abs=1e-4), code
    # a site's own postcode, with the site's own coordinates
    assert pieces["assets/near/pc/LS1.json"]["LS14AP"] == [53.8008, -1.5491]
    assert max(len(v) for v in tables.values()) < 200_000


def test_town_table_has_us_towns_and_the_sites_own(tables: dict[str, bytes]) -> None:
    bo = json.loads(tables["assets/near/town/bo.json"])
    assert bo["boston"][0][0] == "Boston, MA"
    assert bo["boston"][0][1:] == pytest.approx(_zip_point("02108"), abs=0.2)
    assert all(k.replace(" ", "")[:2] == "bo" for k in bo)
    # accents dropped in the key, kept in the label; the site's own town comes first
    assert json.loads(tables["assets/near/town/ca.json"])["cadiz"][0] == [
        "Cádiz, Spain",
        36.5271,
        -6.2886,
    ]
    assert json.loads(tables["assets/near/town/le.json"])["leeds"][0][0] == (
        "Leeds, England, United Kingdom"
    )


def test_tables_are_deterministic(tables: dict[str, bytes]) -> None:
    again = nearme.tables(
        [
            Site(name="Cádiz unit", city="Cádiz", country="Spain", lat=36.5271, lon=-6.2886),
            Site(
                name="Leeds unit",
                city="Leeds",
                region="England",
                country="United Kingdom",
                postal_code="LS1 4AP",
                lat=53.8008,
                lon=-1.5491,
            ),
        ]
    )
    assert again == tables
    assert list(again) == sorted(again)


def test_site_point_prefers_the_sites_own_coordinates() -> None:
    own = Site(name="a", postal_code="02115", country="United States", lat=1.5, lon=2.5)
    assert nearme.site_point(own) == (1.5, 2.5)
    by_zip = Site(name="b", postal_code="02115-1234", country="United States")
    assert nearme.site_point(by_zip) == pytest.approx(_zip_point("02115"), abs=1e-4)
    by_town = Site(name="c", city="Denver", region="Colorado", country="United States")
    point = nearme.site_point(by_town)
    assert point is not None and nearme.distance_km(point, (39.7392, -104.9903)) < 20
    assert nearme.site_point(Site(name="d", city="Leeds", country="United Kingdom")) is None
    assert nearme.site_point(Site(name="e", postal_code="99999", country="Canada")) is None


def test_distance_and_nearest_site_order() -> None:
    boston, new_york, london = (42.3601, -71.0589), (40.7128, -74.006), (51.5074, -0.1278)
    assert nearme.distance_km(boston, new_york) == pytest.approx(306, abs=3)
    assert nearme.distance_km(boston, london) == pytest.approx(5265, abs=15)
    assert nearme.distance_km(boston, boston) == 0
    # a study is as near as its nearest site
    assert nearme.nearest_km(new_york, [london, boston]) == pytest.approx(306, abs=3)
    assert nearme.nearest_km(new_york, []) is None
    studies = {"far": [london], "near": [london, boston], "none": []}
    km = {k: nearme.nearest_km(new_york, v) for k, v in studies.items()}
    order = sorted(studies, key=lambda k: (km[k] is None, km[k] or 0.0))
    assert order == ["near", "far", "none"]


def test_points_attr() -> None:
    assert nearme.points_attr([(42.3601, -71.0589), (1.0, 2.5)]) == "42.3601,-71.0589;1,2.5"
    assert nearme.norm_postcode(" 02115-1234 ") == "02115"
    assert nearme.norm_postcode("ls1 4ap") == "LS14AP"
    assert nearme.norm_town("  Saint-Étienne ") == "saint etienne"
