"""What every sentence and word rule reads (``Context``) and gives (``Hit``), and the small
text helpers the rules share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from sitegen.readability.jargon import Glossary, JargonMatch
from sitegen.readability.model import FindingSeverity, GateSettings
from sitegen.readability.scores import PageWords, page_words
from sitegen.readability.suggest import Edit
from sitegen.readability.text import Prose, Sentence, Span, page_text


def wordset(words: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(words.split())


class Hit(NamedTuple):
    """A finding before it is located in the file: ``block.text[start:end]``."""

    block: int
    start: int
    end: int
    rule: str
    code: str
    severity: FindingSeverity
    message: str
    suggestion: str = ""
    definition: str = ""
    key: str = ""
    #: a safe drop-in: replace ``block.text[fix.start:fix.end]`` with ``fix.new``
    fix: Edit | None = None


@dataclass(frozen=True)
class Context:
    """What every rule may read."""

    prose: Prose
    lang: str
    settings: GateSettings
    glossary: Glossary
    jargon: dict[int, list[JargonMatch]]  # per block
    by_block: dict[int, list[Sentence]]
    #: the ``page_words`` of the prose (computed when not given)
    pw: PageWords | None = None

    @cached_property
    def words(self) -> PageWords:
        """Every word of the page with its facts (``scores.page_words``)."""
        return self.pw if self.pw is not None else page_words(self.prose.sentences, self.lang)

    @cached_property
    def page_text(self) -> tuple[str, list[int]]:
        """Every block's text joined with newlines, and where each block starts in it."""
        return page_text(self.prose)

    @cached_property
    def folded_page(self) -> str:
        """``fold`` of ``page_text``: to look for plain lower-case ASCII hints."""
        return fold(self.page_text[0])

    def sentence_at(self, block: int, pos: int) -> tuple[int, int]:
        """Bounds of the sentence containing ``pos`` in a block (the whole block if none)."""
        for s in self.by_block.get(block, ()):
            if s.start <= pos < s.end:
                return s.start, s.end
        return 0, len(self.prose.blocks[block].text)


def quote(text: str) -> str:
    return f'"{" ".join(text.split())}"'


def in_span(spans: tuple[Span, ...], start: int, end: int, kind: str) -> Span | None:
    for sp in spans:
        if sp.kind == kind and sp.start <= start and end <= sp.end:
            return sp
    return None


#: the only non-ASCII characters that match an ASCII letter under ``re.I`` and do not lower-case
#: to it (the Kelvin sign does)
_FOLD_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold(text: str) -> str:
    """``text`` lower-cased so that ``hint in fold(text)`` holds whenever ``text`` contains
    the lower-case ASCII ``hint`` under ``re.I`` (same length as ``text``)."""
    if text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        return text.lower()
    return text.translate(_FOLD_FIXES).lower()
