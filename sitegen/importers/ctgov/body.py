"""The draft study page's Markdown body: the patient sections of ``docs/content-model.md``
in order, pre-filled with what the record says (who can take part, the groups, the design,
the sites, how to join) and a ``<!-- write: ... -->`` prompt where the writer has to write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sitegen.content.model import OPEN_STATUSES, Design
from sitegen.i18n import catalogue
from sitegen.importers.ctgov.markdown import blocks_markdown, md_escape
from sitegen.importers.ctgov.protocol import Arm
from sitegen.importers.ctgov.text import unique
from sitegen.importers.ctgov.vocabulary import REGISTRY_URL
from sitegen.render.facts import masking_sentence


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _age_years(age: str) -> float:
    value, unit = age.split(" ", 1)
    per_year = {"year": 1.0, "month": 12.0, "week": 52.1775, "day": 365.2425}
    return int(value) / per_year[unit.rstrip("s")]


def who_sentence(eligibility: dict[str, Any]) -> str:
    """One plain sentence from the ages, sex and healthy-volunteer facts."""
    age_min = eligibility.get("age_min")
    age_max = eligibility.get("age_max")
    sex = eligibility.get("sex", "all")
    if age_min and age_max:
        low_value, low_unit = age_min.split(" ", 1)
        high_unit = age_max.split(" ", 1)[1]
        same_unit = low_unit.rstrip("s") == high_unit.rstrip("s")
        ages = f"aged {low_value} to {age_max}" if same_unit else f"aged {age_min} to {age_max}"
    elif age_min:
        ages = f"aged {age_min} and over"
    elif age_max:
        ages = f"aged up to {age_max}"
    else:
        ages = "of any age"
    child = age_min is None or _age_years(age_min) < 18
    adult = age_max is None or _age_years(age_max) >= 18
    if sex == "female":
        who = "Girls and women" if child and adult else ("Girls" if child else "Women")
    elif sex == "male":
        who = "Boys and men" if child and adult else ("Boys" if child else "Men")
    else:
        who = "People"
    sentence = f"{who} {ages} can take part."
    healthy = eligibility.get("healthy_volunteers")
    if healthy is True:
        sentence += " People without the condition (healthy volunteers) can also take part."
    elif healthy is False:
        sentence += " The study is not looking for healthy volunteers."
    return sentence


def render_body(front: dict[str, Any], brief_summary: str, arms: Sequence[Arm]) -> str:
    """The Markdown body: the patient sections of docs/content-model.md, in order."""
    status = front["status"]
    parts: list[str] = []

    parts.append("## What is this study about?")
    parts.extend(blocks_markdown(brief_summary))
    parts.append(
        "<!-- write: rewrite in plain words: why the research is needed and what is being "
        "tested, in 3 to 5 short paragraphs -->"
    )

    parts.append("## Who can take part?")
    parts.append(who_sentence(front.get("eligibility", {})))
    parts.append("The full list of who can and cannot join is shown below.")
    parts.append(
        "<!-- write: the list comes from eligibility.include and eligibility.exclude in the "
        "front matter; rewrite those in plain words -->"
    )

    parts.append("## What will happen if I take part?")
    if front.get("study_type") == "observational":
        parts.append("This study does not test a new treatment.")
    if arms:
        noun = "group" if len(arms) == 1 else "groups"
        parts.append(f"The study has {len(arms)} {noun}:")
        lines = []
        for arm in arms:
            label, description = md_escape(arm.label), md_escape(arm.description)
            lines.append(
                f"- {label}: {description}"
                if label and description
                else f"- {label or description}"
            )
        parts.append("\n".join(lines))
    design = front.get("design", {})
    if design.get("randomized"):
        parts.append("A computer decides by chance which group you are in.")
    if design.get("placebo"):
        parts.append(
            "Some people get a dummy treatment (placebo) that looks the same but has no "
            "medicine in it."
        )
    masking = masking_sentence(
        Design(masking=design.get("masking"), masked=tuple(design.get("masked") or ())),
        catalogue("en"),
    )
    if masking:
        parts.append(masking)
    parts.append(
        "<!-- write: the visits, tests and treatment, how long taking part lasts and what "
        "happens at the end -->"
    )

    parts.append("## What are the possible benefits and risks?")
    parts.append(
        "<!-- write: the possible benefits and the known side effects and risks, balanced and "
        "in plain words; say that taking part may not help you -->"
    )

    parts.append("## Where is the study happening?")
    sites = front.get("sites", [])
    countries = unique([s["country"] for s in sites if s.get("country")])
    if sites:
        noun = "site" if len(sites) == 1 else "sites"
        verb = {
            "completed": "took place",
            "terminated": "took place",
            "withdrawn": "was planned to take place",
        }.get(status, "is taking place")
        where = f" in {md_escape(_and_list(countries))}" if countries else ""
        parts.append(f"The study {verb} at {len(sites)} {noun}{where}.")
    else:
        parts.append("The registry does not list the study sites yet.")

    parts.append("## How do I find out more or join?")
    parts.extend(_join_section(front))
    return "\n\n".join(parts) + "\n"


def _join_section(front: dict[str, Any]) -> list[str]:
    status = front["status"]
    nct_id = front["nct_id"]
    out: list[str] = []
    contacts = front.get("contacts", [])
    if status in OPEN_STATUSES:
        if status == "not_yet_recruiting":
            out.append("The study is not open yet.")
        elif status == "enrolling_by_invitation":
            out.append("People take part in this study by invitation only.")
        if contacts:
            out.append("To ask about taking part, contact the study team:")
            out.append("\n".join(f"- {_contact_line(c)}" for c in contacts))
        elif any(s.get("contact") for s in front.get("sites", [])):
            out.append(
                "To ask about taking part, contact the study site nearest to you. "
                "The list of sites shows who to contact."
            )
        else:
            out.append("The registry does not list a contact for this study.")
        out.append(
            "You can also talk to your own doctor about whether this study is right for you."
        )
    elif status == "unknown":
        out.append("The registry has not confirmed recently whether this study is still running.")
    else:
        out.append("This study is not looking for new volunteers.")
    out.append(
        f"You can read the full record of this study on "
        f"[ClinicalTrials.gov ({nct_id})]({REGISTRY_URL}{nct_id})."
    )
    return out


def _contact_line(contact: dict[str, Any]) -> str:
    ways = []
    if contact.get("phone"):
        ways.append(f"phone {md_escape(contact['phone'])}")
    if contact.get("email"):
        ways.append(f"e-mail {md_escape(contact['email'])}")
    name = md_escape(contact.get("name", ""))
    if name and ways:
        return f"{name}: {', '.join(ways)}"
    return name or ", ".join(ways)
