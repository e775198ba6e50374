"""Registry text in the Markdown body (pure): one line escaped so that it renders as the same
characters (``md_escape``), and registry prose as paragraphs and bullet lists."""

from __future__ import annotations

import re

from sitegen.importers.ctgov.blocks import parse_blocks
from sitegen.importers.ctgov.text import one_line

_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START_ENTITIES = {"=": "&#61;", "~": "&#126;", ":": "&#58;", "|": "&#124;"}


def md_escape(text: str) -> str:
    """Escape one line of registry text for the Markdown body.

    The result renders as the same characters: no HTML, no links, no emphasis, and no block
    syntax (heading, quote, list, rule, code) at the start of the line.
    """
    text = one_line(text)
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
    text = _ENTITY_RE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    text = re.sub(r"([`*\[\]{}])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    if not text:
        return text
    m = re.match(r"^(\d+)([.)])(?=\s|$)", text)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{text[m.end() :]}"
    if text[0] in "#>" or re.match(r"^([-+])(?:\s|\1|$)", text):
        return "\\" + text
    if text[0] in _LINE_START_ENTITIES:
        return _LINE_START_ENTITIES[text[0]] + text[1:]
    return text


def blocks_markdown(text: str) -> list[str]:
    """Registry prose as Markdown paragraphs and bullet lists (all text escaped)."""
    out: list[str] = []
    items: list[str] = []
    for block in parse_blocks(text):
        if block.kind == "item":
            items.append(f"- {md_escape(block.joined())}")
            items.extend(f"    - {md_escape(c)}" for c in block.child_texts() if c)
            continue
        if items:
            out.append("\n".join(items))
            items = []
        out.append(md_escape(block.joined()))
    if items:
        out.append("\n".join(items))
    return out
