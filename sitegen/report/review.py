"""What the page report says about a page's sign-offs: the git commit that added each one,
and, for a page changed since its last sign-off, a word-level diff of what changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen.build.pipeline import BuildResult, load_page
from sitegen.build.signed import review_text_of, signed_text
from sitegen.content import provenance
from sitegen.content.config import SiteConfig
from sitegen.core.worddiff import Segment, word_diff


@dataclass(frozen=True)
class ReviewHistory:
    """Sign-off provenance of one page."""

    #: per sign-off (in file order): "commit 1a2b3c4 by A on 2026-12-02", or why there is none
    commits: tuple[str, ...] = ()
    #: what changed since the last sign-off (None: not changed, or the old text is unknown)
    diff: tuple[Segment, ...] | None = None


def review_histories(
    root: Path, config: SiteConfig, result: BuildResult
) -> dict[str, ReviewHistory]:
    """``ReviewHistory`` of every page with a sign-off, keyed by source path."""
    in_git = provenance.in_git(root)
    out: dict[str, ReviewHistory] = {}
    for r in result.results:
        c = r.check
        if not c.signoffs:
            continue
        commits = []
        for s in c.signoffs:
            commit = provenance.signoff_commit(root, r.page.path, s.text_hash) if in_git else None
            if commit is not None:
                commits.append(str(commit))
            else:
                commits.append("not committed yet" if in_git else "the site is not in git")
        diff = None
        if c.signoff_state == "changed":
            page, _ = load_page(r.page.path, r.page.kind, root / r.page.path, config)
            if page is not None:
                old = signed_text(root, config, page, c.signoffs[-1].text_hash)
                if old is not None:
                    diff = tuple(word_diff(old, review_text_of(page)))
        out[r.page.path] = ReviewHistory(tuple(commits), diff)
    return out
