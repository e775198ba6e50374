"""Site URLs: pages live at pretty folder URLs (``studies/asthma/``), links between them are
relative so the site works under any path prefix and from a plain file server.
"""

from __future__ import annotations

import posixpath


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
