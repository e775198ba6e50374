"""Each page's part of the two reports with a row per page, ``readability.json`` and
``readability.sarif``, taken from the last build's files when the page is unchanged.

A page's part of either document (its ``page_json_text`` without the counts, and its SARIF
results) is made from its check alone, so it is the same while the page's content cache key
(which covers its source, the settings and sitegen's code) is the same. The record of each
document (``Written.extra``, kept with the reports folder's record) lists where each page's
part is in it: ``[path, key, offset, length]``. The next build copies those bytes from the
published file instead of reading the page's texts from the page cache (10,000 files, each
behind a MAC, at 10,000 pages), if the published file is still the one recorded (its size and
modification time, as for any reused file).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sitegen.build.outputs import Sink, StagedSink
from sitegen.render.stages import PageResult

#: the two documents whose page parts are spliced
JSON_FILE = "readability.json"
SARIF_FILE = "readability.sarif"

#: one page's part of a document: path, content cache key, offset and length in bytes
Part = list[Any]


class LastParts:
    """Where each unchanged page's part is in one of the last build's documents."""

    def __init__(self, fd: int, parts: dict[str, tuple[str, int, int]]) -> None:
        self._fd = fd
        self._parts = parts

    @classmethod
    def open(cls, sink: Sink, rel: str) -> LastParts | None:
        """The published ``rel`` of the folder ``sink`` replaces, with its recorded parts;
        None when there is none, or it is not the file recorded (edited by hand since)."""
        if not isinstance(sink, StagedSink):
            return None
        prev = sink.previous.get(rel)
        if prev is None or type(prev.extra) is not list or not prev.extra:
            return None
        fd = sink.staging.open_current(rel, prev.size, prev.mtime_ns)
        if fd is None:
            return None
        parts: dict[str, tuple[str, int, int]] = {}
        for part in prev.extra:
            if (
                type(part) is list
                and len(part) == 4
                and type(part[0]) is str
                and type(part[1]) is str
                and type(part[2]) is int
                and type(part[3]) is int
                and part[2] >= 0
                and part[3] >= 0
                and part[2] + part[3] <= prev.size
            ):
                parts[part[0]] = (part[1], part[2], part[3])
        return cls(fd, parts)

    def has(self, path: str, key: str | None) -> bool:
        """True if the page's part is there, for the key ``key``."""
        found = self._parts.get(path)
        return bool(key) and found is not None and found[0] == key

    def get(self, path: str, key: str | None) -> bytes | None:
        """The page's part as the last build wrote it, if its key was ``key``."""
        if not self.has(path, key):
            return None
        _, offset, length = self._parts[path]
        if not length:
            return b""
        try:
            data = os.pread(self._fd, length, offset)
        except OSError:
            return None
        return data if len(data) == length else None

    def close(self) -> None:
        """Close the file."""
        with contextlib.suppress(OSError):
            os.close(self._fd)


class Position:
    """How many bytes of a document were handed on so far (``counted``)."""

    def __init__(self) -> None:
        self.at = 0


def counted(chunks: Iterable[bytes], position: Position) -> Iterator[bytes]:
    """``chunks`` as they are, counting their bytes in ``position`` (a chunk is counted when
    the next one is asked for: a part made then knows where it starts)."""
    for chunk in chunks:
        yield chunk
        position.at += len(chunk)


def indexed_list(
    start: bytes,
    sep: bytes,
    end: bytes,
    empty: bytes,
    items: Iterable[tuple[str, str | None, bytes, bytes]],
    position: Position,
    index: list[Part],
) -> Iterator[bytes]:
    """A JSON list item by item, as ``report._json_list``: each item is ``(path, key, part,
    suffix)``, written as ``part + suffix`` and left out when both are empty; where each
    page's ``part`` lands is added to ``index`` (a page without a key is not: it cannot be
    spliced). ``position``: where the list starts, kept up to date by ``counted``."""
    first = True
    for path, key, part, suffix in items:
        if not part and not suffix:
            if key:
                index.append([path, key, 0, 0])
            continue
        lead = start if first else sep
        if key:
            index.append([path, key, position.at + len(lead), len(part)])
        yield lead + part + suffix
        first = False
    yield empty if first else end


def page_keys(results: Iterable[PageResult]) -> Mapping[str, str]:
    """Each page's content cache key (``PageResult.key``), by path."""
    return {r.page.path: r.key for r in results if r.key}
