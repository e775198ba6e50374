"""The supported languages are declared once (``core/languages.py``) and each has what a
language needs: interface strings, a readability dictionary, and a place in the content model
and ``site.yml``."""

from __future__ import annotations

from importlib import resources

import pytest

from sitegen import i18n
from sitegen.content import frontmatter, model
from sitegen.core.languages import LANGS
from sitegen.readability import load_glossary

PAGE = "---\ntitle: A walking study\nsummary: We want to learn.\nlang: {lang}\n---\nBody\n"


def _lang_errors(lang: str) -> list[str]:
    fm, diags = frontmatter.parse(PAGE.format(lang=lang), "p.md")
    assert fm is not None, diags
    _, diags = model.parse_meta(fm, "p.md", model.PageMeta)
    return [d.format() for d in diags if "lang" in d.format()]


def test_every_language_has_a_catalogue_with_the_english_keys() -> None:
    assert i18n.LANGUAGES == LANGS
    english = i18n.catalogue("en").strings.keys()
    for lang in LANGS:
        assert i18n.catalogue(lang).strings.keys() == english, lang


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_a_dictionary(lang: str) -> None:
    data = resources.files("sitegen.readability") / "data" / f"jargon.{lang}.yml"
    assert data.is_file()
    assert len(load_glossary(lang).entries) >= 800


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_is_accepted_in_front_matter(lang: str) -> None:
    assert _lang_errors(lang) == []


def test_other_languages_are_refused_with_the_list() -> None:
    errors = _lang_errors("fr")
    assert len(errors) == 1, errors
    assert errors[0].startswith("p.md:4:") and ", ".join(LANGS) in errors[0], errors
