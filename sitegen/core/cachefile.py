"""One file of the build cache (``.sitegen-cache/``): JSON behind a keyed MAC line.

Both the per-page results (``workers``) and the record of written files (``outputs``) are
stored this way. The cache is data, never code: values are written as JSON, and only the
plain types below and the dataclasses and enums of an explicit list of sitegen's own
modules (``Codec``) can be read back, field by field, without calling any constructor.

The first line of a file is an HMAC-SHA256 of the rest, keyed with a secret kept outside
every site folder (``~/.cache/sitegen/cache.key``, made on first use): an entry planted in
a site folder (say, a committed cache with unsanitized HTML in it) does not verify and is
ignored. A file that is missing, truncated, altered, not a regular file or unreadable loads
as ``None`` and is rebuilt; writes are atomic (temporary file, then rename) and best
effort, since a cache that cannot be written only costs time.

The cache folder must be a real folder of the site owned by the user running sitegen,
never a symbolic link: ``check_folder`` says when it is not, and ``real_dir`` is the only
way this package makes or enters one of its folders.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import enum
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sitegen.core.atomic import atomic_write

#: the cache folder, relative to the site root
CACHE_DIR = ".sitegen-cache"
_TAG = "^"  # the key that marks a JSON object as an encoded non-JSON value
_DEFERRED = "~"  # the key of an object's deferred fields, as one JSON text (``Deferred``)
_HELD = "_deferred"  # where a ``Deferred`` object keeps them, with its codec, until read
_KEY_BYTES = 32


class CacheFolderError(Exception):
    """The cache folder (or a folder in it) is not a real folder owned by this user."""


def folder_problem(path: Path) -> str | None:
    """Why ``path`` may not be used as a cache folder (None: it may, or it does not exist)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "is not a folder"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return "belongs to another user"
    return None


def check_folder(root: Path) -> str | None:
    """Why the site's cache folder cannot be used, or None (see ``folder_problem``)."""
    return folder_problem(root / CACHE_DIR)


def real_dir(path: Path) -> Path:
    """Make ``path`` (and its parents up to the site root) if missing; raise
    ``CacheFolderError`` if it or a parent inside the cache is not a real folder of ours."""
    parts = path.parts
    try:
        start = parts.index(CACHE_DIR)
    except ValueError as exc:  # pragma: no cover - a programming error
        raise CacheFolderError(f"{path} is not in {CACHE_DIR}") from exc
    current = Path(*parts[:start])
    for part in parts[start:]:
        current = current / part
        with contextlib.suppress(FileExistsError):
            os.mkdir(current, 0o700)
        problem = folder_problem(current)
        if problem is not None:
            raise CacheFolderError(f"{current} {problem}")
    return path


