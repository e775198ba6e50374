"""Paged study listings, so that no page grows with the site: the home page and each condition
page list ``STUDIES_PER_PAGE`` studies, the rest on ``page/2/``, ``page/3/`` ... after the
listing's own URL, linked by a pager. A listing of more than one page also gets the language's
``listing.json`` (every study's card, in listing order), which the study finder and "studies
near me" load on demand, so that they still cover every study.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.core.paging import page_count, page_numbers
from sitegen.core.urls import listing_page_url
from sitegen.render.context import SiteRender, page_context
from sitegen.render.nearme import near_of
from sitegen.render.views import StudyView

#: studies on each page of a listing (about 1 KB of HTML each: a page stays under 60 KB)
STUDIES_PER_PAGE = 30
#: every study's card of one language, after its URL prefix (``en`` at the root)
INDEX_FILE = "listing.json"
#: the script that loads it
INDEX_SCRIPT = "listing.js"


@dataclass(frozen=True)
class Pager:
    """Where one page of a listing is among all of them; URLs from the site root."""

    number: int
    count: int
    total: int
    prev: str | None
    next: str | None
    #: (number, URL) of each linked page in order; ``None`` where numbers are left out
    links: tuple[tuple[int, str] | None, ...]


def is_paged(studies: Sequence[StudyView]) -> bool:
    """Whether a listing of ``studies`` takes more than one page."""
    return len(studies) > STUDIES_PER_PAGE


def pages(
    studies: Sequence[StudyView], base: str
) -> list[tuple[str, list[StudyView], Pager | None]]:
    """The pages of the listing at ``base``: (URL, its studies, its pager), first page first;
    one page without a pager when every study fits on it."""
    per = STUDIES_PER_PAGE
    if not is_paged(studies):
        return [(base, list(studies), None)]
    count = page_count(len(studies), per)
    out: list[tuple[str, list[StudyView], Pager | None]] = []
    for n in range(1, count + 1):
        pager = Pager(
            number=n,
            count=count,
            total=len(studies),
            prev=listing_page_url(base, n - 1) if n > 1 else None,
            next=listing_page_url(base, n + 1) if n < count else None,
            links=tuple(
                None if k is None else (k, listing_page_url(base, k))
                for k in page_numbers(n, count)
            ),
        )
        out.append((listing_page_url(base, n), list(studies[(n - 1) * per : n * per]), pager))
    return out


def index_url(site: SiteRender, lang: str) -> str:
    """The URL of ``lang``'s ``listing.json``, from the site root."""
    return site.per[lang].prefix + INDEX_FILE


def listing_index(site: SiteRender, lang: str) -> bytes:
    """``listing.json`` of ``lang``: ``{"cards": [...]}``, each study's card as the home page
    shows it (the same template, links relative to the file), in listing order."""
    st = site.per[lang]
    ctx = page_context(site.config, st.cat, lang, st.prefix, site.shared[lang], site.versions, {})
    ctx["near"] = near_of(st.studies, site.near)
    template = site.env.get_template("partials/study_card.html")
    cards = [template.render({**ctx, "s": s}) for s in st.studies]
    text = json.dumps({"cards": cards}, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")
