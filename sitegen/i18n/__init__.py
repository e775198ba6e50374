"""Interface strings: one catalogue per language (``en.yml``, ``es.yml``), no text in templates.

``Catalogue.t("key", n=3)`` formats a string; nested keys use dots (``status_labels.recruiting``).
A missing key is a bug in the theme, so it raises ``KeyError`` naming the key and language;
a test checks that every catalogue has the same keys as English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sitegen.content.frontmatter import parse_yaml
from sitegen.core.languages import LANGS

#: the languages with a catalogue: every language sitegen supports
LANGUAGES = LANGS


@dataclass(frozen=True)
class Catalogue:
    """The strings of one language."""

    lang: str
    strings: dict[str, Any]

    def get(self, key: str) -> Any:
        """The raw value at a dotted key."""
        value: Any = self.strings
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(f"interface string {key!r} is missing for language {self.lang!r}")
            value = value[part]
        return value

    def t(self, key: str, **params: Any) -> str:
        """The string at ``key``, with ``{name}`` placeholders filled from ``params``."""
        value = self.get(key)
        text = str(value)
        return text.format(**params) if params else text


@cache
def catalogue(lang: str) -> Catalogue:
    """Load the packaged catalogue for ``lang`` (cached)."""
    text = resources.files(__package__).joinpath(f"{lang}.yml").read_text(encoding="utf-8")
    fm, diags = parse_yaml(text, f"sitegen/i18n/{lang}.yml", what="catalogue")
    if fm is None:  # pragma: no cover - packaged data is tested
        raise RuntimeError(diags[0].format())
    return Catalogue(lang, fm.data)


def flat_keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    """All dotted keys of a nested mapping."""
    keys: set[str] = set()
    for k, v in data.items():
        dotted = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict):
            keys |= flat_keys(v, dotted)
        else:
            keys.add(dotted)
    return keys
