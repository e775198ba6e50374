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
