"""Golden end-to-end build: a small site built file by file against a committed output.

After an intended change of the theme or the pages, update the expectation with
``SITEGEN_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and read the diff before committing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sitegen.cli import main

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
TEXT = (".html", ".xml", ".txt", ".css", ".js", ".svg")


def text_files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.suffix in TEXT
        and p.relative_to(folder).parts[0] not in ("search-index", "assets")  # tested on their own
    }


@pytest.mark.parametrize("case", CASES)
def test_golden_build(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN / case / "site", site)
    assert main(["build", "--root", str(site), "-q"]) == 0, capsys.readouterr().err
    got = text_files(site / "output")
    names = sorted(p.relative_to(site / "output").as_posix()
                   for p in (site / "output").rglob("*") if p.is_file())  # fmt: skip
    expected_dir = GOLDEN / case / "expected"
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, text in got.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_text(text, encoding="utf-8")
        (GOLDEN / case / "files.txt").write_text("\n".join(names) + "\n")
    assert sorted(got) == sorted(text_files(expected_dir))
    for rel, text in got.items():
        assert text == (expected_dir / rel).read_text(encoding="utf-8"), rel
    assert names == (GOLDEN / case / "files.txt").read_text().split()
