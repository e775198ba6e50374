"""The reviewer dashboard ``reports/index.html`` (first version: a plain table)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import SiteConfig

if TYPE_CHECKING:
    from ..pipeline import BuildResult


def render_dashboard(
    root: Path, config: SiteConfig, result: BuildResult, out: Path
) -> dict[str, bytes]:
    """Files of the dashboard, relative to the reports folder."""
    rows = []
    for c in sorted(result.checks, key=lambda c: (c.verdict != "block", -c.grade, c.path)):
        rows.append(
            f"<tr><th scope='row'>{html.escape(c.path)}</th><td>{c.verdict}</td>"
            f"<td>{c.grade:.1f}</td><td>{len(c.findings)}</td></tr>"
        )
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Readability report</title></head><body><main><h1>Readability report</h1>"
        "<table><caption>Pages</caption><thead><tr><th scope='col'>Page</th>"
        "<th scope='col'>Verdict</th><th scope='col'>Grade</th><th scope='col'>Findings</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></main></body></html>\n"
    )
    return {"index.html": page.encode()}