class Deferred:
    """A dataclass whose ``Codec`` may leave some fields undecoded until first read.

    A ``Codec`` made with ``deferred`` fields of a class writes them as one line of JSON
    after the entry's own and, when reading, keeps that line's bytes on the object instead
    of the fields: a build reads every page's cache entry but uses most pages' HTML, source
    text and findings only when that page changed. The first read of a missing field
    decodes them all (``__getattr__`` runs only for attributes an object does not have;
    a deferred field has no default, so the class has none either).
    """

    __slots__ = ()

    if not TYPE_CHECKING:  # to mypy, a missing attribute stays an error

        def __getattr__(self, name: str) -> Any:
            state = self.__dict__
            held = None if name[:2] == "__" else state.get(_HELD)
            if held is not None:
                if not _keep_decoded:
                    values = _recently_decoded(self, held)
                    if name in values:
                        return values[name]
                else:
                    # the fields first, then the text goes: another thread sees one or the
                    # other
                    codec, text = held
                    state.update(codec.loads_deferred(text))
                    state.pop(_HELD, None)
            if name in state:
                return state[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


#: whether a ``Deferred`` object keeps its fields once decoded (see ``keep_decoded``)
_keep_decoded = True
#: the last few objects' decoded fields, while decoded fields are not kept
_recent: OrderedDict[int, tuple[object, dict[str, Any]]] = OrderedDict()
_RECENT_MAX = 32


def keep_decoded(keep: bool) -> None:
    """Whether ``Deferred`` objects keep the fields they decode (the default) or decode them
    again when read after a few other objects' (``False``: in a forked worker, which reads
    each page's fields for one job; kept, they would copy the site into the worker)."""
    global _keep_decoded
    _keep_decoded = keep
    _recent.clear()


def _recently_decoded(obj: object, held: tuple[Codec, Any]) -> dict[str, Any]:
    """``obj``'s deferred fields, decoded again unless among the last few objects'."""
    got = _recent.get(id(obj))
    if got is not None and got[0] is obj:
        _recent.move_to_end(id(obj))
        return got[1]
    values = held[0].loads_deferred(held[1])
    _recent[id(obj)] = (obj, values)
    if len(_recent) > _RECENT_MAX:
        _recent.popitem(last=False)
    return values


class Spill:
    """An unnamed file that keeps deferred texts (``Deferred``) on disk instead of in memory.

    A build holds every page's cache entry but reads most pages' HTML, source text and
    findings never, or once in a worker: about 25 KB a page, 250 MB at 10,000 pages. Those
    texts are written here as the entries are read (``Codec.loads``) and read back by
    offset when first used. Only the process that made the file writes to it; forked
    workers read it too (``os.pread`` shares no file position). The file is gone when the
    last text in it is no longer referenced, or when the process ends.
    """

    __slots__ = ("_end", "_file", "_lock")

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._end = 0
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: Path) -> Spill | None:
        """A spill file in ``folder``, a folder of the cache (made if missing); None when it
        cannot be made (then the texts stay in memory), or where there is no ``os.pread``."""
        if not hasattr(os, "pread"):  # pragma: no cover - not on Windows
            return None
        try:
            real_dir(folder)
            return cls(tempfile.TemporaryFile(dir=folder))
        except (OSError, CacheFolderError):
            return None

    def put(self, data: bytes) -> int | None:
        """Where ``data`` was written, or None when it could not be (a full disk)."""
        with self._lock:
            at = self._end
            self._end += len(data)
        view, done = memoryview(data), 0
        try:
            while done < len(data):
                done += os.pwrite(self._file.fileno(), view[done:], at + done)
        except OSError:
            return None
        return at

    def read(self, at: int, size: int) -> bytes:
        """The ``size`` bytes written at ``at``."""
        data = os.pread(self._file.fileno(), size, at)
        if len(data) != size:
            raise OSError(f"the spill file ends before {at + size}")
        return data


class Spilled:
    """One deferred text in a ``Spill``."""

    __slots__ = ("at", "size", "spill")

    def __init__(self, spill: Spill, at: int, size: int) -> None:
        self.spill, self.at, self.size = spill, at, size

    def read(self) -> bytes:
        """The text's bytes."""
        return self.spill.read(self.at, self.size)


def deferred(obj: object) -> bool:
    """Whether ``obj`` still holds fields its codec has not decoded (``Deferred``)."""
    return _HELD in getattr(obj, "__dict__", ())


