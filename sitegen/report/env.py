"""The Jinja2 environment of the reviewer reports and their static assets.

The reports have their own environment (autoescape, ``StrictUndefined``) over
``sitegen/report/templates/``: a site's ``templates/`` folder overrides the public theme, never
the reviewer reports, so a site's ``page.html`` cannot shadow the report's.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS_DIR = Path(__file__).parent / "assets"
#: the files copied to ``reports/assets/``
ASSET_NAMES = ("report.css", "report.js")


def fmt_grade(value: float | None) -> str:
    """A grade with one decimal, or an en dash when there is none."""
    return "–" if value is None else f"{value:.1f}"


def fmt_number(value: float | None) -> str:
    """A number as written in reports: integers plain, others with at most 2 decimals."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fmt_delta(value: float | None) -> str:
    """A signed change with one decimal and a real minus sign: ``+1.2``, ``−0.4``, ``0.0``."""
    if value is None:
        return "new"
    if round(value, 1) == 0:
        return "±0.0"
    return f"+{value:.1f}" if value > 0 else f"−{abs(value):.1f}"


def verdict_reason(verdict: str, reason: str) -> str:
    """The gate's reason as shown after its verdict, without saying the verdict twice
    ("Blocked: reading grade 12.1", not "Blocked blocked: ..."; "Pass", not "Pass pass")."""
    for word in (verdict, "blocked", "block"):
        if reason.lower() == word:
            return ""
        if reason.lower().startswith(word + ": "):
            return reason[len(word) + 2 :]
    return reason


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The report environment (built once per process; templates never change at run time)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["grade"] = fmt_grade
    env.filters["number"] = fmt_number
    env.filters["delta"] = fmt_delta
    # {{ reason|reason(verdict) }}: the filter gets the reason first
    env.filters["reason"] = lambda reason, verdict: verdict_reason(verdict, reason)
    return env


def render(name: str, **context: Any) -> bytes:
    """Render template ``name`` to UTF-8 bytes."""
    return environment().get_template(name).render(**context).encode("utf-8")


def assets() -> dict[str, bytes]:
    """The report's CSS and script, keyed by their path in the reports folder."""
    return {f"assets/{name}": (ASSETS_DIR / name).read_bytes() for name in ASSET_NAMES}
