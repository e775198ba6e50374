"""The word shards and meta file of one language's search index, built whole or patched.

``build_index`` turns every searchable page's word weights and filter values into the files
``meta.json`` and ``w/<key>.json`` (format 1, docs/search.md). ``patch_index`` updates a
previous index for the pages that changed, rewriting only the shards their words fall in; its
result is byte for byte what ``build_index`` gives for the new set of pages. ``search_query``
is the browser's query in Python, for tests of ranking.

Memory: postings are kept per word form as two flat arrays (doc numbers, weights), not one
Python object per posting; a shard's JSON is assembled from strings, one shard at a time.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.publish.searchdoc import dumps, fold, is_doc_id, key, lemma, prefix, words

FORMAT_VERSION = 1
#: a 2-character prefix whose one-file shard would be larger than this is split in 3-character
#: shards (tests make it small to exercise splitting)
SPLIT_BYTES = 64 * 1024
#: the third character of a 3-character key
KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
#: at most this many lemmas match one query word by prefix
PREFIX_LEMMAS = 20

Entry = tuple[dict[str, int], dict[str, list[str]]]
# lemma -> form -> postings as JSON text: [["doc id",weight],...] sorted by doc id
Lemmas = dict[str, dict[str, str]]


class IndexStale(Exception):
    """The previous index files cannot be patched (missing, unreadable, of another version or
    not matching the pages they are said to hold): build the index from scratch."""


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# --- shards -----------------------------------------------------------------------------------


@dataclass
class Group:
    """Everything under one 2-character prefix: its lemmas with their forms' postings, and the
    aliases of forms of this prefix whose lemma has another prefix."""

    lemmas: Lemmas = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


def shard_bytes(aliases: Mapping[str, str], lemmas: Mapping[str, Mapping[str, str]]) -> bytes:
    """A shard file, as ``dumps`` writes it, assembled from ready postings text."""
    alias_text = ",".join(f"{_q(form)}:{_q(aliases[form])}" for form in sorted(aliases))
    lemma_text = ",".join(
        _q(name) + ":{" + ",".join(f"{_q(form)}:{forms[form]}" for form in sorted(forms)) + "}"
        for name, forms in sorted(lemmas.items())
    )
    return ('{"a":{' + alias_text + '},"l":{' + lemma_text + "}}").encode()


def render_group(name: str, group: Group) -> tuple[bool, dict[str, bytes]]:
    """The shard files of the prefix ``name`` (``{"w/xx.json": bytes}``, nothing when empty)
    and whether it is split (its one file would be over ``SPLIT_BYTES``)."""
    if not group.lemmas and not group.aliases:
        return False, {}
    whole = shard_bytes(group.aliases, group.lemmas)
    if len(whole) <= SPLIT_BYTES:
        return False, {f"w/{name}.json": whole}
    parts: dict[str, Group] = {}
    for form, target in group.aliases.items():
        parts.setdefault(key(form, True), Group()).aliases[form] = target
    for name_, forms in group.lemmas.items():
        home = key(name_, True)
        parts.setdefault(home, Group()).lemmas[name_] = forms
        for form in forms:
            if prefix(form) == name and key(form, True) != home:
                parts.setdefault(key(form, True), Group()).aliases[form] = name_
    return True, {
        f"w/{sub}.json": shard_bytes(part.aliases, part.lemmas)
        for sub, part in sorted(parts.items())
    }


def meta_bytes(
    filters: Mapping[str, Mapping[str, Iterable[str]]], n: int, split: Iterable[str]
) -> bytes:
    """The ``meta.json`` file."""
    return dumps(
        {
            "f": {
                name: {value: sorted(ids) for value, ids in values.items() if ids}
                for name, values in filters.items()
                if any(values.values())
            },
            "n": n,
            "split": sorted(split),
            "v": FORMAT_VERSION,
        }
    )


# --- build ------------------------------------------------------------------------------------


@dataclass
class _Postings:
    """Every posting of the language, per form: doc numbers and weights in two arrays."""

    ids: list[str] = field(default_factory=list)
    docs: dict[str, array[int]] = field(default_factory=dict)
    weights: dict[str, array[int]] = field(default_factory=dict)


class IndexBuilder:
    """``build_index`` one entry at a time: each page's word weights go into the flat
    postings arrays as they are added (``add``), so the entries themselves need not be kept;
    ``files`` then makes the index files. The files do not depend on the order of ``add``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.postings = _Postings()
        self.filters: dict[str, dict[str, list[str]]] = {}
        self.seen: set[str] = set()

    def add(self, doc: str, entry: Entry) -> None:
        """One searchable page: its doc id, word weights and filters. ``ValueError`` when
        the doc id was added before."""
        if doc in self.seen:
            raise ValueError(f"two search entries with the doc id {doc}")
        self.seen.add(doc)
        weights, doc_filters = entry
        postings = self.postings
        number = len(postings.ids)
        postings.ids.append(doc)
        for form, weight in weights.items():
            docs = postings.docs.get(form)
            if docs is None:
                docs = postings.docs[form] = array("I")
                postings.weights[form] = array("H")  # weights are at most 220
            docs.append(number)
            postings.weights[form].append(weight)
        for name, values in doc_filters.items():
            for value in set(values):
                self.filters.setdefault(name, {}).setdefault(value, []).append(doc)

    def files(self) -> dict[str, bytes]:
        """Every file of ``search-index/<lang>/`` but the doc files (``build_index``); the
        postings are used up: call once."""
        files: dict[str, bytes] = {}
        split: list[str] = []
        for name, group in _groups(self.lang, self.postings):
            is_split, shards = render_group(name, group)
            files.update(shards)
            if is_split:
                split.append(name)
        files["meta.json"] = meta_bytes(self.filters, len(self.postings.ids), split)
        return files


