"""One page's part of the site search: its indexed text, doc file and word weights.

``extract`` reads a rendered page's ``data-search-body`` element (or the older
``data-pagefind-body``) into a ``SearchDoc``: its title, its sections (one per ``h2``-``h6``
with an ``id``) and its filter values. It is a regex scan of tags, not an HTML parser: ignored
parts (``data-search-ignore``, ``script``, ``svg``, ...) are jumped over by counting only their
own tag name. ``doc_json``/``doc_from_json`` write and read the doc file ``d/<id>.json``;
``terms`` gives the page's weight of each word form. The text rules (``words``, ``fold``,
``key``) are shared with the browser; docs/search.md (SEARCH_SPEC) states them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import simplemma

#: words longer than this many characters (code points) are not indexed
MAX_WORD = 40
#: BM25's term part, with a fixed average document length
K1 = 1.2
B = 0.75
AVG_LEN = 400
#: tf weight of an occurrence in the title, a section heading, a section's text
TITLE_TF, HEADING_TF, TEXT_TF = 5, 2, 1

#: tags that are not a word boundary
INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
#: elements left out with everything inside them
SKIPPED = frozenset(["script", "style", "template", "noscript", "svg", "button", "select"])
#: elements whose content is raw text (no tags inside)
RAW = frozenset(["script", "style", "textarea", "title"])
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
SECTION_HEADINGS = frozenset(["h2", "h3", "h4", "h5", "h6"])

_BODY_ATTRS = ("data-search-body", "data-pagefind-body")
_IGNORE_RE = re.compile(r"""\sdata-(?:search|pagefind)-ignore(?=[\s=/>]|$)""")
_FILTER_RE = re.compile(
    r"""\sdata-(?:search|pagefind)-filter\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
)
_ID_RE = re.compile(r"""(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# A start tag's attributes, quotes respected (unrolled: much faster than an alternation per
# character).
_ATTRS = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
_INLINE_ALT = (
    r"(?:a(?:bbr)?|b(?:d[io])?|c(?:ite|ode)|d(?:ata|fn)|em|i|kbd|mark|q"
    r"|s(?:amp|mall|pan|trong|u[bp])?|time|u|var|wbr)"
)
# The tags the body scan stops at, besides those with a data-search-*/data-pagefind-*
# attribute (found with a plain search): start tags of headings and of the elements left out,
# end tags of headings. (Comments, scripts and styles are blanked before the scan.)
_MARKED_RE = re.compile(
    r"<(?:(h[1-6]|script|style|textarea|title|template|noscript|svg|button|select)(?=[\s/>])"
    rf"({_ATTRS})>"
    r"|/(h[1-6])\s*>)",
    re.S | re.I,
)
_DATA_RE = re.compile(r"data-(?:search|pagefind)-")
_START_TAG_RE = re.compile(rf"<([a-zA-Z][a-zA-Z0-9-]*)({_ATTRS})>")
_INLINE_TAG_RE = re.compile(rf"</?{_INLINE_ALT}(?=[\s/>]){_ATTRS}>", re.I)
_ANY_TAG_RE = re.compile(rf"<(?:/?[a-zA-Z][a-zA-Z0-9-]*(?=[\s/>]){_ATTRS}|[!?][^>]*)>")
_TITLE_RE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.S | re.I)
_WORD_RE = re.compile(r"[^\W_]+")
_DOC_ID_RE = re.compile(r"[a-z2-7]{10}")
_SECTION = tuple[str, str, str]
_FILTER = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class SearchDoc:
    """The searchable part of one page: what its doc file ``d/<id>.json`` holds."""

    url: str
    title: str
    sections: tuple[_SECTION, ...]  # (anchor, heading, text); the first may be ("", "", text)
    filters: tuple[_FILTER, ...]  # (name, sorted distinct values), sorted by name


# --- text rules (the browser applies the same) -------------------------------------------


def normalise(text: str) -> str:
    """Unicode NFC, then lower case."""
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> list[str]:
    """The words of ``text``: normalised maximal runs of letters, digits and combining marks
    (JavaScript ``[\\p{L}\\p{N}\\p{M}]+``), at most 40 code points long."""
    text = normalise(text)
    pattern = _WORD_RE if text.isascii() or not _has_marks(text) else _marks_word_re()
    return [w for w in pattern.findall(text) if len(w) <= MAX_WORD]


def _has_marks(text: str) -> bool:
    return any(unicodedata.category(c)[0] == "M" for c in set(text))


@functools.cache
def _marks_word_re() -> re.Pattern[str]:
    """Python's ``\\w`` leaves out combining marks (NFC has composed the Latin ones, not those
    of scripts such as Devanagari): the word pattern with every mark added (built once, 0.2 s)."""
    ranges: list[str] = []
    start = -1
    for cp in range(0x110001):
        is_mark = cp < 0x110000 and unicodedata.category(chr(cp))[0] == "M"
        if is_mark and start < 0:
            start = cp
        elif not is_mark and start >= 0:
            ranges.append(f"{chr(start)}-{chr(cp - 1)}")
            start = -1
    return re.compile(r"(?:[^\W_]|[" + "".join(ranges) + "])+")


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """``word`` without accents, only ``[a-z0-9]``: NFKD, combining marks (Mn) dropped."""
    if word.isascii():
        return re.sub(r"[^a-z0-9]", "", word)
    out = unicodedata.normalize("NFKD", word)
    return "".join(c for c in out if c in _FOLD_KEEP)


_FOLD_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def key(word: str, split: bool) -> str:
    """The shard key of ``word``: the first 2 characters of its fold (3 when its 2-character
    prefix is split), padded with ``_``."""
    size = 3 if split else 2
    return fold(word)[:size].ljust(size, "_")


def prefix(word: str) -> str:
    """The 2-character prefix of ``word``'s key (what meta ``split`` lists)."""
    return key(word, False)


