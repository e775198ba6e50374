"""``approve``: write a reviewer's sign-off into a page's front matter.

A sign-off of the page accepts every finding the page has now: it records who signed, in
which role, when, the findings accepted (code and count), the grade and the hash of
everything a patient reads (``readability.review_text``). Any later change of that text
changes the hash and re-opens the review. With ``--waive`` it records single findings
accepted instead, without signing the page off.

Everything is checked before anything is written (``validate``), and the file is replaced
atomically, keeping its permissions, line endings and byte order mark.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

from sitegen.build.pipeline import Page, check_page, load_page, load_pages, prose_fields
from sitegen.build.signed import review_text_of, signed_text
from sitegen.content import frontmatter, provenance, reader
from sitegen.content.config import SiteConfig
from sitegen.content.model import ROLE_RE, PageMeta, StudyMeta, parse_meta
from sitegen.core.atomic import atomic_write
from sitegen.core.codes import READABILITY
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.worddiff import Segment, word_diff
from sitegen.readability import review_facts, text_hash

MAX_NAME = 100
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[A-Z]{2,4}\d{3}$")


@dataclass(frozen=True)
class Request:
    """What the reviewer asked for."""

    by: str
    date: str
    role: str = ""
    #: (code, text, reason): single findings to accept; empty: sign the whole page off
    waivers: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Plan:
    """A sign-off ready to be written: what it accepts and the page file's new bytes."""

    rel: str
    path: Path
    data: bytes
    text_hash: str
    accepted: tuple[tuple[str, int], ...]
    grade: float
    verdict: str
    reason: str
    request: Request
    #: the last sign-off before this one: (who, date, hash), if any
    previous: tuple[str, str, str] | None
    #: word diff since the last sign-off; None: no earlier sign-off, or its text is unknown
    diff: list[Segment] | None
    review_text: str

    @property
    def whole_page(self) -> bool:
        """True for a sign-off of the page (not single waivers)."""
        return not self.request.waivers


def validate(
    by: str,
    when: str | None,
    role: str,
    waivers: Sequence[tuple[str, str, str]],
    config: SiteConfig,
) -> tuple[Request | None, list[str]]:
    """Check the reviewer's input; returns the request or every problem (nothing is written
    when there is one)."""
    problems: list[str] = []
    name = by.strip()
    if not name:
        problems.append("--by: the reviewer's name is empty")
    elif len(name) > MAX_NAME:
        problems.append(f"--by: {len(name)} characters, at most {MAX_NAME}")
    elif not name.isprintable():
        problems.append("--by: the name contains control characters (a newline or a tab?)")
    day = when if when is not None else _date.today().isoformat()
    if not _DATE.match(day):
        problems.append(f'--date: "{day}" is not a date written YYYY-MM-DD')
    else:
        try:
            _date.fromisoformat(day)
        except ValueError:
            problems.append(f'--date: "{day}" is not a real date')
    roles = config.review.roles
    if role and not ROLE_RE.match(role):
        problems.append(f'--role: "{role}" is not a role name (lower-case letters, like patient)')
    elif roles and not role:
        problems.append(f"--role: this site needs sign-offs by role: one of {', '.join(roles)}")
    elif roles and role not in roles:
        problems.append(f'--role: "{role}" is not one of this site\'s roles: {", ".join(roles)}')
    for code, _, reason in waivers:
        if not _CODE.match(code):
            problems.append(f'--waive: "{code}" is not a finding code like RD001 or JG001')
        elif code not in READABILITY:
            problems.append(f'--waive: unknown code "{code}" (see sitegen/readability/CODES.md)')
        if not reason.strip():
            problems.append(f"--waive {code}: needs --reason")
        elif len(reason) > 500:
            problems.append(f"--reason: {len(reason)} characters, at most 500")
    if problems:
        return None, problems
    return Request(name, day, role, tuple(waivers)), []