def build_index(lang: str, entries: Iterable[tuple[str, Entry]]) -> dict[str, bytes]:
    """Every file of ``search-index/<lang>/`` except the doc files: ``meta.json`` and the word
    shards ``w/<key>.json``, from each searchable page's doc id, word weights and filters.
    ``ValueError`` when two entries have the same doc id."""
    builder = IndexBuilder(lang)
    for doc, entry in entries:
        builder.add(doc, entry)
    return builder.files()


def _groups(lang: str, postings: _Postings) -> Iterator[tuple[str, Group]]:
    """The prefix groups in order, each form's postings as JSON text; the arrays of a group's
    forms are let go as the group is made, so only one group's text is held at a time."""
    ids = postings.ids
    rank = array("I", bytes(4 * len(ids)))
    for position, number in enumerate(sorted(range(len(ids)), key=ids.__getitem__)):
        rank[number] = position
    quoted = [_q(doc) for doc in ids]
    members: dict[str, list[str]] = {}  # prefix -> forms whose lemma or alias is there
    for form in postings.docs:
        home = prefix(lemma(form, lang))
        members.setdefault(home, []).append(form)
        if prefix(form) != home:
            members.setdefault(prefix(form), []).append(form)
    for name in sorted(members):
        group = Group()
        for form in members.pop(name):
            target = lemma(form, lang)
            if prefix(target) != name:
                group.aliases[form] = target
                continue
            docs, weights = postings.docs.pop(form), postings.weights.pop(form)
            order = sorted(range(len(docs)), key=lambda k: rank[docs[k]])
            text = "[" + ",".join(f"[{quoted[docs[k]]},{weights[k]}]" for k in order) + "]"
            group.lemmas.setdefault(target, {})[form] = text
        yield name, group


# --- patch ------------------------------------------------------------------------------------


