"""A page body split at its ``##`` headings, and which generated block (eligibility
pre-screener, sites, contact) belongs after which section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

SLOTS = {
    "eligibility": {"who-can-take-part", "quien-puede-participar"},
    "sites": {"where-is-the-study-happening", "donde-se-hace-el-estudio"},
    "contact": {"how-do-i-find-out-more-or-join", "como-puedo-saber-mas-o-participar"},
}
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


@dataclass(frozen=True)
class Section:
    """A ``##`` section of a page body, and which generated block belongs after it."""

    id: str
    heading: Markup
    content: Markup
    slot: str


def split_sections(html: str) -> tuple[Markup, list[Section]]:
    """Split body HTML at its ``<h2>`` headings: (text before the first, sections)."""
    matches = list(_H2.finditer(html))
    if not matches:
        return Markup(html), []
    intro = Markup(html[: matches[0].start()])
    sections = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(html)
        slot = next((name for name, ids in SLOTS.items() if m.group(1) in ids), "")
        sections.append(Section(m.group(1), Markup(m.group(0)), Markup(html[m.end() : end]), slot))
    return intro, sections
