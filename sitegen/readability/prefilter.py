"""Cheap tests that prove a case-insensitive search cannot match, so it can be skipped.

A case-insensitive pattern that starts with a letter or a word boundary is tried at every
position of the text (Python's ``re`` cannot skip ahead to a likely start), which makes a
few of the checker's searches a large share of its time. Each test here is a necessary
condition only: when it holds the real search runs, so a result never changes; when it
does not, the search could not have matched anything.

``ascii_folded`` turns a text into the form in which a plain substring test is exact for
ASCII words: under ``re.IGNORECASE`` an ASCII letter matches its other case and only four
other characters (``İ`` and ``ı`` match ``i``, ``ſ`` matches ``s``, the Kelvin sign matches
``k``), which are folded to it here.
"""

from __future__ import annotations

#: the characters outside ASCII that ``re.IGNORECASE`` lets match an ASCII letter
_LOOKALIKES = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_LOOKALIKE_CHARS = tuple(map(chr, _LOOKALIKES))


def ascii_folded(text: str) -> str:
    """``text`` in lower case with the four look-alikes folded to their ASCII letter: an
    ASCII word that a case-insensitive pattern finds in ``text`` is a substring of this."""
    if any(c in text for c in _LOOKALIKE_CHARS):
        text = text.translate(_LOOKALIKES)
    return text.lower()