def patch_index(
    lang: str,
    read: Callable[[str], bytes | None],
    old: Mapping[str, Entry],
    new: Mapping[str, Entry],
) -> tuple[dict[str, bytes], set[str]]:
    """The files to (re)write and the files to delete in a previous index (read by ``read``)
    so that it becomes what ``build_index`` gives for the new set of pages. ``old`` holds every
    page that changed or went away as it was, ``new`` every page that changed or was added as it
    is now. Only the shards of forms whose weight changed are read and written. Raises
    ``IndexStale`` when the previous files cannot be patched."""
    meta_raw = read("meta.json")
    if meta_raw is None:
        raise IndexStale("meta.json is missing")
    filters, n, split = _read_meta(meta_raw)
    state = _Patch(lang, read, split)
    for form, changes in sorted(_form_changes(old, new).items()):
        state.change(form, changes)
    for doc, (_weights, doc_filters) in old.items():
        _change_filters(filters, doc, doc_filters, remove=True)
    for doc, (_weights, doc_filters) in new.items():
        _change_filters(filters, doc, doc_filters, remove=False)
    write, delete = state.finish()
    n += len(new.keys() - old.keys()) - len(old.keys() - new.keys())
    meta = meta_bytes(filters, n, state.split)
    if meta != meta_raw:
        write["meta.json"] = meta
    return write, delete


Change = tuple[int | None, int | None]  # a doc's weight of a form before and after


def _form_changes(
    old: Mapping[str, Entry], new: Mapping[str, Entry]
) -> dict[str, dict[str, Change]]:
    """form -> doc -> (weight before, weight after), for the postings that differ."""
    changes: dict[str, dict[str, Change]] = {}
    empty: dict[str, int] = {}
    for doc in old.keys() | new.keys():
        before = old[doc][0] if doc in old else empty
        after = new[doc][0] if doc in new else empty
        for form, weight in before.items():
            if after.get(form) != weight:
                changes.setdefault(form, {})[doc] = (weight, after.get(form))
        for form, weight in after.items():
            if form not in before:
                changes.setdefault(form, {})[doc] = (None, weight)
    return changes


def _read_meta(raw: bytes) -> tuple[dict[str, dict[str, set[str]]], int, set[str]]:
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, or nested too deep
        raise IndexStale(f"meta.json is unreadable: {exc}") from None
    if not isinstance(meta, dict) or meta.get("v") != FORMAT_VERSION:
        raise IndexStale("meta.json is of another format version")
    f, n, split = meta.get("f"), meta.get("n"), meta.get("split")
    if (
        set(meta) != {"f", "n", "split", "v"}
        or type(n) is not int
        or n < 0
        or not isinstance(split, list)
        or not all(isinstance(s, str) and len(s) == 2 for s in split)
        or not isinstance(f, dict)
    ):
        raise IndexStale("meta.json is not a search index meta file")
    filters: dict[str, dict[str, set[str]]] = {}
    for name, values in f.items():
        if not isinstance(values, dict):
            raise IndexStale("meta.json: bad filter")
        for value, ids in values.items():
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise IndexStale("meta.json: bad filter")
            filters.setdefault(name, {})[value] = set(ids)
    return filters, n, set(split)


def _change_filters(
    filters: dict[str, dict[str, set[str]]], doc: str, values: Mapping[str, list[str]], remove: bool
) -> None:
    for name, doc_values in values.items():
        for value in doc_values:
            ids = filters.setdefault(name, {}).setdefault(value, set())
            if remove:
                if doc not in ids:
                    raise IndexStale(f"meta.json does not list {doc} under {name}: {value}")
                ids.discard(doc)
            else:
                ids.add(doc)


Shard = dict[str, Any]  # a parsed shard file: {"a": {form: lemma}, "l": {lemma: {form: [...]}}}