@functools.lru_cache(maxsize=262144)
def lemma(word: str, lang: str) -> str:
    """The dictionary form of the normalised word ``word`` (simplemma); the word itself when
    the language is not known to simplemma or the lemma has no ``[a-z0-9]`` in its fold."""
    code = lang.split("-")[0].lower()
    try:
        found = str(simplemma.lemmatize(word, lang=code)).lower()
    except ValueError:  # a language simplemma does not know
        return word
    return found if fold(found) else word


# --- doc ids and doc files --------------------------------------------------------------------


def doc_id(url: str) -> str:
    """The first 10 characters of the lowercase unpadded base32 of SHA-256 of ``url``."""
    digest = hashlib.sha256(url.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:10].lower()


def is_doc_id(text: str) -> bool:
    """Whether ``text`` has the shape of a doc id."""
    return _DOC_ID_RE.fullmatch(text) is not None


def dumps(obj: object) -> bytes:
    """The one JSON form of every search index file."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def doc_json(doc: SearchDoc) -> bytes:
    """The doc file ``d/<id>.json`` of ``doc``."""
    return dumps(
        {
            "f": {name: list(values) for name, values in doc.filters},
            "s": [list(s) for s in doc.sections],
            "t": doc.title,
            "u": doc.url,
        }
    )


def doc_from_json(data: bytes) -> SearchDoc:
    """The ``SearchDoc`` of a doc file; ``ValueError`` when it is not one (the file comes from
    a previous output folder, so it is checked as untrusted data)."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, or nested too deep
        raise ValueError(f"not a search doc file: {exc}") from None
    if not isinstance(obj, dict) or set(obj) != {"f", "s", "t", "u"}:
        raise ValueError("not a search doc file: expected the keys f, s, t, u")
    url, title, sections, filters = obj["u"], obj["t"], obj["s"], obj["f"]
    if not isinstance(url, str) or not isinstance(title, str):
        raise ValueError("not a search doc file: u and t must be strings")
    if not isinstance(sections, list) or not all(_is_strings(s, 3) for s in sections):
        raise ValueError("not a search doc file: s must be a list of [anchor, heading, text]")
    if not isinstance(filters, dict) or not all(
        isinstance(v, list) and _is_strings(v, len(v)) for v in filters.values()
    ):
        raise ValueError("not a search doc file: f must map names to lists of strings")
    return SearchDoc(
        url,
        title,
        tuple((s[0], s[1], s[2]) for s in sections),
        tuple((name, tuple(filters[name])) for name in sorted(filters)),
    )


def _is_strings(value: object, length: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == length
        and all(isinstance(item, str) for item in value)
    )


# --- weights ----------------------------------------------------------------------------------


