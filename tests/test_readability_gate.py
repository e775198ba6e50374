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
    return [d.format() for d in c.diagnostics() if d.code == "RD001"]


def test_plain_page_passes_without_a_verdict_line() -> None:
    c = check(PLAIN)
    assert (c.verdict, c.signoff_state, rd001(c)) == ("pass", "none", [])


def test_grade_over_limit_blocks() -> None:
    c = check(HARD)
    assert c.verdict == "block"
    assert c.stats["words"] >= 50 and c.grade > 10
    assert rd001(c) == [
        f"content/studies/x.md: error: grade {c.grade:g} (target 8, limit 10): blocked [RD001]"
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
    assert rd001(c)[0].endswith("): blocked by 1 error [RD001]")


def test_warning_finding_warns() -> None:
    c = check(PLAIN + "\nYou may get a placebo, e.g. a sugar pill.\n")
    assert c.verdict == "warn"
    assert rd001(c)[0].endswith("): within target; 1 warning [RD001]")


def test_short_pages_are_not_blocked_on_grade_alone() -> None:
    c = check("Pharmacokinetic parameters demonstrated interindividual variability.")
    assert c.verdict == "warn" and c.grade > 10
    assert rd001(c)[0].endswith("over the limit, but only 5 words: not blocked [RD001]")


def signoff(body: str, *waivers: Waiver, by: str = "Dr Lee") -> Signoff:
    return Signoff(by, "2025-01-10", text_hash(body, []), tuple(waivers))


def test_approved_signoff_with_waivers_passes_and_keeps_findings() -> None:
    body = HARD + "\nYou will be randomized.\n"
    s = signoff(body, Waiver("RD001", "", "agreed with the ethics committee"),
                Waiver("JG001", "Randomized", "term explained at the visit"))  # fmt: skip
    c = check(body, signoff=s)
    assert (c.verdict, c.signoff_state) == ("pass", "approved")
    jg = [f for f in c.findings if f.code == "JG001"]
    assert [f.waived_by for f in jg] == ["term explained at the visit"]
    lines = [d.format() for d in c.diagnostics()]
    assert "content/studies/x.md:2:13: note: jargon \"randomized\": say \"chosen by chance\" " \
           "(waived: term explained at the visit) [JG001]" in lines  # fmt: skip
    assert rd001(c) == [
        f"content/studies/x.md: note: grade {c.grade:g} (target 8, limit 10): approved (signed off "
        "by Dr Lee on 2025-01-10; grade waived: agreed with the ethics committee) [RD001]"
    ]


def test_approved_signoff_without_grade_waiver_still_blocks() -> None:
    c = check(HARD, signoff=signoff(HARD))
    assert (c.verdict, c.signoff_state) == ("block", "approved")
    assert rd001(c)[0].endswith(
        "blocked; signed off by Dr Lee on 2025-01-10, but the grade (RD001) not waived [RD001]"
    )


def test_unwaived_errors_still_block_an_approved_page() -> None:
    s = signoff(JARGON, Waiver("JG001", "double-blind", "not on this page"))
    c = check(JARGON, signoff=s)
    assert c.verdict == "block"
    assert "but 1 error not waived" in rd001(c)[0]


def test_approved_signoff_turns_warnings_into_a_pass() -> None:
    body = PLAIN + "\nYou may get a placebo.\n"
    c = check(body, signoff=signoff(body))
    assert (c.verdict, c.signoff_state) == ("pass", "approved")


def test_changed_text_voids_the_signoff() -> None:
    s = signoff(HARD, Waiver("RD001", "", "agreed"))
    c = check(HARD + "\nOne more sentence here.\n", signoff=s)
    assert (c.verdict, c.signoff_state) == ("block", "changed")
    assert all(not f.waived_by for f in c.findings)
    assert rd001(c) == [
        f"content/studies/x.md: error: grade {c.grade:g} (target 8, limit 10): blocked; the "
        "approval by Dr Lee on 2025-01-10 no longer matches the text [RD001]"
    ]
    p = check(PLAIN, signoff=signoff("old text"))
    assert (p.verdict, p.signoff_state) == ("pass", "changed")
    assert rd001(p)[0].startswith("content/studies/x.md: note: grade")


def test_waiver_without_text_covers_every_finding_of_its_code() -> None:
    body = JARGON + "Randomized again, randomised twice.\n"
    c = check(body, signoff=signoff(body, Waiver("JG001", "", "fine here")))
    assert c.verdict == "pass"
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
