"""The checker's shortcuts give exactly what the straightforward code gives.

Each fast path (word splitting, the inline-markup pattern, the jargon matcher, counting a page
at once, the hint filters of the Latin and promotional rules) is compared on random text with
a plain reference implementation written out here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.readability import GateSettings, lexicon, make_glossary, spanish
from sitegen.readability import check as chk
from sitegen.readability import extract as ex
from sitegen.readability import inline as il
from sitegen.readability import rules as rl
from sitegen.readability import scores as sc
from sitegen.readability import sentences as sn
from sitegen.readability import text as tx
from sitegen.readability.jargon import _END, _JOIN, _TOKEN, JargonMatch, read_entries
from sitegen.readability.rules import context as rctx
from sitegen.readability.rules import latin_terms as rlatin
from sitegen.readability.rules import promotion as rpromo

FIXTURES = Path(__file__).parent / "fixtures" / "readability"
EN = make_glossary(read_entries(FIXTURES / "jargon.en.yml", "en")[0])
ES = make_glossary(read_entries(FIXTURES / "jargon.es.yml", "es")[0], "es")
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = [
    "randomized", "Randomised", "double-blind", "double blind", "placebo", "adverse events",
    "side effects", "blood pressure", "CT", "CTs", "NSCLC", "HbA1c", "MRI", "COVID-19", "e.g.",
    "E.G.", "eg.", "i.e.", "I. E.", "etc", "etc.", "vs", "vs.", "VS.", "viz.", "cf.", "et al.",
    "Dr.", "No. 5", "2.5 mg", "3,5", "50%", "<", "≥2", "J. Smith", "vitamin D.", "cure", "Cured",
    "safe", "SAFE", "completely safe", "ſafe", "İ", "ı", "K", "free treatment", "new drug",
    "breakthrough pain", "miracle", "guaranteed", "not guaranteed", "proven", "act now",
    "don't miss", "payment", "$", "!", "¡", "?", ".", "…", ",", ";", ":", "(", ")", "\"", "«",
    "»", "’", "'", "—", "-", "_", "a_b", "\\_", "&#95;", "[link](https://x.org/a)",
    "[glossary](/glossary/#placebo)", "![alt](i.png)", "`code`", "**bold**", "_it_", "\\*",
    "https://example.org/x", "www.example.org", "help@example.org", "+44 20 7946 0958",
    "NCT01234567", "2024-01-15", "<b>", "</b>", "<abbr title=\"t\">AB</abbr>", "&amp;", "|",
    "| a | b |", "|---|---|", "#", "## ", "- ", "* ", "1. ", "> ", "    ", "\t", "\xa0",
    "\u2003", "  ", "```", "~~~", "<div>", "<!--", "-->", "{: .x}", "\\\n", "was given",
    "is being tested", "is not usually treated", "are closely watched", "es evaluado",
    "fueron tratados", "lassitude", "tumour", "é", "ñ", "Ünïcödé", "PLEASE BRING YOUR LETTER",
    "PAST MEDICAL HISTORY", "the", "you", "will", "visit", "clinic", "We", "A", "study",
    "gratis", "milagro", "nuevo tratamiento", "actúe ahora", "totalmente seguro",
]  # fmt: skip
WORDS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=40)
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", ""])
TEXT = st.lists(st.tuples(st.sampled_from(PIECES) | st.text(max_size=5), SEPARATORS), max_size=40)
LINES = st.lists(WORDS.map(" ".join), max_size=12).map("\n".join)
#: inline constructs and what comes close to them
MARKUP = [
    "`", "``", "`code`", "<", ">", "<b>", "</b>", "<br>", "<abbr title='t'>", "</abbr>",
    "<!--", "-->", "<https://x.org>", "<a@b.org>", "[", "]", "(", ")", "[t](u)", "[t][r]",
    "![a](i.png)", "[^1]", "{: .x}", "{#id}", "&amp;", "&#95;", "&#x41;", "&", ";", "\\",
    "\\*", "\\_", "\\\n", "http://", "https://x.org/a_b)", "www.x.org", "ftp://f",
    "help@example.org", "a.b+c@d-e.fg", "@", "NCT01234567", "ISRCTN12345678",
    "2020-123456-12", "2024-01-15", "+44 20 7946 0958", "(020) 7946 0958", "555 0100", "12",
    "*", "**", "~~", "_", "__", "a_b", " ", "\n", "x", "Word", "é", "9",
]  # fmt: skip
MARKUP_TEXT = st.lists(st.sampled_from(MARKUP), max_size=30).map("".join)


def joined(parts: list[tuple[str, str]]) -> str:
    return "".join(a + b for a, b in parts)


# --------------------------------------------------------------------------- references


def ref_words(text: str, start: int = 0, end: int | None = None) -> list[tx.Word]:
    out = []
    end = len(text) if end is None else end
    for m in re.finditer(r"\S+", text[:end]):
        if m.start() < start:
            if m.end() <= start:
                continue
            raw, at = text[start : m.end()], start
        else:
            raw, at = m.group(), m.start()
        first = re.search(r"[^\W_]", raw)
        if first is None:
            continue
        a, b = first.start(), len(raw)
        while not raw[b - 1].isalnum():
            b -= 1
        out.append(tx.Word(at + a, at + b, raw[a:b], raw))
    return out


def ref_split(text: str, block: int = 0) -> list[tx.Sentence]:
    out: list[tx.Sentence] = []

    def add(start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        ws = ref_words(text, start, end)
        if ws:
            out.append(tx.Sentence(block, start, end, text[start:end], tuple(ws)))

    start = 0
    for m in sn._TERMINAL.finditer(text):
        if sn._ends_sentence(text, m):
            add(start, m.end())
            start = m.end()
    add(start, len(text))
    return out


def ref_find(matcher, text: str) -> list[JargonMatch]:
    spans = [(m.start(), m.end(), m.group().replace("’", "'")) for m in _TOKEN.finditer(text)]
    n = len(spans)
    out = []
    i = 0
    while i < n:
        best_j, best = -1, None
        for trie, fold in ((matcher.exact, False), (matcher.folded, True)):
            node = trie.get(spans[i][2].lower() if fold else spans[i][2])
            j = i
            while node is not None:
                entry = node.get(_END)
                if entry is not None and j > best_j:
                    best_j, best = j, entry
                if j + 1 >= n or not _JOIN.fullmatch(text, spans[j][1], spans[j + 1][0]):
                    break
                j += 1
                node = node.get(spans[j][2].lower() if fold else spans[j][2])
        if best is None:
            i += 1
            continue
        start, end = spans[i][0], spans[best_j][1]
        out.append(JargonMatch(start, end, best, text[start:end]))
        i = best_j + 1
    return out


def ref_count(s: tx.Sentence, lang: str, allow: frozenset[str], jargon: int) -> sc.Counts:
    """``count_sentence`` word by word, from the lexicons."""
    ws = s.words
    caps = [w.text.isalpha() and w.text.isupper() and len(w.text) > 1 for w in ws]
    alpha = sum(1 for w in ws if w.text.isalpha())
    loud: set[int] = set()
    if alpha >= 3 and sum(caps) * 2 > alpha:
        loud = set(range(len(ws)))
    elif sum(caps) >= 2:
        known = [
            c and lexicon.zipf(w.text.lower(), lang) >= 3.0 for c, w in zip(caps, ws, strict=True)
        ]
        for i, k in enumerate(known):
            for j in (i - 1, i + 1):
                if k and 0 <= j < len(ws) and known[j] and len(ws[j].text) >= 5:
                    loud.add(i)
    syl = poly = fog = dc = unfamiliar = stat = acr = rarity = style = 0
    for i, w in enumerate(ws):
        n = lexicon.token_syllables(w.text, lang)
        hard = lexicon.key(w.text).lower() not in lexicon.easy_words(lang)
        acronym = sc.is_acronym(w.text, lang)
        syl += n
        dc += hard
        poly += n >= 3
        fog += hard and n >= 3
        if sc.is_statistical(w.raw):
            stat += 1
        elif acronym:
            acr += i not in loud and w.text.casefold() not in allow
        elif sc._ALPHA_WORD.fullmatch(w.text):
            familiar = lexicon.familiarity(w.text.lower().replace("’", "'"), lang)
            unfamiliar += familiar < sc.UNFAMILIAR_ZIPF
            if lang == "es" and familiar < sc.RARITY_ZIPF:
                rarity += round(100 * (sc.RARITY_ZIPF - familiar))
            if lang == "es":
                style += spanish.style_points(w.text.lower().replace("’", "'"))
    letters = len(re.sub(r"\W+", "", s.text))
    return sc.Counts(
        len(ws), 1, syl, letters, poly, fog, dc, unfamiliar, stat, acr, jargon, rarity, style
    )


def context(body: str, lang: str = "en", glossary=EN) -> rl.Context:
    prose = ex.extract(body, 1, [])
    by_block = defaultdict(list)
    for s in prose.sentences:
        by_block[s.block].append(s)
    jargon = rl.jargon_matches(prose, glossary)
    return rl.Context(prose, lang, GateSettings(), glossary, jargon, by_block)


# --------------------------------------------------------------------------- the tests


@FAST
@given(parts=TEXT, cut=st.tuples(st.integers(0, 400), st.integers(0, 400)))
def test_words_and_sentences_match_the_reference(parts, cut) -> None:
    text = joined(parts)
    assert sn.words(text) == ref_words(text)
    start, end = min(cut), min(max(cut), len(text))
    assert sn.words(text, start, end) == ref_words(text, start, end)
    assert sn.split_sentences(text, 3) == ref_split(text, 3)


@settings(max_examples=300, deadline=None)
@given(text=MARKUP_TEXT | TEXT.map(joined))
def test_inline_pattern_finds_what_the_full_pattern_finds(text: str) -> None:
    rx = il._inline_pattern(text)
    fast = [(m.span(), m.lastgroup, m.group()) for m in rx.finditer(text)] if rx else []
    full = [(m.span(), m.lastgroup, m.group()) for m in il._INLINE.finditer(text)]
    assert fast == full


@FAST
@given(parts=TEXT)
def test_matcher_finds_what_the_token_walk_finds(parts) -> None:
    text = joined(parts)
    for glossary in (EN, ES):
        assert glossary.matcher.find(text) == ref_find(glossary.matcher, text)
    assert EN.matcher.find(text.upper()) == ref_find(EN.matcher, text.upper())


@FAST
@given(body=LINES, lang=st.sampled_from(["en", "es"]))
def test_page_and_section_counts_add_up_sentence_by_sentence(body: str, lang: str) -> None:
    prose = ex.extract(body, 1, [])
    allow = frozenset({"ct", "nsclc"})
    glossary = EN if lang == "en" else ES
    jargon = rl.jargon_matches(prose, glossary, allow)
    rows = []
    for s in prose.sentences:
        n = sum(1 for m in jargon[s.block] if s.start <= m.start < s.end)
        rows.append(ref_count(s, lang, allow, n))
        assert sc.count_sentence(s, lang, allow, n) == rows[-1]
    page, sections = chk.count_page(prose, lang, allow, jargon)
    assert page == sum(rows, sc.Counts())
    assert chk.count_prose(prose, lang, allow, jargon) == rows
    expected = [sc.Counts() for _ in prose.sections]
    for s, row in zip(prose.sentences, rows, strict=True):
        if prose.blocks[s.block].section >= 0:
            expected[prose.blocks[s.block].section] += row
    assert sections == expected


def unfiltered_latin(ctx: rl.Context) -> list[tuple[int, int, int, str]]:
    """(block, start, end, abbreviation) of every Latin abbreviation, block by block."""
    full = re.compile("|".join(f"(?P<l{i}>{p})" for i, (p, *_) in enumerate(rlatin._LATIN)), re.I)
    return [
        (i, m.start(), m.end(), rlatin._LATIN[int(m.lastgroup[1:])][1])  # type: ignore[index]
        for i, b in enumerate(ctx.prose.blocks)
        for m in full.finditer(b.text)
    ]


@FAST
@given(body=LINES, lang=st.sampled_from(["en", "es"]))
def test_hint_filters_skip_nothing(body: str, lang: str) -> None:
    glossary = EN if lang == "en" else ES
    ctx = context(body, lang, glossary)
    assert [(h.block, h.start, h.end, h.key) for h in rlatin.latin(ctx)] == unfiltered_latin(ctx)
    filtered = rpromo.promotional(ctx)
    saved = rpromo._PROMO
    try:
        rpromo._PROMO = {k: tuple(p._replace(hints=()) for p in t) for k, t in saved.items()}
        unfiltered = rpromo.promotional(context(body, lang, glossary))
    finally:
        rpromo._PROMO = saved
    assert filtered == unfiltered


def test_fold_lowers_every_case_variant_of_an_ascii_letter() -> None:
    letters = re.compile("[a-z]", re.I)
    text = "".join(map(chr, range(0x80, 0x110000)))
    for ch in letters.findall(text):  # the few non-ASCII characters re.I equates with a-z
        (letter,) = [a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(a, ch, re.I)]
        assert rctx.fold(ch) == letter, hex(ord(ch))
    assert rctx.fold("SAFE İı ſ K") == "safe ii s k"


def test_promotional_hints_are_in_every_match() -> None:
    text = " ".join(PIECES + [p.upper() for p in PIECES] + [p.title() for p in PIECES])
    for table in rpromo._PROMO.values():
        for promo in table:
            for m in promo.pattern.finditer(text):
                assert any(h in rctx.fold(m.group()) for h in promo.hints), (promo, m.group())


def test_syllable_table_matches_textstats_dictionary_word_for_word() -> None:
    from textstat.backend.utils import get_cmudict

    reference = get_cmudict("en")
    assert reference is not None
    table = lexicon.cmu_syllables()
    assert table.keys() == reference.keys()
    expected = {w: sum(1 for p in ph[0] if p[-1].isdigit()) for w, ph in reference.items()}
    assert table == expected
    assert lexicon.syllables("asthma") == expected["asthma"] == 2
