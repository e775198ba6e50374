"""The files in ``reports/``: what each contains, history, determinism, no external assets."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from report_support import read_marks

from sitegen.build.pipeline import BuildResult, build_site
from sitegen.cli import main
from sitegen.commands.approve import approve
from sitegen.content.config import load_config
from sitegen.publish.writer import Staging
from sitegen.readability.formats import page_diagnostics
from sitegen.report import (
    history,
    readability_document,
    readability_json_chunks,
    render_reports,
    sarif_chunks,
    write_reports,
)
from sitegen.report.overview import report_names

SITE_YML = """\
title: Report Test Studies
language: en
readability:
  target: 8
  limit: 10
"""

CLEAN = """\
---
title: "A walking plan for knee pain"
summary: "We want to find out if a daily walk can help people with sore knees."
status: recruiting
conditions: ["Knee pain"]
---

## What is this study about?

Many people have sore knees. A short walk each day may help. We want to find out if it does.

## How do I join?

Call the study team. They will answer your questions. You can stop at any time.
"""

JARGON = """\
---
title: "Titration study of XR-204 in refractory hypertension"
summary: "Subjects will be randomized in a double-blind fashion to receive placebo."
status: not_yet_recruiting
conditions: ["Hypertension"]
draft: true
---

## Study overview

Subjects will be randomized in a double-blind fashion to receive the investigational
product or placebo prior to commencement of the titration period, and the investigator
will ascertain eligibility utilizing the inclusion/exclusion criteria at screening visits.

Pharmacokinetic sampling will be performed at pre-specified timepoints; concomitant
medications must be discontinued prior to baseline. Café ☕ participants, e.g. naïve ones.
"""

SPANISH = """\
---
title: "Caminar para el dolor de rodilla"
summary: "Queremos saber si caminar cada día ayuda a las personas con dolor de rodilla."
status: recruiting
conditions: ["Dolor de rodilla"]
lang: es
---

## ¿De qué trata este estudio?

Muchas personas tienen dolor de rodilla. Caminar un poco cada día puede ayudar.
"""

ABOUT = """\
---
title: "About us"
---

