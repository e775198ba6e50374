"""Build the writer's preview: every page, drafts and blocked pages included, each decorated
with preview-only banners, finding marks and a readability panel, written to
``.sitegen-preview/site/`` (git-ignored), never to ``output/``.

The check and render stages are the published build's own (``pipeline.build_site`` with
``write=False``, then ``rendering.render_site``); this module only adds the decorations, through
a sink that decorates each page as it is written. Like ``output/``, the preview is filled in
a new folder, keeps the files whose render key did not change, and is swapped in atomically.
Everything it adds carries a ``sg-`` class or points at ``/__sitegen/`` (``PREVIEW_MARKERS``);
a test checks that none of it ever reaches a published build.
"""

from __future__ import annotations

import contextlib
import html
import re
import time
import traceback
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.build.outputs import Chunks, Shipped, StagedSink, render_key
from sitegen.build.pagememory import PageMemory
from sitegen.build.pages import warm_checker
from sitegen.build.pipeline import (
    GATE_PREFIXES,
    BuildResult,
    CollectMemory,
    PageResult,
    build_site,
)
from sitegen.build.rendering import render_site
from sitegen.commands.fixes import page_fixes
from sitegen.content.config import SiteConfig, load_config
from sitegen.content.translations import Stale
from sitegen.core.diagnostics import (
    Diagnostic,
    Severity,
    count,
    counts_by_path,
    counts_text,
    sorted_diagnostics,
)
from sitegen.core.patching import PerItem
from sitegen.core.urls import output_file
from sitegen.i18n import LANGUAGES
from sitegen.publish.folder import PublishFolder
from sitegen.publish.inplace import InPlace
from sitegen.publish.records import PREVIEW_RECORDS, Written, forget_records, save_records
from sitegen.publish.writer import Staging
from sitegen.readability.model import Finding, Fix, PageCheck
from sitegen.render.context import SiteModel
from sitegen.render.memory import RenderMemory
from sitegen.report.env import verdict_reason

PREVIEW_DIR = ".sitegen-preview"
#: the gate's verdicts in the panel's sentence
VERDICT_WORDS = {"pass": "passes", "warn": "passes with warnings", "block": "blocked"}
PREVIEW_SITE = f"{PREVIEW_DIR}/site"
ASSET_PREFIX = "/__sitegen/"
#: strings that only preview pages contain; none may appear in a published build
PREVIEW_MARKERS = ("sg-readability", "sg-finding", "sg-preview-banner", ASSET_PREFIX)
#: diagnostic code prefixes of the readability gate: shown in the panel, never a build failure
GATE_CODES = (*GATE_PREFIXES, "GATE")

_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_MAIN_OPEN = re.compile(r"<main\b[^>]*>", re.I)
_RAW_TEXT = re.compile(r"<(script|style|title|textarea)\b", re.I)


@dataclass(frozen=True)
class PreviewBuild:
    """What one preview build did: ``ok`` False means the browser gets the error page."""

    ok: bool
    diagnostics: list[Diagnostic]
    failures: list[Diagnostic]
    pages: int = 0
    drafts: int = 0
    blocked: int = 0
    elapsed: float = 0.0
    config: SiteConfig | None = field(default=None, compare=False)
    #: the traceback when sitegen itself failed (a bug, not a content problem)
    crash: str = ""
    #: each page's safe drop-ins by its source path: what the panel's "Apply" buttons may write
    fixes: dict[str, tuple[Fix, ...]] = field(default_factory=dict, compare=False)


def is_failure(d: Diagnostic) -> bool:
    """True for a problem that stops the preview (readability findings never do)."""
    return d.is_error and not d.code.startswith(GATE_CODES)


