"""The "Is this study right for me?" pre-screener: its questions, from the eligibility metadata.

Questions, in order (3 to 6 for a typical study):

1. age (a number input), when the study has an age limit;
2. sex, when the study is for women only or men only;
3. "Has a doctor told you that you have this health condition: X?" for the study's first
   condition, unless the study takes healthy volunteers or one of the writer's questions
   already names a condition;
4. the writer's own yes/no questions (``eligibility.questions``) with the answer that fits;
5. "Is this true for you?" for every inclusion and exclusion bullet, with "I am not sure" as a
   third answer, except the bullets the writer lists in ``eligibility.not_asked``.

A "no" that does not fit gives "probably not for you"; "not sure" alone gives "maybe"; both
come with next steps (ask the study team, other studies for the condition).

The answer is computed in the browser by ``theme/static/prescreen.js`` from the JSON data
block this module writes; nothing is sent or stored. Pure: metadata and catalogue in, data out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sitegen.content.model import Eligibility, StudyMeta
from sitegen.i18n import Catalogue

#: statuses whose pages offer the pre-screener
PRESCREEN_STATUSES = frozenset({"recruiting", "not_yet_recruiting"})


@dataclass(frozen=True)
class Question:
    """One pre-screener question as the template renders it."""

    id: str
    kind: str  # "age" | "sex" | "yesno" | "bullet" (yes / no / not sure)
    text: str
    hint: str = ""
    expect: str = ""  # "yes" | "no" for yes/no questions; "female" | "male" for sex
    reason: str = ""  # shown when the answer does not fit


@dataclass(frozen=True)
class Prescreen:
    """The pre-screener of one study page."""

    questions: tuple[Question, ...]
    data: dict[str, Any]

    def json(self) -> str:
        """The data block, safe inside ``<script type="application/json">``."""
        text = json.dumps(self.data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def build_prescreen(
    meta: StudyMeta,
    cat: Catalogue,
    *,
    age_text: str,
    sex_text: str,
    contact_url: str | None,
    other_url: str | None = None,
    other_name: str | None = None,
) -> Prescreen | None:
    """The pre-screener for a study open to volunteers, else ``None``."""
    if meta.status not in PRESCREEN_STATUSES:
        return None
    elig = meta.eligibility
    age_min = elig.age_min.in_years() if elig and elig.age_min else None
    age_max = elig.age_max.in_years() if elig and elig.age_max else None
    questions: list[Question] = []
    if age_min is not None or age_max is not None:
        questions.append(
            Question(
                "ps-age",
                "age",
                cat.t("prescreen.age_question"),
                hint=cat.t("prescreen.age_hint"),
                reason=cat.t("prescreen.reason_age", ages=age_text),
            )
        )
    if elig and elig.sex in ("female", "male"):
        questions.append(
            Question(
                "ps-sex",
                "sex",
                cat.t("prescreen.sex_question"),
                expect=elig.sex,
                reason=cat.t("prescreen.reason_sex", sex=sex_text),
            )
        )
    questions += _condition_question(meta, cat)
    questions += _own_questions(elig, cat)
    questions += _bullet_questions(elig, cat)
    if not questions:
        return None
    data: dict[str, Any] = {
        "ageMin": age_min,
        "ageMax": age_max,
        "contactUrl": contact_url,
        "otherUrl": other_url,
        "otherText": (
            cat.t("prescreen.next_other", name=other_name or meta.conditions[0])
            if other_url
            else ""
        ),
        "questions": [
            {"id": q.id, "kind": q.kind, "expect": q.expect, "reason": q.reason} for q in questions
        ],
        "strings": {key: cat.t(f"prescreen.{key}") for key in _STRINGS},
    }
    return Prescreen(tuple(questions), data)


#: the interface strings the browser script shows (``prescreen.*`` in the catalogue)
_STRINGS = (
    "age_missing",
    "age_invalid",
    "answer_missing",
    "fit_title",
    "fit_text",
    "contact_link",
    "not_fit_title",
    "not_fit_text",
    "not_medical",
    "errors_found",
    "maybe_title",
    "maybe_text",
    "next_steps",
    "next_call",
)


def _condition_question(meta: StudyMeta, cat: Catalogue) -> list[Question]:
    """The question whether a doctor found the first condition, unless the study takes
    healthy volunteers or one of the writer's questions already names a condition."""
    elig = meta.eligibility
    own = elig.questions if elig else ()
    named = any(c.casefold() in q.question.casefold() for c in meta.conditions for q in own)
    if not meta.conditions or (elig and elig.healthy_volunteers) or named:
        return []
    condition = meta.conditions[0]
    return [
        Question(
            "ps-condition",
            "yesno",
            cat.t("prescreen.condition_question", name=condition),
            expect="yes",
            reason=cat.t("prescreen.reason_condition", name=condition),
        )
    ]


def _own_questions(elig: Eligibility | None, cat: Catalogue) -> list[Question]:
    """The writer's own yes/no questions, with the answer that fits."""
    out = []
    for i, q in enumerate(elig.questions if elig else (), 1):
        wrong = cat.t("no") if q.answer == "yes" else cat.t("yes")
        out.append(
            Question(
                f"ps-q{i}",
                "yesno",
                q.question,
                expect=q.answer,
                reason=cat.t("prescreen.reason_question", answer=wrong, question=q.question),
            )
        )
    return out


def _bullet_questions(elig: Eligibility | None, cat: Catalogue) -> list[Question]:
    """The question "Is this true for you?" for every inclusion and exclusion bullet not in
    ``not_asked``."""
    if not elig:
        return []
    out = []
    skip = set(elig.not_asked)
    for side, items, expect in (
        ("include", elig.include, "yes"),
        ("exclude", elig.exclude, "no"),
    ):
        for i, text in enumerate(items):
            if f"{side}.{i}" in skip:
                continue
            out.append(
                Question(
                    f"ps-{side[:2]}{i}",
                    "bullet",
                    cat.t("prescreen.bullet_question", text=text),
                    expect=expect,
                    reason=cat.t(f"prescreen.reason_{side}", text=text),
                )
            )
    return out
