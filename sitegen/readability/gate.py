"""The gate verdict of one page: pass, warn or block, and what a reviewer's sign-off changes.

Rules (GATE.md): block when the grade is over the limit (pages of 50+ words) or any error
finding is not waived; warn when the grade is over the target or any warning remains; else
pass. A sign-off whose hash matches the current text applies its waivers (a waiver with code
RD001 waives the grade) and turns the page into an approved pass unless an unwaived error
remains. A sign-off for an older text changes nothing but the RD001 message.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .model import Finding, GateSettings, ProseField, Signoff, SignoffState, Verdict, Waiver


def text_hash(body: str, fields: Sequence[ProseField]) -> str:
    """``"sha256:<hex>"`` of the prose a reviewer approves.

    Normalised so that only a change a reader could see changes the hash: Unicode NFC, each
    field as its name and its text with whitespace runs collapsed (fields sorted by name),
    then the body with whitespace runs inside lines collapsed, trailing spaces dropped and
    runs of blank lines reduced to one.
    """
    h = hashlib.sha256()
    for f in sorted(fields, key=lambda f: f.name):
        text = " ".join(unicodedata.normalize("NFC", f.text).split())
        h.update(f"field {f.name}\n{text}\n".encode())
    lines: list[str] = []
    for line in unicodedata.normalize("NFC", body).replace("\r\n", "\n").split("\n"):
        line = " ".join(line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    h.update(("body\n" + "\n".join(lines) + "\n").encode())
    return "sha256:" + h.hexdigest()


def waiver_for(finding: Finding, waivers: Sequence[Waiver]) -> Waiver | None:
    """The first waiver that covers ``finding``: same code, and the same text if it has one."""
    for w in waivers:
        if w.code.upper() != finding.code:
            continue
        wanted = w.text.strip().casefold()
        if not wanted or wanted in (finding.text.casefold(), finding.key.casefold()):
            return w
    return None


@dataclass(frozen=True)
class GateResult:
    """The verdict, the findings with waivers applied and the RD001 message tail."""

    verdict: Verdict
    signoff_state: SignoffState
    findings: list[Finding]
    reason: str
    grade_waived_by: str = ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def decide(
    grade: float,
    words: int,
    findings: Sequence[Finding],
    settings: GateSettings,
    signoff: Signoff | None,
    current_hash: str,
) -> GateResult:
    """Apply the gate rules (module docstring) to a page's grade and findings."""
    state: SignoffState = "none"
    if signoff is not None:
        state = "approved" if signoff.text_hash == current_hash else "changed"
    waivers = signoff.waivers if signoff is not None and state == "approved" else ()
    out: list[Finding] = []
    for f in findings:
        w = waiver_for(f, waivers)
        out.append(replace(f, waived_by=w.reason or "waived") if w else f)
    grade_waiver = next((w for w in waivers if w.code.upper() == "RD001"), None)
    errors = sum(1 for f in out if f.severity == "error" and not f.waived_by)
    warnings = sum(1 for f in out if f.severity == "warning" and not f.waived_by)
    over_limit = grade > settings.limit
    over_target = grade > settings.target
    enforce = words >= settings.min_words_to_block
    grade_blocks = over_limit and enforce and grade_waiver is None

    if grade_blocks or errors:
        verdict: Verdict = "block"
        reason = "blocked" if grade_blocks else f"blocked by {_plural(errors, 'error')}"
    elif state == "approved":
        verdict, reason = "pass", "approved"
    elif over_target or warnings:
        verdict = "warn"
        if over_limit:
            reason = f"over the limit, but only {words} words: not blocked"
        elif over_target:
            reason = "over target"
        else:
            reason = f"within target; {_plural(warnings, 'warning')}"
    else:
        verdict, reason = "pass", "pass"

    if signoff is not None and state == "approved":
        who = f"signed off by {signoff.by} on {signoff.date}"
        if verdict == "block":
            missing = []
            if grade_blocks:
                missing.append("the grade (RD001)")
            if errors:
                missing.append(_plural(errors, "error"))
            reason += f"; {who}, but {' and '.join(missing)} not waived"
        else:
            reason += f" ({who}"
            if grade_waiver is not None and over_limit and grade_waiver.reason:
                reason += f"; grade waived: {grade_waiver.reason}"
            reason += ")"
    elif signoff is not None:
        reason += f"; the approval by {signoff.by} on {signoff.date} no longer matches the text"
    return GateResult(verdict, state, out, reason, grade_waiver.reason if grade_waiver else "")
