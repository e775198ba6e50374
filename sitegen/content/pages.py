"""``Page``: one valid content file, ready to render (its metadata, language, URL and body).

The first of the stage types a page passes through; the later ones (``PageResult``,
``Outcome``, ``BuildResult``) are in ``render/stages.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.content.frontmatter import FrontMatter
from sitegen.content.model import PageMeta, ResultMeta, StudyMeta
from sitegen.core.cachefile import Deferred


@dataclass(frozen=True)
class Page(Deferred):
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

    def kept_from(self, other: Page) -> bool:
        """True when this page is ``other`` as the preview keeps it between builds: the very
        object, or one with ``other``'s very metadata and URL objects
        (``pagememory.kept_metadata``) and the same path, kind, language and slug. What was
        computed from a page's metadata and place in the site still holds for it."""
        return self is other or (
            self.meta is other.meta
            and self.url is other.url
            and self.path == other.path
            and self.kind == other.kind
            and self.lang == other.lang
            and self.slug == other.slug
        )

    @property
    def draft(self) -> bool:
        """Drafts are checked but never published."""
        return bool(self.meta.draft)
