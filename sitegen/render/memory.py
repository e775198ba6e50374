"""What the render stage computed for each page, kept between the builds of one long-running
process (``sitegen serve``), so that an edit to one page does not compute every page's render
key, listing values and "studies near me" points again.

The preview keeps unchanged pages' results as the very same objects from one build to the
next (``build/pagememory.py``, ``pipeline.CollectMemory``). ``RenderMemory.recall`` gives a
value computed by the last build when it was computed from the very same object (by
identity) and an equal context (``same``); otherwise it computes it again. A published
build passes no memory and computes everything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import is_
from typing import Any, TypeVar

from sitegen.core.patching import PerItem
from sitegen.render.views import StudyView

T = TypeVar("T")
#: one remembered value: the object and the context it was made from, and the value
_Entry = tuple[object, object, Any]
_NONE: dict[str, _Entry] = {}

#: values compared by ``==``; any other object is the same only when it is the very object
_PLAIN = frozenset({str, int, float, bool, bytes, type(None)})


def same(a: object, b: object) -> bool:
    """True when ``a`` and ``b`` are the same values for a render key: identical objects,
    or lists, tuples, dicts (in the same order) and dataclasses of the same values, or equal
    strings and numbers. A study's view is the same only when it is the very view (views are
    kept per metadata object: ``views.study_view``)."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind in _PLAIN:
        return a == b
    if kind is tuple or kind is list:
        assert isinstance(a, list | tuple) and isinstance(b, list | tuple)
        # the very same items (kept study views) are checked at C speed first
        return len(a) == len(b) and (all(map(is_, a, b)) or all(map(same, a, b)))
    if kind is dict:
        assert isinstance(a, dict) and isinstance(b, dict)
        return list(a) == list(b) and (
            all(map(is_, a.values(), b.values())) or all(map(same, a.values(), b.values()))
        )
    if kind is StudyView or not dataclasses.is_dataclass(a):
        return False
    return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))


class RenderMemory:
    """Values of the last build by (kind, name): each with the object and the context it
    was computed from."""

    def __init__(self) -> None:
        #: kind -> name -> (source, context, value), of the last build and of this one
        self._last: dict[str, dict[str, _Entry]] = {}
        self._now: dict[str, dict[str, _Entry]] = {}
        self._site: object = None
        #: the last build's content pages' loop (``build.rendering``; None: none to patch)
        self.loop: object = None
        #: lists of values made per page, by name (``per_item``)
        self._lists: dict[str, PerItem[Any, Any]] = {}
        #: what the current build computed (not recalled), as (kind, name)
        self.made: list[tuple[str, str]] = []
        #: the last build's ``SiteRender`` (``site.prepare_site``)
        self.site: object = None
        #: the last build's fingerprints of the content pages' templates (``RenderKeys``)
        self.templates: object = None

    def begin(self, site: object) -> None:
        """Start a build whose every page depends on ``site`` (settings, sitegen's code,
        assets, each language's navigation): when it is not the last build's, nothing
        is recalled from the last build after this call (what this build asked for before
        it, such as a study's "near me" points, depends on no such thing)."""
        if not same(site, self._site):
            self._last = {}
            self.loop = None
        self._site = site

    def recall(
        self,
        kind: str,
        name: str,
        source: object,
        context: object,
        make: Callable[[], T],
        plain: bool = False,
    ) -> T:
        """The value of ``make()``: the last build's, if it was made from the very object
        ``source`` and the same ``context`` (``same``; with ``plain``, ``==``: for a context
        of plain values only, such as a list of strings, compared at C speed). A value made
        again that is the same as the last one is given as the last one's very object, so
        that whatever contains it is found the same quickly (by identity)."""
        now = self._now.get(kind)
        if now is None:
            now = self._now[kind] = {}
        kept = now.get(name)
        if kept is None:
            kept = self._last.get(kind, _NONE).get(name)
        if (
            kept is not None
            and kept[0] is source
            and (kept[1] is context or (kept[1] == context if plain else same(kept[1], context)))
        ):
            value: T = kept[2]
        else:
            value = make()
            self.made.append((kind, name))
            if kept is not None and same(kept[2], value):
                value = kept[2]
        now[name] = (source, context, value)
        return value

    def kept(self, kind: str, name: str, source: object) -> Any:
        """The last build's value made from the very object ``source``, kept for this build
        as ``recall`` keeps it; None when there is none. Only for a caller that knows the
        context is the last build's (``outputs.RenderKeys.content``)."""
        kept = self._now.get(kind, _NONE).get(name) or self._last.get(kind, _NONE).get(name)
        if kept is None or kept[0] is not source:
            return None
        self._now.setdefault(kind, {})[name] = kept
        return kept[2]

    def per_item(self, name: str) -> PerItem[Any, Any]:
        """The ``PerItem`` list of values named ``name``, kept for the next build (its
        values must depend on their item alone, or on the context it is given)."""
        got = self._lists.get(name)
        if got is None:
            got = self._lists[name] = PerItem()
        return got

    def carry(self, kind: str) -> None:
        """Keep every value of ``kind`` the last build made for this one, as if each was
        asked for (``kept``): for a caller that knows they all still hold for their
        sources (``build.rendering``'s loop over pages whose result is the very object it
        was). Values this build made already stay."""
        last = self._last.get(kind)
        if last:
            self._now[kind] = {**last, **self._now.get(kind, _NONE)}

    def finish(self) -> None:
        """End a build: what it did not ask for is forgotten (pages no longer in the site)."""
        self._last, self._now = self._now, {}

    def start(self) -> None:
        """Start a build's bookkeeping (``made``)."""
        self.made = []


def recall(
    memory: RenderMemory | None,
    kind: str,
    name: str,
    source: object,
    context: object,
    make: Callable[[], T],
    plain: bool = False,
) -> T:
    """``memory.recall(...)``, or ``make()`` when there is no memory (a published build)."""
    if memory is None:
        return make()
    return memory.recall(kind, name, source, context, make, plain)
