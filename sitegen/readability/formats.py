"""A ``PageCheck`` as diagnostics, JSON and SARIF 2.1.0: the one place the output formats
of a checked page are written (``PageCheck`` is plain data).

Diagnostics report a repeated term once per page, at its first use, with "(+N more)"; waived
findings become notes that say who waived them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sitegen.core.cachefile import read_verified
from sitegen.core.cmdline import portable
from sitegen.core.codes import READABILITY
from sitegen.core.diagnostics import Diagnostic, Severity
from sitegen.readability.clarity import ITEMS
from sitegen.readability.model import Clarity, Finding, PageCheck

#: codes whose repeats are folded into one diagnostic per term
GROUPED = frozenset({"JG001", "JG004", "JG005", "PR001", "RD003"})
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "sitegen-readability"


def grouped(findings: Iterable[Finding]) -> list[tuple[Finding, int]]:
    """Each finding with how many more of the same code and term follow it on the page."""
    order: list[tuple[Finding, tuple[str, str, bool] | None]] = []
    counts: dict[tuple[str, str, bool], int] = {}
    for f in findings:
        if f.code in GROUPED:
            k = (f.code, (f.key or f.text).casefold(), bool(f.waived_by))
            n = counts.get(k)
            if n is not None:
                counts[k] = n + 1
                continue
            counts[k] = 0
            order.append((f, k))
        else:
            order.append((f, None))
    return [(f, 0 if k is None else counts[k]) for f, k in order]


def page_diagnostics(check: PageCheck) -> list[Diagnostic]:
    """Linter-style diagnostics of a page: findings, then the RD001 verdict line."""
    return [Diagnostic(*fields) for fields in page_diagnostic_fields(check)]


#: ``Severity(value)`` for each value, without the enum's lookup on every call
_SEVERITY: dict[str, Severity] = {s.value: s for s in Severity}
#: a ``Diagnostic``'s fields in order: path, line, col, severity, code, message, hint
DiagnosticFields = tuple[str, int, int, Severity, str, str, str]


#: what every build uses of a check's findings, kept on the check (``keep_summaries``) and
#: so in its cache entry, where the findings themselves are read only when the page changed
#: (``cachefile.Deferred``): its diagnostics' fields but the path, as plain JSON values ...
_DIAGNOSTIC_ROWS = "_diagnostic_rows"
#: ... and each finding's code, rule and whether it was waived (``finding_marks``)
_MARKS = "_finding_marks"


def keep_summaries(check: PageCheck) -> None:
    """Keep on ``check`` what ``page_diagnostic_fields`` and ``finding_marks`` give, so
    that neither reads its findings again (the page cache stores them with it)."""
    rows = [[line, col, sev.value, code, message, hint]
            for _, line, col, sev, code, message, hint in _diagnostic_fields(check)]  # fmt: skip
    check.__dict__[_DIAGNOSTIC_ROWS] = rows
    check.__dict__[_MARKS] = [[f.code, f.rule, bool(f.waived_by)] for f in check.findings]


def finding_marks(check: PageCheck) -> list[tuple[str, str, bool]]:
    """Each finding's ``(code, rule, waived)``, in order."""
    marks = check.__dict__.get(_MARKS)
    if type(marks) is list:
        return [(code, rule, waived) for code, rule, waived in marks]
    return [(f.code, f.rule, bool(f.waived_by)) for f in check.findings]


def page_diagnostic_fields(check: PageCheck) -> list[DiagnosticFields]:
    """``page_diagnostics(check)``, each as the tuple of its fields (equal tuples: equal
    diagnostics), without making a ``Diagnostic`` of each."""
    rows = check.__dict__.get(_DIAGNOSTIC_ROWS)
    if type(rows) is list:
        path = check.path
        return [(path, line, col, _SEVERITY[sev], code, message, hint)
                for line, col, sev, code, message, hint in rows]  # fmt: skip
    return _diagnostic_fields(check)


def _diagnostic_fields(check: PageCheck) -> list[DiagnosticFields]:
    """``page_diagnostic_fields`` made from the findings."""
    out: list[DiagnosticFields] = []
    for f, more in grouped(check.findings):
        message = f"{f.message} (+{more} more)" if more else f.message
        severity = _SEVERITY.get(f.severity) or Severity(f.severity)
        if f.waived_by:
            severity = Severity.NOTE
            message += f" (waived: {f.waived_by})"
        hint = f.definition if f.code == "JG002" else ""
        if f.code.startswith("CP"):
            hint = f.suggestion
        out.append((check.path, f.line, f.column, severity, f.code, message, hint))
    return out


