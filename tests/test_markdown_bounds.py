"""Every page finishes in bounded time, whatever its Markdown: random and adversarial bodies
of up to 1 MB are either processed or refused with an MD002-MD004 error, each within a few
seconds of processor time, and never with an exception."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import workers
from sitegen.content.config import SiteConfig
from sitegen.core import bounds

HEAD = "---\ntitle: A walking study\nsummary: We want to learn if walking helps.\n---\n"
#: pieces that Markdown parsers handle slowly when repeated, and plain prose
PIECES = [
    "[", "]", "(", ")", "![", "[a](", "<", ">", "> ", "`", "*", "_", "*a ", "_a_", "\\", "&",
    "&#", "|", "- ", "  - x\n", "1. ", "#", "\n", "\n\n", "<div>", "<!--", "[x]: ",
    "<http://a", "a@b.", "{: ", ": ", "```\n", "    ", "\t", "~", "**", "=", "\u202e", "é",
    "The study team will call you. ", "[a link](other.md) ", "| a | b |\n|---|---|\n",
]  # fmt: skip
LIMIT = 1024 * 1024

pieces = st.builds(
    lambda parts: "".join(p * n for p, n in parts)[:LIMIT],
    st.lists(
        st.tuples(
            st.sampled_from(PIECES),
            st.one_of(st.integers(1, 50), st.integers(1_000, 400_000)),
        ),
        min_size=1,
        max_size=6,
    ),
)
bodies = st.one_of(pieces, st.text(max_size=5_000))


@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(body=bodies)
def test_every_page_finishes_in_bounded_time(tmp_path_factory, body: str) -> None:
    site = tmp_path_factory.mktemp("site")
    page = site / "content" / "studies" / "case.md"
    page.parent.mkdir(parents=True)
    page.write_text(HEAD + body, encoding="utf-8", errors="surrogatepass")
    config = SiteConfig()
    workers.warm_up(config, site)  # dictionaries are loaded once per build, not per page
    started = time.process_time()
    outcome = workers.process_one("content/studies/case.md", "study", page, site, config)
    took = time.process_time() - started
    assert took < bounds.PAGE_CPU_SECONDS + 3, f"{took:.1f} s for {body[:60]!r}..."
    if outcome.page is None:
        codes = {d.code for d in outcome.diagnostics if d.is_error}
        assert codes, "a refused page says why"


def test_a_long_line_of_brackets_is_refused_at_once() -> None:
    started = time.process_time()
    problems = bounds.markdown_problems("Text.\n\n" + "[" * 40_000, "x.md", 5)
    assert [(d.code, d.line) for d in problems] == [("MD002", 7)]
    assert time.process_time() - started < 1


def test_plain_links_and_brackets_are_not_refused() -> None:
    body = ("See [the FAQ](../pages/faq.md) (or call us) [1]. " * 2_000 + "\n\n") * 5
    assert bounds.markdown_problems(body, "x.md", 1) == []


def test_the_deadline_stops_a_runaway_step(tmp_path: Path) -> None:
    started = time.process_time()
    try:
        with bounds.cpu_deadline(0.3):
            while True:
                pass
    except bounds.TooSlow:
        pass
    assert 0.25 < time.process_time() - started < 2
