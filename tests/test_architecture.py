"""The package's shape, enforced: one-way imports, no cycles, no hidden imports, short functions.

The layers, lowest first. A module may import from its own layer and the layers below it, never
from a layer above. ``docs/architecture.md`` explains each layer; this tuple is the one place
the order is declared.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

LAYERS: tuple[str, ...] = (
    "core",  # diagnostics, URL scheme, cache files, atomic writes: imports nothing of sitegen
    "readability",  # the checker: text in, findings and a verdict out
    "content",  # front matter, the content model, site.yml, reading content files
    "i18n",  # interface strings per language
    "markup",  # Markdown to safe HTML
    "render",  # checked pages to files: one function per page type, template views
    "publish",  # the atomic site writer, the search index
    "build",  # the pipeline: read, check, render, publish; process pool; reuse; manifest
    "report",  # reviewer reports from a build's results
    "importers",  # registry records to draft content files
    "commands",  # serve, preview, scaffold, init, approve, translated, check --fix
    "cli",  # argument parsing and printing
)

# Imports inside functions are allowed only for a measured start-up reason, said in a comment on
# the import's line or the line above that contains this marker.
LAZY_MARKER = "start-up:"
# A function over MAX_LINES lines needs a comment saying why, on the line above its ``def`` (or
# above its decorators), that contains this marker.
LONG_MARKER = "long:"
MAX_LINES = 80

# Known violations being removed; this list only shrinks (a test fails when an entry is stale).
KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()
KNOWN_LAZY: set[tuple[str, str]] = set()
KNOWN_LONG: set[str] = set()


@dataclass(frozen=True)
class Edge:
    """One import of a sitegen module by another."""

    source: str
    target: str
    line: int
    in_function: bool
    commented: bool


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in MODULES]
    base = module if is_package else module.rpartition(".")[0]
    if node.level:
        parts = base.split(".")
        parts = parts[: len(parts) - (node.level - 1)]
        absolute = ".".join(parts) + ("." + node.module if node.module else "")
    else:
        absolute = node.module or ""
    found = []
    for alias in node.names:
        if f"{absolute}.{alias.name}" in MODULES:
            found.append(f"{absolute}.{alias.name}")
        elif absolute in MODULES:
            found.append(absolute)
    return found


def _edges() -> list[Edge]:
    edges = []
    for module, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        in_function: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                in_function.update(id(n) for n in ast.walk(node) if n is not node)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            near = " ".join(lines[max(0, node.lineno - 2) : node.end_lineno])
            for target in _targets(node, module, path.name == "__init__.py"):
                if target != module and target != "sitegen":
                    edges.append(
                        Edge(
                            module,
                            target,
                            node.lineno,
                            id(node) in in_function,
                            LAZY_MARKER in near,
                        )
                    )
    return edges


EDGES = _edges()


def _layer(module: str) -> int:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "cli"
    if name == "__main__":
        name = "cli"
    assert name in LAYERS, f"{module} is in no layer: add its folder to LAYERS"
    return LAYERS.index(name)


def test_every_module_belongs_to_a_layer() -> None:
    for module in MODULES:
        _layer(module)


def test_imports_point_down_the_layers() -> None:
    upward = {(e.source, e.target) for e in EDGES if _layer(e.target) > _layer(e.source)}
    new = sorted(upward - KNOWN_UPWARD)
    assert not new, "imports from a higher layer (see LAYERS):\n" + "\n".join(
        f"  {a} -> {b}" for a, b in new
    )
    assert not KNOWN_UPWARD - upward, f"fixed, remove from KNOWN_UPWARD: {KNOWN_UPWARD - upward}"


def _cycle_edges(pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Every edge that lies on a cycle of the graph (Tarjan's strongly connected components:
    an edge inside one component lies on a cycle)."""
    graph: dict[str, set[str]] = {}
    for a, b in pairs:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    component: dict[str, int] = {}
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component[w] = index[v]
                if w == v:
                    break

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return {(a, b) for a in graph for b in graph[a] if component[a] == component[b]}


def test_no_import_cycles() -> None:
    cycles = _cycle_edges([(e.source, e.target) for e in EDGES])
    new = sorted(cycles - KNOWN_CYCLE_EDGES)
    assert not new, "imports on a cycle:\n" + "\n".join(f"  {a} -> {b}" for a, b in new)
    assert not KNOWN_CYCLE_EDGES - cycles, (
        f"fixed, remove from KNOWN_CYCLE_EDGES: {KNOWN_CYCLE_EDGES - cycles}"
    )


def test_imports_inside_functions_say_why() -> None:
    lazy = {(e.source, e.target) for e in EDGES if e.in_function and not e.commented}
    new = sorted(lazy - KNOWN_LAZY)
    assert not new, (
        f"imports inside a function without a '# {LAZY_MARKER} <measured reason>' comment:\n"
        + "\n".join(f"  {a} -> {b}" for a, b in new)
    )
    assert not KNOWN_LAZY - lazy, f"fixed, remove from KNOWN_LAZY: {KNOWN_LAZY - lazy}"


def _long_functions() -> set[str]:
    found = set()
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            assert node.end_lineno is not None
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            if node.end_lineno - node.lineno + 1 <= MAX_LINES:
                continue
            above = lines[first - 2] if first >= 2 else ""
            if not (above.strip().startswith("#") and LONG_MARKER in above):
                found.add(f"{module}.{node.name}")
    return found


def test_long_functions_say_why() -> None:
    long = _long_functions()
    new = sorted(long - KNOWN_LONG)
    assert not new, (
        f"functions over {MAX_LINES} lines without a '# {LONG_MARKER} <reason>' comment above:\n"
        + "\n".join(f"  {name}" for name in new)
    )
    assert not KNOWN_LONG - long, f"fixed, remove from KNOWN_LONG: {KNOWN_LONG - long}"


@pytest.mark.parametrize("low", ["core", "readability", "content", "render"])
def test_a_low_layer_importing_the_cli_is_upward(low: str) -> None:
    assert _layer("sitegen.cli") > _layer(f"sitegen.{low}.x")


def test_the_cycle_finder_finds_cycles_and_only_them() -> None:
    pairs = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")]
    assert _cycle_edges(pairs) == {("a", "b"), ("b", "c"), ("c", "a")}
    assert _cycle_edges([("a", "b"), ("b", "c")]) == set()


def test_the_edge_reader_sees_imports_in_functions_and_under_type_checking() -> None:
    """The real graph has the kinds of import the rules are about."""
    assert any(e.in_function for e in EDGES)
    assert any(e.source == "sitegen.cli" for e in EDGES)


def _print_known() -> None:
    """Print the violations as they are now, in the KNOWN_* format (after fixing some, paste)."""
    pairs = [(e.source, e.target) for e in EDGES]
    sets = {
        "KNOWN_UPWARD": {(a, b) for a, b in pairs if _layer(b) > _layer(a)},
        "KNOWN_CYCLE_EDGES": _cycle_edges(pairs),
        "KNOWN_LAZY": {(e.source, e.target) for e in EDGES if e.in_function and not e.commented},
        "KNOWN_LONG": _long_functions(),
    }
    for name, items in sets.items():
        print(f"{name} = {{")
        for item in sorted(items):
            print(f"    {item!r},".replace("'", '"'))
        print("}")


if __name__ == "__main__":
    _print_known()
