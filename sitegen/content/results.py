"""Results pages: a lay summary of a study's results (EU Regulation 536/2014, Annex V).

A results page (``content/results/<slug>.md``, front matter ``model.ResultMeta``) has one
``##`` section per Annex V element, under the plain heading this module fixes for each (in
English and Spanish, after the European Commission's 2017 recommendations). This module:

* matches a page's headings to the ten elements and reports a missing one (RES001), a
  heading that is none of them (RES002, warning) and a side-effects section without a table
  of how many people had each (RES003);
* resolves the ``study:`` link to the study page and back (RES004, RES005);
* blocks wording that oversells results (RES006);
* draws ``icon_arrays`` as inline SVG with a text alternative (no JavaScript).

Pure functions: no files are read or written here.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from sitegen.content.model import RESULT_SECTIONS, IconArray, ResultMeta
from sitegen.core.diagnostics import Diagnostic, error, warning

#: results pages live here, under the content folder
FOLDER = "results"
#: (key, Annex V element, English heading, Spanish heading), in Annex V order
ELEMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("identification", "study identification",
     "Which study is this?", "¿De qué estudio se trata?"),
    ("sponsor", "name and contact details of the sponsor",
     "Who ran and paid for the study?", "¿Quién hizo y pagó el estudio?"),
    ("general", "general information: where, when and why",
     "Where, when and why was the study done?", "¿Dónde, cuándo y por qué se hizo el estudio?"),
    ("population", "the population: who took part, by age and sex",
     "Who took part?", "¿Quiénes participaron?"),
    ("medicines", "the medicines used",
     "What medicines were used?", "¿Qué medicamentos se usaron?"),
    ("side_effects", "adverse reactions and how often they happened",
     "What side effects did people have?", "¿Qué efectos secundarios tuvieron las personas?"),
    ("results", "overall results",
     "What were the results?", "¿Cuáles fueron los resultados?"),
    ("comments", "comments on the outcome",
     "What do the results mean?", "¿Qué significan los resultados?"),
    ("follow_up", "whether follow-up studies are planned",
     "Are more studies planned?", "¿Se planean más estudios?"),
    ("more_information", "where to find more information",
     "Where can I find more information?", "¿Dónde puedo encontrar más información?"),
)  # fmt: skip
assert tuple(e[0] for e in ELEMENTS) == RESULT_SECTIONS
#: what each section says, for a writer starting a page (``new result``): (English, Spanish)
HINTS: dict[str, tuple[str, str]] = {
    "identification": ("The study's name in plain words and its registry number.",
                       "El nombre del estudio con palabras sencillas y su número de registro."),
    "sponsor": ("Who ran and paid for the study, and how to contact them.",
                "Quién hizo y pagó el estudio, y cómo contactarles."),
    "general": ("Where and when the study took place, and why it was done.",
                "Dónde y cuándo se hizo el estudio, y por qué."),
    "population": ("How many people took part, with a table by age and by sex.",
                   "Cuántas personas participaron, con una tabla por edad y por sexo."),
    "medicines": ("The medicines or treatments each group had, how much and for how long.",
                  "Los medicamentos o tratamientos de cada grupo, cuánto y durante cuánto tiempo."),
    "side_effects": ("A table: each side effect, and how many people had it in each group "
                     "(3 out of 50).",
                     "Una tabla: cada efecto secundario y cuántas personas lo tuvieron en cada "
                     "grupo (3 de 50)."),
    "results": ("The main results, as '12 out of 100 people'. Add icon_arrays in the front "
                "matter to draw them.",
                "Los resultados principales, como '12 de cada 100 personas'. Añada icon_arrays "
                "arriba para dibujarlos."),
    "comments": ("What the results mean, and that these are the results of one study.",
                 "Qué significan los resultados, y que son los resultados de un solo estudio."),
    "follow_up": ("Whether more studies are planned.", "Si se planean más estudios."),
    "more_information": ("Where readers can find more, such as the registry record.",
                         "Dónde encontrar más información, como el registro del estudio."),
}  # fmt: skip

#: results wording that oversells (on top of the readability checker's PR001 list)
_PROMO = {
    "en": re.compile(
        r"\b(?:highly|very|extremely|remarkably|hugely) effective\b|\bgroundbreaking\b|"
        r"\bground-breaking\b|\bgame[- ]changer\b|\bgame[- ]changing\b|\brevolutionary\b|"
        r"\bamazing\b|\bexcellent results?\b|\bimpressive\b|\bspectacular\b|\bdramatic(?:ally)?\b|"
        r"\bwonder(?:ful)? (?:drug|medicine)\b|\bworks for everyone\b|"
        r"\bbest (?:treatment|medicine)\b",
        re.I,
    ),
    "es": re.compile(
        r"\b(?:muy|altamente|sumamente) eficaz\b|\brevolucionari[oa]\b|\bextraordinari[oa]\b|"
        r"\bincre[ií]ble\b|\bespectacular\b|\bresultados excelentes\b|\bmedicamento milagroso\b|"
        r"\bfunciona para todos\b|\bel mejor (?:tratamiento|medicamento)\b",
        re.I,
    ),
}


def heading(key: str, lang: str) -> str:
    """The plain heading of an Annex V element in ``lang``."""
    for k, _, en, es in ELEMENTS:
        if k == key:
            return es if lang == "es" else en
    raise KeyError(key)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


_BY_HEADING = {_norm(h): k for k, _, en, es in ELEMENTS for h in (en, es)}


def element_of(text: str) -> str | None:
    """The Annex V element a ``##`` heading stands for (either language), or None."""
    return _BY_HEADING.get(_norm(text))


