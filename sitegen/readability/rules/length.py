"""RD002: sentences longer than ``max_sentence_words``."""

from __future__ import annotations

from sitegen.readability.rules.context import Context, Hit


def long_sentences(ctx: Context) -> list[Hit]:
    """RD002: sentences longer than ``max_sentence_words``."""
    limit = ctx.settings.max_sentence_words
    return [
        Hit(
            s.block,
            s.start,
            s.end,
            "long-sentence",
            "RD002",
            "warning",
            f"sentence of {len(s.words)} words; aim for {limit} or fewer",
        )
        for s in ctx.prose.sentences
        if len(s.words) > limit
    ]
