"""Site configuration: a frozen, typed ``SiteConfig`` read from ``site.yml``.

Settings are declared once, below, with their default and help text; the loader, the docs
(``docs/configuration.md``) and a test that every setting is documented all read this table.
Unknown keys warn with a "did you mean" suggestion instead of being silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen.content.brand import colour_problems, logo_problem
from sitegen.content.folders import CONFIG_NAME, check_files, check_folders
from sitegen.content.frontmatter import FrontMatter, Position, parse_yaml
from sitegen.content.model import EMAIL_RE, ROLE_RE, Date, parse_meta, spec
from sitegen.core.diagnostics import Diagnostic, did_you_mean, error
from sitegen.core.languages import LANGS
from sitegen.readability.completeness import DEFAULT_REQUIRED, TOPICS, Topic
from sitegen.readability.model import GateSettings

#: the gate's defaults, declared once in ``GateSettings``; ``site.yml`` may change them
_GATE = GateSettings()

#: readers' imported answers (``feedback``), relative to the site root
FEEDBACK_STORE = "feedback/responses.json"
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

#: the settings file's own codes for what the shared YAML reader and validator find: the
#: problem that is FMnnn in a page's front matter is CFG1nn in ``site.yml``
SETTINGS_CODES = {
    "FM003": "CFG103",
    "FM004": "CFG104",
    "FM005": "CFG105",
    "FM006": "CFG106",
    "FM007": "CFG107",
    "FM008": "CFG108",
    "FM010": "CFG110",
    "FM011": "CFG111",
    "FM012": "CFG112",
    "FM013": "CFG113",
    "FM014": "CFG114",
    "FM015": "CFG115",
    "FM016": "CFG116",
    "FM017": "CFG117",
}


@dataclass(frozen=True)
class Organisation:
    """Who publishes the site: shown in the header, footer and contact box."""

    name: str = spec(default="Clinical Research Office", max_len=120, help="its name")
    phone: str | None = spec(max_len=60, help="a phone number people can call")
    email: str | None = spec(max_len=200, help="an e-mail address people can write to")
    address: str | None = spec(max_len=300, help="a postal address")


@dataclass(frozen=True)
class ReadabilityConfig:
    """Targets for the readability gate (see README, "The readability gate")."""

    target: float = spec(
        default=_GATE.target, min_value=1, max_value=20, help="warn above this grade"
    )
    limit: float = spec(
        default=_GATE.limit, min_value=1, max_value=20, help="block above this grade"
    )
    block_on_replace_jargon: bool = spec(
        default=_GATE.block_on_replace_jargon,
        help="block a page that uses a word with a plainer one to say instead",
    )
    block_on_promotional: bool = spec(
        default=_GATE.block_on_promotional,
        help='block recruitment wording such as "cure" or "breakthrough"',
    )
    max_sentence_words: int = spec(
        default=_GATE.max_sentence_words,
        min_value=5,
        max_value=100,
        help="flag sentences longer than this",
    )
    rare_word_zipf: float = spec(
        default=_GATE.rare_word_zipf,
        min_value=0,
        max_value=8,
        help="flag words rarer than this (3: about once in a million words; higher flags more)",
    )
    allow: tuple[str, ...] = spec(default=(), help="terms never flagged on this site")
    glossary: tuple[str, ...] = spec(default=(), help="extra glossary YAML files, site-relative")
    clarity_min: float = spec(
        default=_GATE.clarity_min,
        min_value=0,
        max_value=100,
        help="warn when a page's clear-communication score (0-100) is below this",
    )


@dataclass(frozen=True)
class ReviewConfig:
    """Who must sign a blocked page off before it is published (see docs/review.md)."""

    roles: tuple[str, ...] = spec(
        default=(),
        pattern=ROLE_RE,
        expect="a role name like patient or clinical",
        help="reviewer roles that must each sign a blocked page off, e.g. [patient, clinical]",
    )


#: where a feedback form may post: an https URL, or a path on the site itself
ENDPOINT_RE = re.compile(r"^(?:https://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s\"'<>\\]*)?|/[^\s\"'<>\\]*)$")


@dataclass(frozen=True)
class FeedbackConfig:
    """Reader feedback: "Was this page easy to understand?" at the end of each page.

    Off by default. The form posts to ``endpoint`` (no script, no cookie), or, with only
    ``email``, the page offers a ``mailto:`` link instead (docs/feedback.md).
    """

    enabled: bool = spec(default=False, help="show the feedback question on every page")
    endpoint: str | None = spec(
        pattern=ENDPOINT_RE,
        expect="an https:// URL, or a path on this site starting with /",
        max_len=300,
        help="where the form is posted (an https URL or a path on this site)",
    )
    email: str | None = spec(
        pattern=EMAIL_RE, expect="an e-mail address", max_len=200,
        help="without an endpoint: readers answer by e-mail (a mailto: link)",
    )  # fmt: skip


@dataclass(frozen=True)
class Limitation:
    """A known accessibility limit of the site, in plain words, per language."""

    en: str | None = spec(max_len=400, help="in English")
    es: str | None = spec(max_len=400, help="in Spanish")


@dataclass(frozen=True)
class AccessibilityConfig:
    """The accessibility statement page (``accessibility/``), linked from every footer."""

    standard: str = spec(default="WCAG 2.2", max_len=60, help="the standard the site aims at")
    level: str = spec(default="AA", choices=("A", "AA", "AAA"), help="the level aimed at")
    status: str = spec(
        default="partial", choices=("full", "partial", "none"),
        help="full, partial or none: how far the site meets it",
    )  # fmt: skip
    limitations: tuple[Limitation, ...] = spec(
        default=(), help="known limits, each with its text in en and es"
    )
    contact: str | None = spec(
        max_len=200, help="e-mail or phone for accessibility problems (default: organisation)"
    )
    reviewed: Date | None = spec(help="when the statement was last checked (YYYY-MM-DD)")


@dataclass(frozen=True)
class Question:
    """The heading to suggest for a topic, per language."""

    en: str | None = spec(max_len=120, help="in English")
    es: str | None = spec(max_len=120, help="in Spanish")


_TOPIC_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class TopicConfig:
    """A question pages must answer (a built-in one changed, or a new one)."""

    name: str = spec(
        required=True,
        pattern=_TOPIC_NAME,
        expect="a lower-case name like risks",
        help="a built-in topic to change, or a new one",
    )
    question: Question | None = None
    en: tuple[str, ...] = spec(default=(), help="words that mark its heading in English")
    es: tuple[str, ...] = spec(default=(), help="words that mark its heading in Spanish")
    fields: tuple[str, ...] = spec(
        default=(), help="front-matter fields that answer it without a heading"
    )
    open_only: bool | None = spec(help="needed only while a study looks for volunteers")


@dataclass(frozen=True)
class CompletenessConfig:
    """Which questions each page type must answer (CP001); see docs/configuration.md."""

    study: tuple[str, ...] = spec(
        default=DEFAULT_REQUIRED["study"], help="topics every study page must answer"
    )
    page: tuple[str, ...] = spec(
        default=DEFAULT_REQUIRED["page"], help="topics every plain page must answer"
    )
    topics: tuple[TopicConfig, ...] = spec(
        default=(), help="built-in topics changed, or new ones: name, question, en, es, fields"
    )

    def topic_table(self) -> dict[str, Topic]:
        """The built-in topics with this site's changes and additions."""
        table = dict(TOPICS)
        for t in self.topics:
            base = table.get(t.name, Topic(t.name, {}, {}))
            question = dict(base.question)
            if t.question is not None:
                question.update(
                    {k: v for k, v in (("en", t.question.en), ("es", t.question.es)) if v}
                )
            words = dict(base.words)
            words.update({k: v for k, v in (("en", t.en), ("es", t.es)) if v})
            table[t.name] = Topic(
                t.name,
                question,
                words,
                t.fields or base.fields,
                base.open_only if t.open_only is None else t.open_only,
            )
        return table

    def required(self, kind: str) -> tuple[Topic, ...]:
        """The topics a page of ``kind`` ("study", "page", ...) must answer."""
        names = {"study": self.study, "page": self.page}.get(kind, ())
        table = self.topic_table()
        return tuple(table[n] for n in names if n in table)


