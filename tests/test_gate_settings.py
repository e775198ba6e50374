"""The gate's own settings are not a way around it: a page can tighten its target and limit,
loosen them only with a reviewer's sign-off (shown as RD005), and every number is finite
and in range, in front matter and in ``site.yml``."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_site import run, write_site

from sitegen.build.pipeline import check_page, load_page
from sitegen.content.config import load_config
from sitegen.readability import GateSettings, Signoff, check_document, text_hash

#: about grade 11: blocked at the default limit of 10
HARD = (
    "## What is this study about?\n\n"
    "This study tests whether an extra medication taken every morning improves blood "
    "sugar control in adults whose diabetes remains difficult to manage despite their current "
    "treatment. Participants complete laboratory examinations, questionnaires and regular "
    "physical examinations throughout the observation period at the hospital. Researchers "
    "compare measurements between treatment groups using standardised statistical methods. "
    "Nurses document physiological observations comprehensively throughout.\n"
)


def _check(settings: GateSettings):  # type: ignore[no-untyped-def]
    return check_document("p.md", HARD, 1, [], settings=settings)


def test_a_page_cannot_loosen_its_own_limit() -> None:
    base = _check(GateSettings())
    assert base.verdict == "block" and base.grade > 10
    own = _check(GateSettings(page_limit=20))
    assert own.verdict == "block"  # the site's 10 still applies
    assert own.limit == 10
    rd005 = [f for f in own.findings if f.code == "RD005"]
    assert len(rd005) == 1 and rd005[0].severity == "warning"
    assert "20 is looser than the site's 10" in rd005[0].message


def test_a_page_can_tighten_its_own_limit() -> None:
    check = check_document("p.md", "You can join. We will call you.\n" * 20, 1, [],
                           settings=GateSettings(page_target=3, page_limit=4))  # fmt: skip
    assert (check.target, check.limit) == (3, 4)
    assert not [f for f in check.findings if f.code == "RD005"]


def test_loosening_applies_with_a_sign_off_of_the_setting_itself() -> None:
    facts = [("readability.limit", "20")]
    settings = GateSettings(page_limit=20)
    signoff = Signoff("R. Reviewer", "2026-01-02", text_hash(HARD, [], facts), accepted=())
    check = check_document("p.md", HARD, 1, [], settings=settings, signoff=signoff, facts=facts)
    assert check.limit == 20 and check.verdict == "pass"
    rd005 = [f for f in check.findings if f.code == "RD005"]
    assert rd005[0].severity == "note" and "R. Reviewer" in rd005[0].message
    # the writer raises the limit again after the sign-off: the review re-opens
    facts19 = [("readability.limit", "19")]
    higher = check_document("p.md", HARD, 1, [], settings=GateSettings(page_limit=19),
                            signoff=signoff, facts=facts19)  # fmt: skip
    assert higher.verdict == "block" and higher.limit == 10
    # a sign-off that only waives single findings does not loosen the gate
    waiver = Signoff("R. Reviewer", "2026-01-02", text_hash(HARD, [], facts))
    only = check_document("p.md", HARD, 1, [], settings=settings, signoff=waiver, facts=facts)
    assert only.limit == 10 and only.verdict == "block"


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("{limit: .nan}", "readability.limit: nan is not a real number"),
        ("{limit: .inf}", "readability.limit: inf is not a real number"),
        ("{target: -.inf}", "readability.target: -inf is not a real number"),
        ("{limit: -3}", "readability.limit: -3.0 is outside the range 1 to 20"),
    ],
)
def test_front_matter_numbers_are_finite_and_in_range(
    tmp_path: Path, override: str, expected: str
) -> None:
    root = write_site(tmp_path / "site")
    rel = "content/pages/own-limit.md"
    (root / rel).write_text(
        f"---\ntitle: Our team\nreadability: {override}\n---\n\nWe run health studies.\n",
        encoding="utf-8",
    )
    config, _ = load_config(root)
    assert config is not None
    page, diags = load_page(rel, "page", root / rel, config)
    assert page is None
    assert [(d.line, d.code) for d in diags] == [(3, "FM012")]
    assert expected in diags[0].message


@pytest.mark.parametrize(
    ("yml", "expected"),
    [
        ("readability:\n  limit: .nan\n", "site.yml:2:10: error: readability.limit: nan"),
        ("readability:\n  rare_word_zipf: .inf\n", "readability.rare_word_zipf: inf is not"),
        ("readability:\n  target: -1\n", "readability.target: -1.0 is outside the range"),
        ("max_file_kb: -5\n", "max_file_kb: -5 is outside the range"),
    ],
)
def test_site_numbers_are_finite_and_in_range(tmp_path: Path, yml: str, expected: str) -> None:
    root = write_site(tmp_path / "site", {"site.yml": "title: Test\n" + yml})
    r = run("check", cwd=root)
    assert r.returncode == 1
    assert expected.replace(":2:", ":3:") in r.stderr + r.stdout
    assert "Traceback" not in r.stderr


def test_negative_ages_are_refused(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    rel = "content/studies/walking-study.md"
    age = "eligibility:\n  age_min: -5\nconditions:"
    text = (root / rel).read_text().replace("conditions:", age)
    (root / rel).write_text(text)
    config, _ = load_config(root)
    assert config is not None
    page, diags = load_page(rel, "study", root / rel, config)
    assert page is None and [d.code for d in diags] == ["FM012"]


def test_the_example_pages_own_settings_still_apply(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    rel = "content/pages/about.md"
    text = (root / rel).read_text().replace("order: 1", "order: 1\nreadability: {limit: 20}")
    (root / rel).write_text(text)
    config, _ = load_config(root)
    assert config is not None
    page, _ = load_page(rel, "page", root / rel, config)
    assert page is not None
    check = check_page(page, config, root)
    assert check.limit == config.readability.limit
    assert [f.code for f in check.findings if f.code == "RD005"] == ["RD005"]


def test_approve_lets_a_looser_limit_apply_until_it_changes(tmp_path: Path) -> None:
    from sitegen.commands.approve import approve

    root = write_site(tmp_path / "site")
    rel = "content/pages/own-limit.md"
    head = "---\ntitle: Our tests\nreadability: {limit: 20}\n---\n\n"
    (root / rel).write_text(head + HARD, encoding="utf-8")
    config, _ = load_config(root)
    assert config is not None

    def check():  # type: ignore[no-untyped-def]
        page, diags = load_page(rel, "page", root / rel, config)
        assert page is not None, diags
        return check_page(page, config, root)

    before = check()
    assert before.limit == 10 and before.verdict == "block"
    message, diags = approve(root, config, rel, by="R. Reviewer", date="2026-01-02")
    assert message is not None, diags
    after = check()
    assert after.limit == 20 and after.signoff_state == "approved"
    [rd005] = [f for f in after.findings if f.code == "RD005"]
    assert rd005.severity == "note" and "R. Reviewer on 2026-01-02" in rd005.message
    # the writer raises it again: the sign-off no longer covers the page, the site's 10 applies
    (root / rel).write_text((root / rel).read_text().replace("limit: 20", "limit: 19"))
    again = check()
    assert again.limit == 10 and again.verdict == "block"
