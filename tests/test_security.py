"""Untrusted HTML never reaches a published page; pages carry a strict CSP; no page asks for
anything outside the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from small_site import PATIENT_SECTIONS

from sitegen.cli import main
from sitegen.markup.sanitize import clean_html

ATTACKS = """
<script>alert("x")</script>
<img src="x.png" onerror="alert(1)" alt="a picture">
<a href="javascript:alert(1)">a link</a>
<a href="JaVaScRiPt:alert(1)">another link</a>
<iframe src="https://evil.example.com/"></iframe>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example.com/"><input name="q"></form>
<style>body { display: none }</style>
<svg onload="alert(1)"><circle r="5"/></svg>
<p style="background:url(javascript:alert(1))" onclick="alert(1)">styled</p>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>
<details open ontoggle="alert(1)"><summary>More</summary>Text.</details>
"""

FORBIDDEN = re.compile(
    r"<script(?![^>]*(?:application/(?:ld\+)?json|src=\"(?:\.\./)*assets/))|<iframe|<object|<embed|<form(?![^>]*"
    r"(?:role=\"search\"|method=\"dialog\"))|<style|\son[a-z]+=|javascript:|data:text/html",
    re.I,
)


@pytest.mark.parametrize("line", [x for x in ATTACKS.strip().splitlines() if x])
def test_sanitizer_removes_each_attack(line: str) -> None:
    assert not FORBIDDEN.search(clean_html(line)), clean_html(line)


def test_raw_html_in_markdown_is_sanitized_in_the_built_site(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    (site / "content" / "studies").mkdir(parents=True)
    (site / "content" / "studies" / "walk.md").write_text(
        "---\ntitle: A walking study\nsummary: We want to learn if walking helps. You can stop"
        " at any time.\nstatus: recruiting\nconditions: [Back pain]\n---\n"
        "## What is this study about?\n\nWe want to learn if a short walk helps.\n"
        + PATIENT_SECTIONS
        + ATTACKS
    )
    assert main(["build", "--root", str(site), "-q"]) == 0, capsys.readouterr().err
    page = (site / "output" / "studies" / "walk" / "index.html").read_text()
    assert "We want to learn if a short walk helps." in page
    assert "a picture" in page and "styled" in page  # the harmless parts stay
    assert not FORBIDDEN.search(page)


def test_every_page_has_a_strict_csp_and_no_outside_references(tmp_path: Path, capsys) -> None:
    """Built example site: a CSP without inline script on every page, nothing loaded from
    another host (links to other sites are fine: they are followed only if clicked)."""
    import shutil

    repo = Path(__file__).parent.parent
    site = tmp_path / "site"
    shutil.copytree(repo / "content", site / "content")
    shutil.copy(repo / "site.yml", site / "site.yml")
    assert main(["build", "--root", str(site), "-q"]) == 0, capsys.readouterr().err
    pages = list((site / "output").rglob("*.html"))
    assert len(pages) > 40
    for p in pages:
        html = p.read_text()
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert csp, p
        policy = csp.group(1).replace("&#39;", "'")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, p
        assert "object-src 'none'" in policy, p
        # no inline script except JSON data blocks
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or "application/ld+json" in tag or "application/json" in tag
        # resources (not links) come from the site itself
        for attr in re.findall(r'<(?:script|link|img|iframe|source)[^>]+(?:src|href)="([^"]+)"',
                               html):  # fmt: skip
            assert not re.match(r"^(?:https?:)?//", attr) or attr.startswith(
                "https://studies.example.org/"
            ), (p, attr)
