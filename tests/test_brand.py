"""Branding from ``site.yml``: colours through CSS custom properties, checked for WCAG 2.2 AA
contrast when the site is built; a logo file; footer text. Measured in Chromium too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from patient_support import serve
from small_site import run, write_site

from sitegen.content.brand import PAIRS, Palette, check_colours, contrast, failures, mix

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 48" width="120" height="48">'
    '<rect width="120" height="48" rx="8" fill="#ffffff"/>'
    '<circle cx="24" cy="24" r="14" fill="#7a1f5c"/></svg>\n'
)
BRAND = """
brand:
  logo: images/logo.svg
  primary: "{primary}"
  accent: "{accent}"
  footer: "Northfield Hospital research team. Registered charity 1234567."
"""


def _branded(root: Path, primary: str = "#7a1f5c", accent: str = "#ffd166") -> Path:
    write_site(root)
    (root / "images").mkdir(exist_ok=True)
    (root / "images" / "logo.svg").write_text(LOGO, encoding="utf-8")
    with open(root / "site.yml", "a", encoding="utf-8") as fh:
        fh.write(BRAND.format(primary=primary, accent=accent))
    return root


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [("#ffffff", "#000000", 21.0), ("#777777", "#ffffff", 4.48), ("#0b5c73", "#0b5c73", 1.0)],
)
def test_contrast_ratio_matches_wcag(a: str, b: str, ratio: float) -> None:
    assert contrast(a, b) == pytest.approx(ratio, abs=0.01)
    assert contrast(b, a) == contrast(a, b)


def test_default_colours_pass_and_every_pair_is_checked() -> None:
    assert check_colours("#0b5c73", "#ffbf47") == []
    # a colour that fails every primary pair is reported once per pair
    yellow = Palette("#f5c518", "#ffbf47")
    assert {p.what for p, _ in failures(yellow, "primary")} >= {
        "white text on the header and buttons",
        "links on the white page",
    }
    assert {p.setting for p in PAIRS} == {"primary", "accent"}


@pytest.mark.parametrize(
    ("primary", "accent"),
    [
        ("#f5c518", "#ffbf47"),
        ("#0b5c73", "#1b3a4b"),
        ("#fff0f5", "#ffffff"),
        ("#2f2f2f", "#3a3a3a"),
    ],
)
def test_taking_every_suggestion_passes(primary: str, accent: str) -> None:
    found = check_colours(primary, accent)
    assert found
    fixed = {"primary": primary, "accent": accent}
    for fail in found:
        assert fail.ratio < fail.pair.minimum
        assert fail.suggestion is not None or fail.fixed_by_primary
        fixed[fail.pair.setting] = fail.suggestion or fixed[fail.pair.setting]
        if fail.also_accent:
            fixed["accent"] = fail.also_accent
    assert check_colours(fixed["primary"], fixed["accent"]) == []


def test_white_on_yellow_header_stops_the_build(tmp_path: Path) -> None:
    site = _branded(tmp_path / "site", primary="#f5c518")
    r = run("build", cwd=site)
    assert r.returncode == 1
    assert not (site / "output").exists()
    lines = r.stderr.splitlines()
    line_no = site.joinpath("site.yml").read_text().splitlines().index('  primary: "#f5c518"') + 1
    first = next(x for x in lines if "[CFG020]" in x and "brand.primary" in x)
    assert first.startswith(f"site.yml:{line_no}:")
    m = re.search(
        r"white text on the header and buttons: (\d+\.\d+) to 1 \(#ffffff on #f5c518\), "
        r"needs 4\.5 to 1",
        first,
    )
    assert m and float(m.group(1)) == pytest.approx(contrast("#ffffff", "#f5c518"), abs=0.01)
    assert "links on the white page" in first
    hint = lines[lines.index(first) + 1]
    suggestion = re.search(r'try "(#[0-9a-f]{6})"', hint)
    assert suggestion, hint
    # the suggested shades, pasted into site.yml, build
    text = site.joinpath("site.yml").read_text().replace("#f5c518", suggestion.group(1))
    accent = re.search(r'with accent "(#[0-9a-f]{6})"', hint)
    if accent:
        text = text.replace("#ffd166", accent.group(1))
    site.joinpath("site.yml").write_text(text)
    r = run("build", cwd=site)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    ("logo", "expect"),
    [
        ("images/missing.svg", 'there is no file "images/missing.svg"'),
        ("../logo.svg", "must be a file inside the site folder"),
        ("images/logo.gif", "must be an SVG or PNG file"),
        ("images/bad.svg", "has a script"),
    ],
)
def test_bad_logo_is_a_config_error(tmp_path: Path, logo: str, expect: str) -> None:
    site = _branded(tmp_path / "site")
    (site / "images" / "logo.gif").write_bytes(b"GIF89a")
    (site / "images" / "bad.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    text = site.joinpath("site.yml").read_text().replace("images/logo.svg", logo)
    site.joinpath("site.yml").write_text(text)
    r = run("build", cwd=site)
    assert r.returncode == 1
    assert re.search(
        rf"^site\.yml:\d+:\d+: error: brand\.logo: .*{re.escape(expect)}", r.stderr, re.M
    )
    assert "[CFG021]" in r.stderr and "Traceback" not in r.stderr


def test_brand_reaches_every_page(tmp_path: Path) -> None:
    site = _branded(tmp_path / "site")
    r = run("build", cwd=site)
    assert r.returncode == 0, r.stderr
    out = site / "output"
    css = (out / "assets" / "brand.css").read_text(encoding="utf-8")
    assert "--brand: #7a1f5c;" in css and "--focus: #ffd166;" in css
    assert f"--brand-dark: {mix('#7a1f5c', '#000000', 0.3)};" in css
    assert (out / "assets" / "logo.svg").read_text(encoding="utf-8") == LOGO
    pages = list(out.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r'href="[./]*assets/brand\.css\?v=[0-9a-f]+"', html), page
        assert 'class="brand-logo"' in html, page
        assert "Registered charity 1234567." in html, page


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_brand_in_chromium(chromium: Any, tmp_path: Path, width: int) -> None:
    from test_patient_browser import shot, to_docs

    site = _branded(tmp_path / "site")
    assert run("build", cwd=site).returncode == 0
    with serve(site / "output") as url:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(url + "about/")
        header_bg = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        assert header_bg == "rgb(122, 31, 92)"
        logo = page.locator(".brand-logo")
        assert logo.is_visible()
        assert page.evaluate("document.querySelector('.brand-logo').naturalWidth") == 120
        box = logo.bounding_box()
        assert box is not None and box["height"] == 48 and box["x"] + box["width"] <= width
        footer = page.locator(".footer-brand")
        assert footer.is_visible() and "Registered charity" in footer.inner_text()
        no_scroll = "document.documentElement.scrollWidth <= innerWidth"
        assert page.evaluate(no_scroll)
        path = shot(page, f"brand-{width}", full_page=False)
        to_docs(path, f"make-it-yours-{'phone' if width == 375 else 'desktop'}.png")
        page.keyboard.press("Tab")  # the skip link shows, drawn in the accent colour
        skip_bg = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
        assert skip_bg == "rgb(255, 209, 102)"
        context.close()
