"""ClinicalTrials.gov API v2 importer: a study record (JSON) -> a draft study page (Markdown).

``parse_record`` maps one record to front matter (``docs/content-model.md``, lower-case codes)
and a Markdown body with the patient sections, as pure data. ``load_record`` reads one file.
``import_paths`` is the only function that writes: one ``<slug>.md`` per valid record, each
written atomically, never over an existing page unless asked to.

Every problem is a ``Diagnostic`` (codes ``IMP0xx``) naming the file and the JSON path of the
field, e.g. ``protocolSection.statusModule.overallStatus``; bad input never raises. A record
with an error writes nothing.

Registry text is untrusted: HTML tags are stripped (``nh3``), ClinicalTrials.gov's Markdown
backslash escapes (``\\<``, ``\\*``, ``\\[`` ...) are undone for the plain front-matter strings,
and text placed in the body is escaped so that it cannot become HTML or Markdown syntax.
Contact names, phones and e-mails are real published data and are copied exactly.

Codes:

* IMP001 error: the file is not valid JSON (or is truncated, or not UTF-8)
* IMP002 error: a required field is missing or empty
* IMP003 error: a field has the wrong type or format
* IMP004 error: a field has a value outside the registry's vocabulary
* IMP005 error: a long text field ends in "..." and looks truncated
* IMP006 warning: HTML markup was removed from registry text
* IMP007 warning: a value the content model cannot hold was left out
* IMP008 error: the page already exists and was not overwritten
* IMP009 error: the same study appears twice in one import
* IMP010 error: a file or folder could not be read or written
* IMP011 error: a result refers to a group id its module does not list (``ctgov_results``)
* IMP012 warning: control, direction-override or lone surrogate characters were removed
* IMP013 error: the page made from the record would not build (too large, invalid)
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard

import nh3
import yaml

from sitegen.content.model import EMAIL_RE, Design
from sitegen.core.diagnostics import Diagnostic, did_you_mean, error, warning
from sitegen.core.textsafety import printable, strip_unsafe
from sitegen.i18n import catalogue
from sitegen.render.facts import masking_sentence

# --------------------------------------------------------------------------------------------
# Registry vocabulary (ClinicalTrials.gov API v2 enums) accepted by the importer.

STATUSES = (
    "NOT_YET_RECRUITING",
    "RECRUITING",
    "ENROLLING_BY_INVITATION",
    "ACTIVE_NOT_RECRUITING",
    "SUSPENDED",
    "TERMINATED",
    "COMPLETED",
    "WITHDRAWN",
    "UNKNOWN",
)
PHASES = ("EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA")
STUDY_TYPES = ("INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS")
ALLOCATIONS = ("RANDOMIZED", "NON_RANDOMIZED", "NA")
MASKINGS = ("NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE")
WHO_MASKED = ("PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR")
INTERVENTION_TYPES = (
    "DRUG",
    "BIOLOGICAL",
    "DEVICE",
    "PROCEDURE",
    "RADIATION",
    "BEHAVIORAL",
    "DIETARY_SUPPLEMENT",
    "DIAGNOSTIC_TEST",
    "COMBINATION_PRODUCT",
    "GENETIC",
    "OTHER",
)
ARM_TYPES = (
    "EXPERIMENTAL",
    "ACTIVE_COMPARATOR",
    "PLACEBO_COMPARATOR",
    "SHAM_COMPARATOR",
    "NO_INTERVENTION",
    "OTHER",
)
SEXES = ("ALL", "FEMALE", "MALE")
COUNT_TYPES = ("ACTUAL", "ESTIMATED")
SITE_STATUSES = (
    "RECRUITING",
    "NOT_YET_RECRUITING",
    "ACTIVE_NOT_RECRUITING",
    "COMPLETED",
    "SUSPENDED",
    "TERMINATED",
    "WITHDRAWN",
    "ENROLLING_BY_INVITATION",
    "AVAILABLE",
)
CONTACT_ROLES = (
    "CONTACT",
    "PRINCIPAL_INVESTIGATOR",
    "SUB_INVESTIGATOR",
    "STUDY_DIRECTOR",
    "STUDY_CHAIR",
)
AGENCY_CLASSES = (
    "INDUSTRY",
    "NIH",
    "FED",
    "OTHER_GOV",
    "INDIV",
    "NETWORK",
    "OTHER",
    "AMBIG",
    "UNKNOWN",
)

NCT_RE = re.compile(r"^NCT\d{8}$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
AGE_RE = re.compile(r"^(\d{1,3})\s+([A-Za-z]+)$")
AGE_UNITS = ("year", "years", "month", "months", "week", "weeks", "day", "days")
ISRCTN_RE = re.compile(r"^ISRCTN\d{8}$")

TITLE_MAX = 80
SUMMARY_MAX = 300
SLUG_TITLE_MAX = 60
REGISTRY_URL = "https://clinicaltrials.gov/study/"

# Limits of the content model (sitegen/content/model.py); a longer registry value is left out.
_LIMITS = {
    "acronym": 14,
    "registry_title": 600,
    "why_stopped": 500,
    "eu_ct": 40,
    "sponsor_protocol": 60,
    "sponsor": 200,
    "intervention": 200,
    "site_name": 200,
    "place": 100,
    "postal_code": 20,
    "contact_name": 200,
    "phone": 60,
    "email": 200,
}

_OPEN = ("recruiting", "not_yet_recruiting", "enrolling_by_invitation")


# --------------------------------------------------------------------------------------------
# Result


@dataclass(frozen=True)
class ImportedStudy:
    """One imported study: the page's slug, front matter (plain data) and Markdown body."""

    nct_id: str
    slug: str
    front_matter: dict[str, Any] = field(hash=False)
    body: str
    #: the record's ``resultsSection`` as read (None: no results), and its JSON path
    results: Any = field(default=None, hash=False, compare=False, repr=False)
    results_path: str = "resultsSection"

    def to_markdown(self) -> str:
        """Return the whole page: YAML front matter between ``---`` lines, then the body."""
        meta = yaml.safe_dump(self.front_matter, sort_keys=False, allow_unicode=True, width=100)
        return "---\n" + meta + "---\n\n" + self.body


