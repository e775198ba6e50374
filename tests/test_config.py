"""site.yml: defaults, typed validation, and a documented table of every setting."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from sitegen.content import config

DOC = Path(__file__).parent.parent / "docs" / "configuration.md"


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    cfg, diags = config.load_config(tmp_path)
    assert diags == []
    assert cfg == config.SiteConfig()


def test_values_and_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(
        "title: My studies\nbase_url: https://x.example.org\nreadabilty: {}\n"
        "readability: {limit: 9}\n"
    )
    cfg, diags = config.load_config(tmp_path)
    assert cfg is not None
    assert cfg.base_url == "https://x.example.org/"
    assert cfg.readability.limit == 9
    assert [d.format().split("\n")[0] for d in diags] == [
        'site.yml:3:1: warning: unknown field "readabilty" (did you mean "readability"?);'
        " it is ignored [CFG115]"
    ]


def test_bad_values_are_errors(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("language: fr\noutput_dir: ../elsewhere\n")
    cfg, diags = config.load_config(tmp_path)
    assert cfg is None
    assert [d.format().split("\n")[0] for d in diags] == [
        'site.yml:1:11: error: language: "fr" is not one of en, es [CFG112]'
    ]
    (tmp_path / "site.yml").write_text("output_dir: ../elsewhere\n")
    cfg, diags = config.load_config(tmp_path)
    assert cfg is None
    assert [d.format() for d in diags] == [
        'site.yml:1:13: error: output_dir: "../elsewhere" must be a folder inside the site [CFG002]'
    ]


@pytest.mark.parametrize(
    ("yml", "expected"),
    [
        ("a: [1\n", "site.yml:2:1: error: site.yml is not valid YAML: did not find expected ',' or"
         " ']' [CFG103]"),
        ("# nothing\n", "site.yml:1:1: error: site.yml is empty [CFG104]"),
        ("title: a\ntitle: b\n", 'site.yml:2:1: error: duplicate key "title" in site.yml [CFG105]'),
        ("x: &a 1\ny: *a\n", "site.yml:1:4: error: YAML anchors (&name) are not allowed in front"
         " matter [CFG106]"),
        ("title: !!python/object x\n", 'site.yml:1:8: error: YAML tag "!!python/object" is not'
         " allowed; write plain values [CFG107]"),
        ("readability:\n\tlimit: 9\n", "site.yml:2:1: error: tab character in the indentation of"
         " the site.yml [CFG108]"),
        ("completeness:\n  topics:\n    - name: ''\n", "site.yml:3:14: error:"
         " completeness.topics.0.name: must not be empty [CFG110]"),
        ("readability: {limit: x}\n", "site.yml:1:22: error: readability.limit: expected a number,"
         " got text [CFG111]"),
        ("max_file_kb: -5\n", "site.yml:1:14: error: max_file_kb: -5 is outside the range 1 to"
         " 102400 [CFG112]"),
        ("title: " + "a" * 81 + "\n", "site.yml:1:8: error: title: 81 characters, the limit is 80"
         " [CFG113]"),
        ("accessibility: {reviewed: 2024-02-31}\n", "site.yml:1:27: error: accessibility.reviewed:"
         ' "2024-02-31" is not a real date [CFG114]'),
        ("brand: {primary: red}\n", 'site.yml:1:18: error: brand.primary: "red" is not valid:'
         ' expected a colour like "#0b5c73" [CFG116]'),
        ('title: "a\\x1bb"\n', "site.yml:1:9: error: title: contains U+001B (ESCAPE) at character"
         " 2: control and text-direction override characters are not allowed [CFG117]"),
    ],
)  # fmt: skip
def test_settings_file_problems_carry_cfg_codes(tmp_path: Path, yml: str, expected: str) -> None:
    """The shared YAML reader and validator find the problem; site.yml gives it a CFG code
    (the same problem in a page's front matter is FMnnn; in site.yml it is CFG1nn)."""
    (tmp_path / "site.yml").write_text(yml, encoding="utf-8")
    cfg, diags = config.load_config(tmp_path)
    assert cfg is None
    [first, *_] = [d.format().split("\n")[0] for d in diags]
    assert first.startswith(expected)
    assert all(d.code.startswith("CFG") for d in diags), [d.code for d in diags]


def test_every_setting_is_documented() -> None:
    text = DOC.read_text()
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))
    names = {f.name for f in dataclasses.fields(config.SiteConfig)}
    names |= {f.name for f in dataclasses.fields(config.ReadabilityConfig)}
    assert names - documented == set()
