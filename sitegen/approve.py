"""``approve``: write a reviewer's sign-off into a page's front matter.

The sign-off records who approved the page, when, which findings they waived and why, and a
hash of the patient-facing text they read. Any later edit of that text changes the hash, so
the gate applies again until someone signs off the new text.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import date as _date
from pathlib import Path

import yaml

from . import frontmatter
from .config import SiteConfig
from .diagnostics import Diagnostic, error
from .pipeline import load_pages, prose_fields
from .readability import text_hash


def signoff_block(by: str, when: str, digest: str, waivers: Sequence[tuple[str, str, str]]) -> str:
    """The YAML lines of a ``signoff:`` block."""
    data: dict[str, object] = {"by": by, "date": when, "text_hash": digest}
    if waivers:
        data["waive"] = [{"code": c, "text": t, "reason": r} for c, t, r in waivers]
    return yaml.safe_dump({"signoff": data}, sort_keys=False, allow_unicode=True, width=100)


def replace_top_level_key(yaml_text: str, key: str, block: str) -> str:
    """Remove the top-level ``key`` (with its indented lines) and append ``block``."""
    out: list[str] = []
    skipping = False
    for line in yaml_text.split("\n"):
        top = line[:1] not in (" ", "\t", "#", "") and not line.startswith("-")
        if top:
            skipping = line.split(":", 1)[0].strip() == key
        if not skipping:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n" + block.rstrip("\n")


def approve(
    root: Path,
    config: SiteConfig,
    rel: str,
    *,
    by: str,
    date: str | None,
    waivers: Sequence[tuple[str, str, str]],
) -> tuple[str | None, list[Diagnostic]]:
    """Sign off ``rel``; returns a message, or ``None`` and the problems that stopped it."""
    when = date or _date.today().isoformat()
    pages, diags = load_pages(root, config, only=[rel])
    errors = [d for d in diags if d.is_error]
    if errors or not pages:
        return None, errors or [error(rel, 0, 0, "APP001", "not a content page of this site")]
    page = pages[0]
    digest = text_hash(page.body, prose_fields(page))
    full = root / rel
    text = full.read_text(encoding="utf-8")
    parts = frontmatter.split(text.lstrip("\ufeff").replace("\r\n", "\n"), rel)
    if isinstance(parts, Diagnostic):
        return None, [parts]
    yaml_text, _, body, _ = parts
    new_yaml = replace_top_level_key(yaml_text, "signoff", signoff_block(by, when, digest, waivers))
    new_text = f"---\n{new_yaml}\n---\n{body}"
    fm, more = frontmatter.parse(new_text, rel)
    if fm is None:
        return None, more
    fd, tmp = tempfile.mkstemp(dir=full.parent, prefix=f".{full.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(new_text)
        os.replace(tmp, full)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise
    n = len(waivers)
    return f"Signed off {rel} for {by} on {when} ({digest[:15]}…, {n} waiver(s)).", []
