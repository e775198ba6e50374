"""Key facts say exactly what the metadata says: every masking combination, in both languages,
and every study page of the example site against its own front matter."""

from __future__ import annotations

import html
import itertools
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from patient_support import REPO, example_site

from sitegen.content.frontmatter import parse as parse_front_matter
from sitegen.content.model import WHO_MASKED, Design, StudyMeta, parse_meta
from sitegen.i18n import catalogue
from sitegen.render.facts import (
    LEVEL_COUNT,
    date_facts,
    masking_sentence,
    stopped_note,
    study_checks,
)
from sitegen.render.views import location_summary

LEVELS = {n: level for level, n in LEVEL_COUNT.items()}
COMBINATIONS = [
    frozenset(c) for n in range(len(WHO_MASKED) + 1) for c in itertools.combinations(WHO_MASKED, n)
]
SENTENCE = {
    "en": re.compile(
        r"(?P<hidden>.+?) will not know which treatment you get(?:, but (?P<known>.+) will)?\."
    ),
    "es": re.compile(
        r"(?P<hidden>.+?) no (?P<verb>sabrán?) qué tratamiento recibe usted"
        r"(?:, pero (?P<known>.+) sí)?\."
    ),
}
AND = {"en": " and ", "es": " y "}


def _items(text: str | None, lang: str) -> list[str]:
    if not text:
        return []
    head, _, last = text.rpartition(AND[lang])
    return [*head.split(", "), last] if head else [last]


def who_said(sentence: str, lang: str) -> tuple[set[str], set[str]]:
    """(roles the sentence says will not know, roles it says will know), read from the words."""
    label_to_role = {catalogue(lang).t(f"design.who.{r}").casefold(): r for r in WHO_MASKED}
    m = SENTENCE[lang].fullmatch(sentence)
    assert m, f"not a masking sentence: {sentence!r}"
    hidden = [label_to_role[x.casefold()] for x in _items(m.group("hidden"), lang)]
    known = [label_to_role[x.casefold()] for x in _items(m.group("known"), lang)]
    assert len(hidden) == len(set(hidden)) and len(known) == len(set(known)), sentence
    if lang == "es":  # "usted no sabrá", everyone else "no sabrán"
        assert (m.group("verb") == "sabrá") == (hidden == ["participant"]), sentence
    return set(hidden), set(known)


def test_there_are_sixteen_combinations() -> None:
    assert len(set(COMBINATIONS)) == 16


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("masked", COMBINATIONS, ids=lambda c: "+".join(sorted(c)) or "nobody")
def test_masking_sentence_names_exactly_who_is_masked(masked: frozenset[str], lang: str) -> None:
    cat = catalogue(lang)
    level = LEVELS[len(masked)]
    # the registry order of whoMasked must not matter
    design = Design(masking=level, masked=tuple(sorted(masked, reverse=True)))
    sentence = masking_sentence(design, cat)
    assert sentence is not None
    if not masked:
        assert sentence == cat.t("design.masking_none")
        return
    assert sentence[0].isupper()
    hidden, known = who_said(sentence, lang)
    assert hidden == set(masked)
    assert known == set(WHO_MASKED) - set(masked)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_level_without_the_list_does_not_guess_who(lang: str) -> None:
    cat = catalogue(lang)
    for level in ("single", "double", "triple", "quadruple"):
        assert masking_sentence(Design(masking=level), cat) == cat.t("design.masking_unstated")
    assert masking_sentence(Design(), cat) is None


def _meta(yaml_text: str) -> tuple[StudyMeta, object]:
    fm, diags = parse_front_matter(f"---\n{yaml_text}---\nText.\n", "s.md")
    assert fm is not None, diags
    meta, diags = parse_meta(fm, "s.md")
    assert meta is not None, [d.format() for d in diags]
    return meta, fm


BASE = 'title: "T"\nsummary: "S"\nconditions: ["Asthma"]\n'


def test_masked_is_checked_against_the_level_and_the_vocabulary() -> None:
    meta, fm = _meta(
        BASE + "status: recruiting\ndesign:\n  masking: double\n  masked: [participant]\n"
    )
    diags = study_checks(meta, fm, "s.md")  # type: ignore[arg-type]
    assert [d.code for d in diags] == ["FACT001"]
    assert (
        diags[0].line == 8 and "1 role but" in diags[0].message and '"double"' in diags[0].message
    )
    meta, fm = _meta(BASE + "status: recruiting\ndesign:\n  masking: single\n")
    assert [d.code for d in study_checks(meta, fm, "s.md")] == ["FACT001"]  # type: ignore[arg-type]
    fm2, _ = parse_front_matter(
        "---\n" + BASE + "status: recruiting\ndesign:\n  masked: [patient]\n---\nx\n", "s.md"
    )
    assert fm2 is not None
    meta2, diags = parse_meta(fm2, "s.md")
    assert meta2 is None and [d.code for d in diags] == ["FM012"]
    assert "participant" in diags[0].message


