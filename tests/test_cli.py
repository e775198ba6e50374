"""The command line as a writer or CI runs it: ``python build.py ...`` in a separate process
on a small site. Exit codes, help, quiet and colour output, usage errors, progress, import,
and the CI/editor integration files."""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from small_site import BUILD_PY, REPO, WALKING, clean_env, run, write_site

from sitegen.cli import make_parser
from sitegen.core.diagnostics import Diagnostic, Severity, error, warning

VERBS = ("build", "check", "approve", "translated", "serve", "new", "import", "init", "feedback")
UNKNOWN_FIELD = WALKING.replace("status: recruiting", "status: recruiting\ncolour: blue")
MISSING_STATUS = WALKING.replace("status: recruiting\n", "")
ANSI = "\x1b["


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


def test_build_ok_exits_0_and_publishes(site: Path) -> None:
    r = run("build", cwd=site)
    assert r.returncode == 0, r.stderr
    assert "Built " in r.stdout
    assert (site / "output" / "studies" / "walking-study" / "index.html").is_file()
    assert not (site / "output" / "studies" / "sleep-draft").exists()  # drafts never published
    assert "Traceback" not in r.stderr


def test_no_verb_means_build(site: Path) -> None:
    r = run("-q", cwd=site)
    assert r.returncode == 0, r.stderr
    assert (site / "output" / "index.html").is_file()


def test_content_error_exits_1_with_location(site: Path) -> None:
    write_site(site, {"content/studies/walking-study.md": MISSING_STATUS})
    r = run("build", cwd=site)
    assert r.returncode == 1
    assert re.search(
        r"^content/studies/walking-study\.md:\d+:\d+: error: .*status.* \[FM010\]$",
        r.stderr,
        re.M,
    ), r.stderr
    assert "Nothing was published" in r.stderr
    assert not (site / "output").exists()
    assert run("check", cwd=site).returncode == 1


def test_quiet_prints_errors_only(site: Path) -> None:
    write_site(site, {"content/studies/walking-study.md": UNKNOWN_FIELD})
    loud = run("build", cwd=site)
    assert loud.returncode == 0, loud.stderr
    assert 'warning: unknown field "colour"' in loud.stderr
    quiet = run("build", "-q", cwd=site)
    assert quiet.returncode == 0
    assert quiet.stdout == ""
    assert "warning" not in quiet.stderr
    write_site(site, {"content/studies/walking-study.md": MISSING_STATUS})
    failed = run("build", "-q", cwd=site)
    assert failed.returncode == 1
    assert "error:" in failed.stderr


def test_check_files_as_pre_commit_passes_them(site: Path) -> None:
    (site / "README.md").write_text("# Notes\n\nNot a page of the site.\n", encoding="utf-8")
    r = run("check", "README.md", "content/studies/walking-study.md", cwd=site)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Checked 2 pages" in r.stdout  # an explicit path is never skipped


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["frobnicate"], "invalid choice"),
        (["build", "--frobnicate"], "unrecognized arguments"),
        (["check", "--format", "xml"], "invalid choice"),
        (["build", "-q", "-v"], "not allowed with"),
        (["serve", "--port", "99999"], "port must be 0 to 65535"),
        (["serve", "--port", "http"], "not a port number"),
        (["new", "study"], "required: title"),
        (["new", "essay", "A title"], "invalid choice"),
        (["import", "ctgov", "no-such-file.json"], "no such file or folder"),
        (["import", "pubmed", "x.json"], "invalid choice"),
        (["check", "content/studies/no-such.md"], "no such file"),
        (["build", "--root", "no-such-folder"], "does not exist"),
        (["new", "study", "x" * 81], "the limit is 80"),
        (["new", "study", "!!!"], "cannot make a file name"),
        (["new", "page", "Studies"], "web address sitegen uses itself"),
    ],
)
def test_usage_errors_exit_2_without_traceback(site: Path, args: list[str], expect: str) -> None:
    r = run(*args, cwd=site)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert expect in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


@pytest.mark.parametrize("verb", VERBS)
def test_help_of_every_verb_has_examples_and_exit_codes(site: Path, verb: str) -> None:
    r = run(verb, "--help", cwd=site)
    assert r.returncode == 0
    assert "examples:" in r.stdout
    assert "exit codes:" in r.stdout
    # examples are spelt the way sitegen was started, so they can be pasted as they are
    assert f"{BUILD_PY} {verb}" in r.stdout
    assert "python build.py" not in r.stdout


def test_main_help_lists_verbs_and_exit_codes(site: Path) -> None:
    r = run("--help", cwd=site)
    assert r.returncode == 0
    for verb in VERBS:
        assert verb in r.stdout
    assert "examples:" in r.stdout
    assert re.search(r"^\s+2\s+usage", r.stdout, re.M)


