"""Completeness: a page answers the questions a patient asks (CP001).

A study page must say what the study is about, who can take part, what happens, the
possible risks and benefits, and how to take part. Each question is a *topic*: it is
answered by a heading of the page (``##`` or ``###``) that contains one of the topic's
words, or by front-matter data the page shows (eligibility criteria, what taking part
involves, contacts). Which topics each page type needs, and the words, are set in
``site.yml`` (``completeness``); these are the defaults.

Headings are compared folded: lower case, accents and punctuation dropped ("¿Quién puede
participar?" is "quien puede participar"); a word matches at the start of a word of the
heading, so "risk" matches "risks" and "eligib" matches "eligibility".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sitegen.readability.model import Finding, Required
from sitegen.readability.text import Prose


class Topic(NamedTuple):
    """A question a page must answer: its suggested heading and recognising words per
    language, the front-matter fields that answer it on their own, and whether it is
    needed only while a study looks for volunteers."""

    name: str
    question: Mapping[str, str]
    words: Mapping[str, tuple[str, ...]]
    fields: tuple[str, ...] = ()
    open_only: bool = False


TOPICS: dict[str, Topic] = {
    t.name: t
    for t in (
        Topic(
            "about",
            {"en": "What is this study about?", "es": "¿De qué trata este estudio?"},
            {
                "en": ("about", "purpose", "aim", "why is this study", "why are we",
                       "what is this study", "what does this study", "what is the study"),
                "es": ("de que trata", "sobre este estudio", "sobre el estudio", "proposito",
                       "objetivo", "por que se hace", "que es este estudio"),
            },
        ),
        Topic(
            "eligibility",
            {"en": "Who can take part?", "es": "¿Quién puede participar?"},
            {
                "en": ("who can take part", "who can join", "can i take part", "can i join",
                       "who is this study for", "eligib", "who we are looking for"),
                "es": ("quien puede", "quienes pueden", "puedo participar", "requisitos",
                       "para quien es"),
            },
            fields=("eligibility.include", "eligibility.exclude"),
            open_only=True,
        ),
        Topic(
            "procedures",
            {"en": "What will happen if I take part?", "es": "¿Qué pasará si participo?"},
            {
                "en": ("what will happen", "what happens", "what will i do", "what would i",
                       "taking part involve", "what is involved", "what to expect", "visits"),
                "es": ("que pasara", "que pasa", "que ocurrira", "que tendre que hacer",
                       "que implica", "que esperar", "visitas"),
            },
            fields=("participation.procedures",),
        ),
        Topic(
            "risks",
            {"en": "What are the possible benefits and risks?",
             "es": "¿Cuáles son los posibles beneficios y riesgos?"},
            {
                "en": ("risk", "benefit", "side effect", "harm", "safety"),
                "es": ("riesgo", "beneficio", "efectos secundarios", "efectos adversos",
                       "seguridad"),
            },
        ),
        Topic(
            "contact",
            {"en": "How do I find out more or join?", "es": "¿Cómo puedo saber más o participar?"},
            {
                "en": ("how do i join", "how can i join", "how to join", "how do i take part",
                       "how can i take part", "how to take part", "find out more", "contact",
                       "get in touch", "next step", "sign up"),
                "es": ("como puedo saber mas", "saber mas", "como participar",
                       "como puedo participar", "contacto", "contactar", "mas informacion",
                       "inscrib"),
            },
            fields=("contacts",),
            open_only=True,
        ),
    )
}  # fmt: skip

#: the topics a page type needs by default
DEFAULT_REQUIRED: dict[str, tuple[str, ...]] = {
    "study": ("about", "eligibility", "procedures", "risks", "contact"),
    "page": (),
}

_PUNCT = re.compile(r"[^\w\s]+")


def fold(text: str) -> str:
    """Lower case, without accents or punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_PUNCT.sub(" ", bare).split())


def _answers(heading: str, words: Iterable[str]) -> bool:
    folded = " " + fold(heading)
    return any(" " + fold(w) in folded for w in words if fold(w))


def _has_data(data: Mapping[str, Any], dotted: str) -> bool:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return False
        value = value.get(part)
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def required_for(
    topics: Sequence[Topic], lang: str, data: Mapping[str, Any], open_study: bool
) -> tuple[Required, ...]:
    """The topics a page still has to answer with a heading: those not answered by its
    front-matter data, and (``open_only``) only while the study looks for volunteers."""
    out = []
    for t in topics:
        if t.open_only and not open_study:
            continue
        if any(_has_data(data, f) for f in t.fields):
            continue
        words = t.words.get(lang) or t.words.get("en") or ()
        question = t.question.get(lang) or t.question.get("en") or t.name
        out.append(Required(t.name, question, tuple(words)))
    return tuple(out)


def missing_sections(prose: Prose, required: Sequence[Required]) -> list[Finding]:
    """CP001 for every required topic no ``##``/``###`` heading of the body answers."""
    headings = [b.text for b in prose.blocks if b.kind == "heading" and b.level in (2, 3)]
    out = []
    for r in required:
        if any(_answers(h, r.words) for h in headings):
            continue
        shown = ", ".join(f'"{w}"' for w in r.words[:4])
        out.append(
            Finding("completeness", "CP001", "error", 0, 0, "",
                    f'missing section: nothing on the page answers "{r.question}" '
                    f"(no heading with {shown} ...)",
                    suggestion=f'add a section "## {r.question}"', key=r.name)
        )  # fmt: skip
    return out
