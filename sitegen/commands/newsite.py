"""``sitegen init [FOLDER]``: start a new site of one's own.

A new site has a ``site.yml`` listing every setting (generated from ``config.SiteConfig``,
so a setting added there shows up here by itself: set ones as YAML, the others commented
out with their default and a one-line hint), empty ``content/studies/``, ``content/pages/``
and ``templates/`` folders, a ``.gitignore`` for what sitegen writes, and a first page that
passes the readability gate. ``example=True`` copies the example site shipped inside the
package instead (``sitegen/example/``). Nothing that exists is ever overwritten.
"""

from __future__ import annotations

import dataclasses
import json
import os
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from sitegen.content.config import SiteConfig
from sitegen.content.model import fields_of, yaml_name

EXAMPLE_DIR = Path(__file__).parent.parent / "example"
HINT_COLUMN = 44
FOLDERS = ("content/studies", "content/pages", "templates")

GITIGNORE = """\
# Written by sitegen: never edit these by hand, never commit them.
output/
output.*/
.output-*/
reports/
.sitegen-cache
.sitegen-preview/
"""

FIRST_PAGE = """\
---
title: "About us"
summary: "Who we are and how to reach us."
order: 1
---

We run health research studies. On this site you can read about each study in plain words.

You can ask us anything about a study. Taking part is always your choice.
"""

TEMPLATES_README = """\
# Templates

This folder is empty: the site uses sitegen's own theme. To change how pages look, first try
the settings under `brand:` in `site.yml` (name, logo, colours, footer text).

To change a page layout, copy a template from sitegen's theme into this folder under the same
name and edit it here. Files in `templates/static/` replace the theme's assets.
"""

#: example values for commented settings (YAML text), by dotted name
EXAMPLES: dict[str, str] = {
    "tagline": '"Health research you can join"',
    "description": '"Read about health research studies in plain words."',
    "organisation.phone": '"+1 555 0100"',
    "organisation.email": '"research@example.org"',
    "organisation.address": '"1 Hospital Road, Northfield"',
    "translations.lang": "es",
    "translations.title": '"Estudios clínicos"',
    "translations.tagline": '"Investigaciones en las que puede participar"',
    "translations.description": '"Lea sobre estudios de investigación en salud."',
    "translations.organisation": '"Oficina de investigación"',
    "brand.logo": '"logo.svg"',
    "brand.footer": '"Run by the research office of Northfield Hospital."',
    "readability.allow": "[COVID-19]",
    "readability.glossary": "[glossary.yml]",
    "feedback.endpoint": '"/feedback"',
    "feedback.email": '"research@example.org"',
    "accessibility.limitations.en": '"Search needs JavaScript."',
    "accessibility.limitations.es": '"La búsqueda necesita JavaScript."',
    "accessibility.contact": '"research@example.org"',
    "accessibility.reviewed": '"2026-01-15"',
    "completeness.topics.name": '"costs"',
    "completeness.topics.question.en": '"Will it cost me anything?"',
    "completeness.topics.question.es": '"¿Me costará algo?"',
    "completeness.topics.en": "[cost, pay]",
    "completeness.topics.es": "[costo, pagar]",
    "completeness.topics.fields": "[support.payment]",
    "completeness.topics.open_only": "true",
}


class InitError(Exception):
    """The site cannot be started here (the message says why)."""


@dataclass(frozen=True)
class NewSite:
    """What ``init`` wrote: the files (site-relative) and the empty folders it made."""

    files: list[str]
    folders: list[str]


