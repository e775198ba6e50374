"""Registry records are untrusted: numbers that are not real, duplicate keys, invisible
control and direction-override characters, lone surrogates and absurd sizes are refused or
cleaned with a diagnostic, never a traceback, and never a page that breaks later builds."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sitegen.importers.ctgov import import_paths

DATA = Path(__file__).resolve().parent / "data" / "ctgov"
NCT = "NCT05948592"


def record() -> dict[str, Any]:
    return json.loads((DATA / f"{NCT}.json").read_text(encoding="utf-8"))


def run(tmp_path: Path, text: str) -> tuple[list[Path], list[str]]:
    src = tmp_path / "record.json"
    src.write_text(text, encoding="utf-8", errors="surrogatepass")
    written, diags = import_paths([src], tmp_path / "content" / "studies", root=tmp_path)
    return written, [d.format() for d in diags]


def test_a_number_too_large_is_named(tmp_path: Path) -> None:
    text = json.dumps(record()).replace('"protocolSection"', '"x": 1e400, "protocolSection"', 1)
    written, diags = run(tmp_path, text)
    assert written == []
    assert diags == [
        "record.json: error: not a usable JSON record: the number 1e400 is too large to be a "
        "real value [IMP001]"
    ]


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    text = json.dumps(record())
    dup = text.replace('"briefTitle": ', '"briefTitle": "First title", "briefTitle": ', 1)
    assert dup != text
    written, diags = run(tmp_path, dup)
    assert written == []
    assert diags == [
        'record.json: error: not a usable JSON record: the key "briefTitle" appears twice in '
        "one object [IMP001]"
    ]


def test_control_and_override_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    data = record()
    ident = data["protocolSection"]["identificationModule"]
    ident["briefTitle"] = "\u202e" + ident["briefTitle"] + "\x1b[31m\x00"
    desc = data["protocolSection"]["descriptionModule"]
    desc["briefSummary"] = desc["briefSummary"] + " \ud800"
    written, diags = run(tmp_path, json.dumps(data))
    assert len(written) == 1
    assert diags[0].startswith("record.json: warning: 4 control, text-direction override")
    assert "[IMP012]" in diags[0]
    page = written[0].read_text(encoding="utf-8")
    for ch in ("\u202e", "\x1b", "\x00", "\ud800"):
        assert ch not in page


def test_a_record_that_would_make_an_unbuildable_page_is_not_written(tmp_path: Path) -> None:
    data = record()
    desc = data["protocolSection"]["descriptionModule"]
    desc["briefSummary"] = "We test a plan. " * 130_000  # 2 MB
    sites = data["protocolSection"]["contactsLocationsModule"]
    sites["locations"] = [copy.deepcopy(sites["locations"][0]) for _ in range(3_000)]
    written, diags = run(tmp_path, json.dumps(data))
    assert written == []
    assert list((tmp_path / "content" / "studies").glob("*.md")) == []
    assert any("[IMP013]" in d and "would not build" in d for d in diags), diags
