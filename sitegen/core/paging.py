"""Paging a long list: how many pages, and which page numbers a pager links (the first and
last pages, and a few either side of the current one). Used by the public listings and the
reviewer dashboard's table, so that no page grows with the site."""

from __future__ import annotations


def page_count(total: int, per_page: int) -> int:
    """How many pages a list of ``total`` items has at ``per_page`` a page (at least one)."""
    return max(1, -(-total // per_page))


def page_numbers(number: int, count: int, span: int = 2) -> list[int | None]:
    """The page numbers a pager on page ``number`` of ``count`` links, in order: the first,
    the last and ``span`` either side of ``number``; ``None`` where numbers are left out."""
    wanted = sorted(n for n in {1, count, *range(number - span, number + span + 1)}
                    if 1 <= n <= count)  # fmt: skip
    out: list[int | None] = []
    for n in wanted:
        if out and out[-1] is not None and out[-1] < n - 1:
            out.append(None)
        out.append(n)
    return out
