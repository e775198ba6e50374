"""A search indexer that exits 0 but leaves empty files (a full disk) publishes nothing,
and the next build runs again instead of saying "Up to date"."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.publish import search

GOOD = Path(__file__).parent / "bad_input" / "unknown-status" / "content" / "studies" / "good.md"
FULL_DISK = (
    "import pathlib, sys\n"
    "b = pathlib.Path(sys.argv[1]) / 'pagefind'\n"
    "(b / 'index').mkdir(parents=True)\n"
    "(b / 'pagefind.js').write_text('x')\n"
    "(b / 'index' / 'en_1.pf_index').write_bytes(b'')\n"
)


def test_empty_index_files_publish_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    root = tmp_path / "site"
    (root / "content" / "studies").mkdir(parents=True)
    shutil.copy(GOOD, root / "content" / "studies" / "good.md")
    monkeypatch.setattr(
        search, "pagefind_command", lambda site: [sys.executable, "-c", FULL_DISK, str(site)]
    )
    for _ in range(2):
        assert main(["build", "--root", str(root)]) == 1
        err = capsys.readouterr().err
        assert "the search index is incomplete: 1 empty file(s), such as index/en_1.pf_index" in err
        assert "[SRCH002]" in err
        assert not (root / "output").exists()
