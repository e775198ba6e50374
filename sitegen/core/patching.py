"""Per-item values kept between the builds of one long-running process (``sitegen serve``).

At 10,000 pages a pass that looks into every page costs tens of milliseconds on its own: the
objects are spread over a big heap, so each attribute read waits for memory, and the preview
made a dozen such passes at every save. The preview keeps unchanged pages' results as the
very same objects from one build to the next (``build/pagememory.py``), so a list of values
made per page can be patched instead: the positions whose item is not the very object it
was are found by comparing pointers at C speed (without reading the items), and only their
values are made again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress
from operator import is_not
from typing import Generic, TypeVar

S = TypeVar("S")
T = TypeVar("T")


def moved(items: Sequence[object], last: Sequence[object]) -> list[int] | None:
    """The positions where ``items`` holds another object than ``last`` (by identity, at C
    speed); None when the two differ in length."""
    if len(items) != len(last):
        return None
    return list(compress(range(len(items)), map(is_not, items, last)))


class PerItem(Generic[S, T]):
    """``[make(item) for item in items]``, made again only for the items that are not the
    very object at the same position of the last call's list, while the ``context`` is
    the last call's (``make`` may depend on it: a site's link map, say; compared by
    identity, then ``==``). The list given is kept: the caller must not change it after."""

    def __init__(self) -> None:
        self._items: Sequence[S] = ()
        self._values: list[T] = []
        self._context: object = None
        #: the positions the last call made values for (every one: ``None``)
        self.made: list[int] | None = None

    def __call__(
        self, items: Sequence[S], make: Callable[[S], T], context: object = None
    ) -> list[T]:
        """The value of each of ``items``, in order (a new list: the caller may keep it)."""
        same = context is self._context or context == self._context
        at = moved(items, self._items) if same else None
        if at is None or len(at) * 4 > len(items):  # most changed: one plain pass is cheaper
            at, values = None, [make(item) for item in items]
        else:
            values = list(self._values)
            for i in at:
                values[i] = make(items[i])
        self._items, self._values, self._context, self.made = items, values, context, at
        return values

    @property
    def items(self) -> Sequence[S]:
        """The last call's items."""
        return self._items

    def forget(self) -> None:
        """Make every value again at the next call."""
        self._items, self._values, self._context, self.made = (), [], None, None