class _Patch:
    """The shard files a patch touches, read from the previous index and changed, then
    written back; a prefix whose size crosses ``SPLIT_BYTES`` is re-made whole. A form that
    is there before and after has its postings replaced in the file's bytes (a page's common
    words sit in shards of a megabyte); other changes parse the shard."""

    def __init__(self, lang: str, read: Callable[[str], bytes | None], split: set[str]) -> None:
        self.lang = lang
        self.read = read
        self.split = split
        self.before: dict[str, bytes | None] = {}  # rel -> the previous bytes
        self.spliced: dict[str, bytes] = {}  # rel -> bytes with postings replaced
        self.shards: dict[str, Shard] = {}  # rel -> parsed, changed in place (wins)

    def rel(self, word: str) -> str:
        """The shard file of ``word`` as the index is split now."""
        return f"w/{key(word, prefix(word) in self.split)}.json"

    def raw(self, rel: str) -> bytes | None:
        """The bytes of ``rel`` as this patch has them so far."""
        if rel in self.spliced:
            return self.spliced[rel]
        if rel not in self.before:
            self.before[rel] = self.read(rel)
        return self.before[rel]

    def shard(self, rel: str) -> Shard:
        """The shard ``rel`` parsed (empty when there is none), once."""
        if rel not in self.shards:
            raw = self.raw(rel)
            self.shards[rel] = {"a": {}, "l": {}} if raw is None else _parse_shard(rel, raw)
            self.spliced.pop(rel, None)
        return self.shards[rel]

    def change(self, form: str, changes: Mapping[str, Change]) -> None:
        """Change the postings of ``form``: each doc's weight must be the one it had."""
        name = lemma(form, self.lang)
        rel = self.rel(name)
        if rel not in self.shards and self._splice(rel, name, form, changes):
            return
        lemmas = self.shard(rel)["l"]
        postings = _postings_dict(rel, lemmas.get(name, {}).get(form, []))
        existed = bool(postings)
        _apply(rel, form, postings, changes)
        if postings:
            lemmas.setdefault(name, {})[form] = [[d, w] for d, w in sorted(postings.items())]
        elif name in lemmas:
            lemmas[name].pop(form, None)
            if not lemmas[name]:
                del lemmas[name]
        if bool(postings) != existed and self.rel(form) != rel:
            aliases = self.shard(self.rel(form))["a"]
            if postings:
                aliases[form] = name
            else:
                aliases.pop(form, None)

    def _splice(self, rel: str, name: str, form: str, changes: Mapping[str, Change]) -> bool:
        """Replace the postings of ``form`` (of lemma ``name``) in the bytes of ``rel`` when
        it is there and stays there; False when the shard has to be parsed instead."""
        raw = self.raw(rel)
        if raw is None:
            return False
        head = f"{_q(form)}:[[".encode()
        start = raw.find(head)
        owner = _q(name).encode() + b":{"
        lemma_at = raw.rfind(b":{", 0, start) + 2 - len(owner)
        if start < 0 or lemma_at < 0 or raw[lemma_at : lemma_at + len(owner)] != owner:
            return False
        start += len(head) - 2
        end = raw.find(b"]]", start) + 2
        if end < 2:
            raise IndexStale(f"{rel} has bad postings")
        new = _edit_postings(rel, form, raw[start:end], changes)
        if new is None:
            try:
                postings = _postings_dict(rel, json.loads(raw[start:end]))
            except (ValueError, RecursionError):
                raise IndexStale(f"{rel} has bad postings") from None
            _apply(rel, form, postings, changes)
            new = _compact([[d, w] for d, w in sorted(postings.items())]).encode()
        if new == b"[]":
            return False
        self.spliced[rel] = raw[:start] + new + raw[end:]
        return True

    def finish(self) -> tuple[dict[str, bytes], set[str]]:
        """The files to write and to delete, prefix by prefix."""
        write: dict[str, bytes] = {}
        delete: set[str] = set()
        touched: dict[str, list[str]] = {}
        for rel in sorted(self.shards.keys() | self.spliced.keys()):
            touched.setdefault(rel[2:4], []).append(rel)
        for name, rels in sorted(touched.items()):
            now = {rel: self._now(rel) for rel in rels}
            if name in self.split:
                whole = not self._stays_split(name, now)
            else:
                whole = now[rels[0]] is not None and len(now[rels[0]] or b"") > SPLIT_BYTES
            if whole:
                now = self._remake(name)
            for rel, data in now.items():
                if data is None:
                    if self.before.get(rel) is not None:
                        delete.add(rel)
                elif self.before.get(rel) != data:
                    write[rel] = data
        return write, delete

    def _stays_split(self, name: str, now: Mapping[str, bytes | None]) -> bool:
        """Whether the split prefix ``name`` is still over ``SPLIT_BYTES`` as one file: the
        changed shards alone may show it; else its other shards are measured too."""
        changed = [data for data in now.values() if data is not None]
        if _one_file_size(name, changed) > SPLIT_BYTES:
            return True
        others = [f"w/{name}{c}.json" for c in KEY_CHARS if f"w/{name}{c}.json" not in now]
        rest = [data for rel in others if (data := self.raw(rel)) is not None]
        return _one_file_size(name, changed + rest) > SPLIT_BYTES

    def _now(self, rel: str) -> bytes | None:
        """The bytes of a changed shard; None when nothing is left in it."""
        if rel in self.spliced:
            return self.spliced[rel]
        return dumps(self.shards[rel]) if _has_content(self.shards[rel]) else None

    def _remake(self, name: str) -> dict[str, bytes | None]:
        """Every file of the prefix ``name`` made anew from all its content (it is crossing
        the split size one way or the other): new files, and None for the old ones to go."""
        was_split = name in self.split
        rels = [f"w/{name}{c}.json" for c in KEY_CHARS] if was_split else [f"w/{name}.json"]
        group = Group()
        for rel in rels:
            shard = self.shard(rel)
            for form, target in shard["a"].items():
                if prefix(target) != name:
                    group.aliases[form] = target
            for lem, forms in shard["l"].items():
                group.lemmas[lem] = {form: _compact(postings) for form, postings in forms.items()}
        is_split, files = render_group(name, group)
        (self.split.add if is_split else self.split.discard)(name)
        out: dict[str, bytes | None] = dict.fromkeys(rels)
        out.update(files)
        return out


