"""The docs work as written: every shell command in README.md and docs/*.md is run (or, when
it cannot run here, checked) in a temporary copy of the example site, and every path and
link they name exists. Like Datasette's documentation tests, so no command can rot again.

How each command is handled (``classify``):

- ``sitegen ...``, ``python build.py ...``, ``.venv/bin/sitegen ...``, ``python -m sitegen``:
  parsed by sitegen's own argument parser, then run as written through the shell, in the
  folder the block has ``cd``-ed to, with this checkout's sitegen. A usage error (exit 2), a
  traceback or a timeout fails. ``serve`` is parsed only (it never ends).
- ``cd DIR``: the folder must exist; later commands of the block run there.
- ``curl ... https://clinicaltrials.gov/api/v2/studies/NCT........``: the URL must be the
  API v2 address of one study; the test copies the offline record from ``tests/data/ctgov/``
  to the named file instead of downloading it (a search URL gets two offline records).
- ``python SCRIPT.py ...``: the script must exist (benchmarks are not run here).
- ``mkdir``, ``mv``, ``cp``, ...: run as written.
- ``my-site`` is the name the docs give the reader's own site: the copy has one, made by
  ``init``.
- commands that install or set things up (``pip``, ``python3 -m venv``, ``source``, ``./dev``,
  ``git``, ...): listed in ``NOT_RUN`` with the reason; anything else fails, so that a new
  kind of command gets a rule here instead of going unchecked.

Inline code in the text (`sitegen check --format json`) is parsed by the argument parser.
A failure names the doc file, its line and the command, and what happened.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.cli import make_parser

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
CTGOV = REPO / "tests" / "data" / "ctgov"
SHELL_LANGS = {"bash", "sh", "shell", "console"}
TIMEOUT = 180

#: first words of commands that are not run here, and why
NOT_RUN = {
    "pip": "installs software (tests/test_init.py installs the wheel)",
    "python3 -m venv": "makes a virtual environment (tests/test_init.py does)",
    "python -m venv": "makes a virtual environment (tests/test_init.py does)",
    "source": "changes the shell the user types in",
    "./dev": "sets up .venv/ and runs everything (CI runs it)",
    ".ci/run": "the CI entry point",
    "git": "version control",
    "pre-commit": "runs the hooks in the user's repository",
    "apt-get": "installs system packages",
    "sudo": "installs system packages",
    "export": "sets a variable in the user's shell",
    "pbpaste": "reads the macOS clipboard",
}
#: files the docs' examples assume the reader has in the site folder (an export of the
#: feedback form, as docs/feedback.md shows it)
SITE_FILES = {
    "answers.csv": "page,easy,hard_words,date,lang\n"
    'studies/asthma-inhaler/,no,"spirometry, exacerbation",2026-03-05,en\n',
    "answers.json": '[{"page": "studies/asthma-inhaler/", "easy": "yes", "lang": "en"}]\n',
}
#: files in the reader's home folder that the docs' examples use
HOME_FILES = {
    "letters/invitation.txt": "We are looking for people to join a study about sleep. "
    "You can stop at any time.\n",
}
#: plain shell commands the docs use between sitegen commands: run as written
SHELL_TOOLS = {"mkdir", "mv", "cp", "ls", "cat", "rm"}
STUDY_URL = re.compile(r"^https://clinicaltrials\.gov/api/v2/studies/(NCT\d{8})(?:\?format=json)?$")
SEARCH_URL = re.compile(r"^https://clinicaltrials\.gov/api/v2/studies\?[\w.&=%+-]+$")
#: the offline records a search "returns"
SEARCH_RECORDS = ("NCT05948592", "NCT04766866")
SITEGEN = re.compile(
    r"^(?:\.venv/bin/)?sitegen(?:\s|$)|^(?:\.venv/bin/)?python3? (?:build\.py|-m sitegen)(?:\s|$)"
)


@dataclass(frozen=True)
class Command:
    """One command line of a doc, with where it is."""

    doc: str
    line: int
    text: str

    def where(self) -> str:
        return f"{self.doc}:{self.line}: `{self.text}`"


def _rel(doc: Path) -> str:
    return doc.relative_to(REPO).as_posix()


def shell_blocks(doc: Path) -> list[list[Command]]:
    """The commands of each fenced shell block (``bash``, ``sh``, ``shell``, ``console``):
    comments dropped, ``\\`` continuations joined, ``$ `` prompts removed."""
    blocks: list[list[Command]] = []
    lines = doc.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^\s*```+\s*(\w+)?", lines[i])
        if not m:
            i += 1
            continue
        lang = (m.group(1) or "").lower()
        i += 1
        body: list[tuple[int, str]] = []
        while i < len(lines) and not re.match(r"^\s*```", lines[i]):
            body.append((i + 1, lines[i]))
            i += 1
        i += 1
        if lang not in SHELL_LANGS:
            continue
        commands: list[Command] = []
        pending, start = "", 0
        for number, raw in body:
            text = raw.strip()
            if lang == "console":
                if not text.startswith("$ ") and not pending:
                    continue  # output
                text = text.removeprefix("$ ")
            if not pending:
                start = number
            if text.endswith("\\"):
                pending += text[:-1] + " "
                continue
            text = _strip_comment(pending + text).strip()
            pending = ""
            if text:
                commands.append(Command(_rel(doc), start, text))
        blocks.append(commands)
    return blocks


def _strip_comment(text: str) -> str:
    """``text`` without a trailing ``# comment`` (outside quotes)."""
    quote = ""
    for n, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (n == 0 or text[n - 1].isspace()):
            return text[:n]
    return text


