"""The content model: frozen dataclasses for study and page metadata, and their validation.

The dataclasses below *are* the field table: each field's type, whether it is required and
its allowed values (``choices``), length limit or pattern live in the dataclass definition, and
one generic validator (``parse_meta``) reads them. Docs (``docs/content-model.md``) and a test
check that every field is documented.

Codes follow the ClinicalTrials.gov API v2 vocabulary in lower case (``RECRUITING`` ->
``recruiting``); ``labels.py`` maps them to what a patient reads.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Union, cast

from sitegen.content.frontmatter import FrontMatter, Position
from sitegen.core.diagnostics import Diagnostic, did_you_mean, error, warning
from sitegen.core.languages import LANGS
from sitegen.core.textsafety import describe, first_unsafe
from sitegen.core.urls import slugify

STATUSES = (
    "not_yet_recruiting",
    "recruiting",
    "enrolling_by_invitation",
    "active_not_recruiting",
    "suspended",
    "terminated",
    "completed",
    "withdrawn",
    "unknown",
)
OPEN_STATUSES = frozenset({"recruiting", "not_yet_recruiting", "enrolling_by_invitation"})
PHASES = ("early_phase1", "phase1", "phase2", "phase3", "phase4", "na")
STUDY_TYPES = ("interventional", "observational", "expanded_access")
MASKING = ("none", "single", "double", "triple", "quadruple")
WHO_MASKED = ("participant", "care_provider", "investigator", "outcomes_assessor")
SEXES = ("all", "female", "male")
CONTACT_ROLES = (
    "contact",
    "principal_investigator",
    "sub_investigator",
    "study_director",
    "study_chair",
)
INTERVENTION_TYPES = (
    "drug",
    "biological",
    "device",
    "procedure",
    "radiation",
    "behavioral",
    "dietary_supplement",
    "diagnostic_test",
    "combination_product",
    "genetic",
    "other",
)
SPONSOR_CLASSES = (
    "industry",
    "nih",
    "fed",
    "other_gov",
    "indiv",
    "network",
    "other",
    "ambig",
    "unknown",
)
AGE_UNITS = ("years", "year", "months", "month", "weeks", "week", "days", "day")
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
NCT_RE = re.compile(r"^NCT\d{8}$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
# A plain address: no "?" (a mailto: query can add headers such as bcc), no "&", "%", "#",
# spaces, commas or angle brackets; a domain of letters, digits and hyphens with a dot.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_RE = re.compile(rf"^[A-Za-z0-9.!$'*+/=^_`{{|}}~-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+\Z")
EMAIL_EXPECT = "a plain e-mail address like name@example.org (no spaces, ?, &, %, # or commas)"
#: ``translated_from``: the version of the original a translation was made from
VERSION_RE = re.compile(r"^[0-9a-f]{16}$")
VERSION_EXPECT = "16 hex digits written by `python build.py translated PAGE`"


def spec(
    *,
    required: bool = False,
    choices: tuple[str, ...] = (),
    max_len: int = 0,
    pattern: re.Pattern[str] | None = None,
    expect: str = "",
    default: Any = None,
    min_value: float | None = None,
    max_value: float | None = None,
    help: str = "",
) -> Any:
    """A dataclass field carrying its validation rules as metadata."""
    meta = {
        "required": required,
        "choices": choices,
        "max_len": max_len,
        "pattern": pattern,
        "expect": expect,
        "min_value": min_value,
        "max_value": max_value,
        "help": help,
    }
    if isinstance(default, list | tuple):
        return field(default=tuple(default), metadata=meta)
    return field(default=default, metadata=meta)


class Date(str):
    """A calendar date written ``YYYY-MM-DD`` or, for registry dates, ``YYYY-MM``."""


@dataclass(frozen=True)
class Age:
    """An age limit with its unit, e.g. 18 years or 6 months."""

    value: int
    unit: str = "years"

    def in_years(self) -> float:
        """The age in years (for comparisons and the pre-screener)."""
        per_year = {"year": 1, "month": 12, "week": 52.1775, "day": 365.2425}
        return self.value / per_year[self.unit.rstrip("s")]


@dataclass(frozen=True)
class Question:
    """A yes/no pre-screener question and the answer that fits the study."""

    question: str = spec(required=True, max_len=200)
    answer: str = spec(required=True, choices=("yes", "no"))


@dataclass(frozen=True)
class Eligibility:
    """Who can take part."""

    age_min: Age | None = None
    age_max: Age | None = None
    sex: str = spec(choices=SEXES, default="all")
    healthy_volunteers: bool = False
    include: tuple[str, ...] = spec(default=())
    exclude: tuple[str, ...] = spec(default=())
    questions: tuple[Question, ...] = spec(default=())
    not_asked: tuple[str, ...] = spec(
        pattern=re.compile(r"^(include|exclude)\.\d{1,3}$"),
        expect='a bullet like "include.0" or "exclude.2" (counted from 0)',
        default=(),
        help="bullets the pre-screener does not ask about (a patient cannot answer them alone)",
    )
    registry_text: str | None = spec(
        max_len=20_000,
        help="the registry's eligibility criteria as published, for health professionals",
    )


@dataclass(frozen=True)
class Design:
    """How the study is set up."""

    randomized: bool | None = None
    placebo: bool | None = None
    masking: str | None = spec(choices=MASKING)
    masked: tuple[str, ...] = spec(
        choices=WHO_MASKED,
        default=(),
        help="who does not know the treatment, as the registry's whoMasked lists them",
    )


@dataclass(frozen=True)
class Intervention:
    """A treatment, device or procedure tested in the study."""

    name: str = spec(required=True, max_len=200)
    type: str = spec(choices=INTERVENTION_TYPES, default="other")
    plain: str | None = spec(max_len=400)


@dataclass(frozen=True)
class Participation:
    """What taking part involves."""

    duration: str | None = spec(max_len=200)
    visits: int | None = spec(min_value=0, max_value=1000)
    overnight_stays: int | None = spec(min_value=0, max_value=1000)
    procedures: tuple[str, ...] = spec(default=())
    remote: str | None = spec(max_len=300)


@dataclass(frozen=True)
class Support:
    """Payment, travel costs and other help, stated plainly."""

    payment: str | None = spec(max_len=300)
    travel: str | None = spec(max_len=300)
    other: str | None = spec(max_len=300)


@dataclass(frozen=True)
class Enrollment:
    """How many people the study needs."""

    target: int | None = spec(min_value=0, max_value=10_000_000)
    type: str | None = spec(choices=("estimated", "actual"))


@dataclass(frozen=True)
class Dates:
    """Key study dates."""

    start: Date | None = None
    primary_completion: Date | None = None
    completion: Date | None = None


@dataclass(frozen=True)
class Sponsor:
    """Who runs or pays for the study."""

    name: str = spec(required=True, max_len=200)
    class_: str | None = spec(choices=SPONSOR_CLASSES)


@dataclass(frozen=True)
class Contact:
    """A person or office to contact."""

    name: str | None = spec(max_len=200)
    role: str | None = spec(max_len=60)
    phone: str | None = spec(max_len=60)
    email: str | None = spec(pattern=EMAIL_RE, expect=EMAIL_EXPECT, max_len=200)
    lang: str | None = spec(
        pattern=re.compile(r"^[a-z]{2,3}$"),
        expect="a language code like en or es",
        help="the language this contact speaks; a page lists contacts in its language first",
    )


@dataclass(frozen=True)
class Site:
    """A place where the study happens."""

    name: str = spec(required=True, max_len=200)
    city: str | None = spec(max_len=100)
    region: str | None = spec(max_len=100)
    country: str | None = spec(max_len=100)
    postal_code: str | None = spec(max_len=20)
    lat: float | None = spec(min_value=-90, max_value=90)
    lon: float | None = spec(min_value=-180, max_value=180)
    status: str | None = spec(choices=STATUSES)
    contact: Contact | None = None


@dataclass(frozen=True)
class OtherIds:
    """Registry and sponsor identifiers besides the NCT id."""

    eu_ct: str | None = spec(max_len=40)
    isrctn: str | None = spec(pattern=re.compile(r"^ISRCTN\d{8}$"), expect="ISRCTN + 8 digits")
    sponsor_protocol: str | None = spec(max_len=60)


@dataclass(frozen=True)
class ReadabilityOverride:
    """Per-page readability targets."""

    target: float | None = spec(min_value=1, max_value=20)
    limit: float | None = spec(min_value=1, max_value=20)


@dataclass(frozen=True)
class Waiver:
    """A finding a reviewer accepted, and why."""

    code: str = spec(required=True, pattern=re.compile(r"^[A-Z]{2,4}\d{3}$"), expect="a code")
    text: str = spec(default="", max_len=200)
    reason: str = spec(required=True, max_len=500)


@dataclass(frozen=True)
class Accepted:
    """Findings of one code a reviewer accepted by signing the page off."""

    code: str = spec(required=True, pattern=re.compile(r"^[A-Z]{2,4}\d{3}$"), expect="a code")
    count: int = spec(required=True, min_value=0, max_value=1_000_000)


ROLE_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Signoff:
    """A reviewer's sign-off of what a patient reads on the page, as it was (its hash).

    With ``accepted`` it signs the whole page off, accepting those findings; without, it
    only carries ``waive`` (single findings accepted).
    """

    by: str = spec(required=True, max_len=100)
    date: Date = spec(required=True)
    text_hash: str = spec(
        required=True, pattern=re.compile(r"^sha256:[0-9a-f]{64}$"), expect="sha256:<64 hex>"
    )
    role: str | None = spec(pattern=ROLE_RE, expect="a role name like patient or clinical")
    grade: float | None = spec(min_value=0, max_value=100)
    accepted: tuple[Accepted, ...] | None = None
    waive: tuple[Waiver, ...] = spec(default=())


@dataclass(frozen=True)
class Source:
    """Where imported data came from."""

    registry: str | None = spec(choices=("ctgov",))
    version_date: Date | None = None


@dataclass(frozen=True)
class StudyMeta:
    """Front matter of a study page (``content/studies/*.md``)."""

    title: str = spec(required=True, max_len=80)
    summary: str = spec(required=True, max_len=300)
    status: str = spec(required=True, choices=STATUSES)
    conditions: tuple[str, ...] = spec(
        required=True,
        default=(),
        max_len=200,
        pattern=re.compile(r"^[^<>]+\Z"),
        expect="a condition name without < or > (it becomes a filter and a page title)",
    )
    nct_id: str | None = spec(pattern=NCT_RE, expect="NCT followed by 8 digits, e.g. NCT01234567")
    other_ids: OtherIds | None = None
    registry_title: str | None = spec(max_len=600)
    acronym: str | None = spec(max_len=14)
    slug: str | None = spec(
        pattern=SLUG_RE, expect="lower-case letters, digits and '-' (e.g. asthma-inhaler-study)"
    )
    lang: str | None = spec(choices=LANGS)
    study_type: str = spec(choices=STUDY_TYPES, default="interventional")
    phase: tuple[str, ...] = spec(choices=PHASES, default=())
    design: Design | None = None
    interventions: tuple[Intervention, ...] = spec(default=())
    eligibility: Eligibility | None = None
    participation: Participation | None = None
    support: Support | None = None
    enrollment: Enrollment | None = None
    dates: Dates | None = None
    sponsor: Sponsor | None = None
    sites: tuple[Site, ...] = spec(default=())
    contacts: tuple[Contact, ...] = spec(default=())
    why_stopped: str | None = spec(max_len=500)
    last_known_status: str | None = spec(choices=STATUSES)
    status_checked: Date | None = None
    updated: Date | None = None
    draft: bool = False
    tags: tuple[str, ...] = spec(default=())
    translation_key: str | None = spec(pattern=SLUG_RE, expect="a lower-case key like a slug")
    translated_from: str | None = spec(pattern=VERSION_RE, expect=VERSION_EXPECT)
    readability: ReadabilityOverride | None = None
    signoff: tuple[Signoff, ...] = spec(default=())
    source: Source | None = None


@dataclass(frozen=True)
class PageMeta:
    """Front matter of a plain page (``content/pages/*.md``)."""

    title: str = spec(required=True, max_len=80)
    summary: str | None = spec(max_len=300)
    slug: str | None = spec(pattern=SLUG_RE, expect="lower-case letters, digits and '-'")
    lang: str | None = spec(choices=LANGS)
    order: int | None = spec(min_value=0, max_value=1000)
    draft: bool = False
    updated: Date | None = None
    translation_key: str | None = spec(pattern=SLUG_RE, expect="a lower-case key like a slug")
    translated_from: str | None = spec(pattern=VERSION_RE, expect=VERSION_EXPECT)
    readability: ReadabilityOverride | None = None
    signoff: tuple[Signoff, ...] = spec(default=())


#: the ten Annex V elements of a lay summary of results (``results.ELEMENTS`` has headings)
RESULT_SECTIONS = (
    "identification",
    "sponsor",
    "general",
    "population",
    "medicines",
    "side_effects",
    "results",
    "comments",
    "follow_up",
    "more_information",
)


@dataclass(frozen=True)
class IconArray:
    """An "x out of N" result drawn as N small figures, x of them filled."""

    count: int = spec(required=True, min_value=0, max_value=100)
    total: int = spec(default=100, min_value=1, max_value=100)
    label: str = spec(
        required=True, max_len=200, help='e.g. "people who took the medicine had a headache"'
    )
    section: str = spec(choices=RESULT_SECTIONS, default="results")


@dataclass(frozen=True)
class ResultMeta:
    """Front matter of a results page (``content/results/*.md``): a lay summary of a study's
    results with the ten Annex V elements as sections."""

    title: str = spec(required=True, max_len=80)
    summary: str = spec(required=True, max_len=300)
    study: str = spec(
        required=True,
        max_len=300,
        pattern=re.compile(r"^[^\\:]*\.md$"),
        expect='the study page as a relative path, e.g. "../studies/asthma-inhaler.md"',
    )
    nct_id: str | None = spec(pattern=NCT_RE, expect="NCT followed by 8 digits, e.g. NCT01234567")
    slug: str | None = spec(pattern=SLUG_RE, expect="lower-case letters, digits and '-'")
    lang: str | None = spec(choices=LANGS)
    icon_arrays: tuple[IconArray, ...] = spec(default=())
    draft: bool = False
    updated: Date | None = None
    translation_key: str | None = spec(pattern=SLUG_RE, expect="a lower-case key like a slug")
    translated_from: str | None = spec(pattern=VERSION_RE, expect=VERSION_EXPECT)
    readability: ReadabilityOverride | None = None
    signoff: tuple[Signoff, ...] = spec(default=())
    source: Source | None = None


# Front-matter keys that differ from the Python attribute name.
_ALIASES = {"class_": "class"}


def yaml_name(f: dataclasses.Field[Any]) -> str:
    """The front-matter key of a dataclass field."""
    return _ALIASES.get(f.name, f.name)


def fields_of(cls: type) -> list[dataclasses.Field[Any]]:
    """The fields of a model dataclass, in declaration order."""
    return list(dataclasses.fields(cls))


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


class _Ctx:
    def __init__(self, path: str, fm: FrontMatter) -> None:
        self.path = path
        self.fm = fm
        self.diags: list[Diagnostic] = []

    def pos(self, dotted: str) -> Position:
        p = self.fm.positions.get(dotted)
        while p is None and "." in dotted:
            dotted = dotted.rsplit(".", 1)[0]
            p = self.fm.positions.get(dotted)
        return p or Position(1, 1)

    def key_pos(self, dotted: str) -> Position:
        return self.fm.key_positions.get(dotted) or self.pos(dotted)

    def err(self, dotted: str, message: str, code: str, hint: str = "") -> None:
        p = self.pos(dotted)
        self.diags.append(error(self.path, p.line, p.col, code, message, hint))


_MISSING = object()


def parse_meta(
    fm: FrontMatter, path: str, cls: type = StudyMeta
) -> tuple[Any | None, list[Diagnostic]]:
    """Validate front matter against ``cls`` and build it, or return every problem found."""
    ctx = _Ctx(path, fm)
    value = _build(cls, fm.data, "", ctx)
    if any(d.is_error for d in ctx.diags):
        return None, ctx.diags
    return value, ctx.diags


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(_type_name(a) for a in args)
    if origin is tuple:
        return "a list"
    return {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        Date: "a date (YYYY-MM-DD)",
        Age: 'an age like "18 years"',
    }.get(tp, "a mapping of fields")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def _build(cls: type, data: Any, prefix: str, ctx: _Ctx) -> Any:
    if not isinstance(data, dict):
        where = prefix or "front matter"
        ctx.err(
            prefix,
            f"{where}: expected a mapping of fields, got {_describe(data)}",
            "FM011",
        )
        return None
    hints = _hints(cls)
    known = {yaml_name(f): f for f in fields_of(cls)}
    for key in data:
        if key not in known:
            dotted = f"{prefix}.{key}" if prefix else str(key)
            p = ctx.key_pos(dotted)
            ctx.diags.append(
                warning(
                    ctx.path,
                    p.line,
                    p.col,
                    "FM015",
                    f'unknown field "{dotted}"{did_you_mean(str(key), known)}; it is ignored',
                )
            )
    kwargs: dict[str, Any] = {}
    for name, f in known.items():
        dotted = f"{prefix}.{name}" if prefix else name
        raw = data.get(name, _MISSING)
        meta = f.metadata
        if raw is _MISSING or raw is None:
            if meta.get("required"):
                if raw is None:
                    ctx.err(dotted, f"{dotted}: must not be empty", "FM010")
                else:
                    where = prefix or ""
                    ctx.err(
                        where,
                        f'missing required field "{dotted}"',
                        "FM010",
                        _field_hint(cls, f),
                    )
            continue
        value = _convert(hints[f.name], raw, dotted, meta, ctx)
        if value is not _MISSING:
            kwargs[f.name] = value
    try:
        return cls(**kwargs)
    except TypeError:
        return None


def _field_hint(cls: type, f: dataclasses.Field[Any]) -> str:
    hint = f.metadata.get("help", "")
    if hint:
        return hint
    choices = f.metadata.get("choices")
    if choices:
        return "one of: " + ", ".join(choices)
    return ""


def _convert(tp: Any, raw: Any, dotted: str, meta: Any, ctx: _Ctx) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = args[0]
        origin = typing.get_origin(tp)
    if origin is tuple:
        item_tp = typing.get_args(tp)[0]
        if isinstance(raw, str) and item_tp is str and meta.get("choices"):
            raw = [raw]  # "phase: phase2" is accepted as a one-item list
        if isinstance(raw, dict) and item_tp is Signoff:
            raw = [raw]  # one sign-off may be written as a mapping
        if not isinstance(raw, list):
            ctx.err(
                dotted,
                f"{dotted}: expected a list, got {_describe(raw)}",
                "FM011",
                f'write it as a list, e.g. {dotted.rsplit(".", 1)[-1]}: ["..."]',
            )
            return _MISSING
        items = []
        for i, item in enumerate(raw):
            v = _convert(item_tp, item, f"{dotted}.{i}", meta, ctx)
            if v is not _MISSING and v is not None:
                items.append(v)
        if meta.get("required") and not raw:
            ctx.err(dotted, f"{dotted}: must list at least one item", "FM010")
        return tuple(items)
    if dataclasses.is_dataclass(tp):
        if tp is Sponsor and isinstance(raw, str):
            raw = {"name": raw}
        if tp is Age:
            return _age(raw, dotted, ctx)
        return _build(cast(type, tp), raw, dotted, ctx)
    if tp is Date:
        return _date(raw, dotted, ctx)
    if tp is bool:
        if not isinstance(raw, bool):
            ctx.err(dotted, f"{dotted}: expected true or false, got {_describe(raw)}", "FM011")
            return _MISSING
        return raw
    if tp is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            ctx.err(dotted, f"{dotted}: expected a whole number, got {_describe(raw)}", "FM011")
            return _MISSING
        return _range(raw, dotted, meta, ctx)
    if tp is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            ctx.err(dotted, f"{dotted}: expected a number, got {_describe(raw)}", "FM011")
            return _MISSING
        return _range(float(raw), dotted, meta, ctx)
    if tp is str:
        if isinstance(raw, int | float) and not isinstance(raw, bool) and not meta.get("choices"):
            raw = str(raw)
        if not isinstance(raw, str):
            ctx.err(dotted, f"{dotted}: expected text, got {_describe(raw)}", "FM011")
            return _MISSING
        return _text(raw, dotted, meta, ctx)
    ctx.err(dotted, f"{dotted}: unsupported value", "FM011")  # pragma: no cover - model bug
    return _MISSING


def _range(value: Any, dotted: str, meta: Any, ctx: _Ctx) -> Any:
    lo, hi = meta.get("min_value"), meta.get("max_value")
    if not math.isfinite(value):
        expected = "a number" if lo is None or hi is None else f"a number from {lo:g} to {hi:g}"
        ctx.err(dotted, f"{dotted}: {value} is not a real number; expected {expected}", "FM012")
        return _MISSING
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        ctx.err(dotted, f"{dotted}: {value} is outside the range {lo} to {hi}", "FM012")
        return _MISSING
    return value


def _text(raw: str, dotted: str, meta: Any, ctx: _Ctx) -> Any:
    choices = meta.get("choices") or ()
    if choices:
        value = raw.strip()
        if value not in choices:
            lowered = value.lower().replace(" ", "_").replace("-", "_")
            if lowered in choices:
                return lowered
            ctx.err(
                dotted,
                f'{dotted}: "{raw}" is not one of {", ".join(choices)}'
                f"{did_you_mean(lowered, choices)}",
                "FM012",
            )
            return _MISSING
        return value
    if meta.get("required") and not raw.strip():
        ctx.err(dotted, f"{dotted}: must not be empty", "FM010")
        return _MISSING
    max_len = meta.get("max_len") or 0
    if max_len and len(raw) > max_len:
        ctx.err(
            dotted,
            f"{dotted}: {len(raw)} characters, the limit is {max_len}",
            "FM013",
            "shorter is easier to read; keep the details in the text",
        )
        return _MISSING
    pattern = meta.get("pattern")
    if pattern is not None and not pattern.match(raw):
        expect = meta.get("expect") or pattern.pattern
        ctx.err(dotted, f'{dotted}: "{_clip(raw)}" is not valid: expected {expect}', "FM016")
        return _MISSING
    at = first_unsafe(raw)
    if at >= 0:
        ctx.err(
            dotted,
            f"{dotted}: contains {describe(raw[at])} at character {at + 1}: control and "
            "text-direction override characters are not allowed",
            "FM017",
            "delete it (it may come from a YAML escape such as \\x1b or \\u202e)",
        )
        return _MISSING
    return raw


def _clip(text: str, n: int = 40) -> str:
    text = text.replace("\x00", "\\0")
    return text if len(text) <= n else text[: n - 1] + "…"


def _date(raw: Any, dotted: str, ctx: _Ctx) -> Any:
    if not isinstance(raw, str):
        ctx.err(dotted, f"{dotted}: expected a date (YYYY-MM-DD), got {_describe(raw)}", "FM014")
        return _MISSING
    m = DATE_RE.match(raw.strip())
    if not m:
        ctx.err(dotted, f'{dotted}: "{_clip(raw)}" is not a date: expected YYYY-MM-DD', "FM014")
        return _MISSING
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    try:
        date(year, month, day)
    except ValueError:
        ctx.err(dotted, f'{dotted}: "{raw}" is not a real date', "FM014")
        return _MISSING
    return Date(raw.strip())


_AGE_RE = re.compile(r"^\s*(\d{1,3})\s*([A-Za-z]+)?\s*$")


def _age(raw: Any, dotted: str, ctx: _Ctx) -> Any:
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, int) and 0 <= raw <= 999:
        return Age(raw, "years")
    m = _AGE_RE.match(raw) if isinstance(raw, str) else None
    if m:
        unit = (m.group(2) or "years").lower()
        if unit in AGE_UNITS:
            return Age(int(m.group(1)), unit)
    ctx.err(
        dotted,
        f'{dotted}: expected an age like "18 years" or "6 months", got "{_clip(str(raw))}"',
        "FM012",
    )
    return _MISSING


def effective_slug(meta: Any, file_stem: str) -> str:
    """The slug a page is published under: its ``slug`` field or a slug of its file name."""
    if getattr(meta, "slug", None):
        return str(meta.slug)
    return slugify(file_stem)


def condition_problems(meta: Any, fm: FrontMatter, rel: str) -> list[Diagnostic]:
    """FM016 for each condition that gives no web address (``conditions/<slug>/``): a name
    with no letter a-z or digit once accents are removed, such as "日本語" or "!!!"."""
    diags: list[Diagnostic] = []
    for i, name in enumerate(getattr(meta, "conditions", ()) or ()):
        if not slugify(name):
            pos = fm.positions.get(f"conditions.{i}")
            diags.append(
                error(
                    rel,
                    pos.line if pos else 0,
                    pos.col if pos else 0,
                    "FM016",
                    f'conditions.{i}: "{_clip(name)}" gives no web address for its condition '
                    "page: it needs at least one letter a-z or digit",
                    "write the condition in English or Spanish letters",
                )
            )
    return diags
