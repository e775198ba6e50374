"""Contacts: each site with its own contact, grouped by country, page language first; e-mail
addresses are plain (no query, no headers) in content and in the importer; phones are tel:
links."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from markupsafe import escape
from patient_support import REPO, built_study_page, example_site
from small_site import PATIENT_SECTIONS

from sitegen.content.frontmatter import parse as parse_front_matter
from sitegen.content.model import parse_meta
from sitegen.render.contacts import tel_href


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("+1 555 0142", "tel:+15550142"),
        ("(617) 555-0142", "tel:6175550142"),
        ("+44 161 555 0100 ext. 12", "tel:+441615550100;ext=12"),
        ("+34 91 555 01 00 x 7", "tel:+34915550100;ext=7"),
        ("0800 555 0100", "tel:08005550100"),
        ("call +1 555?body=x", "tel:1555"),  # only digits survive; "+" only at the start
        ("no number", ""),
    ],
)
def test_tel_links_keep_only_digits(phone: str, href: str) -> None:
    assert tel_href(phone) == href


BAD_EMAILS = [
    "x@y.org?bcc=someone@elsewhere",
    "x@y.org&cc=a@b.org",
    "x%0aBcc:a@b.org@y.org",
    "a b@y.org",
    "x@y.org,a@b.org",
    "<x@y.org>",
    "x@y",
    "x@y.org\n",
    "x@y.org#frag",
]


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_content_refuses_an_email_that_is_not_a_plain_address(email: str) -> None:
    text = (
        '---\ntitle: "T"\nsummary: "S"\nstatus: recruiting\nconditions: ["A"]\n'
        f"contacts:\n  - name: N\n    email: {json.dumps(email)}\n---\nBody.\n"
    )
    fm, diags = parse_front_matter(text, "content/studies/s.md")
    assert fm is not None, diags
    meta, diags = parse_meta(fm, "content/studies/s.md")
    assert meta is None
    assert [(d.code, d.line) for d in diags] == [("FM016", 8)]
    assert "contacts.0.email" in diags[0].message and "plain e-mail address" in diags[0].message


def test_content_accepts_plain_addresses() -> None:
    for email in ("asthma-study@example.org", "o'brien+study@mail.example.co.uk"):
        text = (
            '---\ntitle: "T"\nsummary: "S"\nstatus: recruiting\nconditions: ["A"]\n'
            f"contacts:\n  - email: {json.dumps(email)}\n---\nBody.\n"
        )
        fm, _ = parse_front_matter(text, "s.md")
        assert fm is not None
        meta, diags = parse_meta(fm, "s.md")
        assert meta is not None and meta.contacts[0].email == email, diags


@pytest.mark.parametrize("email", BAD_EMAILS[:3])
def test_the_importer_leaves_out_an_email_with_a_query(email: str) -> None:
    from sitegen.importers.ctgov import parse_record

    raw = json.loads(sorted((REPO / "tests" / "data" / "ctgov").glob("*.json"))[0].read_text())
    mod = raw["protocolSection"].setdefault("contactsLocationsModule", {})
    mod["centralContacts"] = [{"name": "N", "role": "CONTACT", "email": email}]
    study, diags = parse_record(raw, "r.json")
    assert study is not None
    assert "email" not in study.front_matter["contacts"][0]
    assert [d.code for d in diags] == ["IMP007"]
    assert "centralContacts[0].email" in diags[0].message


# ---- the built pages --------------------------------------------------------------------------


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def _sites_block(page: str) -> str:
    m = re.search(r'<div class="sites" id="sites">(.*?)\n</div>', page, re.S)
    assert m, "no list of sites"
    return m.group(1)


def test_every_site_contact_is_on_its_page_under_its_country(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    out, _ = example_site(tmp_path_factory.mktemp("contacts"))
    checked = 0
    for src in sorted((REPO / "content" / "studies").glob("*.md")):
        front = _front(src)
        if front.get("draft") or not front.get("sites"):
            continue
        lang = front.get("lang") or "en"
        page = (
            (out / ("es/" if lang == "es" else "") / "studies" / (front.get("slug") or src.stem))
            .joinpath("index.html")
            .read_text(encoding="utf-8")
        )
        block = _sites_block(page)
        groups = re.split(r'<h3 class="sites-country">', block)[1:]
        by_country = {html.unescape(g.split("</h3>", 1)[0]): g for g in groups}
        assert len(by_country) == len({s.get("country") for s in front["sites"]})
        for site in front["sites"]:
            group = by_country[site["country"]]
            item = next(
                li for li in group.split('<li class="site">')[1:] if str(escape(site["name"])) in li
            )
            contact = site.get("contact") or {}
            if contact.get("name"):
                assert str(escape(contact["name"])) in item
            if contact.get("email"):
                assert f'<a href="mailto:{contact["email"]}">' in item
            if contact.get("phone"):
                assert f'<a href="{tel_href(contact["phone"])}">{contact["phone"]}</a>' in item
            checked += 1
        # countries where a contact speaks the page's language come first
        speaks = [
            any(
                (s.get("contact") or {}).get("lang") == lang
                for s in front["sites"]
                if s.get("country") == c
            )
            for c in by_country
        ]
        assert speaks == sorted(speaks, reverse=True), (src.name, list(by_country))
    assert checked >= 15


def test_the_spanish_page_lists_the_spanish_speaking_site_first(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    out, _ = example_site(tmp_path_factory.mktemp("contacts-es"))
    es = (out / "es" / "studies" / "asma-inhalador" / "index.html").read_text(encoding="utf-8")
    en = (out / "studies" / "asthma-inhaler" / "index.html").read_text(encoding="utf-8")
    first = re.compile(r'<h3 class="sites-country">([^<]+)</h3>')
    assert first.findall(_sites_block(es))[0] == "España"
    assert first.findall(_sites_block(en)) == ["Canada", "Spain", "United Kingdom", "United States"]


SITE_STUDY = (
    """\
---
title: "A walking plan for knee pain"
summary: "We want to find out if a daily walk can help people with sore knees."
status: recruiting
conditions: ["Knee pain"]
sites:
  - name: "Clinic <b>One</b>"
    city: "Leeds & York"
    country: "United <i>Kingdom</i>"
    status: recruiting
    contact:
      name: "Ann <script>x</script>"
      role: "Nurse \\"lead\\""
      phone: "+44 113 555 0100 ext. 5"
      email: "ann@example.org"
contacts:
  - name: "Central"
    role: principal_investigator
    phone: "+1 555 0100"
---

## What is this study about?

Many people have sore knees. A short walk each day may help. We want to find out if it does.
"""
    + PATIENT_SECTIONS
)


def test_site_contacts_are_escaped_and_roles_shown(tmp_path: Path) -> None:
    page = built_study_page(tmp_path, SITE_STUDY)
    block = _sites_block(page)
    assert '<h3 class="sites-country">United &lt;i&gt;Kingdom&lt;/i&gt;</h3>' in block
    assert '<p class="site-name">Clinic &lt;b&gt;One&lt;/b&gt;</p>' in block
    assert "Leeds &amp; York" in block
    assert (
        '<p class="contact-name">Ann &lt;script&gt;x&lt;/script&gt;, '
        '<span class="contact-role">Nurse &#34;lead&#34;</span></p>' in block
    )
    assert '<a href="tel:+441135550100;ext=5">+44 113 555 0100 ext. 5</a>' in block
    assert "<script>x" not in page
    # a registry role code is shown as its label
    assert '<span class="contact-role">Lead researcher</span>' in page
