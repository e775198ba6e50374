"""Results pages: Annex V sections, the link both ways with the study page, the fixed
sentence, icon arrays, and the checks that refuse a page missing an element or overselling."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from small_site import write_site

from sitegen.build.pipeline import build_site
from sitegen.cli import main
from sitegen.content.config import load_config
from sitegen.content.results import ELEMENTS, heading
from sitegen.readability.numeracy import check_numbers

REPO = Path(__file__).resolve().parent.parent


def results_page(lang: str = "en", *, skip: str = "", extra: str = "", side_table: bool = True,
                 front: str = "") -> str:  # fmt: skip
    """A results page for the walking study with every Annex V section (but ``skip``)."""
    parts = [
        "---",
        'title: "What the walking study found"',
        'summary: "A short report of what we learned about walking and sore knees."',
        "study: ../studies/walking-study.md",
        f"lang: {lang}",
        front,
        "---",
        "",
    ]
    for key, *_ in ELEMENTS:
        if key == skip:
            continue
        parts += [f"## {heading(key, lang)}", "", "We walked every day. It was nice to walk.", ""]
        if key == "side_effects" and side_table:
            parts += ["| Problem | Walking group |", "|---|---|", "| Sore feet | 3 out of 50 |", ""]
    parts.append(extra)
    return "\n".join(p for p in parts if p is not None) + "\n"


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["build", "--root", str(root)])
    return code, capsys.readouterr().err


def test_example_results_pages_link_both_ways(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yml", site / "site.yml")
    cfg, _ = load_config(site)
    assert cfg is not None
    result = build_site(site, cfg, jobs=1)
    assert result.errors == 0, [d.format() for d in result.diagnostics if d.is_error]
    out = site / "output"
    en = (out / "results/childhood-eczema-cream/index.html").read_text()
    es = (out / "es/results/resultados-crema-eczema/index.html").read_text()
    study = (out / "studies/childhood-eczema-cream/index.html").read_text()
    # study -> results (its own language) and results -> study
    assert 'href="../../results/childhood-eczema-cream/"' in study
    assert "This study has finished. Read the results in plain words." in study  # completed
    assert 'href="../../studies/childhood-eczema-cream/"' in en
    assert 'href="../../../studies/childhood-eczema-cream/"' in es
    # the fixed sentence, in each language
    assert "These are the results of one study. They are not medical advice." in en
    assert "Estos son los resultados de un solo estudio. No son un consejo médico." in es
    # the ten sections in Annex V order, headings as the reader sees them
    for html, lang in ((en, "en"), (es, "es")):
        h2 = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2 id=[^>]*>(.*?)</h2>", html)]
        assert h2 == [heading(key, lang) for key, *_ in ELEMENTS]
    # the icon arrays: the numbers of the front matter, drawn and said in words
    figures = re.findall(r'<figure class="icon-figure".*?</figure>', en, re.S)
    assert len(figures) == 2
    first = figures[0]
    assert first.count('class="icon-on"') == 38 and first.count('class="icon-off"') == 62
    cap_id = re.search(r'aria-labelledby="([^"]+)"', first).group(1)
    assert re.search(
        rf'<figcaption id="{cap_id}">38 out of 100 children who used the study cream', first
    )
    assert "<script" not in first
    assert "38 de cada 100 niños" in es


def test_missing_element_is_an_error_and_nothing_is_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, {"content/results/walking.md": results_page(skip="follow_up")})
    code, err = build(root, capsys)
    assert code == 1
    assert re.search(
        r"content/results/walking\.md:\d+:1: error: missing results section \(whether follow-up "
        r'studies are planned, .*\): add "## Are more studies planned\?" \[RES001\]',
        err,
    )
    assert not (root / "output").exists()


def test_spanish_page_names_the_spanish_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, {"content/results/walking.md": results_page("es", skip="sponsor")})
    code, err = build(root, capsys)
    assert code == 1
    assert '"## ¿Quién hizo y pagó el estudio?" [RES001]' in err


def test_complete_page_builds_and_study_links_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, {"content/results/walking.md": results_page()})
    code, err = build(root, capsys)
    assert code == 0, err
    study = (root / "output/studies/walking-study/index.html").read_text()
    assert 'href="../../results/walking/"' in study
    # the walking study is still looking for volunteers: the link does not say it finished
    assert "Read the results of this study in plain words." in study
    assert "has finished" not in study
    page = (root / "output/results/walking/index.html").read_text()
    assert "<table>" in page and "3 out of 50" in page


def test_side_effects_need_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path, {"content/results/walking.md": results_page(side_table=False)})
    code, err = build(root, capsys)
    assert code == 1
    assert "the side-effects section has no table" in err and "[RES003]" in err


def test_unknown_section_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = results_page(extra="## Our thanks\n\nThank you for walking with us.\n")
    root = write_site(tmp_path, {"content/results/walking.md": page})
    code, err = build(root, capsys)
    assert code == 0, err
    assert 'warning: section "Our thanks" is not one of the ten results sections [RES002]' in err


def test_promotional_results_are_blocked_even_when_the_site_allows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = results_page(extra="## Are more studies planned?\n\nWalking is highly effective.\n")
    files = {
        "content/results/walking.md": page,
        "site.yml": "title: T\nreadability: {block_on_promotional: false}\n",
    }
    root = write_site(tmp_path, files)
    code, err = build(root, capsys)
    assert code == 1
    assert 'promotional wording about results "highly effective"' in err


def test_study_link_must_name_a_study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = results_page().replace("../studies/walking-study.md", "../studies/nope.md")
    root = write_site(tmp_path, {"content/results/walking.md": page})
    code, err = build(root, capsys)
    assert code == 1
    assert re.search(
        r'content/results/walking\.md:4:1: error: study: "../studies/nope.md" is not a study '
        r"page of this site \[RES004\]",
        err,
    )


def test_two_results_pages_for_one_study(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {"content/results/a.md": results_page(), "content/results/b.md": results_page()}
    root = write_site(tmp_path, files)
    code, err = build(root, capsys)
    assert code == 1
    assert "content/results/a.md already gives the results of" in err and "[RES005]" in err


def test_relative_risk_without_absolute_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = (
        "## Are more studies planned?\n\n"
        "Walking cut the risk by half. It was twice as likely to help.\n"
    )
    root = write_site(tmp_path, {"content/results/walking.md": results_page(extra=extra)})
    code, err = build(root, capsys)
    assert code == 1
    assert 'relative risk "cut the risk by" without the absolute risk [NUM002]' in err
    assert 'relative risk "twice as likely" without the absolute risk [NUM002]' in err


def test_numeracy_rules() -> None:
    body = "\n".join(
        [
            "About 12% of people had a headache.",  # 1: NUM001
            "12 out of 100 people (12%) had a headache.",  # 2: fine
            "",
            "The risk was 30% lower with the medicine.",  # 4: NUM002 (and NUM001)
            "",
            "The risk was 30% lower: 7 out of 100 people instead of 10 out of 100.",  # 6: fine
            "",
            "| Side effect | Medicine |",
            "|---|---|",
            "| Headache | 8% |",  # 10: NUM001 in the cell
            "| Rash | 3 out of 50 (6%) |",  # 11: fine
            "```",
            "50% in a code block",  # skipped
            "```",
        ]
    )
    got = [(d.code, d.line, d.col) for d in check_numbers("p.md", body, 1, "en")]
    assert sorted(got) == [
        ("NUM001", 1, 7),
        ("NUM001", 4, 14),
        ("NUM001", 10, 14),
        ("NUM002", 4, 14),
    ]
    es = (
        "El 20% tuvo dolor.\n20 de cada 100 personas (20%) tuvieron dolor.\n\n"
        "El riesgo fue el doble de alto."
    )
    got = [(d.code, d.line) for d in check_numbers("p.md", es, 1, "es")]
    assert got == [("NUM001", 1), ("NUM002", 4)]


def test_published_results_of_a_draft_study_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = results_page().replace("../studies/walking-study.md", "../studies/sleep-draft.md")
    root = write_site(tmp_path, {"content/results/sleep.md": page})
    code, err = build(root, capsys)
    assert code == 1
    assert 'study: "../studies/sleep-draft.md" is a draft, so the results would link' in err
    # as a draft itself it is only reported
    draft = page.replace("lang: en", "lang: en\ndraft: true")
    root = write_site(tmp_path / "two", {"content/results/sleep.md": draft})
    code, err = build(root, capsys)
    assert code == 0, err


@pytest.mark.parametrize("lang", ["en", "es"])
def test_new_result_starts_with_the_ten_sections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    root = write_site(tmp_path)
    assert main(["new", "result", "What the walking study found", "--lang", lang,
                 "--root", str(root)]) == 0  # fmt: skip
    page = root / "content/results/what-the-walking-study-found.md"
    text = page.read_text()
    assert re.findall(r"^## (.+)$", text, re.M) == [heading(k, lang) for k, *_ in ELEMENTS]
    assert "draft: true" in text
    capsys.readouterr()
    # a draft: built without error; once study: names the study, no RES finding is left
    code, err = build(root, capsys)
    assert code == 0, err
    page.write_text(text.replace("../studies/the-study.md", "../studies/walking-study.md")
                    .replace("../studies/estudio.md", "../studies/walking-study.md"))  # fmt: skip
    code, err = build(root, capsys)
    assert code == 0, err
    assert "[RES001]" not in err and "[RES004]" not in err
    assert "no table of how many people had each side effect (draft) [RES003]" in err
    assert "has no text (draft) [PH004]" in err  # the placeholder gate applies too