class Codec:
    """JSON for plain values plus the dataclasses, enums and ``str`` subclasses defined in
    ``modules`` (module names); nothing else is encoded or decoded. ``deferred``: the
    fields of some of those dataclasses (tag -> names; each a ``Deferred`` without a
    default for them) that are decoded only when first read."""

    def __init__(
        self, modules: Iterable[str], deferred: dict[str, tuple[str, ...]] | None = None
    ) -> None:
        self.modules = tuple(modules)
        self._by_name: dict[str, type] = {}
        for name in self.modules:
            module = sys.modules.get(name) or __import__(name, fromlist=["_"])
            for obj in vars(module).values():
                if (
                    isinstance(obj, type)
                    and obj.__module__ == name
                    and (dataclasses.is_dataclass(obj) or issubclass(obj, (enum.Enum, str)))
                ):
                    self._by_name[f"{name}:{obj.__qualname__}"] = obj
        self._names = {cls: name for name, cls in self._by_name.items()}
        #: the tag and field names of each dataclass whose instances keep their state in
        #: a ``__dict__``: such an object's JSON object becomes its ``__dict__``
        self._fields = {
            name: frozenset([_TAG, *(f.name for f in dataclasses.fields(cls))])
            for name, cls in self._by_name.items()
            if dataclasses.is_dataclass(cls) and "__slots__" not in vars(cls)
        }
        self._deferred: dict[str, frozenset[str]] = {}
        #: the deferred texts of the ``dumps`` or ``loads`` running in this thread
        self._local = threading.local()
        for name, fields in (deferred or {}).items():
            cls = self._by_name[name]
            if not issubclass(cls, Deferred) or name not in self._fields:
                raise TypeError(f"{name} cannot have deferred fields")
            for f in fields:
                if f not in self._fields[name] or hasattr(cls, f):
                    raise TypeError(f"{name}.{f} cannot be deferred (no such field, or a default)")
            self._deferred[name] = frozenset(fields)
            # the encoded object: its other fields and the text of the deferred ones
            self._fields[name] = self._fields[name] - set(fields) | {_DEFERRED}
        #: each dataclass's field names a decoded object must have (not the deferred ones)
        self._field_names = {
            name: frozenset(f.name for f in dataclasses.fields(cls))
            - self._deferred.get(name, frozenset())
            for name, cls in self._by_name.items()
            if dataclasses.is_dataclass(cls)
        }
        #: each such dataclass's fields (but the deferred ones) in order, as the keys of an
        #: empty ``__dict__``: a decoded object's state is a copy of it, updated, so every
        #: object shares the field names' strings instead of each holding the ones its
        #: JSON text decoded to (a fifth of a page's entry in memory)
        self._blank = {
            name: dict.fromkeys(
                f.name
                for f in dataclasses.fields(self._by_name[name])
                if f.name not in self._deferred.get(name, ())
            )
            for name in self._fields
        }

    def dumps(self, value: Any) -> bytes:
        """``value`` as JSON bytes; ``TypeError`` for a type this codec does not know.

        One line of JSON, then one line for each object's deferred fields (JSON has no
        line break of its own): reading the first line skips them at C speed, where a
        JSON string holding them would be scanned escape by escape (a third of the time).
        """
        tail: list[str] = []
        self._local.tail = tail
        try:
            head = json.dumps(
                self._enc(value), ensure_ascii=False, separators=(",", ":"), check_circular=False
            )
        finally:
            self._local.tail = None
        return "\n".join([head, *tail]).encode("utf-8", "surrogatepass")

    def loads(self, data: bytes, spill: Spill | None = None) -> Any:
        """The value encoded in ``data``; ``ValueError`` if it is not one of ours. Deferred
        texts are kept in ``spill`` when given (and writable), else in memory."""
        head, _, rest = data.partition(b"\n")
        at = spill.put(rest) if rest and spill is not None else None
        if spill is not None and at is not None:
            self._local.lines = _spilled_lines(rest, spill, at)
        else:
            self._local.lines = rest.split(b"\n") if rest else []
        try:
            return json.loads(head.decode("utf-8", "surrogatepass"), object_hook=self._hook)
        finally:
            self._local.lines = None

    def loads_deferred(self, text: str | bytes | Spilled) -> dict[str, Any]:
        """The deferred fields of one object (``Deferred.__getattr__``)."""
        values = json.loads(_text_of(text), object_hook=self._hook)
        if type(values) is not dict:
            raise ValueError("bad deferred fields")
        return values

    def _enc(self, o: Any) -> Any:
        t = type(o)
        if t is str or t is int or t is float or t is bool or o is None:
            return o
        if t is list:
            return [self._enc(x) for x in o]
        if t is tuple:
            return {_TAG: "t", "v": [self._enc(x) for x in o]}
        if t is dict:
            if all(type(k) is str for k in o) and _TAG not in o:
                return {k: self._enc(v) for k, v in o.items()}
            return {_TAG: "d", "v": [[self._enc(k), self._enc(v)] for k, v in o.items()]}
        if t is frozenset or t is set:
            return {_TAG: "f" if t is frozenset else "s", "v": [self._enc(x) for x in o]}
        if t is bytes:
            return {_TAG: "b", "v": base64.b64encode(o).decode("ascii")}
        name = self._names.get(t)
        if name is None:
            raise TypeError(f"the cache cannot store {t.__module__}.{t.__qualname__}")
        if isinstance(o, enum.Enum):
            return {_TAG: name, "e": self._enc(o.value)}
        if dataclasses.is_dataclass(o):
            # One JSON object: the tag, then the fields (a field is never named ``_TAG``).
            state = getattr(o, "__dict__", None)
            if state is None:
                state = {f.name: getattr(o, f.name) for f in dataclasses.fields(o)}
            later = self._deferred.get(name)
            if later is not None:
                return self._enc_deferred(name, state, later)
            return {_TAG: name, **{k: self._enc(v) for k, v in state.items()}}
        return {_TAG: name, "s": str(o)}  # a str subclass

    def _enc_deferred(self, name: str, state: dict[str, Any], later: frozenset[str]) -> Any:
        """An object with deferred fields: the others, and the JSON text of those (as it
        was read, for an object whose deferred fields were never decoded)."""
        out: dict[str, Any] = {_TAG: name}
        for k, v in state.items():
            if k != _HELD and k not in later:
                out[k] = self._enc(v)
        held = state.get(_HELD)  # while it is there, the deferred fields are not
        tail = getattr(self._local, "tail", None)
        if held is not None:
            text = _text_of(held[1])
        else:
            self._local.tail = None  # deferred objects inside these are written inline
            try:
                values = {k: self._enc(v) for k, v in state.items() if k in later}
            finally:
                self._local.tail = tail
            text = json.dumps(
                values, ensure_ascii=False, separators=(",", ":"), check_circular=False
            )
        if tail is None:
            out[_DEFERRED] = text
        else:
            out[_DEFERRED] = len(tail)
            tail.append(text)
        return out

    def _deferred_text(self, at: Any, tag: str) -> str | bytes | Spilled:
        """An object's deferred fields as written: inline, or the number of their line."""
        if type(at) is str:
            return at
        lines = getattr(self._local, "lines", None)
        if type(at) is int and lines is not None and 0 <= at < len(lines):
            text: bytes | Spilled = lines[at]
            return text
        raise ValueError(f"bad deferred fields for {tag!r}")

    def _hook(self, d: dict[str, Any]) -> Any:
        tag = d.get(_TAG)
        if tag is None:
            return d
        allowed = self._fields.get(tag)
        if allowed is not None and d.keys() == allowed:
            # The common case, at C speed: a dataclass with exactly its own fields.
            del d[_TAG]
            state = self._blank[tag].copy()
            if tag in self._deferred:
                held = (self, self._deferred_text(d.pop(_DEFERRED), tag))
                state.update(d)
                state[_HELD] = held
            else:
                state.update(d)
            obj: Any = object.__new__(self._by_name[tag])
            object.__setattr__(obj, "__dict__", state)
            return obj
        v: Any = d.get("v")
        if tag == "t":
            return tuple(v)
        if tag == "d":
            return {k: val for k, val in v}
        if tag == "f":
            return frozenset(v)
        if tag == "s":
            return set(v)
        if tag == "b":
            return base64.b64decode(v, validate=True)
        cls = self._by_name.get(tag)
        if cls is None:
            raise ValueError(f"unknown type in cache: {tag!r}")
        if dataclasses.is_dataclass(cls):
            # Slots, or private state kept beside the fields (``formats``' memoized texts):
            # every field, and nothing else but names with one leading underscore.
            state = dict(d)
            del state[_TAG]
            names = self._field_names[tag]
            if _HELD in state:
                raise ValueError(f"bad fields for {tag!r}")
            if tag in self._deferred:
                state[_HELD] = (self, self._deferred_text(state.pop(_DEFERRED, None), tag))
            extra = state.keys() - names
            if names - state.keys() or any(k[:1] != "_" or k[:2] == "__" for k in extra):
                raise ValueError(f"bad fields for {tag!r}")
            obj = object.__new__(cls)
            blank = self._blank.get(tag)
            if blank is not None:  # a ``__dict__``: the fields' names shared, as above
                full = blank.copy()
                full.update(state)
                object.__setattr__(obj, "__dict__", full)
            else:
                for k, val in state.items():
                    object.__setattr__(obj, k, val)
            return obj
        if "e" in d:
            return cls(d["e"])
        if "s" in d:
            return cls(d["s"])
        raise ValueError(f"bad value for {tag!r}")


