"""Translations cannot drift: recorded versions, out-of-date notices, facts compared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from small_site import write_site

from sitegen.cli import main
from sitegen.content.translations import source_version, text_facts

EN = """\
---
title: "A walking plan for knee pain"
summary: "We want to find out if a daily walk can help people with sore knees."
status: recruiting
conditions:
  - "Knee pain"
translation_key: walking
eligibility:
  age_min: "40 years"
  include:
    - "You have sore knees."
    - "You can walk for ten minutes."
contacts:
  - name: "Study team"
    phone: "+1 555 0100"
    email: "walk@example.org"
---

## What is this study about?

Many people have sore knees. A short walk each day may help. The study lasts 12 weeks and
you get 2.5 hours of coaching. Call 555 0199 or write to team@example.org.

## What will happen if I take part?

You walk every day and tell us how your knees feel.

## What are the possible benefits and risks?

Your knees may hurt less. They may be sore at first.
"""

ES = """\
---
title: "Un plan de caminatas para el dolor de rodilla"
summary: "Queremos saber si caminar cada día ayuda a las personas con dolor de rodilla."
status: recruiting
lang: es
conditions:
  - "Dolor de rodilla"
translation_key: walking
eligibility:
  age_min: "40 years"
  include:
    - "Le duelen las rodillas."
    - "Puede caminar diez minutos."
contacts:
  - name: "Equipo del estudio"
    phone: "+1 555 0100"
    email: "walk@example.org"
---

## ¿De qué trata este estudio?

Muchas personas tienen dolor de rodilla. Caminar un poco cada día puede ayudar. El estudio
dura 12 semanas y recibe 2,5 horas de apoyo. Llame al 555 0199 o escriba a team@example.org.

## ¿Qué pasará si participo?

Usted camina todos los días y nos cuenta cómo siente las rodillas.

## ¿Cuáles son los posibles beneficios y riesgos?