def prose_lines(doc: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each line outside fenced code blocks."""
    in_fence = False
    for number, line in enumerate(doc.read_text(encoding="utf-8").split("\n"), start=1):
        if re.match(r"^\s*```", line):
            in_fence = not in_fence
        elif not in_fence:
            yield number, line


def inline_commands(doc: Path) -> list[Command]:
    """Commands written in the text as inline code: `sitegen VERB ...`."""
    found = []
    for number, line in prose_lines(doc):
        for span in re.findall(r"(?<!`)`([^`]+)`(?!`)", line):
            if SITEGEN.match(span) and not re.search(r"\.\.\.|[\[|<]|\bVERB\b", span):
                found.append(Command(_rel(doc), number, span))
    return found


def sitegen_args(text: str) -> list[str] | None:
    """The arguments after the program, for a sitegen command (None for other commands)."""
    if not SITEGEN.match(text):
        return None
    words = shlex.split(text.split(" > ")[0].split(" | ")[0])
    if words[0].endswith("sitegen"):
        return words[1:]
    return words[2:] if words[1] == "build.py" else words[3:]


def check_parses(cmd: Command, args: list[str]) -> str | None:
    """A problem when sitegen's argument parser refuses ``args``, else None."""
    parser = make_parser()
    if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help", "--version")):
        args = ["build", *args]
    if any(a in ("-h", "--help", "--version") for a in args):
        return None
    try:
        with open(os.devnull, "w") as null:
            old = sys.stderr
            sys.stderr = null
            try:
                parser.parse_args(args)
            finally:
                sys.stderr = old
    except SystemExit as exc:
        if exc.code not in (0, None):
            return f"{cmd.where()}: sitegen does not accept these arguments"
    return None


# --------------------------------------------------------------------------------------------
# Running a doc's shell blocks


def _site_copy(dest: Path) -> Path:
    """The example site, as a checkout of this repository has it, plus shims that run this
    checkout's sitegen: ``build.py``, ``.venv/bin/python``, ``.venv/bin/sitegen``."""
    dest.mkdir(parents=True)
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy2(REPO / "site.yml", dest / "site.yml")
    (dest / "build.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom sitegen.cli import main\n"
        "raise SystemExit(main())\n",
        encoding="utf-8",
    )
    for rel, text in SITE_FILES.items():
        (dest / rel).write_text(text, encoding="utf-8")
    # "my-site" is the name the docs give the reader's own site
    done = subprocess.run(
        [sys.executable, "build.py", "init", "-q", "my-site"], cwd=dest, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    venv_bin = dest / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    os.symlink(sys.executable, venv_bin / "python")
    _script(venv_bin / "sitegen", f'exec {shlex.quote(sys.executable)} -m sitegen "$@"')
    return dest


def _script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _env(bin_dir: Path) -> dict[str, str]:
    """PATH with ``sitegen`` and ``python`` running this checkout; no colour."""
    bin_dir.mkdir(exist_ok=True)
    _script(bin_dir / "sitegen", f'exec {shlex.quote(sys.executable)} -m sitegen "$@"')
    for name in ("python", "python3"):
        _script(bin_dir / name, f'exec {shlex.quote(sys.executable)} "$@"')
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(REPO)
    env["NO_COLOR"] = "1"
    home = bin_dir.parent / "home"
    for rel, text in HOME_FILES.items():
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / rel).write_text(text, encoding="utf-8")
    env["HOME"] = str(home)
    return env


def _not_run(text: str) -> str | None:
    first = Path(text.split()[0]).name
    if first in ("pip", "pip3"):
        return NOT_RUN["pip"]
    for prefix, why in NOT_RUN.items():
        if text == prefix or text.startswith(prefix + " "):
            return why
    return None


def run_block(commands: list[Command], site: Path, env: dict[str, str]) -> Iterator[str]:
    """Run one block's commands in order; yields a problem for each that fails."""
    cwd = site
    for cmd in commands:
        text = cmd.text
        if _not_run(text):
            continue
        if text.startswith("cd "):
            target = (cwd / shlex.split(text)[1]).resolve()
            if not target.is_dir():
                yield f"{cmd.where()}: there is no folder {shlex.split(text)[1]} at that point"
                return
            cwd = target
            continue
        if text.startswith("curl "):
            yield from _curl(cmd, cwd)
            continue
        if text.split()[0] in SHELL_TOOLS:
            done = subprocess.run(text, shell=True, cwd=cwd, env=env, capture_output=True)
            if done.returncode != 0:
                yield f"{cmd.where()}: exit code {done.returncode}: {done.stderr.decode()}"
            continue
        args = sitegen_args(text)
        if args is None:
            m = re.match(r"^python3? ((?:\S+/)?\S+\.py)\b", text)
            if m:
                if not (REPO / m.group(1)).is_file():
                    yield f"{cmd.where()}: there is no script {m.group(1)} in the repository"
                continue
            yield (
                f"{cmd.where()}: the docs test does not know how to run this command; add a "
                "rule for it to tests/test_docs.py (run it, or NOT_RUN with the reason)"
            )
            continue
        problem = check_parses(cmd, args)
        if problem:
            yield problem
            continue
        if args[:1] == ["serve"] and not {"-h", "--help"} & set(args):
            continue  # a server never ends: parsed only
        try:
            done = subprocess.run(
                text,
                shell=True,
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            yield f"{cmd.where()}: did not finish in {TIMEOUT} s"
            continue
        output = done.stdout + done.stderr
        if done.returncode not in (0, 1) or "Traceback" in output:
            last = "\n    ".join(output.strip().split("\n")[-6:])
            yield f"{cmd.where()}: exit code {done.returncode} in {cwd.name}/:\n    {last}"


def _curl(cmd: Command, cwd: Path) -> Iterator[str]:
    """``curl -o FILE URL`` (or ``> FILE``) for a ClinicalTrials.gov record: check the URL
    and put the offline copy of the record where curl would have."""
    words = shlex.split(cmd.text)
    urls = [w for w in words if w.startswith("http")]
    out = None
    for flag in ("-o", "--output"):
        if flag in words:
            out = words[words.index(flag) + 1]
    if ">" in words:
        out = words[words.index(">") + 1]
    if len(urls) != 1 or out is None:
        yield f"{cmd.where()}: expected one URL and an output file (-o FILE)"
        return
    if SEARCH_URL.match(urls[0]):
        records = [json.loads((CTGOV / f"{n}.json").read_text("utf-8")) for n in SEARCH_RECORDS]
        (cwd / out).write_text(json.dumps({"studies": records}), encoding="utf-8")
        return
    m = STUDY_URL.match(urls[0])
    if not m:
        yield f"{cmd.where()}: not the API v2 address of one study ({STUDY_URL.pattern})"
        return
    record = CTGOV / f"{m.group(1)}.json"
    if not record.is_file():
        yield f"{cmd.where()}: no offline copy of {m.group(1)} in tests/data/ctgov/"
        return
    shutil.copy2(record, cwd / out)


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One copy of the example site for every doc, built once (so its page cache is warm
    and each command runs as fast as it does for a writer), and the environment to run in."""
    top = tmp_path_factory.mktemp("docs")
    site = _site_copy(top / "site")
    env = _env(top / "bin")
    done = subprocess.run(
        [sys.executable, "build.py", "-q"], cwd=site, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return site, env


#: the docs that give commands (the others have only paths, checked below)
DOCS_WITH_COMMANDS = [d for d in DOCS if shell_blocks(d) or inline_commands(d)]


def test_the_docs_give_commands_to_check() -> None:
    assert len(DOCS_WITH_COMMANDS) >= 5, [_rel(d) for d in DOCS_WITH_COMMANDS]


@pytest.mark.parametrize("doc", DOCS_WITH_COMMANDS, ids=_rel)
def test_shell_commands_work_as_written(doc: Path, docs_site: tuple[Path, dict[str, str]]) -> None:
    blocks = shell_blocks(doc)
    inline = inline_commands(doc)
    site, env = docs_site
    problems: list[str] = []
    for cmd in inline:
        args = sitegen_args(cmd.text)
        problem = check_parses(cmd, args or [])
        if problem:
            problems.append(problem + " (inline)")
    for commands in blocks:
        problems += run_block(commands, site, env)
    assert not problems, "commands in the docs that do not work:\n" + "\n".join(problems)


# --------------------------------------------------------------------------------------------
# Paths and links

#: paths the docs name that sitegen makes while it works (not in a fresh copy)
MADE_BY_SITEGEN = {
    ".sitegen-preview",
    ".sitegen-cache",
    "output",
    "reports",
    "test-artifacts",
    "feedback",
}
#: paths the docs tell the reader to make in their own site or repository, and names that
#: look like paths but are not files
YOURS = {
    ".github/workflows/site.yml",
    ".github/sitegen-matcher.json",
    ".pre-commit-config.yaml",
    ".vscode/tasks.json",
    "github/codeql-action/upload-sarif",
    "images/logo.svg",
    "assets/logo.svg",
    "templates/static/",
    "templates/static/brand.css",
    "requirements.txt",
    "./wheels/sitegen-0.1.0-py3-none-any.whl",
}
_PATHLIKE = re.compile(
    r"^(?:\.{0,2}/)?[\w.-]+(?:/[\w.@-]*)+$|^[\w.-]+\.(?:md|py|yml|yaml|json|html|css|js|toml|txt|png|svg|jsonl|sarif)$"
)


def path_refs(doc: Path) -> list[tuple[int, str]]:
    """``(line, path)`` for each relative link target and each inline code span that looks
    like a path (outside fenced blocks)."""
    found = []
    for number, line in prose_lines(doc):
        # links outside code spans (a link inside one is an example of the syntax)
        for target in re.findall(r"\]\(([^)\s]+)\)", re.sub(r"`[^`]*`", "", line)):
            if not re.match(r"^(?:[a-z]+:|#|/)", target):
                found.append((number, target.split("#")[0]))
        for span in re.findall(r"(?<!`)`([^`\s]+)`(?!`)", line):
            if _PATHLIKE.match(span) and not _placeholder(span) and span not in YOURS:
                found.append((number, span))
    return found


def _file_names(roots: list[Path]) -> set[str]:
    """The names of every file and folder under ``roots`` (not .git or .venv), for paths the
    docs give by name only (`en.yml`)."""
    names: set[str] = set()
    for root in roots:
        for _dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "__pycache__")]
            names.update(dirnames)
            names.update(filenames)
    return names


def _placeholder(span: str) -> bool:
    """A path with a placeholder part (``NAME``, ``FILE.json``, ``<slug>``, ``...``), or a
    URL path of the site (``/search/``)."""
    if "..." in span or "…" in span or span.startswith("/") or not re.search(r"\w", span):
        return True
    parts = [p for p in span.split("/") if p]
    return any(re.fullmatch(r"[A-Z][A-Z0-9_]*(?:\.\w+)?|N+|x+", p.split(".")[0]) for p in parts)


def _exists(doc: Path, target: str, roots: list[Path], names: set[str]) -> bool:
    if target.startswith("../") and not (doc.parent / target).resolve().is_relative_to(REPO):
        return True  # a place outside this repository (an example of a refused path, say)
    clean = target.strip("/")
    if not clean or clean.split("/")[0] in MADE_BY_SITEGEN:
        return True
    if "/" not in clean:
        return clean in names
    return any((base / clean).exists() for base in [doc.parent, *roots])


@pytest.fixture(scope="module")
def built_example(docs_site: tuple[Path, dict[str, str]]) -> Path:
    """The copy of the example site, built (its output/ has every page URL the docs name)."""
    return docs_site[0]


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_paths_and_links_exist(doc: Path, built_example: Path) -> None:
    roots = [
        REPO,
        REPO / "sitegen",
        built_example,
        built_example / "output",
        built_example / "output" / "assets",
        built_example / "reports",
        built_example / "content" / "pages",  # links between pages: ../studies/x.md
    ]
    names = _file_names([REPO, built_example])
    missing = [
        f"{_rel(doc)}:{line}: {target}"
        for line, target in path_refs(doc)
        if not _exists(doc, target, roots, names)
    ]
    assert not missing, "paths named in the docs that do not exist:\n" + "\n".join(missing)


def test_the_docs_test_finds_commands_and_paths() -> None:
    """The extractors see the commands a writer follows (so the tests above test something)."""
    readme = [c.text for block in shell_blocks(REPO / "README.md") for c in block]
    assert "sitegen init my-site" in readme
    assert any(t.startswith("python build.py check") for t in readme)
    cli = [c.text for block in shell_blocks(REPO / "docs" / "cli.md") for c in block]
    assert len(cli) >= 15
    paths = [t for _, t in path_refs(REPO / "docs" / "architecture.md")]
    assert "readability/GATE.md" in " ".join(paths) or len(paths) >= 10


def test_a_broken_command_or_path_is_named(docs_site: tuple[Path, dict[str, str]]) -> None:
    """The test fails on a command that does not work, saying which doc line and command."""
    doc = REPO / "docs" / "cli.md"
    bad = [
        Command("docs/x.md", 7, "sitegen check content/studies/asthma.md"),
        Command("docs/x.md", 8, "sitegen check --colour"),
        Command("docs/x.md", 9, "wget https://example.org/"),
    ]
    # The shared copy of the example site (none of these commands changes it), instead of a
    # copy of its own, which costs a copy and an `init`.
    site, env = docs_site
    problems = list(run_block(bad, site, env))
    assert len(problems) == 3, problems
    assert problems[0].startswith("docs/x.md:7: `sitegen check content/studies/asthma.md`: exit")
    assert "no such file: content/studies/asthma.md" in problems[0]
    assert problems[1].startswith("docs/x.md:8:") and "does not accept" in problems[1]
    assert "does not know how to run" in problems[2]
    assert not _exists(doc, "sitegen/labels.py", [REPO], set())
    assert _exists(doc, "sitegen/render/views.py", [REPO], set())
