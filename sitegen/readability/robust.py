"""Grade robustness: text a patient cannot use must not make a page's grade easier.

A grade counts words per sentence and syllables per word, so it drops when a page fills up
with short pieces: headings, lists of two-word fragments, or sentences that became
ungrammatical runs of short words ("phase 2 trial check the how well it works") when a
writer pasted in suggested words without rewriting. Each sentence is sorted:

- **heading**: a heading of any level;
- **fragment**: a list item or table cell of fewer than 4 words;
- **garbled**: a sentence with a word repeated ("the the") or a determiner straight before a
  question word, verb, preposition or pronoun ("the how", "a will", "the to", "la cómo");
- **usable**: every other sentence.

When the sentences that are not usable hold ``SHARE`` or more of a page's words, the page
is graded on its usable sentences too, and the harder of the two grades counts (RD006 says
so): the padding can no longer pull the grade down. A page of 50+ words with fewer than 50
usable words gets no grade it could pass on (RD006 is then an error). Pages written
normally are far below the share (the example site's highest is in ``GATE.md``), so their
grade is what it always was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sitegen.readability.text import Prose

#: the share of a page's words in unusable sentences from which the guard applies
SHARE = 0.35
#: list items and table cells shorter than this are fragments
FRAGMENT_WORDS = 4


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_DET = {
    "en": _wordset("a an the my your our their"),
    "es": _wordset("el la los las un una unos unas"),
}
#: words that cannot follow a determiner directly
_NOT_AFTER_DET = {
    "en": _wordset(
        "how what when where why who which is are was were be will would can could should may "
        "might must to of in on at by for with from and or but the a an it he she they we "
        "you i"
    ),
    "es": _wordset(
        "cómo qué cuándo dónde quién cuál es son fue será puede pueden y o el la los las un "
        "una él ella ellos nosotros usted"
    ),
}


class Usable(NamedTuple):
    """Which sentences count as usable prose, and the words in each kind."""

    usable: tuple[int, ...]
    words: int
    unusable_words: dict[str, int]
    #: the garbled sentences (indexes into ``Prose.sentences``)
    garbled: frozenset[int] = frozenset()

    @property
    def unusable(self) -> int:
        """Words in sentences that are not usable."""
        return sum(self.unusable_words.values())

    def applies(self) -> bool:
        """True when the unusable share is ``SHARE`` or more (pages of 50+ words)."""
        return self.words >= 50 and self.unusable >= SHARE * self.words


#: words that may be doubled in a correct sentence ("had had", "that that")
_MAY_DOUBLE = _wordset("had that very so far bye ha yes no")


def garbled(tokens: Sequence[str], lang: str) -> bool:
    """True for a run of words no grammar allows (see the module docstring); ``tokens``
    are the words with their punctuation ("dosage," then "dosage" is a list, not a repeat)."""
    det = _DET.get(lang, _DET["en"])
    not_after = _NOT_AFTER_DET.get(lang, _NOT_AFTER_DET["en"])
    prev, prev_raw = "", ""
    for raw in tokens:
        w = raw.strip(".,;:!?¡¿()[]\"'“”‘’").casefold()
        joined = bool(prev) and prev_raw[-1:].isalnum() and raw[:1].isalnum()
        if joined and w == prev and w.isalpha() and w not in _MAY_DOUBLE:
            return True
        if joined and prev in det and w in not_after:
            return True
        prev, prev_raw = w, raw
    return False


def sort_sentences(prose: Prose, lang: str) -> Usable:
    """Sort every sentence of the page: heading, fragment, garbled or usable."""
    usable: list[int] = []
    bad: set[int] = set()
    kinds = {"heading": 0, "fragment": 0, "garbled": 0}
    total = 0
    for k, s in enumerate(prose.sentences):
        n = len(s.words)
        total += n
        block = prose.blocks[s.block]
        if block.kind == "heading":
            kinds["heading"] += n
        elif block.kind in ("item", "cell") and n < FRAGMENT_WORDS:
            kinds["fragment"] += n
        elif n >= 5 and garbled([w.raw for w in s.words], lang):
            kinds["garbled"] += n
            bad.add(k)
        else:
            usable.append(k)
    return Usable(tuple(usable), total, {k: v for k, v in kinds.items() if v}, frozenset(bad))