We run health studies at a small hospital. We write in plain words. Call us with any question.
"""


def make_site(root: Path) -> Path:
    files = {
        "site.yml": SITE_YML,
        "content/studies/knee-walk.md": CLEAN,
        "content/studies/titration.md": JARGON,
        "content/studies/rodilla.md": SPANISH,
        "content/pages/about.md": ABOUT,
        "content/pages/knee-walk.md": ABOUT.replace("About us", "Knee walk page"),
        "content/pages/broken.md": "---\ntitle: [unclosed\n---\nText.\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def check(root: Path) -> BuildResult:
    config, diags = load_config(root)
    assert config is not None, diags
    return build_site(root, config, write=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """A small site with an approved page, a page changed since approval, a jargon draft."""
    root = make_site(tmp_path_factory.mktemp("report-site"))
    config, _ = load_config(root)
    assert config is not None
    for rel in ("content/studies/knee-walk.md", "content/pages/about.md"):
        message, diags = approve(root, config, rel, by="R. Reviewer", date="2026-01-10",
                                 waivers=[("RD003", "", "Agreed wording")])  # fmt: skip
        assert message, diags
        message, diags = approve(root, config, rel, by="R. Reviewer", date="2026-01-10")
        assert message, diags
    about = root / "content/pages/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nWe are open on weekdays.\n", "utf-8")
    result = check(root)
    write_reports(root, config, result, now=datetime(2026, 1, 12, 9, 30, tzinfo=UTC))
    return root, result


def report(root: Path, name: str) -> str:
    return (root / "reports" / name).read_text(encoding="utf-8")


def test_every_report_file_is_written_next_to_output(site: tuple[Path, BuildResult]) -> None:
    root, _ = site
    files = sorted(
        p.relative_to(root / "reports").as_posix()
        for p in (root / "reports").rglob("*")
        if p.is_file()
    )
    assert files == [
        "assets/report.css",
        "assets/report.js",
        "history.jsonl",
        "index.html",
        "pages/about.html",
        "pages/es-rodilla.html",
        "pages/knee-walk-study.html",
        "pages/knee-walk.html",
        "pages/titration.html",
        "readability.json",
        "readability.sarif",
        "summary.md",
    ]
    assert not (root / "output" / "reports").exists()


def test_report_names_are_unique() -> None:
    class P:
        def __init__(self, path: str, slug: str, lang: str, kind: str) -> None:
            self.path, self.slug, self.lang, self.kind = path, slug, lang, kind

    class R:
        def __init__(self, *args: str) -> None:
            self.page = P(*args)

    results = [
        R("content/pages/a.md", "a", "en", "page"),
        R("content/studies/a.md", "a", "en", "study"),
        R("content/studies/a-study.md", "a-study", "en", "study"),
        R("content/studies/b.md", "b", "es", "study"),
        R("content/studies/es-b.md", "es-b", "en", "study"),
    ]
    names = report_names(results, "en")  # type: ignore[arg-type]
    assert len(set(names.values())) == len(results)
    assert names["content/pages/a.md"] == "a"
    assert names["content/studies/b.md"] == "es-b"


def test_streamed_json_and_sarif_are_the_documents_byte_for_byte(
    site: tuple[Path, BuildResult],
) -> None:
    from sitegen.build.pipeline import BuildResult
    from sitegen.report import _json_bytes, readability_json_bytes, sarif_bytes, sarif_document

    _, result = site
    assert result.checks
    checks, diags = result.checks, result.diagnostics
    assert readability_json_bytes(checks, diags) == _json_bytes(readability_document(result))
    assert sarif_bytes(checks, diags) == _json_bytes(sarif_document(checks, diags))
    assert readability_json_bytes([]) == _json_bytes(readability_document(BuildResult()))
    assert sarif_bytes([]) == _json_bytes(sarif_document([]))


def test_json_is_the_check_format_json_document(site: tuple[Path, BuildResult]) -> None:
    root, result = site
    doc = json.loads(report(root, "readability.json"))
    assert doc == json.loads(json.dumps(readability_document(result)))
    assert {p["source"] for p in doc["pages"]} == {c.path for c in result.checks}
    sarif = json.loads(report(root, "readability.sarif"))
    assert sarif["version"] == "2.1.0"
    n = sum(len(p["findings"]) for p in doc["pages"])
    gate = {(d.path, d.line, d.code, d.message) for c in result.checks for d in page_diagnostics(c)}
    others = [d for d in doc["diagnostics"]
              if (d["path"], d["line"], d["code"], d["message"].removesuffix(" (draft)"))
              not in gate]  # fmt: skip
    assert others  # the broken page's front-matter error, at least
    assert len(sarif["runs"][0]["results"]) == n + len(others)


def test_every_finding_is_marked_in_its_page_report(site: tuple[Path, BuildResult]) -> None:
    root, result = site
    doc = json.loads(report(root, "readability.json"))
    index = report(root, "index.html")
    checked = 0
    in_table = {r.page.path for r in result.results}  # not broken.md: its metadata has errors
    for page in doc["pages"]:
        if page["source"] not in in_table:
            assert page["source"] == "content/pages/broken.md"
            continue
        href = re.search(
            r'<a href="(pages/[^"]+)">[^<]*</a>\s*<span class="path">' + re.escape(page["source"]),
            index,
        )
        assert href, page["source"]
        marks = read_marks(report(root, href.group(1))).marks
        located = [m for m in marks if "data-code" in m.attrs]
        assert len(located) == len(page["findings"])
        for f in page["findings"]:
            hits = [
                m
                for m in located
                if m.attrs["data-line"] == str(f["line"])
                and m.attrs["data-column"] == str(f["column"])
                and m.attrs["data-code"] == f["code"]
            ]
            assert hits, (page["source"], f)
            assert any(m.text == f["text"] for m in hits), (f, [m.text for m in hits])
            checked += 1
    assert checked > 20  # the jargon draft alone has many


def test_page_report_shows_front_matter_source_and_panels(site: tuple[Path, BuildResult]) -> None:
    root, _ = site
    html = report(root, "pages/titration.html")
    assert '<span class="ln" id="L1" data-n="1"></span>---' in html
    assert 'id="L3" data-n="3"></span>summary: &#34;' in html or 'summary: "' in html
    for heading in ("Text with findings", "Scores", "Sections", "Jargon", "Waivers",
                    "Findings, top to bottom"):  # fmt: skip
        assert f">{heading}</h" in html, heading
    assert '<textarea id="todo-text" readonly' in html
    # the findings are listed once (the plain-text copy is folded away)
    assert html.count('<ol class="findings">') == 1 and '<ol class="todo">' not in html
    assert re.search(r'<details class="todo-copy">\s*<summary>', html)
    assert re.search(r"line \d+: replace “randomized” with “[^”]+”", html)
    assert 'lang="en"' in html
    assert 'lang="es"' in report(root, "pages/es-rodilla.html")


def test_signoff_states_and_waivers(site: tuple[Path, BuildResult]) -> None:
    root, _ = site
    index = report(root, "index.html")
    rows = {}
    for row in re.findall(r"<tr data-verdict.*?</tr>", index, re.S):
        path = re.search(r'class="path">([^<]+)<', row)
        assert path
        rows[path.group(1)] = row
    assert "Approved" in rows["content/studies/knee-walk.md"]
    assert "by R. Reviewer on 2026-01-10" in rows["content/studies/knee-walk.md"]
    assert "Changed since approval" in rows["content/pages/about.md"]
    assert "Waiting" in rows["content/studies/titration.md"]
    page = report(root, "pages/knee-walk-study.html")  # pages/knee-walk.md came first
    assert "waived by R. Reviewer on 2026-01-10" in page and "Agreed wording" in page
    assert "Not applied: the text changed" in report(root, "pages/about.html")


def test_dashboard_default_order_is_blocked_first_then_hardest(
    site: tuple[Path, BuildResult],
) -> None:
    root, result = site
    index = report(root, "index.html")
    verdicts = re.findall(r'<tr data-verdict="(\w+)" data-order="(\d+)"', index)
    assert [int(o) for _, o in verdicts] == list(range(len(result.results)))
    rank = {"block": 0, "warn": 1, "pass": 2}
    grades = [
        float(g)
        for g in re.findall(
            r'<td data-label="Grade" data-sort="([\d.]+)"><span class="grade">', index
        )
    ]
    keys = [(rank[v], -g) for (v, _), g in zip(verdicts, grades, strict=True)]
    assert keys == sorted(keys)
    assert verdicts[0][0] == "block"
    assert "titration" in index.split("<tbody>")[1].split("</tr>")[0]


def test_charts_have_text_equivalents(site: tuple[Path, BuildResult]) -> None:
    index = report(site[0], "index.html")
    for chart in ("grade-chart", "section-chart", "trend-chart"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in index
    assert index.count("<summary>") >= 3 and index.count('<table class="data">') == 3


def test_no_external_assets_and_no_inline_script(site: tuple[Path, BuildResult]) -> None:
    root, _ = site
    for path in (root / "reports").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for attr in re.findall(r'(?:src|href)="([^"]*)"', html):
            assert not re.match(r"^(?:[a-z]+:)?//", attr), (path, attr)
            assert not attr.startswith(("http:", "https:")), (path, attr)
        assert re.findall(r"<script[^>]*>", html) == [
            '<script src="../assets/report.js" defer>'
            if path.parent.name == "pages"
            else '<script src="assets/report.js" defer>'
        ]
        assert " style=" not in html
        assert "<svg" not in html or "xlink:href" not in html


def test_summary_is_short_markdown(site: tuple[Path, BuildResult]) -> None:
    text = report(site[0], "summary.md")
    assert text.startswith("## Readability\n")
    assert "| ⛔ blocked | `content/studies/titration.md` (draft) |" in text
    assert len(text) < 4000
    assert "reports/index.html" in text


def test_history_appends_and_feeds_the_change(
    tmp_path: Path, site: tuple[Path, BuildResult]
) -> None:
    root, result = site
    config, _ = load_config(root)
    assert config is not None
    copy = tmp_path / "reports"
    copy.mkdir()
    (copy / "history.jsonl").write_text(report(root, "history.jsonl"), encoding="utf-8")
    write_reports(tmp_path, config, result, now=datetime(2026, 1, 13, tzinfo=UTC))
    lines = (copy / "history.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    started = datetime.fromisoformat(first["time"])  # the build's start: now - elapsed
    assert 0 <= (datetime(2026, 1, 12, 9, 30, tzinfo=UTC) - started).total_seconds() < 120
    assert second["time"].startswith("2026-01-1")
    assert second["grades"] == {c.path: c.grade for c in result.checks}
    index = (copy / "index.html").read_text(encoding="utf-8")
    assert "±0.0" in index and 'class="delta new"' not in index
    assert f"{first['time'][:16].replace('T', ' ')} UTC" in index  # the earlier build
    assert second["time"][:16].replace("T", " ") not in index  # this build's clock: never


def test_history_keeps_the_last_200_and_skips_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    good = {"time": "t", "median_grade": 7.0, "blocked": 1, "grades": {"a.md": 7.0}}
    lines = [json.dumps({**good, "time": f"t{i}"}) for i in range(250)]
    lines[10] = "{not json"
    lines[11] = json.dumps({"time": "no median"})
    lines[12] = "[1, 2]"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries = history.read(path)
    assert len(entries) == 247
    dumped = history.dump(entries).decode().splitlines()
    assert len(dumped) == history.MAX_ENTRIES
    assert json.loads(dumped[-1])["time"] == "t249"
    # Only the last lines keep every page's grade (the change column needs the last one).
    graded = [bool(json.loads(line)["grades"]) for line in dumped]
    assert graded == [False] * (len(dumped) - history.GRADED_ENTRIES) + [True] * 2
    assert history.read(tmp_path / "missing.jsonl") == []


def test_same_input_same_files_except_history(
    tmp_path: Path, site: tuple[Path, BuildResult]
) -> None:
    root, result = site
    config, _ = load_config(root)
    assert config is not None
    a = render_reports(config, result, [], datetime(2026, 1, 1, tzinfo=UTC))
    b = render_reports(config, result, [], datetime(2027, 6, 30, 23, 59, tzinfo=UTC))
    assert a.keys() == b.keys()
    differ = sorted(k for k in a if a[k] != b[k])
    assert differ == ["history.jsonl"]


def test_files_that_could_not_be_checked_are_named(site: tuple[Path, BuildResult]) -> None:
    index = report(site[0], "index.html")
    assert "1 file could not be checked" in index
    assert "<code>content/pages/broken.md:" in index


def test_cli_check_json_is_the_report_json(
    tmp_path: Path, site: tuple[Path, BuildResult], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(tmp_path)
    assert main(["check", "--root", str(root), "--format", "json"]) == 1  # the draft is blocked
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(report(root, "readability.json"))
    assert len((root / "reports" / "history.jsonl").read_text("utf-8").splitlines()) == 1


def test_a_report_folder_that_cannot_be_written_is_reported_not_silent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk refuses the reports: the site is still published, a warning says why the
    reports were not written, and the next build runs again instead of saying "up to date"."""
    root = tmp_path / "site"
    (root / "content/studies").mkdir(parents=True)
    (root / "site.yml").write_text(SITE_YML, encoding="utf-8")
    (root / "content/studies/knee-walk.md").write_text(CLEAN, encoding="utf-8")
    write = Staging.write

    def refuse_reports(self: Staging, rel: str, data: bytes) -> tuple[int, int]:
        if self.display == "reports":
            raise PermissionError(13, "Permission denied")
        return write(self, rel, data)

    monkeypatch.setattr(Staging, "write", refuse_reports)
    assert main(["build", "--root", str(root), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "reports: warning: cannot write the reports: Permission denied [OUT003]" in err
    assert (root / "output/index.html").is_file()
    assert not (root / "reports").exists()
    assert main(["build", "--root", str(root), "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    assert "Up to date" not in out
    assert "[OUT003]" in err


def test_a_failed_report_write_leaves_the_old_reports_and_says_why(
    tmp_path: Path, site: tuple[Path, BuildResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, result = site
    config, _ = load_config(root)
    assert config is not None
    before = report(root, "index.html")

    def full(self: object, rel: str, data: bytes) -> tuple[int, int]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("sitegen.publish.writer.Staging.write", full)
    index, problems = write_reports(root, config, result, reuse=False)
    assert index == root / "reports" / "index.html"
    assert [d.format() for d in problems] == [
        "reports: warning: cannot write the reports: No space left on device [OUT003]"
    ]
    assert report(root, "index.html") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".reports.tmp-")]


def test_json_and_sarif_files_are_written_row_by_row(
    site: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    """The report files are streamed: the writer gets one page's part or one diagnostic at a
    time, never the whole document, and the file is the document byte for byte."""
    from sitegen.build.outputs import StagedSink
    from sitegen.publish.writer import Staging
    from sitegen.report import (
        _json_bytes,
        readability_document,
        readability_json_bytes,
        sarif_bytes,
        sarif_document,
    )

    _, result = site
    staging = Staging(tmp_path / "reports")
    assert staging.open() == []
    pieces: dict[str, list[int]] = {}
    real = staging.write

    def spy(rel: str, data: object) -> tuple[int, int]:
        assert not isinstance(data, bytes | bytearray), f"{rel} was written in one piece"
        sizes = pieces.setdefault(rel, [])

        def counted() -> Iterator[bytes]:
            for chunk in data:  # type: ignore[attr-defined]
                sizes.append(len(chunk))
                yield chunk

        return real(rel, counted())

    sink = StagedSink(staging, {})
    sink.staging.write = spy  # type: ignore[method-assign]
    checks, diags = result.checks, result.diagnostics
    sink.put("readability.json", readability_json_chunks(checks, diags))
    sink.put("readability.sarif", sarif_chunks(checks, diags))
    assert staging.path is not None
    json_file = (staging.path / "readability.json").read_bytes()
    sarif_file = (staging.path / "readability.sarif").read_bytes()
    assert json_file == readability_json_bytes(checks, diags)
    assert sarif_file == sarif_bytes(checks, diags)
    # ... and the documents made the plain way (no page parts made ahead in the workers)
    plain = replace(result, checks=[replace(c) for c in checks])
    assert all("_json_text" not in c.__dict__ for c in plain.checks)
    assert json_file == _json_bytes(readability_document(plain))
    assert sarif_file == _json_bytes(sarif_document(plain.checks, diags))
    # made once, kept on the check or in the page cache (``formats.texts_file``)
    assert all({"_json_text", "_texts_file"} & c.__dict__.keys() for c in checks)
    page_rows = [json.dumps(p, ensure_ascii=False) for p in json.loads(json_file)["pages"]]
    assert len(pieces["readability.json"]) >= len(checks) + 2
    assert max(pieces["readability.json"]) <= max(len(r.encode()) for r in page_rows) + 200
    run = json.loads(sarif_file)["runs"][0]
    # SARIF: one page's results (or one other diagnostic, or one artifact) at a time
    pages_with_results = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
        if r["ruleId"].startswith(("RD", "JG", "CC"))
    }
    assert len(pieces["readability.sarif"]) >= len(pages_with_results) + len(run["artifacts"]) + 2
    rules = len(json.dumps(run["tool"], ensure_ascii=False).encode())
    biggest_page = max(
        len(", ".join(json.dumps(r, ensure_ascii=False) for r in run["results"]
                      if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri))
        for uri in pages_with_results
    )  # fmt: skip
    assert max(pieces["readability.sarif"]) <= max(rules, biggest_page) + 200
    staging.abort()


def test_other_diagnostics_are_those_no_page_finding_gives(
    site: tuple[Path, BuildResult],
) -> None:
    """The SARIF's other results: what is left of the diagnostics once every page's findings
    (and a draft's, shown as warnings) are taken out, as ``Diagnostic``s compare."""
    from sitegen.core.diagnostics import Severity, sorted_diagnostics
    from sitegen.report import _other_diagnostics

    _, result = site
    checks, diags = result.checks, result.diagnostics
    gate = set()
    for c in checks:
        for d in page_diagnostics(c):
            gate.add(d)
            if d.severity is Severity.ERROR:
                gate.add(replace(d, severity=Severity.WARNING, message=d.message + " (draft)"))
    expected = [d for d in sorted_diagnostics(diags) if d not in gate]
    assert any(d.message.endswith(" (draft)") for d in diags)  # a draft's findings are there
    assert expected and len(expected) < len(diags)
    assert _other_diagnostics(checks, diags) == expected
    ordered = sorted_diagnostics(diags)
    assert _other_diagnostics(checks, diags, ordered) == expected


def test_a_diagnostics_json_line_is_json_dumps_of_it(site: tuple[Path, BuildResult]) -> None:
    from sitegen.core.diagnostics import Diagnostic, Severity, to_json, to_json_text

    _, result = site
    odd = [
        Diagnostic('content/a "b"\\c.md', 3, 7, Severity.ERROR, "FM004", "tab\there\nnew"),
        Diagnostic("content/é☕.md", 0, 0, Severity.NOTE, "JG001", "\x00\x1f\u2028\ud800", "h"),
        Diagnostic("site", 1, 2, Severity.WARNING, "RD003", "x", "run: sitegen check --root a"),
    ]
    for d in [*result.diagnostics, *odd]:
        assert to_json_text(d) == json.dumps(to_json(d), ensure_ascii=False), d


def test_worst_sections_are_the_first_of_all_sections_sorted(
    site: tuple[Path, BuildResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hardest sections, ties (here: every page twice) in the pages' order, as sorting
    every section and taking the first ``n`` gives them."""
    from sitegen.readability.model import GateSettings
    from sitegen.report import dashboard
    from sitegen.report.dashboard import SectionRow, worst_sections
    from sitegen.report.overview import summarise

    monkeypatch.setattr(dashboard, "GateSettings", lambda: GateSettings(min_section_words=1))
    _, result = site
    summaries = summarise(result.results, "en", None, result.diagnostics)
    twice = [*summaries, *summaries]
    rows = [
        SectionRow(s, sec.title, sec.line, sec.words, sec.grade)
        for s in twice
        for sec in s.check.sections
        if sec.words >= 1
    ]
    rows.sort(key=lambda r: (-r.grade, r.page.path, r.line))
    assert len(rows) >= 8
    for n in range(len(rows) + 2):
        assert worst_sections(twice, n) == rows[:n]


def test_a_pages_sarif_artifact_is_the_one_its_texts_keep(site: tuple[Path, BuildResult]) -> None:
    from sitegen.readability.formats import sarif_artifact_text, sarif_texts

    _, result = site
    assert any(sarif_artifact_text(c) for c in result.checks)
    for c in [*result.checks, *(replace(c) for c in result.checks)]:
        assert sarif_artifact_text(c) == sarif_texts(c)[1]


def test_each_pages_report_texts_are_read_once_for_both_documents(
    site: tuple[Path, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``readability.json`` and the SARIF file are written from one read of each page's
    texts file (its SARIF part kept in an unnamed file meanwhile), byte for byte the
    documents; if the first document stops early, the second is still whole."""
    from sitegen.build.outputs import StagedSink
    from sitegen.readability import formats
    from sitegen.report import readability_json_bytes, render_reports, sarif_bytes

    root, result = site
    config, _ = load_config(root)
    assert config is not None
    reads: list[str] = []
    real = formats.read_verified

    def counted(path: object) -> bytes | None:
        reads.append(str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(formats, "read_verified", counted)
    stored = [c for c in result.checks if "_texts_file" in c.__dict__]
    assert len(stored) >= 3
    checks, diags = result.checks, result.diagnostics
    expected = readability_json_bytes(checks, diags), sarif_bytes(checks, diags)
    for stop_after in (None, 2):
        staging = Staging(tmp_path / f"reports-{stop_after}")
        assert staging.open() == []
        write = staging.write
        if stop_after is not None:

            def failing(rel: str, data: object, write=write, stop=stop_after) -> tuple[int, int]:
                if rel != "readability.json":
                    return write(rel, data)  # type: ignore[arg-type]
                for n, _ in enumerate(data):  # type: ignore[call-overload]
                    if n == stop:
                        raise OSError(28, "No space left on device")
                raise AssertionError("not reached")

            staging.write = failing  # type: ignore[method-assign]
        reads.clear()
        render_reports(
            config, result, [], datetime(2026, 1, 12, tzinfo=UTC), StagedSink(staging, {})
        )
        texts = [r for r in reads if r.endswith(".texts")]
        assert sorted(texts) == sorted(c.__dict__["_texts_file"] for c in stored)  # once each
        assert staging.path is not None
        sarif = (staging.path / "readability.sarif").read_bytes()
        assert sarif == expected[1]
        if stop_after is None:
            assert (staging.path / "readability.json").read_bytes() == expected[0]
        assert not [p for p in staging.path.iterdir() if p.name.startswith("tmp")]
        staging.abort()
