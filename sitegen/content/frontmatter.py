"""Front matter: split the ``---`` YAML block from the body; the only YAML entry point.

The loader is PyYAML's safe loader, narrowed further for content written by people:

* no anchors or aliases (they make "billion laughs" expansions possible and are never
  needed in a study page), refused before anything is constructed;
* no tags that build objects: only the plain YAML scalar, list and mapping types;
* duplicate keys are an error instead of "last one wins";
* only ``true``/``false`` are booleans (``country: NO`` stays the text "NO");
* dates stay text, so that the content model can report an impossible date itself.

Every value keeps the line and column where it starts, under a dotted path such as
``eligibility.include.2``, so that later stages can point at the exact place in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sitegen.core.diagnostics import Diagnostic, error

FENCE = "---"
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


@dataclass(frozen=True)
class Position:
    """Where a value starts in the whole file (1-based), and whether offsets inside it map exactly.

    ``exact`` is True for a plain or quoted scalar written on one line without escapes, so that
    character ``i`` of the value sits at column ``col + i``.
    """

    line: int
    col: int
    exact: bool = False


@dataclass(frozen=True)
class FrontMatter:
    """The parsed front matter of one file."""

    data: dict[str, Any]
    positions: dict[str, Position]
    key_positions: dict[str, Position]
    body: str
    body_line: int
    yaml_text: str = field(repr=False, default="")


def slim(fm: FrontMatter, keep: tuple[str, ...]) -> FrontMatter:
    """``fm`` without its parsed data and with only the positions of ``keep``: what a page
    carries once it has been validated and checked (its source text stays, for reports)."""
    positions = {name: fm.positions[name] for name in keep if name in fm.positions}
    return FrontMatter({}, positions, {}, "", fm.body_line, fm.yaml_text)


def dotted_value(data: Any, name: str) -> Any:
    """The value at a dotted front-matter path (``eligibility.include.2``), or None."""
    for part in name.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
        if data is None:
            return None
    return data


def strip_top_level_keys(yaml_text: str, keys: Iterable[str]) -> str:
    """``yaml_text`` without the top-level ``keys`` and their indented lines, and without
    trailing blank lines."""
    drop = set(keys)
    out: list[str] = []
    skipping = False
    for line in yaml_text.split("\n"):
        top = line[:1] not in (" ", "\t", "#", "") and not line.startswith("-")
        if top:
            skipping = line.split(":", 1)[0].strip() in drop
        if not skipping:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):
    """Safe loader (LibYAML's parser when available) without YAML 1.1 booleans or timestamps.

    Anchors, aliases and tags are refused by ``_refuse_unsafe`` on the composed node tree,
    before any value is constructed.
    """


_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

# Rebuild the implicit resolvers: drop timestamps and YAML 1.1 yes/no/on/off booleans.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL_RE, list("tTfF"))


def _refuse_unsafe(root: Node, text: str) -> None:
    """Raise ``_Refused`` for an alias (a node reached twice) or a tag that builds objects.

    The composed tree shares one node object for an anchor and all its aliases, so an alias
    is a node seen before; nothing has been expanded or constructed yet.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _Refused(
                node.start_mark, "FM006", "YAML aliases (*name) are not allowed in front matter"
            )
        seen.add(id(node))
        mark = node.start_mark
        if _has_anchor(text, mark):
            raise _Refused(mark, "FM006", "YAML anchors (&name) are not allowed in front matter")
        if node.tag not in _ALLOWED_TAGS:
            raise _Refused(
                mark,
                "FM007",
                f'YAML tag "{_short_tag(node.tag)}" is not allowed; write plain values',
            )
        if isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.append(value)
                stack.append(key)
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))