def test_recruiting_after_the_completion_date_is_a_warning() -> None:
    meta, fm = _meta(BASE + "status: recruiting\ndates:\n  completion: 2026-05\n")
    assert study_checks(meta, fm, "s.md", date(2026, 5, 31)) == []  # type: ignore[arg-type]
    diags = study_checks(meta, fm, "s.md", date(2026, 6, 1))  # type: ignore[arg-type]
    assert [(d.code, d.line) for d in diags] == [("FACT002", 7)]
    meta, fm = _meta(BASE + "status: completed\ndates:\n  completion: 2020-01-01\n")
    assert study_checks(meta, fm, "s.md", date(2026, 6, 1)) == []  # type: ignore[arg-type]


# ---- every study page of the example site against its own front matter -----------------------

_LI = re.compile(r"<li>(.*?)</li>", re.S)


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _design_notes(page: str) -> list[str]:
    m = re.search(r'<ul class="design-notes">(.*?)</ul>', page, re.S)
    return [html.unescape(x).strip() for x in _LI.findall(m.group(1))] if m else []


def _study_pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict, str, str]]:
    out, _ = example_site(tmp_path_factory.mktemp("facts"))
    pages = []
    for src in sorted((REPO / "content" / "studies").glob("*.md")):
        front = _front(src)
        if front.get("draft"):
            continue
        lang = front.get("lang") or "en"
        slug = front.get("slug") or src.stem
        built = out / ("es/" if lang == "es" else "") / "studies" / slug / "index.html"
        pages.append((front, lang, built.read_text(encoding="utf-8")))
    return pages


