"""The build cache is data that cannot run code: JSON of known types behind a keyed MAC."""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import pytest

from sitegen.build import workers
from sitegen.content import reader
from sitegen.content.config import load_config
from sitegen.core import cachefile

REPO = Path(__file__).parent.parent


def outcomes() -> list[workers.Outcome]:
    config, _ = load_config(REPO)
    assert config is not None
    found, _ = reader.discover(REPO, config.content_dir)
    return [workers.process_one(rel, kind, full, REPO, config) for rel, kind, full in found]


def test_every_page_result_comes_back_equal(tmp_path: Path) -> None:
    codec = workers._codec()
    for i, outcome in enumerate(outcomes()):
        path = tmp_path / cachefile.CACHE_DIR / "pages" / f"{i}.json"
        cachefile.store(path, ("k", outcome), codec)
        back = cachefile.load(path, codec)
        assert back == ("k", outcome)
        assert type(back[1].page.meta) is type(outcome.page.meta)


def test_a_file_with_the_right_sha256_but_not_our_mac_is_not_read(tmp_path: Path) -> None:
    codec = workers._codec()
    path = tmp_path / cachefile.CACHE_DIR / "x.json"
    cachefile.store(path, ["good"], codec)
    assert cachefile.load(path, codec) == ["good"]
    payload = json.dumps(["planted"]).encode()
    path.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    assert cachefile.load(path, codec) is None


def test_only_known_types_are_written_or_read() -> None:
    codec = workers._codec()
    with pytest.raises(TypeError):
        codec.dumps(pickle)  # a module: nothing the cache may hold
    with pytest.raises(ValueError):
        codec.loads(b'{"^": "os:system", "v": {}}')
    heading = b'"^": "sitegen.markup.convert:Heading", "id": "a", "text": "A", "level": 2'
    for bad in (
        b'"__class__": 1, ' + heading,  # a name Python keeps for itself
        b'"^": "sitegen.markup.convert:Heading", "id": "a", "text": "A"',  # a field missing
        b'"other": 1, ' + heading,  # a name that is no field
        b'"^": "sitegen.markup.convert:Heading", "v": {"id": "a", "text": "A", "level": 2}',
    ):
        with pytest.raises(ValueError):
            codec.loads(b"{" + bad + b"}")
    assert repr(codec.loads(b"{" + heading + b"}")) == "Heading(id='a', text='A', level=2)"
    # Private state kept beside the fields (one leading underscore) is read back too.
    kept = codec.loads(b'{"_memo": [1], ' + heading + b"}")
    assert kept.__dict__["_memo"] == [1] and kept == codec.loads(b"{" + heading + b"}")


def test_a_fifo_or_link_in_the_cache_is_not_followed(tmp_path: Path) -> None:
    import os

    codec = workers._codec()
    folder = tmp_path / cachefile.CACHE_DIR
    folder.mkdir()
    good = folder / "good.json"
    cachefile.store(good, [1], codec)
    (folder / "link.json").symlink_to(good)
    os.mkfifo(folder / "fifo.json")
    assert cachefile.load(folder / "link.json", codec) is None
    assert cachefile.load(folder / "fifo.json", codec) is None  # and it did not hang


def test_the_cache_folder_must_be_a_real_folder(tmp_path: Path) -> None:
    assert cachefile.check_folder(tmp_path) is None  # missing: made on first use
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / cachefile.CACHE_DIR).symlink_to(tmp_path / "elsewhere")
    assert cachefile.check_folder(tmp_path) == "is a symbolic link"
    codec = workers._codec()
    cachefile.store(tmp_path / cachefile.CACHE_DIR / "pages" / "x.json", [1], codec)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_deferred_fields_are_decoded_only_when_read(tmp_path: Path) -> None:
    """A page's HTML, source text and findings stay one undecoded text until first read;
    then they are exactly what was stored, and so is the rest."""
    codec = workers._codec()
    for i, outcome in enumerate(o for o in outcomes() if o.page is not None):
        path = tmp_path / cachefile.CACHE_DIR / "pages" / f"{i}.json"
        cachefile.store(path, outcome, codec)
        back = cachefile.load(path, codec)
        assert isinstance(back, workers.Outcome) and back.page is not None
        assert back.rendered is not None and back.check is not None
        light = [back.page, back.rendered, back.check]
        assert all(cachefile.deferred(x) for x in light)
        assert "body" not in vars(back.page) and "findings" not in vars(back.check)
        # what every build reads of every page is there without decoding the rest
        assert back.page.url == outcome.page.url and back.check.verdict == outcome.check.verdict
        assert back.rendered.links == outcome.rendered.links
        assert all(cachefile.deferred(x) for x in light)
        assert back.page.body == outcome.page.body
        assert not cachefile.deferred(back.page) and cachefile.deferred(back.check)
        assert back == outcome  # comparing reads every field: all decoded
        assert not any(cachefile.deferred(x) for x in light)


def test_an_object_never_decoded_is_stored_again_as_it_was(tmp_path: Path) -> None:
    codec = workers._codec()
    outcome = next(o for o in outcomes() if o.check is not None and o.check.findings)
    once = codec.loads(codec.dumps(outcome))
    twice = codec.loads(codec.dumps(once))  # ``once`` still holds its deferred text
    assert cachefile.deferred(once.check) and cachefile.deferred(twice.check)
    assert twice == outcome


