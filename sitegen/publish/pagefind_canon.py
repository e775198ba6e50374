"""Make Pagefind's search index byte-for-byte reproducible.

Pagefind (1.5) writes its filter indexes from a Rust ``HashMap``, so the order of filter
values, of the filters in the language's metadata file and of the languages in
``pagefind-entry.json`` changes from run to run, and with it the content-hashed file names
(Pagefind issue #638: fragments are stable since 1.3, "filter/metadata indexes" are not). There
is no option to turn this off, so after indexing this module rewrites those few small files
in sorted order and renames them by a hash of their new content:

* ``filter/<lang>_<hash>.pf_filter``: ``[name, [[value, [page, ...]], ...]]``, values sorted;
* ``pagefind.<lang>_<hash>.pf_meta``: the ``[name, filter file]`` list sorted by name and
  pointing at the new filter files;
* ``pagefind-entry.json``: languages sorted, pointing at the new metadata files.

The files are gzip-compressed CBOR behind a ``pagefind_dcd`` signature. A small CBOR codec
reads them; before changing anything it checks that decoding and encoding every file gives
back exactly the bytes Pagefind wrote. If any file does not round-trip (a future Pagefind
changed its format), nothing is changed and the caller gets ``False``. Search keeps working
either way: Pagefind's script loads files by the names listed in these indexes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
_META = re.compile(r"^pagefind\.(?P<hash>[a-z0-9_-]+)\.pf_meta$")


class FormatChanged(ValueError):
    """A Pagefind file is not in the layout this module knows."""


# ------------------------------------------------------------------- a tiny CBOR codec


@dataclass(frozen=True)
class Pairs:
    """A CBOR map, as its (key, value) pairs in file order."""

    items: tuple[tuple[Any, Any], ...]


def _head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, next index) of the CBOR item at ``i``."""
    ib = data[i]
    major, info = ib >> 5, ib & 31
    if info < 24:
        return major, info, i + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise FormatChanged(f"unsupported CBOR item 0x{ib:02x}")
    return major, int.from_bytes(data[i + 1 : i + 1 + size], "big"), i + 1 + size


def cbor_decode(data: bytes, i: int = 0) -> tuple[Any, int]:
    """Decode the CBOR item at ``i``: (value, index after it)."""
    if data[i] in (0xF4, 0xF5, 0xF6):
        return {0xF4: False, 0xF5: True, 0xF6: None}[data[i]], i + 1
    if data[i] == 0xFB:
        return struct.unpack(">d", data[i + 1 : i + 9])[0], i + 9
    major, arg, i = _head(data, i)
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        raw = data[i : i + arg]
        return (raw if major == 2 else raw.decode("utf-8")), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, i = cbor_decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        pairs = []
        for _ in range(arg):
            key, i = cbor_decode(data, i)
            value, i = cbor_decode(data, i)
            pairs.append((key, value))
        return Pairs(tuple(pairs)), i
    raise FormatChanged(f"unsupported CBOR major type {major}")


def _encode_head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise FormatChanged("integer too large")


def cbor_encode(value: Any) -> bytes:
    """Encode ``value`` the way Pagefind (serde_cbor) does: shortest heads, fixed lengths."""
    if value is False or value is True or value is None:
        return bytes([{False: 0xF4, True: 0xF5, None: 0xF6}[value]])
    if isinstance(value, int):
        return _encode_head(0, value) if value >= 0 else _encode_head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return _encode_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    if isinstance(value, list):
        return _encode_head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, Pairs):
        body = b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items)
        return _encode_head(5, len(value.items)) + body
    raise FormatChanged(f"cannot encode {type(value).__name__}")


# ------------------------------------------------------------------ Pagefind's files


def read_pf(path: Path) -> Any:
    """Decode one ``.pf_meta``/``.pf_filter`` file, checking that it round-trips exactly."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise FormatChanged(f"{path.name}: no {SIGNATURE.decode()} signature")
    body = raw[len(SIGNATURE) :]
    value, end = cbor_decode(body)
    if end != len(body) or cbor_encode(value) != body:
        raise FormatChanged(f"{path.name} does not round-trip")
    return value


def write_pf(folder: Path, prefix: str, name_format: str, digits: int, value: Any) -> str:
    """Write ``value`` as a Pagefind file named by its content hash; return the hash part."""
    body = SIGNATURE + cbor_encode(value)
    digest = f"{prefix}_{hashlib.sha256(body).hexdigest()[:digits]}"
    path = folder / name_format.format(digest)
    path.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    return digest


def _filters_of(meta: Any) -> list[list[str]]:
    """The ``[name, filter file hash]`` list of a metadata file."""
    if not isinstance(meta, list) or len(meta) < 4 or not isinstance(meta[3], list):
        raise FormatChanged("unexpected metadata layout")
    filters = meta[3]
    for item in filters:
        ok = isinstance(item, list) and len(item) == 2
        if not ok or not all(isinstance(x, str) for x in item):
            raise FormatChanged("unexpected filter list")
    return filters


def _sorted_filter(value: Any) -> Any:
    ok = isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)
    if not ok or not all(isinstance(v, list) and v and isinstance(v[0], str) for v in value[1]):
        raise FormatChanged("unexpected filter index layout")
    return [value[0], sorted(value[1], key=lambda v: v[0])]


def canonicalize(bundle: Path) -> bool:
    """Rewrite the order-dependent index files in ``bundle`` (the ``pagefind/`` folder).

    Returns True when the bundle is now reproducible, False when its format is unknown
    (then nothing was changed).
    """
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
        metas = {
            lang: bundle / f"pagefind.{info['hash']}.pf_meta" for lang, info in languages.items()
        }
        decoded_meta = {lang: read_pf(path) for lang, path in metas.items()}
        filter_files: dict[str, Path] = {}
        decoded_filters: dict[str, Any] = {}
        for meta in decoded_meta.values():
            for _, digest in _filters_of(meta):
                path = bundle / "filter" / f"{digest}.pf_filter"
                filter_files[digest] = path
                decoded_filters[digest] = _sorted_filter(read_pf(path))
    except (OSError, EOFError, KeyError, IndexError, TypeError, ValueError):
        return False  # FormatChanged is a ValueError
    # Everything read and understood: now rewrite.
    renamed: dict[str, str] = {}
    for digest, value in sorted(decoded_filters.items()):
        prefix = digest.rsplit("_", 1)[0]
        filter_files[digest].unlink()
        renamed[digest] = write_pf(bundle / "filter", prefix, "{}.pf_filter", 7, value)
    for lang, meta in sorted(decoded_meta.items()):
        filters = sorted([name, renamed[d]] for name, d in _filters_of(meta))
        meta = [*meta[:3], filters, *meta[4:]]
        metas[lang].unlink()
        prefix = languages[lang]["hash"].rsplit("_", 1)[0]
        languages[lang]["hash"] = write_pf(bundle, prefix, "pagefind.{}.pf_meta", 10, meta)
    entry["languages"] = dict(sorted(languages.items()))
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return True