def test_every_study_page_states_its_design_as_the_metadata_does(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    pages = _study_pages(tmp_path_factory)
    assert len(pages) >= 10
    checked = 0
    for front, lang, page in pages:
        cat = catalogue(lang)
        notes = _design_notes(page)
        design = front.get("design") or {}
        if front.get("study_type", "interventional") != "interventional" or not design:
            assert notes == [], front["title"]
            continue
        randomized = {True: [cat.t("design.randomized")], False: [cat.t("design.not_randomized")]}
        placebo = {True: [cat.t("design.placebo")], False: [cat.t("design.no_placebo")]}
        expected = randomized.get(design.get("randomized"), []) + placebo.get(
            design.get("placebo"), []
        )
        assert notes[: len(expected)] == expected, front["title"]
        rest = notes[len(expected) :]
        masked = set(design.get("masked") or ())
        if design.get("masking") == "none":
            assert rest == [cat.t("design.masking_none")]
        else:
            assert len(rest) == 1, (front["title"], rest)
            hidden, known = who_said(rest[0], lang)
            assert hidden == masked and known == set(WHO_MASKED) - masked, front["title"]
            checked += 1
    assert checked >= 8


# ---- the importer keeps who is masked ---------------------------------------------------------

RECORDS = sorted((REPO / "tests" / "data" / "ctgov").glob("NCT*.json"))


def test_the_importer_copies_who_masked_from_every_record() -> None:
    from sitegen.importers.ctgov import parse_record

    seen = 0
    for path in RECORDS:
        raw = json.loads(path.read_text(encoding="utf-8"))
        info = raw["protocolSection"].get("designModule", {}).get("designInfo", {})
        who = [w.lower() for w in info.get("maskingInfo", {}).get("whoMasked", [])]
        study, diags = parse_record(raw, path.name)
        assert study is not None, [d.format() for d in diags]
        design = study.front_matter.get("design") or {}
        assert design.get("masked", []) == who, path.name
        seen += bool(who)
    assert seen >= 8


def test_an_unknown_who_masked_value_is_refused_with_its_path() -> None:
    from sitegen.importers.ctgov import parse_record

    raw = json.loads(RECORDS[0].read_text(encoding="utf-8"))
    design = raw["protocolSection"].setdefault("designModule", {})
    masking = design.setdefault("designInfo", {}).setdefault("maskingInfo", {})
    masking["masking"] = "SINGLE"
    masking["whoMasked"] = ["PATIENT"]
    study, diags = parse_record(raw, "r.json")
    assert study is None
    assert [d.code for d in diags if d.is_error] == ["IMP004"]
    assert "designInfo.maskingInfo.whoMasked[0]" in diags[0].message
    assert "PARTICIPANT" in diags[0].message


def test_the_imported_draft_text_says_who_is_masked() -> None:
    from sitegen.importers.ctgov import parse_record

    raw = json.loads(RECORDS[0].read_text(encoding="utf-8"))
    masking = raw["protocolSection"]["designModule"]["designInfo"].setdefault("maskingInfo", {})
    raw["protocolSection"]["designModule"]["studyType"] = "INTERVENTIONAL"
    masking["masking"] = "SINGLE"
    masking["whoMasked"] = ["OUTCOMES_ASSESSOR"]
    study, diags = parse_record(raw, "r.json")
    assert study is not None, [d.format() for d in diags]
    sentence = next(s for s in study.body.split("\n") if "will not know" in s)
    assert who_said(sentence, "en") == (
        {"outcomes_assessor"},
        {"participant", "care_provider", "investigator"},
    )


# ---- Key facts: status, phase, ages, sex, healthy volunteers and dates as the metadata says ----

_FACT = re.compile(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", re.S)
_TAG = re.compile(r"<[^>]+>")


def key_facts(page: str) -> dict[str, str]:
    """The Key facts box as {label: text}."""
    box = re.search(r'<div class="facts">(.*?)</dl>', page, re.S)
    assert box, "no Key facts box"
    return {
        html.unescape(_TAG.sub("", k)).strip(): html.unescape(_TAG.sub("", v)).strip()
        for k, v in _FACT.findall(box.group(1))
    }


def _numbers(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text)]


def _age(value: object) -> tuple[int, str] | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value, "years"
    n, *unit = str(value).split()
    return int(n), (unit[0] if unit else "years").lower().rstrip("s")


def test_every_key_fact_on_every_study_page_matches_its_front_matter(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    for front, lang, page in _study_pages(tmp_path_factory):
        cat = catalogue(lang)
        facts = key_facts(page)
        title = front["title"]
        assert facts[cat.t("status")] == cat.t(f"status_labels.{front['status']}"), title
        elig = front.get("eligibility") or {}
        # ages: exactly the numbers of the limits, in their units, nothing else
        lo, hi = _age(elig.get("age_min")), _age(elig.get("age_max"))
        age = facts[cat.t("age")]
        assert _numbers(age) == [a[0] for a in (lo, hi) if a], (title, age)
        for a in (lo, hi):
            if a:
                unit = a[1] if a[0] == 1 else a[1] + "s"
                assert cat.t(f"age_units.{unit}") in age, (title, age)
        if not lo and not hi:
            assert age == cat.t("age_any")
        assert facts[cat.t("sex")] == cat.t(f"sex_labels.{elig.get('sex', 'all')}"), title
        healthy = cat.t("yes") if elig.get("healthy_volunteers") else cat.t("no")
        assert facts[cat.t("healthy_volunteers")] == healthy, title
        # phases: every listed phase, and no other
        phases = [p for p in front.get("phase") or [] if p != "na"]
        phase = facts.get(cat.t("phase"), "")
        for p in phases:
            assert cat.t(f"phase_labels.{p}") in phase, (title, phase)
        assert phase.count(":") == len(phases), (title, phase)
        # dates: day (if given), month name and year of start and completion
        dates = front.get("dates") or {}
        shown_dates = [
            v
            for k, v in facts.items()
            if k
            in {cat.t(f"dates_{x}") for x in ("start", "start_expected", "end", "end_expected")}
        ]
        expected = [str(dates[k]) for k in ("start", "completion") if dates.get(k)]
        assert len(shown_dates) == len(expected), title
        for shown, raw in zip(shown_dates, expected, strict=True):
            parts = [int(x) for x in raw.split("-")]
            assert cat.get("months")[parts[1] - 1] in shown and str(parts[0]) in shown, title
            assert _numbers(shown) == ([parts[2]] if len(parts) == 3 else []) + [parts[0]], shown
        finished = front["status"] in ("completed", "terminated", "withdrawn")
        if dates.get("completion"):
            label = cat.t("dates_end") if finished else cat.t("dates_end_expected")
            assert label in facts, title


# ---- For health professionals: the registry's words, one click away, escaped ----------------

PRO_STUDY = """\
---
title: "A walking plan for knee pain"
summary: "We want to find out if a daily walk can help people with sore knees."
status: recruiting
conditions: ["Knee pain"]
nct_id: NCT05000001
registry_title: "Walking <b>Versus</b> Usual Care: a \\"Pragmatic\\" Trial & More"
eligibility:
  registry_text: "Inclusion Criteria:\\n\\n* Age >= 40\\n* <script>alert(1)</script>"
---

## What is this study about?

Many people have sore knees. A short walk each day may help. We want to find out if it does.
"""


def test_professional_section_shows_the_registry_words_escaped(tmp_path: Path) -> None:
    from patient_support import built_study_page
    from small_site import PATIENT_SECTIONS

    page = built_study_page(tmp_path, PRO_STUDY + PATIENT_SECTIONS)
    section = re.search(r'<section class="study-section professional".*?</section>', page, re.S)
    assert section, "no section for health professionals"
    text = section.group(0)
    assert '<h2 id="professional-heading">For health professionals</h2>' in text
    assert "<details>" in text and "<summary>" in text  # one click away
    assert (
        '<dd lang="en">Walking &lt;b&gt;Versus&lt;/b&gt; Usual Care: a &#34;Pragmatic&#34; '
        "Trial &amp; More</dd>" in text
    )
    assert "Inclusion Criteria:\n\n* Age &gt;= 40\n* &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert" not in page
    assert 'href="https://clinicaltrials.gov/study/NCT05000001"' in text


def test_not_asked_must_name_an_existing_bullet() -> None:
    meta, fm = _meta(
        BASE
        + "status: recruiting\neligibility:\n  include: [a]\n  exclude: [b]\n"
        + "  not_asked: [include.0, exclude.1]\n"
    )
    diags = study_checks(meta, fm, "s.md")  # type: ignore[arg-type]
    assert [(d.code, d.line) for d in diags] == [("FACT003", 9)]
    assert '"exclude.1"' in diags[0].message


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Leeds, UK", "Leeds, UK and 1 more place", "Leeds, UK and 2 more places"]),
        ("es", ["Leeds, UK", "Leeds, UK y 1 lugar más", "Leeds, UK y 2 lugares más"]),
    ],
)
def test_the_card_counts_the_other_places_in_the_singular_and_plural(
    lang: str, expected: list[str]
) -> None:
    cities = ["Leeds", "York", "Bath"]
    got = []
    for n in (1, 2, 3):
        sites = "".join(
            f"  - name: Clinic {c}\n    city: {c}\n    country: UK\n" for c in cities[:n]
        )
        meta, _ = _meta(BASE + "status: recruiting\nsites:\n" + sites)
        got.append(location_summary(meta, catalogue(lang)))
    assert got == expected


