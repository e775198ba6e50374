"""``sitemap.xml`` (every public page, with its last update where a page gives a day) and
``robots.txt``."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape as xml_escape


def sitemap_xml(base_url: str, entries: Iterable[tuple[str, str | None]]) -> bytes:
    """The sitemap of ``(url, updated)`` entries, sorted, each once."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, updated in sorted(set(entries)):
        lines.append("  <url>")
        lines.append(f"    <loc>{xml_escape(base_url + url)}</loc>")
        if updated and len(updated) == 10:
            lines.append(f"    <lastmod>{updated}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(base_url: str) -> bytes:
    """Everything may be crawled; where the sitemap is."""
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n".encode()


def page_entry(url: str, updated: object) -> tuple[str, str | None]:
    """A content page's sitemap entry: its URL and its ``updated`` date, if any."""
    return url, str(updated) if updated else None
