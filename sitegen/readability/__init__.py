"""The readability checker: scores, jargon and the publication gate for patient pages.

The pipeline calls ``check_document`` once per page with the Markdown body and the
patient-facing front-matter strings (``ProseField``); the result (``PageCheck``) carries the
verdict, the gate grade, every textstat score, per-section scores and located findings as
plain data; ``formats`` turns it into diagnostics, JSON or (with ``to_sarif``) SARIF. See
``GATE.md`` for the gate grade and ``CODES.md`` for the diagnostic codes.
"""

from __future__ import annotations

from sitegen.readability.check import check_document
from sitegen.readability.formats import to_sarif
from sitegen.readability.gate import review_facts, review_text, text_hash
from sitegen.readability.jargon import Entry, Glossary, load_glossary, make_glossary
from sitegen.readability.model import (
    Finding,
    GateSettings,
    PageCheck,
    ProseField,
    SectionScore,
    Signoff,
    Waiver,
)

__all__ = [
    "Entry",
    "Finding",
    "GateSettings",
    "Glossary",
    "PageCheck",
    "ProseField",
    "SectionScore",
    "Signoff",
    "Waiver",
    "check_document",
    "load_glossary",
    "make_glossary",
    "review_facts",
    "review_text",
    "text_hash",
    "to_sarif",
]
