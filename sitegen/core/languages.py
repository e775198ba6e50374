"""The languages sitegen supports: the one declaration of the list.

A language here has interface strings (``i18n/<lang>.yml``), a readability model (word
frequencies, a dictionary, a base formula) and is accepted in a page's ``lang:`` and in
``site.yml``. Adding one means adding all three; ``tests/test_languages.py`` checks that each
listed language has them.
"""

from __future__ import annotations

#: language codes, the site's default first when ``site.yml`` does not say otherwise
LANGS: tuple[str, ...] = ("en", "es")