@dataclass(frozen=True)
class Translation:
    """The site's own texts in a language other than ``language`` (header, home page)."""

    lang: str = spec(required=True, choices=LANGS)
    title: str | None = spec(max_len=80, help="the site's name in this language")
    tagline: str | None = spec(max_len=160, help="the tagline in this language")
    description: str | None = spec(max_len=300, help="meta description of this home page")
    organisation: str | None = spec(max_len=120, help="the organisation's name in this language")


@dataclass(frozen=True)
class Brand:
    """The site's own look: logo, colours and footer text (see docs/make-it-yours.md)."""

    logo: str | None = spec(
        max_len=200, help="an SVG or PNG file in the site folder, shown beside the site's name"
    )
    primary: str = spec(
        default="#0b5c73",
        pattern=HEX_COLOUR,
        expect='a colour like "#0b5c73"',
        help="main colour: header, buttons, links (white text must be readable on it)",
    )
    accent: str = spec(
        default="#ffbf47",
        pattern=HEX_COLOUR,
        expect='a colour like "#ffbf47"',
        help="the ring around what the keyboard is on, and the skip link",
    )
    footer: str | None = spec(max_len=300, help="a line of text at the foot of every page")


@dataclass(frozen=True)
class SiteConfig:
    """Everything ``site.yml`` can set. Paths are relative to the site root."""

    title: str = spec(default="Clinical studies", max_len=80, help="the site's name")
    tagline: str | None = spec(max_len=160, help="a line under the site's name")
    description: str | None = spec(max_len=300, help="meta description of the home page")
    base_url: str = spec(
        default="https://studies.example.org/",
        help="absolute URL the site is published at (canonical links, sitemap)",
    )
    language: str = spec(default="en", choices=LANGS, help="default language of pages")
    organisation: Organisation = field(default_factory=Organisation)
    translations: tuple[Translation, ...] = spec(
        default=(), help="title, tagline and description in other languages"
    )
    readability: ReadabilityConfig = field(default_factory=ReadabilityConfig)
    brand: Brand = field(default_factory=Brand)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    feedback: FeedbackConfig = field(default_factory=FeedbackConfig)
    accessibility: AccessibilityConfig = field(default_factory=AccessibilityConfig)
    completeness: CompletenessConfig = field(default_factory=CompletenessConfig)
    content_dir: str = spec(default="content", help="folder of the pages you write")
    templates_dir: str = spec(default="templates", help="folder of your own templates")
    output_dir: str = spec(default="output", help="folder the finished site is written to")
    reports_dir: str = spec(default="reports", help="folder of the reviewer reports")
    max_file_kb: int = spec(
        default=1024, min_value=1, max_value=102400, help="largest page file, in kilobytes"
    )

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")

    def extra_files(self) -> tuple[str, ...]:
        """Site files a build reads besides content, templates and ``site.yml``: extra
        glossaries and the logo (site-relative)."""
        return (*self.readability.glossary, *((self.brand.logo,) if self.brand.logo else ()))

    def texts(self, lang: str) -> Translation:
        """The site's title, tagline, description and organisation name in ``lang``;
        untranslated texts fall back to the default language's."""
        tr = next((t for t in self.translations if t.lang == lang), None)
        if tr is None or lang == self.language:
            tr = Translation(lang)
        return Translation(
            lang,
            tr.title or self.title,
            tr.tagline or self.tagline,
            tr.description or self.description,
            tr.organisation or self.organisation.name,
        )