# --------------------------------------------------------------------------------------------
# Typed access to the JSON record, collecting diagnostics with JSON paths.


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_KINDS: dict[str, str] = {
    "object": "an object",
    "list": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int)
    return isinstance(value, int | float) and math.isfinite(value)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Reader:
    """Reads fields of one record by JSON path; every problem becomes a diagnostic."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.diags: list[Diagnostic] = []

    def error(self, path: str, code: str, message: str, hint: str = "") -> None:
        where = f"{path}: " if path else ""
        self.diags.append(error(self.source, 0, 0, code, where + message, hint))

    def warn(self, path: str, code: str, message: str, hint: str = "") -> None:
        where = f"{path}: " if path else ""
        self.diags.append(warning(self.source, 0, 0, code, where + message, hint))

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diags)

    def get(
        self, obj: dict[str, Any] | None, key: str, path: str, kind: str, *, required: bool = False
    ) -> Any:
        """Return ``obj[key]`` if it has the expected kind; None (and a diagnostic) if not."""
        full = _join(path, key)
        value = obj.get(key) if obj is not None else None
        if value is None:
            if required:
                self.error(full, "IMP002", "missing required field")
            return None
        if not _is_kind(value, kind):
            self.error(full, "IMP003", f"expected {_KINDS[kind]}, got {_describe(value)}")
            return None
        if kind == "string" and not value.strip():
            if required:
                self.error(full, "IMP002", "required field is empty")
            return None
        return value

    def obj(
        self, parent: dict[str, Any] | None, key: str, path: str, *, required: bool = False
    ) -> dict[str, Any] | None:
        return self.get(parent, key, path, "object", required=required)

    def items(
        self, parent: dict[str, Any] | None, key: str, path: str, kind: str = "object"
    ) -> list[tuple[str, Any]]:
        """The items of a list field that have ``kind``, with their JSON paths."""
        full = _join(path, key)
        values = self.get(parent, key, path, "list") or []
        out = []
        for i, item in enumerate(values):
            item_path = _join(full, i)
            if item is None:
                continue
            if not _is_kind(item, kind):
                self.error(item_path, "IMP003", f"expected {_KINDS[kind]}, got {_describe(item)}")
                continue
            out.append((item_path, item))
        return out

    def enum(
        self,
        parent: dict[str, Any] | None,
        key: str,
        path: str,
        choices: tuple[str, ...],
        *,
        required: bool = False,
    ) -> str | None:
        """A registry code from ``choices``, returned lower-case."""
        value = self.get(parent, key, path, "string", required=required)
        if value is None:
            return None
        return self.code(value, _join(path, key), choices)

    def code(self, value: str, path: str, choices: tuple[str, ...]) -> str | None:
        """Check one registry code against ``choices``; return it lower-case."""
        code = value.strip().upper()
        if code in choices:
            return code.lower()
        self.error(
            path,
            "IMP004",
            f'expected one of {", ".join(choices)}, got "{value}"{did_you_mean(code, choices)}',
        )
        return None

    def text(
        self,
        parent: dict[str, Any] | None,
        key: str,
        path: str,
        *,
        required: bool = False,
        long: bool = False,
        markdown: bool = False,
    ) -> str | None:
        """A registry string, HTML removed; ``markdown`` undoes backslash escapes."""
        full = _join(path, key)
        value = self.get(parent, key, path, "string", required=required)
        if value is None:
            return None
        if long and value.rstrip().endswith(("...", "…")):
            self.error(
                full,
                "IMP005",
                'text ends in "..." and looks truncated',
                "import the complete record from ClinicalTrials.gov, not a trimmed copy",
            )
            return None
        cleaned, removed = strip_html(value)
        if removed:
            self.warn(full, "IMP006", "HTML markup was removed from the registry text")
        if markdown:
            cleaned = unescape_markdown(cleaned)
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not cleaned:
            if required:
                self.error(full, "IMP002", "required field is empty")
            return None
        return cleaned

    def line(
        self,
        parent: dict[str, Any] | None,
        key: str,
        path: str,
        *,
        required: bool = False,
        limit: int = 0,
    ) -> str | None:
        """A one-line registry string (whitespace collapsed) within ``limit`` characters."""
        value = self.text(parent, key, path, required=required)
        if value is None:
            return None
        value = one_line(value)
        if limit and len(value) > limit:
            self.warn(
                _join(path, key),
                "IMP007",
                f"{len(value)} characters, more than the content model's {limit}; left out",
            )
            return None
        return value

    def exact(
        self,
        parent: dict[str, Any] | None,
        key: str,
        path: str,
        *,
        limit: int = 0,
        pattern: re.Pattern[str] | None = None,
    ) -> str | None:
        """A contact detail copied exactly (only surrounding spaces trimmed)."""
        value = self.get(parent, key, path, "string")
        if value is None:
            return None
        value = value.strip()
        full = _join(path, key)
        if limit and len(value) > limit:
            self.warn(
                full,
                "IMP007",
                f"{len(value)} characters, more than the content model's {limit}; left out",
            )
            return None
        if pattern is not None and not pattern.match(value):
            self.warn(
                full,
                "IMP007",
                f'"{value}" is not an e-mail address the content model accepts; left out',
            )
            return None
        return value


# --------------------------------------------------------------------------------------------
# Text helpers (pure)

_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WS_RE = re.compile(r"\s+")


def strip_html(text: str) -> tuple[str, bool]:
    """Remove HTML tags and comments from registry text; return (text, whether any removed).

    The registry escapes a literal ``<`` as ``\\<``; those are kept as text, as are ``&``
    sequences (``&lt;`` stays the four characters it is in the registry).
    """
    if "<" not in text:
        return text, False
    plain = text.replace("\\<", "<").replace("\\>", ">")
    protected = text.replace("&", "&amp;").replace("\\<", "&lt;").replace("\\>", "&gt;")
    cleaned = html.unescape(nh3.clean(protected, tags=set()))
    normal = plain.replace("\r\n", "\n").replace("\r", "\n")
    return cleaned, cleaned != normal


def unescape_markdown(text: str) -> str:
    """Undo Markdown backslash escapes: ``\\<`` -> ``<``, ``\\*`` -> ``*``, ``\\\\`` -> ``\\``."""
    return _MD_ESCAPE_RE.sub(r"\1", text)


def one_line(text: str) -> str:
    """Collapse all whitespace (including line breaks) to single spaces."""
    return _WS_RE.sub(" ", text).strip()


_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "versus",
        "with",
        "without",
        "after",
        "before",
        "among",
        "between",
        "during",
    }
)


def cut_words(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, without a dangling
    connecting word, open bracket or trailing punctuation."""
    if len(text) <= limit:
        return text
    words = text.split(" ")
    out: list[str] = []
    for word in words:
        if len(" ".join([*out, word])) > limit:
            break
        out.append(word)
    if not out:  # one very long word
        return text[:limit]
    while True:
        candidate = " ".join(out).rstrip(" ,;:–—-/(")
        if candidate.count("(") > candidate.count(")"):
            candidate = candidate[: candidate.rfind("(")].rstrip(" ,;:–—-/(")
        words = candidate.split(" ")
        if len(words) > 1 and words[-1].lower() in _STOP_WORDS:
            out = words[:-1]
            continue
        return candidate


