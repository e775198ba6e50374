"""The ClinicalTrials.gov eligibility parser: a record's ``eligibilityModule`` to the page's
``eligibility`` front matter: the age limits, sex and healthy volunteers, and the free-text
``eligibilityCriteria`` split into inclusion and exclusion bullets (nested items joined)."""

from __future__ import annotations

import re
from typing import Any

from sitegen.content.model import Eligibility
from sitegen.importers.ctgov.blocks import Block, parse_blocks
from sitegen.importers.ctgov.reader import Reader, join_path
from sitegen.importers.ctgov.vocabulary import AGE_RE, AGE_UNITS, SEXES, limit

_CRITERIA_HEADING_RE = re.compile(
    r"^[#*_ ]*(?:key\s+)?(inclusion|exclusion|eligibility)\s+criteri[a-z]*\s*:?[*_ ]*$",
    re.IGNORECASE,
)


def _criterion(block: Block) -> str:
    """One bullet string: the item text, with nested items joined as ``parent: a; b``."""
    text = block.joined()
    children = [c for c in block.child_texts() if c]
    if not children:
        return text.rstrip(" ;,")
    parts = [c.rstrip(" ;,.") for c in children[:-1]] + [children[-1].rstrip(" ;,")]
    head = text.rstrip(" ;,:")
    return f"{head}: {'; '.join(parts)}" if head else "; ".join(parts)


def split_criteria(text: str) -> tuple[list[str], list[str]]:
    """Split ``eligibilityCriteria`` (already unescaped) into include and exclude bullets.

    Text before any heading counts as inclusion criteria. Paragraphs that are not list items
    become bullets of their own.
    """
    include: list[str] = []
    exclude: list[str] = []
    target = include
    for block in parse_blocks(text, _CRITERIA_HEADING_RE):
        if block.kind == "heading":
            m = _CRITERIA_HEADING_RE.match(block.lines[0])
            kind = m.group(1).lower() if m else "inclusion"
            target = exclude if kind == "exclusion" else include
            continue
        bullet = _criterion(block)
        if bullet:
            target.append(bullet)
    return include, exclude


def read_age(r: Reader, parent: dict[str, Any], key: str, path: str) -> str | None:
    """An age limit as the content model writes it ("18 years"); None for "N/A" or a problem."""
    value = r.get(parent, key, path, "string")
    if value is None or value.strip().upper() in ("N/A", "NA", "NONE"):
        return None
    full = join_path(path, key)
    m = AGE_RE.match(value.strip())
    if not m:
        r.error(full, "IMP003", f'expected an age like "18 Years" or "6 Months", got "{value}"')
        return None
    unit = m.group(2).lower()
    if unit in ("hour", "hours", "minute", "minutes"):
        r.warn(
            full,
            "IMP007",
            f'"{value}": the content model has no ages in {unit}; left out',
            "state the age limit in the page text",
        )
        return None
    if unit not in AGE_UNITS:
        r.error(
            full, "IMP003", f'unknown age unit in "{value}"', "use Years, Months, Weeks or Days"
        )
        return None
    return f"{int(m.group(1))} {unit}"


def read_eligibility(r: Reader, module: dict[str, Any] | None, path: str) -> dict[str, Any]:
    """The ``eligibility`` mapping of the front matter (empty without the module)."""
    if module is None:
        return {}
    criteria = r.text(module, "eligibilityCriteria", path, long=True, markdown=True)
    include, exclude = split_criteria(criteria) if criteria else ([], [])
    whole = criteria if criteria and len(criteria) <= limit(Eligibility, "registry_text") else None
    return {
        "age_min": read_age(r, module, "minimumAge", path),
        "age_max": read_age(r, module, "maximumAge", path),
        "sex": r.enum(module, "sex", path, SEXES),
        "healthy_volunteers": r.get(module, "healthyVolunteers", path, "boolean"),
        "include": include,
        "exclude": exclude,
        "registry_text": whole,
    }
