"""A draft page as a file's text, and the check that it builds: the front matter is parsed
and validated the way a build does (``frontmatter.parse``, then ``model.parse_meta``), so an
import never writes a page that breaks every later build."""

from __future__ import annotations

from typing import Any

from sitegen.content.frontmatter import dump, parse
from sitegen.content.model import parse_meta

#: the largest page an import writes (the build's default ``max_file_kb``)
MAX_PAGE_BYTES = 1024 * 1024


def to_markdown(front: dict[str, Any], body: str) -> str:
    """The whole draft page: YAML front matter between ``---`` lines, then the body."""
    return "---\n" + dump(front) + "---\n\n" + body


def page_problem(text: str, shown: str, cls: type) -> str | None:
    """Why the page ``text`` would not build as a ``cls`` page (too large, or its front
    matter invalid; the message names the field), or None."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_PAGE_BYTES:
        return f"{size // 1024} KB, over the {MAX_PAGE_BYTES // 1024} KB a page may have"
    fm, diags = parse(text, shown)
    if fm is not None:
        _, more = parse_meta(fm, shown, cls)
        diags = [*diags, *more]
    errors = [d for d in diags if d.is_error]
    return errors[0].message if errors else None