_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "vs",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "no",
        "nos",
        "approx",
        "fig",
        "al",
        "st",
        "inc",
        "ltd",
        "co",
        "ca",
        "cf",
        "resp",
    }
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split one paragraph into sentences (a simple rule that knows common abbreviations)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        before = text[start : m.start()].rsplit(" ", 1)[-1].lower()
        if before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def make_summary(text: str) -> str:
    """The first one or two sentences of the first paragraph, at most 300 characters."""
    blocks = parse_blocks(text)
    if not blocks:
        return ""
    first = sentences(blocks[0].joined())
    if not first:
        return ""
    summary = first[0]
    if len(summary) > SUMMARY_MAX:
        return cut_words(summary, SUMMARY_MAX - 1) + "…"
    if len(first) > 1 and len(summary) < 100 and len(summary) + 1 + len(first[1]) <= SUMMARY_MAX:
        summary += " " + first[1]
    return summary


def slugify(text: str, limit: int = SLUG_TITLE_MAX) -> str:
    """Lower-case ASCII letters, digits and single hyphens, cut to ``limit`` at a hyphen."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out: list[str] = []
    for word in text.lower().split():  # cut between the title's words, not inside "pre-term"
        part = "-".join(w for w in re.split(r"[^a-z0-9]+", word) if w)
        if not part:
            continue
        if len("-".join([*out, part])) > limit:
            if not out:
                out.append(part[:limit].strip("-"))
            break
        out.append(part)
    while len(out) > 1 and out[-1] in _STOP_WORDS:
        out.pop()
    return "-".join(out)


def make_slug(title: str, nct_id: str) -> str:
    """The page slug: the title's words (at most 60 characters) and the NCT id."""
    base = slugify(title)
    return f"{base}-{nct_id.lower()}" if base else nct_id.lower()


# --------------------------------------------------------------------------------------------
# Markdown-ish blocks: paragraphs and list items (with nested items), as the registry writes.

