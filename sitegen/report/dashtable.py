"""The dashboard's page table at any site size: the first ``ROWS_PER_PAGE`` rows are real HTML
in ``index.html``; on a bigger site the rest are static pages ``table/2.html`` ... in the same
order (readable without JavaScript, linked by a pager), and ``table/rows.js`` holds every row as
compact JSON that the sortable, filterable table loads when a reviewer first sorts or filters,
so sorting and filtering cover every page while ``index.html`` stays the same size.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sitegen.build.outputs import render_key
from sitegen.core.paging import page_count as _page_count
from sitegen.core.paging import page_numbers
from sitegen.report.overview import FORMULAS, PageSummary

#: rows of the page table in ``index.html`` and in each ``table/N.html``
ROWS_PER_PAGE = 100
#: the file with every row, relative to the reports folder
ROWS_FILE = "table/rows.js"
#: page numbers the pager links either side of the current one (plus the first and last)
PAGER_SPAN = 2


@dataclass(frozen=True)
class PagerLink:
    """A numbered link of the pager; ``href`` is relative to the page that shows it."""

    number: int
    href: str
    current: bool


@dataclass(frozen=True)
class Pager:
    """Where a page of the table is among all of them."""

    number: int  # 1 is index.html
    count: int
    first_row: int
    last_row: int
    total: int
    prev: str | None
    next: str | None
    #: numbered links in order; ``None`` where numbers are left out
    links: tuple[PagerLink | None, ...]


def page_count(total: int, per_page: int = ROWS_PER_PAGE) -> int:
    """How many pages the table of ``total`` rows has (at least one)."""
    return _page_count(total, per_page)


def page_file(number: int) -> str:
    """The file of page ``number`` of the table, relative to the reports folder."""
    return "index.html" if number == 1 else f"table/{number}.html"


def pager(number: int, total: int, per_page: int = ROWS_PER_PAGE) -> Pager:
    """The pager of page ``number`` (1-based) of a table of ``total`` rows: previous and next,
    the first and last pages and ``PAGER_SPAN`` either side of this one."""
    count = page_count(total, per_page)
    base = "" if number == 1 else "../"

    def href(n: int) -> str:
        return base + page_file(n)

    links = tuple(
        None if n is None else PagerLink(n, href(n), n == number)
        for n in page_numbers(number, count, PAGER_SPAN)
    )
    return Pager(
        number=number,
        count=count,
        first_row=(number - 1) * per_page + 1,
        last_row=min(total, number * per_page),
        total=total,
        prev=href(number - 1) if number > 1 else None,
        next=href(number + 1) if number < count else None,
        links=links,
    )


def used_formulas(summaries: Sequence[PageSummary]) -> list[tuple[str, str, str, str]]:
    """The formulas at least one page has a score for, in ``FORMULAS`` order."""
    scored: set[str] = set()
    for s in summaries:
        scored.update(s.result.check.scores)
    return [f for f in FORMULAS if f[0] in scored]


def _one_decimal(x: float | None) -> float | None:
    """A score as the table shows it (one decimal): shorter in ``rows.js``."""
    return None if x is None else round(x, 1)


def row_data(
    s: PageSummary, waiting: Sequence[str], formulas: Sequence[tuple[str, str, str, str]]
) -> list[object]:
    """One row as ``rows.js`` stores it: a list in the order ``report.js`` reads it
    (``ROW_FIELDS``). What ``report.js`` can make from other fields (the counts' wording,
    the detail of a page that needs no sign-off) is left out."""
    c = s.check
    clarity = c.clarity
    return [
        s.order,
        s.title,
        s.path,
        s.report,
        1 if c.draft else 0,
        c.lang,
        c.verdict,
        c.reason,
        c.grade,
        c.target,
        c.limit,
        None if clarity is None else clarity.score,
        [] if clarity is None else list(clarity.failed),
        s.errors,
        s.warnings,
        s.findings,
        s.counts_text,
        s.waived,
        s.signoff.state,
        "" if s.signoff.state == "none" else s.signoff.detail,
        list(waiting),
        s.delta,
        [_one_decimal(c.scores.get(key)) for key, *_ in formulas],
    ]


#: the names of ``row_data``'s fields, written into ``rows.js`` for ``report.js``
ROW_FIELDS = [
    *("order", "title", "path", "report", "draft", "lang", "verdict", "reason", "grade"),
    *("target", "limit", "clarity", "failed", "errors", "warnings", "findings", "counts"),
    *("waived", "signoff", "detail", "waiting", "delta", "scores"),
]


#: ``json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)`` without
#: making an encoder for every row
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _compact(value: object) -> str:
    """JSON without spaces, keys sorted (deterministic)."""
    return _COMPACT.encode(value)


def row_texts(
    summaries: Sequence[PageSummary],
    waiting_for: Mapping[str, Sequence[str]],
    formulas: Sequence[tuple[str, str, str, str]],
) -> list[str]:
    """Each row as ``rows.js`` writes it (``row_data`` as compact JSON), in order."""
    return [_compact(row_data(s, waiting_for.get(s.path, ()), formulas)) for s in summaries]


def rows_script(
    summaries: Sequence[PageSummary],
    waiting_for: Mapping[str, Sequence[str]],
    labels: Mapping[str, Mapping[str, str]],
    rows: Sequence[str] | None = None,
) -> bytes:
    """``table/rows.js``: every row of the table as compact JSON assigned to
    ``window.sitegenRows`` (a script, not a ``.json`` file, so that it loads from ``file://``
    too). ``labels`` are the verdict and sign-off labels the rows show; ``rows``: the rows'
    ``row_texts``, when already made."""
    formulas = used_formulas(summaries)
    head = {
        "fields": ROW_FIELDS,
        "formulas": [[key, name, kind] for key, _, name, kind in formulas],
        "labels": labels,
    }
    if rows is None:
        rows = row_texts(summaries, waiting_for, formulas)
    meta = _compact(head)
    body = ",\n".join(rows)
    text = (
        "/* Every row of the dashboard's page table (sitegen). */\n"
        f'window.sitegenRows = {{"meta":{meta},\n"rows":[\n{body}\n]}};\n'
    )
    return text.encode("utf-8")


def table_page_key(
    salt: str, pager: Pager, summaries: Sequence[PageSummary], rows: Sequence[str]
) -> str:
    """The render key of a table page ``table/N.html`` (``pager``) showing ``summaries``
    (``rows``: their ``row_texts``). ``salt`` stands for what every table page shows alike
    (sitegen's code and templates, the site's title and gate settings, the formulas).

    A row shows what its ``rows.js`` row holds, with the scores unrounded and the whole
    sign-off state: an edit that changes one page's row (or moves rows) changes the key of
    exactly the table pages whose rows changed."""
    return render_key(
        salt,
        pager,
        [
            (row, s.signoff, sorted(s.check.scores.items()))
            for s, row in zip(summaries, rows, strict=True)
        ],
    )
