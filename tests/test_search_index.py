"""sitegen's own search index: what a page gives (``searchdoc``), the shards and meta file
built whole or patched (``searchindex``), and the browser's query in Python (ranking)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from patient_support import example_site

from sitegen.build.outputs import MemorySink
from sitegen.build.searching import SearchIndex, page_doc
from sitegen.publish import searchdoc
from sitegen.publish import searchindex as si
from sitegen.publish.searchdoc import (
    SearchDoc,
    doc_from_json,
    doc_id,
    doc_json,
    dumps,
    extract,
    fold,
    key,
    lemma,
    terms,
    words,
)

# --- text rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, WORLD_wide 2.5mg", ["hello", "world", "wide", "2", "5mg"]),
        ("¿Dónde está el NIÑO?", ["dónde", "está", "el", "niño"]),
        ("Cafe\u0301 x", ["café", "x"]),  # NFC first
        ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),  # combining marks stay inside words, as in JavaScript
        ("a" * 40 + " " + "b" * 41 + " c", ["a" * 40, "c"]),
        ("", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("word", "folded", "key2", "key3"),
    [
        ("dólor", "dolor", "do", "dol"),
        ("niño", "nino", "ni", "nin"),
        ("a", "a", "a_", "a__"),
        ("ab", "ab", "ab", "ab_"),
        ("中文", "", "__", "___"),
        ("ﬁsh", "fish", "fi", "fis"),
        ("straße", "strae", "st", "str"),
    ],
)
def test_fold_and_key(word: str, folded: str, key2: str, key3: str) -> None:
    assert fold(word) == folded
    assert key(word, False) == key2
    assert key(word, True) == key3


def test_lemma_groups_inflections_and_keeps_unknown_languages() -> None:
    assert lemma("studies", "en") == lemma("study", "en") == "study"
    assert lemma("went", "en") == "go"
    assert lemma("estudios", "es") == "estudio"
    assert lemma("studies", "zz") == "studies"  # a language simplemma does not know
    assert lemma("中文", "en") == "中文"


def test_doc_id_is_ten_base32_characters_of_the_url_hash() -> None:
    assert doc_id("/studies/asthma-inhaler/") == doc_id("/studies/asthma-inhaler/")
    ids = {doc_id(f"/p/{i}/") for i in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 10 and set(i) <= set("abcdefghijklmnopqrstuvwxyz234567") for i in ids)
    # RFC 4648 base32 of sha256("") starts with 4OYMIQUY7QOBJGX3...
    assert doc_id("") == "4oymiquy7q"


# --- extraction: small snippets -----------------------------------------------------------------


def page(body: str, title: str = "Page | Site") -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


def text_of(doc: SearchDoc | None) -> str:
    assert doc is not None
    return " | ".join(s[2] for s in doc.sections)


def test_no_body_element_means_not_indexed() -> None:
    assert extract(page("<main><h1>Title</h1><p>Text</p></main>"), "/x/") is None
    assert extract(page("<p>the words data-search-body in text</p>"), "/x/") is None


@pytest.mark.parametrize("attr", ["data-search-body", "data-pagefind-body"])
def test_body_only_and_its_end(attr: str) -> None:
    html = page(f"<p>before</p><div {attr}><div>inner</div>body text</div><p>after</p>")
    assert text_of(extract(html, "/x/")) == "inner body text"


def test_ignored_parts_nested_and_skipped_elements() -> None:
    html = page(
        "<article data-search-body><p>keep <span data-search-ignore>drop <div>x</div> drop"
        "</span>two</p><div data-pagefind-ignore><div><div>deep</div></div>gone</div>"
        "<script>var s = '</div><p>code</p>';</script><style>p{}</style>"
        "<!-- </article> <h2 id='c'>comment</h2> -->"
        "<button>Press</button><svg><text>svg</text></svg><noscript>ns</noscript>"
        "<template><p>tpl</p></template><select><option>opt</option></select>"
        "<p>after</p></article>"
    )
    assert text_of(extract(html, "/x/")) == "keep two after"


def test_inline_tags_join_words_and_block_tags_separate_them() -> None:
    html = page(
        "<div data-search-body><p>he<b>ll</b>o</p><p>wor</p><p>ld</p>"
        "<p>line<br>break</p><p>a<wbr>b <a href='#'>li</a>nk</p></div>"
    )
    assert text_of(extract(html, "/x/")) == "hello wor ld line break ab link"


def test_the_inline_tag_pattern_knows_exactly_the_inline_tags() -> None:
    for name in searchdoc.INLINE:
        assert searchdoc._INLINE_TAG_RE.fullmatch(f"<{name} class='x'>"), name
        assert searchdoc._INLINE_TAG_RE.fullmatch(f"</{name.upper()}>"), name
    for name in ["p", "div", "li", "br", "ab", "bd", "sp", "dd", "td", "table", "article"]:
        assert not searchdoc._INLINE_TAG_RE.fullmatch(f"<{name}>"), name


def test_entities_are_decoded_and_whitespace_collapsed() -> None:
    html = page(
        "<div data-search-body><p>Fish &amp;\n\n chips &eacute;t&#233; &#x263A;"
        "&nbsp;&lt;b&gt;</p></div>"
    )
    assert text_of(extract(html, "/x/")) == "Fish & chips été ☺ <b>"


def test_headings_with_ids_start_sections_and_h1_is_the_title() -> None:
    html = page(
        "<div data-search-body><h1>The <em>title</em></h1><p>Intro</p>"
        '<h2 id="first">First <em>part</em></h2><p>One</p><h3>No id</h3><p>two</p>'
        '<h3 id="empty">Empty</h3><h2 id="last">Last</h2><p>three &amp; four</p>'
        "<h1>Second h1</h1></div>"
    )
    doc = extract(html, "/x/")
    assert doc is not None
    assert doc.title == "The title"
    assert doc.sections == (
        ("", "", "Intro"),
        ("first", "First part", "One No id two"),
        ("empty", "Empty", ""),
        ("last", "Last", "three & four Second h1"),
    )


def test_title_falls_back_to_the_document_title_and_empty_first_section_is_dropped() -> None:
    html = page('<div data-search-body><h2 id="a">A</h2><p>x</p></div>', "Fall &amp; back")
    doc = extract(html, "/x/")
    assert doc is not None
    assert doc.title == "Fall & back"
    assert doc.sections == (("a", "A", "x"),)


def test_filters_sorted_distinct_and_not_from_ignored_parts() -> None:
    html = page(
        '<div data-search-body><dd data-pagefind-filter="Country">Spain</dd>'
        '<span data-search-filter="Country"> United\n <b>States</b> </span>'
        "<span data-search-filter='Country'>Spain</span>"
        '<span data-search-filter="Health &amp; care">Asthma</span>'
        '<div data-search-ignore><span data-search-filter="Country">Hidden</span></div>'
        '<span data-search-filter="Empty"> </span></div>'
    )
    doc = extract(html, "/x/")
    assert doc is not None
    assert doc.filters == (("Country", ("Spain", "United States")), ("Health & care", ("Asthma",)))
    assert "Spain" in text_of(doc)  # filter values are page text too


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<div>",
                "</div>",
                "<p>",
                "</p>",
                "<h2 id='x'>",
                "</h2>",
                "<h1>",
                "</h1>",
                "<script>",
                "</script>",
                "<!--",
                "-->",
                "<span data-search-ignore>",
                "<div data-search-filter='F'>",
                "<",
                ">",
                '"',
                "'",
                "&amp",
                "&#99999999;",
                "word",
                " ",
                "<br/>",
                "<div data-search-body>",
                "é",
            ]
        ),
        max_size=40,
    )
)
def test_malformed_html_never_raises(parts: list[str]) -> None:
    html = "".join(parts)
    doc = extract(html, "/x/")
    if doc is not None:
        assert doc_from_json(doc_json(doc)) == doc
        terms(doc, "en")


# --- extraction: the example site's rendered pages ---------------------------------------------


@pytest.fixture(scope="module")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_site(tmp_path_factory.mktemp("example"))[0]


def test_extract_a_rendered_study_page(example_output: Path) -> None:
    html = (example_output / "studies" / "asthma-inhaler" / "index.html").read_text("utf-8")
    doc = extract(html, "/studies/asthma-inhaler/")
    assert doc is not None
    assert doc.title == "Testing an extra inhaler for asthma that still causes problems"
    anchors = [s[0] for s in doc.sections]
    assert anchors[0] == ""
    assert "what-is-this-study-about" in anchors
    assert "who-can-take-part" in anchors
    # ignored parts: the table of contents, the pre-screening form, the registry details
    assert "toc-heading" not in anchors
    assert "professional-heading" not in anchors
    text = " ".join(s[2] for s in doc.sections)
    assert "Has a doctor told you" not in text
    assert "Inclusion Criteria" not in text
    assert "Skip to main content" not in text  # outside the body
    assert doc.title not in text
    assert "Asthma makes the airways in your lungs swollen and narrow." in text
    filters = dict(doc.filters)
    assert filters["Health condition"] == ("Asthma",)
    assert "Spain" in filters["Country"]
    assert filters["Status"] == ("Looking for volunteers",)


def test_every_rendered_page_round_trips_and_the_spanish_pages_keep_accents(
    example_output: Path,
) -> None:
    found = 0
    for path in sorted(example_output.rglob("*.html")):
        doc = extract(path.read_text("utf-8"), "/" + path.relative_to(example_output).as_posix())
        if doc is None:
            continue
        found += 1
        assert doc.title
        assert doc_from_json(doc_json(doc)) == doc
        assert all(s[2] or s[0] for s in doc.sections)
    assert found >= 20
    spanish = example_output / "es" / "studies" / "asma-inhalador" / "index.html"
    doc = extract(spanish.read_text("utf-8"), "/es/studies/asma-inhalador/")
    assert doc is not None
    assert any(w in terms(doc, "es") for w in ("estudio", "médico", "información"))


def test_the_example_site_indexed_and_searched(example_output: Path) -> None:
    entries: dict[str, dict[str, si.Entry]] = {}
    urls: dict[str, str] = {}
    for path in sorted(example_output.rglob("index.html")):
        url = path.parent.relative_to(example_output).as_posix() + "/"
        doc = extract(path.read_text("utf-8"), url)
        if doc is None:
            continue
        lang = "es" if url.startswith("es/") else "en"
        urls[doc_id(url)] = url
        entries.setdefault(lang, {})[doc_id(url)] = (terms(doc, lang), dict(doc.filters))
    english = si.build_index("en", entries["en"].items())
    spanish = si.build_index("es", entries["es"].items())

    def top(files: dict[str, bytes], query: str, **filters: list[str]) -> list[str]:
        return [urls[d] for d in si.search_query(files.get, query, filters)]

    assert top(english, "inhaler")[0] == "studies/asthma-inhaler/"
    assert top(english, "asthma inhaler")[0] == "studies/asthma-inhaler/"
    assert top(english, "knee injection")[0] == "studies/knee-osteoarthritis-injection/"
    assert top(english, "migraine")[0] == "studies/migraine-prevention/"
    assert "studies/asthma-inhaler/" in top(english, "", Country=["Canada"])
    assert top(english, "asthma", Country=["Denmark"]) == []
    assert top(spanish, "asma")[0] == "es/studies/asma-inhalador/"
    assert top(spanish, "inhalador")[0] == "es/studies/asma-inhalador/"


# --- doc files ----------------------------------------------------------------------------------


def test_doc_file_format() -> None:
    doc = SearchDoc("/a/", "T", (("", "", "x"), ("h", "H", "y")), (("F", ("a", "b")),))
    assert doc_json(doc) == (
        b'{"f":{"F":["a","b"]},"s":[["","","x"],["h","H","y"]],"t":"T","u":"/a/"}'
    )
    assert doc_from_json(doc_json(doc)) == doc


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff",
        b"[]",
        b"null",
        b'{"f":{},"s":[],"t":"T"}',
        b'{"f":{},"s":[],"t":"T","u":"/","x":1}',
        b'{"f":{},"s":[["a","b"]],"t":"T","u":"/"}',
        b'{"f":{},"s":[["a","b",3]],"t":"T","u":"/"}',
        b'{"f":{"F":"a"},"s":[],"t":"T","u":"/"}',
        b'{"f":{"F":[1]},"s":[],"t":"T","u":"/"}',
        b'{"f":[],"s":[],"t":"T","u":"/"}',
        b'{"f":{},"s":{},"t":"T","u":"/"}',
        b'{"f":{},"s":[],"t":1,"u":"/"}',
        b'{"f":{},"s":[],"t":"T","u":null}',
        b"[" * 100_000,
    ],
)
def test_bad_doc_files_raise_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        doc_from_json(data)


# --- weights ------------------------------------------------------------------------------------


def bm25(tf: int, dl: int) -> int:
    step = 2 ** (round(4 * math.log2(dl)) / 4)
    return max(1, round(100 * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * step / 400))))


def test_weights_count_title_headings_and_text() -> None:
    doc = SearchDoc(
        "/x/",
        "Asthma care",
        (("", "", "asthma and cough"), ("h", "Cough", "Asthma, asthma.")),
        (),
    )
    # 9 words: title 2, texts 3 + 2, heading 1
    assert terms(doc, "en") == {
        "asthma": bm25(5 + 1 + 2, 8),
        "care": bm25(5, 8),
        "and": bm25(1, 8),
        "cough": bm25(1 + 2, 8),
    }


def test_weights_do_not_depend_on_other_pages_and_longer_pages_weigh_less() -> None:
    short = SearchDoc("/a/", "", (("", "", "asthma " + "x " * 10),), ())
    long = SearchDoc("/b/", "", (("", "", "asthma " + "x " * 1000),), ())
    assert terms(short, "en")["asthma"] > terms(long, "en")["asthma"] >= 1


def test_an_edit_of_a_few_words_keeps_the_other_words_weights() -> None:
    rng = random.Random(5)
    vocab = [f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(300)]
    text = " ".join(rng.choice(vocab) for _ in range(900))
    before = terms(SearchDoc("/a/", "A page", (("", "", text),), ()), "en")
    after = terms(SearchDoc("/a/", "A page", (("", "", text + " zebra crossing"),), ()), "en")
    assert set(after) - set(before) == {"zebra", "crossing"}
    assert {w: after[w] for w in before} == before  # no other shard needs writing
    assert searchdoc.length_step(120) == 128.0 and searchdoc.length_step(0) == 1.0


# --- build, determinism, format -----------------------------------------------------------------


def entry(text: str, title: str = "", **filters: list[str]) -> si.Entry:
    doc = SearchDoc("/", title, (("", "", text),), ())
    return terms(doc, "en"), dict(filters)


def test_build_is_deterministic_and_canonical_json() -> None:
    rng = random.Random(5)
    vocab = VOCAB
    entries = [
        (doc_id(f"/p{i}/"), entry(" ".join(rng.choices(vocab, k=60)), Status=[rng.choice("ab")]))
        for i in range(40)
    ]
    first = si.build_index("en", entries)
    assert si.build_index("en", reversed(entries)) == first
    for rel, data in first.items():
        assert dumps(json.loads(data)) == data, rel
    meta = json.loads(first["meta.json"])
    assert meta["n"] == 40 and meta["v"] == 1 and meta["split"] == []
    assert sorted(meta["f"]["Status"]) == ["a", "b"]


def test_shards_follow_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(si, "SPLIT_BYTES", 400)
    rng = random.Random(9)
    docs = {doc_id(f"/p{i}/"): entry(" ".join(rng.choices(VOCAB, k=30))) for i in range(30)}
    files = si.build_index("en", docs.items())
    split = set(json.loads(files["meta.json"])["split"])
    assert split
    forms: dict[str, str] = {}
    for rel, data in files.items():
        if rel == "meta.json":
            continue
        shard = json.loads(data)
        name = rel[2:-5]
        assert shard["a"] or shard["l"]
        assert len(name) == (3 if name[:2] in split else 2)
        for lem, lem_forms in shard["l"].items():
            assert key(lem, key(lem, False) in split) == name
            for form, postings in lem_forms.items():
                forms[form] = lem
                assert [p[0] for p in postings] == sorted({p[0] for p in postings})
        for form in shard["a"]:
            assert key(form, key(form, False) in split) == name
    assert forms == {f: lemma(f, "en") for weights, _ in docs.values() for f in weights}
    for form, lem in forms.items():
        form_key = key(form, key(form, False) in split)
        lem_key = key(lem, key(lem, False) in split)
        if form_key != lem_key:
            assert json.loads(files[f"w/{form_key}.json"])["a"][form] == lem


def test_a_build_without_a_last_index_keeps_no_entries() -> None:
    """A cold build puts each page's entry into the language's builder as it comes (the
    entries are not kept until ``finish``) and writes what ``build_index`` gives."""
    sink = MemorySink()
    index = SearchIndex(sink)
    rng = random.Random(3)
    expected = []
    for i in reversed(range(12)):
        url = f"/p{i}/"
        text = " ".join(rng.choices(VOCAB, k=40))
        html = f"<main data-search-body><h1>Page {i}</h1><p>{text}</p></main>".encode()
        out = page_doc(sink, "en", url, html)
        assert out is not None and out.entry is not None
        expected.append((out.ident, out.entry))
        index.add(out)
    assert all(entry is None for _, _, entry in index.docs["en"].values())
    assert index.finish() == []
    top = "search-index/en/"
    written = {rel[len(top) :]: data for rel, data in sink.files.items() if "/d/" not in rel}
    assert written == si.build_index("en", expected)


def test_duplicate_doc_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="abc"):
        si.build_index("en", [("abc", entry("x")), ("abc", entry("y"))])


# --- patch == build ------------------------------------------------------------------------------

VOCAB_TEXT = (
    "study studies studied studying stand stood standing go went gone going asthma asthmatic "
    "inhaler inhalers child children mouse mice run ran see saw seen a an the of to in is be "
    "was were better good best dólor dolor niño nino ácido acido apple apply applied zebra "
    "2025 x1 中文 日本 café cafe staff stuff sta stu sti sto st s"
)
VOCAB = tuple(VOCAB_TEXT.split())


def random_entry(rng: random.Random) -> si.Entry:
    text = " ".join(rng.choices(VOCAB, k=rng.randint(1, 25)))
    filters: dict[str, list[str]] = {}
    if rng.random() < 0.6:
        filters["Status"] = [rng.choice(["Open", "Closed"])]
    if rng.random() < 0.4:
        filters["Country"] = rng.sample(["Spain", "Canada", "Perú"], rng.randint(1, 2))
    return entry(text, title=rng.choice(["", "Study", "asthma"]), **filters)


def apply(files: dict[str, bytes], write: Mapping[str, bytes], delete: set[str]) -> None:
    assert not set(write) & delete
    for rel in delete:
        assert rel in files, rel
        del files[rel]
    files.update(write)


@pytest.mark.parametrize("seed", range(25))
def test_patches_give_the_same_bytes_as_a_build(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(si, "SPLIT_BYTES", rng.choice([200, 500, 1500, 64 * 1024]))
    docs = {doc_id(f"/d{i}/"): random_entry(rng) for i in range(rng.randint(0, 12))}
    files = si.build_index("en", docs.items())
    serial = 100
    for _step in range(12):
        old: dict[str, si.Entry] = {}
        new: dict[str, si.Entry] = {}
        for _op in range(rng.randint(1, 4)):
            choice = rng.random()
            if choice < 0.4 or not docs:
                serial += 1
                doc = doc_id(f"/d{serial}/")
                new[doc] = random_entry(rng)
            else:
                doc = rng.choice(sorted(docs))
                if doc in new:
                    continue
                old[doc] = docs[doc]
                if choice < 0.7:
                    new[doc] = random_entry(rng)
        for doc in old:
            docs.pop(doc)
        docs.update(new)
        write, delete = si.patch_index("en", files.get, old, new)
        apply(files, write, delete)
        assert files == si.build_index("en", docs.items())


def test_a_prefix_splits_and_joins_again_through_patches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(si, "SPLIT_BYTES", 300)
    files = si.build_index("en", [])
    docs: dict[str, si.Entry] = {}
    seen_split = []
    for i in range(12):
        doc = doc_id(f"/s{i}/")
        docs[doc] = entry("stood stand study studies staff stuff")
        apply(files, *si.patch_index("en", files.get, {}, {doc: docs[doc]}))
        seen_split.append("st" in json.loads(files["meta.json"])["split"])
        assert files == si.build_index("en", docs.items())
    for doc in list(docs):
        apply(files, *si.patch_index("en", files.get, {doc: docs.pop(doc)}, {}))
        seen_split.append("st" in json.loads(files["meta.json"])["split"])
        assert files == si.build_index("en", docs.items())
    assert seen_split[0] is False and True in seen_split and seen_split[-1] is False
    assert set(files) == {"meta.json"}
    assert "w/sto.json" not in files


def test_patch_that_changes_nothing_writes_nothing() -> None:
    docs = {doc_id("/a/"): entry("asthma study"), doc_id("/b/"): entry("asthma care")}
    files = si.build_index("en", docs.items())
    assert si.patch_index("en", files.get, docs, docs) == ({}, set())


# --- IndexStale ---------------------------------------------------------------------------------


@pytest.fixture
def small_index() -> tuple[dict[str, bytes], dict[str, si.Entry]]:
    docs = {doc_id("/a/"): entry("asthma study", Status=["Open"]), doc_id("/b/"): entry("care")}
    return si.build_index("en", docs.items()), docs


def garbled(files: dict[str, bytes], rel: str, data: bytes | None) -> dict[str, bytes]:
    out = dict(files)
    if data is None:
        out.pop(rel)
    else:
        out[rel] = data
    return out


@pytest.mark.parametrize(
    ("rel", "data"),
    [
        ("meta.json", None),
        ("meta.json", b"{"),
        ("meta.json", b"\xff\xfe"),
        ("meta.json", b'{"f":{},"n":2,"split":[],"v":2}'),
        ("meta.json", b'{"f":{},"n":2,"split":[],"v":"1"}'),
        ("meta.json", b'{"f":{},"n":2,"split":["as"],"v":1}'),  # a split shard that is not there
        ("meta.json", b'{"f":{"Status":{"Open":[3]}},"n":2,"split":[],"v":1}'),
        ("meta.json", b"[]"),
        ("meta.json", b"[" * 100_000),
        ("w/as.json", b"[" * 100_000),
        ("w/as.json", b'{"a":{"x":' + b"[" * 100_000 + b'},"l":{}}'),
        ("w/as.json", None),
        ("w/as.json", b"not json"),
        ("w/as.json", b'{"a":{},"l":{"asthma":{"asthma":[["x",1,2]]}}}'),
        ("w/as.json", b'{"a":{},"l":{"asthma":{"asthma":[["b",1],["a",1]]}}}'),
        ("w/as.json", b'{"a":{},"l":{"asthma":{"asthma":"x"}}}'),
        ("w/as.json", b'{"a":[],"l":{}}'),
        ("w/as.json", b'{"l":{}}'),
    ],
)
def test_stale_previous_files_raise(
    small_index: tuple[dict[str, bytes], dict[str, si.Entry]], rel: str, data: bytes | None
) -> None:
    files, docs = small_index
    files = garbled(files, rel, data)
    doc = doc_id("/a/")
    with pytest.raises(si.IndexStale):
        si.patch_index("en", files.get, {doc: docs[doc]}, {doc: entry("care")})


def test_old_entries_that_do_not_match_the_index_raise(
    small_index: tuple[dict[str, bytes], dict[str, si.Entry]],
) -> None:
    files, docs = small_index
    doc = doc_id("/a/")
    weights, filters = docs[doc]
    wrong = ({**weights, "asthma": weights["asthma"] + 1}, filters)
    with pytest.raises(si.IndexStale):
        si.patch_index("en", files.get, {doc: wrong}, {})
    with pytest.raises(si.IndexStale):  # "added" but already there
        si.patch_index("en", files.get, {}, {doc: docs[doc]})


# --- query --------------------------------------------------------------------------------------


def make_index(
    lang: str, pages: Mapping[str, str], filters: Mapping[str, dict[str, list[str]]] | None = None
) -> tuple[dict[str, bytes], dict[str, str]]:
    """An index of pages given as {url: text}; returns (files, doc id -> url)."""
    entries = []
    for url, text in pages.items():
        doc = SearchDoc(url, "", (("", "", text),), ())
        entries.append((doc_id(url), (terms(doc, lang), dict((filters or {}).get(url, {})))))
    return si.build_index(lang, entries), {doc_id(url): url for url in pages}


def run(
    files: dict[str, bytes], urls: dict[str, str], query: str, **filters: list[str]
) -> list[str]:
    return [urls[d] for d in si.search_query(files.get, query, filters)]


def test_exact_words_beat_prefixes() -> None:
    files, urls = make_index(
        "en",
        {"/exact/": "asthma in adults", "/prefix/": "asthmatic children", "/other/": "knee pain"},
    )
    assert run(files, urls, "asthma") == ["/exact/"]
    assert run(files, urls, "Asthma!") == ["/exact/"]
    assert sorted(run(files, urls, "asthm")) == ["/exact/", "/prefix/"]
    assert run(files, urls, "as") == []  # prefixes need 3 characters
    assert run(files, urls, "zebra") == []


def test_inflections_match_through_the_lemma() -> None:
    files, urls = make_index(
        "en",
        {"/one/": "a study of sleep", "/many/": "two studies of sleep", "/none/": "sleep"},
    )
    assert sorted(run(files, urls, "studies")) == ["/many/", "/one/"]
    assert sorted(run(files, urls, "study")) == ["/many/", "/one/"]
    assert (
        sorted(run(files, urls, "studied")) == []
    )  # no page has the form: browsers cannot lemmatize


def test_the_lemma_itself_matches_when_no_page_has_it_as_a_form() -> None:
    files, urls = make_index("en", {"/many/": "two studies", "/gone/": "he went home"})
    assert run(files, urls, "study") == ["/many/"]
    assert run(files, urls, "go") == ["/gone/"]
    assert run(files, urls, "went") == ["/gone/"]  # an alias: "went" lives in the "go" shard


def test_accents_do_not_matter_when_the_exact_word_is_absent() -> None:
    files, urls = make_index(
        "es",
        {"/dolor/": "tengo dólor de cabeza", "/nino/": "el niño juega", "/otro/": "nada"},
    )
    assert run(files, urls, "dolor") == ["/dolor/"]
    assert run(files, urls, "DÓLOR") == ["/dolor/"]
    assert run(files, urls, "nino") == ["/nino/"]
    assert run(files, urls, "niños") == []


def test_all_words_must_match_and_rare_words_weigh_more() -> None:
    files, urls = make_index(
        "en",
        {
            "/both/": "asthma inhaler study",
            "/asthma/": "asthma study",
            "/inhaler/": "inhaler study",
            "/rare/": "asthma asthma asthma study",
        },
    )
    assert run(files, urls, "asthma inhaler") == ["/both/"]
    assert run(files, urls, "inhaler asthma asthma") == ["/both/"]
    assert run(files, urls, "asthma")[0] == "/rare/"


def test_scores_are_idf_times_weight() -> None:
    pages = {f"/p{i}/": "common " + ("rare " if i < 2 else "") + "x " * i for i in range(6)}
    files, _urls = make_index("en", pages)
    result = si.search_query(files.get, "rare")
    weights = {
        doc_id(u): terms(SearchDoc(u, "", (("", "", t),), ()), "en") for u, t in pages.items()
    }
    idf = math.log(1 + (6 - 2 + 0.5) / (2 + 0.5))
    scores = {d: idf * weights[d]["rare"] / 100 for d in result}
    assert result == sorted(scores, key=lambda d: (-scores[d], d))


def test_filters_restrict_results_and_an_empty_query_lists_filtered_docs() -> None:
    pages = {"/a/": "asthma", "/b/": "asthma", "/c/": "asthma", "/d/": "knee"}
    filters = {
        "/a/": {"Status": ["Open"], "Country": ["Spain"]},
        "/b/": {"Status": ["Closed"], "Country": ["Spain", "Canada"]},
        "/c/": {"Status": ["Open"], "Country": ["Canada"]},
        "/d/": {"Status": ["Open"]},
    }
    files, urls = make_index("en", pages, filters)
    assert sorted(run(files, urls, "asthma", Status=["Open"])) == ["/a/", "/c/"]
    assert sorted(run(files, urls, "asthma", Status=["Open", "Closed"])) == ["/a/", "/b/", "/c/"]
    assert run(files, urls, "asthma", Status=["Open"], Country=["Spain"]) == ["/a/"]
    assert run(files, urls, "asthma", Status=[]) == run(files, urls, "asthma")
    assert run(files, urls, "asthma", Status=["Nope"]) == []
    expected = sorted(["/a/", "/c/", "/d/"], key=doc_id)
    assert run(files, urls, "", Status=["Open"]) == expected
    assert run(files, urls, "") == []


def test_ties_are_in_doc_id_order_every_time() -> None:
    pages = {f"/same{i}/": "identical words here" for i in range(20)}
    files, _urls = make_index("en", pages)
    result = si.search_query(files.get, "identical")
    assert result == sorted(result)
    assert len(result) == 20
    assert si.search_query(files.get, "identical words") == result


def test_query_on_split_shards_finds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = {f"/p{i}/": " ".join(VOCAB[i : i + 20]) for i in range(0, len(VOCAB), 3)}
    files, _urls = make_index("en", pages)
    monkeypatch.setattr(si, "SPLIT_BYTES", 150)
    split_files, _ = make_index("en", pages)
    assert json.loads(split_files["meta.json"])["split"]
    for word in ["stood", "stand", "st", "sto", "stu", "went", "dolor", "nino", "a", "中文"]:
        assert si.search_query(split_files.get, word) == si.search_query(files.get, word), word


@pytest.mark.parametrize("seed", range(40))
def test_postings_edited_in_place_match_the_parsed_edit(seed: int) -> None:
    rng = random.Random(seed)
    ids = sorted({doc_id(f"/e{rng.randrange(10**6)}/") for _ in range(rng.randint(1, 300))})
    postings = {doc: rng.randint(1, 220) for doc in ids}
    raw = json.dumps([[d, w] for d, w in postings.items()], separators=(",", ":")).encode()
    changes: dict[str, tuple[int | None, int | None]] = {}
    for doc in rng.sample(ids, min(len(ids), rng.randint(0, 6))):
        changes[doc] = (postings[doc], rng.choice([None, rng.randint(1, 220)]))
    for _ in range(rng.randint(0, 6)):
        changes[doc_id(f"/new{rng.randrange(10**6)}/")] = (None, rng.randint(1, 220))
    edited = si._edit_postings("w/xx.json", "form", raw, changes)
    expected = dict(postings)
    for doc, (_before, after) in changes.items():
        expected.pop(doc, None)
        if after is not None:
            expected[doc] = after
    assert (
        edited
        == json.dumps(sorted([d, w] for d, w in expected.items()), separators=(",", ":")).encode()
    )
    wrong = next(iter(changes), None)
    if wrong is not None and changes[wrong][0] is not None:
        with pytest.raises(si.IndexStale):
            si._edit_postings("w/xx.json", "form", raw, {wrong: (changes[wrong][0] + 1, None)})