_ITEM_RE = re.compile(r"^(?:[*\-+•]|\d{1,3}[.)]|[A-Za-z]\)|\((?:\d{1,3}|[A-Za-z]|[ivx]+)\))\s+")
_CRITERIA_HEADING_RE = re.compile(
    r"^[#*_ ]*(?:key\s+)?(inclusion|exclusion|eligibility)\s+criteri[a-z]*\s*:?[*_ ]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Block:
    """A paragraph or list item; ``children`` are nested items (each a list of lines)."""

    kind: str  # "para", "item" or "heading"
    lines: list[str]
    children: list[list[str]] = field(default_factory=list)

    def joined(self) -> str:
        """The block's own text on one line."""
        return one_line(" ".join(self.lines))

    def child_texts(self) -> list[str]:
        """Each nested item's text on one line."""
        return [one_line(" ".join(c)) for c in self.children]


def parse_blocks(text: str, headings: re.Pattern[str] | None = None) -> list[Block]:
    """Split registry text into paragraphs and list items; nested items by indentation.

    A line matching ``headings`` becomes a ``heading`` block of its own.
    """
    lines = text.expandtabs(4).split("\n")
    indents = [len(x) - len(x.lstrip()) for x in lines if _ITEM_RE.match(x.lstrip())]
    base = min(indents) if indents else 0
    blocks: list[Block] = []
    current: Block | None = None
    blank = True
    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        indent = len(raw) - len(raw.lstrip())
        nested = indent >= base + 2
        m = _ITEM_RE.match(stripped)
        if headings is not None and headings.match(stripped):
            blocks.append(Block("heading", [stripped]))
            current = None
        elif m:
            content = stripped[m.end() :]
            while (again := _ITEM_RE.match(content)) is not None:  # "* 10. text" -> "text"
                content = content[again.end() :]
            if nested and current is not None and current.kind == "item":
                current.children.append([content])
            else:
                current = Block("item", [content])
                blocks.append(current)
        elif current is not None and (not blank or (nested and current.kind == "item")):
            if current.children and (nested or not blank):
                current.children[-1].append(stripped)
            else:
                current.lines.append(stripped)
        else:
            current = Block("para", [stripped])
            blocks.append(current)
        blank = False
    return blocks


def _criterion(block: Block) -> str:
    """One bullet string: the item text, with nested items joined as ``parent: a; b``."""
    text = block.joined()
    children = [c for c in block.child_texts() if c]
    if not children:
        return text.rstrip(" ;,")
    parts = [c.rstrip(" ;,.") for c in children[:-1]] + [children[-1].rstrip(" ;,")]
    head = text.rstrip(" ;,:")
    return f"{head}: {'; '.join(parts)}" if head else "; ".join(parts)


def split_criteria(text: str) -> tuple[list[str], list[str]]:
    """Split ``eligibilityCriteria`` (already unescaped) into include and exclude bullets.

    Text before any heading counts as inclusion criteria. Paragraphs that are not list items
    become bullets of their own.
    """
    include: list[str] = []
    exclude: list[str] = []
    target = include
    for block in parse_blocks(text, _CRITERIA_HEADING_RE):
        if block.kind == "heading":
            m = _CRITERIA_HEADING_RE.match(block.lines[0])
            kind = m.group(1).lower() if m else "inclusion"
            target = exclude if kind == "exclusion" else include
            continue
        bullet = _criterion(block)
        if bullet:
            target.append(bullet)
    return include, exclude


# --------------------------------------------------------------------------------------------
# Markdown output escaping

_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START_ENTITIES = {"=": "&#61;", "~": "&#126;", ":": "&#58;", "|": "&#124;"}


def md_escape(text: str) -> str:
    """Escape one line of registry text for the Markdown body.

    The result renders as the same characters: no HTML, no links, no emphasis, and no block
    syntax (heading, quote, list, rule, code) at the start of the line.
    """
    text = one_line(text)
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
    text = _ENTITY_RE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    text = re.sub(r"([`*\[\]{}])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    if not text:
        return text
    m = re.match(r"^(\d+)([.)])(?=\s|$)", text)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{text[m.end() :]}"
    if text[0] in "#>" or re.match(r"^([-+])(?:\s|\1|$)", text):
        return "\\" + text
    if text[0] in _LINE_START_ENTITIES:
        return _LINE_START_ENTITIES[text[0]] + text[1:]
    return text


def _blocks_markdown(text: str) -> list[str]:
    """Registry prose as Markdown paragraphs and bullet lists (all text escaped)."""
    out: list[str] = []
    items: list[str] = []
    for block in parse_blocks(text):
        if block.kind == "item":
            items.append(f"- {md_escape(block.joined())}")
            items.extend(f"    - {md_escape(c)}" for c in block.child_texts() if c)
            continue
        if items:
            out.append("\n".join(items))
            items = []
        out.append(md_escape(block.joined()))
    if items:
        out.append("\n".join(items))
    return out


# --------------------------------------------------------------------------------------------
# Mapping


def _prune(value: Any) -> Any:
    """Drop None and empty strings, lists and mappings, recursively (False and 0 are kept)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [_prune(v) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    return value


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def _date(r: _Reader, parent: dict[str, Any] | None, key: str, path: str) -> str | None:
    value = r.get(parent, key, path, "string")
    if value is None:
        return None
    value = value.strip()
    m = DATE_RE.match(value)
    ok = False
    if m:
        try:
            date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            ok = True
        except ValueError:
            ok = False
    if not ok:
        r.error(_join(path, key), "IMP003", f'expected a date YYYY-MM-DD or YYYY-MM, got "{value}"')
        return None
    return value


def _date_struct(r: _Reader, parent: dict[str, Any] | None, key: str, path: str) -> str | None:
    struct = r.obj(parent, key, path)
    if struct is None:
        return None
    sub = _join(path, key)
    r.enum(struct, "type", sub, COUNT_TYPES)
    return _date(r, struct, "date", sub)


def _age(r: _Reader, parent: dict[str, Any], key: str, path: str) -> str | None:
    value = r.get(parent, key, path, "string")
    if value is None or value.strip().upper() in ("N/A", "NA", "NONE"):
        return None
    full = _join(path, key)
    m = AGE_RE.match(value.strip())
    if not m:
        r.error(full, "IMP003", f'expected an age like "18 Years" or "6 Months", got "{value}"')
        return None
    unit = m.group(2).lower()
    if unit in ("hour", "hours", "minute", "minutes"):
        r.warn(
            full,
            "IMP007",
            f'"{value}": the content model has no ages in {unit}; left out',
            "state the age limit in the page text",
        )
        return None
    if unit not in AGE_UNITS:
        r.error(
            full, "IMP003", f'unknown age unit in "{value}"', "use Years, Months, Weeks or Days"
        )
        return None
    return f"{int(m.group(1))} {unit}"


def _phone(r: _Reader, contact: dict[str, Any], path: str) -> str | None:
    phone = r.exact(contact, "phone", path)
    ext = r.exact(contact, "phoneExt", path)
    if phone and ext:
        phone = f"{phone} ext. {ext}"
    if phone and len(phone) > _LIMITS["phone"]:
        r.warn(
            _join(path, "phone"),
            "IMP007",
            f"{len(phone)} characters, more than the content model's {_LIMITS['phone']}; left out",
        )
        return None
    return phone


def _contact(r: _Reader, contact: dict[str, Any], path: str, *, role: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": r.exact(contact, "name", path, limit=_LIMITS["contact_name"])}
    code = r.enum(contact, "role", path, CONTACT_ROLES)
    if role:
        out["role"] = code
    out["phone"] = _phone(r, contact, path)
    out["email"] = r.exact(contact, "email", path, limit=_LIMITS["email"], pattern=EMAIL_RE)
    return out


def _other_ids(r: _Reader, ident: dict[str, Any], path: str) -> dict[str, Any]:
    org = r.obj(ident, "orgStudyIdInfo", path)
    protocol = r.line(org, "id", _join(path, "orgStudyIdInfo"), limit=_LIMITS["sponsor_protocol"])
    eudract = ctis = isrctn = None
    for item_path, info in r.items(ident, "secondaryIdInfos", path):
        sid = r.line(info, "id", item_path)
        kind = r.get(info, "type", item_path, "string") or ""
        domain = r.get(info, "domain", item_path, "string") or ""
        if not sid:
            continue
        if kind == "EUDRACT_NUMBER" and eudract is None:
            eudract = sid
        elif re.search(r"\bCTIS\b|EU CT", domain, re.IGNORECASE) and ctis is None:
            ctis = sid
        elif ISRCTN_RE.match(sid) and isrctn is None:
            isrctn = sid
    eu_ct = eudract or ctis
    if eu_ct and len(eu_ct) > _LIMITS["eu_ct"]:
        r.warn(
            _join(path, "secondaryIdInfos"),
            "IMP007",
            f'EU CT number "{eu_ct}" is too long; left out',
        )
        eu_ct = None
    return {"eu_ct": eu_ct, "isrctn": isrctn, "sponsor_protocol": protocol}


def _eligibility(r: _Reader, module: dict[str, Any] | None, path: str) -> dict[str, Any]:
    if module is None:
        return {}
    criteria = r.text(module, "eligibilityCriteria", path, long=True, markdown=True)
    include, exclude = split_criteria(criteria) if criteria else ([], [])
    return {
        "age_min": _age(r, module, "minimumAge", path),
        "age_max": _age(r, module, "maximumAge", path),
        "sex": r.enum(module, "sex", path, SEXES),
        "healthy_volunteers": r.get(module, "healthyVolunteers", path, "boolean"),
        "include": include,
        "exclude": exclude,
        "registry_text": criteria if criteria and len(criteria) <= 20_000 else None,
    }


def _sites(r: _Reader, module: dict[str, Any] | None, path: str) -> list[dict[str, Any]]:
    sites = []
    for site_path, loc in r.items(module, "locations", path):
        city = r.line(loc, "city", site_path, limit=_LIMITS["place"])
        country = r.line(loc, "country", site_path, limit=_LIMITS["place"])
        name = r.line(loc, "facility", site_path, limit=_LIMITS["site_name"])
        if not name:
            name = f"Study site in {city or country or 'an unnamed place'}"
        status = r.enum(loc, "status", site_path, SITE_STATUSES)
        if status == "available":
            r.warn(
                _join(site_path, "status"),
                "IMP007",
                '"AVAILABLE" (expanded access) is not a site status of the content model; left out',
            )
            status = None
        geo = r.obj(loc, "geoPoint", site_path)
        geo_path = _join(site_path, "geoPoint")
        lat = r.get(geo, "lat", geo_path, "number")
        lon = r.get(geo, "lon", geo_path, "number")
        if lat is not None and not -90 <= lat <= 90:
            r.error(_join(geo_path, "lat"), "IMP003", f"latitude {lat} is outside -90 to 90")
            lat = None
        if lon is not None and not -180 <= lon <= 180:
            r.error(_join(geo_path, "lon"), "IMP003", f"longitude {lon} is outside -180 to 180")
            lon = None
        contact: dict[str, Any] = {}
        for contact_path, person in r.items(loc, "contacts", site_path):
            details = _contact(r, person, contact_path, role=True)
            if not contact and details.get("role") == "contact":
                details.pop("role")
                contact = details
        sites.append(
            {
                "name": name,
                "city": city,
                "region": r.line(loc, "state", site_path, limit=_LIMITS["place"]),
                "country": country,
                "postal_code": r.line(loc, "zip", site_path, limit=_LIMITS["postal_code"]),
                "lat": lat,
                "lon": lon,
                "status": status,
                "contact": contact,
            }
        )
    return sites


def _run_in(blocks: list[Block]) -> str:
    """Paragraphs and list items as one run of text (items end with ";" when unpunctuated)."""
    texts = [b.joined() for b in blocks if b.joined()]
    return " ".join(
        t if i == len(texts) - 1 or t[-1] in ".!?:;" else t + ";" for i, t in enumerate(texts)
    )


@dataclass(frozen=True)
class _Arm:
    label: str
    description: str


def parse_record(data: object, source: str) -> tuple[ImportedStudy | None, list[Diagnostic]]:
    """Map one API v2 study record to an ``ImportedStudy``; pure, never raises.

    ``data`` is the decoded JSON (a study object, or a ``{"studies": [...]}`` search response
    holding exactly one study). ``source`` is the path printed in diagnostics. Returns
    ``(None, diagnostics)`` when the record has any error.
    """
    if _is_search_response(data):
        studies, diags = parse_studies(data, source)
        entries = data["studies"]
        if not isinstance(entries, list):
            return None, diags
        if len(entries) == 1:
            return (studies[0] if studies else None), diags
        return None, [
            *diags,
            error(
                source,
                0,
                0,
                "IMP003",
                f"studies: expected exactly one study, got {len(entries)}",
                "import a search response with import_paths, which imports every study",
            ),
        ]
    r = _Reader(source)
    study = _parse_study(r, data, "")
    return (None if r.failed else study), r.diags


def _is_search_response(data: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(data, dict) and "protocolSection" not in data and "studies" in data


def parse_studies(data: object, source: str) -> tuple[list[ImportedStudy], list[Diagnostic]]:
    """Map a study record or a ``{"studies": [...]}`` search response to the valid studies.

    Each study in a search response is checked on its own (paths ``studies[2]. ...``); a bad
    one does not stop the others.
    """
    if not _is_search_response(data):
        study, diags = parse_record(data, source)
        return ([study] if study else []), diags
    r = _Reader(source)
    studies: list[ImportedStudy] = []
    diags = []
    entries = r.items(data, "studies", "", kind="object")
    diags.extend(r.diags)
    if not isinstance(data.get("studies"), list):
        return [], diags
    if not data["studies"]:
        diags.append(warning(source, 0, 0, "IMP007", "studies: the search response is empty"))
    for item_path, item in entries:
        sr = _Reader(source)
        study = _parse_study(sr, item, item_path)
        diags.extend(sr.diags)
        if study is not None and not sr.failed:
            studies.append(study)
    return studies, diags


def _parse_study(r: _Reader, data: object, prefix: str) -> ImportedStudy | None:
    if not isinstance(data, dict):
        r.error(
            prefix,
            "IMP003",
            f"expected a study record (a JSON object), got {_describe(data)}",
            'a record is an object with "protocolSection"; a search response is {"studies": [...]}',
        )
        return None
    proto = r.obj(data, "protocolSection", prefix, required=True)
    if proto is None:
        return None
    p = _join(prefix, "protocolSection")

    ident_path = _join(p, "identificationModule")
    status_path = _join(p, "statusModule")
    desc_path = _join(p, "descriptionModule")
    cond_path = _join(p, "conditionsModule")
    design_path = _join(p, "designModule")
    arms_path = _join(p, "armsInterventionsModule")
    elig_path = _join(p, "eligibilityModule")
    sponsor_path = _join(p, "sponsorCollaboratorsModule")
    contacts_path = _join(p, "contactsLocationsModule")

    ident = r.obj(proto, "identificationModule", p, required=True)
    status_mod = r.obj(proto, "statusModule", p, required=True)
    desc = r.obj(proto, "descriptionModule", p, required=True)
    cond = r.obj(proto, "conditionsModule", p, required=True)
    design_mod = r.obj(proto, "designModule", p)
    arms_mod = r.obj(proto, "armsInterventionsModule", p)
    elig_mod = r.obj(proto, "eligibilityModule", p)
    sponsor_mod = r.obj(proto, "sponsorCollaboratorsModule", p)
    contacts_mod = r.obj(proto, "contactsLocationsModule", p)

    # Identification
    nct_id = ""
    brief_title = official_title = None
    if ident is not None:
        raw_id = r.get(ident, "nctId", ident_path, "string", required=True)
        if raw_id is not None:
            if NCT_RE.match(raw_id.strip()):
                nct_id = raw_id.strip()
            else:
                r.error(
                    _join(ident_path, "nctId"),
                    "IMP003",
                    f'expected "NCT" and 8 digits, got "{raw_id}"',
                )
        brief_title = r.line(ident, "briefTitle", ident_path, required=True)
        official_title = r.line(ident, "officialTitle", ident_path, limit=_LIMITS["registry_title"])
        acronym = r.line(ident, "acronym", ident_path, limit=_LIMITS["acronym"])
        other_ids = _other_ids(r, ident, ident_path)
    else:
        acronym, other_ids = None, {}

    # Status
    status = last_known = why_stopped = status_checked = None
    dates: dict[str, Any] = {}
    updated = None
    if status_mod is not None:
        status = r.enum(status_mod, "overallStatus", status_path, STATUSES, required=True)
        last_known = r.enum(status_mod, "lastKnownStatus", status_path, STATUSES)
        why_stopped = r.line(status_mod, "whyStopped", status_path, limit=_LIMITS["why_stopped"])
        dates = {
            "start": _date_struct(r, status_mod, "startDateStruct", status_path),
            "primary_completion": _date_struct(
                r, status_mod, "primaryCompletionDateStruct", status_path
            ),
            "completion": _date_struct(r, status_mod, "completionDateStruct", status_path),
        }
        updated = _date_struct(r, status_mod, "lastUpdatePostDateStruct", status_path)
        status_checked = _date(r, status_mod, "statusVerifiedDate", status_path)
    if status != "unknown":
        last_known = None

    # Description
    brief_summary = r.text(
        desc, "briefSummary", desc_path, required=desc is not None, long=True, markdown=True
    )
    r.text(desc, "detailedDescription", desc_path, long=True, markdown=True)

    # Conditions and keywords
    conditions: list[str] = []
    keywords: list[str] = []
    if cond is not None:
        raw_conditions = r.get(cond, "conditions", cond_path, "list", required=True)
        if raw_conditions is not None and not raw_conditions:
            r.error(_join(cond_path, "conditions"), "IMP002", "must list at least one condition")
        for key, found in (("conditions", conditions), ("keywords", keywords)):
            if key == "conditions" and raw_conditions is None:
                continue  # already reported
            for item_path, text in r.items(cond, key, cond_path, kind="string"):
                value, removed = strip_html(text)
                if removed:
                    r.warn(item_path, "IMP006", "HTML markup was removed from the registry text")
                if one_line(value):
                    found.append(one_line(value))

    # Design
    study_type = r.enum(design_mod, "studyType", design_path, STUDY_TYPES)
    phases = [
        code
        for item_path, value in r.items(design_mod, "phases", design_path, kind="string")
        if (code := r.code(value, item_path, PHASES))
    ]
    info = r.obj(design_mod, "designInfo", design_path)
    info_path = _join(design_path, "designInfo")
    allocation = r.enum(info, "allocation", info_path, ALLOCATIONS)
    masking_info = r.obj(info, "maskingInfo", info_path)
    masking_path = _join(info_path, "maskingInfo")
    masking = r.enum(masking_info, "masking", masking_path, MASKINGS)
    masked = _unique(
        [
            code
            for item_path, value in r.items(masking_info, "whoMasked", masking_path, kind="string")
            if (code := r.code(value, item_path, WHO_MASKED))
        ]
    )
    enrollment_info = r.obj(design_mod, "enrollmentInfo", design_path)
    enrollment_path = _join(design_path, "enrollmentInfo")
    target = r.get(enrollment_info, "count", enrollment_path, "integer")
    if target is not None and target < 0:
        r.error(_join(enrollment_path, "count"), "IMP003", f"expected 0 or more, got {target}")
        target = None
    enrollment = {
        "target": target,
        "type": r.enum(enrollment_info, "type", enrollment_path, COUNT_TYPES),
    }

    # Arms and interventions
    arms: list[_Arm] = []
    placebo = False
    for arm_path, arm in r.items(arms_mod, "armGroups", arms_path):
        label = r.line(arm, "label", arm_path) or ""
        arm_type = r.enum(arm, "type", arm_path, ARM_TYPES)
        description = r.text(arm, "description", arm_path, markdown=True) or ""
        description = _run_in(parse_blocks(description))
        placebo = placebo or arm_type == "placebo_comparator"
        if label or description:
            arms.append(_Arm(label, description))
    interventions = []
    for item_path, item in r.items(arms_mod, "interventions", arms_path):
        name = r.line(item, "name", item_path, limit=_LIMITS["intervention"])
        kind = r.enum(item, "type", item_path, INTERVENTION_TYPES)
        r.text(item, "description", item_path, markdown=True)
        if name and re.search(r"\bplacebo\b", name, re.IGNORECASE):
            placebo = True
        if name:
            interventions.append({"name": name, "type": kind})

    # Eligibility, sponsor, places and people
    eligibility = _eligibility(r, elig_mod, elig_path)
    lead = r.obj(sponsor_mod, "leadSponsor", sponsor_path)
    lead_path = _join(sponsor_path, "leadSponsor")
    sponsor = {
        "name": r.line(lead, "name", lead_path, limit=_LIMITS["sponsor"]),
        "class": r.enum(lead, "class", lead_path, AGENCY_CLASSES),
    }
    if not sponsor["name"]:
        sponsor = {}
    sites = _sites(r, contacts_mod, contacts_path)
    contacts = [
        _contact(r, person, person_path, role=True)
        for person_path, person in r.items(contacts_mod, "centralContacts", contacts_path)
    ]
    derived = r.obj(data, "derivedSection", prefix)
    misc = r.obj(derived, "miscInfoModule", _join(prefix, "derivedSection"))
    version_date = _date(
        r, misc, "versionHolder", _join(_join(prefix, "derivedSection"), "miscInfoModule")
    )

    if r.failed or not nct_id or not brief_title or not status or not brief_summary:
        return None

    interventional = study_type in (None, "interventional")
    design: dict[str, Any] = {}
    if interventional:
        design = {
            "randomized": None if allocation is None else allocation == "randomized",
            "placebo": placebo,
            "masking": masking,
            "masked": masked or None,
        }
    front: dict[str, Any] = {
        "title": cut_words(brief_title, TITLE_MAX),
        "summary": make_summary(brief_summary),
        "registry_title": official_title,
        "acronym": acronym,
        "nct_id": nct_id,
        "other_ids": other_ids,
        "status": status,
        "last_known_status": last_known,
        "why_stopped": why_stopped,
        "study_type": study_type,
        "phase": phases if interventional else None,
        "design": design,
        "interventions": interventions,
        "conditions": _unique(conditions),
        "eligibility": eligibility,
        "enrollment": enrollment,
        "dates": dates,
        "sponsor": sponsor,
        "sites": sites,
        "contacts": contacts,
        "updated": updated,
        "status_checked": status_checked,
        "source": {"registry": "ctgov", "version_date": version_date},
        "draft": True,
        "tags": _unique(keywords),
    }
    front = _prune(front)
    if not front.get("summary"):
        r.error(_join(desc_path, "briefSummary"), "IMP002", "no text to make a summary from")
        return None
    body = render_body(front, brief_summary, arms)
    results = data.get("resultsSection")
    results_path = _join(prefix, "resultsSection")
    return ImportedStudy(nct_id, make_slug(brief_title, nct_id), front, body, results, results_path)


# --------------------------------------------------------------------------------------------
# Body


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _age_years(age: str) -> float:
    value, unit = age.split(" ", 1)
    per_year = {"year": 1.0, "month": 12.0, "week": 52.1775, "day": 365.2425}
    return int(value) / per_year[unit.rstrip("s")]


def who_sentence(eligibility: dict[str, Any]) -> str:
    """One plain sentence from the ages, sex and healthy-volunteer facts."""
    age_min = eligibility.get("age_min")
    age_max = eligibility.get("age_max")
    sex = eligibility.get("sex", "all")
    if age_min and age_max:
        low_value, low_unit = age_min.split(" ", 1)
        high_unit = age_max.split(" ", 1)[1]
        same_unit = low_unit.rstrip("s") == high_unit.rstrip("s")
        ages = f"aged {low_value} to {age_max}" if same_unit else f"aged {age_min} to {age_max}"
    elif age_min:
        ages = f"aged {age_min} and over"
    elif age_max:
        ages = f"aged up to {age_max}"
    else:
        ages = "of any age"
    child = age_min is None or _age_years(age_min) < 18
    adult = age_max is None or _age_years(age_max) >= 18
    if sex == "female":
        who = "Girls and women" if child and adult else ("Girls" if child else "Women")
    elif sex == "male":
        who = "Boys and men" if child and adult else ("Boys" if child else "Men")
    else:
        who = "People"
    sentence = f"{who} {ages} can take part."
    healthy = eligibility.get("healthy_volunteers")
    if healthy is True:
        sentence += " People without the condition (healthy volunteers) can also take part."
    elif healthy is False:
        sentence += " The study is not looking for healthy volunteers."
    return sentence


def render_body(front: dict[str, Any], brief_summary: str, arms: Sequence[_Arm]) -> str:
    """The Markdown body: the patient sections of docs/content-model.md, in order."""
    status = front["status"]
    parts: list[str] = []

    parts.append("## What is this study about?")
    parts.extend(_blocks_markdown(brief_summary))
    parts.append(
        "<!-- write: rewrite in plain words: why the research is needed and what is being "
        "tested, in 3 to 5 short paragraphs -->"
    )

    parts.append("## Who can take part?")
    parts.append(who_sentence(front.get("eligibility", {})))
    parts.append("The full list of who can and cannot join is shown below.")
    parts.append(
        "<!-- write: the list comes from eligibility.include and eligibility.exclude in the "
        "front matter; rewrite those in plain words -->"
    )

    parts.append("## What will happen if I take part?")
    if front.get("study_type") == "observational":
        parts.append("This study does not test a new treatment.")
    if arms:
        noun = "group" if len(arms) == 1 else "groups"
        parts.append(f"The study has {len(arms)} {noun}:")
        lines = []
        for arm in arms:
            label, description = md_escape(arm.label), md_escape(arm.description)
            lines.append(
                f"- {label}: {description}"
                if label and description
                else f"- {label or description}"
            )
        parts.append("\n".join(lines))
    design = front.get("design", {})
    if design.get("randomized"):
        parts.append("A computer decides by chance which group you are in.")
    if design.get("placebo"):
        parts.append(
            "Some people get a dummy treatment (placebo) that looks the same but has no "
            "medicine in it."
        )
    masking = masking_sentence(
        Design(masking=design.get("masking"), masked=tuple(design.get("masked") or ())),
        catalogue("en"),
    )
    if masking:
        parts.append(masking)
    parts.append(
        "<!-- write: the visits, tests and treatment, how long taking part lasts and what "
        "happens at the end -->"
    )

    parts.append("## What are the possible benefits and risks?")
    parts.append(
        "<!-- write: the possible benefits and the known side effects and risks, balanced and "
        "in plain words; say that taking part may not help you -->"
    )

    parts.append("## Where is the study happening?")
    sites = front.get("sites", [])
    countries = _unique([s["country"] for s in sites if s.get("country")])
    if sites:
        noun = "site" if len(sites) == 1 else "sites"
        verb = {
            "completed": "took place",
            "terminated": "took place",
            "withdrawn": "was planned to take place",
        }.get(status, "is taking place")
        where = f" in {md_escape(_and_list(countries))}" if countries else ""
        parts.append(f"The study {verb} at {len(sites)} {noun}{where}.")
    else:
        parts.append("The registry does not list the study sites yet.")

    parts.append("## How do I find out more or join?")
    parts.extend(_join_section(front))
    return "\n\n".join(parts) + "\n"


def _join_section(front: dict[str, Any]) -> list[str]:
    status = front["status"]
    nct_id = front["nct_id"]
    out: list[str] = []
    contacts = front.get("contacts", [])
    if status in _OPEN:
        if status == "not_yet_recruiting":
            out.append("The study is not open yet.")
        elif status == "enrolling_by_invitation":
            out.append("People take part in this study by invitation only.")
        if contacts:
            out.append("To ask about taking part, contact the study team:")
            out.append("\n".join(f"- {_contact_line(c)}" for c in contacts))
        elif any(s.get("contact") for s in front.get("sites", [])):
            out.append(
                "To ask about taking part, contact the study site nearest to you. "
                "The list of sites shows who to contact."
            )
        else:
            out.append("The registry does not list a contact for this study.")
        out.append(
            "You can also talk to your own doctor about whether this study is right for you."
        )
    elif status == "unknown":
        out.append("The registry has not confirmed recently whether this study is still running.")
    else:
        out.append("This study is not looking for new volunteers.")
    out.append(
        f"You can read the full record of this study on "
        f"[ClinicalTrials.gov ({nct_id})]({REGISTRY_URL}{nct_id})."
    )
    return out


def _contact_line(contact: dict[str, Any]) -> str:
    ways = []
    if contact.get("phone"):
        ways.append(f"phone {md_escape(contact['phone'])}")
    if contact.get("email"):
        ways.append(f"e-mail {md_escape(contact['email'])}")
    name = md_escape(contact.get("name", ""))
    if name and ways:
        return f"{name}: {', '.join(ways)}"
    return name or ", ".join(ways)


# --------------------------------------------------------------------------------------------
# Files


class _Refused(Exception):
    """JSON that parses but that sitegen will not guess about."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]} is too large to be a real value")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f'the key "{printable(key[:60])}" appears twice in one object')
        out[key] = value
    return out


