"""Whether a term is explained where it is used, or named after its plain explanation (the
jargon and rare-word rules skip such uses)."""

from __future__ import annotations

import re

from sitegen.readability.rules.context import Context, in_span

_EXPLAINED_AFTER = re.compile(
    r"\s*(?:\(|[:–—]\s*\w|,?\s*(?:which|that|this|it)\s+means\b|\s*means\b"
    r"|\s*(?:is|are)\s+(?:a|an|when|where|how|what)\b|,\s*(?:or|i\.?e\.?)\s)",
    re.I,
)
_EXPLAINED_AFTER_ES = re.compile(
    r"\s*(?:\(|[:–—]\s*\w|,?\s*(?:que|lo que)\s+significa\b|\s*significa\b"
    r"|\s*(?:es|son)\s+(?:un|una|unos|unas|cuando|donde)\b)",
    re.I,
)
_CALLED_BEFORE = re.compile(r"(?:called|known\s+as|llamad[oa]s?|conocid[oa]s?\s+como)\s+"
                            r"(?:(?:a|an|the|un|una|el|la)\s+)?$", re.I)  # fmt: skip


_NAMED_BEFORE = re.compile(
    r"(?:called|known\s+as|(?:word|term|name)\s+for\s+(?:this|it|that)\s+is"
    r"|(?:se\s+)?llam(?:a|an|ad[oa]s?)|conocid[oa]s?\s+como"
    r"|(?:palabra|término|nombre)(?:\s+\w+)?\s+(?:para\s+esto\s+)?es)"
    r"\s+(?:(?:a|an|the|un|una|el|la)\s+)?[\"“‘']?$",
    re.I,
)


def is_introduced(ctx: Context, block: int, start: int, end: int) -> bool:
    """True when a ``replace`` term is named after its plain explanation, not used as jargon.

    "Swelling of the pancreas (pancreatitis)", "This is called blinding.", "The medical word
    for this is randomization." teach the word a patient will hear; using it afterwards
    without the plain words is still jargon.
    """
    b = ctx.prose.blocks[block]
    s0, _ = ctx.sentence_at(block, start)
    before = b.text[s0:start]
    after = b.text[end:]
    if before.rstrip().endswith("(") and after.lstrip().startswith(")") and before.strip("( "):
        return True
    return bool(_NAMED_BEFORE.search(before))


def is_explained(ctx: Context, block: int, start: int, end: int) -> bool:
    """True when a term at ``text[start:end]`` is explained where it is used.

    Explained: followed in the same sentence by a parenthesis, a colon or dash, "which means",
    "means", "is a/an/when/where"; written inside parentheses after its explanation ("a dummy
    treatment (placebo)"); introduced with "called"/"known as"; linked to the site glossary;
    or wrapped in ``<abbr title>``/``<dfn>``.
    """
    b = ctx.prose.blocks[block]
    s0, s1 = ctx.sentence_at(block, start)
    after = b.text[end:s1]
    before = b.text[s0:start]
    pattern = _EXPLAINED_AFTER_ES if ctx.lang == "es" else _EXPLAINED_AFTER
    if pattern.match(after):
        return True
    if before.rstrip().endswith("(") and after.lstrip().startswith(")") and before.strip("( "):
        return True
    if _CALLED_BEFORE.search(before):
        return True
    link = in_span(b.spans, start, end, "link")
    if link is not None and "glossary" in link.value.lower():
        return True
    abbr = in_span(b.spans, start, end, "abbr")
    return abbr is not None
