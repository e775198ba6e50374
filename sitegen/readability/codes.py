"""The readability diagnostic codes, declared once: SARIF rules, docs and tests read this table.

Codes never change meaning once published; ``CODES.md`` lists each with its fix (a test checks
that the two agree).
"""

from __future__ import annotations

from typing import NamedTuple

from sitegen.readability.clarity import FIXES as CLARITY_FIXES
from sitegen.readability.clarity import ITEMS


class Code(NamedTuple):
    """One diagnostic code: its rule name, what it means and how to fix it."""

    code: str
    rule: str
    summary: str
    fix: str


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("RD001", "grade", "page grade over the limit (block) or the target (warn)",
             "Shorten sentences, swap long or rare words for everyday ones, drop statistics "
             "and abbreviations, or have a reviewer sign off with --waive RD001."),
        Code("RD002", "long-sentence", "sentence longer than max_sentence_words",
             "Split the sentence in two, or turn a list of things into bullet points."),
        Code("RD003", "passive", "passive voice (a form of 'to be' + past participle)",
             "Say who does it: 'we will check your blood', not 'your blood will be checked'."),
        Code("RD004", "grade", "section grade over the limit",
             "Rewrite the hardest sentences of that section (see its RD002/JG findings)."),
        Code("RD005", "settings", "a page's own target or limit looser than the site's",
             "Remove it, or have a reviewer sign the page off: the looser setting applies "
             "only then, and the reports say who allowed it."),
        Code("RD006", "garbled", "words that do not make a sentence ('the the', 'the how')",
             "Rewrite the sentence so it reads as one: plain words pasted in need the sentence "
             "around them rewritten too."),
        Code("RD007", "grade", "a page padded with headings, fragments or garbled text",
             "Write the page in full sentences: its grade is taken on those."),
        Code("JG001", "jargon", "dictionary term that has a plain replacement",
             "Use the suggested plain words instead."),
        Code("JG002", "jargon", "dictionary term used without an explanation at first use",
             "Explain it where it first appears: 'placebo (a dummy medicine with no drug in "
             "it)', or link it to the site glossary."),
        Code("JG003", "acronym", "abbreviation not spelled out at first use (WCAG 3.1.4)",
             "Write the full words first, then the abbreviation in brackets: "
             "'computed tomography (CT)'."),
        Code("JG004", "latin", "Latin abbreviation (e.g., i.e., etc., vs., viz., cf., et al.)",
             "Say it in words: 'for example', 'that is', 'and so on', 'compared with'."),
        Code("JG005", "rare-word", "rare word (wordfreq Zipf frequency below rare_word_zipf)",
             "Use a more common word, or explain the word where it is used."),
        Code("JG006", "glossary", "glossary file problem (unreadable file or entry)",
             "Fix the YAML file named in the message; see data/README.md for the schema."),
        Code("PH001", "placeholder", "hint text from the page template left in the page",
             "Write the real text for this study in place of the hint."),
        Code("PH002", "placeholder", "filler text (lorem ipsum)",
             "Write the real text in its place."),
        Code("PH003", "placeholder", "to-do marker: TODO, TBD, XXX, [insert ...], {{ ... }}",
             "Finish the text and remove the marker."),
        Code("PH004", "empty", "a heading with no text under it, or a page with no text",
             "Write what a patient needs to know there, or delete the heading."),
        Code("PH005", "placeholder", "front-matter value still the template's example",
             "Write the real value (condition, contact, registry number) for this study."),
        Code("CP001", "completeness", "a question patients ask has no section on the page",
             "Add the section the message names (site.yml 'completeness' sets which ones)."),
        Code("CC000", "clarity", "clear-communication score below clarity_min",
             "Fix the failed items listed (CC001-CC015), see docs/clear-communication.md."),
        *(Code(i.code, i.name, i.title, CLARITY_FIXES[i.code]) for i in ITEMS.values()),
        Code("PR001", "promotional", "promotional or coercive wording",
             "Describe the study neutrally: no promises of cure or safety, no 'free' or "
             "'new treatment' claims, no pressure, no exclamation marks about payment."),
    )
}  # fmt: skip
