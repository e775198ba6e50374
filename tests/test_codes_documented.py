"""Every diagnostic code sitegen prints is declared once, in ``sitegen/core/codes.py``, used,
and documented with its fix; the docs agree with that table.

The code tables of ``README.md`` and ``docs/import.md`` are generated from the table: after
changing it run ``PYTHONPATH=. python tests/test_codes_documented.py --write`` and read the
diff. ``sitegen/readability/CODES.md`` and ``docs/results.md`` describe their codes at more
length; their severity and fix cells must say what the table says.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from pathlib import Path

import pytest

from sitegen.build.pipeline import GATE_PREFIXES
from sitegen.core.codes import CODES, READABILITY, Code, lookup
from sitegen.core.diagnostics import error

REPO = Path(__file__).parent.parent
CODE_RE = re.compile(r"[A-Z]{2,5}\d{3}")
ROW_RE = re.compile(r"^\| ([A-Z]{2,5}\d{3}) \|.*\|$", re.M)

#: the generated tables: file -> the codes it lists (in table order)
GENERATED = {
    "README.md": [c for c in CODES if c not in READABILITY and not c.startswith("IMP")],
    "docs/import.md": [c for c in CODES if c.startswith("IMP")],
}
BEGIN = "<!-- codes: generated from sitegen/core/codes.py (tests/test_codes_documented.py) -->"
END = "<!-- end of generated codes -->"
#: hand-written tables whose severity and fix cells must match the table
CHECKED = ["sitegen/readability/CODES.md", "docs/results.md"]


def markdown_table(codes: list[str]) -> str:
    """The generated table of ``codes``: code, severity, meaning, fix."""
    rows = ["| code | severity | meaning | fix |", "|---|---|---|---|"]
    rows += [f"| {c.code} | {c.severity} | {c.meaning} | {c.fix} |" for c in map(lookup, codes)]
    return "\n".join(rows)


def generated_section(text: str) -> str:
    """The text between the markers of a generated table."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n")


@functools.cache
def _code_constants() -> list[tuple[str, ast.Constant, ast.AST | None]]:
    """Every string constant in ``sitegen/`` (outside the table) that is a whole code, with
    its file and the call it is an argument of."""
    found: list[tuple[str, ast.Constant, ast.AST | None]] = []
    for path in sorted((REPO / "sitegen").rglob("*.py")):
        if path.relative_to(REPO).as_posix() == "sitegen/core/codes.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            is_str = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_str and CODE_RE.fullmatch(node.value):
                found.append((path.relative_to(REPO).as_posix(), node, parents.get(node)))
    return found


def test_every_code_used_is_declared_and_every_declared_code_is_used() -> None:
    used = {node.value for _, node, _ in _code_constants()}
    assert len(used) > 100
    undeclared = sorted(
        f"{path}:{node.lineno}: {node.value}"
        for path, node, _ in _code_constants()
        if node.value not in CODES
    )
    assert undeclared == []
    assert sorted(set(CODES) - used) == []


def test_severities_in_the_table_match_the_code() -> None:
    """A code emitted through ``error(...)``/``warning(...)`` (or a finding with a literal
    severity) has that severity in the table."""
    wrong = []
    for path, node, call in _code_constants():
        if not isinstance(call, ast.Call) or node not in call.args:
            continue
        func = call.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        said = {"error": "error", "err": "error", "warning": "warning", "warn": "warning"}
        severities = [said[name]] if name in said else []
        severities += [
            a.value
            for a in call.args
            if isinstance(a, ast.Constant) and a.value in ("error", "warning", "note")
        ]
        for severity in severities:
            if severity not in lookup(node.value).severity:
                wrong.append(f"{path}:{node.lineno}: {node.value} is a {severity}")
    assert wrong == []


def test_an_undeclared_code_fails_loudly() -> None:
    with pytest.raises(KeyError, match="XX999"):
        error("site.yml", 1, 1, "XX999", "no such code")
    assert lookup("FM012").severity == "error"


def test_the_table_is_well_formed() -> None:
    for code in CODES.values():
        assert CODE_RE.fullmatch(code.code), code
        assert re.match(r"(error|warning|note)\b", code.severity), code
        assert code.meaning and code.fix and "|" not in "".join(code), code
    assert list(READABILITY) == [k for k, c in CODES.items() if c.rule]
    # a build tells the gate's findings from the others by their prefixes: exactly the
    # checker's codes have them
    assert {c for c in CODES if c.startswith(GATE_PREFIXES)} == set(READABILITY)


@pytest.mark.parametrize("doc", sorted(GENERATED))
def test_generated_tables_match_the_table(doc: str) -> None:
    text = (REPO / doc).read_text(encoding="utf-8")
    assert generated_section(text) == markdown_table(GENERATED[doc]), (
        f"{doc} is out of date: run PYTHONPATH=. python tests/test_codes_documented.py --write"
    )


def _rows(doc: str) -> list[dict[str, str]]:
    """The code rows of the tables in ``doc``, as {column name: cell}."""
    rows: list[dict[str, str]] = []
    header: list[str] = []
    for line in (REPO / doc).read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("| code |"):
            header = cells
        elif ROW_RE.match(line):
            assert len(cells) == len(header), f"{doc}: {line}"
            rows.append(dict(zip(header, cells, strict=True)))
    return rows


@pytest.mark.parametrize("doc", CHECKED)
def test_hand_written_tables_agree_with_the_table(doc: str) -> None:
    for row in _rows(doc):
        code: Code = lookup(row["code"])
        assert row["severity"] == code.severity, row["code"]
        assert row["fix"] == code.fix, row["code"]


def test_codes_md_lists_the_readability_codes_in_order() -> None:
    assert [r["code"] for r in _rows("sitegen/readability/CODES.md")] == list(READABILITY)


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    docs = ["README.md", *(p.relative_to(REPO).as_posix() for p in (REPO / "docs").glob("*.md"))]
    docs += [p.relative_to(REPO).as_posix() for p in (REPO / "sitegen").rglob("*.md")]
    documented: set[str] = set()
    for doc in docs:
        documented |= set(ROW_RE.findall((REPO / doc).read_text(encoding="utf-8")))
    assert sorted(set(CODES) - documented) == []
    assert sorted(documented - set(CODES)) == []


def write() -> None:
    """Regenerate the generated tables from the table."""
    for doc, codes in GENERATED.items():
        path = REPO / doc
        text = path.read_text(encoding="utf-8")
        old = generated_section(text)
        path.write_text(text.replace(old, markdown_table(codes), 1), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        sys.exit("usage: PYTHONPATH=. python tests/test_codes_documented.py --write")
