"""What a reviewer signs: a page's review text now, and the text an earlier sign-off signed.

``approve`` records the hash of ``review_text_of(page)``; the page report shows a word diff of
what changed since (``signed_text``). Both need a loaded page, so they live in the build layer,
below the command and the reports that use them.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.build.pages import load_page, prose_fields
from sitegen.content import provenance
from sitegen.content.config import SiteConfig
from sitegen.content.pages import Page
from sitegen.readability import review_facts, review_text


def review_text_of(page: Page) -> str:
    """What a reviewer signs off on ``page`` (``readability.review_text``)."""
    return review_text(page.body, prose_fields(page), review_facts(page.fm.data))


def signed_text(root: Path, config: SiteConfig, page: Page, digest: str) -> str | None:
    """The review text that had hash ``digest``: from the local snapshot or from git."""
    text = provenance.load_snapshot(root, digest)
    if text is not None:
        return text
    commit = provenance.signoff_commit(root, page.path, digest)
    source = provenance.file_at(root, commit, page.path) if commit else None
    if source is None:
        return None
    old, _ = load_page(page.path, page.kind, root / page.path, config, text=source)
    return None if old is None else review_text_of(old)