def finding_json(f: Finding) -> dict[str, Any]:
    """One finding: the required keys first, then positions and details (and ``fix``, the
    safe drop-in edit, when there is one)."""
    out = {
        "rule": f.rule,
        "code": f.code,
        "severity": f.severity,
        "line": f.line,
        "column": f.column,
        "text": f.text,
        "message": f.message,
        "suggestion": f.suggestion,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "definition": f.definition,
        "waived_by": f.waived_by,
        "field": f.field,
    }
    if f.fix is not None:
        x = f.fix
        out["fix"] = {"line": x.line, "column": x.column, "end_line": x.end_line,
                      "end_column": x.end_column, "old": x.old, "new": x.new}  # fmt: skip
    return out


def clarity_json(clarity: Clarity) -> dict[str, Any]:
    """``{"score", "failed", "items": [{code, name, title, source, met, detail}]}``."""
    return {
        "score": clarity.score,
        "failed": list(clarity.failed),
        "items": [
            {
                "code": r.code,
                "name": ITEMS[r.code].name,
                "title": ITEMS[r.code].title,
                "source": ITEMS[r.code].source,
                "met": r.met,
                "detail": r.detail,
            }
            for r in clarity.items
        ],
    }


def page_json(check: PageCheck) -> dict[str, Any]:
    """``{"source", "verdict", "grade", "scores", "stats", "findings", "clarity", ...}``."""
    return {
        "source": check.path,
        "verdict": check.verdict,
        "grade": check.grade,
        "scores": dict(check.scores),
        "stats": dict(check.stats),
        "findings": [finding_json(f) for f in check.findings],
        "clarity": clarity_json(check.clarity) if check.clarity is not None else None,
        "lang": check.lang,
        "target": check.target,
        "limit": check.limit,
        "reason": check.reason,
        "draft": check.draft,
        "signoff_state": check.signoff_state,
        "text_hash": check.text_hash,
        "sections": [
            {
                "title": s.title,
                "line": s.line,
                "words": s.words,
                "sentences": s.sentences,
                "grade": s.grade,
                "scores": dict(s.scores),
            }
            for s in check.sections
        ],
    }


#: where ``page_json_text`` and ``sarif_texts`` keep their answers on a check
_JSON_TEXT = "_json_text"
_SARIF_TEXTS = "_sarif_texts"
#: or the file they are kept in instead (``texts_file``): the page cache's, next to the
#: check's own entry, so a build does not hold every page's report texts in memory
_TEXTS_FILE = "_texts_file"


def page_json_text(check: PageCheck) -> str:
    """``json.dumps(page_json(check), ensure_ascii=False)``, made once per check (in the
    worker that checks the page) and kept on it or in its ``texts_file``."""
    text = check.__dict__.get(_JSON_TEXT)
    if type(text) is str:
        return text
    stored = _stored_texts(check)
    if stored is not None:
        return stored[0]
    text = json.dumps(page_json(check), ensure_ascii=False)
    check.__dict__[_JSON_TEXT] = text
    return text


def sarif_texts(check: PageCheck) -> tuple[str, str]:
    """The page's SARIF results (``sarif_results``, each as JSON, joined by ", ") and its
    artifact (``sarif_artifacts``), "" for none; made once per check and kept on it or in
    its ``texts_file``."""
    texts = check.__dict__.get(_SARIF_TEXTS)
    if type(texts) is tuple and len(texts) == 2 and all(type(t) is str for t in texts):
        return texts
    stored = _stored_texts(check)
    if stored is not None:
        return stored[1], stored[2]
    results = ", ".join(json.dumps(r, ensure_ascii=False) for r in sarif_results([check]))
    texts = (results, sarif_artifact_text(check))
    check.__dict__[_SARIF_TEXTS] = texts
    return texts


def report_texts(check: PageCheck) -> tuple[str, str]:
    """``page_json_text(check)`` and ``sarif_texts(check)[0]``, from one read of its
    ``texts_file`` (the reports write both documents from one pass over the pages)."""
    text, texts = check.__dict__.get(_JSON_TEXT), check.__dict__.get(_SARIF_TEXTS)
    if type(text) is not str or type(texts) is not tuple:
        stored = _stored_texts(check)
        if stored is not None:
            return stored[0], stored[1]
    return page_json_text(check), sarif_texts(check)[0]


def sarif_artifact_text(check: PageCheck) -> str:
    """The page's SARIF artifact (``sarif_artifacts``) as JSON, "" for none: ``sarif_texts``'s
    second text, made from the check alone (a line of JSON, cheaper than reading it back
    from a ``texts_file``)."""
    artifacts = sarif_artifacts([check])
    return json.dumps(artifacts[0], ensure_ascii=False) if artifacts else ""


def texts_bytes(check: PageCheck) -> bytes:
    """The check's report texts (``page_json_text`` and both ``sarif_texts``) as the bytes of
    a ``texts_file``: one line each (JSON text has no line break)."""
    texts = (page_json_text(check), *sarif_texts(check))
    return "\n".join(texts).encode("utf-8", "surrogatepass")


