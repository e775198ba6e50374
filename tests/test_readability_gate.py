"""The gate verdict: grade limits, errors, sign-offs, waivers and the text hash."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.readability import (
    GateSettings,
    ProseField,
    Signoff,
    Waiver,
    check_document,
    make_glossary,
    text_hash,
)
from sitegen.readability.formats import page_diagnostics
from sitegen.readability.jargon import read_entries

FIXTURES = Path(__file__).parent / "fixtures" / "readability"
EN = make_glossary(read_entries(FIXTURES / "jargon.en.yml", "en")[0])
PLAIN = (FIXTURES / "plain" / "diabetes-app.md").read_text(encoding="utf-8")
HARD = (
    "Pharmacokinetic parameters demonstrated considerable interindividual variability, "
    "necessitating individualized dosing algorithms incorporating hepatic and renal "
    "function assessments. "
) * 4
JARGON = PLAIN + "\nYou will be randomized into one of two groups.\n"


def check(body: str, **kw: object):
    return check_document("content/studies/x.md", body, 1, [], glossary=EN, **kw)


def rd001(c) -> list[str]:
    return [d.format() for d in page_diagnostics(c) if d.code == "RD001"]


def test_plain_page_passes_without_a_verdict_line() -> None:
    c = check(PLAIN)
    assert (c.verdict, c.signoff_state, rd001(c)) == ("pass", "none", [])


def test_grade_over_limit_blocks() -> None:
    c = check(HARD)
    assert c.verdict == "block"
    assert c.stats["words"] >= 50 and c.grade > 10
    assert rd001(c) == [
        f"content/studies/x.md: error: grade {c.grade:g} (target 8, limit 10): blocked: "
        f"reading grade {c.grade:g}, limit 10 [RD001]"
    ]


def test_grade_over_target_warns() -> None:
    c = check(PLAIN, settings=GateSettings(target=5, limit=12))
    assert c.verdict == "warn"
    assert rd001(c) == [
        f"content/studies/x.md: warning: grade {c.grade:g} (target 5, limit 12): over target "
        "[RD001]"
    ]


def test_error_finding_blocks_even_with_a_good_grade() -> None:
    c = check(JARGON)
    assert c.verdict == "block" and c.grade <= 8
    assert rd001(c)[0].endswith("): blocked: 1 word to replace [RD001]")


def test_warning_finding_warns() -> None:
    c = check(PLAIN + "\nYou may get a placebo, e.g. a sugar pill.\n")
    assert c.verdict == "warn"
    assert rd001(c)[0].endswith("): within target; 1 warning [RD001]")


def test_short_pages_are_not_blocked_on_grade_alone() -> None:
    c = check("Pharmacokinetic parameters demonstrated interindividual variability.")
    assert c.verdict == "warn" and c.grade > 10
    assert rd001(c)[0].endswith("over the limit, but only 5 words: not blocked [RD001]")


def signoff(body: str, *waivers: Waiver, by: str = "Dr Lee") -> Signoff:
    """Single waivers only: the page is not signed off as a whole."""
    return Signoff(by, "2025-01-10", text_hash(body, []), tuple(waivers))


def whole(body: str, by: str = "Dr Lee", role: str = "", **counts: int) -> Signoff:
    """A sign-off of the whole page that accepts what ``check(body)`` finds now."""
    c = check(body)
    found: dict[str, int] = {}
    for f in c.findings:
        if f.severity in ("error", "warning"):
            found[f.code] = found.get(f.code, 0) + 1
    found.update(counts)
    return Signoff(by, "2025-01-10", text_hash(body, []), (), role, tuple(sorted(found.items())))


def test_grade_over_limit_blocks_and_says_why() -> None:
    c = check(HARD)
    assert c.reason == f"blocked: reading grade {c.grade:g}, limit 10"


def test_error_finding_blocks_and_says_how_many_words_to_replace() -> None:
    c = check(JARGON + "Randomized again.\n")
    assert c.reason == "blocked: 2 words to replace"


def test_whole_page_signoff_accepts_every_current_finding() -> None:
    body = HARD + "\nYou will be randomized.\n"
    c = check(body, signoff=whole(body, role="patient"))
    assert (c.verdict, c.signoff_state) == ("pass", "approved")
    assert c.reason == "signed off by Dr Lee (patient) on 2025-01-10"
    assert all(f.waived_by for f in c.findings if f.severity != "note" and f.code != "RD001")
    assert rd001(c) == [
        f"content/studies/x.md: note: grade {c.grade:g} (target 8, limit 10): signed off by "
        "Dr Lee (patient) on 2025-01-10 [RD001]"
    ]


def test_findings_beyond_what_was_accepted_still_block() -> None:
    body = JARGON + "Randomized again.\n"
    c = check(body, signoff=whole(body, JG001=1))
    assert c.verdict == "block" and c.signoff_state == "approved"
    assert c.reason.startswith("blocked: 1 word to replace; signed off by Dr Lee")
    assert c.reason.endswith("but new findings since")


def test_required_roles_must_all_sign() -> None:
    s1 = whole(HARD, by="Ana", role="patient")
    c = check(HARD, signoff=[s1], required_roles=("patient", "clinical"))
    assert c.verdict == "block" and c.missing_roles == ("clinical",)
    assert c.reason.endswith("signed off by Ana (patient) on 2025-01-10, still to sign: clinical")
    s2 = whole(HARD, by="Dr Bo", role="clinical")
    c = check(HARD, signoff=[s1, s2], required_roles=("patient", "clinical"))
    assert (c.verdict, c.missing_roles) == ("pass", ())
    assert [s.who for s in c.signers] == ["Ana (patient)", "Dr Bo (clinical)"]


def test_waivers_accept_single_findings_without_signing_the_page() -> None:
    body = HARD + "\nYou will be randomized.\n"
    s = signoff(body, Waiver("RD001", "", "agreed with the ethics committee"),
                Waiver("JG001", "Randomized", "term explained at the visit"))  # fmt: skip
    c = check(body, signoff=s)
    assert c.signoff_state == "none" and c.verdict != "block"
    jg = [f for f in c.findings if f.code == "JG001"]
    assert [f.waived_by for f in jg] == ["term explained at the visit"]
    lines = [d.format() for d in page_diagnostics(c)]
    assert "content/studies/x.md:2:13: note: jargon \"randomized\": say \"chosen by chance\" " \
           "(waived: term explained at the visit) [JG001]" in lines  # fmt: skip
    assert "grade waived by Dr Lee: agreed with the ethics committee" in c.reason


def test_waivers_without_the_grade_still_block() -> None:
    c = check(HARD, signoff=signoff(HARD, Waiver("RD003", "", "fine")))
    assert (c.verdict, c.signoff_state) == ("block", "none")


def test_unwaived_errors_still_block() -> None:
    s = signoff(JARGON, Waiver("JG001", "double-blind", "not on this page"))
    c = check(JARGON, signoff=s)
    assert c.verdict == "block"
    assert c.reason == "blocked: 1 word to replace"


def test_changed_text_voids_the_signoff() -> None:
    s = whole(HARD)
    c = check(HARD + "\nOne more sentence here.\n", signoff=s)
    assert (c.verdict, c.signoff_state) == ("block", "changed")
    assert all(not f.waived_by for f in c.findings)
    assert rd001(c) == [
        f"content/studies/x.md: error: grade {c.grade:g} (target 8, limit 10): blocked: reading "
        f"grade {c.grade:g}, limit 10; the sign-off by Dr Lee on 2025-01-10 no longer matches "
        "the text [RD001]"
    ]
    p = check(PLAIN, signoff=signoff("old text"))
    assert (p.verdict, p.signoff_state) == ("pass", "changed")
    assert rd001(p)[0].startswith("content/studies/x.md: note: grade")


def test_waiver_without_text_covers_every_finding_of_its_code() -> None:
    body = JARGON + "Randomized again, randomised twice.\n"
    c = check(body, signoff=signoff(body, Waiver("JG001", "", "fine here")))
    assert c.verdict != "block"
    assert {f.waived_by for f in c.findings if f.code == "JG001"} == {"fine here"}


def test_draft_pages_get_an_honest_verdict() -> None:
    c = check(HARD, draft=True)
    assert c.draft is True and c.verdict == "block"


def test_text_hash_normalises_whitespace_only() -> None:
    fields = [ProseField("title", "A  study", 2, 9), ProseField("summary", "It helps.", 3, 11)]
    h = text_hash("Line one.\n\n\nLine  two.  \n", fields)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", h)
    assert h == text_hash("Line one.\n\nLine two.\n", list(reversed(fields)))
    moved = [ProseField("summary", "It helps.", 9, 1), ProseField("title", "A study", 1, 1)]
    assert h == text_hash("Line one.\r\n\r\nLine two.", moved)
    assert h != text_hash("Line one.\n\nLine three.\n", fields)
    assert h != text_hash("Line one. Line two.\n", fields)
    assert h != text_hash("Line one.\n\nLine two.\n", fields[:1])


@pytest.mark.parametrize("verdict_body", [PLAIN, HARD, JARGON])
def test_page_hash_is_the_public_text_hash(verdict_body: str) -> None:
    assert check(verdict_body).text_hash == text_hash(verdict_body, [])
