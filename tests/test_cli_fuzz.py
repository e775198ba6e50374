"""No traceback for any user input: a fixed-seed, time-budgeted fuzzer over the command line.

Each round makes a small site and damages one input a user controls: the front matter, the
body, ``site.yml``, a glossary file, a registry record to import, or the names and types of
files in ``content/`` (odd names, folders named ``.md``, FIFOs, dangling and looping links).
Then it runs ``check``, ``build`` or ``import`` in this process: any exception escaping the
command line (what a user would see as a traceback) fails the test, naming the input. The
seed is fixed, so a failure is reproducible; the rounds stop after ``BUDGET`` seconds.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from sitegen.cli import main

SEED = 15
BUDGET = float(os.environ.get("SITEGEN_FUZZ_SECONDS", "40"))
DATA = Path(__file__).resolve().parent / "data" / "ctgov"

GOOD = """---
title: A walking study for people with knee pain
summary: We want to learn if a short daily walk helps knee pain.
status: recruiting
conditions: [Knee pain]
---
## What is this study about?

We want to find out if a short walk each day helps knee pain. You can stop at any time.
"""
ATOMS = [
    "---", "\n", ": ", "- ", "[", "]", "{", "}", "'", '"', "!!python/object:os.system", "&a",
    "*a", "<<: *a", "\t", "\\x1b", "\\u202e", "\\0", "\x00", "\x1b", "\u202e", "\ud800", "é",
    "日本語", "α", "!!!", "1e400", "-1", "9" * 30, ".inf", "null", "~", "yes", "2024-02-30",
    "title", "status", "conditions", "slug", "lang", "draft", "eligibility", "age_min",
    "sites", "signoff", "readability", "limit", "output_dir", "reports_dir", "content_dir",
    "glossary", "../", "/etc/passwd", "..", "[![x](", "<script>", "```", "> ", "#", "|",
]  # fmt: skip


def noise(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ATOMS) for _ in range(n))


def mutate(rng: random.Random, text: str) -> str:
    """``text`` with a few slices replaced by noise, or cut short."""
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.15:
            return text[: rng.randint(0, len(text))]
        i = rng.randint(0, len(text))
        j = min(len(text), i + rng.randint(0, 20))
        text = text[:i] + noise(rng, rng.randint(1, 6)) + text[j:]
    return text


def site(tmp: Path) -> Path:
    root = tmp / "site"
    (root / "content" / "studies").mkdir(parents=True)
    (root / "content" / "pages").mkdir()
    (root / "content" / "studies" / "good.md").write_text(GOOD, encoding="utf-8")
    return root


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def front_matter(rng: random.Random, root: Path) -> list[str]:
    write(root / "content" / "studies" / "case.md", mutate(rng, GOOD))
    return ["check"]


def body(rng: random.Random, root: Path) -> list[str]:
    write(root / "content" / "studies" / "case.md", GOOD + noise(rng, rng.randint(1, 200)))
    return [rng.choice(["check", "build"])]


def site_yml(rng: random.Random, root: Path) -> list[str]:
    base = "title: T\nreadability: {limit: 9, glossary: [g.yml]}\noutput_dir: out\n"
    write(root / "site.yml", mutate(rng, base))
    return ["check"]


def glossary(rng: random.Random, root: Path) -> list[str]:
    write(root / "site.yml", "readability: {glossary: [g.yml]}\n")
    base = "- term: knee pain\n  kind: explain\n  definition: pain in the knee\n"
    write(root / "g.yml", mutate(rng, base))
    return ["check"]


def registry(rng: random.Random, root: Path) -> list[str]:
    records = sorted(DATA.glob("NCT*.json"))
    text = rng.choice(records).read_text(encoding="utf-8")
    if rng.random() < 0.5:
        text = mutate(rng, text)
    else:  # valid JSON with one value replaced
        data = json.loads(text)
        node = data
        while isinstance(node, dict) and node and rng.random() < 0.8:
            key = rng.choice(sorted(node))
            if not isinstance(node[key], dict):
                node[key] = rng.choice([noise(rng, 5), 1e308, -1, None, [], {}, True, "x" * 5000])
                break
            node = node[key]
        text = json.dumps(data)
    write(root / "record.json", text)
    return ["import", "ctgov", str(root / "record.json")]


def file_names(rng: random.Random, root: Path) -> list[str]:
    studies = root / "content" / "studies"
    name = rng.choice(
        ["日本語.md", "α.md", "!!!.md", " .md", "-.md", "a b.md", ".md", "x" * 250 + ".md",
         "UPPER.md", "a.md.md", "\u202e.md", "dup.MD", "..md"]
    )  # fmt: skip
    with contextlib.suppress(OSError):
        write(studies / name, GOOD.replace("knee pain", rng.choice(ATOMS)))
    kind = rng.randrange(6)
    with contextlib.suppress(OSError):
        if kind == 0:
            (studies / "folder.md").mkdir()
        elif kind == 1:
            os.mkfifo(studies / "fifo.md")
        elif kind == 2:
            (studies / "dangling.md").symlink_to(root / "nowhere.md")
        elif kind == 3:
            (studies / "loop.md").symlink_to(studies / "loop.md")
        elif kind == 4:
            (root / "output").symlink_to(root / "missing-output")
        else:
            (root / "templates").mkdir()
            write(root / "templates" / "base.html", noise(rng, 30))
    return [rng.choice(["check", "build"])]


MUTATORS: list[Callable[[random.Random, Path], list[str]]] = [
    front_matter,
    body,
    site_yml,
    glossary,
    registry,
    file_names,
]


def test_no_input_gives_a_traceback(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    started = time.monotonic()
    rounds = 0
    while time.monotonic() - started < BUDGET:
        mutator = MUTATORS[rounds % len(MUTATORS)]
        root = site(tmp_path / f"r{rounds}")
        args = mutator(rng, root)
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main([*args, "--root", str(root)])
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code
        except BaseException:
            inputs = {
                p.relative_to(root).as_posix(): p.read_bytes()[:300]
                for p in sorted(root.rglob("*"))
                if p.is_file() and not p.is_symlink() and "cache" not in p.as_posix()
            }
            raise AssertionError(
                f"round {rounds} ({mutator.__name__}, {args[0]}): traceback\n"
                f"{traceback.format_exc()}\ninputs: {inputs!r}"
            ) from None
        assert code in (0, 1, 2), (rounds, args, code)
        assert "Traceback" not in err.getvalue()
        rounds += 1
    assert rounds >= len(MUTATORS), f"only {rounds} rounds in {BUDGET} s"