def run_in_pty(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60) -> str:
    """Run ``build.py`` with stdout and stderr on a pseudo-terminal; return what it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, str(BUILD_PY), *args],
        cwd=cwd,
        env={**env, "COLUMNS": "100", "TERM": env.get("TERM", "xterm")},
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        proc.wait(timeout=10)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_and_never_with_no_color(site: Path) -> None:
    write_site(site, {"content/studies/walking-study.md": UNKNOWN_FIELD})
    coloured = run_in_pty(["check"], site, clean_env())
    assert "unknown field" in coloured
    assert f"{ANSI}1;33mwarning{ANSI}0m:" in coloured
    plain = run_in_pty(["check"], site, clean_env(NO_COLOR="1"))
    assert "warning: unknown field" in plain
    assert ANSI not in plain
    piped = run("check", cwd=site)  # not a terminal: no colour either
    assert "warning: unknown field" in piped.stdout
    assert ANSI not in piped.stdout + piped.stderr


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    many = {
        f"content/pages/page-{i:02d}.md": (
            f'---\ntitle: "Page {i}"\n---\n\nWe run health studies. You can call us.\n'
        )
        for i in range(22)
    }
    site = write_site(tmp_path / "site", many)
    shown = run_in_pty(["check"], site, clean_env(NO_COLOR="1"))
    assert "Checking pages" in shown
    assert "Checked 25 pages" in shown
    piped = run("check", cwd=site)
    assert "Checking pages" not in piped.stdout + piped.stderr
    quiet = run_in_pty(["check", "-q"], site, clean_env())
    assert "Checking pages" not in quiet


def _ctgov_ready() -> bool:
    try:
        from sitegen.importers import ctgov
    except ImportError:
        return False
    return hasattr(ctgov, "import_paths")


CTGOV_DATA = REPO / "tests" / "data" / "ctgov"


@pytest.mark.skipif(not _ctgov_ready(), reason="sitegen.importers.ctgov.import_paths not there yet")
def test_import_ctgov(site: Path, tmp_path: Path) -> None:
    record = sorted(CTGOV_DATA.glob("*.json"))[0]
    r = run("import", "ctgov", str(record), cwd=site)
    assert r.returncode == 0, r.stderr
    m = re.search(r"^Imported 1 study as drafts: (content/studies/\S+\.md)$", r.stdout, re.M)
    assert m, r.stdout
    assert (site / m.group(1)).is_file()
    again = run("import", "ctgov", str(record), cwd=site)  # exists: not overwritten
    assert again.returncode == 1
    assert "error:" in again.stderr
    assert run("import", "ctgov", str(record), "--overwrite", cwd=site).returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    failed = run("import", "ctgov", str(bad), cwd=site)
    assert failed.returncode == 1
    assert "bad.json" in failed.stderr
    assert "Traceback" not in failed.stderr


# --------------------------------------------------------------------------------------------
# Docs and integration files


def _parser_options() -> dict[str, list[str]]:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "verb")
    out: dict[str, list[str]] = {}
    for name, p in sub.choices.items():  # type: ignore[union-attr]
        opts = []
        for action in p._actions:
            if action.dest == "help":
                continue
            opts += [s for s in action.option_strings if s.startswith("--")] or [
                action.metavar or action.dest
            ]
        out[name] = [str(o) for o in opts]
    return out


def _walk(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, argparse.Action]]:
    """Every argument of ``parser`` and of its sub-commands, with the command that has it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, f"{path} {name}")
        elif action.dest != "help":
            yield path, action


def test_every_option_has_help_text() -> None:
    found = list(_walk(make_parser(), "sitegen"))
    assert len({p for p, _ in found}) == len(VERBS) + 1
    missing = [
        f"{where} {'/'.join(a.option_strings) or a.dest}"
        for where, a in found
        if not (a.help or "").strip() or a.help == argparse.SUPPRESS
    ]
    assert not missing, f"options without help text: {missing}"


def test_docs_cli_covers_every_verb_and_option() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for verb, options in _parser_options().items():
        assert re.search(rf"^## `{verb}\b", doc, re.M), f"docs/cli.md has no section for {verb}"
        for opt in options:
            if opt in ("paths", "kind", "source", "title", "page"):
                continue
            assert opt in doc, f"docs/cli.md does not mention {verb} {opt}"
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in doc


def _matcher_regexps() -> list[str]:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        data = json.loads(block)
        if "tasks" in data:
            found.append(data["tasks"][0]["problemMatcher"]["pattern"]["regexp"])
        else:
            found.append(data["problemMatcher"][0]["pattern"][0]["regexp"])
    return found


DIAGNOSTICS = [
    error("content/studies/asthma.md", 7, 1, "FM012", 'status: "recruting" is not one of x'),
    warning("content/pages/about.md", 12, 40, "RD003", "long sentence [35 words]", "split it"),
    Diagnostic("content/studies/a b.md", 3, 0, Severity.NOTE, "JG002", "term defined: placebo"),
    error("site", 0, 0, "GATE001", "1 page(s) blocked by the readability gate: a.md"),
]


@pytest.mark.parametrize("diag", DIAGNOSTICS, ids=lambda d: d.code)
def test_problem_matcher_matches_real_diagnostics(diag: Diagnostic) -> None:
    regexps = _matcher_regexps()
    assert len(regexps) == 2
    first_line = diag.format().split("\n")[0]
    for regexp in regexps:
        m = re.match(regexp, first_line)
        assert m, (regexp, first_line)
        file, line, col, severity, message, code = m.groups()
        assert file == diag.path
        assert int(line or 0) == diag.line
        assert int(col or 0) == diag.col
        assert severity == diag.severity.value
        assert message == diag.message
        assert code == diag.code
        if diag.hint:
            assert not re.match(regexp, diag.format().split("\n")[1])


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "sitegen-check")
    assert hook["entry"] == "sitegen check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert re.search(hook["files"], "content/studies/a.md")
    assert not re.search(hook["files"], "site.yml")


def test_ci_workflow_example() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(re.search(r"```yaml\n(name: site.*?)```", text, re.S).group(1))
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    runs = [s.get("run", "") for s in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    assert "pip install -r requirements.txt" in runs  # the site's repository is not sitegen's
    assert "sitegen build" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "always()"
    assert upload["with"]["path"] == "reports/"


def test_gitignore_has_preview_folder() -> None:
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert ".sitegen-preview/" in lines
