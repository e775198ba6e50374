"""``check_document``: one page through extraction, counting, rules and the gate."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import compress, islice
from operator import attrgetter
from typing import Any

from sitegen.core.languages import LANGS
from sitegen.readability.clarity import ITEMS, assess
from sitegen.readability.clarity import Page as ClarityPage
from sitegen.readability.completeness import missing_sections
from sitegen.readability.extract import extract
from sitegen.readability.gate import as_signoffs, decide, page_signers, resolve, text_hash
from sitegen.readability.jargon import Glossary, JargonMatch, load_glossary
from sitegen.readability.model import (
    Clarity,
    Finding,
    Fix,
    GateSettings,
    PageCheck,
    ProseField,
    SectionScore,
    Signoff,
)
from sitegen.readability.placeholders import empty_page, placeholder_hits, value_findings
from sitegen.readability.robust import sort_sentences
from sitegen.readability.rules import Hit, find_all, jargon_matches
from sitegen.readability.scores import (
    SUMMED_FACTS,
    Counts,
    PageWords,
    Row,
    gate_grade,
    inflesz_band,
    page_words,
    scores,
    sentence_row,
    szigriszt_pazos,
    total,
)
from sitegen.readability.text import Prose, page_text

_ACRONYM = attrgetter("acronym")  # of WordFacts
#: a digit (maybe a statistical number) or the one word character outside letters and digits
_DIGIT_OR_UNDERSCORE = re.compile(r"[\d_]")


def check_document(
    path: str,
    body: str,
    body_line: int,
    fields: Sequence[ProseField],
    *,
    lang: str = "en",
    settings: GateSettings = GateSettings(),  # noqa: B008 - frozen, safe as a default
    glossary: Glossary | None = None,
    signoff: Signoff | Sequence[Signoff] | None = None,
    draft: bool = False,
    facts: Sequence[tuple[str, str]] = (),
    required_roles: Sequence[str] = (),
    values: Sequence[ProseField] = (),
) -> PageCheck:
    """Check one page's patient-facing prose and decide its gate verdict.

    ``body`` is the Markdown after the front matter and starts on file line ``body_line``;
    ``fields`` are the patient-facing front-matter strings; ``facts`` the other front-matter
    values a patient may read (``review_facts``), which the sign-off hash covers too;
    ``required_roles``: the reviewer roles whose sign-off a blocked page needs. Never raises
    on content. ``values``: the front-matter strings outside ``fields`` (conditions,
    contacts ...), checked for placeholders only.
    """
    lang = _language(lang)
    if glossary is None:
        glossary = load_glossary(lang)
    digest = text_hash(body, fields, facts)
    signoffs = as_signoffs(signoff)
    signers, missing = page_signers(signoffs, digest, required_roles)
    settings, loosened = resolve(settings, bool(signers) and not missing)
    prose = extract(body, body_line, fields)
    allow = frozenset(t.casefold() for t in settings.allow)
    jargon = jargon_matches(prose, glossary, allow)
    pw = page_words(prose.sentences, lang)
    page, per_section = count_page(prose, lang, allow, jargon, pw)
    grade = round(gate_grade(page, lang), 1)
    grade, robust, whole_page = _robust_grade(prose, lang, allow, jargon, pw, grade, settings)

    hits = [*find_all(prose, lang, settings, glossary, jargon, pw), *robust]
    hits += placeholder_hits(
        prose, lang, settings.placeholders, body, body_line, settings.example_values
    )
    sections = _sections(prose, per_section, lang)
    hits += _section_hits(prose, sections, settings)
    located = [_locate(prose, h) for h in hits]
    located += whole_page
    located += _page_findings(prose, body, body_line, values, lang, settings, loosened, signers)
    clear, failed = _clarity(prose, lang, grade, page, settings, located)
    located += failed

    findings = sorted(located, key=_order)
    result = decide(grade, page.words, findings, settings, signoffs, digest, required_roles)
    rd001 = _verdict_finding(grade, settings, result.verdict, result.signoff_state, result.reason)
    findings = result.findings if rd001 is None else [*result.findings, rd001]
    stats = _stats(page, findings, hits, settings)
    if lang == "es":  # INFLESZ, the usual Spanish reference for patient material
        stats["inflesz"] = inflesz_band(szigriszt_pazos(page))
    return PageCheck(
        path=path,
        lang=lang,
        verdict=result.verdict,
        grade=grade,
        scores=scores(page, lang),
        sections=[s for s, _ in sections],
        stats=stats,
        findings=findings,
        signoff_state=result.signoff_state,
        text_hash=digest,
        target=settings.target,
        limit=settings.limit,
        draft=draft,
        reason=result.reason,
        signoff=signoffs[-1] if signoffs else None,
        signoffs=signoffs,
        missing_roles=result.missing_roles,
        signers=result.signers,
        clarity=clear,
    )


def _language(lang: str) -> str:
    """The checker's language for a page language tag ("es-MX" is "es"); English if it has
    no rules for it."""
    lang = lang.split("_")[0].split("-")[0].lower()
    return lang if lang in LANGS else "en"


def _clarity(
    prose: Prose,
    lang: str,
    grade: float,
    page: Counts,
    settings: GateSettings,
    found: list[Finding],
) -> tuple[Clarity, list[Finding]]:
    """The page's clear-communication score (given the findings so far) and its findings."""
    clear, failed = assess(
        ClarityPage(prose, lang, grade, page.words, page.sentences, settings, found)
    )
    return clear, _clarity_findings(prose, clear, failed, settings)


