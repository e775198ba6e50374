"""The gate verdict of one page: pass, warn or block, and what a reviewer's sign-off changes.

Rules (GATE.md): block when the grade is over the limit (pages of 50+ words) or any error
finding is not waived; warn when the grade is over the target or any warning remains; else
pass. Sign-offs whose hash matches the current text apply: their waivers accept single
findings (a waiver with code RD001 accepts the grade); a whole-page sign-off (``accepted``
recorded) accepts every finding it lists by code and count, the grade included, and turns the
page into a pass, once every role the site requires has signed. A finding that appears after
the sign-off (new rules or settings, same text) is not accepted. A sign-off of an older text
changes nothing but the RD001 message.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from sitegen.readability.model import (
    Finding,
    GateSettings,
    ProseField,
    Signoff,
    SignoffState,
    Verdict,
    Waiver,
)

#: top-level front-matter keys a sign-off does not cover: the sign-off itself, and ``draft``
#: (removing it is how a signed-off page is published)
NOT_REVIEWED = frozenset({"signoff", "draft"})


def review_facts(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every front-matter value a patient may read, as ``(dotted name, text)`` pairs.

    Everything but ``NOT_REVIEWED``: status, eligibility, ages, sex, conditions, sites,
    contacts, dates, payment, the page's own gate settings, ... Lists keep their order;
    mapping keys are sorted, so moving a key in the file changes nothing.
    """
    out: list[tuple[str, str]] = []

    def walk(value: Any, name: str) -> None:
        if isinstance(value, Mapping):
            for key in sorted(value, key=str):
                if name or str(key) not in NOT_REVIEWED:
                    walk(value[key], f"{name}.{key}" if name else str(key))
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                walk(item, f"{name}.{i}")
        elif value is None:
            return
        elif isinstance(value, bool):
            out.append((name, "true" if value else "false"))
        else:
            out.append((name, " ".join(unicodedata.normalize("NFC", str(value)).split())))

    walk(data, "")
    return out


