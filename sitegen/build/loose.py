"""Readability of text that is not (or not yet) a valid page of the site.

Two uses: ``check FILE`` on any Markdown or text file anywhere (with or without front matter,
or standard input), and a page whose metadata has errors, so that the writer gets its
readability findings in the same run instead of one problem per run.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.build.pages import fields_from_data, gate_settings
from sitegen.content import frontmatter
from sitegen.content.config import SiteConfig
from sitegen.content.frontmatter import FrontMatter, dotted_value
from sitegen.content.model import PageMeta, StudyMeta, parse_meta
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.readability import PageCheck, ProseField, check_document, load_glossary, review_facts

#: front-matter fields whose text a patient reads, before the metadata is known to be valid
_LISTS = ("eligibility.include", "eligibility.exclude", "participation.procedures")
_SINGLE = ("title", "summary", "why_stopped", "participation.duration", "participation.remote",
           "support.payment", "support.travel", "support.other")  # fmt: skip


def raw_prose_fields(fm: FrontMatter) -> list[ProseField]:
    """The patient-facing text of front matter that may not validate (best effort)."""
    names = list(_SINGLE)
    for name in _LISTS:
        items = dotted_value(fm.data, name)
        if isinstance(items, list):
            names += [f"{name}.{i}" for i in range(len(items))]
    for name, key in (("eligibility.questions", "question"), ("interventions", "plain")):
        items = dotted_value(fm.data, name)
        if isinstance(items, list):
            names += [f"{name}.{i}.{key}" for i in range(len(items))]
    return fields_from_data(fm, names)


def check_text(
    display: str, text: str, config: SiteConfig, root: Path, *, kind: str = ""
) -> tuple[PageCheck | None, list[Diagnostic]]:
    """Check ``text`` (a whole file, shown as ``display``) with the site's settings.

    With front matter, it is validated as a study (``kind`` "study", or a ``status`` field)
    or a plain page, and its patient-facing fields are checked with the body; without, the
    whole text is the body. Metadata errors never stop the readability check.
    """
    diags: list[Diagnostic] = []
    text = text.lstrip("\ufeff")
    fm: FrontMatter | None = None
    body, body_line = text, 1
    if text.startswith("---"):
        parts = frontmatter.split(text.replace("\r\n", "\n"), display)
        if isinstance(parts, Diagnostic):
            diags.append(parts)
        else:
            body, body_line = parts[2], parts[3]
            fm, more = frontmatter.parse(text.replace("\r\n", "\n"), display)
            diags += more
    fields: list[ProseField] = []
    facts: list[tuple[str, str]] = []
    lang = config.language
    draft = False
    if fm is not None and isinstance(fm.data, dict):
        is_study = kind == "study" or (not kind and "status" in fm.data)
        _, more = parse_meta(fm, display, StudyMeta if is_study else PageMeta)
        diags += more
        fields = raw_prose_fields(fm)
        facts = review_facts(fm.data)
        if fm.data.get("lang") in ("en", "es"):
            lang = fm.data["lang"]
        draft = fm.data.get("draft") is True
    glossary = load_glossary(lang, tuple(root / g for g in config.readability.glossary))
    check = check_document(
        display,
        body,
        body_line,
        fields,
        lang=lang,
        settings=gate_settings(config, None),
        glossary=glossary,
        draft=draft,
        facts=facts,
    )
    return check, diags


def check_file(
    display: str, full: Path, config: SiteConfig, root: Path, *, kind: str = ""
) -> tuple[PageCheck | None, list[Diagnostic]]:
    """``check_text`` of a file, or the reason it cannot be read."""
    try:
        data = full.read_bytes()
    except OSError as exc:
        return None, [error(display, 0, 0, "SRC009", f"cannot read the file: {exc.strerror}")]
    if len(data) > config.max_file_kb * 1024:
        return None, [
            error(display, 0, 0, "SRC003", f"file is larger than {config.max_file_kb} KB")
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            error(display, 0, 0, "SRC001", f"not UTF-8 text (byte {exc.start}); save as UTF-8")
        ]
    if "\x00" in text:
        return None, [error(display, 0, 0, "SRC001", "the file contains NUL characters")]
    return check_text(display, text, config, root, kind=kind)