def _spilled_lines(rest: bytes, spill: Spill, at: int) -> list[bytes | Spilled]:
    """Each line of ``rest``, written to ``spill`` at ``at``, as a ``Spilled`` text."""
    lines: list[bytes | Spilled] = []
    start, end = 0, len(rest)
    while True:
        stop = rest.find(b"\n", start)
        if stop < 0:
            stop = end
        lines.append(Spilled(spill, at + start, stop - start))
        if stop == end:
            return lines
        start = stop + 1


def _text_of(text: str | bytes | Spilled) -> str:
    """A deferred text as a string, wherever it is kept."""
    if type(text) is str:
        return text
    data = text.read() if type(text) is Spilled else text
    assert type(data) is bytes
    return data.decode("utf-8", "surrogatepass")


def _key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sitegen" / "cache.key"


@cache
def _key() -> bytes:
    """This user's cache key (made on first use); a key for this process alone when none
    can be kept (then nothing cached survives the process: slower, never wrong)."""
    path = _key_path()
    with contextlib.suppress(OSError, ValueError):
        return _read_key(path)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(_KEY_BYTES))
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)  # never replaces a key another process made first
        finally:
            os.unlink(tmp)
    with contextlib.suppress(OSError, ValueError):
        return _read_key(path)
    return secrets.token_bytes(_KEY_BYTES)