def texts_file(check: PageCheck, path: str | Path | None) -> None:
    """From now on, read ``check``'s report texts from ``path`` (written with ``texts_bytes``
    behind a MAC line, ``cachefile.write_signed``) instead of keeping them on the check;
    ``None``: keep nothing (``PageCheck`` is stored without them). A file that is gone or
    does not verify means the texts are made again."""
    check.__dict__.pop(_JSON_TEXT, None)
    check.__dict__.pop(_SARIF_TEXTS, None)
    if path is None:
        check.__dict__.pop(_TEXTS_FILE, None)
    else:
        check.__dict__[_TEXTS_FILE] = str(path)


def _stored_texts(check: PageCheck) -> list[str] | None:
    """The texts of ``check``'s ``texts_file``, when it has one that verifies."""
    at = check.__dict__.get(_TEXTS_FILE)
    if type(at) is not str:
        return None
    payload = read_verified(Path(at))
    if payload is None:
        return None
    parts = payload.decode("utf-8", "surrogatepass").split("\n")
    return parts if len(parts) == 3 else None


_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def sarif_rules() -> list[dict[str, Any]]:
    """One SARIF rule per code, with its fix as help."""
    return [
        {
            "id": c.code,
            "name": c.rule,
            "shortDescription": {"text": c.meaning},
            "help": {"text": c.fix},
        }
        for c in READABILITY.values()
    ]


def sarif_results(checks: Iterable[PageCheck]) -> Iterator[dict[str, Any]]:
    """One SARIF result per finding, page by page (a generator: a big site's results need
    not all be in memory at once)."""
    ids = {code: i for i, code in enumerate(READABILITY)}
    for check in checks:
        for f in check.findings:
            location: dict[str, Any] = {"artifactLocation": {"uri": check.path}}
            if f.line:
                region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column}
                if f.end_line:
                    region["endLine"] = f.end_line
                    region["endColumn"] = f.end_column
                if f.text:
                    region["snippet"] = {"text": f.text}
                location["region"] = region
            result: dict[str, Any] = {
                "ruleId": f.code,
                "ruleIndex": ids.get(f.code, -1),
                "level": _LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": location}],
            }
            if f.waived_by:
                result["suppressions"] = [{"kind": "external", "justification": f.waived_by}]
            if f.suggestion:
                result["properties"] = {"suggestion": f.suggestion}
            yield result


def sarif_diagnostic_result(d: Diagnostic) -> dict[str, Any]:
    """A SARIF result for a diagnostic that is not a readability finding (content, links,
    settings, the gate's site-level lines)."""
    location: dict[str, Any] = {"artifactLocation": {"uri": d.path}}
    if d.line:
        region: dict[str, Any] = {"startLine": d.line}
        if d.col:
            region["startColumn"] = d.col
        location["region"] = region
    text = d.message + (f" (hint: {portable(d.hint)})" if d.hint else "")
    return {
        "ruleId": d.code,
        "level": _LEVEL[d.severity.value],
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
    }


def sarif_artifacts(checks: Iterable[PageCheck]) -> list[dict[str, Any]]:
    """One SARIF artifact per page, with its clear-communication score and failed items as
    properties (``clarityScore`` is null when no item applies)."""
    return [
        {
            "location": {"uri": c.path},
            "properties": {
                "clarityScore": c.clarity.score,
                "clarityFailed": list(c.clarity.failed),
            },
        }
        for c in checks
        if c.clarity is not None
    ]


def to_sarif(checks: Iterable[PageCheck]) -> dict[str, Any]:
    """SARIF 2.1.0: one rule per code (with its fix as help), one result per finding, one
    artifact per page with its clear-communication score."""
    checks = list(checks)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "rules": sarif_rules()}},
                "artifacts": sarif_artifacts(checks),
                "results": list(sarif_results(checks)),
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def clarity_summary(
    checks: Iterable[PageCheck], *, every: bool = False, below: int = 90
) -> list[str]:
    """Terminal lines about the clear-communication scores: the mean and the lowest, then
    each page below ``below`` (every page with ``every``) with the items it failed."""
    scored = [(c.clarity.score, c.path, c.clarity.failed) for c in checks
              if c.clarity is not None and c.clarity.score is not None]  # fmt: skip
    if not scored:
        return []
    mean = sum(s for s, _, _ in scored) / len(scored)
    low, low_path, _ = min(scored)
    n_below = sum(1 for s, _, _ in scored if s < below)
    lines = [
        f"Clear communication: mean score {mean:.0f}/100, lowest {low} ({low_path}); "
        f"{n_below} page(s) below {below}."
    ]
    for score, path, failed in sorted(scored, key=lambda x: x[1]):
        if every or score < below:
            lines.append(f"  {path}: {score}/100, failed: {', '.join(failed) or 'none'}")
    return lines
