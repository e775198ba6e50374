"""The converter passes over text no inline pattern can match (``markup/convert.py``): its
HTML is the one Python-Markdown's own inline processor gives, for any text."""

from __future__ import annotations

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from sitegen.markup import convert
from sitegen.markup.convert import Renderer

#: inline markup of every kind, near misses, and plain words
PIECES = [
    "`code`", "``a ` b``", "\\*", "\\`", "\\\\", "\\[", "[link](other.md)", "[a][ref]",
    "[ref]", "[ref]: https://example.org", "![alt](i.png)", "![alt][ref]", "<https://x.org>",
    "<me@example.org>", "<b>bold</b>", "<br>", "<!-- note -->", "&amp;", "&#169;", "&copy;",
    "& so", "*em*", "**strong**", "***both***", "_em_", "__strong__", "snake_case", "2 * 3",
    "a  \nb", "  \n", "  ", "!", "[", "]", "(", ")", "<", ">", "&", "*", "_", "`", "#", "## ",
    "- ", "1. ", "> ", "| a | b |", "|---|---|", "```", "    code", "{: .x}", "Term\n: def",
    "plain words", "We", "the study", "é", "\u00a0", "\t", "\n", "\n\n",
]  # fmt: skip
BODIES = st.lists(
    st.tuples(st.sampled_from(PIECES) | st.text(max_size=3),
              st.sampled_from([" ", "", "\n", "\n\n"])),
    max_size=30,
).map(lambda parts: "".join(p + sep for p, sep in parts))  # fmt: skip


def _standard() -> Renderer:
    """A converter with Python-Markdown's own inline processor."""
    r = Renderer()
    md: markdown.Markdown = r._md
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    return r


QUICK, STANDARD = Renderer(), _standard()


def test_the_quick_inline_processor_is_in_use() -> None:
    """The marks were read from these very patterns; a new Markdown needs them read again."""
    assert convert.inline_patterns_digest(QUICK._md) == convert.INLINE_PATTERNS_DIGEST
    assert type(QUICK._md.treeprocessors["inline"]).__name__ == "_QuickInlineProcessor"
    assert type(STANDARD._md.treeprocessors["inline"]) is InlineProcessor


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODIES)
def test_same_html_as_the_standard_inline_processor(body: str) -> None:
    quick = QUICK.render(body, source_path="p.md", body_line=3)
    standard = STANDARD.render(body, source_path="p.md", body_line=3)
    assert quick == standard


def test_another_markdown_keeps_the_standard_processor(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(convert, "INLINE_PATTERNS_DIGEST", "other patterns")
    r = Renderer()
    assert type(r._md.treeprocessors["inline"]) is InlineProcessor
    body = "Some *text* with [a link](other.md) and `code`.\n"
    assert r.render(body, source_path="p.md", body_line=1) == QUICK.render(
        body, source_path="p.md", body_line=1
    )
