"""Per-page work (read, validate, Markdown, readability) in parallel, with a content cache.

Each page is processed on its own: links to other pages stay placeholders until the
pipeline knows every URL, so pages can go to any worker process in any order and the
result is the same. Results are cached in ``.sitegen-cache/pages/`` under a key made of the
file's bytes, its path, the site settings and sitegen's own code and data, as JSON behind a
keyed MAC (``cachefile``); a corrupt, unreadable or planted entry is ignored and rebuilt,
never trusted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import stat
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

from sitegen.build.loose import check_file
from sitegen.build.manifest import code_fingerprint
from sitegen.build.pages import SITE_CHECK_FIELDS, check_page, load_page
from sitegen.build.pool import PARALLEL_MIN, default_jobs, forked_pool
from sitegen.content.config import SiteConfig
from sitegen.content.frontmatter import slim
from sitegen.content.model import ResultMeta
from sitegen.content.pages import Page
from sitegen.content.results import check_result
from sitegen.core import bounds, cachefile
from sitegen.core.cachefile import CACHE_DIR, Codec
from sitegen.core.diagnostics import Diagnostic
from sitegen.core.textsafety import body_problems
from sitegen.markup.convert import Renderer
from sitegen.readability import check_document, lexicon, load_glossary
from sitegen.readability.formats import (
    keep_summaries,
    page_json_text,
    sarif_texts,
    texts_bytes,
    texts_file,
)
from sitegen.readability.model import PageCheck
from sitegen.readability.numeracy import check_numbers
from sitegen.render.body import annotate_body, lexicon_of
from sitegen.render.stages import Outcome

_FORMAT = b"sitegen-page-cache-4"
#: the modules whose dataclasses and enums an ``Outcome`` is made of (``cachefile.Codec``)
_CACHED_MODULES = (
    "sitegen.render.stages",
    "sitegen.content.pages",
    "sitegen.content.model",
    "sitegen.content.frontmatter",
    "sitegen.markup.convert",
    "sitegen.render.definitions",
    "sitegen.render.glossary",
    "sitegen.core.diagnostics",
    "sitegen.readability.model",
)


def settings_fingerprint(root: Path, config: SiteConfig) -> bytes:
    """The part of every cache key that does not depend on the page."""
    h = hashlib.sha256(_FORMAT)
    h.update(code_fingerprint().encode())
    h.update(repr(config).encode())
    for g in config.readability.glossary:
        with contextlib.suppress(OSError):
            h.update((root / g).read_bytes())
    return h.digest()


def process_one(rel: str, kind: str, full: Path, root: Path, config: SiteConfig) -> Outcome:
    """Read, validate, convert and check one content file."""
    page, diags = load_page(rel, kind, full, config)
    if page is None:
        # Metadata errors: still check the text, so every problem shows in one run (never
        # for a file that could not be read safely).
        check = None
        if not any(d.is_error and d.code.startswith("SRC") for d in diags):
            try:
                with bounds.cpu_deadline():
                    check, _ = check_file(rel, full, config, root, kind=kind)
            except (bounds.TooSlow, RecursionError):
                check = None
        return Outcome(rel, None, None, check, tuple(diags))
    problems = bounds.markdown_problems(page.body, page.path, page.body_line)
    problems += body_problems(page.body, page.path, page.body_line)
    if problems:
        return Outcome(rel, None, None, None, (*diags, *problems))
    try:
        with bounds.cpu_deadline():
            rendered = _renderer().render(
                page.body, source_path=page.path, body_line=page.body_line
            )
            diags += rendered.diagnostics
            check = check_page(page, config, root)
            if page.kind == "result":
                diags += result_checks(page)
            annotated = annotate_body(rendered.html, page.url, page.lang, config, root)
    except (bounds.TooSlow, RecursionError):
        return Outcome(rel, None, None, None, (*diags, bounds.too_slow(page.path)))
    # Its reports' JSON and SARIF parts are made here, in parallel (``_run_chunk`` moves
    # them into the page cache).
    page_json_text(check)
    sarif_texts(check)
    # Checked: keep only what later stages use (a third of the memory and of the cache).
    page = dataclasses.replace(page, fm=slim(page.fm, SITE_CHECK_FIELDS))
    meta_key = hashlib.sha256(f"{page.url}\0{page.meta!r}".encode("utf-8", "surrogatepass"))
    return Outcome(
        rel, page, rendered, check, tuple(diags), annotated=annotated, meta_key=meta_key.hexdigest()
    )


def result_checks(page: Page) -> list[Diagnostic]:
    """A results page's own checks: Annex V sections, wording, numbers (cached with it)."""
    path, body, line, lang = page.path, page.body, page.body_line, page.lang
    assert isinstance(page.meta, ResultMeta)
    return check_result(path, page.meta, body, line, lang) + check_numbers(path, body, line, lang)


