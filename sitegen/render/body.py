"""A page body as pages show it: its dictionary terms marked up with inline definitions
(``definitions``) that link to the language's Glossary page. Done once per page; the build
caches the result with the page."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sitegen.content.config import SiteConfig
from sitegen.core.urls import GLOSSARY, lang_prefix, relative_url
from sitegen.i18n import catalogue
from sitegen.render.definitions import Annotated, Labels, annotate
from sitegen.render.glossary import Lexicon, site_lexicon


def annotate_body(html: str, url: str, lang: str, config: SiteConfig, root: Path) -> Annotated:
    """Mark up the dictionary terms of a page body."""
    lexicon, labels = lexicon_of(lang, tuple(root / g for g in config.readability.glossary))
    prefix = lang_prefix(lang, config.language)
    return annotate(
        html, lexicon.find, glossary_url=relative_url(url, prefix + GLOSSARY), labels=labels
    )


@cache
def lexicon_of(lang: str, extra: tuple[Path, ...]) -> tuple[Lexicon, Labels]:
    """The dictionary of ``lang`` (with a site's extra glossary files) and the labels of the
    markup, loaded once per process."""
    cat = catalogue(lang)
    labels = Labels(cat.t("terms_title"), cat.t("term_glossary"), cat.t("term_back"))
    return site_lexicon(lang, extra), labels
