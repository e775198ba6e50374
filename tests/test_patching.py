"""``core.patching``: per-item values made again only where the item is another object."""

from __future__ import annotations

from sitegen.core.patching import PerItem, moved


class Item:
    """An object compared by identity only (as the preview's page results are)."""

    def __init__(self, n: int) -> None:
        self.n = n


def test_moved_finds_other_objects_by_identity() -> None:
    a, b, c = Item(1), Item(2), Item(3)
    assert moved([a, b, c], [a, b, c]) == []
    assert moved([a, Item(2), c], [a, b, c]) == [1]
    assert moved([c, b, a], [a, b, c]) == [0, 2]
    assert moved([a, b], [a, b, c]) is None


def test_values_are_made_again_only_for_new_objects() -> None:
    calls: list[int] = []

    def make(item: Item) -> int:
        calls.append(item.n)
        return item.n * 10

    each: PerItem[Item, int] = PerItem()
    items = [Item(i) for i in range(20)]
    assert each(items, make) == [i * 10 for i in range(20)]
    assert each.made is None and len(calls) == 20

    calls.clear()
    again = list(items)
    again[3], again[17] = Item(33), Item(77)
    assert each(again, make) == [330 if i == 3 else 770 if i == 17 else i * 10 for i in range(20)]
    assert calls == [33, 77] and each.made == [3, 17]
    assert each.items is again

    calls.clear()
    assert each(list(again), make)[3] == 330  # the same objects in a new list: nothing made
    assert calls == [] and each.made == []


def test_a_new_context_a_new_length_or_most_items_changed_make_every_value() -> None:
    each: PerItem[Item, int] = PerItem()
    items = [Item(i) for i in range(8)]
    each(items, lambda x: x.n, {"a": 1})
    assert each(items, lambda x: x.n, {"a": 1}) == list(range(8))
    assert each.made == []  # an equal context
    each(items, lambda x: -x.n, {"a": 2})
    assert each.made is None  # another context: every value made again
    each(items[:7], lambda x: x.n, {"a": 2})
    assert each.made is None  # fewer items
    shorter = items[:7]
    each(shorter, lambda x: x.n, {"a": 2})
    assert each.made == []
    most = [Item(50 + i) if i < 5 else x for i, x in enumerate(shorter)]
    assert each(most, lambda x: x.n, {"a": 2}) == [50, 51, 52, 53, 54, 5, 6]
    assert each.made is None  # most changed: one plain pass
    each.forget()
    each(most, lambda x: x.n, {"a": 2})
    assert each.made is None
