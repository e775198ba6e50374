"""One content file as the build sees it: read and validated into a ``Page`` (``load_page``,
at its URL ``page_url``), and checked by the readability gate with the site's settings
(``check_page``: its patient-facing fields, metadata values, sign-offs and gate settings).

Used by the worker processes (``workers``), by ``check`` on loose files (``loose``) and by the
commands that work on one page (approve, translated); the pipeline runs it for every page.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sitegen.content import frontmatter, reader
from sitegen.content.config import SiteConfig
from sitegen.content.draft_texts import placeholder_texts
from sitegen.content.frontmatter import FrontMatter, dotted_value
from sitegen.content.model import (
    OPEN_STATUSES,
    PageMeta,
    ResultMeta,
    StudyMeta,
    condition_problems,
    effective_slug,
    parse_meta,
)
from sitegen.content.pages import Page
from sitegen.core.diagnostics import Diagnostic, Severity, error
from sitegen.core.urls import page_url
from sitegen.readability import (
    GateSettings,
    PageCheck,
    ProseField,
    check_document,
    load_glossary,
    review_facts,
)
from sitegen.readability import Signoff as GateSignoff
from sitegen.readability import Waiver as GateWaiver
from sitegen.readability.completeness import required_for
from sitegen.render.facts import study_checks

#: the front-matter fields whose positions ``site_checks`` reports problems at
SITE_CHECK_FIELDS = ("slug", "translation_key", "study")


def load_page(
    rel: str, kind: str, full: Path, config: SiteConfig, text: str | None = None
) -> tuple[Page | None, list[Diagnostic]]:
    """Read and validate one content file (``text``: its already decoded content)."""
    diags: list[Diagnostic] = []
    if text is None:
        src, more = reader.read_source(rel, kind, full, config.max_file_kb * 1024)
        diags += more
        if src is None:
            return None, diags
        text, stem = src.text, src.stem
    else:
        stem = full.name[: -len(".md")]
    fm, more = frontmatter.parse(text, rel)
    diags += more
    if fm is None:
        return None, diags
    cls = {"study": StudyMeta, "result": ResultMeta}.get(kind, PageMeta)
    meta, more = parse_meta(fm, rel, cls)
    diags += more
    if meta is None:
        if fm.data.get("draft") is True:  # a draft never stops a build, even unreadable
            diags = [draft_diagnostic(d) for d in diags]
        return None, diags
    if kind == "study":
        diags += study_checks(meta, fm, rel, date.today())
        more = condition_problems(meta, fm, rel)
        if more:
            return None, diags + more
    slug = effective_slug(meta, stem)
    if not slug:
        diags.append(error(rel, 0, 0, "SRC006", "cannot make a URL from the file name; set slug:"))
        return None, diags
    lang = meta.lang or config.language
    url = page_url(kind, slug, lang, config.language)
    return Page(rel, kind, meta, slug, lang, url, fm.body, fm.body_line, fm), diags


def load_pages(
    root: Path, config: SiteConfig, only: Sequence[str] | None = None
) -> tuple[list[Page], list[Diagnostic]]:
    """Read and validate content files (all of them, or the site-relative paths in ``only``)."""
    diags: list[Diagnostic] = []
    found, more = reader.discover(root, config.content_dir)
    diags += more
    if only is not None:
        wanted = set(only)
        found = [f for f in found if f[0] in wanted]
    pages: list[Page] = []
    for rel, kind, full in found:
        page, more = load_page(rel, kind, full, config)
        diags += more
        if page is not None:
            pages.append(page)
    return pages, diags


def prose_fields(page: Page) -> list[ProseField]:
    """The patient-facing front-matter text of a page, with its positions."""
    return meta_prose_fields(page.meta, page.fm)


def meta_prose_fields(meta: StudyMeta | PageMeta | ResultMeta, fm: FrontMatter) -> list[ProseField]:
    """``prose_fields`` of a page with metadata ``meta`` read from ``fm``."""
    names: list[str] = ["title", "summary"]
    if isinstance(meta, StudyMeta):
        names.append("why_stopped")
        if meta.eligibility:
            names += [f"eligibility.include.{i}" for i in range(len(meta.eligibility.include))]
            names += [f"eligibility.exclude.{i}" for i in range(len(meta.eligibility.exclude))]
            names += [
                f"eligibility.questions.{i}.question"
                for i in range(len(meta.eligibility.questions))
            ]
        names += [f"interventions.{i}.plain" for i in range(len(meta.interventions))]
        if meta.participation:
            names += ["participation.duration", "participation.remote"]
            names += [
                f"participation.procedures.{i}" for i in range(len(meta.participation.procedures))
            ]
        names += ["support.payment", "support.travel", "support.other"]
    if isinstance(meta, ResultMeta):
        names += [f"icon_arrays.{i}.label" for i in range(len(meta.icon_arrays))]
    return fields_from_data(fm, names)


def fields_from_data(fm: FrontMatter, names: Sequence[str]) -> list[ProseField]:
    """ProseFields for the dotted ``names`` that hold text in ``fm``."""
    out: list[ProseField] = []
    for name in names:
        value = dotted_value(fm.data, name)
        if not isinstance(value, str) or not value.strip():
            continue
        pos = fm.positions.get(name)
        if pos is None:
            continue
        out.append(ProseField(name, value, pos.line, pos.col, pos.exact))
    return out


#: front-matter values that are not shown to patients as text (``metadata_values`` skips them)
_NOT_SHOWN = frozenset({"signoff", "source", "readability", "draft", "lang", "status", "phase"})


def metadata_values(fm: FrontMatter, shown: Sequence[ProseField]) -> list[ProseField]:
    """Every other front-matter string (conditions, contacts, sites ...) with its position:
    the readability gate checks them for placeholders (PH005), never scores them."""
    skip = {f.name for f in shown}
    out: list[ProseField] = []

    def walk(value: Any, name: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if name or str(k) not in _NOT_SHOWN:
                    walk(v, f"{name}.{k}" if name else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{name}.{i}")
        elif isinstance(value, str) and value.strip() and name not in skip:
            pos = fm.positions.get(name)
            if pos is not None:
                out.append(ProseField(name, value, pos.line, pos.col, pos.exact))

    walk(fm.data, "")
    return out


def gate_settings(
    config: SiteConfig, meta: StudyMeta | PageMeta | ResultMeta | None
) -> GateSettings:
    """Site readability settings, with a page's own ``readability`` override (which can
    only tighten them unless a reviewer signs the page off: ``readability.gate.resolve``)."""
    r = config.readability
    own = meta.readability if meta is not None else None
    return GateSettings(
        target=r.target,
        limit=r.limit,
        page_target=own.target if own is not None else None,
        page_limit=own.limit if own is not None else None,
        block_on_replace_jargon=r.block_on_replace_jargon,
        # Promotional wording about results is always blocked (results.py, docs/results.md).
        block_on_promotional=r.block_on_promotional or isinstance(meta, ResultMeta),
        allow=frozenset(t.casefold() for t in r.allow),
        max_sentence_words=r.max_sentence_words,
        rare_word_zipf=r.rare_word_zipf,
        subjects=page_subjects(meta),
        clarity_min=r.clarity_min,
        placeholders=_placeholders()[0],
        example_values=_placeholders()[1],
    )


@cache
def _placeholders() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return placeholder_texts()


_SUBJECT_WORD = re.compile(r"[^\W\d_]{3,}")


def page_subjects(meta: StudyMeta | PageMeta | ResultMeta | None) -> frozenset[str]:
    """The lower-case words of a study's conditions and intervention names: what the page is
    about, which its readers meet by name (not rare words, JG005)."""
    if not isinstance(meta, StudyMeta):
        return frozenset()
    names = [*meta.conditions, *(i.name for i in meta.interventions)]
    return frozenset(w.lower() for n in names for w in _SUBJECT_WORD.findall(n))


def gate_signoff(meta: StudyMeta | PageMeta | ResultMeta | None) -> tuple[GateSignoff, ...]:
    """The reviewer sign-offs of a page, oldest first, in the readability package's terms."""
    if meta is None:
        return ()
    out = []
    for s in meta.signoff:
        waivers = tuple(GateWaiver(w.code, w.text, w.reason) for w in s.waive)
        accepted = None if s.accepted is None else tuple((a.code, a.count) for a in s.accepted)
        out.append(GateSignoff(s.by, str(s.date), s.text_hash, waivers, s.role or "", accepted))
    return tuple(out)


