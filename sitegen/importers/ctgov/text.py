"""Plain-text helpers for registry text (pure): HTML and Markdown escapes removed, whitespace
collapsed, text cut at a word boundary, sentences, slugs."""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

SLUG_TITLE_MAX = 60

_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WS_RE = re.compile(r"\s+")


def strip_html(text: str) -> tuple[str, bool]:
    """Remove HTML tags and comments from registry text; return (text, whether any removed).

    The registry escapes a literal ``<`` as ``\\<``; those are kept as text, as are ``&``
    sequences (``&lt;`` stays the four characters it is in the registry).
    """
    if "<" not in text:
        return text, False
    plain = text.replace("\\<", "<").replace("\\>", ">")
    protected = text.replace("&", "&amp;").replace("\\<", "&lt;").replace("\\>", "&gt;")
    cleaned = html.unescape(nh3.clean(protected, tags=set()))
    normal = plain.replace("\r\n", "\n").replace("\r", "\n")
    return cleaned, cleaned != normal


def unescape_markdown(text: str) -> str:
    """Undo Markdown backslash escapes: ``\\<`` -> ``<``, ``\\*`` -> ``*``, ``\\\\`` -> ``\\``."""
    return _MD_ESCAPE_RE.sub(r"\1", text)


def one_line(text: str) -> str:
    """Collapse all whitespace (including line breaks) to single spaces."""
    return _WS_RE.sub(" ", text).strip()


_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "versus",
        "with",
        "without",
        "after",
        "before",
        "among",
        "between",
        "during",
    }
)


def cut_words(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, without a dangling
    connecting word, open bracket or trailing punctuation."""
    if len(text) <= limit:
        return text
    words = text.split(" ")
    out: list[str] = []
    for word in words:
        if len(" ".join([*out, word])) > limit:
            break
        out.append(word)
    if not out:  # one very long word
        return text[:limit]
    while True:
        candidate = " ".join(out).rstrip(" ,;:–—-/(")
        if candidate.count("(") > candidate.count(")"):
            candidate = candidate[: candidate.rfind("(")].rstrip(" ,;:–—-/(")
        words = candidate.split(" ")
        if len(words) > 1 and words[-1].lower() in _STOP_WORDS:
            out = words[:-1]
            continue
        return candidate


_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "vs",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "no",
        "nos",
        "approx",
        "fig",
        "al",
        "st",
        "inc",
        "ltd",
        "co",
        "ca",
        "cf",
        "resp",
    }
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split one paragraph into sentences (a simple rule that knows common abbreviations)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        before = text[start : m.start()].rsplit(" ", 1)[-1].lower()
        if before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def slugify(text: str, limit: int = SLUG_TITLE_MAX) -> str:
    """Lower-case ASCII letters, digits and single hyphens, cut to ``limit`` at a hyphen."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out: list[str] = []
    for word in text.lower().split():  # cut between the title's words, not inside "pre-term"
        part = "-".join(w for w in re.split(r"[^a-z0-9]+", word) if w)
        if not part:
            continue
        if len("-".join([*out, part])) > limit:
            if not out:
                out.append(part[:limit].strip("-"))
            break
        out.append(part)
    while len(out) > 1 and out[-1] in _STOP_WORDS:
        out.pop()
    return "-".join(out)


def make_slug(title: str, nct_id: str) -> str:
    """The page slug: the title's words (at most 60 characters) and the NCT id."""
    base = slugify(title)
    return f"{base}-{nct_id.lower()}" if base else nct_id.lower()


def unique(values: list[str]) -> list[str]:
    """``values`` in order, each only the first time it appears."""
    seen: set[str] = set()
    out = []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out
