"""The readability checker: scores, jargon and the publication gate for patient pages.

The pipeline calls ``check_document`` once per page with the Markdown body and the
patient-facing front-matter strings (``ProseField``); the result (``PageCheck``) carries the
verdict, the gate grade, every textstat score, per-section scores and located findings as
plain data; ``formats`` turns it into diagnostics, JSON or (with ``to_sarif``) SARIF. See
``GATE.md`` for the gate grade and ``CODES.md`` for the diagnostic codes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: the module each name of the package comes from. They are imported on first use, so that a
#: command that needs only the light modules (``model``, ``completeness``: the settings file
#: reads them) does not load the word lists behind ``check`` (about 0.15 s of imports on every
#: no-change build before).
_HOMES = {
    "check_document": "check",
    "to_sarif": "formats",
    "review_facts": "gate",
    "review_text": "gate",
    "text_hash": "gate",
    "Entry": "jargon",
    "Glossary": "jargon",
    "load_glossary": "jargon",
    "make_glossary": "jargon",
    "Finding": "model",
    "GateSettings": "model",
    "PageCheck": "model",
    "ProseField": "model",
    "SectionScore": "model",
    "Signoff": "model",
    "Waiver": "model",
}


def __getattr__(name: str) -> Any:
    """A name of the package, imported from its module on first use (``_HOMES``)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"sitegen.readability.{home}"), name)
    globals()[name] = value
    return value


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