def _unwrap(tp: Any) -> Any:
    if typing.get_origin(tp) in (Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def _yaml(value: Any) -> str:
    """A YAML scalar or flow list for a default value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, tuple):
        return json.dumps(list(value), ensure_ascii=False)
    if value is None:
        return '""'
    return json.dumps(value, ensure_ascii=False)


def _line(text: str, hint: str) -> str:
    return f"{text.ljust(HINT_COLUMN - 1)} # {hint}" if hint else text


def _doc(cls: type) -> str:
    doc = (cls.__doc__ or "").strip().split("\n")[0].rstrip(".")
    return doc[:1].lower() + doc[1:]


def _hint(f: dataclasses.Field[Any]) -> str:
    meta = f.metadata
    parts = [str(meta.get("help") or "")]
    if meta.get("choices"):
        parts.append("one of: " + ", ".join(meta["choices"]))
    if meta.get("max_len"):
        parts.append(f"{meta['max_len']} characters at most")
    return "; ".join(p for p in parts if p)


def setting_lines(
    cls: type, values: dict[str, str], *, prefix: str = "", indent: str = "", item: bool = False
) -> list[str]:
    """``site.yml`` lines for every field of ``cls``: names in ``values`` (dotted, YAML
    text) are set, the others commented out with their default (or an example) and a hint.
    Nested settings are expanded; a list of mappings gets one commented example item."""
    hints = typing.get_type_hints(cls)
    lines: list[str] = []
    for n, f in enumerate(fields_of(cls)):
        name = yaml_name(f)
        dotted = f"{prefix}{name}"
        tp = _unwrap(hints[f.name])
        inner = typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else None
        lead = f"{indent[:-2]}- " if item and n == 0 else indent
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            lines.append(_line(f"# {lead}{name}:", _doc(tp)))
            lines += setting_lines(tp, {}, prefix=f"{dotted}.", indent=indent + "  ")
            continue
        if dataclasses.is_dataclass(inner) and isinstance(inner, type):
            lines.append(_line(f"# {lead}{name}:", _hint(f) or _doc(inner)))
            lines += setting_lines(
                inner, {}, prefix=f"{dotted}.", indent=indent + "    ", item=True
            )
            continue
        if dotted in values:
            lines.append(_line(f"{lead}{name}: {values[dotted]}", _hint(f)))
            continue
        default = f.default if f.default is not dataclasses.MISSING else None
        example = EXAMPLES.get(dotted)
        if example is None:
            example = _yaml(default if default is not None else (() if inner else None))
        lines.append(_line(f"# {lead}{name}: {example}", _hint(f)))
    return lines


def site_yml(title: str, language: str = "en") -> str:
    """The text of a new site's ``site.yml``."""
    head = [
        "# This site's settings. Every setting sitegen knows is listed below.",
        "# Lines that start with # are ignored: delete the # (and nothing else) to use one.",
        "# The value shown is the default, or an example. More: docs/configuration.md",
        "",
    ]
    values = {"title": json.dumps(title, ensure_ascii=False), "language": language}
    return "\n".join([*head, *setting_lines(SiteConfig, values), ""])


def title_from_folder(folder: Path) -> str:
    """A site name made from a folder name: "heart-studies" -> "Heart studies"."""
    words = folder.name.replace("-", " ").replace("_", " ").split()
    if not words:
        return "Clinical studies"
    text = " ".join(words)
    return (text[:1].upper() + text[1:])[:80]


def plan(folder: Path, *, example: bool, title: str | None) -> dict[str, bytes]:
    """Every file ``init`` writes, site-relative, with its bytes."""
    files: dict[str, bytes] = {".gitignore": GITIGNORE.encode()}
    if example:
        # os.walk follows the links a checkout has in sitegen/example/ (an installed
        # package has plain files there)
        for dirpath, dirnames, filenames in os.walk(EXAMPLE_DIR, followlinks=True):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                p = Path(dirpath, name)
                files[p.relative_to(EXAMPLE_DIR).as_posix()] = p.read_bytes()
        return files
    name = title or title_from_folder(folder.resolve())
    files["site.yml"] = site_yml(name).encode("utf-8")
    files["content/pages/about.md"] = FIRST_PAGE.encode("utf-8")
    files["templates/README.md"] = TEMPLATES_README.encode("utf-8")
    return files


def create_site(folder: Path, *, example: bool = False, title: str | None = None) -> NewSite:
    """Write a new site into ``folder`` (made if missing). Raises ``InitError``, having
    written nothing, when a file it would write exists already or ``folder`` is a file."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder")
    files = plan(folder, example=example, title=title)
    taken = sorted(rel for rel in files if (folder / rel).exists())
    if (folder / "site.yml").exists() and "site.yml" not in taken:
        taken.insert(0, "site.yml")
    if taken:
        raise InitError(
            f"{folder} already has {', '.join(taken[:5])}"
            + (f" and {len(taken) - 5} more" if len(taken) > 5 else "")
            + "; nothing was written. Choose an empty or new folder"
        )
    made = [rel for rel in FOLDERS if not (folder / rel).is_dir()]
    for rel in FOLDERS:
        (folder / rel).mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as fh:
            fh.write(data)
    return NewSite(sorted(files), made)
