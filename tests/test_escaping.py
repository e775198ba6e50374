"""Every place metadata reaches a page is escaped: HTML text and attributes, JSON-LD, the
search filter values and the pre-screener data; a condition name with markup is refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

from patient_support import built_study_page
from small_site import PATIENT_SECTIONS

from sitegen.content.frontmatter import parse as parse_front_matter
from sitegen.content.model import parse_meta

EVIL = "</script><script>alert(1)</script><img src=x onerror=alert(2)> \"q\" & 'a'"

STUDY = f"""\
---
title: {json.dumps("Walking " + EVIL[:60])}
summary: {json.dumps("Summary " + EVIL)}
status: recruiting
conditions: ["Knee pain & stiffness"]
acronym: "A&B<i>"
sponsor: {json.dumps("Sponsor " + EVIL)}
eligibility:
  age_min: "40 years"
  include: [{json.dumps("You walk " + EVIL)}]
  exclude: [{json.dumps("You run " + EVIL)}]
sites:
  - name: {json.dumps("Clinic " + EVIL)}
    city: "Leeds"
    country: {json.dumps("UK " + EVIL[:50])}
    status: recruiting
---

## What is this study about?

Many people have sore knees. A short walk each day may help. We want to find out if it does.
"""


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)


def test_metadata_is_escaped_in_html_json_ld_filters_and_prescreen_data(tmp_path: Path) -> None:
    html = built_study_page(tmp_path, STUDY + PATIENT_SECTIONS)
    # no markup from metadata survives anywhere in the page
    assert "<img src=x" not in html and "onerror=alert(2)>" not in html.replace("&gt;", "")
    assert "alert(1)</script>" not in html.replace("<\\/script>", "")
    # every script element is ours: an external file, the JSON-LD or the pre-screener data
    scripts = _scripts(html)
    jsonld = next(s for s in scripts if '"@context"' in s)
    data = json.loads(jsonld)
    assert EVIL[:60] in json.dumps(data, ensure_ascii=False)  # the same text, as data
    assert "</" not in jsonld and "<script" not in jsonld.lower()
    block = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert block and "<" not in block.group(1)
    reasons = [q["reason"] for q in json.loads(block.group(1))["questions"]]
    assert any(("You run " + EVIL) in r for r in reasons)
    # search filter values (the search index reads them as text) and site list: escaped text
    filters = re.findall(r'data-search-filter="[^"]*">([^<]*)<', html)
    assert "Knee pain &amp; stiffness" in filters
    assert any(f.startswith("UK &lt;/script&gt;") for f in filters)
    assert "Clinic &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img" in html
    # the home page card and the finder options
    home = (tmp_path / "output" / "index.html").read_text()
    assert "<img src=x" not in home
    assert 'data-conditions="|knee-pain-stiffness|"' in home
    assert ">Knee pain &amp; stiffness</option>" in home


def test_a_condition_name_with_markup_is_refused() -> None:
    text = (
        '---\ntitle: "T"\nsummary: "S"\nstatus: recruiting\n'
        'conditions: ["Asthma", "<img src=x onerror=alert(1)>"]\n---\nBody.\n'
    )
    fm, _ = parse_front_matter(text, "content/studies/s.md")
    assert fm is not None
    meta, diags = parse_meta(fm, "content/studies/s.md")
    assert meta is None
    assert [(d.code, d.line) for d in diags] == [("FM016", 5)]
    assert "conditions.1" in diags[0].message
