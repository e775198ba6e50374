"""Studies near me between builds: the place tables and site coordinates are kept when their
inputs are unchanged, computed again when a site moves, and a damaged or planted cache file
is never trusted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from sitegen.build import nearcache
from sitegen.cli import main
from sitegen.content.model import Site
from sitegen.render import nearme

REPO = Path(__file__).parent.parent
SITES = [
    Site(name="Leeds unit", city="Leeds", region="England", country="United Kingdom",
         postal_code="LS1 4AP", lat=53.8008, lon=-1.5491),
    Site(name="Boston unit", city="Boston", region="Massachusetts", postal_code="02115"),
]  # fmt: skip


class Sink:
    """Like ``outputs.StagedSink``: a file can be kept when the last build wrote it with the
    same key (``previous``); what is written is recorded."""

    def __init__(self, previous: dict[str, tuple[str, bytes]]) -> None:
        self.previous = previous
        self.files: dict[str, tuple[str, bytes]] = {}
        self.written: list[str] = []

    def reuse(self, rel: str, key: str) -> object:
        prev = self.previous.get(rel)
        if prev is None or prev[0] != key:
            return None
        self.files[rel] = prev
        return prev

    def put(self, rel: str, data: bytes, key: str = "", extra: Any = None) -> None:
        self.files[rel] = (key, data)
        self.written.append(rel)


def emit(root: Path, sites: list[Site], previous: dict[str, tuple[str, bytes]]) -> Sink:
    cache = nearcache.NearCache(root, "code-v1")
    sink = Sink(previous)
    for site in sites:
        cache.site_point(site)
    cache.emit_tables(sites, sink)
    cache.save()
    return sink


@pytest.fixture
def no_zipcodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the ``zipcodes`` data is loaded."""

    def refuse() -> None:
        raise AssertionError("the zipcodes data was loaded")

    monkeypatch.setattr(nearme, "_us", refuse)
    monkeypatch.setattr(nearme, "_town_index", refuse)


def test_unchanged_sites_keep_every_table_without_loading_zipcodes(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    first = emit(tmp_path, SITES, {})
    assert len(first.written) > 800 and first.files == dict(
        (k, (first.files[k][0], v)) for k, v in nearme.tables(SITES).items()
    )
    request.getfixturevalue("no_zipcodes")
    again = emit(tmp_path, SITES, first.files)
    assert again.written == []
    assert again.files == first.files
    cache = nearcache.NearCache(tmp_path, "code-v1")
    assert cache.site_point(SITES[1]) == pytest.approx((42.3393, -71.0995), abs=0.01)


def test_a_moved_site_rebuilds_the_tables(tmp_path: Path) -> None:
    first = emit(tmp_path, SITES, {})
    moved = [SITES[0], Site(name="Boston unit", city="Denver", region="CO", postal_code="80202")]
    again = emit(tmp_path, moved, first.files)
    assert set(again.written) == set(nearme.tables(moved))
    assert {k: v[1] for k, v in again.files.items()} == nearme.tables(moved)
    town = json.loads(again.files["assets/near/town/de.json"][1])
    assert town["denver"][0][0] == "Denver, CO"
    # a new postcode for a site outside the US also changes the key
    leeds = Site(name="Leeds unit", city="Leeds", country="United Kingdom",
                 postal_code="LS2 9JT", lat=53.8008, lon=-1.5491)  # fmt: skip
    third = emit(tmp_path, [leeds, moved[1]], again.files)
    assert third.written and "LS29JT" in json.loads(third.files["assets/near/pc/LS2.json"][1])


def test_a_new_sitegen_computes_everything_again(tmp_path: Path) -> None:
    first = emit(tmp_path, SITES, {})
    cache = nearcache.NearCache(tmp_path, "code-v2")
    assert cache.points == {} and cache.key == ""
    sink = Sink(first.files)
    cache.emit_tables(SITES, sink)
    assert set(sink.written) == set(first.files)


def test_a_file_that_cannot_be_kept_is_written_again(tmp_path: Path) -> None:
    first = emit(tmp_path, SITES, {})
    previous = dict(first.files)
    gone = "assets/near/pc/021.json"
    del previous[gone]  # say, edited by hand since the last build
    again = emit(tmp_path, SITES, previous)
    assert again.written == [gone]
    assert again.files == first.files


@pytest.mark.parametrize("damage", ["truncate", "forge", "garbage"])
def test_a_damaged_or_planted_cache_file_is_ignored(
    tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    emit(tmp_path, SITES, {})
    path = nearcache.cache_path(tmp_path)
    mac, _, payload = path.read_bytes().partition(b"\n")
    if damage == "truncate":
        path.write_bytes(mac + b"\n" + payload[: len(payload) // 2])
    elif damage == "forge":  # a planted entry putting Boston in the sea, without the key
        stored = json.loads(payload)
        stored["points"] = {k: [0.0, 0.0] for k in stored["points"]}
        path.write_bytes(mac + b"\n" + json.dumps(stored).encode())
    else:
        path.write_bytes(b"not a cache file")
    cache = nearcache.NearCache(tmp_path, "code-v1")
    assert cache.points == {} and cache.names == []
    assert cache.site_point(SITES[1]) == nearme.site_point(SITES[1]) != (0.0, 0.0)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def test_a_build_keeps_the_tables_and_a_moved_site_matches_a_clean_build(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    (root / "site.yml").write_text("title: Test studies\n")
    build = ["build", "--root", str(root), "-q"]
    assert main(build) == 0
    near = root / "output" / "assets" / "near"
    inode = (near / "pc" / "021.json").stat().st_ino
    faq = root / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text() + "\nOne more line.\n")
    assert main(build) == 0
    assert (near / "pc" / "021.json").stat().st_ino == inode  # kept: a link, not rewritten
    for name in ("asthma-inhaler.md", "asma-inhalador.md"):  # a study and its translation
        study = root / "content" / "studies" / name
        text = study.read_text()
        assert "    lat: 42.3601\n    lon: -71.0589\n" in text
        study.write_text(text.replace("    lat: 42.3601\n    lon: -71.0589\n",
                                      '    postal_code: "80202"\n', 1))  # fmt: skip
    assert main(build) == 0
    assert (near / "pc" / "021.json").stat().st_ino != inode
    kept = _tree(root / "output")
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("output", ".sitegen-cache",
                                                               "reports"))  # fmt: skip
    assert main(["build", "--root", str(clean), "-q", "--clean"]) == 0
    assert kept == _tree(clean / "output")