@pytest.mark.parametrize(
    ("status", "start", "end"),
    [
        ("not_yet_recruiting", "Expected start", "Expected end"),
        ("recruiting", "Start", "Expected end"),
        ("enrolling_by_invitation", "Start", "Expected end"),
        ("active_not_recruiting", "Start", "Expected end"),
        ("suspended", "Start", "Expected end"),
        ("unknown", "Start", "Expected end"),
        ("completed", "Start", "End"),
        ("terminated", "Start", "End"),
        # cancelled before anyone joined: it neither started nor ended
        ("withdrawn", "Planned start", "Planned end"),
    ],
)
def test_date_labels_agree_with_the_status(status: str, start: str, end: str) -> None:
    meta, _ = _meta(BASE + f"status: {status}\ndates: {{start: 2025-02-01, completion: 2026-05}}\n")
    assert date_facts(meta, catalogue("en")) == ((start, "1 February 2025"), (end, "May 2026"))
    es = date_facts(meta, catalogue("es"))
    assert [d for _, d in es] == ["1 de febrero de 2025", "mayo de 2026"]
    assert len({label for label, _ in es}) == 2
    if status == "withdrawn":
        assert [label for label, _ in es] == ["Inicio planeado", "Fin planeado"]


@pytest.mark.parametrize(
    ("status", "en", "es"),
    [
        ("suspended", "Why the study is paused", "Por qué está en pausa el estudio"),
        ("terminated", "Why the study stopped", "Por qué se detuvo el estudio"),
        ("withdrawn", "Why the study was cancelled", "Por qué se canceló el estudio"),
        ("recruiting", None, None),
        ("completed", None, None),
    ],
)
def test_the_why_stopped_note_names_what_happened(
    status: str, en: str | None, es: str | None
) -> None:
    """A paused study did not stop, and a cancelled one never started."""
    meta, _ = _meta(BASE + f"status: {status}\nwhy_stopped: Too few people joined.\n")
    for lang, label in (("en", en), ("es", es)):
        note = stopped_note(meta, catalogue(lang))
        assert note == (None if label is None else (label, "Too few people joined."))
    meta, _ = _meta(BASE + f"status: {status}\n")
    assert stopped_note(meta, catalogue("en")) is None