@dataclass(frozen=True)
class Project:
    """A loaded site: its root folder and configuration."""

    root: Path
    config: SiteConfig

    def path(self, rel: str) -> Path:
        """An absolute path for a site-relative one."""
        return self.root / rel


def load_config(root: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read ``root/site.yml``; a missing file means all defaults."""
    path = root / CONFIG_NAME
    if not path.exists():
        return _folders_checked(root, SiteConfig(), None, [])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [error(CONFIG_NAME, 0, 0, "CFG001", f"site.yml is not UTF-8 text: {exc}")]
    except OSError as exc:
        return None, [error(CONFIG_NAME, 0, 0, "CFG001", f"cannot read site.yml: {exc.strerror}")]
    if not text.strip():
        return _folders_checked(root, SiteConfig(), None, [])
    fm, diags = parse_yaml(
        text, CONFIG_NAME, what="site.yml", empty_hint="see docs/configuration.md"
    )
    diags = _settings_codes(diags)
    if fm is None:
        return None, diags
    cfg, more = parse_meta(fm, CONFIG_NAME, SiteConfig)
    diags = diags + _settings_codes(more)
    if cfg is None:
        return None, diags
    diags = diags + _check_brand(root, cfg.brand, fm.positions)
    fb = cfg.feedback
    if fb.enabled and not (fb.endpoint or fb.email):
        p = fm.positions.get("feedback.enabled") or fm.positions.get("feedback")
        diags.append(
            error(
                CONFIG_NAME, p.line if p else 0, p.col if p else 0, "CFG030",
                "feedback.enabled: the feedback form needs feedback.endpoint (where answers "
                "are sent) or feedback.email",
                "see docs/feedback.md",
            )
        )  # fmt: skip
    diags = diags + _unknown_topics(cfg.completeness, fm.positions)
    return _folders_checked(root, cfg, fm, diags)


def _settings_codes(diags: list[Diagnostic]) -> list[Diagnostic]:
    """The reader's and validator's diagnostics under the settings file's codes."""
    return [replace(d, code=SETTINGS_CODES.get(d.code, d.code)) for d in diags]


def _folders_checked(
    root: Path, cfg: SiteConfig, fm: FrontMatter | None, diags: list[Diagnostic]
) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """``cfg`` and ``diags`` with the folder settings checked as a set (``folders``)."""
    names = ("content_dir", "templates_dir", "output_dir", "reports_dir")

    def where(name: str) -> tuple[int, int]:
        p = fm.positions.get(name) if fm is not None else None
        return (p.line, p.col) if p else (0, 0)

    diags = diags + check_folders(root, {n: getattr(cfg, n) for n in names}, where)
    glossaries = {f"readability.glossary.{i}": g for i, g in enumerate(cfg.readability.glossary)}
    diags += check_files(root, glossaries, where)
    if any(d.is_error for d in diags):
        return None, diags
    return cfg, diags


def _check_brand(root: Path, brand: Brand, positions: dict[str, Position]) -> list[Diagnostic]:
    """Contrast of every colour pair the theme draws with the brand colours (CFG020), and
    the logo file (CFG021)."""

    def at(name: str) -> tuple[int, int]:
        p = positions.get(name) or positions.get("brand")
        return (p.line, p.col) if p else (0, 0)

    diags = []
    for setting, message, hint in colour_problems(brand.primary, brand.accent):
        line, col = at(f"brand.{setting}")
        diags.append(error(CONFIG_NAME, line, col, "CFG020", message, hint))
    if brand.logo:
        problem = logo_problem(root, brand.logo)
        if problem:
            line, col = at("brand.logo")
            diags.append(error(CONFIG_NAME, line, col, "CFG021", problem))
    return diags


def _unknown_topics(c: CompletenessConfig, positions: dict[str, Position]) -> list[Diagnostic]:
    """CFG040: a page type asks for a topic that is neither built in nor defined."""
    known = c.topic_table()
    out = []
    for kind in ("study", "page"):
        for i, name in enumerate(getattr(c, kind)):
            if name in known:
                continue
            p = positions.get(f"completeness.{kind}.{i}")
            out.append(
                error(CONFIG_NAME, p.line if p else 0, p.col if p else 0, "CFG040",
                          f'completeness.{kind}: unknown topic "{name}"'
                          f"{did_you_mean(name, known)}",
                          "use a built-in topic (" + ", ".join(TOPICS) + ") or define it "
                          "under completeness.topics")
            )  # fmt: skip
    return out
