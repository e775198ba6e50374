"""The search index across builds: a rebuild patches the last build's index (only the doc
files of changed pages and the word shards their words fall in are written again), and
after any sequence of edits the whole output, index included, is byte for byte what a clean
build of the same site makes."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from site_support import REPO, build, content_site, inodes, tree

from sitegen.core.urls import SEARCH_INDEX
from sitegen.publish.searchindex import search_query


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return content_site(tmp_path)


def reader(output: Path, lang: str):
    base = output / SEARCH_INDEX / lang

    def read(rel: str) -> bytes | None:
        path = base / rel
        return path.read_bytes() if path.is_file() else None

    return read


def found_urls(output: Path, lang: str, query: str) -> list[str]:
    read = reader(output, lang)
    urls = []
    for ident in search_query(read, query):
        data = read(f"d/{ident}.json")
        assert data is not None
        urls.append(json.loads(data)["u"])
    return urls


def test_the_example_site_is_searchable_in_both_languages(site: Path) -> None:
    build(site)
    out = site / "output"
    asthma = found_urls(out, "en", "asthma")
    assert asthma and asthma[0] == "studies/asthma-inhaler/"
    assert all(not u.startswith("es/") for u in asthma)
    assert found_urls(out, "es", "asma")[0] == "es/studies/asma-inhalador/"
    assert found_urls(out, "en", "inhalers")  # an inflected form finds the page
    assert found_urls(out, "en", "zzqx") == []
    meta = json.loads((out / SEARCH_INDEX / "en" / "meta.json").read_bytes())
    assert meta["n"] == len(list((out / SEARCH_INDEX / "en" / "d").iterdir()))


def test_one_edit_rewrites_only_that_pages_doc_and_its_words_shards(site: Path) -> None:
    build(site)
    out = site / "output"
    before = inodes(out)
    faq = site / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text() + "\nA zebrafish question.\n")
    build(site)
    now = inodes(out)
    index = {rel for rel, ino in now.items() if before.get(rel) != ino and
             rel.startswith(SEARCH_INDEX + "/")}  # fmt: skip
    docs = {rel for rel in index if "/d/" in rel}
    shards = {rel for rel in index if "/w/" in rel}
    assert len(docs) == 1 and docs <= {r for r in now if r.startswith(f"{SEARCH_INDEX}/en/d/")}
    assert f"{SEARCH_INDEX}/en/w/ze.json" in shards
    every_shard = {rel for rel in now if "/w/" in rel and rel.startswith(SEARCH_INDEX + "/en/")}
    assert len(shards) < len(every_shard) / 2, (len(shards), len(every_shard))
    assert not any(rel.startswith(SEARCH_INDEX + "/es/") for rel in index)
    assert found_urls(out, "en", "zebrafish") == ["faq/"]


EDITS = ("text", "title", "add", "delete", "template", "settings", "search-only")


def apply_edit(root: Path, rng: random.Random, kind: str, n: int) -> None:
    """One random edit of the kind named, to the site at ``root`` (new words are spelled
    without digits: a number only one translation has would stop the build)."""
    tag = "abcdefghij"[n]
    studies = sorted((root / "content" / "studies").glob("*.md"))
    if kind == "text":
        page = rng.choice(studies)
        page.write_text(page.read_text() + f"\nWe will ask about sleep{tag} and zinc{tag}.\n")
    elif kind == "title":
        page = rng.choice(studies)
        text = page.read_text()
        page.write_text(text.replace('title: "', f'title: "Renamed{tag} ', 1))
    elif kind == "add":
        src = rng.choice(studies)
        text = src.read_text().replace('title: "', f'title: "Copy{tag} ', 1)
        (root / "content" / "studies" / f"copy-{n}.md").write_text(text)
    elif kind == "delete":
        copies = sorted((root / "content" / "studies").glob("copy-*.md"))
        (rng.choice(copies) if copies else rng.choice(studies)).unlink()
    elif kind == "template":
        theme = REPO / "sitegen" / "theme" / "templates" / "page.html"
        (root / "templates").mkdir(exist_ok=True)
        marked = theme.read_text().replace(
            "{% block main %}", f"{{% block main %}}<p hidden>Marker{tag}</p>", 1
        )
        (root / "templates" / "page.html").write_text(marked)
    elif kind == "settings":
        (root / "site.yml").write_text(f"title: Test studies {tag}\n")
    else:  # text that only the index sees: a page's words change, nothing else of it
        page = root / "content" / "pages" / "about.md"
        page.write_text(page.read_text() + f"\nWord{tag}.\n")


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_leave_exactly_what_a_clean_build_makes(
    site: Path, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    build(site)
    for n in range(5):
        kind = rng.choice(EDITS)
        apply_edit(site, rng, kind, n)
        build(site)
        twin = tmp_path / f"twin{n}"
        shutil.copytree(site, twin, symlinks=True)
        shutil.rmtree(twin / "output")
        build(twin, "--clean")
        mine, clean = tree(site / "output"), tree(twin / "output")
        assert sorted(mine) == sorted(clean), (kind, set(mine) ^ set(clean))
        different = [rel for rel in mine if mine[rel] != clean[rel]]
        assert different == [], (kind, different[:5])
        shutil.rmtree(twin)


def test_a_hand_edited_index_file_is_rebuilt_not_trusted(site: Path, tmp_path: Path) -> None:
    build(site)
    out = site / "output"
    shard = next((out / SEARCH_INDEX / "en" / "w").glob("as*.json"))
    shard.write_text('{"a":{},"l":{}}')  # asthma forgotten, by hand
    faq = site / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text() + "\nAsthma question.\n")
    build(site)
    assert "studies/asthma-inhaler/" in found_urls(out, "en", "asthma")
    twin = tmp_path / "twin"
    shutil.copytree(site, twin, symlinks=True)
    build(twin, "--clean")
    assert tree(out / SEARCH_INDEX) == tree(twin / "output" / SEARCH_INDEX)