#: more changes than this to one form's postings are made on the parsed list
EDITS_IN_PLACE = 16


def _edit_postings(rel: str, form: str, seg: bytes, changes: Mapping[str, Change]) -> bytes | None:
    """The postings list ``seg`` (its JSON bytes) with ``changes`` made in place, each found
    by a binary search on the bytes, so a common word's list is not parsed; None when the
    changes are many or a doc id is not plain (the caller parses the list instead)."""
    if len(changes) > EDITS_IN_PLACE or not all(map(is_doc_id, changes)):
        return None
    for doc, (before, after) in sorted(changes.items()):
        quoted = f'"{doc}"'.encode()
        at, found = _find_posting(seg, quoted)
        if found != (before is not None):
            what = "does not hold" if before is not None else "already holds"
            raise IndexStale(f"{rel} {what} {form!r} in {doc}")
        if before is None:
            entry = b"[" + quoted + b"," + str(after).encode() + b"]"
            if seg[at : at + 1] == b"[":
                seg = seg[:at] + entry + b"," + seg[at:]
            else:
                seg = seg[:at] + (entry if at == 1 else b"," + entry) + seg[at:]
            continue
        comma = at + 1 + len(quoted)
        close = seg.find(b"]", comma)
        if seg[comma : comma + 1] != b"," or seg[comma + 1 : close] != str(before).encode():
            raise IndexStale(f"{rel} does not hold {form!r} in {doc} weighing {before}")
        if after is not None:
            seg = seg[: comma + 1] + str(after).encode() + seg[close:]
        elif seg[close + 1 : close + 2] == b",":
            seg = seg[:at] + seg[close + 2 :]
        else:
            seg = seg[: max(1, at - 1)] + seg[close + 1 :]
    return seg


