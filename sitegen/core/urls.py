"""The site's URL scheme, declared once: where every kind of page lives, and how pages link.

Pages live at pretty folder URLs (``studies/asthma/``); the default language lives at the site
root and every other language under its code (``es/studies/asma/``); a long listing continues
on ``page/2/``, ``page/3/`` ... Links between pages are relative, so the site works under any
path prefix and from a plain file server.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata

#: where the pages sitegen makes itself live, per language (after the language prefix)
CONDITIONS = "conditions/"
GLOSSARY = "glossary/"
SEARCH = "search/"
#: the folder of the search index (``search/`` is the search page)
SEARCH_INDEX = "search-index"
ACCESSIBILITY = "accessibility/"
NOT_FOUND = "404.html"


@functools.lru_cache(maxsize=16384)
def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens (a pure function, remembered for
    the names that recur on every study: conditions, countries, cities)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:80].strip("-")


def lang_prefix(lang: str, default: str) -> str:
    """URL prefix of a language: the default language lives at the root."""
    return "" if lang == default else f"{lang}/"


def page_url(kind: str, slug: str, lang: str, default_lang: str) -> str:
    """The published URL of a content page (``kind``: study, result or page)."""
    prefix = lang_prefix(lang, default_lang)
    if kind == "result":
        return f"{prefix}results/{slug}/"
    return f"{prefix}studies/{slug}/" if kind == "study" else f"{prefix}{slug}/"


def condition_url(name: str, prefix: str) -> str:
    """URL of a condition's page, in the language whose prefix is ``prefix``."""
    return f"{prefix}{CONDITIONS}{slugify(name)}/"


def listing_page_url(base: str, number: int) -> str:
    """URL of page ``number`` of the listing at ``base`` (page 1 is ``base`` itself)."""
    return base if number == 1 else f"{base}page/{number}/"


def site_path(base_url: str) -> str:
    """The path a site is served under, from its ``base_url``:
    ``https://example.org/trials/`` -> ``/trials/``."""
    return "/" + base_url.split("://", 1)[-1].partition("/")[2]


def relative_url(from_url: str, to_url: str) -> str:
    """Relative link from the page at ``from_url`` to ``to_url`` (both site-relative).

    >>> relative_url("studies/asthma/", "about/")
    '../../about/'
    >>> relative_url("", "studies/asthma/")
    'studies/asthma/'
    >>> relative_url("studies/asthma/", "")
    '../../'
    """
    from_dir = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    from_dir = from_dir.strip("/")
    depth = len([p for p in from_dir.split("/") if p]) if from_dir else 0
    prefix = "../" * depth
    result = prefix + to_url
    return result or "./"


def output_file(url: str) -> str:
    """The file a URL is written to: ``studies/a/`` -> ``studies/a/index.html``."""
    if url == "" or url.endswith("/"):
        return url + "index.html"
    return url