def _section_hits(
    prose: Prose, sections: list[tuple[SectionScore, int]], settings: GateSettings
) -> list[Hit]:
    """RD004 for each ``##`` section over the limit that is long enough to judge."""
    return [
        _section_hit(prose, sec, block, settings)
        for sec, block in sections
        if block >= 0  # an empty heading: nowhere to point
        and sec.grade > settings.limit
        and sec.words >= settings.min_section_words
    ]


def _page_findings(
    prose: Prose,
    body: str,
    body_line: int,
    values: Sequence[ProseField],
    lang: str,
    settings: GateSettings,
    loosened: Sequence[tuple[str, float, float, bool]],
    signers: Sequence[Signoff],
) -> list[Finding]:
    """The findings about the page rather than a stretch of its prose: placeholder values
    (PH005), an empty page, page settings looser than the site's (RD005), missing sections
    (CP001)."""
    out = value_findings(values, lang, settings.placeholders, settings.example_values)
    empty = empty_page(prose, body, body_line)
    if empty is not None:
        out.append(empty)
    out += [_loosened_finding(x, signers) for x in loosened]
    out += missing_sections(prose, settings.required)
    return out


def count_prose(
    prose: Prose, lang: str, allow: frozenset[str], jargon: dict[int, list[JargonMatch]]
) -> list[Counts]:
    """Counts of every sentence, with the dictionary terms that start in it."""
    return [Counts(*row) for row in count_rows(prose, lang, allow, jargon)]


def count_rows(
    prose: Prose,
    lang: str,
    allow: frozenset[str],
    jargon: dict[int, list[JargonMatch]],
    pw: PageWords | None = None,
) -> list[Row]:
    """``count_prose`` as ``Counts``-ordered tuples (cheaper to build and to sum);
    ``pw``: the ``page_words`` of the prose, if known."""
    if pw is None:
        pw = page_words(prose.sentences, lang)
    out = []
    facts, bounds, letters = pw.facts, pw.bounds, pw.letters
    for k, s in enumerate(prose.sentences):
        ms = jargon.get(s.block)
        n = sum(1 for m in ms if s.start <= m.start < s.end) if ms else 0
        a, b = bounds[k], bounds[k + 1]
        # the letters are all in the words' tokens, unless another token has a "_" (the only
        # word character that is not a letter or digit)
        n_letters = sum(letters[a:b]) if "_" not in s.text else None
        out.append(sentence_row(s, lang, allow, n, facts[a:b], n_letters))
    return out


def count_page(
    prose: Prose,
    lang: str,
    allow: frozenset[str],
    jargon: dict[int, list[JargonMatch]],
    pw: PageWords | None = None,
) -> tuple[Counts, list[Counts]]:
    """The counts of the whole page and of each ``##`` section: the sums of ``count_prose``.

    Most sentences need no more than their words' ``WordFacts`` added up, so consecutive
    ones are summed together; a sentence with a digit (maybe a statistical number), an
    acronym or a "_" (a letter outside its words) is counted on its own (``sentence_row``).
    """
    sentences = prose.sentences
    if pw is None:
        pw = page_words(sentences, lang)
    facts, bounds, letters = pw.facts, pw.bounds, pw.letters
    n = len(sentences)
    # dictionary terms per sentence: those that start in it
    terms = [0] * n
    if any(jargon.values()):
        for k, s in enumerate(sentences):
            ms = jargon.get(s.block)
            if ms:
                terms[k] = sum(1 for m in ms if s.start <= m.start < s.end)
    # the sentences to count on their own
    special = {pw.sentence_of(i) for i in compress(range(len(facts)), map(_ACRONYM, facts))}
    page, bases = page_text(prose)
    if _DIGIT_OR_UNDERSCORE.search(page):
        starts = [bases[s.block] + s.start for s in sentences]
        for m in _DIGIT_OR_UNDERSCORE.finditer(page):
            k = bisect_right(starts, m.start()) - 1
            if k >= 0 and m.start() < starts[k] + len(sentences[k].text):
                special.add(k)
    per_section: list[list[Row]] = [[] for _ in prose.sections]
    rows: list[Row] = []
    blocks = prose.blocks
    sections = [blocks[s.block].section for s in sentences]
    k = 0
    while k < n:
        section = sections[k]
        end = k + 1
        if k in special:
            s = sentences[k]
            a, b = bounds[k], bounds[end]
            n_letters = sum(letters[a:b]) if "_" not in s.text else None
            row = sentence_row(s, lang, allow, terms[k], facts[a:b], n_letters)
        else:  # the run of plain sentences from k on, in the same section
            while end < n and end not in special and sections[end] == section:
                end += 1
            row = _plain_rows(pw, k, end, sum(terms[k:end]))
        rows.append(row)
        if section >= 0:
            per_section[section].append(row)
        k = end
    return total(rows), [total(r) for r in per_section]