def check_page(page: Page, config: SiteConfig, root: Path) -> PageCheck:
    """Run the readability gate on one page."""
    glossary = load_glossary(page.lang, tuple(root / g for g in config.readability.glossary))
    fields = prose_fields(page)
    settings = gate_settings(config, page.meta)
    open_study = isinstance(page.meta, StudyMeta) and page.meta.status in OPEN_STATUSES
    topics = config.completeness.required(page.kind)
    if topics:
        required = required_for(topics, page.lang, page.fm.data, open_study)
        settings = dataclasses.replace(settings, required=required)
    return check_document(
        page.path,
        page.body,
        page.body_line,
        fields,
        lang=page.lang,
        settings=settings,
        glossary=glossary,
        signoff=gate_signoff(page.meta),
        draft=page.draft,
        facts=review_facts(page.fm.data),
        required_roles=config.review.roles,
        values=metadata_values(page.fm, fields),
    )


def draft_diagnostic(d: Diagnostic) -> Diagnostic:
    """A draft never stops a build or a check: its errors are shown as warnings."""
    if d.severity is Severity.ERROR:
        return dataclasses.replace(d, severity=Severity.WARNING, message=d.message + " (draft)")
    return d


#: a sentence per language for ``warm_checker``
_WARM_TEXT = {"en": "We will ask you how you feel.\n", "es": "Le preguntaremos cómo se siente.\n"}


def warm_checker(config: SiteConfig, root: Path, langs: Sequence[str]) -> None:
    """Load what checking a page in each of ``langs`` reads the first time (the dictionary,
    the site's glossaries, syllable and word-frequency tables: about 1.5 s), so that the
    preview's first rebuild after an edit does not wait for it."""
    extra = tuple(root / g for g in config.readability.glossary)
    for lang in langs:
        text = _WARM_TEXT.get(lang, _WARM_TEXT["en"])
        check_document("warm", text, 1, (), lang=lang, glossary=load_glossary(lang, extra))
