"""The registry's Markdown-like text as blocks (pure): paragraphs and list items, with nested
items by indentation, the way ClinicalTrials.gov writes its long text fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitegen.importers.ctgov.text import one_line

_ITEM_RE = re.compile(r"^(?:[*\-+•]|\d{1,3}[.)]|[A-Za-z]\)|\((?:\d{1,3}|[A-Za-z]|[ivx]+)\))\s+")


@dataclass(frozen=True)
class Block:
    """A paragraph or list item; ``children`` are nested items (each a list of lines)."""

    kind: str  # "para", "item" or "heading"
    lines: list[str]
    children: list[list[str]] = field(default_factory=list)

    def joined(self) -> str:
        """The block's own text on one line."""
        return one_line(" ".join(self.lines))

    def child_texts(self) -> list[str]:
        """Each nested item's text on one line."""
        return [one_line(" ".join(c)) for c in self.children]


def parse_blocks(text: str, headings: re.Pattern[str] | None = None) -> list[Block]:
    """Split registry text into paragraphs and list items; nested items by indentation.

    A line matching ``headings`` becomes a ``heading`` block of its own.
    """
    lines = text.expandtabs(4).split("\n")
    indents = [len(x) - len(x.lstrip()) for x in lines if _ITEM_RE.match(x.lstrip())]
    base = min(indents) if indents else 0
    blocks: list[Block] = []
    current: Block | None = None
    blank = True
    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        indent = len(raw) - len(raw.lstrip())
        nested = indent >= base + 2
        m = _ITEM_RE.match(stripped)
        if headings is not None and headings.match(stripped):
            blocks.append(Block("heading", [stripped]))
            current = None
        elif m:
            content = stripped[m.end() :]
            while (again := _ITEM_RE.match(content)) is not None:  # "* 10. text" -> "text"
                content = content[again.end() :]
            if nested and current is not None and current.kind == "item":
                current.children.append([content])
            else:
                current = Block("item", [content])
                blocks.append(current)
        elif current is not None and (not blank or (nested and current.kind == "item")):
            if current.children and (nested or not blank):
                current.children[-1].append(stripped)
            else:
                current.lines.append(stripped)
        else:
            current = Block("para", [stripped])
            blocks.append(current)
        blank = False
    return blocks


def run_in(blocks: list[Block]) -> str:
    """Paragraphs and list items as one run of text (items end with ";" when unpunctuated)."""
    texts = [b.joined() for b in blocks if b.joined()]
    return " ".join(
        t if i == len(texts) - 1 or t[-1] in ".!?:;" else t + ";" for i, t in enumerate(texts)
    )
