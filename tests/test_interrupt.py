"""Ctrl+C during a build says truthfully whether output/ was replaced, and the next build
runs in full (the reports may describe the unfinished build)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.build import manifest, pipeline
from sitegen.cli import main

GOOD = Path(__file__).parent / "bad_input" / "unknown-status" / "content" / "studies" / "good.md"


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "studies").mkdir(parents=True)
    shutil.copy(GOOD, root / "content" / "studies" / "good.md")
    (root / "output").mkdir()
    return root


@pytest.mark.parametrize("swapped", [False, True])
def test_ctrl_c_says_what_happened_to_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, swapped: bool
) -> None:
    root = site(tmp_path)

    def interrupted(*args: object, **kwargs: object) -> None:
        if swapped:  # as if Ctrl+C came right after the atomic swap
            (root / "output").rename(root / "old")
            (root / "output").mkdir()
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build_site", interrupted)
    assert main(["build", "--root", str(root)]) == 130
    err = capsys.readouterr().err
    if swapped:
        assert "the new site had already been published to output/" in err
        assert "left as it was" not in err
    else:
        assert "output/ was left as it was" in err
    assert manifest.load(root) is None
