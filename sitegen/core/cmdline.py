"""How to spell a sitegen command so that it works where the user is.

Messages and help that suggest a command ("check it: sitegen check content/...") use
``command()``: ``sitegen`` when sitegen was started as the installed ``sitegen`` program and
that name finds it, ``python build.py`` when started from a checkout's ``build.py``,
``python -m sitegen`` for the module; with the interpreter or script written as a path when
a bare name would find another one. ``--root`` is added when the site is not the current
folder, so the suggestion can be pasted as it is.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import sys
from pathlib import Path


def _shown(path: str, name: str, cwd: str | None = None) -> str:
    """``name`` if the shell finds ``path`` by that name, else the path (relative when it is
    under the folder ``cwd``, by default the current one)."""
    found = shutil.which(name)
    if found and _same(found, path):
        return name
    rel = _relative(path, cwd)
    return rel if os.sep in rel else f".{os.sep}{rel}"


def _relative(path: str, cwd: str | None) -> str:
    """``path`` relative to ``cwd`` when it is inside it, else absolute."""
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # pragma: no cover - another drive on Windows
        return os.path.abspath(path)
    return os.path.abspath(path) if rel.startswith("..") else rel


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _python(executable: str, cwd: str | None) -> str:
    """``python`` or ``python3`` when that name finds this interpreter, else its path."""
    if not executable:
        return "python"
    for name in ("python", "python3"):
        found = shutil.which(name)
        if found and _same(found, executable):
            return name
    return _shown(executable, "python", cwd)


def program(
    argv0: str | None = None, executable: str | None = None, *, cwd: str | None = None
) -> str:
    """The command that starts sitegen as it was started this time (without a verb), as
    typed in the folder ``cwd`` (default: the current one)."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    name = Path(argv0).name
    if name == "build.py":
        return f"{_python(executable, cwd)} {shlex.quote(_relative(argv0, cwd))}"
    if name == "__main__.py" or not name:
        return f"{_python(executable, cwd)} -m sitegen"
    if not os.path.exists(argv0):
        return "sitegen"
    return _shown(os.path.abspath(argv0), "sitegen", cwd)


@functools.lru_cache(maxsize=16)
def _program_here(argv0: str, executable: str, cwd: str, search_path: str | None) -> str:
    """``program()`` for what it depends on (``search_path``: ``$PATH``, which the shell
    searches), made once: a report spells a command in thousands of hints."""
    return program(argv0, executable, cwd=cwd)


_ROOT_OPTION = re.compile(r" --root (?:'[^']*'|\S+)")


def portable(text: str) -> str:
    """``text`` with each suggested command in the form for files: ``sitegen`` for the
    program as it was started this time (``program()``) and no ``--root`` (its path is
    relative to the folder the command ran in). Reports, JSON and SARIF are read from
    anywhere and must not depend on where a build ran; the terminal keeps the form that can
    be pasted where the user is."""
    if not text:
        return text
    prog = _program_here(sys.argv[0], sys.executable, os.getcwd(), os.environ.get("PATH"))
    if prog != "sitegen":
        text = text.replace(prog + " ", "sitegen ")
    return _ROOT_OPTION.sub("", text)


def command(*args: str, root: Path | None = None) -> str:
    """A full command line: ``program()``, ``--root`` when ``root`` is not the current
    folder, then ``args`` (quoted for a POSIX shell when needed)."""
    parts = [program()]
    if args:
        parts.append(args[0])
    if root is not None and not _same(str(root), os.getcwd()):
        rel = os.path.relpath(root)
        parts += ["--root", shlex.quote(rel if not rel.startswith("../..") else str(root))]
    parts += [shlex.quote(a) for a in args[1:]]
    return " ".join(parts)