def _has_anchor(text: str, mark: Any) -> bool:
    index = getattr(mark, "index", None)
    return index is not None and index < len(text) and text[index] == "&"


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Refused(Exception):
    def __init__(self, mark: Any, code: str, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.code = code
        self.message = message


def split(text: str, path: str) -> tuple[str, int, str, int] | Diagnostic:
    """Split ``text`` into (yaml_text, yaml_first_line, body, body_line) or return an error.

    The file must start with a ``---`` line and the block must end with a ``---`` (or ``...``)
    line. Line numbers are 1-based in the whole file.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r ") != FENCE:
        return error(
            path,
            1,
            1,
            "FM001",
            "missing front matter: the file must start with a line '---'",
            "add a block with at least title, summary, status and conditions between '---' lines",
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r ") in (FENCE, "..."):
            yaml_text = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            return yaml_text, 2, body, i + 2
    return error(
        path,
        1,
        1,
        "FM002",
        "front matter is not closed: no second '---' line was found",
        "end the metadata block with a line '---' before the text",
    )


def parse(text: str, path: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Parse the front matter of ``text`` (a whole ``.md`` file) into data with positions."""
    parts = split(text, path)
    if isinstance(parts, Diagnostic):
        return None, [parts]
    yaml_text, first_line, body, body_line = parts
    return parse_yaml(yaml_text, path, first_line=first_line, body=body, body_line=body_line)


def dump(data: dict[str, Any]) -> str:
    """``data`` (plain values) as the YAML of a front-matter block, without the ``---`` lines:
    keys in the given order, Unicode as is, lines wrapped at 100 characters."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def parse_yaml(
    yaml_text: str,
    path: str,
    *,
    first_line: int = 1,
    body: str = "",
    body_line: int = 0,
    empty_hint: str = "",
    what: str = "front matter",
) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Parse a YAML mapping (front matter or ``site.yml``) with positions; never raises."""
    empty_hint = empty_hint or _NEEDS_FIELDS
    offset = first_line - 1
    tab = _tab_indent(yaml_text, path, first_line, what)
    if tab is not None:
        return None, [tab]

    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_unsafe(node, yaml_text)
        if node is None:
            return None, [error(path, first_line, 1, "FM004", f"{what} is empty", empty_hint)]
        dup = _find_duplicate_key(node)
        if dup is not None:
            key, mark = dup
            return None, [
                error(
                    path,
                    mark.line + 1 + offset,
                    mark.column + 1,
                    "FM005",
                    f'duplicate key "{key}" in {what}',
                    "each field may appear once; remove or merge the repeated one",
                )
            ]
        data = loader.construct_document(node)
    except _Refused as exc:
        return None, [
            error(path, exc.mark.line + 1 + offset, exc.mark.column + 1, exc.code, exc.message)
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        col = (mark.column + 1) if mark else 1
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        return None, [
            error(
                path,
                line,
                col,
                "FM003",
                f"{what} is not valid YAML: {problem}",
                "check quotes and indentation; text with ': ' in it needs quotes",
            )
        ]
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        return None, [error(path, first_line, 1, "FM003", f"{what} is not valid YAML: {exc}")]
    finally:
        loader.dispose()

    if not isinstance(data, dict):
        return None, [_not_a_mapping(data, path, first_line, what, empty_hint)]
    positions: dict[str, Position] = {}
    key_positions: dict[str, Position] = {}
    _collect_positions(node, "", positions, key_positions, offset, yaml_text.split("\n"))
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        return None, [
            error(path, first_line, 1, "FM004", f"{what} keys must be text, found {bad_keys[0]!r}")
        ]
    return FrontMatter(data, positions, key_positions, body, body_line, yaml_text), []


def _not_a_mapping(data: Any, path: str, first_line: int, what: str, hint: str) -> Diagnostic:
    """FM004 for YAML that is a list, a text or empty instead of 'field: value' lines."""
    kind = type(data).__name__ if data is not None else "empty"
    return error(
        path,
        first_line,
        1,
        "FM004",
        f"{what} must be a mapping of 'field: value' lines, not {_kind(kind)}",
        hint,
    )


def _tab_indent(yaml_text: str, path: str, first_line: int, what: str) -> Diagnostic | None:
    """FM008 for the first line indented with a tab (YAML refuses it with a cryptic error)."""
    for n, text in enumerate(yaml_text.split("\n")):
        stripped = text.lstrip(" ")
        if stripped.startswith("\t"):
            return error(
                path,
                n + first_line,
                len(text) - len(stripped) + 1,
                "FM008",
                f"tab character in the indentation of the {what}",
                "YAML needs spaces for indentation: replace the tab with spaces",
            )
    return None


_NEEDS_FIELDS = "a study needs at least: title, summary, status, conditions"


def _kind(name: str) -> str:
    return {"list": "a list", "str": "a single text", "int": "a number"}.get(name, name)


def _find_duplicate_key(node: Node) -> tuple[str, Any] | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            seen: set[str] = set()
            for key_node, value_node in current.value:
                if isinstance(key_node, ScalarNode):
                    if key_node.value in seen:
                        return key_node.value, key_node.start_mark
                    seen.add(key_node.value)
                stack.append(value_node)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
    return None


def _collect_positions(
    node: Node,
    prefix: str,
    positions: dict[str, Position],
    key_positions: dict[str, Position],
    offset: int,
    lines: list[str],
) -> None:
    mark = node.start_mark
    positions[prefix] = Position(mark.line + 1 + offset, mark.column + 1, _is_exact(node, lines))
    if isinstance(node, ScalarNode) and node.style in ("'", '"'):
        # Point at the first character of the text, after the opening quote.
        positions[prefix] = Position(
            mark.line + 1 + offset, mark.column + 2, _is_exact(node, lines)
        )
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{prefix}.{key}" if prefix else key
            km = key_node.start_mark
            key_positions[path] = Position(km.line + 1 + offset, km.column + 1, True)
            _collect_positions(value_node, path, positions, key_positions, offset, lines)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}.{i}" if prefix else str(i)
            _collect_positions(item, path, positions, key_positions, offset, lines)


def _is_exact(node: Node, lines: list[str]) -> bool:
    """True when the scalar's text appears verbatim on one line of the file."""
    if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line:
        return False
    if node.style not in (None, "'", '"', ""):
        return False
    line = lines[node.start_mark.line] if node.start_mark.line < len(lines) else ""
    start = node.start_mark.column + (1 if node.style in ("'", '"') else 0)
    return line[start : start + len(node.value)] == node.value