def failures_of(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that stop the preview (``is_failure``), in order; the errors are
    picked out first, without a call per diagnostic (a site has tens of thousands)."""
    error = Severity.ERROR
    return [d for d in [d for d in diags if d.severity is error] if is_failure(d)]


class PreviewBuilder:
    """Builds the preview of the site at ``root``.

    ``build(changed)`` is the one entry point the server calls, with the site-relative paths
    that changed since the last build. Each call runs ``build_site``; the checked pages stay
    in memory (``pagememory``), so after an edit to content files only those files are read
    and checked again. The preview folder is filled and swapped in like ``output/`` by the
    first build and after a change to settings, templates or glossaries; after an edit to
    content only, the files whose render key changed (the page, its translations, the
    listings that show it, the Glossary) are written into it in place (``inplace``) and the
    files no longer in the site are deleted.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site_dir = root / PREVIEW_SITE
        self.config: SiteConfig | None = None
        self.memory = PageMemory(root)
        self.collected = CollectMemory()
        self.rendering = RenderMemory()
        #: each page's decorated render key by (render key, counts), from the last build
        self.keys: dict[tuple[str, tuple[int, int]], str] = {}
        #: each file's errors and warnings as the last build's pages show them
        self.counts: dict[str, tuple[int, int]] | None = None
        #: each page's path, safe drop-ins, and whether it is a draft and blocked
        self._pages_of: PerItem[PageResult, tuple[str, tuple[Fix, ...], bool, bool]] = PerItem()
        #: each page's output file and result
        self._files: PerItem[PageResult, tuple[str, PageResult]] = PerItem()
        #: what the preview folder holds (file -> record), when this builder wrote it
        self.records: dict[str, Written] | None = None
        #: the files the last build rendered (the others were kept as they were)
        self.rendered: set[str] = set()

    def build(self, changed: Collection[str] = ()) -> PreviewBuild:
        """Check, render, decorate and publish the whole preview; never raises: a bug in
        sitegen comes back as a failed build with its traceback, so the server keeps going."""
        started = time.perf_counter()
        try:
            return self._build(started, changed)
        except Exception:
            self.memory.forget()
            self.collected = CollectMemory()
            self.rendering = RenderMemory()
            self.records = None
            return PreviewBuild(
                ok=False,
                diagnostics=[],
                failures=[],
                elapsed=time.perf_counter() - started,
                config=self.config,
                crash=traceback.format_exc(),
            )

    def _build(self, started: float, changed: Collection[str]) -> PreviewBuild:
        config, diags = load_config(self.root)
        if config is None:
            return self._done(started, diags, None)
        content_only = bool(changed) and config == self.config
        self.config = config
        # One process: the server has threads running, and forking a threaded process is
        # unsafe. Unchanged pages come from memory (or the page cache after a settings edit).
        known = changed if content_only else None
        if not content_only:  # settings, templates, glossaries or assets may have changed
            self.rendering = RenderMemory()
        result = build_site(
            self.root,
            config,
            write=False,
            jobs=1,
            process=self.memory.processor(config, known),
            memory=self.collected,
            discover=self.memory.discoverer(config, known),
        )
        diags = _with(result.diagnostics, diags)
        self.rendered = set()
        if failures_of(diags):
            return self._done(started, diags, result)
        counts = counts_by_path(diags)
        in_place = content_only and self.records is not None and self.site_dir.is_dir()
        diags = _with(diags, self._publish(config, result.results, result.stale, counts, in_place))
        return self._done(started, diags, result)

    def _publish(
        self,
        config: SiteConfig,
        results: Sequence[PageResult],
        stale: Mapping[str, Stale] | None = None,
        counts: dict[str, tuple[int, int]] | None = None,
        in_place: bool = False,
    ) -> list[Diagnostic]:
        """Render and decorate the preview into a new folder and swap it in; files whose
        render key is unchanged since the last preview are kept, as in a published build.
        ``counts``: each file's errors and warnings (``counts_by_path``), for the panel.
        ``in_place``: write the changed files into the preview folder itself instead."""
        pages = dict(self._files(results, _file_of))
        model = SiteModel(
            root=self.root,
            config=config,
            results=results,
            languages=LANGUAGES,
            stale=stale or {},
            memory=self.rendering,
        )
        if in_place and self.records is not None:
            return self._update(model, pages, counts, self.records)
        folder = PublishFolder(self.root, PREVIEW_SITE, PREVIEW_RECORDS, "the preview")
        problems = folder.open(read_last=self.records is None)
        if problems:
            return problems
        previous = self.records if self.records is not None else folder.last
        sink = DecoratingSink(folder.staging, previous, pages, counts, self.keys)
        _, diags = render_site(model, sink, jobs=1)
        if any(is_failure(d) for d in diags):
            folder.abort()
            return diags
        self.records = None
        problems = folder.commit(sink.records)
        if problems:
            return diags + problems
        self._wrote(sink)
        return diags

    def _wrote(self, sink: DecoratingSink) -> None:
        """What the next build keeps of one that wrote the preview folder."""
        self.records = sink.records
        self.rendered = sink.rendered
        self.keys = sink.used
        self.counts = sink.counts

    def _update(
        self,
        model: SiteModel,
        pages: dict[str, PageResult],
        counts: dict[str, tuple[int, int]] | None,
        previous: dict[str, Written],
    ) -> list[Diagnostic]:
        """Write the files whose render key changed into the preview folder, one by one,
        and delete those no longer in the site. The record on disk is dropped first (the
        folder no longer matches it) and saved again by ``save``."""
        folder = InPlace(self.site_dir, display=PREVIEW_SITE, trusted=True)
        sink = DecoratingSink(folder, previous, pages, counts, self.keys, self.counts)
        forget_records(self.root, PREVIEW_RECORDS)
        _, diags = render_site(model, sink, jobs=1)
        if any(is_failure(d) for d in diags):
            self.records = None  # some files may be new already: the next build swaps
            return diags
        for rel in previous.keys() - sink.records.keys():
            folder.remove(rel)
        self._wrote(sink)
        return diags

    def warm(self) -> None:
        """Load what checking a page reads the first time, for the languages of the last
        build's pages (``pages.warm_checker``): the first rebuild after an edit then takes
        as long as the next ones. A problem here is the next build's to report."""
        if self.config is None:
            return
        langs = sorted({r.page.lang for r in self._pages_of.items})
        with contextlib.suppress(Exception):
            warm_checker(self.config, self.root, langs or [self.config.language])

    def save(self) -> None:
        """Save the record of the preview folder (the next ``serve`` keeps what it can)."""
        if self.records is not None:
            save_records(self.root, PREVIEW_RECORDS, self.records)

    def _done(
        self, started: float, diags: list[Diagnostic], result: BuildResult | None
    ) -> PreviewBuild:
        failures = failures_of(diags)
        results = result.results if result else []
        drafts, blocked, fixes = self._summary(results)
        return PreviewBuild(
            ok=not failures,
            diagnostics=diags,
            failures=failures,
            pages=len(results),
            drafts=drafts,
            blocked=blocked,
            elapsed=time.perf_counter() - started,
            config=self.config,
            fixes=fixes,
        )

    def _summary(
        self, results: Sequence[PageResult]
    ) -> tuple[int, int, dict[str, tuple[Fix, ...]]]:
        """How many pages are drafts and blocked, and each page's safe drop-ins by its
        source path (a page's are kept while its result is the very same object)."""
        each = self._pages_of(results, _summary_of)
        drafts = sum([one[2] for one in each])
        blocked = sum([one[3] for one in each])
        fixes = {one[0]: one[1] for one in each if one[1]}
        return drafts, blocked, fixes


def _summary_of(r: PageResult) -> tuple[str, tuple[Fix, ...], bool, bool]:
    """One page for ``PreviewBuilder._summary``."""
    return r.page.path, tuple(page_fixes(r.check)), r.page.draft, r.check.verdict == "block"


def _file_of(r: PageResult) -> tuple[str, PageResult]:
    return output_file(r.page.url), r


def _with(diags: list[Diagnostic], more: Sequence[Diagnostic]) -> list[Diagnostic]:
    """``diags`` (sorted, without duplicates) and ``more``, sorted (``diags`` itself when
    there are no more: sorting every page's diagnostics again costs time at every save)."""
    return sorted_diagnostics([*diags, *more]) if more else diags


class DecoratingSink(StagedSink):
    """A ``StagedSink`` that decorates each content page (``pages``: output file -> page
    result) before writing it."""

    def __init__(
        self,
        staging: Staging | InPlace,
        previous: dict[str, Written],
        pages: dict[str, PageResult],
        counts: dict[str, tuple[int, int]] | None = None,
        keys: dict[tuple[str, tuple[int, int]], str] | None = None,
        last_counts: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        super().__init__(staging, previous)  # type: ignore[arg-type]
        self.pages = pages
        self.counts = counts or {}
        #: the last build's decorated keys by (render key, counts); ``used``: this build's
        self.keys = keys if keys is not None else {}
        self.used: dict[tuple[str, tuple[int, int]], str] = {}
        #: the counts the files in ``previous`` show (None: not known)
        self.last_counts = last_counts

    def keep_all(
        self, rels: Sequence[str], paths: Sequence[str], skip: Collection[int]
    ) -> list[int] | None:
        """``StagedSink.keep_all``; the pages whose counts changed since the last build are
        looked at again (their decorations show them)."""
        last = self.last_counts
        again = super().keep_all(rels, paths, skip) if last is not None else None
        if again is None or last is None:
            return None
        counts = self.counts
        if counts != last:
            moved = counts.keys() ^ last.keys()
            moved.update(p for p, c in counts.items() if last.get(p, c) != c)
            again += [i for i, p in enumerate(paths) if p in moved]
        self.used.update(self.keys)  # the kept pages' decorated keys
        return again

    def _key(self, rel: str, key: str) -> str:
        """A page's render key with what its decorations show that the key does not (its
        errors and warnings, from every check of the site)."""
        r = self.pages.get(rel)
        if r is None:
            return key
        at = (key, self.counts.get(r.page.path, (0, 0)))
        decorated = self.used.get(at) or self.keys.get(at) or render_key(*at)
        self.used[at] = decorated
        return decorated

    def reuse(self, rel: str, key: str) -> Written | None:
        """Keep ``rel`` if its render key and decorations are the last preview's."""
        return super().reuse(rel, self._key(rel, key))

    def put(self, rel: str, data: Chunks, key: str = "", extra: object = None) -> None:
        """Write one file; a file without a render key (an asset, the sitemap) is kept when
        its bytes are the same."""
        data = data if isinstance(data, bytes) else b"".join(data)
        key = self._key(rel, key) if key else render_key("bytes", data)
        if super().reuse(rel, key) is None:
            self.receive(self._write(rel, data, key, extra))

    def ship(self, rel: str, data: bytes, key: str = "", extra: object = None) -> Shipped:
        """Write one file (in a forked worker)."""
        return self._write(rel, data, self._key(rel, key), extra)

    def _write(self, rel: str, data: bytes, key: str, extra: object) -> Shipped:
        r = self.pages.get(rel)
        if rel.endswith(SEARCH_PAGE):
            data = add_search_notice(data.decode("utf-8")).encode("utf-8")
        if r is not None:
            page_html = decorate_page(
                data.decode("utf-8"),
                r.check,
                draft=r.page.draft,
                body_html=r.rendered.html,
                url="/" + r.page.url.lstrip("/"),
                counts=self.counts.get(r.page.path, (0, 0)),
            )
            data = page_html.encode("utf-8")
        return super()._write(rel, data, key, extra)


# --------------------------------------------------------------------------------------------
# Decorations (pure functions of HTML text)


def decorate_page(
    page_html: str,
    check: PageCheck,
    *,
    draft: bool,
    body_html: str = "",
    url: str = "/",
    counts: tuple[int, int] | None = None,
) -> str:
    """Add the preview stylesheet, draft/blocked banners, finding marks and the panel.

    ``body_html`` is the page's rendered Markdown body, to find where it starts in the page;
    ``url`` the page's own address, where an "Apply" button comes back to.
    """
    page_html = add_stylesheet(page_html)
    opened = _MAIN_OPEN.search(page_html)
    close = page_html.rfind("</main>")
    if opened is None or close < opened.end():
        return page_html  # a site template without <main>: leave the page alone
    findings = sorted(
        enumerate(check.findings), key=lambda item: (item[1].line, item[1].column, item[0])
    )
    numbered = [(n, f) for n, (_, f) in enumerate(findings, start=1)]
    main = page_html[opened.end() : close]
    inner, marked = highlight(main, numbered, body_offset(main, body_html))
    return (
        page_html[: opened.end()]
        + banner_html(check, draft=draft)
        + inner
        + panel_html(check, numbered, marked, url, counts)
        + page_html[close:]
    )


#: the generated search page of each language ends with this
SEARCH_PAGE = "search/index.html"
SEARCH_NOTICE = (
    "Search in the preview uses the index of your last build (sitegen build), so it does "
    "not find what you changed since; before the first build it finds nothing. Every "
    "other page of the preview shows your latest save."
)


def add_search_notice(page_html: str) -> str:
    """Tell the writer on the search page that search lags behind the preview."""
    page_html = add_stylesheet(page_html)
    opened = _MAIN_OPEN.search(page_html)
    if opened is None:
        return page_html
    note = (
        '\n<div class="sg-preview-banner sg-search-lag" role="note">'
        f"<p>{html.escape(SEARCH_NOTICE)}</p></div>\n"
    )
    return page_html[: opened.end()] + note + page_html[opened.end() :]


def add_stylesheet(page_html: str) -> str:
    """Link the preview stylesheet (external: the page's CSP forbids inline styles)."""
    link = f'<link rel="stylesheet" href="{ASSET_PREFIX}preview.css">\n'
    at = page_html.find("</head>")
    return page_html if at < 0 else page_html[:at] + link + page_html[at:]


def banner_html(check: PageCheck, *, draft: bool) -> str:
    """The banner above a draft or blocked page ('' for other pages)."""
    lines: list[str] = []
    blocked = check.verdict == "block"
    if draft:
        lines.append(
            "Draft: this page is checked but not published. You see it only in this preview."
        )
    if blocked:
        reason = verdict_reason("block", check.reason)
        why = f" ({reason})" if reason else ""
        lines.append(
            f"Blocked by the readability gate{why}: grade {check.grade:.1f}, limit "
            f"{check.limit:g}. A build does not publish this version (the last published one "
            "stays live) until the findings below are fixed or a reviewer signs the page off."
        )
    if not lines:
        return ""
    css = "sg-preview-banner sg-blocked" if blocked else "sg-preview-banner"
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f'\n<div class="{css}" role="note">{body}</div>\n'


def _pattern(text: str) -> re.Pattern[str] | None:
    words = text.split()
    if not words:
        return None
    core = r"\s+".join(re.escape(w) for w in words)
    start = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    end = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(start + core + end)


def highlight(
    fragment: str, findings: Sequence[tuple[int, Finding]], body_start: int = 0
) -> tuple[str, set[int]]:
    """Wrap an occurrence of each finding's text in ``fragment`` in a numbered ``<mark>``.

    Findings in the Markdown body are looked for from ``body_start`` on (where the page's
    rendered body begins), in source order; then findings in front-matter fields, anywhere.
    Each takes the first occurrence of its text not taken by an earlier finding with the
    same text, so a word flagged five times gets five marks, not one. Only text between tags
    is searched (not scripts, styles or labels), and any run of white space matches any
    other. Waived and whole-page findings are not marked. Returns the new HTML and the
    numbers of the findings that were marked.
    """
    head = _tokens(fragment[:body_start])
    tokens = head + _tokens(fragment[body_start:])
    first_body = len(head)
    marked: set[int] = set()
    ordered = [f for f in findings if not f[1].field] + [f for f in findings if f[1].field]
    for number, finding in ordered:
        pattern = _pattern(finding.text) if finding.line and not finding.waived_by else None
        if pattern is None:
            continue
        key = " ".join(finding.text.split())
        begin = 0 if finding.field else first_body
        raw = False
        for i in range(len(tokens)):
            kind, part, used = tokens[i]
            if kind == "tag":
                if _RAW_TEXT.match(part):
                    raw = True
                elif part.startswith("</") and _RAW_TEXT.match("<" + part[2:]):
                    raw = False
                continue
            if i < begin or kind != "text" or raw or not part or key in used:
                continue
            plain = html.unescape(part)
            m = pattern.search(plain)
            if m is None:
                continue
            new = _mark_tokens(plain, m, number, finding, used | {key})
            tokens[i : i + 1] = new
            if i < first_body:
                first_body += len(new) - 1
            marked.add(number)
            break
    return "".join(part for _, part, _ in tokens), marked


_Token = tuple[str, str, frozenset[str]]


def _tokens(fragment: str) -> list[_Token]:
    """``fragment`` as (kind, text, used) tokens: kind "tag" or "text"."""
    parts = _TOKEN.split(fragment)
    return [("tag" if i % 2 else "text", part, frozenset()) for i, part in enumerate(parts)]


def body_offset(fragment: str, body_html: str) -> int:
    """Where the rendered Markdown body starts in ``fragment`` (0 if it cannot be found)."""
    first = body_html.lstrip().split("\n", 1)[0][:120]
    at = fragment.find(first) if first else -1
    return max(at, 0)


def _mark_tokens(
    plain: str, m: re.Match[str], number: int, finding: Finding, used: frozenset[str]
) -> list[_Token]:
    title = f"{finding.message} [{finding.code}]"
    if finding.suggestion:
        title += f" Try: {finding.suggestion}"
    sev = html.escape(finding.severity)
    none: frozenset[str] = frozenset()
    return [
        ("text", html.escape(plain[: m.start()], quote=False), none),
        (
            "tag",
            f'<mark class="sg-finding sg-{sev}" id="sg-mark-{number}" '
            f'title="{html.escape(title)}">',
            none,
        ),
        ("text", html.escape(m.group(0), quote=False), used),
        ("tag", "</mark>", none),
        ("tag", f'<a class="sg-finding-label" href="#sg-finding-{number}">', none),
        ("label", html.escape(f"{number} {finding.code}", quote=False), none),
        ("tag", "</a>", none),
        ("text", html.escape(plain[m.end() :], quote=False), none),
    ]


def panel_html(
    check: PageCheck,
    findings: Sequence[tuple[int, Finding]],
    marked: Collection[int],
    url: str = "/",
    counts: tuple[int, int] | None = None,
) -> str:
    """The readability panel at the bottom of a preview page: grade, verdict, the page's
    errors and warnings (``counts``, as build and check count them), findings."""
    esc = html.escape
    verdict = check.verdict
    plain = verdict_reason(verdict, check.reason)
    reason = f" ({plain})" if plain else ""
    parts = [
        '\n<aside class="sg-readability" aria-labelledby="sg-readability-title">',
        '<h2 id="sg-readability-title">Readability check (preview only)</h2>',
        f'<p class="sg-verdict sg-verdict-{esc(verdict)}">Grade {check.grade:.1f} against '
        f"target {check.target:g} (limit {check.limit:g}): "
        f"{esc(VERDICT_WORDS.get(verdict, verdict))}{esc(reason)}.</p>",
    ]
    if check.signoff_state != "none":
        state = {"approved": "signed off", "changed": "signed off, but the text changed since"}
        by = f" by {check.signoff.by}" if check.signoff else ""
        parts.append(
            f"<p>Review: {esc(state.get(check.signoff_state, check.signoff_state))}{esc(by)}.</p>"
        )
    if counts is not None:
        parts.append(
            f'<p class="sg-counts">{counts_text(*counts)} (as build and check count them).</p>'
        )
    if not findings:
        parts.append("<p>No findings.</p>")
    else:
        parts.append(
            f"<p>{len(findings)} finding(s); {len(marked)} marked in the page above.</p>"
            '<ol class="sg-findings">'
        )
        for number, f in findings:
            where = f"{check.path}:{f.line}:{f.column}" if f.line else check.path
            if f.field:
                where += f" ({f.field})"
            item = [
                f'<li id="sg-finding-{number}" class="sg-{esc(f.severity)}">',
                f'<span class="sg-where">{esc(where)}</span> ',
                f"<strong>{esc(f.severity)}</strong>: {esc(f.message)} "
                f'<span class="sg-code">[{esc(f.code)}]</span>',
            ]
            if f.text:
                item.append(f"<br>“{esc(f.text)}”")
            if number in marked:
                item.append(f' <a href="#sg-mark-{number}">show in page</a>')
            if f.suggestion:
                item.append(f'<span class="sg-suggestion">Try: {esc(f.suggestion)}</span>')
            if f.fix is not None and not f.waived_by:
                item.append(apply_form(check.path, f.fix, url))
            if f.definition:
                item.append(f'<span class="sg-definition">Meaning: {esc(f.definition)}</span>')
            if f.waived_by:
                item.append(f'<br><span class="sg-waived">Waived by {esc(f.waived_by)}.</span>')
            item.append("</li>")
            parts.append("".join(item))
        parts.append("</ol>")
    parts.append("</aside>\n")
    return "\n".join(parts)


def apply_form(path: str, fix: Fix, back: str = "/") -> str:
    """The "Apply" button of a safe suggestion: a form posted to the preview server, which
    writes the edit into the page's own file (``serve.PreviewHandler.do_POST``)."""
    esc = html.escape
    values = {"page": path, "line": fix.line, "column": fix.column, "end_line": fix.end_line,
              "end_column": fix.end_column, "old": fix.old, "new": fix.new,
              "back": back}  # fmt: skip
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{esc(str(v))}">' for k, v in values.items()
    )
    return (
        f'<form class="sg-apply" method="post" action="{ASSET_PREFIX}apply">{hidden}'
        f'<button type="submit">Apply: write “{esc(fix.new)}”</button></form>'
    )


def error_page(diagnostics: Sequence[Diagnostic], *, root_name: str, crash: str = "") -> str:
    """The page the browser shows while the build fails: every failure at file:line (or,
    when sitegen itself failed, its traceback)."""
    errors, warnings = count(diagnostics)
    failures = [d for d in diagnostics if is_failure(d)]
    lines = "\n".join(html.escape(d.format()) for d in failures)
    if crash:
        lines = html.escape(crash)
        intro = (
            "sitegen itself failed: this is a bug in sitegen, not in your files. The details "
            "are below and in the terminal. Saving any file tries again."
        )
    else:
        intro = (
            f"{len(failures)} problem(s) in {html.escape(root_name)} stop the build ({errors} "
            f"errors, {warnings} warnings in all). Fix the file and save it: this page reloads "
            "by itself."
        )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">\n'
        "<title>Build failed | sitegen preview</title>\n"
        f'<link rel="stylesheet" href="{ASSET_PREFIX}preview.css">\n</head>\n<body>\n'
        '<main class="sg-error-page">\n<h1>The preview could not be built</h1>\n'
        f"<p>{intro}</p>\n"
        f'<pre class="sg-build-errors">{lines}</pre>\n</main>\n</body>\n</html>\n'
    )