@dataclass(frozen=True)
class SectionRef:
    """A ``##`` heading of the page source: its text and line in the ``.md`` file."""

    text: str
    line: int
    has_table: bool


_FENCE = re.compile(r"^\s*(```|~~~)")
_H2_LINE = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def source_sections(body: str, body_line: int) -> list[SectionRef]:
    """The ``##`` sections of a Markdown body, with their line and whether they hold a table."""
    out: list[tuple[str, int, bool]] = []
    in_fence = False
    for n, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _H2_LINE.match(line)
        if m:
            out.append((m.group(1), n + body_line, False))
        elif out and _TABLE_ROW.match(line) and re.match(r"^\s*\|?\s*:?-{3,}", line):
            text, ln, _ = out[-1]
            out[-1] = (text, ln, True)
    return [SectionRef(t, ln, tb) for t, ln, tb in out]


def check_result(
    path: str, meta: ResultMeta, body: str, body_line: int, lang: str
) -> list[Diagnostic]:
    """Problems of one results page on its own: Annex V elements, tables, wording, icons."""
    diags: list[Diagnostic] = []
    sections = source_sections(body, body_line)
    found: dict[str, SectionRef] = {}
    for s in sections:
        key = element_of(s.text)
        if key is None:
            diags.append(
                warning(
                    path, s.line, 1, "RES002",
                    f'section "{s.text}" is not one of the ten results sections',
                    "use the headings listed in docs/results.md; extra detail belongs inside one",
                )
            )  # fmt: skip
        elif key not in found:
            found[key] = s
    end_line = body_line + body.count("\n")
    for key, element, en, es in ELEMENTS:
        if key not in found:
            diags.append(
                error(
                    path, end_line, 1, "RES001",
                    f"missing results section ({element}, required by EU Regulation 536/2014 "
                    f'Annex V): add "## {es if lang == "es" else en}"',
                )
            )  # fmt: skip
    side = found.get("side_effects")
    if side is not None and not side.has_table:
        diags.append(
            error(
                path, side.line, 1, "RES003",
                "the side-effects section has no table of how many people had each side effect",
                'add a table such as "| Side effect | Medicine | Placebo |" with "3 out of 50" '
                "in each cell",
            )
        )  # fmt: skip
    diags += promotional(path, body, body_line, lang)
    for i, arr in enumerate(meta.icon_arrays):
        if arr.count > arr.total:
            diags.append(
                error(
                    path, 0, 0, "RES007",
                    f"icon_arrays.{i}: count {arr.count} is more than total {arr.total}",
                )
            )  # fmt: skip
    return diags


def promotional(path: str, body: str, body_line: int, lang: str) -> list[Diagnostic]:
    """RES006: wording that oversells a result ("highly effective", "groundbreaking")."""
    pattern = _PROMO["es" if lang == "es" else "en"]
    out = []
    for n, line in enumerate(body.split("\n")):
        for m in pattern.finditer(line):
            out.append(
                error(
                    path, n + body_line, m.start() + 1, "RES006",
                    f'promotional wording about results "{m.group(0)}"',
                    "say what was found, with numbers: results of one study are not a promise",
                )
            )  # fmt: skip
    return out


