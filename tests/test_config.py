"""site.yml: defaults, typed validation, and a documented table of every setting."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

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
        " it is ignored [FM015]"
    ]


def test_bad_values_are_errors(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("language: fr\noutput_dir: ../elsewhere\n")
    cfg, diags = config.load_config(tmp_path)
    assert cfg is None
    assert [d.format().split("\n")[0] for d in diags] == [
        'site.yml:1:11: error: language: "fr" is not one of en, es [FM012]'
    ]
    (tmp_path / "site.yml").write_text("output_dir: ../elsewhere\n")
    cfg, diags = config.load_config(tmp_path)
    assert cfg is None
    assert [d.format() for d in diags] == [
        'site.yml:1:13: error: output_dir: "../elsewhere" must be a folder inside the site [CFG002]'
    ]


def test_every_setting_is_documented() -> None:
    text = DOC.read_text()
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))
    names = {f.name for f in dataclasses.fields(config.SiteConfig)}
    names |= {f.name for f in dataclasses.fields(config.ReadabilityConfig)}
    assert names - documented == set()
