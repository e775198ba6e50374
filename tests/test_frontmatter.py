"""Front matter splitting and the narrowed YAML loader: exact diagnostics."""

from __future__ import annotations

import time

import pytest

from sitegen.content import frontmatter

GOOD = """---
title: "Hello: world"
summary: Plain words.
conditions: [Asthma, Eczema]
updated: 2026-02-03
country: NO
flag: true
eligibility:
  include:
    - one
    - 'two'
---
## Body
"""


def test_parse_keeps_values_and_positions() -> None:
    fm, diags = frontmatter.parse(GOOD, "c.md")
    assert diags == []
    assert fm is not None
    assert fm.data["title"] == "Hello: world"
    assert fm.data["updated"] == "2026-02-03"  # dates stay text
    assert fm.data["country"] == "NO"  # YAML 1.1 "Norway problem" avoided
    assert fm.data["flag"] is True
    assert fm.positions["title"] == frontmatter.Position(2, 9, True)
    assert fm.positions["eligibility.include.1"] == frontmatter.Position(11, 8, True)
    assert fm.key_positions["eligibility.include"] == frontmatter.Position(9, 3, True)
    assert fm.body == "## Body\n"
    assert fm.body_line == 13


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "## no front matter\n",
            "c.md:1:1: error: missing front matter: the file must start with a line '---' [FM001]",
        ),
        (
            "---\ntitle: x\n",
            "c.md:1:1: error: front matter is not closed: no second '---' line was found [FM002]",
        ),
        (
            '---\ntitle: "x\n---\n',
            "c.md:2:10: error: front matter is not valid YAML: found unexpected end of stream"
            " [FM003]",
        ),
        (
            "---\nconditions:\n\t- a\n---\n",
            "c.md:3:1: error: tab character in the indentation of the front matter [FM008]",
        ),
        (
            "---\n- a\n---\n",
            "c.md:2:1: error: front matter must be a mapping of 'field: value'"
            " lines, not a list [FM004]",
        ),
        ("---\n---\n", "c.md:2:1: error: front matter is empty [FM004]"),
        ("---\na: 1\na: 2\n---\n", 'c.md:3:1: error: duplicate key "a" in front matter [FM005]'),
        (
            "---\na: &x [1]\nb: *x\n---\n",
            "c.md:2:4: error: YAML anchors (&name) are not allowed in front matter [FM006]",
        ),
        (
            "---\na: !!python/object/apply:os.system [ls]\n---\n",
            'c.md:2:4: error: YAML tag "!!python/object/apply:os.system" is not allowed;'
            " write plain values [FM007]",
        ),
        (
            "---\na: !!binary aGVsbG8=\n---\n",
            'c.md:2:4: error: YAML tag "!!binary" is not allowed; write plain values [FM007]',
        ),
    ],
)
def test_parse_errors(text: str, expected: str) -> None:
    fm, diags = frontmatter.parse(text, "c.md")
    assert fm is None
    assert [d.format().split("\n")[0] for d in diags] == [expected]


def test_billion_laughs_refused_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "---\n" + "\n".join(lines) + "\n---\n"
    started = time.perf_counter()
    fm, diags = frontmatter.parse(text, "c.md")
    assert time.perf_counter() - started < 5  # expanded, it would take minutes
    assert fm is None
    assert diags[0].code == "FM006"


def test_crlf_and_ellipsis_end_marker() -> None:
    fm, diags = frontmatter.parse("---\ntitle: x\n...\nbody\n", "c.md")
    assert diags == [] and fm is not None and fm.body == "body\n"
