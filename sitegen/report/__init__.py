"""Reviewer reports in ``reports/`` (never inside the public site): the readability JSON and
SARIF documents, a short Markdown summary and the HTML dashboard.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import SiteConfig
from ..writer import publish

if TYPE_CHECKING:
    from ..pipeline import BuildResult


def readability_document(result: BuildResult) -> dict:
    """The ``check --format json`` document."""
    return {"version": 1, "pages": [c.to_json() for c in result.checks]}


def summary_markdown(result: BuildResult) -> str:
    """A summary short enough for a pull-request comment."""
    checks = sorted(result.checks, key=lambda c: (-c.grade, c.path))
    blocked = [c for c in checks if c.verdict == "block"]
    warned = [c for c in checks if c.verdict == "warn"]
    lines = [
        "## Readability",
        "",
        f"{len(checks)} pages: {len(checks) - len(blocked) - len(warned)} pass, "
        f"{len(warned)} warn, {len(blocked)} blocked.",
        "",
    ]
    if blocked or warned:
        lines += ["| page | verdict | grade | findings |", "|---|---|---|---|"]
        for c in [*blocked, *warned][:15]:
            lines.append(f"| `{c.path}` | {c.verdict} | {c.grade:.1f} | {len(c.findings)} |")
        lines.append("")
    return "\n".join(lines)


def write_reports(root: Path, config: SiteConfig, result: BuildResult) -> Path:
    """Write every report into the reports folder (atomically); return the dashboard path."""
    from ..readability import to_sarif
    from .dashboard import render_dashboard

    out = root / config.reports_dir
    files: dict[str, bytes] = {}
    doc = readability_document(result)
    files["readability.json"] = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()
    sarif = to_sarif(result.checks)
    files["readability.sarif"] = (json.dumps(sarif, indent=2, ensure_ascii=False) + "\n").encode()
    files["summary.md"] = summary_markdown(result).encode()
    files.update(render_dashboard(root, config, result, out))
    publish(out, files, display=config.reports_dir)
    return out / "index.html"