def _find_posting(seg: bytes, quoted: bytes) -> tuple[int, bool]:
    """Where the posting of the doc ``quoted`` (its JSON string) starts in the postings list
    ``seg`` and True; else where it would go (an entry's start or the closing bracket) and
    False. Entries are sorted by doc id, and every ``[`` after the first starts one."""
    lo, hi = 1, len(seg) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        start = seg.rfind(b"[", lo, mid + 1)
        comma = seg.find(b",", start)
        if start < 0 or comma < 0:
            raise IndexStale("bad postings")
        here = seg[start + 1 : comma]
        if here == quoted:
            return start, True
        if here < quoted:
            close = seg.find(b"]", comma)
            if close < 0:
                raise IndexStale("bad postings")
            lo = close + 2 if seg[close + 1 : close + 2] == b"," else close + 1
        else:
            hi = start
    return lo, False


def _apply(rel: str, form: str, postings: dict[str, int], changes: Mapping[str, Change]) -> None:
    """Change ``postings`` (doc -> weight) of ``form``; each doc's weight before must match."""
    for doc, (before, after) in changes.items():
        if before is not None:
            if postings.get(doc) != before:
                raise IndexStale(f"{rel} does not hold {form!r} in {doc} weighing {before}")
            del postings[doc]
        if after is not None:
            if doc in postings:
                raise IndexStale(f"{rel} already holds {form!r} in {doc}")
            postings[doc] = after


def _has_content(shard: Shard) -> bool:
    return bool(shard["a"] or shard["l"])