def terms(doc: SearchDoc, lang: str) -> dict[str, int]:
    """Each word form of ``doc`` and its weight: BM25's term part of the form's count (title
    x5, headings x2, texts x1), with a fixed average length so no other page matters, and the
    page's length in steps (``length_step``). ``lang``
    is the page's language (the forms themselves do not depend on it)."""
    counts: Counter[str] = Counter()
    title_words = words(doc.title)
    dl = len(title_words)
    for word in title_words:
        counts[word] += TITLE_TF
    for _anchor, heading, text in doc.sections:
        heading_words = words(heading)
        text_words = words(text)
        dl += len(heading_words) + len(text_words)
        for word in heading_words:
            counts[word] += HEADING_TF
        counts.update(text_words)
    norm = K1 * (1 - B + B * length_step(dl) / AVG_LEN)
    return {form: max(1, round(100 * tf * (K1 + 1) / (tf + norm))) for form, tf in counts.items()}


def length_step(dl: int) -> float:
    """A page's length as ``terms`` weighs it: rounded to a step of 2 ** (1/4) (about 19%), so
    an edit of a few words leaves the weights of the page's other words as they were (and the
    search index shards they are in untouched) unless it crosses a step."""
    return float(2 ** (round(4 * math.log2(max(dl, 1))) / 4))


# --- extraction -------------------------------------------------------------------------------


def extract(html_text: str, url: str) -> SearchDoc | None:
    """The searchable part of the rendered page ``html_text`` (linked as ``url``): the first
    element carrying ``data-search-body`` (or ``data-pagefind-body``) minus ignored parts;
    None when the page has no such element. Never raises on malformed HTML."""
    start = _body_start(html_text)
    if start is None:
        return None
    name, end_of_tag = start
    masked = _masked(html_text, end_of_tag)
    stop = _element_end(masked, name, end_of_tag)
    scan = _Scan()
    scan.run(masked, end_of_tag, stop)
    title = scan.title
    if title is None:
        found = _TITLE_RE.search(html_text)
        title = _clean(found.group(1)) if found else ""
    filters = tuple((n, tuple(sorted(set(v)))) for n, v in sorted(scan.filters.items()))
    return SearchDoc(url, title, tuple(scan.sections()), filters)


def _body_start(text: str) -> tuple[str, int] | None:
    """The tag name and the end offset of the start tag carrying the body attribute."""
    best = -1
    for attr in _BODY_ATTRS:
        at = text.find(attr)
        while at != -1:
            open_at = text.rfind("<", 0, at)
            match = _START_TAG_RE.match(text, open_at) if open_at != -1 else None
            if match and match.end() > at:
                if best == -1 or open_at < best:
                    best = open_at
                break
            at = text.find(attr, at + 1)
    if best == -1:
        return None
    match = _START_TAG_RE.match(text, best)
    assert match is not None
    return match.group(1).lower(), match.end()


@functools.lru_cache(maxsize=64)
def _same_name_re(name: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])", re.I)


