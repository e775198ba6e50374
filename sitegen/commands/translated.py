"""``translated``: record in a translation the version of the original it now matches.

Writes ``translated_from: <version>`` (``translations.source_version`` of the original) into
the translation's front matter, so that later changes of the original are noticed (TR002).
"""

from __future__ import annotations

from pathlib import Path

from sitegen.build.pipeline import load_pages
from sitegen.commands.approve import replace_top_level_key
from sitegen.commands.fixes import read_source, write_source
from sitegen.content import frontmatter
from sitegen.content.config import SiteConfig
from sitegen.content.translations import FIELD, source_version
from sitegen.core.diagnostics import Diagnostic, error


def _parts(root: Path, rel: str) -> tuple[str, int, str, int] | Diagnostic:
    text = read_source(root / rel).lstrip("\ufeff").replace("\r\n", "\n")
    return frontmatter.split(text, rel)


def _not_a_translation(rel: str, message: str, hint: str) -> list[Diagnostic]:
    return [error(rel, 0, 0, "TR004", f"not a translation: {message}", hint)]


def mark_translated(
    root: Path, config: SiteConfig, rel: str
) -> tuple[str | None, list[Diagnostic]]:
    """Record in translation ``rel`` the current version of its original; returns a message,
    or ``None`` and the problems that stopped it."""
    pages, diags = load_pages(root, config)
    page = next((p for p in pages if p.path == rel), None)
    if page is None:
        errors = [d for d in diags if d.is_error and d.path == rel]
        return None, errors or [error(rel, 0, 0, "APP001", "not a content page of this site")]
    if page.lang == config.language:
        return None, _not_a_translation(
            rel,
            f"this page is in the site's language ({config.language}), so it is the original",
            "run this on the translated page",
        )
    key = page.meta.translation_key
    original = next(
        (p for p in pages if key and p.kind == page.kind and p.meta.translation_key == key
         and p.lang == config.language),
        None,
    )  # fmt: skip
    if original is None:
        return None, _not_a_translation(
            rel,
            f"no page in {config.language} (the site's language) has "
            f'translation_key "{key or ""}"',
            "give the translation and its original the same translation_key",
        )
    src, parts = _parts(root, original.path), _parts(root, rel)
    if isinstance(src, Diagnostic) or isinstance(parts, Diagnostic):
        return None, [d for d in (src, parts) if isinstance(d, Diagnostic)]
    version = source_version(src[0], src[2])
    yaml_text, _, body, _ = parts
    new_yaml = replace_top_level_key(yaml_text, FIELD, f"{FIELD}: {version}\n")
    new_text = f"---\n{new_yaml}\n---\n{body}"
    fm, more = frontmatter.parse(new_text, rel)
    if fm is None:
        return None, more
    write_source(root / rel, new_text)
    return f"Recorded {rel} as a translation of {original.path} as it is now ({version}).", []
