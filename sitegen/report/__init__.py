"""Reviewer reports in ``reports/`` (never inside the public site), written after every build
and check:

* ``index.html``: the dashboard (``dashboard.py``), with charts (``charts.py``);
* ``pages/<name>.html``: each page's source with its findings in place (``page.py``,
  ``highlight.py``);
* ``readability.json`` (the ``check --format json`` document), ``readability.sarif`` and
  ``summary.md`` (``summary.py``);
* ``history.jsonl``: one line per build, for the change and trend (``history.py``);
* ``assets/report.css`` and ``assets/report.js``.

Everything but the new line of ``history.jsonl`` depends only on the build result and the
previous history, so the same input gives the same files.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sitegen.build.manifest import code_fingerprint
from sitegen.build.outputs import (
    MemorySink,
    Shipped,
    Sink,
    StagedSink,
    render_key,
)
from sitegen.build.pool import run_jobs
from sitegen.content.config import SiteConfig
from sitegen.core.diagnostics import (
    Diagnostic,
    Severity,
    count,
    counts_by_path,
    sorted_diagnostics,
)
from sitegen.core.diagnostics import to_json as diagnostic_json
from sitegen.core.diagnostics import to_json_text as diagnostic_json_text
from sitegen.publish.folder import PublishFolder
from sitegen.publish.records import REPORT_RECORDS
from sitegen.readability.formats import (
    SARIF_SCHEMA,
    TOOL_NAME,
    DiagnosticFields,
    page_diagnostic_fields,
    page_json,
    page_json_text,
    report_texts,
    sarif_artifact_text,
    sarif_diagnostic_result,
    sarif_results,
    sarif_rules,
    sarif_texts,
    to_sarif,
)
from sitegen.report import history
from sitegen.report.dashboard import render_dashboard
from sitegen.report.env import assets
from sitegen.report.feedback import FILE_NAME as FEEDBACK_FILE
from sitegen.report.feedback import ReaderFeedback, reader_feedback, render_feedback_report
from sitegen.report.overview import PageSummary, summarise
from sitegen.report.page import render_page_report
from sitegen.report.review import ReviewHistory, review_histories
from sitegen.report.splice import (
    JSON_FILE,
    SARIF_FILE,
    LastParts,
    Part,
    Position,
    counted,
    indexed_list,
    page_keys,
)
from sitegen.report.summary import summary_markdown as _summary_markdown

if TYPE_CHECKING:
    from sitegen.build.pipeline import BuildResult
    from sitegen.readability import PageCheck
    from sitegen.render.feedback import PageFeedback

__all__ = [
    "readability_document",
    "readability_json_bytes",
    "readability_json_chunks",
    "render_reports",
    "sarif_bytes",
    "sarif_chunks",
    "sarif_document",
    "summary_markdown",
    "write_reports",
]


def readability_document(result: BuildResult) -> dict[str, Any]:
    """The ``check --format json`` document: totals, every page (with its counts) and every
    diagnostic (content, settings, links, the gate), as printed."""
    counts = counts_by_path(result.diagnostics)
    return {
        "version": 1,
        "counts": _totals(result.checks, result.diagnostics),
        "pages": [_page_json(c, counts) for c in result.checks],
        "diagnostics": [diagnostic_json(d) for d in sorted_diagnostics(result.diagnostics)],
    }


def _totals(checks: Sequence[PageCheck], diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    errors, warnings = count(diagnostics)
    blocked = sum(1 for c in checks if c.verdict == "block" and not c.draft)
    return {"errors": errors, "warnings": warnings, "pages": len(checks), "blocked": blocked}


def _page_json(check: PageCheck, counts: dict[str, tuple[int, int]]) -> dict[str, Any]:
    errors, warnings = counts.get(check.path, (0, 0))
    return {**page_json(check), "counts": {"errors": errors, "warnings": warnings}}


def _counts_suffix(path: str, counts: dict[str, tuple[int, int]]) -> bytes:
    """What follows a page's own part in ``readability.json``: its counts, and the brace
    that closes it (``_page_json``)."""
    errors, warnings = counts.get(path, (0, 0))
    return f', "counts": {{"errors": {errors}, "warnings": {warnings}}}}}'.encode()


class _Spool:
    """Each page's parts of the two documents with a row per page (``report.splice``): its
    ``readability.json`` part first, from the last build's file when the page is unchanged
    (its SARIF results are then read from the last SARIF file when that is written), else
    from the page's texts in the page cache (``report_texts``), whose SARIF results are kept
    in an unnamed temporary file while ``readability.json`` is written, then read back in
    order (each page's texts are read once, not once per document: 10,000 files, each behind
    a MAC). Where each page's parts land in the new documents is listed in ``json_index`` and
    ``sarif_index`` (their records' ``extra``)."""

    def __init__(
        self,
        file: IO[bytes],
        keys: Mapping[str, str] | None = None,
        last: tuple[LastParts, LastParts] | None = None,
    ) -> None:
        self._file = file
        #: each page's results: their size in the file, or None: in the last SARIF file
        self._kept: list[int | None] = []
        self._keys = keys or {}
        self._last = last
        self.json_index: list[Part] = []
        self.sarif_index: list[Part] = []

    def page(self, check: PageCheck) -> tuple[str | None, bytes]:
        """The page's content cache key and its ``readability.json`` part (its
        ``page_json_text`` without the closing brace); keeps its SARIF results."""
        key = self._keys.get(check.path)
        if self._last is not None and self._last[1].has(check.path, key):
            part = self._last[0].get(check.path, key)
            if part is not None:
                self._kept.append(None)
                return key, part
        text, found = report_texts(check)
        data = found.encode("utf-8")
        self._file.write(data)
        self._kept.append(len(data))
        return key, text[:-1].encode("utf-8")

    def results(self, checks: Sequence[PageCheck]) -> Iterator[tuple[str, str | None, bytes]]:
        """Each check's path, key and SARIF results: kept ones first, the rest (if writing
        the first document stopped early) made again."""
        self._file.seek(0)
        keys, last = self._keys, self._last
        for check, size in zip(checks, self._kept, strict=False):
            path, key = check.path, keys.get(check.path)
            data = self._file.read(size) if size is not None else None
            if data is None and last is not None:
                data = last[1].get(path, key)
            yield path, key, data if data is not None else sarif_texts(check)[0].encode("utf-8")
        for check in checks[len(self._kept) :]:
            yield check.path, keys.get(check.path), sarif_texts(check)[0].encode("utf-8")


def _page_part(check: PageCheck, spool: _Spool | None) -> tuple[str | None, bytes]:
    """A page's key (None: not indexed) and its ``readability.json`` part (``_Spool.page``)."""
    if spool is not None:
        return spool.page(check)
    return None, page_json_text(check)[:-1].encode("utf-8")


def readability_json_chunks(
    checks: Sequence[PageCheck],
    diagnostics: Sequence[Diagnostic] = (),
    *,
    ordered: Sequence[Diagnostic] | None = None,
    spool: _Spool | None = None,
) -> Iterator[bytes]:
    """``_json_bytes(readability_document(...))`` piece by piece, one page or diagnostic at a
    time: written this way, the document (58 MB at 10,000 pages) is never in memory.
    ``ordered``: ``sorted_diagnostics(diagnostics)``, when already made. ``spool``: gives
    each page's part (``_Spool.page``), keeps its SARIF results for ``sarif_chunks`` and
    notes where its part lands."""
    counts = counts_by_path(diagnostics)
    if ordered is None:
        ordered = sorted_diagnostics(diagnostics)
    position = Position()
    index = spool.json_index if spool is not None else []

    def chunks() -> Iterator[bytes]:
        yield ('{\n"version": 1,\n"counts": ' + json.dumps(_totals(checks, diagnostics))).encode()
        pages = ((c.path, *_page_part(c, spool), _counts_suffix(c.path, counts)) for c in checks)
        yield from indexed_list(
            b',\n"pages": [\n  ', b",\n  ", b"\n]", b',\n"pages": []', pages, position, index
        )
        yield from _json_list(
            ',\n"diagnostics": [\n  ', ",\n  ", "\n]", ',\n"diagnostics": []',
            map(diagnostic_json_text, ordered),
        )  # fmt: skip
        yield b"\n}\n"

    return counted(chunks(), position)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_list(start: str, sep: str, end: str, empty: str, items: Iterable[str]) -> Iterator[bytes]:
    """A JSON list item by item (each already JSON text; "" items are left out): ``start``,
    the items joined by ``sep``, ``end`` (``empty`` if there is none)."""
    first = True
    for text in items:
        if not text:
            continue
        yield ((start if first else sep) + text).encode("utf-8")
        first = False
    yield (empty if first else end).encode("utf-8")


def readability_json_bytes(
    checks: Sequence[PageCheck], diagnostics: Sequence[Diagnostic] = ()
) -> bytes:
    """``_json_bytes(readability_document(...))`` as one bytes object (``check --format
    json``); the report file is written from ``readability_json_chunks``."""
    return b"".join(readability_json_chunks(checks, diagnostics))


def sarif_chunks(
    checks: Sequence[PageCheck],
    diagnostics: Sequence[Diagnostic] = (),
    *,
    ordered: Sequence[Diagnostic] | None = None,
    spool: _Spool | None = None,
) -> Iterator[bytes]:
    """``_json_bytes(sarif_document(checks, diagnostics))`` piece by piece, one result at a
    time (the document is never in memory). ``ordered``: ``sorted_diagnostics(diagnostics)``,
    when already made; ``spool``: the pages' results, kept by ``readability_json_chunks``
    (where each page's land is noted in its ``sarif_index``)."""
    position = Position()
    index = spool.sarif_index if spool is not None else []

    def chunks() -> Iterator[bytes]:
        tool = {"driver": {"name": TOOL_NAME, "rules": sarif_rules()}}
        yield (
            f'{{\n"$schema": {json.dumps(SARIF_SCHEMA)},\n"version": "2.1.0",\n"runs": [\n  '
            f'{{"tool": {json.dumps(tool, ensure_ascii=False)}, '
        ).encode()
        # made from each check: only the results are read from the pages' texts files
        artifacts = (sarif_artifact_text(c) for c in checks)
        yield from _json_list('"artifacts": [', ", ", "], ", '"artifacts": [], ', artifacts)
        pages: Iterable[tuple[str, str | None, bytes]] = (
            ((c.path, None, sarif_texts(c)[0].encode("utf-8")) for c in checks)
            if spool is None
            else spool.results(checks)
        )
        others = (
            ("", None, _dumps(sarif_diagnostic_result(d)).encode("utf-8"))
            for d in _other_diagnostics(checks, diagnostics, ordered)
        )
        results = ((path, key, part, b"") for path, key, part in itertools.chain(pages, others))
        yield from indexed_list(
            b'"results": [', b", ", b"]", b'"results": []', results, position, index
        )
        props = json.dumps(_sarif_properties(checks, diagnostics), ensure_ascii=False)
        yield f', "columnKind": "unicodeCodePoints", "properties": {props}}}\n]\n}}\n'.encode()

    return counted(chunks(), position)


def sarif_bytes(checks: Sequence[PageCheck], diagnostics: Sequence[Diagnostic] = ()) -> bytes:
    """``_json_bytes(sarif_document(checks, diagnostics))`` as one bytes object (``check
    --format sarif``); the report file is written from ``sarif_chunks``."""
    return b"".join(sarif_chunks(checks, diagnostics))


def _other_diagnostics(
    checks: Sequence[PageCheck],
    diagnostics: Sequence[Diagnostic],
    ordered: Sequence[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """Diagnostics that are not a page's readability findings: content, settings, links,
    the gate's site-level lines (``ordered``: ``sorted_diagnostics(diagnostics)``, when
    already made). A page's findings are compared as field tuples, which are equal exactly
    when the diagnostics are (no ``Diagnostic`` is made for them)."""
    gate: set[DiagnosticFields] = set()
    error, warning = Severity.ERROR, Severity.WARNING
    for c in checks:
        for t in page_diagnostic_fields(c):
            gate.add(t)
            if t[3] is error:  # a draft's, shown as a warning
                gate.add((t[0], t[1], t[2], warning, t[4], t[5] + " (draft)", t[6]))
    if ordered is None:
        ordered = sorted_diagnostics(diagnostics)
    return [
        d
        for d in ordered
        if (d.path, d.line, d.col, d.severity, d.code, d.message, d.hint) not in gate
    ]


def sarif_all_results(
    checks: Sequence[PageCheck], diagnostics: Sequence[Diagnostic]
) -> Iterator[dict[str, Any]]:
    """One SARIF result per readability finding, then one per other diagnostic."""
    yield from sarif_results(checks)
    for d in _other_diagnostics(checks, diagnostics):
        yield sarif_diagnostic_result(d)


def sarif_document(
    checks: Sequence[PageCheck], diagnostics: Sequence[Diagnostic] = ()
) -> dict[str, Any]:
    """SARIF 2.1.0 with every diagnostic; the run's ``properties`` carry the counts of each
    file (``counts_by_path``, as build and check print them) and the totals."""
    doc = to_sarif(checks)
    run = doc["runs"][0]
    run["results"] = list(sarif_all_results(checks, diagnostics))
    run["properties"] = _sarif_properties(checks, diagnostics)
    return doc


def _sarif_properties(
    checks: Sequence[PageCheck], diagnostics: Sequence[Diagnostic]
) -> dict[str, Any]:
    """The run's properties: the totals and the counts of each file."""
    counts = counts_by_path(diagnostics)
    return {
        "counts": _totals(checks, diagnostics),
        "files": {path: {"errors": e, "warnings": w} for path, (e, w) in sorted(counts.items())},
    }


def _json_bytes(doc: Any) -> bytes:
    """JSON with one list item per line: diffable, and written by the fast C encoder
    (``indent`` would switch ``json`` to its pure-Python encoder: 10x slower on big sites)."""
    if not isinstance(doc, dict):
        return (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")
    parts = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n  ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f"{json.dumps(key)}: [\n  {items}\n]")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


def summary_markdown(result: BuildResult, config: SiteConfig | None = None) -> str:
    """A summary short enough for a pull-request comment (no history: no change column)."""
    config = config or SiteConfig()
    summaries = summarise(result.results, config.language, None, result.diagnostics)
    r = config.readability
    return _summary_markdown(summaries, r.target, r.limit, None, config.reports_dir)


def render_reports(
    config: SiteConfig,
    result: BuildResult,
    previous: list[history.Entry],
    started: datetime,
    sink: Sink | None = None,
    *,
    readers: ReaderFeedback | None = None,
    reviews: Mapping[str, ReviewHistory] | None = None,
    jobs: int | None = None,
) -> dict[str, bytes]:
    """Render every report file into ``sink`` (default: a new ``MemorySink``); return the
    sink's files (path relative to the reports folder -> bytes; empty for a ``StagedSink``).

    ``previous`` is the history so far (oldest first); ``started`` is only written into the
    new history line. A page report whose render key (sitegen's code, the site title, the
    page's content cache key, its report name and change since the last build) matches the
    last build's is kept by the sink instead of rendered, and so is a table page of the
    dashboard whose rows did not change (``dashtable.table_page_key``). ``jobs``: worker
    processes for the page reports (default: one per core; 1 renders them in this process).
    """
    sink = MemorySink() if sink is None else sink
    entry = history.entry_for(result, started)
    entries = [*previous, entry][-history.MAX_ENTRIES :]
    last = previous[-1] if previous else None
    summaries = summarise(
        result.results, config.language, last.grades if last else None, result.diagnostics
    )
    if reviews:
        summaries = [replace(s, review=reviews.get(s.path)) for s in summaries]
    r = config.readability
    files: dict[str, bytes] = {
        "summary.md": _summary_markdown(
            summaries, r.target, r.limit, last, config.reports_dir
        ).encode("utf-8"),
        history.FILE_NAME: history.dump(entries),
    }
    files.update(assets())
    files.update(render_dashboard(config, result, summaries, entries, readers=readers, sink=sink))
    if readers is not None:
        files[FEEDBACK_FILE] = render_feedback_report(config.title, summaries, readers)
    for name, data in files.items():
        sink.put(name, data)
    # the two documents with a row per page, streamed into their files
    checks, diagnostics = result.checks, result.diagnostics
    ordered = sorted_diagnostics(diagnostics)
    # an unnamed file in the new reports folder (not /tmp, which may be kept in memory)
    folder = sink.staging.path if isinstance(sink, StagedSink) else None
    last_json, last_sarif = LastParts.open(sink, JSON_FILE), LastParts.open(sink, SARIF_FILE)
    spliced = (last_json, last_sarif) if last_json is not None and last_sarif is not None else None
    try:
        with tempfile.TemporaryFile(dir=folder) as fh:
            spool = _Spool(fh, page_keys(result.results), spliced)
            json_doc = readability_json_chunks(checks, diagnostics, ordered=ordered, spool=spool)
            sink.put(JSON_FILE, json_doc, extra=spool.json_index)
            sarif_doc = sarif_chunks(checks, diagnostics, ordered=ordered, spool=spool)
            sink.put(SARIF_FILE, sarif_doc, extra=spool.sarif_index)
    finally:
        for opened in (last_json, last_sarif):
            if opened is not None:
                opened.close()

    _page_reports(config, summaries, sink, readers, jobs)
    return dict(sorted(sink.files.items())) if isinstance(sink, MemorySink) else {}


def _page_reports(
    config: SiteConfig,
    summaries: Sequence[PageSummary],
    sink: Sink,
    readers: ReaderFeedback | None,
    jobs: int | None,
) -> None:
    """Each page's report into ``sink``: kept from the last build when its render key
    matches, else rendered (in forked workers on a big site)."""
    salt = render_key(code_fingerprint(), config.title)
    todo: list[tuple[PageSummary, str]] = []

    def said(s: PageSummary) -> PageFeedback | None:
        return readers.for_page(s.result.page.url) if readers is not None else None

    for s in summaries:
        source = s.result.key
        # what the report shows beyond the page's content, as one repr (one hashed part)
        shown = (s.report, s.delta, said(s), s.errors, s.warnings, s.review)
        key = render_key(salt, source, shown) if source else ""
        if not key or sink.reuse(s.report, key) is None:
            todo.append((s, key))

    def job(i: int) -> Shipped:
        s, key = todo[i]
        return sink.ship(s.report, render_page_report(s, config.title, readers=said(s)), key)

    # Per-page reports are independent: render them in forked workers on big sites.
    for shipped in run_jobs(job, len(todo), jobs):
        sink.receive(shipped)


def write_reports(
    root: Path,
    config: SiteConfig,
    result: BuildResult,
    *,
    now: datetime | None = None,
    reuse: bool = True,
    again: bool = False,
    jobs: int | None = None,
) -> tuple[Path, list[Diagnostic]]:
    """Write every report into the reports folder (atomically); return the dashboard path and
    why the reports could not be written, if so (warnings: the folder is left as it was, the
    site itself is not affected).

    The previous ``history.jsonl`` is read first and carried over, since the folder is
    replaced as a whole. Page reports that did not change are kept from the last build
    (``reuse=False``: render them all). ``again``: the reports of this same build are being
    written a second time (its outcome changed), so its history line replaces the last one.
    ``jobs``: as for the build (``render_reports``).
    """
    out = root / config.reports_dir
    previous = history.read(out / history.FILE_NAME)
    if again:
        previous = previous[:-1]
    now = now or datetime.now(UTC)
    started = (now - timedelta(seconds=result.elapsed)).replace(microsecond=0)
    folder = PublishFolder(root, config.reports_dir, REPORT_RECORDS, "the reports")
    problems = folder.open()
    if problems:
        return out / "index.html", _as_warnings(problems)
    sink = StagedSink(folder.staging, folder.last if reuse else {})
    readers, _ = reader_feedback(root, config, result)
    reviews = review_histories(root, config, result)
    render_reports(
        config, result, previous, started, sink, readers=readers, reviews=reviews, jobs=jobs
    )
    if sink.problems:
        folder.abort()
        return out / "index.html", _as_warnings(sink.problems)
    return out / "index.html", _as_warnings(folder.commit(sink.records))


def _as_warnings(problems: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Report-writing problems, each once, as warnings (a full disk fails every file alike)."""
    return [replace(d, severity=Severity.WARNING) for d in dict.fromkeys(problems)]