@cache
def _renderer() -> Renderer:
    return Renderer()


#: from this many pages on, their deferred texts are kept in a spill file (``Spill``),
#: not in memory: each call keeps a file open while its pages live, and a preview session
#: that processes a few saved pages at a time would otherwise open one per save
SPILL_MIN = 64


def _entry(root: Path, key: str) -> str:
    """Where a page's cache entry is kept, without its extension (``.json``; its check's
    report texts in ``.texts``, ``formats.texts_file``). A plain string: ``Path`` joins
    cost a tenth of reading 10,000 entries."""
    return f"{root}/{CACHE_DIR}/pages/{key[:2]}/{key}"


#: what a build needs of an unchanged page only when one of its files is made again: read
#: from its cache entry on first use (``cachefile.Deferred``)
_DEFERRED_FIELDS = {
    "sitegen.content.pages:Page": ("body",),
    "sitegen.markup.convert:Rendered": ("html", "headings"),
    "sitegen.render.definitions:Annotated": ("html", "used"),
    "sitegen.readability.model:PageCheck": ("findings",),
    "sitegen.readability.model:Clarity": ("items",),
}


@cache
def _codec() -> Codec:
    return Codec(_CACHED_MODULES, _DEFERRED_FIELDS)


def _load_cached(root: Path, key: str, spill: cachefile.Spill | None = None) -> Outcome | None:
    base = _entry(root, key)
    return _stored_outcome(cachefile.load(base + ".json", _codec(), spill), key, base)


def _stored_outcome(stored: object, key: str, base: str) -> Outcome | None:
    """The outcome of a decoded cache entry ``(key, outcome)`` of the page cache's entry
    ``base``, or None when it is not one."""
    if not (isinstance(stored, tuple) and len(stored) == 2):
        return None
    stored_key, outcome = stored
    if stored_key != key or not isinstance(outcome, Outcome):
        return None
    if isinstance(outcome.check, PageCheck):
        texts_file(outcome.check, base + ".texts")
    return outcome


def _store(root: Path, key: str, outcome: Outcome) -> bytes | None:
    """Cache ``outcome``; its check's report texts go to a file of their own, read only
    when the reports are written (``formats.texts_file``). The entry's payload, or None
    when it cannot be encoded (then nothing is stored)."""
    check, base = outcome.check, _entry(root, key)
    if check is not None:
        cachefile.write_signed(Path(base + ".texts"), texts_bytes(check))
        texts_file(check, None)
    payload = cachefile.store(Path(base + ".json"), (key, outcome), _codec())
    if check is not None:
        texts_file(check, base + ".texts")
    return payload


def _run_chunk(
    chunk: Sequence[tuple[int, str, str, str, str | None]], root: str, config: SiteConfig
) -> list[tuple[int, Outcome | bytes]]:
    """Process each page of ``chunk`` and cache its outcome. What goes back is the cache
    entry's payload when there is one: the build decodes it as if read from the cache, so
    a page's HTML, source text and findings stay one deferred text (``cachefile.Spill``)
    until used, and a pickled outcome is not made (both in a worker, and unpickled)."""
    out: list[tuple[int, Outcome | bytes]] = []
    for index, rel, kind, full, key in chunk:
        outcome = dataclasses.replace(
            process_one(rel, kind, Path(full), Path(root), config), key=key
        )
        if outcome.check is not None:
            keep_summaries(outcome.check)
        payload = _store(Path(root), key, outcome) if key is not None else None
        out.append((index, outcome if payload is None else payload))
    return out


def _received(
    root: Path, item: Outcome | bytes, key: str | None, spill: cachefile.Spill | None
) -> Outcome:
    """A page's outcome as ``_run_chunk`` gave it: decoded from its payload like a cache
    entry (a payload just made that does not decode is a bug: ``RuntimeError``)."""
    if isinstance(item, Outcome):
        return item
    assert key is not None  # a payload is only made for a page with a key
    try:
        stored = _codec().loads(item, spill)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise RuntimeError(f"a page's cache entry did not decode: {exc}") from exc
    outcome = _stored_outcome(stored, key, _entry(root, key))
    if outcome is None:
        raise RuntimeError("a page's cache entry did not decode to its outcome")
    return outcome


def front_matter_lang(data: bytes) -> str | None:
    """The ``lang:`` a content file's front matter gives, read without parsing it (for
    ``warm_up`` only: the page's real language comes from its parsed metadata)."""
    if not data.startswith(b"---"):
        return None
    end = data.find(b"\n---", 3)
    m = _LANG_LINE.search(data, 0, end if end > 0 else min(len(data), 8192))
    return m.group(1).decode("ascii") if m else None


_LANG_LINE = re.compile(rb"^lang:[ \t]*[\"']?([a-z]{2})\b", re.M)


