"""The texts ``sitegen new`` writes into a new draft: field hints, example values, the
standard patient sections with their hints, and the placeholders of required fields.

They live here, below the checker's callers, because the readability gate must refuse every one
of them on a page that would reach a patient (``placeholder_texts``, PH001/PH005), and the
pipeline that runs the gate must not import the ``new`` command.
"""

from __future__ import annotations

import json
from typing import Any

#: one-line hints for fields (dotted front-matter names); others get one made from the model
HINTS: dict[str, str] = {
    "title": "the plain title a patient reads (80 characters at most)",
    "summary": "one or two short sentences: what the page is about, who it is for",
    "status": "one of: {choices}",
    "conditions": "the health problems the study is about, in everyday words",
    "nct_id": "the registry number, NCT followed by 8 digits",
    "other_ids": "other registry and sponsor numbers",
    "registry_title": "the official title from the registry; shown small, never scored",
    "acronym": "the study's short name, 14 characters at most",
    "slug": "the web address of the page; default: the file name",
    "lang": "language of the page: {choices}",
    "study_type": "one of: {choices}",
    "phase": "a list of: {choices}",
    "design": "how the study is set up",
    "design.masking": "who does not know which group a person is in: {choices}",
    "interventions": "each treatment, device or procedure tested",
    "interventions.name": "the name used in the study",
    "interventions.type": "one of: {choices}",
    "interventions.plain": "what it is, in plain words",
    "eligibility": "who can take part",
    "eligibility.age_min": 'youngest age, e.g. "18 years" or "6 months"',
    "eligibility.age_max": 'oldest age, e.g. "70 years"',
    "eligibility.include": 'short plain sentences: "You may be able to join if ..."',
    "eligibility.exclude": 'short plain sentences: "You cannot join if ..."',
    "eligibility.questions": "yes/no questions for the pre-screener",
    "participation": "what taking part involves",
    "participation.duration": 'how long a person takes part, e.g. "About 6 months"',
    "participation.remote": "what can be done from home, by phone or video",
    "support": "payment, travel costs and other help, stated plainly",
    "enrollment": "how many people the study needs",
    "dates": "key dates, YYYY-MM-DD or YYYY-MM",
    "sponsor": "who runs or pays for the study",
    "sites": "the places where the study happens",
    "contacts": "the study team people can call or e-mail",
    "why_stopped": "for terminated, suspended or withdrawn studies: why, in plain words",
    "last_known_status": "for status unknown: the last status the registry showed",
    "status_checked": "when the status was last checked against the registry",
    "updated": "when this page was last reviewed",
    "draft": "drafts are checked but never published; delete this line to publish",
    "tags": "short keywords for the page",
    "translation_key": "the same key on the translations of this page",
    "readability": "this page's own readability target and limit (grades)",
    "signoff": "written by 'sitegen approve'; do not write it by hand",
    "source": "set by 'sitegen import'",
    "order": "position in the site menu; pages without it are not in the menu",
}

#: example values shown in the commented lines (YAML text), by dotted name
EXAMPLES: dict[str, str] = {
    "nct_id": '"NCT01234567"',
    "phase": "[phase2]",
    "slug": '"my-study"',
    "translation_key": '"my-study"',
    "acronym": '"SHORT-NAME"',
    "eligibility.age_min": '"18 years"',
    "eligibility.age_max": '"70 years"',
    "participation.visits": "6",
    "participation.overnight_stays": "0",
    "enrollment.target": "100",
    "sites.lat": "51.5",
    "sites.lon": "-0.12",
    "sites.contact.email": '"study@example.org"',
    "contacts.email": '"study@example.org"',
    "readability.target": "8",
    "readability.limit": "10",
    "order": "10",
    "signoff.text_hash": '"sha256:..."',
}

SECTIONS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("What is this study about?", "The health problem and what the study wants to find out."),
        ("Who can take part?", "Who may join and who cannot, in short plain sentences."),
        ("What will happen if I take part?", "Visits, tests and how long it all takes."),
        ("What are the possible benefits and risks?", "Be fair: what may help, what may not."),
        ("Will I be paid or get travel costs?", "Money, travel costs and other help."),
        ("Where is the study happening?", "Towns and clinics; the list of sites comes after."),
        ("How do I find out more or join?", "Who to call, and that taking part is a free choice."),
    ],
    "es": [
        ("¿De qué trata este estudio?", "El problema de salud y lo que el estudio quiere saber."),
        ("¿Quién puede participar?", "Quién puede participar y quién no, en frases cortas."),
        ("¿Qué pasará si participo?", "Visitas, pruebas y cuánto tiempo dura todo."),
        ("¿Cuáles son los posibles beneficios y riesgos?", "Lo que puede ayudar y lo que no."),
        ("¿Me pagarán o me cubrirán los gastos de viaje?", "Dinero, viajes y otra ayuda."),
        ("¿Dónde se hace el estudio?", "Ciudades y centros; la lista de centros va después."),
        ("¿Cómo puedo saber más o participar?", "A quién llamar; participar es libre."),
    ],
}

PLACEHOLDERS: dict[str, dict[str, Any]] = {
    "en": {
        "summary": "Say in one or two short sentences what this study is about and who it is for.",
        "conditions": ["Name of the health problem"],
        "page_body": "Write the page here, in short sentences and everyday words.",
    },
    "es": {
        "summary": "Diga en una o dos frases cortas de qué trata el estudio y para quién es.",
        "conditions": ["Nombre del problema de salud"],
        "page_body": "Escriba aquí la página, con frases cortas y palabras de todos los días.",
    },
}


def placeholder_texts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What ``new`` writes that must never reach a patient, in every language.

    First the hint sentences (section hints, the summary and page placeholders), found
    anywhere in the text; then the texts that are placeholders only as a whole value: the
    example values of fields (a condition named like the template's, the example e-mail
    address and registry number ...) and the field hints of five words or more. The
    readability gate refuses both (PH001, PH005).
    """
    hints: list[str] = []
    examples: list[str] = []
    for lang, sections in SECTIONS.items():
        hints += [hint for _, hint in sections]
        ph = PLACEHOLDERS[lang]
        hints += [ph["summary"], ph["page_body"]]
        examples += list(ph["conditions"])
    for text in EXAMPLES.values():
        value = json.loads(text) if text.startswith('"') else None
        if isinstance(value, str) and value and not any(ch.isdigit() for ch in value[:2]):
            examples.append(value)
    headings = {h.casefold().rstrip("?") for sections in SECTIONS.values() for h, _ in sections}
    examples += [
        h for h in HINTS.values() if "{" not in h and len(h.split()) >= 5 and h not in headings
    ]
    return tuple(dict.fromkeys(hints)), tuple(dict.fromkeys(examples))