def signoff_entry(req: Request, digest: str, accepted: Sequence[tuple[str, int]], grade: float
                  ) -> dict[str, object]:  # fmt: skip
    """One sign-off as front-matter data."""
    data: dict[str, object] = {"by": req.by}
    if req.role:
        data["role"] = req.role
    data["date"] = req.date
    data["text_hash"] = digest
    if req.waivers:
        data["waive"] = [{"code": c, "text": t, "reason": r} for c, t, r in req.waivers]
    else:
        data["grade"] = grade
        data["accepted"] = [{"code": c, "count": n} for c, n in accepted]
    return data


def replace_top_level_key(yaml_text: str, key: str, block: str) -> str:
    """Remove the top-level ``key`` (with its indented lines) and append ``block``."""
    return frontmatter.strip_top_level_keys(yaml_text, (key,)) + "\n" + block.rstrip("\n")


def _kept_signoffs(page: Page, digest: str, req: Request) -> list[dict[str, object]]:
    """The sign-offs that stay: those of the current text by other reviewers or roles (or
    single waivers). Sign-offs of older texts go (git keeps them)."""
    kept = []
    raw = page.fm.data.get("signoff")
    entries = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    for meta, entry in zip(page.meta.signoff, entries, strict=False):
        if meta.text_hash != digest:
            continue
        same = meta.by == req.by and (meta.role or "") == req.role
        if same and (meta.accepted is not None) == (not req.waivers):
            continue  # replaced by the new one
        kept.append(entry)
    return kept


def accepted_now(page: Page, config: SiteConfig, root: Path) -> tuple[list[tuple[str, int]],
                                                                     float, str, str]:  # fmt: skip
    """What a sign-off of the page now accepts: (code, count) of every error and warning as
    the page stands without any sign-off, the grade, the verdict and its reason."""
    bare = dataclasses.replace(page, meta=dataclasses.replace(page.meta, signoff=()))
    check = check_page(bare, config, root)
    counts = Counter(f.code for f in check.findings if f.severity in ("error", "warning"))
    return sorted(counts.items()), check.grade, check.verdict, check.reason


def _about_signoff(d: Diagnostic) -> bool:
    return d.message.startswith("signoff") or 'field "signoff' in d.message


