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

from sitegen.build.pipeline import RESERVED_SLUGS
from sitegen.content import results
from sitegen.content.draft_texts import EXAMPLES, HINTS, PLACEHOLDERS, SECTIONS
from sitegen.content.model import Age, Date, PageMeta, ResultMeta, StudyMeta, fields_of, yaml_name
from sitegen.core.urls import slugify

HINT_COLUMN = 44


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
    for key, *_ in results.ELEMENTS:
        hint = results.HINTS[key][1 if lang == "es" else 0]
        body += [f"## {results.heading(key, lang)}", "", f"<!-- {hint} -->", ""]
    return "\n".join(head + body)


def scaffold(kind: str, title: str, lang: str, content_dir: str = "content") -> Scaffold:
    """The path and text of a new ``study`` or ``page``; raises ``ScaffoldError`` for a title
    that cannot make one."""

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