def _clean(value: Any) -> tuple[Any, int]:
    """``value`` with control, direction-override and lone surrogate characters removed
    from every string (keys too); and how many were removed."""
    if isinstance(value, str):
        cleaned, n = strip_unsafe(value)
        cleaned, m = _SURROGATE.subn("", cleaned)
        return cleaned, n + m
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            item, n = _clean(item)
            items.append(item)
            total += n
        return items, total
    if isinstance(value, dict):
        total = 0
        out = {}
        for k, v in value.items():
            k, n = _clean(k)
            v, m = _clean(v)
            out[k] = v
            total += n + m
        return out, total
    return value, 0


_SURROGATE = re.compile("[\ud800-\udfff]")


def _decode(raw: bytes, display_path: str) -> tuple[Any, Diagnostic | None]:
    """Decode JSON bytes; on failure return an IMP001 diagnostic with line and column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, error(
            display_path,
            0,
            0,
            "IMP001",
            f"not UTF-8 text (byte {exc.start}); expected a JSON study record",
        )

    def _no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed in JSON")

    try:
        return (
            json.loads(
                text,
                parse_constant=_no_constant,
                parse_float=_finite,
                object_pairs_hook=_no_duplicates,
            ),
            None,
        )
    except _Refused as exc:
        return None, error(display_path, 0, 0, "IMP001", f"not a usable JSON record: {exc}")
    except json.JSONDecodeError as exc:
        if not text.strip():
            return None, error(
                display_path, 0, 0, "IMP001", "empty file; expected a JSON study record"
            )
        if exc.msg.startswith("Unterminated string"):
            message = "truncated JSON: the file ends inside the string that starts here"
            hint = "download the complete record again"
        elif exc.pos >= len(text.rstrip()):
            message = f"truncated JSON: the file ends too early ({exc.msg})"
            hint = "download the complete record again"
        else:
            message = f"not valid JSON: {exc.msg}"
            hint = "expected a ClinicalTrials.gov API v2 study record (.json)"
        return None, error(display_path, exc.lineno, exc.colno, "IMP001", message, hint)
    except (ValueError, RecursionError) as exc:
        return None, error(display_path, 0, 0, "IMP001", f"not valid JSON: {exc}")


def load_studies(path: Path, display_path: str) -> tuple[list[ImportedStudy], list[Diagnostic]]:
    """Read one JSON file (a study record or a ``{"studies": [...]}`` search response)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [error(display_path, 0, 0, "IMP010", f"cannot read file: {exc.strerror}")]
    data, problem = _decode(raw, display_path)
    if problem is not None:
        return [], [problem]
    data, removed = _clean(data)
    studies, diags = parse_studies(data, display_path)
    if removed:
        diags.insert(0, _removed_warning(display_path, removed))
    return studies, diags


