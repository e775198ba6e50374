"""The jargon dictionary: loading, merging, caching and one-pass matching."""

from __future__ import annotations

import os
import random
import shutil
import string
import time
from pathlib import Path

import pytest

from sitegen.readability import Entry, load_glossary, make_glossary
from sitegen.readability.jargon import Matcher, inflections, read_entries, spellings

FIXTURES = Path(__file__).parent / "fixtures" / "readability"
EN = make_glossary(read_entries(FIXTURES / "jargon.en.yml", "en")[0])


def found(text: str, allow: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [(m.surface, m.entry.term) for m in EN.find(text, allow)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # inflections
        ("You will be randomized.", [("randomized", "randomized")]),
        ("We randomize, randomizing and randomization.",
         [("randomize", "randomized"), ("randomizing", "randomized"),
          ("randomization", "randomized")]),
        ("We titrated it; titration takes weeks.",
         [("titrated", "titrate"), ("titration", "titrate")]),
        ("Tumors and biopsies.", [("Tumors", "tumor"), ("biopsies", "biopsy")]),
        ("Two follow-ups.", [("follow-ups", "follow-up")]),
        # British and American spellings
        ("Participants were randomised.", [("randomised", "randomized")]),
        ("Randomisation is fair.", [("Randomisation", "randomized")]),
        ("Tumours, anaemia and oedema.",
         [("Tumours", "tumor"), ("anaemia", "anemia"), ("oedema", "edema")]),
        ("We analyse, analysed and analysing.",
         [("analyse", "analyze"), ("analysed", "analyze"), ("analysing", "analyze")]),
        # hyphen, space and no-space variants
        ("A double-blind study.", [("double-blind", "double-blind")]),
        ("A double blind study.", [("double blind", "double-blind")]),
        ("A Double - Blind study.", [("Double - Blind", "double-blind")]),
        ("A doubleblind study.", [("doubleblind", "double-blind")]),
        ("Follow up and followup.", [("Follow up", "follow-up"), ("followup", "follow-up")]),
        # multi-word terms, longest match first
        ("Serious adverse events were rare.",
         [("Serious adverse events", "serious adverse event")]),
        ("An adverse event.", [("adverse event", "adverse event")]),
        ("Prior to the visit.", [("Prior to", "prior to")]),
        # case-sensitive entries match their spelling (and a plural s) only
        ("A CT scan and two CTs.", [("CT", "CT"), ("CTs", "CT")]),
        ("A ct scan or Ct value.", []),
        ("People with NSCLC.", [("NSCLC", "NSCLC")]),
        # word boundaries and punctuation
        ("Double, blind.", []),
        ("Priority tumorous analyzer.", []),
        ("The randomizedness is odd.", []),
        # variants
        ("High BP is common.", [("High BP", "hypertension")]),
    ],
)  # fmt: skip
def test_matching(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_allow_list_skips_terms_case_insensitively() -> None:
    assert found("A placebo and a biopsy.", frozenset({"placebo"})) == [("biopsy", "biopsy")]
    assert found("Randomised groups.", frozenset({"randomised"})) == []


def test_inflection_and_spelling_generators() -> None:
    assert inflections("biopsy") >= {"biopsy", "biopsies"}
    assert inflections("randomized") >= {"randomize", "randomizing", "randomization"}
    assert "random" not in inflections("randomized")
    assert inflections("vertebra") >= {"vertebrae"}
    assert inflections("bilateral") >= {"bilaterally"}
    assert inflections("systemic") >= {"systemically"}
    assert inflections("titrate") >= {"titrated", "titrating", "titration"}
    assert inflections("ensayo", "es") >= {"ensayos"}
    assert spellings("hemoglobin") >= {"haemoglobin"}
    assert spellings("diarrhea") >= {"diarrhoea"}
    assert spellings("ae") == {"ae"}


def test_site_glossary_replaces_packaged_entries_with_the_same_term() -> None:
    g = load_glossary("en", [FIXTURES / "jargon.site.yml"])
    by_term = {e.term: e for e in g.entries}
    assert by_term["placebo"].kind == "replace"
    assert by_term["placebo"].plain == ("dummy medicine",)
    assert [m.entry.term for m in g.find("Our study visit windows are wide.")] == [
        "study visit window"
    ]


def test_glossary_problems_are_reported_not_raised(tmp_path: Path) -> None:
    entries, problems = read_entries(FIXTURES / "jargon.bad.yml", "en")
    assert [e.term for e in entries] == ["good term", "extra key"]
    assert [(p.code, p.message) for p in problems] == [
        ("JG006", "entry 2: missing 'term'"),
        ("JG006", "entry 3: 'odd kind': kind must be 'replace', 'explain' or 'rewrite'"),
        ("JG006", "entry 4: 'extra key': unknown key(s) colour"),
        ("JG006", "entry 5: not a mapping"),
    ]
    broken = tmp_path / "broken.yml"
    broken.write_text("entries: [unclosed\n", encoding="utf-8")
    g = load_glossary("en", [broken, tmp_path / "missing.yml"])
    messages = [p.message for p in g.problems]
    assert messages[0].startswith("cannot read glossary:")
    assert messages[1] == "glossary file not found"


def test_compiled_glossary_is_cached_until_a_file_changes(tmp_path: Path) -> None:
    site = tmp_path / "site.yml"
    shutil.copy(FIXTURES / "jargon.site.yml", site)
    first = load_glossary("en", [site])
    assert load_glossary("en", [site]) is first
    site.write_text(site.read_text(encoding="utf-8").replace("dummy medicine", "fake pill"))
    st = site.stat()
    os.utime(site, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    second = load_glossary("en", [site])
    assert second is not first
    assert {e.term: e for e in second.entries}["placebo"].plain == ("fake pill",)


def test_ten_thousand_entries_match_in_one_fast_pass() -> None:
    rnd = random.Random(7)

    def word() -> str:
        return "".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(6, 10)))

    entries = [Entry(word() + (" " + word() if i % 3 == 0 else ""), "replace", ("x",))
               for i in range(10_000)]  # fmt: skip
    matcher = Matcher(entries)
    targets = [entries[0].term, entries[1].term, entries[9_999].term]
    filler = ["the", "patient", "was", "given", "a", "dose"]
    text = " ".join(rnd.choice(filler + targets) for _ in range(2_000))
    matches = matcher.find(text)
    assert {m.entry.term for m in matches} == set(targets)
    assert sum(1 for m in matches if m.surface == targets[0]) == text.count(targets[0])
    # One walk over the text whatever the dictionary's size: matching against 10,000 entries
    # costs about what matching against the three that occur costs. Compared in one process
    # (best of five each), so a slow or busy machine slows both sides alike.
    small = Matcher([e for e in entries if e.term in targets])
    assert [(m.start, m.entry.term) for m in small.find(text)] == [
        (m.start, m.entry.term) for m in matches
    ]

    def best(m: Matcher) -> float:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            m.find(text)
            times.append(time.perf_counter() - t0)
        return min(times)

    assert best(matcher) < 3 * best(small) + 0.005


def test_packaged_dictionary_loads_if_present() -> None:
    g = load_glossary("en")
    assert g.lang == "en"
    assert all(p.code == "JG006" for p in g.problems)
