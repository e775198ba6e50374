"""The bad-input corpus: every case gives its exact diagnostics, exit code 1 (a BOM only
warns), no traceback, other pages still diagnosed, and the previous output/ left untouched."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bad_input_cases import AFTER, SETUP

from sitegen.cli import main

CORPUS = Path(__file__).parent / "bad_input"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
REPO = Path(__file__).parent.parent
DIAG = re.compile(r"^\S+?(:\d+)*: (error|warning): ")


def expected(case: str) -> tuple[int, list[str]]:
    lines = [x for x in (CORPUS / case / "expected.txt").read_text().splitlines() if x]
    code = int(lines[1])
    return code, [x for x in lines[3:]]


def make_case(case: str, tmp: Path) -> dict[str, str]:
    """Copy a case into ``tmp``; build the generated ones. Returns placeholder values."""
    shutil.copytree(CORPUS / case, tmp, dirs_exist_ok=True)
    (tmp / "expected.txt").unlink()
    values: dict[str, str] = {}
    if case == "huge-file":
        big = b"---\ntitle: x\n---\n" + b"word " * (4 * 1024 * 1024)
        (tmp / "content/studies/case.md").write_bytes(big)
    if case == "symlink-outside-site":
        outside = tmp.parent / f"{tmp.name}-outside"
        outside.mkdir()
        secret = outside / "secret.md"
        secret.write_text("---\ntitle: secret\n---\n")
        (tmp / "content/studies/case.md").symlink_to(secret)
        values["target"] = str(secret)
    if case in SETUP:
        values.update(SETUP[case](tmp))
    return values


def run(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["build", "--root", str(root)])
    err = capsys.readouterr().err
    return code, [x for x in err.splitlines() if DIAG.match(x)], err


@pytest.mark.parametrize("case", CASES)
def test_case(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "site"
    values = make_case(case, root)
    want_code, want = expected(case)
    want = [line.format(**values) if values else line for line in want]
    started = time.perf_counter()
    code, got, err = run(root, capsys)
    assert time.perf_counter() - started < 60  # a bound on hangs, not a speed claim
    assert "Traceback" not in err
    assert (code, got) == (want_code, want)
    if want_code:
        assert not (root / "output").exists(), "a failed build must not publish"
    if case in AFTER:
        AFTER[case](root, values)


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 25
    for case in CASES:
        assert (CORPUS / case / "expected.txt").is_file(), case


def test_failed_build_keeps_previous_output(tmp_path: Path, capsys) -> None:
    root = tmp_path / "site"
    make_case("unknown-status", root)
    broken = (root / "content/studies/case.md").read_text()
    (root / "content/studies/case.md").write_text(broken.replace("recruting", "recruiting"))
    (root / "content/studies/also-broken.md").unlink()
    assert main(["build", "--root", str(root), "-q"]) == 0
    before = {p: p.read_bytes() for p in sorted((root / "output").rglob("*")) if p.is_file()}
    (root / "content/studies/case.md").write_text(broken)
    assert main(["build", "--root", str(root), "-q"]) == 1
    after = {p: p.read_bytes() for p in sorted((root / "output").rglob("*")) if p.is_file()}
    assert after == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".output")) == []
    capsys.readouterr()


def test_all_cases_in_one_site_are_reported_in_one_run(tmp_path: Path, capsys) -> None:
    """Every front-matter case at once: every file gets its diagnostic in the same run."""
    root = tmp_path / "site"
    (root / "content/studies").mkdir(parents=True)
    want: list[str] = []
    for case in CASES:
        if case.startswith("template-") or case in ("duplicate-slug", "symlink-outside-site"):
            continue
        make_case(case, tmp_path / case)
        code, lines = expected(case)
        src = tmp_path / case / "content/studies"
        for f in src.iterdir():
            if f.name in ("good.md", "also-broken.md"):
                continue
            name = f"{case}-{f.name}" if f.name != "..md" else "..md"
            shutil.copy(f, root / "content/studies" / name)
            want += [
                x.replace(f"content/studies/{f.name}:", f"content/studies/{name}:")
                for x in lines
                if f"content/studies/{f.name}:" in x
            ]
    code, got, _ = run(root, capsys)
    assert code == 1
    assert sorted(got) == sorted(want)


def test_command_line_run_has_no_traceback(tmp_path: Path) -> None:
    root = tmp_path / "site"
    make_case("python-object-tag", root)
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert 'YAML tag "!!python/object/apply:os.system" is not allowed' in proc.stderr
    assert "Nothing was published" in proc.stderr
