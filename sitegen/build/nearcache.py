"""Studies near me between builds: the place tables and site coordinates kept from the last
build, so an unchanged site neither loads the ``zipcodes`` data (about 2 s) nor writes its
1,200 table files again.

``.sitegen-cache/near.json`` (``cachefile``: JSON behind the keyed MAC, never code) holds

- ``salt``: sitegen's code fingerprint and the ``zipcodes`` version the rest was made with
  (a different one discards everything);
- ``points``: where each site's place fields (``lat``, ``lon``, postcode, town, region,
  country) put it, or nothing;
- ``key`` and ``names``: the render key of the tables (the salt and every site's place
  fields, in order) and the output paths they were written to.

When the tables' key is unchanged, each table file is kept from the last build by the sink
(``reuse``: a hard link, checked against the last build's record of size and time); any
file it cannot keep, a changed site or a missing, damaged or planted cache file makes the
tables be computed and written again. The bytes are the same either way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

from sitegen.content.model import Site, StudyMeta
from sitegen.core import cachefile
from sitegen.core.cachefile import CACHE_DIR, Codec
from sitegen.render import nearme
from sitegen.render.nearme import Point

_FORMAT = "sitegen-near-1"
_CODEC = Codec([])


class TableSink(Protocol):
    """What the tables are written to (``outputs.StagedSink`` or ``MemorySink``)."""

    def reuse(self, rel: str, key: str) -> Any: ...

    def put(self, rel: str, data: bytes, key: str = "", extra: Any = None) -> None: ...


def cache_path(root: Path) -> Path:
    """The cache file of a site."""
    return root / CACHE_DIR / "near.json"


def place_fields(site: Site) -> str:
    """The fields of a site that decide where it is and what the tables hold, as one string."""
    fields = (site.lat, site.lon, site.postal_code, site.city, site.region, site.country)
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def _zipcodes_version() -> str:
    try:
        return version("zipcodes")
    except PackageNotFoundError:  # pragma: no cover - a dependency of sitegen
        return "missing"


class NearCache:
    """Site coordinates and the place tables, reused from the last build when unchanged.

    ``code``: sitegen's code fingerprint (a new sitegen computes everything again).
    """

    def __init__(self, root: Path, code: str) -> None:
        self.path = cache_path(root)
        self.salt = f"{_FORMAT}\0{code}\0{_zipcodes_version()}"
        self.points: dict[str, list[float] | None] = {}
        self.key = ""
        self.names: list[str] = []
        self._dirty = False
        stored = cachefile.load(self.path, _CODEC)
        if isinstance(stored, dict) and stored.get("salt") == self.salt:
            points, key, names = stored.get("points"), stored.get("key"), stored.get("names")
            if isinstance(points, dict) and isinstance(key, str) and isinstance(names, list):
                self.points = {
                    k: v
                    for k, v in points.items()
                    if v is None
                    or (isinstance(v, list) and len(v) == 2 and all(type(x) is float for x in v))
                }
                self.key = key
                self.names = [n for n in names if isinstance(n, str)]

    def site_point(self, site: Site) -> Point | None:
        """Where a site is (``nearme.site_point``), from the cache when known."""
        fields = place_fields(site)
        if fields in self.points:
            known = self.points[fields]
            return None if known is None else (known[0], known[1])
        point = nearme.site_point(site)
        self.points[fields] = None if point is None else [point[0], point[1]]
        self._dirty = True
        return point

    def study_points(self, meta: StudyMeta) -> tuple[Point, ...]:
        """The known places of a study's sites (``nearme.study_points``)."""
        return nearme.study_points(meta, self.site_point)

    def tables_key(self, sites: Sequence[Site]) -> str:
        """The render key of the place tables for ``sites`` (in their order)."""
        return self.key_of([self.sites_part(sites)])

    @staticmethod
    def sites_part(sites: Sequence[Site]) -> bytes:
        """What ``sites`` add to the tables' key (the key of a list of sites is made of the
        parts of its runs, in order: ``key_of``)."""
        return b"".join(b"\0" + place_fields(s).encode("utf-8", "surrogatepass") for s in sites)

    def key_of(self, parts: Iterable[bytes]) -> str:
        """``tables_key`` of the sites whose ``sites_part``s are ``parts``, in order."""
        h = hashlib.sha256(self.salt.encode())
        for part in parts:
            h.update(part)
        return h.hexdigest()

    def emit_tables(
        self,
        sites: Sequence[Site] | Callable[[], Sequence[Site]],
        sink: TableSink,
        key: str | None = None,
    ) -> None:
        """Put the place tables for ``sites`` (or what ``sites()`` gives, asked only when
        the tables are made) into ``sink``: kept from the last build when their key
        (``tables_key``, if not given) and every file are unchanged, else made and written."""
        if key is None:
            sites = sites() if callable(sites) else sites
            key = self.tables_key(sites)
        kept: set[str] = set()
        if key == self.key and self.names:
            kept = {n for n in self.names if sink.reuse(n, key) is not None}
            if len(kept) == len(self.names):
                return
        tables = nearme.tables(sites() if callable(sites) else sites, self.site_point)
        for name, data in tables.items():
            if name not in kept:  # a kept file is a link to the published one: never written
                sink.put(name, data, key)
        if (key, list(tables)) != (self.key, self.names):
            self.key, self.names, self._dirty = key, list(tables), True

    def save(self) -> None:
        """Store what changed (best effort: a cache)."""
        if not self._dirty:
            return
        value = {
            "salt": self.salt,
            "points": dict(sorted(self.points.items())),
            "key": self.key,
            "names": self.names,
        }
        try:
            cachefile.real_dir(self.path.parent)
        except (cachefile.CacheFolderError, OSError):
            return
        cachefile.store(self.path, value, _CODEC)
        self._dirty = False