def study_target(result_path: str, study: str) -> str:
    """The site-relative path of the study page a results page names (``study:``)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(result_path), study))


@dataclass(frozen=True)
class LinkedPage:
    """What the result/study link checks need to know of a page."""

    path: str
    kind: str
    lang: str
    url: str
    study: str | None  # results pages: their ``study:`` value
    line: int  # of the ``study:`` field
    draft: bool = False


def linked(pages: Sequence[object]) -> list[LinkedPage]:
    """``LinkedPage``s of pipeline pages (anything with path, kind, lang, url, meta, fm)."""
    out = []
    for p in pages:
        meta = getattr(p, "meta", None)
        study = meta.study if isinstance(meta, ResultMeta) else None
        pos = p.fm.positions.get("study") if study is not None else None  # type: ignore[attr-defined]
        line = pos.line if pos else 0
        draft = bool(getattr(meta, "draft", False))
        out.append(LinkedPage(p.path, p.kind, p.lang, p.url, study, line, draft))  # type: ignore[attr-defined]
    return out


def link_checks(
    pages: Sequence[LinkedPage],
) -> tuple[dict[str, str], dict[str, str], list[Diagnostic]]:
    """Pair each results page with its study page.

    Returns (results page path -> study URL, study URL -> results URL, diagnostics):
    RES004 when ``study:`` names no study page, RES005 when two results pages claim one study.
    """
    by_path = {p.path: p for p in pages}
    to_study: dict[str, str] = {}
    to_result: dict[str, str] = {}
    claimed: dict[tuple[str, str], LinkedPage] = {}
    diags: list[Diagnostic] = []
    for p in pages:
        if p.kind != "result" or p.study is None:
            continue
        target = by_path.get(study_target(p.path, p.study))
        if target is None or target.kind != "study":
            diags.append(
                error(
                    p.path, p.line, 1, "RES004",
                    f'study: "{p.study}" is not a study page of this site',
                    "write the path of the study's .md file relative to this one, e.g. "
                    '"../studies/asthma-inhaler.md"',
                )
            )  # fmt: skip
            continue
        if target.draft and not p.draft:
            diags.append(
                error(
                    p.path, p.line, 1, "RES004",
                    f'study: "{p.study}" is a draft, so the results would link to nothing',
                    "publish the study page first (remove draft: true), or make this a draft",
                )
            )  # fmt: skip
            continue
        if (target.url, p.lang) in claimed:
            diags.append(
                error(
                    p.path, p.line, 1, "RES005",
                    f"{claimed[target.url, p.lang].path} already gives the results of "
                    f"{target.path} in this language",
                    "one results page per study and language",
                )
            )  # fmt: skip
            continue
        claimed[target.url, p.lang] = p
        to_study[p.path] = target.url
        # The study page links to the results in its own language, else to the first.
        if target.url not in to_result or p.lang == target.lang:
            to_result[target.url] = p.url
    return to_study, to_result, diags


# ------------------------------------------------------------------------------ icon arrays


def icon_sentence(arr: IconArray, lang: str) -> str:
    """ "12 out of 100 people who ..." in words (the text alternative of an icon array)."""
    joiner = "de cada" if lang == "es" else "out of"
    return f"{arr.count} {joiner} {arr.total} {arr.label}"


def icon_array_svg(arr: IconArray, lang: str, ident: str) -> Markup:
    """An icon array as a ``<figure>``: inline SVG of ``total`` figures in rows of ten,
    ``count`` of them filled (shape, not colour alone, tells them apart: filled vs outline,
    so it prints in black and white), with the sentence as caption and text alternative."""
    cols = 10
    rows = (arr.total + cols - 1) // cols
    size, gap = 20, 4
    width = cols * (size + gap)
    height = rows * (size + gap)
    sentence = icon_sentence(arr, lang)
    parts = [
        f'<svg class="icon-array" role="img" aria-labelledby="{ident}-cap" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" focusable="false">'
    ]
    for i in range(arr.total):
        x = (i % cols) * (size + gap) + gap // 2
        y = (i // cols) * (size + gap) + gap // 2
        filled = i < arr.count
        fill = "currentColor" if filled else "none"
        cls = "icon-on" if filled else "icon-off"
        cx = x + size // 2
        parts.append(
            f'<g class="{cls}" fill="{fill}" stroke="currentColor" stroke-width="1.5">'
            f'<circle cx="{cx}" cy="{y + 5}" r="4"/>'
            f'<path d="M{x + 3} {y + size - 1}v-5a{size // 2 - 3} 5 0 0 1 {size - 6} 0v5z"/></g>'
        )
    parts.append("</svg>")
    svg = "".join(parts)
    return Markup(
        f'<figure class="icon-figure" id="{escape(ident)}">{svg}'
        f'<figcaption id="{escape(ident)}-cap">{escape(sentence)}</figcaption></figure>'
    )


def icon_arrays_by_section(meta: ResultMeta, lang: str) -> dict[str, list[Markup]]:
    """Each section key -> the icon arrays drawn after its text."""
    out: dict[str, list[Markup]] = {}
    for i, arr in enumerate(meta.icon_arrays):
        out.setdefault(arr.section, []).append(icon_array_svg(arr, lang, f"icons-{i + 1}"))
    return out