def warm_up(config: SiteConfig, root: Path, langs: Iterable[str] = ("en", "es")) -> None:
    """Load dictionaries and word lists of ``langs`` once, before worker processes are
    forked (a site without Spanish pages does not load the Spanish lemma data: 2 s)."""
    extra = tuple(root / g for g in config.readability.glossary)
    _codec()
    for lang in sorted(set(langs)):
        glossary = load_glossary(lang, extra)
        check_document("warm-up.md", "A short text to warm up. It has two sentences.", 1, [],
                       lang=lang, glossary=glossary)  # fmt: skip
        lexicon.preload(lang)
        lexicon_of(lang, extra)


def process_all(
    root: Path,
    config: SiteConfig,
    found: Sequence[tuple[str, str, Path]],
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    prune: bool = False,
) -> list[Outcome]:
    """Process every ``(rel, kind, full)`` file; results in the same order as ``found``.

    ``prune``: ``found`` is the whole site, so cache entries of no file in it (older
    versions of files, other settings, an older sitegen) are deleted.
    """
    total = len(found)
    results: list[Outcome | None] = [None] * total
    todo: list[tuple[int, str, str, str, str | None]] = []
    salt = settings_fingerprint(root, config)
    # one file a call, open while any of its pages lives: not for the preview's few pages
    spill = cachefile.Spill.open(root / CACHE_DIR) if total >= SPILL_MIN else None
    limit = config.max_file_kb * 1024
    langs: set[str] = set()
    done = 0
    for index, (rel, kind, full) in enumerate(found):
        key: str | None = None
        lang = config.language
        try:
            st = os.lstat(full)
            if st.st_size <= limit and not stat.S_ISLNK(st.st_mode):
                h = hashlib.sha256(salt)
                h.update(f"{rel}\0{kind}\0".encode())
                with open(full, "rb") as fh:
                    data = fh.read()
                h.update(data)
                key = h.hexdigest()
                lang = front_matter_lang(data) or config.language
        except OSError:
            key = None
        # --clean (use_cache=False) does not read the cache; new results are still stored.
        if use_cache and key is not None:
            hit = _load_cached(root, key, spill)
            if hit is not None:
                results[index] = hit
                done += 1
                continue
        todo.append((index, rel, kind, str(full), key))
        langs.add(lang)
    if progress is not None and done:
        progress(done, total)
    if prune:
        prune_cache(
            root,
            {item[4] for item in todo if item[4]}
            | {r.key for r in results if r is not None and r.key},
        )
    workers = default_jobs() if jobs is None else max(1, jobs)
    if workers == 1 or len(todo) < PARALLEL_MIN:
        for item in todo:
            for index, got in _run_chunk([item], str(root), config):
                results[index] = _received(root, got, item[4], spill)
            done += 1
            if progress is not None:
                progress(done, total)
    else:
        warm_up(config, root, langs)
        size = max(4, len(todo) // (workers * 8))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        with forked_pool(workers) as pool:
            futures = deque(pool.submit(_run_chunk, c, str(root), config) for c in chunks)
            keys = {item[0]: item[4] for item in todo}
            while futures:  # each chunk's payloads dropped once decoded
                part = futures.popleft().result()
                for index, got in part:
                    results[index] = _received(root, got, keys[index], spill)
                done += len(part)
                del part
                if progress is not None:
                    progress(done, total)
    return [r for r in results if r is not None]


def prune_cache(root: Path, keep: set[str]) -> int:
    """Delete page cache entries whose key is not in ``keep``; return how many.

    Only regular files directly in the two-letter folders of ``.sitegen-cache/pages/`` are
    deleted, through folder handles opened without following symbolic links: a link
    anywhere in the cache is never entered, so pruning never leaves the cache folder.
    """
    if cachefile.check_folder(root) is not None:
        return 0
    removed = 0
    flags = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0)
    try:
        top = os.open(root / CACHE_DIR, flags)
    except OSError:
        return 0
    try:
        pages = os.open("pages", flags, dir_fd=top)
    except OSError:
        os.close(top)
        return 0
    try:
        for folder in os.scandir(pages):
            if not folder.is_dir(follow_symlinks=False):
                continue
            try:
                sub = os.open(folder.name, flags, dir_fd=pages)
            except OSError:
                continue
            try:
                for entry in os.scandir(sub):
                    stem, dot, ext = entry.name.rpartition(".")
                    if not dot or not entry.is_file(follow_symlinks=False):
                        continue
                    if ext in ("json", "texts") and stem in keep:
                        continue
                    with contextlib.suppress(OSError):
                        os.unlink(entry.name, dir_fd=sub)
                        removed += 1
            finally:
                os.close(sub)
    finally:
        os.close(pages)
        os.close(top)
    return removed
