"""The readability package's data types: inputs, settings, findings and the page result.

Every type is plain data (a frozen dataclass or a named tuple) and this module imports nothing
else of the package, so every other module can import it. The pipeline builds ``ProseField``,
``GateSettings`` and ``Signoff`` from front matter and ``site.yml``; ``check_document``
returns a ``PageCheck``, which ``formats`` turns into diagnostics, JSON or SARIF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, NamedTuple

from sitegen.core.cachefile import Deferred

Verdict = Literal["pass", "warn", "block"]
SignoffState = Literal["none", "approved", "changed"]
FindingSeverity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class ProseField:
    """A patient-facing front-matter string (title, summary, eligibility bullets ...).

    ``line`` and ``column`` are 1-based and point at the value's first character (after any
    opening quote). ``exact`` is False when the YAML scalar was folded, multi-line or escaped:
    offsets past the first line are then unknown and findings are reported at
    ``(line, column)``.
    """

    name: str
    text: str
    line: int
    column: int
    exact: bool = True


class Required(NamedTuple):
    """A question a page must answer with a heading (``completeness``), in the page's
    language: its topic's name, the suggested heading and the recognising words."""

    name: str
    question: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class GateSettings:
    """How strict the gate is. Grades are on the US school-grade scale (see ``GATE.md``)."""

    target: float = 8.0
    limit: float = 10.0
    block_on_replace_jargon: bool = True
    block_on_promotional: bool = True
    allow: frozenset[str] = frozenset()
    max_sentence_words: int = 20
    rare_word_zipf: float = 3.0
    #: pages with fewer words are never blocked on their grade alone (scores are unstable)
    min_words_to_block: int = 50
    #: texts with fewer words get ``stats["short_text"] = True``
    short_text_words: int = 100
    #: sections with fewer words get no RD004 warning
    min_section_words: int = 30
    #: lower-case words of the page's own subjects (its conditions and intervention names):
    #: never reported as rare words (JG005)
    subjects: frozenset[str] = frozenset()
    #: the page's own ``readability`` target and limit (None: not set). Stricter values than
    #: the site's apply at once; looser ones only with a reviewer's sign-off (RD005)
    page_target: float | None = None
    page_limit: float | None = None
    #: a clear-communication score below this is a warning (CC000)
    clarity_min: float = 70.0
    #: the questions the page must answer with a heading (CP001, ``completeness``)
    required: tuple[Required, ...] = ()
    #: hint texts the page template writes (PH001), recognised exactly
    placeholders: tuple[str, ...] = ()
    #: the template's example front-matter values (PH005)
    example_values: tuple[str, ...] = ()

    def allows(self, term: str) -> bool:
        """True when ``term`` is on the site's allow-list (case-insensitive)."""
        return bool(self.allow) and term.casefold() in self._allow_folded

    @cached_property
    def _allow_folded(self) -> frozenset[str]:
        return frozenset(t.casefold() for t in self.allow)


@dataclass(frozen=True)
class Waiver:
    """A reviewer's decision to accept findings: ``text`` "" waives every finding of ``code``."""

    code: str
    text: str
    reason: str


@dataclass(frozen=True)
class Signoff:
    """A reviewer's sign-off of the page text whose hash is ``text_hash``.

    ``accepted`` is what the reviewer accepted: (code, number of findings) pairs. ``None``
    means the sign-off only carries ``waivers`` (single findings), and does not sign the page
    off as a whole.
    """

    by: str
    date: str
    text_hash: str
    waivers: tuple[Waiver, ...] = ()
    role: str = ""
    accepted: tuple[tuple[str, int], ...] | None = None

    @property
    def signs_page(self) -> bool:
        """True for a sign-off of the whole page (not only single waivers)."""
        return self.accepted is not None

    @property
    def who(self) -> str:
        """``"A. Reviewer (patient reviewer)"``, or just the name without a role."""
        return f"{self.by} ({self.role})" if self.role else self.by


@dataclass(frozen=True)
class Fix:
    """A drop-in edit: replace the file text ``old`` from ``line:column`` to
    ``end_line:end_column`` (1-based, end exclusive) with ``new``."""

    line: int
    column: int
    end_line: int
    end_column: int
    old: str
    new: str


@dataclass(frozen=True)
class Finding:
    """One located problem in the page's prose.

    ``line``/``column`` are 1-based file positions of the first character of ``text``;
    ``text`` is the exact source slice there (for a field whose ``exact`` is False, the
    matched text and the field's own position). ``end_line``/``end_column`` point just past
    the last character (exclusive, like SARIF's ``endColumn``). ``line`` 0 means the finding
    is about the whole page.
    """

    rule: str
    code: str
    severity: FindingSeverity
    line: int
    column: int
    text: str
    message: str
    suggestion: str = ""
    definition: str = ""
    waived_by: str = ""
    end_line: int = 0
    end_column: int = 0
    #: grouping key for "(+N more)": the dictionary term or the lower-cased word
    key: str = ""
    #: where in the page: "" for the body, else the front-matter field name
    field: str = ""
    #: the edit that applies ``suggestion`` as it is (``check --fix``), if it is safe
    fix: Fix | None = None


@dataclass(frozen=True)
class SectionScore:
    """Scores of one ``##`` section of the body."""

    title: str
    line: int
    words: int
    sentences: int
    grade: float
    scores: dict[str, float]


@dataclass(frozen=True)
class ItemResult:
    """How one page did on one clear-communication item: ``met`` None means not applicable."""

    code: str
    met: bool | None
    detail: str = ""


@dataclass(frozen=True)
class Clarity(Deferred):
    """A page's clear-communication score and every item's result (``clarity``)."""

    score: int | None
    items: tuple[ItemResult, ...]
    #: the codes of the items the page failed (what the dashboard shows of ``items``)
    failed: tuple[str, ...]


@dataclass(frozen=True)
class PageCheck(Deferred):
    """The result of checking one page: verdict, grade, scores, findings (``formats`` gives
    it as diagnostics, JSON and SARIF)."""

    path: str
    lang: str
    verdict: Verdict
    grade: float
    scores: dict[str, float]
    sections: list[SectionScore]
    stats: dict[str, Any]
    findings: list[Finding]
    signoff_state: SignoffState
    text_hash: str
    target: float = 8.0
    limit: float = 10.0
    draft: bool = False
    #: why the verdict is what it is, e.g. "blocked", "over target" (the RD001 message tail)
    reason: str = ""
    signoff: Signoff | None = field(default=None, compare=False)
    #: every sign-off in the page file, oldest first (``signoff`` is the newest)
    signoffs: tuple[Signoff, ...] = field(default=(), compare=False)
    #: roles the site requires whose sign-off of this text is still missing (blocked pages)
    missing_roles: tuple[str, ...] = ()
    #: the whole-page sign-offs of the current text that count (every role's, if required)
    signers: tuple[Signoff, ...] = field(default=(), compare=False)
    #: the clear-communication score and its items (``clarity``)
    clarity: Clarity | None = None
