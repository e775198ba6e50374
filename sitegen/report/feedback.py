"""What readers said, next to what the checker found: ``reports/feedback.html`` and the
"Readers" line of each page report.

The answers come from ``feedback/responses.json`` (``sitegen feedback import``); pages are
matched by URL. Words readers marked hard that neither the dictionary nor the site glossary
explains are listed as candidate glossary entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.content.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic
from sitegen.render.feedback import (
    Candidate,
    PageFeedback,
    candidates,
    lexicon_knows,
    load_store,
    summarise,
)
from sitegen.report.env import render
from sitegen.report.overview import VERDICT_LABEL, PageSummary

if TYPE_CHECKING:
    from sitegen.build.pipeline import BuildResult

#: the feedback report, relative to the reports folder
FILE_NAME = "feedback.html"


@dataclass(frozen=True)
class ReaderFeedback:
    """Every page's answers (by URL), the candidate glossary entries, and answers about
    pages the site does not have (any more)."""

    pages: dict[str, PageFeedback]
    candidates: tuple[Candidate, ...]
    unknown: tuple[str, ...]
    answers: int

    def for_page(self, url: str) -> PageFeedback | None:
        """The answers about the page at ``url``."""
        return self.pages.get(url)


def reader_feedback(
    root: Path, config: SiteConfig, result: BuildResult
) -> tuple[ReaderFeedback | None, list[Diagnostic]]:
    """The stored answers, matched to this build's pages; None when there are none."""
    store, diags = load_store(root)
    responses = store.responses
    if not responses:
        return None, diags
    langs = {r.page.url: r.page.lang for r in result.results}
    pages = summarise(responses)
    known = lexicon_knows(tuple(root / g for g in config.readability.glossary))
    found = candidates(responses, lambda url: langs.get(url, config.language), known)
    unknown = tuple(url for url in pages if url not in langs)
    return ReaderFeedback(pages, tuple(found), unknown, len(responses)), diags


def render_feedback_report(
    site_title: str, summaries: Sequence[PageSummary], readers: ReaderFeedback
) -> bytes:
    """``reports/feedback.html``: per page, readers' answers beside the checker's verdict,
    grade and findings; then the candidate glossary entries."""
    rows = [
        (s, readers.for_page(s.result.page.url))
        for s in sorted(summaries, key=lambda s: s.result.page.url)
        if readers.for_page(s.result.page.url) is not None
    ]
    return render(
        "feedback.html",
        site_title=site_title,
        rows=rows,
        readers=readers,
        verdict_labels=VERDICT_LABEL,
    )
