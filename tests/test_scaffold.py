"""``new study|page``: the template lists every content-model field, validates as written,
and never overwrites a file."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from small_site import run, write_site

from sitegen.commands.scaffold import field_lines, page_text, scaffold, study_text
from sitegen.content import frontmatter
from sitegen.content.config import load_config
from sitegen.content.draft_texts import SECTIONS
from sitegen.content.model import PageMeta, StudyMeta, fields_of, spec, yaml_name


def _front(text: str) -> str:
    return text.split("\n---\n", 1)[0]


@pytest.mark.parametrize(("cls", "make"), [(StudyMeta, study_text), (PageMeta, page_text)])
def test_every_field_is_listed_with_a_hint(cls: type, make: object) -> None:
    text = make("A title", "en")  # type: ignore[operator]
    front = _front(text)
    for f in fields_of(cls):
        name = yaml_name(f)
        line = re.search(rf"^(?:# )?{name}:.*$", front, re.M)
        assert line, f"{name} is missing from the template"
        assert " # " in line.group(0), f"{name} has no hint"


def test_a_new_model_field_shows_up_by_itself() -> None:
    @dataclasses.dataclass(frozen=True)
    class Extended(StudyMeta):
        recruitment_video: str | None = spec(max_len=200, help="a link to a short video")

    lines = field_lines(Extended, {})
    assert any(
        line.startswith("# recruitment_video:") and "a link to a short video" in line
        for line in lines
    )


def test_required_fields_are_set_and_optional_ones_commented() -> None:
    front = _front(study_text("A walking plan", "en"))
    assert re.search(r'^title: "A walking plan" +# required', front, re.M)
    assert re.search(r"^status: not_yet_recruiting +# required", front, re.M)
    assert re.search(r"^draft: true +#", front, re.M)
    assert re.search(r"^conditions: +# required", front, re.M)
    assert re.search(r"^# nct_id: ", front, re.M)
    assert re.search(r"^#   - name: .*# required", front, re.M)  # interventions item


@pytest.mark.parametrize("lang", ["en", "es"])
def test_study_has_the_patient_sections_with_hints(lang: str) -> None:
    body = study_text("Un título", lang).split("\n---\n", 1)[1]
    for heading, hint in SECTIONS[lang]:
        assert f"## {heading}\n\n<!-- {hint} -->\n" in body


@pytest.mark.parametrize(
    ("kind", "title", "lang"),
    [
        ("study", "Testing a walking plan for knee pain", "en"),
        ("study", 'A "quoted" title: with a colon # and a hash', "en"),
        ("study", "Un plan de caminatas para el dolor de rodilla", "es"),
        ("page", "Parking at the hospital", "en"),
        ("page", "Cómo llegar al hospital", "es"),
    ],
)
def test_generated_file_validates(tmp_path: Path, kind: str, title: str, lang: str) -> None:
    from sitegen.build.pipeline import load_pages

    root = write_site(tmp_path)
    config, _ = load_config(root)
    assert config is not None
    new = scaffold(kind, title, lang)
    (root / new.path).write_text(new.text, encoding="utf-8")
    pages, diags = load_pages(root, config, only=[new.path])
    assert [d.format() for d in diags] == []
    assert len(pages) == 1
    page = pages[0]
    assert page.meta.title == title
    assert page.draft
    assert page.lang == lang
    fm, _ = frontmatter.parse(new.text, new.path)
    assert fm is not None and fm.data["draft"] is True


def test_new_draft_check_lists_what_to_fill_in_and_is_not_published(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    r = run("new", "study", "Testing a walking plan for knee pain", cwd=root)
    assert r.returncode == 0, r.stderr
    path = root / "content/studies/testing-a-walking-plan-for-knee-pain.md"
    assert path.is_file()
    assert "content/studies/testing-a-walking-plan-for-knee-pain.md" in r.stdout
    # the template's placeholders are what is left to do: check names each of them (as
    # warnings while the page is a draft; errors once draft: true is deleted)
    check = run("check", str(path), cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("[PH004]") == len(SECTIONS["en"])
    assert "[PH001]" in check.stdout and "[PH005]" in check.stdout
    build = run("build", cwd=root)
    assert build.returncode == 0, build.stderr
    assert not (root / "output/studies/testing-a-walking-plan-for-knee-pain").exists()


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    first = run("new", "page", "Parking at the hospital", cwd=root)
    assert first.returncode == 0, first.stderr
    path = root / "content/pages/parking-at-the-hospital.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMy own words.\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    again = run("new", "page", "Parking at the hospital", cwd=root)
    assert again.returncode == 1
    assert "content/pages/parking-at-the-hospital.md already exists" in again.stderr
    assert "Traceback" not in again.stderr
    assert path.read_text(encoding="utf-8") == before


def test_lang_defaults_to_the_site_language(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"site.yml": "title: Estudios\nlanguage: es\n"})
    r = run("new", "study", "Un estudio del sueño", cwd=root)
    assert r.returncode == 0, r.stderr
    text = (root / "content/studies/un-estudio-del-sueno.md").read_text(encoding="utf-8")
    assert re.search(r"^lang: es ", text, re.M)
    assert "## ¿Quién puede participar?" in text