def _read_key(path: Path) -> bytes:
    data = read_regular(path, _KEY_BYTES + 1)
    if len(data) != _KEY_BYTES:
        raise ValueError("not a key")
    return data


def read_regular(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file (no symlink, FIFO or device); else
    ``OSError``."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return fh.read() if limit is None else fh.read(limit)


def _mac(payload: bytes) -> bytes:
    return hmac.new(_key(), payload, hashlib.sha256).hexdigest().encode()


def read_verified(path: str | Path) -> bytes | None:
    """The payload stored at ``path`` if its MAC line verifies, else ``None``."""
    try:
        data = read_regular(path)
    except OSError:
        return None
    digest, _, payload = data.partition(b"\n")
    if not hmac.compare_digest(digest, _mac(payload)):
        return None  # truncated, altered or planted: rebuild
    return payload


def write_cached(path: Path, data: bytes) -> None:
    """Store ``data`` at ``path`` in the cache folder atomically (best effort: a cache is
    never required). Never through a link out of the cache: the folder must be a real one
    (``real_dir``) and the file is written by ``atomic_write``, which follows no link."""
    with contextlib.suppress(OSError, CacheFolderError):
        real_dir(path.parent)
        atomic_write(path, data, durable=False)


def write_signed(path: Path, payload: bytes) -> None:
    """Store ``payload`` behind its MAC line at ``path`` atomically (best effort)."""
    write_cached(path, _mac(payload) + b"\n" + payload)


def load(path: str | Path, codec: Codec, spill: Spill | None = None) -> Any | None:
    """The value stored at ``path``, or ``None`` when there is no intact one of ours
    (deferred texts in ``spill``, when given: ``Codec.loads``)."""
    payload = read_verified(path)
    if payload is None:
        return None
    try:
        return codec.loads(payload, spill)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def store(path: Path, value: Any, codec: Codec) -> bytes | None:
    """Store ``value`` at ``path`` atomically; failures to write or encode are ignored.
    Returns the payload (``codec.dumps``), or None when ``value`` could not be encoded."""
    try:
        payload = codec.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return None
    write_signed(path, payload)
    return payload
