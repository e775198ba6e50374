"""``Page``: one valid content file, ready to render (its metadata, language, URL and body).

The first of the stage types a page passes through; the later ones (``PageResult``,
``Outcome``, ``BuildResult``) are in ``render/stages.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.content.frontmatter import FrontMatter
from sitegen.content.model import PageMeta, ResultMeta, StudyMeta


@dataclass(frozen=True)
class Page:
    """One valid content file, ready to render."""

    path: str
    kind: str  # "study" | "page" | "result"
    meta: StudyMeta | PageMeta | ResultMeta
    slug: str
    lang: str
    url: str
    body: str
    body_line: int
    fm: FrontMatter = field(repr=False)

    @property
    def draft(self) -> bool:
        """Drafts are checked but never published."""
        return bool(self.meta.draft)