Sus rodillas pueden doler menos. Al principio pueden estar doloridas.
"""

EN_PATH = "content/studies/walking-study.md"
ES_PATH = "content/studies/caminar.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path, {EN_PATH: EN, ES_PATH: ES, "content/studies/sleep-draft.md": ""})


def build(root: Path, capsys: pytest.CaptureFixture[str], *verb: str) -> tuple[int, str]:
    code = main([*(verb or ("build",)), "--root", str(root)])
    out = capsys.readouterr()
    return code, out.out + out.err


def notice(root: Path, url: str) -> str | None:
    html = (root / "output" / url / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<p class="notice translation-notice"[^>]*>(.*?)</p>', html, re.S)
    return m.group(1) if m else None


def test_version_ignores_bookkeeping_and_layout_but_not_content() -> None:
    yaml_text, body = 'title: "A"\nsignoff:\n  by: X\n', "Some  text.\n"
    v = source_version(yaml_text, body)
    assert len(v) == 16
    assert source_version('title: "A"\ntranslated_from: 0123456789abcdef\n', "Some text.") == v
    assert source_version('title: "A"\n', "Some text.\n\n") == v
    assert source_version('title: "B"\n', "Some text.") != v
    assert source_version('title: "A"\n', "Some text!") != v


def test_numbers_are_read_in_each_languages_notation() -> None:
    def values(text: str, lang: str) -> set[tuple[str, str]]:
        return {(f.kind, f.value) for f in text_facts(text, lang, 1, 1)}

    en = values("1,000 people; 2.5 mg at 9:00; six visits; call +1 (555) 010-0199, a@b.org", "en")
    es = values("1.000 personas; 2,5 mg a las 9:00; seis visitas; +1 555 010 0199, a@b.org", "es")
    assert en == es == {
        ("number", "1000"), ("number", "2.5"), ("number", "9"), ("number", "6"),
        ("phone", "15550100199"), ("email", "a@b.org"),
    }  # fmt: skip
    assert values("1 000 personas", "es") == {("number", "1000")}
    # clock times in 12 and 24 hours; "twice" is "dos veces"
    assert values("9 am to 5:30 pm, twice a day", "en") == values(
        "de 9:00 a 17:30, dos veces al día", "es"
    ) == {("number", "9"), ("number", "5:30"), ("number", "2")}  # fmt: skip
    # months and weekdays by name; "may" is a month only as a name next to a number
    en = values("Call Monday to Friday. Starts in March 2026. You may join from May 4.", "en")
    es = values("Llame de lunes a viernes. Empieza en marzo de 2026. Desde el 4 de mayo.", "es")
    assert en == es == {
        ("day", "Monday"), ("day", "Friday"), ("month", "March"), ("month", "May"),
        ("number", "2026"), ("number", "4"),
    }  # fmt: skip
    # link targets are not facts; 1 is left out ("one", "un", "una")
    assert values("See [page 7](https://x.org/p/42) for one or 1 dose.", "en") == {("number", "7")}


def test_unrecorded_translation_warns_and_tells_the_reader(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = build(site, capsys)
    assert code == 0, out
    assert re.search(rf"{ES_PATH}:\d+:\d+: warning: translation of {EN_PATH} .*\[TR001\]", out)
    text = notice(site, "es/studies/caminar")
    assert text is not None and "puede no coincidir con la versión original en inglés" in text
    assert 'href="../../../studies/walking-study/" hreflang="en"' in text
    assert notice(site, "studies/walking-study") is None


def test_recorded_translation_is_current_until_the_original_changes(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = build(site, capsys, "translated", str(site / ES_PATH))
    assert code == 0, out
    assert re.search(r"^translated_from: [0-9a-f]{16}$", (site / ES_PATH).read_text(), re.M)
    code, out = build(site, capsys)
    assert code == 0 and "TR00" not in out, out
    assert notice(site, "es/studies/caminar") is None
    # the original changes (a sign-off alone would not): the translation is out of date
    original = (site / EN_PATH).read_text().replace("A short walk", "A brisk walk")
    (site / EN_PATH).write_text(original)
    code, out = build(site, capsys)
    assert code == 0, out
    assert re.search(rf"{ES_PATH}:\d+:\d+: warning: out of date: {EN_PATH} changed", out)
    text = notice(site, "es/studies/caminar")
    assert text is not None and "puede no estar al día" in text
    assert (site / "reports" / "index.html").read_text().count("[TR002]") == 1
    # the original itself is not a translation
    code, out = build(site, capsys, "translated", str(site / EN_PATH))
    assert code == 1 and "[TR004]" in out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('age_min: "40 years"', 'age_min: "45 years"',
         r'eligibility.age_min is "45 years" here but "40 years" in the original '
         rf"{EN_PATH}:9"),
        ('    - "Puede caminar diez minutos."\n', "",
         rf"1 inclusion criteria here, 2 in the original {EN_PATH}:11"),
        ('email: "walk@example.org"', 'email: "walking@example.org"',
         rf'contacts.0.email is "walking@example.org" here .* {EN_PATH}:16'),
        ("dura 12 semanas", "dura 14 semanas",
         rf'number "14" here, "12" in the original {EN_PATH}:21'),
        ("Llame al 555 0199", "Llame al 555 0198",
         rf'phone number "5550198" here, "5550199" in the original {EN_PATH}:22'),
        ("Muchas personas", "Desde marzo, muchas personas",
         r'month "March" here is not in the original'),
    ],
    ids=["age", "criteria count", "contact e-mail", "number in the text", "phone in the text",
         "month in the text"],
)  # fmt: skip
def test_differing_facts_stop_the_build_naming_both_files_and_lines(
    site: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    assert build(site, capsys)[0] == 0
    before = (site / "output" / "es" / "studies" / "caminar" / "index.html").read_bytes()
    text = (site / ES_PATH).read_text()
    assert old in text
    (site / ES_PATH).write_text(text.replace(old, new))
    code, out = build(site, capsys)
    assert code == 1
    line = next(x for x in out.splitlines() if "[TR003]" in x)
    assert re.search(rf"^{ES_PATH}:\d+:\d+: error: {expected}", line), line
    # nothing was published: the old site stays
    after = (site / "output" / "es" / "studies" / "caminar" / "index.html").read_bytes()
    assert after == before


def test_notice_has_no_link_when_the_original_is_withheld(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = (site / EN_PATH).read_text().replace("A short walk", "A randomized walk")
    (site / EN_PATH).write_text(original)  # a replace term: the original is blocked
    build(site, capsys)
    assert not (site / "output" / "studies" / "walking-study" / "index.html").exists()
    text = notice(site, "es/studies/caminar")
    assert text is not None and "puede no coincidir" in text and "<a " not in text


def test_notice_is_in_the_translations_own_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Spanish site with an English translation: the notice on the English page is English,
    naming Spanish as the original's language."""
    es_original = ES.replace("lang: es\n", "")
    en_translation = EN.replace(
        "translation_key: walking\n", "translation_key: walking\nlang: en\n", 1
    )
    root = write_site(tmp_path, {ES_PATH: es_original, EN_PATH: en_translation})
    yml = root / "site.yml"
    yml.write_text(yml.read_text().replace("language: en", "language: es"))
    code, out = build(root, capsys)
    assert code == 0, out
    text = notice(root, "en/studies/walking-study")
    assert text is not None, out
    assert "This translation may not match the Spanish original" in text
    assert notice(root, "studies/caminar") is None
