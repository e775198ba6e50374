"""``sitegen new study|page "Title"``: write a new draft content file to start from.

The front matter lists every field of the content model, generated from the dataclasses in
``model.py`` (so a field added there shows up here by itself): required fields are filled
with placeholders that validate, ``draft: true`` is set, and every other field is a commented
example with a one-line hint. A study body has the standard patient sections as ``##``
headings, each with a one-line hint as an HTML comment (never published, never scored).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from sitegen.content.model import (
    Age,
    Date,
    PageMeta,
    ResultMeta,
    StudyMeta,
    fields_of,
    slugify,
    yaml_name,
)

HINT_COLUMN = 44

#: one-line hints for fields (dotted front-matter names); others get one made from the model
HINTS: dict[str, str] = {
    "title": "the plain title a patient reads (80 characters at most)",
    "summary": "one or two short sentences: what the page is about, who it is for",
    "status": "one of: {choices}",
    "conditions": "the health problems the study is about, in everyday words",
    "nct_id": "the registry number, NCT followed by 8 digits",
    "other_ids": "other registry and sponsor numbers",
    "registry_title": "the official title from the registry; shown small, never scored",
    "acronym": "the study's short name, 14 characters at most",
    "slug": "the web address of the page; default: the file name",
    "lang": "language of the page: {choices}",
    "study_type": "one of: {choices}",
    "phase": "a list of: {choices}",
    "design": "how the study is set up",
    "design.masking": "who does not know which group a person is in: {choices}",
    "interventions": "each treatment, device or procedure tested",
    "interventions.name": "the name used in the study",
    "interventions.type": "one of: {choices}",
    "interventions.plain": "what it is, in plain words",
    "eligibility": "who can take part",
    "eligibility.age_min": 'youngest age, e.g. "18 years" or "6 months"',
    "eligibility.age_max": 'oldest age, e.g. "70 years"',
    "eligibility.include": 'short plain sentences: "You may be able to join if ..."',
    "eligibility.exclude": 'short plain sentences: "You cannot join if ..."',
    "eligibility.questions": "yes/no questions for the pre-screener",
    "participation": "what taking part involves",
    "participation.duration": 'how long a person takes part, e.g. "About 6 months"',
    "participation.remote": "what can be done from home, by phone or video",
    "support": "payment, travel costs and other help, stated plainly",
    "enrollment": "how many people the study needs",
    "dates": "key dates, YYYY-MM-DD or YYYY-MM",
    "sponsor": "who runs or pays for the study",
    "sites": "the places where the study happens",
    "contacts": "the study team people can call or e-mail",
    "why_stopped": "for terminated, suspended or withdrawn studies: why, in plain words",
    "last_known_status": "for status unknown: the last status the registry showed",
    "status_checked": "when the status was last checked against the registry",
    "updated": "when this page was last reviewed",
    "draft": "drafts are checked but never published; delete this line to publish",
    "tags": "short keywords for the page",
    "translation_key": "the same key on the translations of this page",
    "readability": "this page's own readability target and limit (grades)",
    "signoff": "written by 'sitegen approve'; do not write it by hand",
    "source": "set by 'sitegen import'",
    "order": "position in the site menu; pages without it are not in the menu",
}

#: example values shown in the commented lines (YAML text), by dotted name
EXAMPLES: dict[str, str] = {
    "nct_id": '"NCT01234567"',
    "phase": "[phase2]",
    "slug": '"my-study"',
    "translation_key": '"my-study"',
    "acronym": '"SHORT-NAME"',
    "eligibility.age_min": '"18 years"',
    "eligibility.age_max": '"70 years"',
    "participation.visits": "6",
    "participation.overnight_stays": "0",
    "enrollment.target": "100",
    "sites.lat": "51.5",
    "sites.lon": "-0.12",
    "sites.contact.email": '"study@example.org"',
    "contacts.email": '"study@example.org"',
    "readability.target": "8",
    "readability.limit": "10",
    "order": "10",
    "signoff.text_hash": '"sha256:..."',
}

SECTIONS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("What is this study about?", "The health problem and what the study wants to find out."),
        ("Who can take part?", "Who may join and who cannot, in short plain sentences."),
        ("What will happen if I take part?", "Visits, tests and how long it all takes."),
        ("What are the possible benefits and risks?", "Be fair: what may help, what may not."),
        ("Will I be paid or get travel costs?", "Money, travel costs and other help."),
        ("Where is the study happening?", "Towns and clinics; the list of sites comes after."),
        ("How do I find out more or join?", "Who to call, and that taking part is a free choice."),
    ],
    "es": [
        ("¿De qué trata este estudio?", "El problema de salud y lo que el estudio quiere saber."),
        ("¿Quién puede participar?", "Quién puede participar y quién no, en frases cortas."),
        ("¿Qué pasará si participo?", "Visitas, pruebas y cuánto tiempo dura todo."),
        ("¿Cuáles son los posibles beneficios y riesgos?", "Lo que puede ayudar y lo que no."),
        ("¿Me pagarán o me cubrirán los gastos de viaje?", "Dinero, viajes y otra ayuda."),
        ("¿Dónde se hace el estudio?", "Ciudades y centros; la lista de centros va después."),
        ("¿Cómo puedo saber más o participar?", "A quién llamar; participar es libre."),
    ],
}

PLACEHOLDERS: dict[str, dict[str, Any]] = {
    "en": {
        "summary": "Say in one or two short sentences what this study is about and who it is for.",
        "conditions": ["Name of the health problem"],
        "page_body": "Write the page here, in short sentences and everyday words.",
    },
    "es": {
        "summary": "Diga en una o dos frases cortas de qué trata el estudio y para quién es.",
        "conditions": ["Nombre del problema de salud"],
        "page_body": "Escriba aquí la página, con frases cortas y palabras de todos los días.",
    },
}


class ScaffoldError(ValueError):
    """The title cannot make a content file (the message says why)."""


@dataclass(frozen=True)
class Scaffold:
    """A new content file: its site-relative path and its text."""

    path: str
    text: str


def _yaml(value: Any) -> str:
    """A YAML scalar or flow list (JSON is valid YAML; keeps accents readable)."""
    return json.dumps(value, ensure_ascii=False)


def _unwrap(tp: Any) -> Any:
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0]
    return tp


def _auto_hint(f: dataclasses.Field[Any], tp: Any) -> str:
    meta = f.metadata
    parts: list[str] = []
    if meta.get("help"):
        parts.append(str(meta["help"]))
    if meta.get("choices"):
        parts.append("one of: " + ", ".join(meta["choices"]))
    elif meta.get("expect"):
        parts.append(str(meta["expect"]))
    if not parts:
        base = _unwrap(tp)
        if typing.get_origin(base) is tuple:
            parts.append("a list")
        elif dataclasses.is_dataclass(base) and isinstance(base, type):
            doc = (base.__doc__ or "").strip().split("\n")[0].rstrip(".")
            parts.append(doc[:1].lower() + doc[1:])
        else:
            parts.append(
                {str: "text", int: "a whole number", float: "a number", bool: "true or false",
                 Date: "a date, YYYY-MM-DD", Age: 'an age, e.g. "18 years"'}.get(base, "")
            )  # fmt: skip
    if meta.get("max_len") and "characters" not in parts[0]:
        parts.append(f"{meta['max_len']} characters at most")
    return "; ".join(p for p in parts if p)


def field_hint(f: dataclasses.Field[Any], tp: Any, dotted: str) -> str:
    """The one-line hint of a field: hand-written in ``HINTS`` or made from the model."""
    hint = HINTS.get(dotted)
    if hint is None:
        hint = _auto_hint(f, tp)
    else:
        hint = hint.format(choices=", ".join(f.metadata.get("choices") or ()))
    return f"required: {hint}" if f.metadata.get("required") else hint


def _example(f: dataclasses.Field[Any], tp: Any, dotted: str) -> str:
    if dotted in EXAMPLES:
        return EXAMPLES[dotted]
    base = _unwrap(tp)
    choices = f.metadata.get("choices") or ()
    default = f.default if f.default is not dataclasses.MISSING else None
    if typing.get_origin(base) is tuple:
        if choices:
            return _yaml([choices[0]])
        return ""
    if choices:
        return str(default) if default in choices else choices[0]
    if base is bool:
        return "true" if default else "false"
    if base is int:
        return "0"
    if base is float:
        return "0"
    if base is Date:
        return "YYYY-MM-DD"
    if base is Age:
        return '"18 years"'
    return '""'


def _line(text: str, hint: str) -> str:
    if not hint:
        return text
    return f"{text.ljust(HINT_COLUMN - 1)} # {hint}"


def field_lines(
    cls: type, values: dict[str, Any], *, prefix: str = "", indent: str = ""
) -> list[str]:
    """Front-matter lines for every field of ``cls``: set ones as YAML, others commented.

    ``values`` maps a top-level front-matter name to the YAML text of its value (a text that
    starts with a new line is a block). Nested dataclasses and lists of them are expanded,
    commented, with a hint on each line.
    """
    hints = typing.get_type_hints(cls)
    lines: list[str] = []
    for f in fields_of(cls):
        name = yaml_name(f)
        dotted = f"{prefix}{name}"
        tp = hints[f.name]
        hint = field_hint(f, tp, dotted)
        if not prefix and name in values:
            value = values[name]
            if value.startswith("\n"):
                lines.append(_line(f"{name}:", hint))
                lines.extend(value[1:].split("\n"))
            else:
                lines.append(_line(f"{name}: {value}", hint))
            continue
        lines.extend(_commented(f, tp, dotted, name, hint, indent))
    return lines


def _commented(
    f: dataclasses.Field[Any], tp: Any, dotted: str, name: str, hint: str, indent: str
) -> list[str]:
    base = _unwrap(tp)
    item = typing.get_args(base)[0] if typing.get_origin(base) is tuple else None
    nested = item if item is not None else base
    if dataclasses.is_dataclass(nested) and isinstance(nested, type) and nested not in (Age,):
        if dotted == "signoff":
            return [_line(f"# {indent}{name}:", hint)]
        head = [_line(f"# {indent}{name}:", hint)]
        if item is None:
            return head + field_lines(nested, {}, prefix=f"{dotted}.", indent=indent + "  ")
        # a list of mappings: the first key of the one example item carries the "- " marker
        inner = field_lines(nested, {}, prefix=f"{dotted}.", indent=indent + "    ")
        inner[0] = inner[0].replace(f"# {indent}    ", f"# {indent}  - ", 1)
        return head + inner
    if item is not None and not f.metadata.get("choices"):
        return [_line(f"# {indent}{name}:", hint), f'# {indent}  - ""']
    return [_line(f"# {indent}{name}: {_example(f, tp, dotted)}", hint)]


def study_text(title: str, lang: str) -> str:
    """The text of a new draft study page."""
    ph = PLACEHOLDERS.get(lang, PLACEHOLDERS["en"])
    conditions = "\n" + "\n".join(f"  - {_yaml(c)}" for c in ph["conditions"])
    values = {
        "title": _yaml(title),
        "summary": _yaml(ph["summary"]),
        "status": "not_yet_recruiting",
        "conditions": conditions,
        "lang": lang,
        "draft": "true",
    }
    head = [
        "---",
        "# A new study page. Fill in what you know and delete the lines you do not need.",
        "# Lines that start with # are ignored. Every field: docs/content-model.md",
        *field_lines(StudyMeta, values),
        "---",
        "",
    ]
    body: list[str] = []
    for heading, hint in SECTIONS.get(lang, SECTIONS["en"]):
        body += [f"## {heading}", "", f"<!-- {hint} -->", ""]
    return "\n".join(head + body)


def page_text(title: str, lang: str) -> str:
    """The text of a new draft plain page."""
    ph = PLACEHOLDERS.get(lang, PLACEHOLDERS["en"])
    values = {"title": _yaml(title), "lang": lang, "draft": "true"}
    head = [
        "---",
        "# A new page. Fill in what you know and delete the lines you do not need.",
        "# Lines that start with # are ignored. Every field: docs/content-model.md",
        *field_lines(PageMeta, values),
        "---",
        "",
        f"<!-- {ph['page_body']} -->",
        "",
    ]
    return "\n".join(head)


def result_text(title: str, lang: str) -> str:
    """The text of a new draft results page: the ten Annex V sections with what each says."""
    from sitegen.content.results import ELEMENTS, HINTS, heading

    study = "../studies/estudio.md" if lang == "es" else "../studies/the-study.md"
    values = {"title": _yaml(title), "lang": lang, "draft": "true", "study": _yaml(study)}
    ph = PLACEHOLDERS.get(lang, PLACEHOLDERS["en"])
    values["summary"] = _yaml(ph["summary"])
    head = [
        "---",
        "# A new results page: a study's results in plain words (docs/results.md).",
        "# Set study: to the study page's file. Lines that start with # are ignored.",
        *field_lines(ResultMeta, values),
        "---",
        "",
    ]
    body: list[str] = []
    for key, *_ in ELEMENTS:
        hint = HINTS[key][1 if lang == "es" else 0]
        body += [f"## {heading(key, lang)}", "", f"<!-- {hint} -->", ""]
    return "\n".join(head + body)


def scaffold(kind: str, title: str, lang: str, content_dir: str = "content") -> Scaffold:
    """The path and text of a new ``study`` or ``page``; raises ``ScaffoldError`` for a title
    that cannot make one."""
    from sitegen.build.pipeline import RESERVED_SLUGS

    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("the title is empty")
    limit = StudyMeta.__dataclass_fields__["title"].metadata["max_len"]
    if len(title) > limit:
        raise ScaffoldError(
            f"the title has {len(title)} characters; the limit is {limit}. Shorter is easier "
            "to read: keep the details for the page"
        )
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("cannot make a file name from the title; use some letters or digits")
    if kind == "page" and slug in RESERVED_SLUGS:
        raise ScaffoldError(f'"{slug}" is a web address sitegen uses itself; choose another title')
    if kind == "study":
        return Scaffold(f"{content_dir}/studies/{slug}.md", study_text(title, lang))
    if kind == "result":
        return Scaffold(f"{content_dir}/results/{slug}.md", result_text(title, lang))
    return Scaffold(f"{content_dir}/pages/{slug}.md", page_text(title, lang))


def write_new(root: Path, new: Scaffold) -> Path:
    """Create the file; raises ``FileExistsError`` rather than overwrite anything."""
    full = root / new.path
    full.parent.mkdir(parents=True, exist_ok=True)
    with open(full, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(new.text)
    return full


def placeholder_texts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What ``new`` writes that must never reach a patient, in every language.

    First the hint sentences (section hints, the summary and page placeholders), found
    anywhere in the text; then the texts that are placeholders only as a whole value: the
    example values of fields (a condition named like the template's, the example e-mail
    address and registry number ...) and the field hints of five words or more. The
    readability gate refuses both (PH001, PH005).
    """
    hints: list[str] = []
    examples: list[str] = []
    for lang, sections in SECTIONS.items():
        hints += [hint for _, hint in sections]
        ph = PLACEHOLDERS[lang]
        hints += [ph["summary"], ph["page_body"]]
        examples += list(ph["conditions"])
    for text in EXAMPLES.values():
        value = json.loads(text) if text.startswith('"') else None
        if isinstance(value, str) and value and not any(ch.isdigit() for ch in value[:2]):
            examples.append(value)
    headings = {h.casefold().rstrip("?") for sections in SECTIONS.values() for h, _ in sections}
    examples += [
        h for h in HINTS.values() if "{" not in h and len(h.split()) >= 5 and h not in headings
    ]
    return tuple(dict.fromkeys(hints)), tuple(dict.fromkeys(examples))