def _plain_rows(pw: PageWords, k: int, end: int, terms: int) -> Row:
    """The summed ``sentence_row`` of sentences ``k`` to ``end`` - 1: no digit, acronym or
    "_" in any of them."""
    a, b = pw.bounds[k], pw.bounds[end]
    sums = map(sum, islice(zip(*pw.facts[a:b], strict=True), SUMMED_FACTS))
    syl, poly, fog, dc, unfamiliar, _, rarity, style = sums
    letters = sum(pw.letters[a:b])
    return (b - a, end - k, syl, letters, poly, fog, dc, unfamiliar, 0, 0, terms, rarity, style)


def page_counts(
    body: str,
    lang: str = "en",
    glossary: Glossary | None = None,
    allow: frozenset[str] = frozenset(),
) -> Counts:
    """The counts of a whole text (the gate grade's inputs), for tools and benchmarks."""
    glossary = glossary if glossary is not None else load_glossary(lang)
    prose = extract(body, 1, [])
    return count_page(prose, lang, allow, jargon_matches(prose, glossary, allow))[0]


def _sections(prose: Prose, per_section: list[Counts], lang: str) -> list[tuple[SectionScore, int]]:
    """Each ``##`` section's scores, with the block of its heading (-1 if empty)."""
    out = []
    for sec, c in zip(prose.sections, per_section, strict=True):
        line = prose.locate(sec.block, 0, 1)[0] if sec.block >= 0 else 0
        grade = round(gate_grade(c, lang), 1)
        score = SectionScore(sec.title, line, c.words, c.sentences, grade, scores(c, lang))
        out.append((score, sec.block))
    return out


def _section_hit(prose: Prose, sec: SectionScore, block: int, settings: GateSettings) -> Hit:
    msg = f'section "{sec.title}": grade {sec.grade:g} (limit {settings.limit:g})'
    end = len(prose.blocks[block].text)
    return Hit(block, 0, end, "grade", "RD004", "warning", msg, "", "", sec.title.casefold())


def _locate(prose: Prose, h: Hit) -> Finding:
    line, col, end_line, end_col, text = prose.locate(h.block, h.start, h.end)
    fix = None
    if h.fix is not None:
        loc = prose.locate(h.block, h.fix.start, h.fix.end)
        fix = Fix(loc[0], loc[1], loc[2], loc[3], loc[4], h.fix.new)
    return Finding(
        rule=h.rule,
        code=h.code,
        severity=h.severity,
        line=line,
        column=col,
        text=text,
        message=h.message,
        suggestion=h.suggestion,
        definition=h.definition,
        end_line=end_line,
        end_column=end_col,
        key=h.key,
        field=prose.field_name(h.block),
        fix=fix,
    )


def _order(f: Finding) -> tuple[bool, int, int, str]:
    """Text order; findings about the whole page (line 0) last, as the verdict line is."""
    return f.line == 0, f.line, f.column, f.code


def _loosened_finding(x: tuple[str, float, float, bool], signers: Sequence[Signoff]) -> Finding:
    """RD005: a page setting looser than the site's, applied (sign-off) or ignored."""
    name, page, site, applied = x
    if applied and signers:
        who = " and ".join(f"{s.who} on {s.date}" for s in signers)
        msg = (
            f"readability.{name} {page:g} is looser than the site's {site:g}; it applies "
            f"because the page was signed off by {who}"
        )
        return Finding("settings", "RD005", "note", 0, 0, "", msg, key=name)
    msg = (
        f"readability.{name} {page:g} is looser than the site's {site:g}: the site's "
        f"{site:g} applies until a reviewer signs the page off"
    )
    return Finding("settings", "RD005", "warning", 0, 0, "", msg, key=name)


