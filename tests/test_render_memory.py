"""``render/memory.py``: values recalled between the preview's builds only when they were made
from the very same object and the same context."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sitegen.render.memory import RenderMemory, recall, same
from sitegen.render.views import StudyView


@dataclass(frozen=True)
class _Point:
    x: int
    tags: dict[str, str]


def test_same_compares_values_and_the_order_of_dicts() -> None:
    assert same((1, "a", None, [2.5]), (1, "a", None, [2.5]))
    assert not same(1, True)  # equal in Python, not the same value for a key
    assert not same(1, 1.0)
    assert same({"a": 1, "b": 2}, {"a": 1, "b": 2})
    assert not same({"a": 1, "b": 2}, {"b": 2, "a": 1})  # iterated in another order
    p = _Point(1, {"k": "v"})
    assert same(p, _Point(1, {"k": "v"}))
    assert not same(p, replace(p, x=2))
    assert not same(object(), object())  # unknown objects: only the very same one


def test_same_takes_a_study_view_only_as_the_very_object() -> None:
    fields = {name: None for name in StudyView.__dataclass_fields__}
    a = StudyView(**fields)  # type: ignore[arg-type]
    b = StudyView(**fields)  # type: ignore[arg-type]
    assert a == b
    assert same(a, a)
    assert not same(a, b)


def test_recall_needs_the_same_source_object_and_context() -> None:
    memory = RenderMemory()
    calls: list[int] = []

    def make(n: int) -> int:
        calls.append(n)
        return n

    src = object()
    memory.begin("site")
    assert memory.recall("k", "x", src, (1, "a"), lambda: make(1)) == 1
    memory.finish()
    memory.start()
    memory.begin("site")
    assert memory.recall("k", "x", src, (1, "a"), lambda: make(2)) == 1  # recalled
    assert memory.recall("k", "y", src, (1, "a"), lambda: make(3)) == 3  # another name
    assert memory.made == [("k", "y")]
    memory.finish()
    assert memory.recall("k", "x", object(), (1, "a"), lambda: make(4)) == 4  # new source
    assert memory.recall("k", "y", src, (2, "a"), lambda: make(5)) == 5  # new context
    memory.finish()
    memory.begin("other site")  # anything every page depends on changed: nothing recalled
    assert memory.recall("k", "x", None, None, lambda: make(6)) == 6
    assert calls == [1, 3, 4, 5, 6]
    assert recall(None, "k", "x", src, None, lambda: make(7)) == 7  # no memory: made


def test_kept_gives_the_last_value_of_the_very_source_and_keeps_it() -> None:
    """``kept``: the last build's value only for the very source object, kept for the next
    build as ``recall`` keeps it; nothing after a change every page depends on."""
    memory = RenderMemory()
    src = object()
    memory.begin("site")
    memory.recall("content", "a.md", src, ("ctx",), lambda: "key-1")
    memory.finish()
    memory.start()
    memory.begin("site")
    assert memory.kept("content", "a.md", object()) is None  # another object
    assert memory.kept("content", "a.md", src) == "key-1"
    assert memory.kept("content", "b.md", src) is None  # never made
    assert memory.made == []
    memory.finish()
    memory.begin("site")
    assert memory.kept("content", "a.md", src) == "key-1"  # still there a build later
    memory.finish()
    memory.begin("other site")
    assert memory.kept("content", "a.md", src) is None


def test_carry_keeps_a_kind_for_the_next_build_without_asking_for_each() -> None:
    """``carry``: every value of one kind the last build made is kept as if asked for;
    what this build made already wins; other kinds are not carried."""
    memory = RenderMemory()
    a, b = object(), object()
    memory.begin("site")
    memory.recall("content", "a.md", a, (1,), lambda: "key-a")
    memory.recall("content", "b.md", b, (1,), lambda: "key-b")
    memory.recall("generated", "index", None, (1,), lambda: "key-i")
    memory.finish()
    memory.begin("site")
    assert memory.recall("content", "b.md", b, (2,), lambda: "key-b2") == "key-b2"
    memory.carry("content")
    memory.finish()
    memory.begin("site")
    assert memory.kept("content", "a.md", a) == "key-a"  # carried
    assert memory.kept("content", "b.md", b) == "key-b2"  # made by that build, not the older
    assert memory.recall("generated", "index", None, (1,), lambda: "new") == "new"  # dropped
    memory.begin("other site")
    assert memory.loop is None


def test_a_plain_context_is_compared_by_value() -> None:
    """With ``plain``, a context of plain values (a new list of new tuples each build) is
    recalled while it is equal, and made again when one value differs."""
    memory = RenderMemory()
    calls: list[str] = []

    def make(text: str) -> str:
        calls.append(text)
        return text

    for entries, text in [
        ([("a/", "2026-01-01"), ("b/", None)], "one"),
        ([("a/", "2026-01-01"), ("b/", None)], "two"),
        ([("a/", "2026-01-02"), ("b/", None)], "three"),
    ]:
        memory.begin("site")
        memory.recall(
            "sitemap", "", None, ("https://x/", list(entries)), lambda t=text: make(t), True
        )
        memory.finish()
    assert calls == ["one", "three"]
