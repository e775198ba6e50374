"""Placeholder and empty text (PH001-PH005): a page that still reads like the template is
refused by build, check and the reports; a filled-in page passes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from small_site import REPO, run, write_site

from sitegen.build.pipeline import build_site, check_page, load_page
from sitegen.commands.scaffold import scaffold
from sitegen.content.config import load_config
from sitegen.content.draft_texts import PLACEHOLDERS, SECTIONS, placeholder_texts
from sitegen.readability import GateSettings, ProseField, check_document

HINTS, EXAMPLES = placeholder_texts()
SETTINGS = GateSettings(placeholders=HINTS, example_values=EXAMPLES)


def _undraft(text: str) -> str:
    out, n = re.subn(r"^draft: true.*\n", "", text, flags=re.M)
    assert n == 1
    return out


def _build(root: Path) -> tuple[object, dict[str, list[str]]]:
    config, _ = load_config(root)
    assert config is not None
    # strict: a blocked page stops the build (by default it would only be withheld)
    result = build_site(root, config, write=True, jobs=1, use_cache=False, strict=True)
    codes: dict[str, list[str]] = {}
    for d in result.diagnostics:
        codes.setdefault(d.path, []).append(d.code)
    return result, codes


# Every scaffold `new` can write, with `draft: true` deleted, is refused; the codes are the
# ones a writer must see for what the template left behind.
SCAFFOLDS = [
    ("study", "en", {"PH001", "PH004", "PH005"}),
    ("study", "es", {"PH001", "PH004", "PH005"}),
    ("page", "en", {"PH004"}),
    ("page", "es", {"PH004"}),
]


@pytest.mark.parametrize(("kind", "lang", "expected"), SCAFFOLDS)
def test_every_undrafted_scaffold_is_refused(
    tmp_path: Path, kind: str, lang: str, expected: set[str]
) -> None:
    root = write_site(tmp_path / "site")
    new = scaffold(kind, "Testing a walking plan for back pain", lang)
    (root / new.path).write_text(_undraft(new.text), encoding="utf-8")
    result, codes = _build(root)
    assert not result.published  # type: ignore[attr-defined]
    assert new.path in result.blocked  # type: ignore[attr-defined]
    assert expected <= set(codes[new.path]), codes[new.path]
    assert "GATE001" in codes["site"]
    assert not (root / "output").exists()
    if kind == "study":
        # one PH004 per empty section: the seven sections of the template
        assert codes[new.path].count("PH004") == len(SECTIONS[lang])
        # the summary and the condition name of the template are named
        messages = [d.message for d in result.diagnostics if d.path == new.path]  # type: ignore[attr-defined]
        assert any(PLACEHOLDERS[lang]["summary"][:30] in m for m in messages)
        assert any(PLACEHOLDERS[lang]["conditions"][0] in m for m in messages)


EXAMPLE_PAGES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*.md"))


@pytest.mark.parametrize("rel", EXAMPLE_PAGES)
def test_a_filled_in_example_page_passes(rel: str) -> None:
    config, _ = load_config(REPO)
    assert config is not None
    kind = "study" if "/studies/" in rel else "page"
    page, diags = load_page(rel, kind, REPO / rel, config)
    assert page is not None and not page.draft, diags
    check = check_page(page, config, REPO)
    assert [f.code for f in check.findings if f.code.startswith("PH")] == []
    assert check.verdict != "block"


def test_the_scaffold_as_written_stays_a_draft_the_build_skips(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    new = scaffold("study", "Testing a walking plan for back pain", "en")
    (root / new.path).write_text(new.text, encoding="utf-8")
    result, codes = _build(root)
    assert result.published  # type: ignore[attr-defined]
    assert "PH004" in codes[new.path]  # shown, as warnings
    assert not (root / "output/studies/testing-a-walking-plan-for-back-pain").exists()


def _check(body: str, fields: list[ProseField] | None = None, lang: str = "en", **kw: object):
    return check_document("p.md", body, 1, fields or [], lang=lang, settings=SETTINGS, **kw)  # type: ignore[arg-type]


def _codes(check: object) -> list[tuple[str, int, str]]:
    return [(f.code, f.line, f.text) for f in check.findings if f.code.startswith("PH")]  # type: ignore[attr-defined]


GOOD = "## What is this study about?\n\nWe want to find out if a short walk helps sore knees.\n"


def test_markers_and_filler_are_found_where_they_are() -> None:
    body = (
        GOOD + "\n## Who can take part?\n\nYou can join if you are TODO years old.\n\n"
        "Visits last [insert number] hours. Lorem ipsum dolor sit amet.\n\nCall XXX.\n"
        "\n[Write to us](mailto:team@example.org) with your questions.\n"
    )
    found = _codes(_check(body))
    assert ("PH003", 7, "TODO") in found
    assert ("PH003", 9, "insert number") in found  # the brackets are markup: not in the text
    assert ("PH002", 9, "Lorem ipsum dolor sit amet") in found
    assert ("PH003", 11, "XXX") in found
    assert len(found) == 4  # link text that starts like a marker is not one
    assert _check(body).verdict == "block"


def test_spanish_todo_is_a_word_unless_it_is_a_marker() -> None:
    word = "## ¿De qué trata este estudio?\n\nTODO lo que necesita saber está aquí.\n"
    assert _codes(_check(word, lang="es")) == []
    marker = "## ¿De qué trata este estudio?\n\nTODO: escribir esto.\n"
    assert [c for c, _, _ in _codes(_check(marker, lang="es"))] == ["PH003"]


def test_hint_sentence_counts_only_as_a_sentence_of_its_own() -> None:
    hint = SECTIONS["en"][0][1]  # "The health problem and what the study wants to find out."
    assert [c for c, _, _ in _codes(_check(GOOD + "\n" + hint + "\n"))] == ["PH001"]
    # a hint inside an HTML comment is never published: only the empty section counts
    body = f"## Who can take part?\n\n<!-- {SECTIONS['en'][1][1]} -->\n\n" + GOOD
    assert _codes(_check(body)) == [("PH004", 1, "Who can take part?")]


def test_empty_sections_and_pages() -> None:
    body = "## What is this study about?\n\n### Details\n\n" + GOOD
    assert [c for c, _, _ in _codes(_check(body))] == ["PH004"]
    # a section with only an HTML table or code still has content
    table = "## Where?\n\n<table><tr><td>Leeds</td></tr></table>\n\n" + GOOD
    assert _codes(_check(table)) == []
    assert [c for c, _, _ in _codes(_check("<!-- Write here -->\n"))] == ["PH004"]
    assert [c for c, _, _ in _codes(_check(""))] == ["PH004"]


def test_front_matter_values_still_the_template_example() -> None:
    values = [
        ProseField("conditions.0", "Name of the health problem", 8, 6),
        ProseField("contacts.0.email", "study@example.org", 20, 12),
        ProseField("contacts.0.name", "TBD", 21, 11),
        ProseField("sites.0.name", "Leeds General Infirmary", 22, 11),
    ]
    found = [(f.code, f.line, f.column, f.field) for f in _check(GOOD, values=values).findings]
    assert ("PH005", 8, 6, "conditions.0") in found
    assert ("PH005", 20, 12, "contacts.0.email") in found
    assert ("PH005", 21, 11, "contacts.0.name") in found
    assert not any(f == "sites.0.name" for *_, f in found)


def test_check_lists_placeholders_in_json_and_the_reports(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    new = scaffold("study", "Testing a walking plan for back pain", "en")
    (root / new.path).write_text(_undraft(new.text), encoding="utf-8")
    r = run("check", "--format", "json", cwd=root)
    assert r.returncode == 1
    pages = {p["source"]: p for p in json.loads(r.stdout)["pages"]}
    codes = {f["code"] for f in pages[new.path]["findings"]}
    assert {"PH001", "PH004", "PH005"} <= codes
    assert pages[new.path]["verdict"] == "block"
    sarif = json.loads((root / "reports/readability.sarif").read_text())
    assert {"PH001", "PH004", "PH005"} <= {res["ruleId"] for res in sarif["runs"][0]["results"]}