@functools.lru_cache(maxsize=8)
def _raw_close_re(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\s*>", re.I)


_RAW_OPEN_RE = re.compile(r"<(?:(!--)|(script|style)(?=[\s/>]))", re.I)


def _masked(text: str, pos: int) -> str:
    """``text`` with its comments, scripts and styles from ``pos`` on turned into spaces (same
    length, so offsets stay): their tag-like text is not markup, and none of it is indexed."""
    pieces: list[str] = []
    done = 0
    search = _RAW_OPEN_RE.search
    while (found := search(text, pos)) is not None:
        if found.group(1):
            end = text.find("-->", found.end())
            end = len(text) if end < 0 else end + 3
        else:
            close = _raw_close_re(found.group(2).lower()).search(text, found.end())
            end = close.end() if close else len(text)
        pieces += (text[done : found.start()], " " * (end - found.start()))
        done = pos = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _element_end(text: str, name: str, pos: int) -> int:
    """Where the element ``name`` whose start tag ends at ``pos`` ends (after its end tag);
    the end of ``text`` when it is never closed. Only tags named ``name`` are looked at
    (``text`` is masked: no comments or scripts)."""
    if name in VOID:
        return pos
    if name in RAW:
        close = _raw_close_re(name).search(text, pos)
        return close.end() if close else len(text)
    depth = 1
    for match in _same_name_re(name).finditer(text, pos):
        if not match.group(1):
            depth += 1
            continue
        depth -= 1
        if depth == 0:
            end = text.find(">", match.end())
            return len(text) if end < 0 else end + 1
    return len(text)


def _data_tags(text: str, pos: int, stop: int) -> list[re.Match[str]]:
    """The start tags in ``text[pos:stop]`` with a data-search-* or data-pagefind-* attribute,
    in order."""
    found: list[re.Match[str]] = []
    for attr in _DATA_RE.finditer(text, pos, stop):
        open_at = text.rfind("<", pos, attr.start())
        if open_at < 0 or (found and found[-1].start() == open_at):
            continue
        tag = _START_TAG_RE.match(text, open_at, stop)
        if tag is not None and tag.end() > attr.start():
            found.append(tag)
    return found


def _plain(fragment: str) -> str:
    """A stretch of HTML without tags: inline tags gone, every other tag a space."""
    if "<" not in fragment:
        return fragment
    return _ANY_TAG_RE.sub(" ", _INLINE_TAG_RE.sub("", fragment))


def _clean(raw: str) -> str:
    """Entities decoded, whitespace collapsed."""
    if "&" in raw:
        raw = html.unescape(raw)
    return " ".join(raw.split())


class _Scan:
    """The state of one body scan: the sections so far and where text goes now."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.filters: dict[str, list[str]] = {}
        self.found: list[tuple[str, list[str], list[str]]] = [("", [], [])]
        self.capture: str = ""  # "h1" or "h2"..."h6" while a title or heading is read
        self.target: list[str] = self.found[0][2]
        self.title_parts: list[str] = []

    def run(self, text: str, pos: int, stop: int) -> None:
        """Read ``text[pos:stop]``, the body's content. Only the tags that matter one by one
        (headings, skipped elements, data-search attributes, comments) stop the scan; the
        text between them loses its other tags in two substitutions."""
        marked = _data_tags(text, pos, stop)
        marked.reverse()
        search = _MARKED_RE.search
        while True:
            match = search(text, pos, stop)
            while marked and marked[-1].start() < pos:
                marked.pop()
            if marked and (match is None or marked[-1].start() <= match.start()):
                match = marked.pop()
            if match is None:
                break
            start = match.start()
            if start > pos:
                self.target.append(_plain(text[pos:start]))
            pos = match.end()
            name = match.group(1)
            if name is not None:
                pos = self._start_tag(text, name.lower(), match.group(2), pos, stop)
            elif match.re is _MARKED_RE and match.group(3) is not None:
                self._end_tag(match.group(3).lower())
        if pos < stop:
            self.target.append(_plain(text[pos:stop]))
        if self.capture:
            self._end_tag(self.capture)

    def _start_tag(self, text: str, name: str, attrs: str, pos: int, stop: int) -> int:
        if name in SKIPPED or name in RAW:
            return min(_element_end(text, name, pos), stop)
        if "data-" in attrs:
            if _IGNORE_RE.search(attrs):
                return min(_element_end(text, name, pos), stop)
            found = _FILTER_RE.search(attrs)
            if found:
                end = _element_end(text, name, pos)
                self._filter(found, _fragment_text(text[pos:end]))
        if name not in INLINE:
            self.target.append(" ")
        if self.capture:
            return pos
        if name in SECTION_HEADINGS and "id" in attrs:
            anchor = _ID_RE.search(attrs)
            if anchor:
                value = html.unescape(next(g for g in anchor.groups() if g is not None))
                self.found.append((value, [], []))
                self.capture, self.target = name, self.found[-1][1]
        elif name == "h1" and self.title is None:
            self.capture, self.target = name, self.title_parts
        return pos

    def _filter(self, found: re.Match[str], value: str) -> None:
        name = " ".join(html.unescape(next(g for g in found.groups() if g is not None)).split())
        if name and value:
            self.filters.setdefault(name, []).append(value)

    def _end_tag(self, name: str) -> None:
        if name == self.capture:
            if name == "h1":
                self.title = _clean("".join(self.title_parts))
            self.capture, self.target = "", self.found[-1][2]
        if name not in INLINE:
            self.target.append(" ")

    def sections(self) -> Iterator[_SECTION]:
        """The sections in page order: the text before the first heading with an id (when
        there is any), then one per heading with an id, even without text."""
        for index, (anchor, heading, text) in enumerate(self.found):
            content = _clean("".join(text))
            if index == 0 and not content:
                continue
            yield anchor, _clean("".join(heading)), content


def _fragment_text(fragment: str) -> str:
    """The collapsed text of an HTML fragment (a filter element's content)."""
    scan = _Scan()
    scan.title = ""  # an h1 inside a filter value is text
    scan.run(fragment, 0, len(fragment))
    return " ".join(
        part for section in scan.sections() for part in (section[1], section[2]) if part
    )