def _robust_grade(
    prose: Prose,
    lang: str,
    allow: frozenset[str],
    jargon: dict[int, list[JargonMatch]],
    pw: PageWords,
    grade: float,
    settings: GateSettings,
) -> tuple[float, list[Hit], list[Finding]]:
    """The grade padding cannot lower (``robust``): RD006 for each garbled sentence; when
    unusable text is ``SHARE`` of the page, the harder of the page's grade and that of its
    usable sentences, and RD007 (an error when too few usable words are left to grade)."""
    sorted_ = sort_sentences(prose, lang)
    hits = [
        Hit(s.block, s.start, s.end, "garbled", "RD006", "warning",
            "these words do not make a sentence (a word doubled, or \"the\" before a verb or "
            "question word): rewrite it", "", "", "garbled")
        for k, s in enumerate(prose.sentences) if k in sorted_.garbled
    ]  # fmt: skip
    if not sorted_.applies():
        return grade, hits, []
    parts = ", ".join(f"{n} words of {kind}s" for kind, n in sorted_.unusable_words.items())
    rows = count_rows(prose, lang, allow, jargon, pw)
    usable = total([rows[k] for k in sorted_.usable])
    if usable.words < settings.min_words_to_block:
        msg = (
            f"only {usable.words} of {sorted_.words} words are in full sentences ({parts}): "
            "no grade can be given; write the page in sentences"
        )
        return grade, hits, [Finding("grade", "RD007", "error", 0, 0, "", msg, key="usable")]
    usable_grade = round(gate_grade(usable, lang), 1)
    msg = (
        f"{parts} in {sorted_.words}: graded on its full sentences too "
        f"(grade {usable_grade:g}); the harder grade counts"
    )
    note = Finding("grade", "RD007", "note", 0, 0, "", msg, key="usable")
    return max(grade, usable_grade), hits, [note]


def _clarity_findings(
    prose: Prose,
    clear: Clarity,
    failed: list[tuple[str, str, tuple[int, int, int] | None]],
    settings: GateSettings,
) -> list[Finding]:
    """A note per failed clear-communication item (where it is about, if one place), and a
    CC000 warning when the score is below ``clarity_min``."""
    out = []
    for code, detail, where in failed:
        item = ITEMS[code]
        msg = f"{item.title.lower()}: no; {detail}" if detail else f"{item.title.lower()}: no"
        if where is None:
            out.append(Finding("clarity", code, "note", 0, 0, "", msg, key=item.name))
        else:
            f = _locate(prose, Hit(where[0], where[1], where[2], "clarity", code, "note", msg))
            out.append(f)
    if clear.score is not None and clear.score < settings.clarity_min:
        failed_codes = ", ".join(clear.failed)
        msg = (
            f"clear-communication score {clear.score} (at least {settings.clarity_min:g}): "
            f"failed {failed_codes}"
        )
        out.append(Finding("clarity", "CC000", "warning", 0, 0, "", msg))  # fmt: skip
    return out


def _verdict_finding(
    grade: float, settings: GateSettings, verdict: str, state: str, reason: str
) -> Finding | None:
    if verdict == "pass" and state == "none":
        return None
    severity = {"block": "error", "warn": "warning", "pass": "note"}[verdict]
    msg = f"grade {grade:g} (target {settings.target:g}, limit {settings.limit:g}): {reason}"
    return Finding("grade", "RD001", severity, 0, 0, "", msg)  # type: ignore[arg-type]


def _stats(
    c: Counts, findings: list[Finding], hits: list[Hit], settings: GateSettings
) -> dict[str, Any]:
    def n(code: str) -> int:
        return sum(1 for h in hits if h.code == code)

    per100 = 100 / c.words if c.words else 0.0
    return {
        "words": c.words,
        "sentences": c.sentences,
        "jargon_terms": c.jargon,  # every dictionary term used, explained or not
        "jargon_per_100_words": round(c.jargon * per100, 2),
        "rare_words": n("JG005"),
        "long_sentences": n("RD002"),
        "passive": n("RD003"),
        "acronyms": n("JG003"),
        "latin": n("JG004"),
        "promotional": n("PR001"),
        "syllables": c.syllables,
        "words_per_sentence": round(c.words / c.sentences, 2) if c.sentences else 0.0,
        "syllables_per_word": round(c.syllables / c.words, 3) if c.words else 0.0,
        "unfamiliar_per_100_words": round(c.unfamiliar * per100, 2),
        "statistical_per_100_words": round(c.statistical * per100, 2),
        "acronyms_per_100_words": round(c.acronyms * per100, 2),
        "short_text": c.words < settings.short_text_words,
        "errors": sum(1 for f in findings if f.severity == "error" and not f.waived_by),
        "warnings": sum(1 for f in findings if f.severity == "warning" and not f.waived_by),
    }