def _compact(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


_BOUNDARY = b'},"l":{'


def _one_file_size(name: str, shards: Sequence[bytes]) -> int:
    """The size of the one-file shard of the prefix ``name`` made of the 3-character shards
    ``shards``: their lemma parts, and those aliases whose lemma has another prefix."""
    alias_bytes = alias_count = lemma_bytes = lemma_count = 0
    for data in shards:
        cut = data.find(_BOUNDARY)
        if not data.startswith(b'{"a":{') or cut < 0 or not data.endswith(b"}}"):
            raise IndexStale(f"a shard of {name} is not a word shard")
        if cut > 6:
            try:
                aliases = json.loads(b"{" + data[6:cut] + b"}")
            except (ValueError, RecursionError):
                raise IndexStale(f"a shard of {name} has bad aliases") from None
            for form, target in aliases.items():
                if isinstance(target, str) and prefix(target) != name:
                    alias_bytes += len(f"{_q(form)}:{_q(target)}".encode())
                    alias_count += 1
        if len(data) - 2 > cut + len(_BOUNDARY):
            lemma_bytes += len(data) - 2 - cut - len(_BOUNDARY)
            lemma_count += 1
    return (
        len(b'{"a":{')
        + alias_bytes
        + max(0, alias_count - 1)
        + len(_BOUNDARY)
        + lemma_bytes
        + max(0, lemma_count - 1)
        + len(b"}}")
    )


def _parse_shard(rel: str, raw: bytes) -> Shard:
    """A parsed shard file; IndexStale when it is not one. Postings are checked when they are
    changed (``_postings_dict``); the others are written back as they were read."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, or nested too deep
        raise IndexStale(f"{rel} is unreadable: {exc}") from None
    if not isinstance(obj, dict) or set(obj) != {"a", "l"}:
        raise IndexStale(f"{rel} is not a word shard")
    aliases, lemmas = obj["a"], obj["l"]
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise IndexStale(f"{rel} has bad aliases")
    if not isinstance(lemmas, dict) or not all(
        isinstance(forms, dict) and forms and all(isinstance(p, list) and p for p in forms.values())
        for forms in lemmas.values()
    ):
        raise IndexStale(f"{rel} has bad lemmas")
    return obj


def _postings_dict(rel: str, postings: list[Any]) -> dict[str, int]:
    """doc -> weight of a form's postings, checked."""
    out: dict[str, int] = {}
    last = ""
    for item in postings:
        if (
            type(item) is not list
            or len(item) != 2
            or type(item[0]) is not str
            or type(item[1]) is not int
            or item[0] <= last
        ):
            raise IndexStale(f"{rel} has bad postings")
        last = item[0]
        out[item[0]] = item[1]
    return out


# --- query ------------------------------------------------------------------------------------


def search_query(
    files: Callable[[str], bytes | None],
    query: str,
    filters: Mapping[str, Sequence[str]] = {},
) -> list[str]:
    """The doc ids the browser's search shows for ``query`` with the ``filters`` values
    checked, in result order (docs/search.md, "Query")."""
    raw = files("meta.json")
    if raw is None:
        return []
    meta = json.loads(raw)
    reader = _ShardReader(files, set(meta["split"]))
    allowed = _filter_docs(meta["f"], filters)
    query_words = list(dict.fromkeys(words(query)))
    if not query_words:
        return sorted(allowed) if allowed is not None else []
    scores: dict[str, float] | None = None
    for word in query_words:
        weights = reader.word_weights(word)
        df = len(weights)
        idf = math.log(1 + (meta["n"] - df + 0.5) / (df + 0.5))
        if scores is None:
            scores = {doc: idf * w / 100 for doc, w in weights.items()}
        else:
            scores = {
                doc: s + idf * weights[doc] / 100 for doc, s in scores.items() if doc in weights
            }
    assert scores is not None
    found = [doc for doc in scores if allowed is None or doc in allowed]
    return sorted(found, key=lambda doc: (-scores[doc], doc))


def _filter_docs(
    index: Mapping[str, Mapping[str, list[str]]], checked: Mapping[str, Sequence[str]]
) -> set[str] | None:
    """The docs the checked filter values allow (values of one filter OR, filters AND); None
    when nothing is checked."""
    allowed: set[str] | None = None
    for name, values in checked.items():
        if not values:
            continue
        docs = {doc for value in values for doc in index.get(name, {}).get(value, [])}
        allowed = docs if allowed is None else allowed & docs
    return allowed


class _ShardReader:
    """Shards fetched once per query, and the matching of one query word."""

    def __init__(self, files: Callable[[str], bytes | None], split: set[str]) -> None:
        self.files = files
        self.split = split
        self.cache: dict[str, dict[str, Any]] = {}

    def shard(self, word: str) -> dict[str, Any]:
        name = key(word, prefix(word) in self.split)
        if name not in self.cache:
            raw = self.files(f"w/{name}.json")
            self.cache[name] = json.loads(raw) if raw is not None else {"a": {}, "l": {}}
        return self.cache[name]

    def word_weights(self, word: str) -> dict[str, int]:
        """Each doc's weight for the query word ``word``: the sum over the forms of its matched
        lemmas."""
        weights: dict[str, int] = {}
        for name in self.lemmas(word):
            for postings in self.shard(name)["l"].get(name, {}).values():
                for doc, w in postings:
                    weights[doc] = weights.get(doc, 0) + w
        return weights

    def lemmas(self, word: str) -> list[str]:
        """The lemmas ``word`` matches: exactly, else without accents, else by prefix."""
        shard = self.shard(word)
        exact = {n for n, forms in shard["l"].items() if n == word or word in forms}
        if word in shard["a"]:
            exact.add(shard["a"][word])
        if exact:
            return sorted(exact)
        folded = fold(word)
        if not folded:
            return []
        found = self._fold_matches(shard, lambda f: f == folded)
        if found or len(folded) < 3:
            return sorted(found)
        found = self._fold_matches(shard, lambda f: f.startswith(folded))
        return sorted(found, key=lambda n: (fold(n), n))[:PREFIX_LEMMAS]

    @staticmethod
    def _fold_matches(shard: dict[str, Any], test: Callable[[str], bool]) -> set[str]:
        """The lemmas of ``shard`` whose name or one of whose forms passes ``test`` by its fold,
        and the lemmas of its aliases whose form does."""
        found = {n for n, forms in shard["l"].items() if any(test(fold(s)) for s in (n, *forms))}
        found.update(target for form, target in shard["a"].items() if test(fold(form)))
        return found
