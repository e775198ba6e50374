"""Every page type of the built example site, in both languages: one h1 and no skipped heading
level, a meta description, the other language's studies listed on each home page, bounded
finder inputs, and the W3C Nu HTML checker (vnu) reporting 0 errors on every page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import nu_errors
from patient_support import REPO, example_site, html_pages


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.description: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        a = dict(attrs)
        if tag == "meta" and a.get("name") == "description":
            self.description = a.get("content") or ""


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, _ = example_site(tmp_path_factory.mktemp("page-types"))
    return out


def _kind(rel: str) -> str:
    rel = rel.removeprefix("es/")
    return rel.split("/", 1)[0] if "/" in rel else rel


def test_every_page_has_one_h1_no_skipped_level_and_a_description(output: Path) -> None:
    pages = html_pages(output)
    kinds: set[tuple[str, str]] = set()
    for path in pages:
        rel = path.relative_to(output).as_posix()
        outline = _Outline()
        outline.feed(path.read_text(encoding="utf-8"))
        assert outline.levels.count(1) == 1, (rel, outline.levels)
        assert outline.levels[0] == 1, (rel, outline.levels)
        for before, after in zip(outline.levels, outline.levels[1:], strict=False):
            assert after <= before + 1, f"{rel}: h{before} is followed by h{after}"
        assert outline.description and len(outline.description) >= 20, rel
        kinds.add(("es" if rel.startswith("es/") else "en", _kind(rel)))
    for lang in ("en", "es"):
        for kind in ("index.html", "404.html", "studies", "conditions", "glossary", "search"):
            assert (lang, kind) in kinds, (lang, kind)


def test_each_home_page_lists_the_studies_only_in_another_language(output: Path) -> None:
    import yaml

    by_lang: dict[str, dict[str, str]] = {"en": {}, "es": {}}
    for src in sorted((REPO / "content" / "studies").glob("*.md")):
        front = yaml.safe_load(src.read_text(encoding="utf-8").split("---\n", 2)[1])
        if front.get("draft"):
            continue
        key = front.get("translation_key") or src.stem
        by_lang[front.get("lang") or "en"][key] = front.get("slug") or src.stem
    for lang, other in (("en", "es"), ("es", "en")):
        home = (output / ("es/" if lang == "es" else "") / "index.html").read_text()
        only = sorted(set(by_lang[other]) - set(by_lang[lang]))
        section = re.search(r'<section class="other-language".*?</section>', home, re.S)
        if not only:
            assert section is None, lang
            continue
        assert section, f"{lang} home page does not list the {other}-only studies"
        links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+">', section.group(0))
        prefix = "../" if lang == "es" else ""
        other_prefix = "es/" if other == "es" else ""
        want = sorted(f"{prefix}{other_prefix}studies/{by_lang[other][k]}/" for k in only)
        assert sorted(u for u, _ in links) == want
        assert {code for _, code in links} == {other}
        assert len(re.findall(r'class="lang-tag"', section.group(0))) == len(only)
    assert len(set(by_lang["en"]) - set(by_lang["es"])) >= 5  # the example has some


def test_finder_and_prescreen_age_inputs_are_bounded(output: Path) -> None:
    for path in html_pages(output):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r'<input type="number"[^>]*>', text):
            assert 'min="0"' in tag and 'max="120"' in tag, (path.name, tag)


def nu_checker_errors(pages: list[str]) -> list[str]:
    """The W3C Nu HTML checker's errors on ``pages`` (files), as ``page:line: message``."""
    return [
        f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in nu_errors(pages)
    ]


def test_the_nu_html_checker_finds_no_error_on_any_page(output: Path) -> None:
    pages = [str(p) for p in html_pages(output)]
    assert len(pages) >= 40
    assert nu_checker_errors(pages) == []
