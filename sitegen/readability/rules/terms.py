"""JG001 and JG002: dictionary terms with a plain replacement, and terms to explain at first
use."""

from __future__ import annotations

from sitegen.readability.jargon import JargonMatch
from sitegen.readability.model import FindingSeverity
from sitegen.readability.rules.context import Context, Hit, in_span, quote
from sitegen.readability.rules.explained import is_explained, is_introduced
from sitegen.readability.scores import is_acronym
from sitegen.readability.suggest import blocking_word, drop_in, plain_form


def jargon_terms(ctx: Context) -> list[Hit]:
    """JG001 for every ``replace`` term; JG002 for an ``explain`` term unexplained at first use."""
    out: list[Hit] = []
    seen_explain: set[str] = set()
    severity: FindingSeverity = "error" if ctx.settings.block_on_replace_jargon else "warning"
    in_body = {
        m.entry.term.casefold()
        for block, matches in ctx.jargon.items()
        if ctx.prose.blocks[block].kind != "field"
        for m in matches
    }
    for block, matches in ctx.jargon.items():
        for m in matches:
            e = m.entry
            key = e.term.casefold()
            if e.kind == "replace":
                if key not in seen_explain and is_introduced(ctx, block, m.start, m.end):
                    seen_explain.add(key)  # named once after its plain explanation: fine
                    continue
                out.append(_replace_hit(ctx, block, m, severity))
                continue
            if e.kind == "rewrite":
                msg = f"{quote(m.surface)} has no word-for-word swap: {e.how}"
                if e.example and e.expected:
                    msg += f' For example, "{e.example}" becomes "{e.expected}"'
                out.append(Hit(block, m.start, m.end, "jargon", "JG001", severity, msg, "",
                               e.definition, key))  # fmt: skip
                continue
            if e.expansion and is_acronym(m.surface, ctx.lang):
                continue  # an abbreviation: JG003 asks for its expansion at first use
            if key in seen_explain:
                continue
            seen_explain.add(key)
            if is_explained(ctx, block, m.start, m.end):
                continue
            if ctx.prose.blocks[block].kind != "field" or key in in_body:
                # In the page text the site marks the first use up as a definition a patient
                # can open (sitegen/render/definitions.py); front-matter text (title, summary,
                # eligibility bullets) gets no such markup, so it needs its own explanation
                # unless the page text uses, and so defines, the term too.
                continue
            msg = f"{quote(m.surface)} needs a short explanation where it is first used"
            out.append(Hit(block, m.start, m.end, "jargon", "JG002", "warning", msg,
                           e.plain[0] if e.plain else "", e.definition, key))  # fmt: skip
    return out


def _replace_hit(ctx: Context, block: int, m: JargonMatch, severity: FindingSeverity) -> Hit:
    """JG001 for a ``replace`` term: its plain words in the term's form, and the edit that
    puts them in place when that is safe (inside a link it never is)."""
    e = m.entry
    text = ctx.prose.blocks[block].text
    fix = None
    if e.example and not in_span(ctx.prose.blocks[block].spans, m.start, m.end, "link"):
        fix = drop_in(text, m.start, m.end, e, ctx.lang)
    if fix is not None:
        plain: str | None = fix.new  # with its article when that changed: "a study doctor"
    elif e.plain:
        plain = plain_form(m.surface, e, ctx.lang) if e.fix else None
        plain = plain or e.plain[0]
    else:
        plain = ""
    if plain:
        msg = f'jargon {quote(m.surface)}: say "{plain}"'
        after = blocking_word(text, m.end, e, plain) if fix is None and e.example else ""
        if after:  # "randomized participants": the verb's plain words need a new sentence
            msg += f' (reword the sentence: these words do not fit before "{after}")'
    else:
        msg = f"jargon {quote(m.surface)}: use everyday words"
    return Hit(block, m.start, m.end, "jargon", "JG001", severity, msg, plain or "", e.definition,
               e.term.casefold(), fix)  # fmt: skip
