"""Reader feedback: the form (off by default, no script, endpoint or mailto), importing
answers (CSV and JSON, refused with file:line), the stored data, the reviewer reports and
candidate glossary entries; and the accessibility statement page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from small_site import write_site

from sitegen.cli import main
from sitegen.content.config import load_config
from sitegen.render.feedback import STORE, load_store, parse_text

ON = "feedback:\n  enabled: true\n  endpoint: https://forms.example.net/answers\n"
SITE_YML = "title: Test Studies\nbase_url: https://studies.example.org/\n"


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["build", "--root", str(root)])
    return code, capsys.readouterr().err


def html_files(root: Path) -> list[Path]:
    return sorted((root / "output").rglob("*.html"))


def test_off_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path)
    assert build(root, capsys)[0] == 0
    for p in html_files(root):
        html = p.read_text()
        assert "feedback" not in html, p
        csp = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
        assert csp.replace("&#39;", "'").endswith("form-action 'self'"), p


def test_form_posts_to_the_endpoint_without_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, {"site.yml": SITE_YML + ON})
    assert build(root, capsys)[0] == 0
    study = (root / "output/studies/walking-study/index.html").read_text()
    form = re.search(r'<form class="feedback-form".*?</form>', study, re.S).group(0)
    assert 'method="post" action="https://forms.example.net/answers"' in form
    assert '<input type="hidden" name="page" value="studies/walking-study/">' in form
    assert 'name="easy" value="yes"' in form and 'name="easy" value="no"' in form
    assert 'name="hard_words"' in form
    assert "<script" not in form
    assert "Was this page easy to understand?" in form
    assert "We only get your answer, the words you write and the address of this page" in study
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', study).group(1)
    assert csp.endswith("form-action &#39;self&#39; https://forms.example.net")
    # on every content and listing page, never on the search page
    for p in html_files(root):
        html = p.read_text()
        has = '<form class="feedback-form"' in html
        assert has == (p.parent.name not in ("search",) and p.name != "404.html"), p


def test_mailto_instead_of_a_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    yml = SITE_YML + "feedback:\n  enabled: true\n  email: answers@example.org\n"
    root = write_site(tmp_path, {"site.yml": yml})
    assert build(root, capsys)[0] == 0
    html = (root / "output/about/index.html").read_text()
    assert '<form class="feedback-form"' not in html
    href = re.search(r'href="(mailto:answers@example.org\?[^"]+)"', html).group(1)
    subject = unquote(href.split("subject=")[1].split("&amp;")[0])
    assert subject == "Feedback: /about/"
    assert "Page: https://studies.example.org/about/" in unquote(href)


@pytest.mark.parametrize(
    ("yml", "expected"),
    [
        ("feedback: {enabled: true}\n", "feedback.enabled: the feedback form needs"),
        ("feedback: {enabled: true, endpoint: 'http://x.org/a'}\n", "[CFG116]"),
        ("feedback: {enabled: true, endpoint: 'javascript:alert(1)'}\n", "[CFG116]"),
    ],
)
def test_bad_feedback_settings(tmp_path: Path, yml: str, expected: str) -> None:
    (tmp_path / "site.yml").write_text(yml)
    cfg, diags = load_config(tmp_path)
    assert cfg is None
    assert any(expected in d.format() for d in diags), [d.format() for d in diags]


CSV = """page,easy,hard_words,date,lang
studies/walking-study/,yes,,2026-03-01,en
studies/walking-study/,no,"knee cartilage, walking",2026-03-02,en
/about/,no,Plica,,
"""


def test_import_csv_stores_data_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path)
    answers = tmp_path / "answers.csv"
    answers.write_text(CSV)
    assert main(["feedback", "import", str(answers), "--root", str(root)]) == 0
    assert "Stored 3 answers in feedback/responses.json." in capsys.readouterr().out
    stored = json.loads((root / STORE).read_text())
    [batch] = stored["imports"]
    assert [r["page"] for r in batch["responses"]] == [
        "studies/walking-study/", "studies/walking-study/", "about/",
    ]  # fmt: skip
    assert batch["responses"][1]["hard_words"] == ["knee cartilage", "walking"]
    before = (root / STORE).read_bytes()
    assert main(["feedback", "import", str(answers), "--root", str(root)]) == 0
    assert "imported before; nothing added [FB005]" in capsys.readouterr().err
    assert (root / STORE).read_bytes() == before


BAD_FILES = [
    ("a.csv", "page,easy\nabout/,yes\nabout/,maybe\n",
     'a.csv:3: error: easy: "maybe" is not yes or no [FB004]'),
    ("a.csv", "page,easy\n../../etc/passwd,yes\n",
     'a.csv:2: error: page: "../../etc/passwd" is not a page address of this site [FB004]'),
    ("a.csv", "page,easy,name\nabout/,yes,Ann\n",
     "a.csv:2: error: name: unknown field; expected page, easy, hard_words, date, lang"),
    ("a.csv", "easy\nyes\n",
     'a.csv:1:1: error: the first line must name the columns; "page" is missing [FB003]'),
    ("a.csv", 'page,easy\n"about/,yes\n',
     "a.csv:2:1: error: not valid CSV: unexpected end of data [FB002]"),
    ("a.json", '[\n  {"page": "about/", "easy": "yes"},\n  {"page": "about/", "easy": 3}\n]\n',
     'a.json:3: error: easy: "3" is not yes or no [FB004]'),
    ("a.json", '[\n  {"page": "about/",\n   "easy": "yes"\n]\n',
     "a.json:4:1: error: not valid JSON"),
    ("a.json", '{"responses": [\n {"easy": "no"}]}', "a.json:2: error: page: missing"),
    ("a.txt", "page\n", "a.txt: error: expected a .csv or .json file of answers [FB001]"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "expected"), BAD_FILES)
def test_bad_files_are_refused_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, expected: str
) -> None:
    root = write_site(tmp_path / "site")
    bad = tmp_path / name
    bad.write_text(text)
    code = main(["feedback", "import", str(bad), "--root", str(root)])
    err = capsys.readouterr().err.replace(str(bad), name)
    assert code == 1
    assert expected in err, err
    assert "No answers stored" in err
    assert not (root / STORE).exists()


def test_json_export_with_lines() -> None:
    text = (
        '[\n  {"page": "about/", "easy": true},\n\n'
        '  {"page": "x/", "easy": "si", "hard_words": ["a", "b"]}\n]'
    )
    answers, diags = parse_text(text, "f.json", "json")
    assert diags == []
    assert [(a.page, a.easy, a.hard_words) for a in answers] == [
        ("about/", True, ()), ("x/", True, ("a", "b")),
    ]  # fmt: skip


def test_a_tampered_store_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "feedback").mkdir()
    bad = {"version": 1, "imports": [{"sha256": "x", "file": "f", "responses": [
        {"page": "../../outside", "easy": True}]}]}  # fmt: skip
    (tmp_path / STORE).write_text(json.dumps(bad))
    store, diags = load_store(tmp_path)
    assert store.responses == []
    assert [d.code for d in diags] == ["FB005"]


def test_reports_show_answers_beside_findings_and_glossary_candidates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glossary = (
        "version: 1\nlang: en\nentries:\n  - term: plica\n    kind: explain\n"
        "    definition: A fold of tissue in the knee.\n    category: body\n"
    )
    yml = SITE_YML + "readability:\n  glossary: [glossary.yml]\n"
    root = write_site(tmp_path / "site", {"site.yml": yml, "glossary.yml": glossary})
    assert build(root, capsys)[0] == 0  # a build before any answer: no feedback report
    assert not (root / "reports/feedback.html").exists()
    answers = tmp_path / "answers.csv"
    answers.write_text(CSV + "studies/walking-study/,no,placebo; zeugopod,,\n")
    assert main(["feedback", "import", str(answers), "--root", str(root)]) == 0
    code, err = build(root, capsys)  # nothing else changed: the answers alone are new
    assert code == 0, err
    page = (root / "reports/pages/walking-study.html").read_text()
    readers = re.search(r'<div class="readers">.*?</div>', page, re.S).group(0)
    text = re.sub(r"<[^>]+>", "", readers)
    assert "1 found it easy to understand, 2 did not." in text
    assert "Words marked hard: knee cartilage, placebo, walking, zeugopod." in text
    report = (root / "reports/feedback.html").read_text()
    candidates = re.search(r'id="fb-cand-h".*?</section>', report, re.S).group(0)
    words = re.findall(r'<th scope="row" lang="en">([^<]+)</th>', candidates)
    # "placebo" is in the dictionary, "plica" in the site glossary: not candidates
    assert words == ["knee cartilage", "walking", "zeugopod"]
    dashboard = (root / "reports/index.html").read_text()
    assert '<a href="feedback.html">What readers said</a>: 4 answers about 2 pages' in dashboard


# ------------------------------------------------------------------ accessibility statement


def test_accessibility_statement_from_site_yml_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yml = SITE_YML + (
        "organisation: {name: Test Office, email: office@example.org}\n"
        "translations: [{lang: es}]\n"
        "accessibility:\n  standard: WCAG 2.2\n  level: AA\n  status: partial\n"
        "  limitations:\n    - en: Search needs JavaScript.\n"
        "      es: La búsqueda necesita JavaScript.\n"
        "  contact: access@example.org\n  reviewed: 2026-02-01\n"
    )
    es_page = "---\ntitle: Sobre nosotros\nlang: es\n---\n\nHacemos estudios de salud.\n"
    root = write_site(tmp_path, {"site.yml": yml, "content/pages/sobre.md": es_page})
    assert build(root, capsys)[0] == 0
    en = (root / "output/accessibility/index.html").read_text()
    es = (root / "output/es/accessibility/index.html").read_text()
    assert (
        "<h1>Accessibility statement</h1>" in en and "<h1>Declaración de accesibilidad</h1>" in es
    )
    assert "Web Content Accessibility Guidelines (WCAG 2.2), level AA" in en
    assert "The site partly meets WCAG 2.2 level AA." in en
    assert "<li>Search needs JavaScript.</li>" in en
    assert "<li>La búsqueda necesita JavaScript.</li>" in es
    assert 'href="mailto:access@example.org"' in en and 'href="mailto:access@example.org"' in es
    assert '<time datetime="2026-02-01">' in en
    for p in html_files(root):
        html = p.read_text()
        lang = re.search(r'<html lang="(\w+)"', html).group(1)
        footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)
        label = "Accesibilidad" if lang == "es" else "Accessibility"
        href = re.search(rf'<a href="([^"]+)">{label}</a>', footer)
        assert href, p
        target = (p.parent / href.group(1)).resolve() if p.name != "404.html" else None
        if target is not None:
            expected = root / "output" / ("es/" if lang == "es" else "") / "accessibility"
            assert target == expected.resolve(), p