def _without_signoff(
    root: Path, config: SiteConfig, rel: str
) -> tuple[list[Page], list[Diagnostic]]:
    """The page read as if it had no ``signoff:`` block."""
    found, _ = reader.discover(root, config.content_dir)
    kind = next((k for r, k, _ in found if r == rel), "")
    full = root / rel
    text = full.read_text(encoding="utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    parts = frontmatter.split(text, rel)
    if not kind or isinstance(parts, Diagnostic):
        return [], [error(rel, 0, 0, "APP001", "not a content page of this site")]
    yaml_text, _, body, _ = parts
    bare = f"---\n{replace_top_level_key(yaml_text, 'signoff', '')}\n---\n{body}"
    page, diags = load_page(rel, kind, full, config, text=bare)
    return ([page] if page is not None else []), [d for d in diags if d.is_error]


def plan(
    root: Path, config: SiteConfig, rel: str, req: Request
) -> tuple[Plan | None, list[Diagnostic]]:
    """Prepare the sign-off of ``rel``: nothing is written. Returns the plan, or ``None`` and
    the problems that stop it."""
    pages, diags = load_pages(root, config, only=[rel])
    errors = [d for d in diags if d.is_error]
    if errors and all(_about_signoff(d) for d in errors):
        # An invalid sign-off (written by hand or by an older sitegen) is replaced by this one.
        pages, errors = _without_signoff(root, config, rel)
    if errors or not pages:
        return None, errors or [error(rel, 0, 0, "APP001", "not a content page of this site")]
    page = pages[0]
    now_text = review_text_of(page)
    digest = text_hash(page.body, prose_fields(page), review_facts(page.fm.data))
    accepted, grade, verdict, reason = accepted_now(page, config, root)
    previous = None
    diff = None
    older = [s for s in page.meta.signoff if s.text_hash != digest]
    if page.meta.signoff:
        last = page.meta.signoff[-1]
        previous = (f"{last.by} ({last.role})" if last.role else last.by, str(last.date),
                    last.text_hash)  # fmt: skip
    if older:
        old_text = signed_text(root, config, page, older[-1].text_hash)
        if old_text is not None:
            diff = word_diff(old_text, now_text)

    full = root / rel
    raw = full.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8").lstrip("\ufeff")
    crlf = "\r\n" in text
    parts = frontmatter.split(text.replace("\r\n", "\n"), rel)
    if isinstance(parts, Diagnostic):
        return None, [parts]
    yaml_text, _, body, _ = parts
    entries = [*_kept_signoffs(page, digest, req), signoff_entry(req, digest, accepted, grade)]
    block = frontmatter.dump({"signoff": entries})
    new_text = f"---\n{replace_top_level_key(yaml_text, 'signoff', block)}\n---\n{body}"
    # The new file must read back as a valid page whose sign-off matches its text.
    fm, more = frontmatter.parse(new_text, rel)
    meta = None
    if fm is not None:
        meta, more = parse_meta(fm, rel, StudyMeta if page.kind == "study" else PageMeta)
    if fm is None or meta is None or any(d.is_error for d in more):
        return None, [d for d in more if d.is_error] or [
            error(rel, 0, 0, "APP002", "the sign-off could not be written into this file")
        ]
    if crlf:
        new_text = new_text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
    made = Plan(
        rel, full, data, digest, tuple(accepted), grade, verdict, reason, req, previous, diff,
        now_text,
    )  # fmt: skip
    return made, []


def write(root: Path, p: Plan) -> None:
    """Replace the page file atomically with the signed version, keeping its mode; keep a
    snapshot of the signed text for later diffs."""
    atomic_write(p.path, p.data)
    provenance.save_snapshot(root, p.text_hash, p.review_text)


def describe(p: Plan) -> list[str]:
    """What the sign-off accepts, in lines for the terminal."""
    req = p.request
    who = f"{req.by} ({req.role})" if req.role else req.by
    if not p.whole_page:
        lines = [f"Waivers for {p.rel} by {who} on {req.date} (the page is not signed off):"]
        lines += [
            f"  {c}{' for ' + repr(t) if t else ' (every finding of this code)'}: {r}"
            for c, t, r in req.waivers
        ]
        return lines
    now = {"block": "blocked", "warn": "a warning", "pass": "passes"}.get(p.verdict, p.verdict)
    lines = [f"Sign-off of {p.rel} by {who} on {req.date}. Without it the page {_is(now)}"
             f" ({p.reason})."]  # fmt: skip
    if p.accepted:
        lines.append("It accepts every current finding:")
        for code, n in p.accepted:
            summary = READABILITY[code].meaning if code in READABILITY else ""
            lines.append(f"  {code} x{n}" + (f": {summary}" if summary else ""))
    else:
        lines.append("The page has no findings to accept.")
    lines.append(f"Text hash: {p.text_hash}")
    return lines


def _is(state: str) -> str:
    return "passes" if state == "passes" else f"is {state}"


def approve(
    root: Path,
    config: SiteConfig,
    rel: str,
    *,
    by: str,
    date: str | None,
    waivers: Sequence[tuple[str, str, str]] = (),
    role: str = "",
) -> tuple[str | None, list[Diagnostic]]:
    """Validate, plan and write a sign-off without asking (for scripts and tests); returns a
    message, or ``None`` and the problems that stopped it (nothing written then)."""
    req, problems = validate(by, date, role, waivers, config)
    if req is None:
        return None, [error(rel, 0, 0, "APP002", p) for p in problems]
    p, diags = plan(root, config, rel, req)
    if p is None:
        return None, diags
    write(root, p)
    return f"Signed off {rel} ({p.text_hash[:15]}…).", []