def _removed_warning(display_path: str, removed: int) -> Diagnostic:
    return warning(
        display_path,
        0,
        0,
        "IMP012",
        f"{removed} control, text-direction override or invalid characters were removed "
        "from the registry text",
        "they are invisible, and can make text show in another order than it is stored",
    )


def load_record(path: Path, display_path: str) -> tuple[ImportedStudy | None, list[Diagnostic]]:
    """Read one JSON study record (UTF-8) and map it; ``display_path`` names it in messages.

    Invalid or truncated JSON is an IMP001 error at the line and column where it breaks.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(display_path, 0, 0, "IMP010", f"cannot read file: {exc.strerror}")]
    data, problem = _decode(raw, display_path)
    if problem is not None:
        return None, [problem]
    data, removed = _clean(data)
    study, diags = parse_record(data, display_path)
    if removed:
        diags.insert(0, _removed_warning(display_path, removed))
    return study, diags


#: the largest page an import writes (the build's default ``max_file_kb``)
MAX_PAGE_BYTES = 1024 * 1024


def page_problem(text: str, shown: str) -> str | None:
    """Why the page ``text`` would not build (too large, or its front matter invalid), or
    None: an import must not write a page that breaks every later build."""
    from sitegen.content.frontmatter import parse
    from sitegen.content.model import StudyMeta, parse_meta

    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_PAGE_BYTES:
        return f"{size // 1024} KB, over the {MAX_PAGE_BYTES // 1024} KB a page may have"
    fm, diags = parse(text, shown)
    if fm is not None:
        _, more = parse_meta(fm, shown, StudyMeta)
        diags = [*diags, *more]
    errors = [d for d in diags if d.is_error]
    return errors[0].message if errors else None


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


_NCT_LINE_RE = re.compile(r"^nct_id:\s*['\"]?(NCT\d{8})['\"]?\s*$", re.MULTILINE)


def _existing_pages(out_dir: Path) -> dict[str, Path]:
    """NCT id -> the page already in ``out_dir`` for it (the file name may have been changed)."""
    pages: dict[str, Path] = {}
    if not out_dir.is_dir():
        return pages
    for page in sorted(out_dir.glob("*.md")):
        try:
            text = page.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if not text.startswith("---"):
            continue
        end = text.find("\n---", 3)
        m = _NCT_LINE_RE.search(text[: end if end > 0 else len(text)])
        if m and m.group(1) not in pages:
            pages[m.group(1)] = page
    return pages


def _write_atomic(target: Path, data: bytes, *, overwrite: bool) -> bool:
    """Write ``data`` to ``target`` through a temporary file in the same folder.

    Returns False (and writes nothing) when ``target`` exists and ``overwrite`` is False.
    Raises OSError for other failures.
    """
    if not overwrite and target.exists():
        return False
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, target)
            return True
        try:
            os.link(tmp, target)  # atomic and never replaces an existing file
        except FileExistsError:
            return False
        except OSError:  # no hard links on this file system
            if target.exists():
                return False
            os.replace(tmp, target)
        return True
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_results(
    page: str,
    folder: Path,
    study: ImportedStudy,
    shown: str,
    root: Path | None,
    overwrite: bool,
    diags: list[Diagnostic],
) -> list[Path]:
    """Write a study's draft results page into ``folder`` (``content/results``)."""
    target = _existing_pages(folder).get(study.nct_id, folder / f"{study.slug}.md")
    target_shown = _display(target, root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if _write_atomic(target, page.encode("utf-8"), overwrite=overwrite):
            return [target]
    except OSError as exc:
        diags.append(
            error(shown, 0, 0, "IMP010", f"cannot write {target_shown}: {exc.strerror or exc}")
        )
        return []
    diags.append(
        error(
            shown, 0, 0, "IMP008",
            f"{target_shown} already exists ({study.nct_id} results); not overwritten",
            "keep the edited page, or import again with --overwrite to replace it",
        )
    )  # fmt: skip
    return []


def import_paths(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    overwrite: bool = False,
    root: Path | None = None,
    results_dir: Path | None = None,
) -> tuple[list[Path], list[Diagnostic]]:
    """Import study records into ``out_dir`` (usually ``content/studies``).

    Each path is a ``.json`` file or a folder (its ``*.json`` files, sorted). Every valid study
    is written to ``<slug>.md`` (or to the page that already holds its NCT id); a study with an
    error writes nothing. An existing page is kept, with an IMP008 error, unless ``overwrite``.
    Diagnostics name paths relative to ``root`` when given, else as passed. Never raises for
    bad input; returns the written paths and all diagnostics.

    With ``results_dir`` (usually ``content/results``), a record's ``resultsSection`` also
    gives a draft results page there (``ctgov_results``); malformed results refuse the whole
    study: neither page is written.
    """
    from sitegen.importers.ctgov_results import (
        results_draft,  # it reads records with this module's _Reader
    )

    diags: list[Diagnostic] = []
    files: list[tuple[Path, str]] = []
    for path in paths:
        shown = _display(path, root)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                diags.append(warning(shown, 0, 0, "IMP007", "no .json files in this folder"))
            files.extend((p, _display(p, root)) for p in found)
        elif path.is_file():
            files.append((path, shown))
        else:
            diags.append(error(shown, 0, 0, "IMP010", "no such file or folder"))

    existing = _existing_pages(out_dir)
    written: list[Path] = []
    seen: dict[str, str] = {}
    for path, shown in files:
        studies, file_diags = load_studies(path, shown)
        diags.extend(file_diags)
        for study in studies:
            if study.nct_id in seen:
                diags.append(
                    error(
                        shown,
                        0,
                        0,
                        "IMP009",
                        f"{study.nct_id} was already imported from {seen[study.nct_id]}"
                        "; this copy is skipped",
                    )
                )
                continue
            seen[study.nct_id] = shown
            target = existing.get(study.nct_id, out_dir / f"{study.slug}.md")
            target_shown = _display(target, root)
            results_page: str | None = None
            if results_dir is not None and study.results is not None:  # both pages or none
                results_page, more = results_draft(
                    study.results, study.results_path, study.front_matter, target.name, shown
                )
                diags.extend(more)
                if results_page is None:
                    continue
            page_text = study.to_markdown()
            unusable = page_problem(page_text, target_shown)
            if unusable is not None:
                diags.append(
                    error(
                        shown,
                        0,
                        0,
                        "IMP013",
                        f"{study.nct_id}: the page made from this record would not build, so "
                        f"it was not written: {unusable}",
                        "check the record: it may be damaged or not a real study",
                    )
                )
                continue
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
                ok = _write_atomic(target, page_text.encode("utf-8"), overwrite=overwrite)
            except OSError as exc:
                diags.append(
                    error(
                        shown, 0, 0, "IMP010", f"cannot write {target_shown}: {exc.strerror or exc}"
                    )
                )
                continue
            # The results draft is written even next to a kept (edited) study page.
            extra: list[Path] = []
            if results_page is not None and results_dir is not None:
                extra = _write_results(
                    results_page, results_dir, study, shown, root, overwrite, diags
                )
            if ok:
                written.append(target)
            written += extra
            if not ok:
                diags.append(
                    error(
                        shown,
                        0,
                        0,
                        "IMP008",
                        f"{target_shown} already exists ({study.nct_id}); not overwritten",
                        "keep the edited page, or import again with --overwrite to replace it",
                    )
                )
    return written, diags