def test_a_field_with_a_default_cannot_be_deferred() -> None:
    """``__getattr__`` never runs for a name the class itself has: a deferred field with a
    default would read as the default, silently."""
    with pytest.raises(TypeError, match="cannot be deferred"):
        cachefile.Codec(workers._CACHED_MODULES, {"sitegen.markup.convert:Rendered": ("links",)})
    with pytest.raises(TypeError, match="cannot have deferred fields"):
        cachefile.Codec(workers._CACHED_MODULES, {"sitegen.markup.convert:Heading": ("id",)})


def test_deferred_fields_that_are_not_text_are_not_read() -> None:
    codec = workers._codec()
    outcome = next(o for o in outcomes() if o.page is not None)
    head, *tail = codec.dumps(outcome).split(b"\n")
    data = json.loads(head)
    page = data["page"]
    assert isinstance(page["~"], int) and 0 <= page["~"] < len(tail)
    assert json.loads(tail[page["~"]]) == {"body": outcome.page.body}

    def read(data: object) -> object:
        return codec.loads(b"\n".join([json.dumps(data).encode(), *tail]))

    for bad in ({"body": "x"}, None, len(tail), -1, True):
        page["~"] = bad
        with pytest.raises(ValueError):
            read(data)
    page["~"] = json.dumps({"body": "x"})  # inline, as a deferred object inside another's
    assert read(data).page.body == "x"
    page["_deferred"] = ["os", "system"]  # the name the decoded object keeps it under
    with pytest.raises(ValueError):
        read(data)


def test_deferred_texts_read_with_a_spill_file_stay_on_disk(tmp_path: Path) -> None:
    """Read with a ``Spill``, an entry's deferred texts are in that file, not in memory;
    they decode to what was stored, and an object never decoded is stored again as it was."""
    codec = workers._codec()
    spill = cachefile.Spill.open(tmp_path / cachefile.CACHE_DIR)
    assert spill is not None
    for outcome in (o for o in outcomes() if o.page is not None and o.check is not None):
        data = codec.dumps(outcome)
        back = codec.loads(data, spill)
        held = [vars(x)["_deferred"][1] for x in (back.page, back.rendered, back.check)]
        assert all(type(text) is cachefile.Spilled for text in held)
        assert codec.dumps(back) == data
        assert back == outcome
    # the texts are in the file: each entry's lines after its first, one after another
    assert spill.read(0, 1) == b"{"


def test_texts_stay_in_memory_when_no_spill_file_can_be_written(tmp_path: Path) -> None:
    codec = workers._codec()
    outcome = next(o for o in outcomes() if o.page is not None)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / cachefile.CACHE_DIR).symlink_to(tmp_path / "elsewhere")
    assert cachefile.Spill.open(tmp_path / cachefile.CACHE_DIR) is None  # a link in the way
    assert list((tmp_path / "elsewhere").iterdir()) == []
    (tmp_path / "ro").write_bytes(b"")
    with open(tmp_path / "ro", "rb") as ro:  # a file it cannot write: a full disk, say
        back = codec.loads(codec.dumps(outcome), cachefile.Spill(ro))
    assert type(vars(back.page)["_deferred"][1]) is bytes
    assert back == outcome


def test_decoded_fields_can_be_left_undecoded_for_the_next_reader(tmp_path: Path) -> None:
    """``keep_decoded(False)`` (a forked worker): a field reads the same while its object is
    among the last few decoded, and the object itself stays as it was read."""
    codec = workers._codec()
    spill = cachefile.Spill.open(tmp_path / cachefile.CACHE_DIR)
    outcome = next(o for o in outcomes() if o.page is not None and o.page.body)
    backs = [codec.loads(codec.dumps(outcome), spill) for _ in range(40)]
    cachefile.keep_decoded(False)
    try:
        first = backs[0].page.body
        assert first == outcome.page.body and backs[0].page.body is first
        assert cachefile.deferred(backs[0].page)
        for back in backs[1:]:
            assert back.page.body == outcome.page.body and cachefile.deferred(back.page)
        assert backs[0].page.body == first and backs[0].page.body is not first  # again
    finally:
        cachefile.keep_decoded(True)
    assert backs[0].page.body == first and not cachefile.deferred(backs[0].page)


def test_forked_workers_read_spilled_texts_and_keep_none(tmp_path: Path) -> None:
    """Workers inherit the spill file and read it; what they decode they do not keep."""
    from sitegen.build.pool import PARALLEL_MIN, run_jobs

    codec = workers._codec()
    spill = cachefile.Spill.open(tmp_path / cachefile.CACHE_DIR)
    pages = [o for o in outcomes() if o.page is not None]
    backs = [codec.loads(codec.dumps(pages[i % len(pages)]), spill) for i in range(PARALLEL_MIN)]

    def job(i: int) -> tuple[str, bool]:
        body = backs[i].page.body
        return body, cachefile.deferred(backs[i].page)

    got = run_jobs(job, len(backs), 2)
    assert got == [(pages[i % len(pages)].page.body, True) for i in range(len(backs))]
    assert all(cachefile.deferred(b.page) for b in backs)  # nothing decoded in this process