def review_text(
    body: str, fields: Sequence[ProseField], facts: Sequence[tuple[str, str]] = ()
) -> str:
    """The text a reviewer signs off, as one readable string: what a patient reads.

    Normalised so that only a change a reader could see changes it: Unicode NFC, each
    field as ``name: text`` with whitespace runs collapsed (sorted by name; ``facts`` whose
    name is a prose field are left out as duplicates), then a ``---`` line and the body with
    whitespace runs inside lines collapsed, trailing spaces dropped and runs of blank lines
    reduced to one.
    """
    names = {f.name for f in fields}
    rows = [(f.name, " ".join(unicodedata.normalize("NFC", f.text).split())) for f in fields]
    rows += [(n, v) for n, v in facts if n not in names]
    head = [f"{n}: {v}" for n, v in sorted(rows)]
    lines: list[str] = []
    for line in unicodedata.normalize("NFC", body).replace("\r\n", "\n").split("\n"):
        line = " ".join(line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join([*head, "---", *lines]) + "\n"


def text_hash(
    body: str, fields: Sequence[ProseField], facts: Sequence[tuple[str, str]] = ()
) -> str:
    """``"sha256:<hex>"`` of ``review_text``: the hash a sign-off records."""
    digest = hashlib.sha256(review_text(body, fields, facts).encode("utf-8", "surrogatepass"))
    return "sha256:" + digest.hexdigest()


class Resolved(NamedTuple):
    """The target and limit that apply, and what the page asked for that loosens them."""

    settings: GateSettings
    #: (name, page value, site value, applied) for every looser page setting
    loosened: tuple[tuple[str, float, float, bool], ...]


def resolve(settings: GateSettings, approved: bool) -> Resolved:
    """Apply the page's own target and limit: a stricter one always, a looser one only when
    the page is signed off as it is now (the sign-off hash covers the page's own settings:
    ``review_facts``)."""
    values = {"target": settings.target, "limit": settings.limit}
    loosened = []
    for name, page in (("target", settings.page_target), ("limit", settings.page_limit)):
        if page is None:
            continue
        site = values[name]
        if page <= site:
            values[name] = page
        else:
            loosened.append((name, page, site, approved))
            if approved:
                values[name] = page
    if values["target"] > values["limit"]:
        values["target"] = values["limit"]
    return Resolved(
        replace(settings, target=values["target"], limit=values["limit"]), tuple(loosened)
    )


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
    #: required roles without a sign-off of the current text
    missing_roles: tuple[str, ...] = ()
    #: the whole-page sign-offs of the current text that count
    signers: tuple[Signoff, ...] = ()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


#: how a verdict names unaccepted errors of a code: (one, many)
ERROR_WORDS = {
    "JG001": ("word to replace", "words to replace"),
    "PR001": ("promotional phrase", "promotional phrases"),
}


def errors_text(findings: Sequence[Finding]) -> str:
    """``"3 words to replace, 1 promotional phrase"``: the errors nobody accepted, by kind."""
    counts: dict[str, int] = {}
    for f in findings:
        if f.severity == "error" and not f.waived_by and f.code != "RD001":
            counts[f.code] = counts.get(f.code, 0) + 1
    parts = []
    for code, n in sorted(counts.items()):
        one, many = ERROR_WORDS.get(code, (f"{code} error", f"{code} errors"))
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def as_signoffs(signoff: Signoff | Sequence[Signoff] | None) -> tuple[Signoff, ...]:
    """A page's sign-offs as a tuple, oldest first (one, several or none)."""
    if signoff is None:
        return ()
    if isinstance(signoff, Signoff):
        return (signoff,)
    return tuple(signoff)


def page_signers(
    signoffs: Sequence[Signoff], current_hash: str, required_roles: Sequence[str] = ()
) -> tuple[list[Signoff], tuple[str, ...]]:
    """The whole-page sign-offs of the current text that count, and the roles still missing.

    Without required roles any reviewer's sign-off counts (the newest per reviewer); with
    them, the newest sign-off of each required role.
    """
    full = [s for s in signoffs if s.text_hash == current_hash and s.signs_page]
    if not required_roles:
        newest = {s.by: s for s in full}
        return list(newest.values()), ()
    by_role = {s.role: s for s in full}
    missing = tuple(r for r in required_roles if r not in by_role)
    return [by_role[r] for r in required_roles if r in by_role], missing


def decide(
    grade: float,
    words: int,
    findings: Sequence[Finding],
    settings: GateSettings,
    signoff: Signoff | Sequence[Signoff] | None,
    current_hash: str,
    required_roles: Sequence[str] = (),
) -> GateResult:
    """Apply the gate rules (module docstring) to a page's grade and findings."""
    signoffs = as_signoffs(signoff)
    current = [s for s in signoffs if s.text_hash == current_hash]
    waivers = tuple(w for s in current for w in s.waivers)
    out: list[Finding] = []
    for f in findings:
        w = waiver_for(f, waivers)
        out.append(replace(f, waived_by=w.reason or "waived") if w else f)
    grade_waiver = next((w for w in waivers if w.code.upper() == "RD001"), None)

    signers, missing = page_signers(signoffs, current_hash, required_roles)
    signed = bool(signers) and not missing
    who = " and ".join(f"{s.who} on {s.date}" for s in signers)
    grade_accepted = _accept_signed(out, signers, who) if signed else False
    state: SignoffState = "none"
    if signed:
        state = "approved"
    elif signoffs and not current:
        state = "changed"

    over_limit = grade > settings.limit
    enforce = words >= settings.min_words_to_block
    grade_blocks = over_limit and enforce and grade_waiver is None and not grade_accepted
    verdict, reason = _verdict(grade, words, out, settings, grade_blocks, who if signed else None)
    if verdict == "block":
        if signers and missing:
            reason += f"; signed off by {who}, still to sign: {', '.join(missing)}"
        elif signed:
            reason += f"; signed off by {who}, but new findings since"
    if grade_waiver is not None and over_limit and verdict != "block":
        reason += f" (grade waived by {_names(current, grade_waiver)}: {grade_waiver.reason})"
    if signoffs and not current:
        last = signoffs[-1]
        reason += f"; the sign-off by {last.who} on {last.date} no longer matches the text"
    return GateResult(
        verdict,
        state,
        out,
        reason,
        grade_waiver.reason if grade_waiver else "",
        missing,
        tuple(signers),
    )


def _accept_signed(findings: list[Finding], signers: Sequence[Signoff], who: str) -> bool:
    """Mark the findings the signers accepted as waived, in place: of each code, up to the
    smallest number any of them saw. True when they accepted the grade (RD001) too."""
    budget: dict[str, int] = {}
    for code in {c for s in signers for c, _ in s.accepted or ()}:
        budget[code] = min(dict(s.accepted or ()).get(code, 0) for s in signers)
    accepted_by = f"accepted in the sign-off by {who}"
    for i, f in enumerate(findings):
        if not f.waived_by and f.severity != "note" and budget.get(f.code, 0) > 0:
            budget[f.code] -= 1
            findings[i] = replace(f, waived_by=accepted_by)
    return budget.get("RD001", 0) > 0


def _verdict(
    grade: float,
    words: int,
    findings: Sequence[Finding],
    settings: GateSettings,
    grade_blocks: bool,
    signed_by: str | None,
) -> tuple[Verdict, str]:
    """The verdict and why, from the grade, the findings not waived and whether the page is
    signed off (``signed_by``: who signed it, None if it is not)."""
    errors = sum(1 for f in findings if f.severity == "error" and not f.waived_by)
    warnings = sum(1 for f in findings if f.severity == "warning" and not f.waived_by)
    if grade_blocks or errors:
        why = []
        if grade_blocks:
            why.append(f"reading grade {grade:g}, limit {settings.limit:g}")
        if errors:
            why.append(errors_text(findings))
        return "block", "blocked: " + "; ".join(why)
    if signed_by is not None:
        return "pass", f"signed off by {signed_by}"
    if not (grade > settings.target or warnings):
        return "pass", "pass"
    if grade > settings.limit:
        return "warn", f"over the limit, but only {words} words: not blocked"
    if grade > settings.target:
        return "warn", "over target"
    return "warn", f"within target; {_plural(warnings, 'warning')}"


def _names(signoffs: Sequence[Signoff], waiver: Waiver) -> str:
    """Who recorded ``waiver``."""
    return next((s.who for s in signoffs if waiver in s.waivers), "a reviewer")
