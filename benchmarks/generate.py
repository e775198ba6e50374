"""Generate N realistic study pages that are valid under sitegen's content model.

Deterministic from a seed: the same (N, seed) always gives byte-identical files. Each page has
YAML front matter, about 900 words of plain text in the standard patient sections, a table,
lists and links to other generated pages.

    python benchmarks/generate.py --pages 1000 --out /tmp/site1k
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

CONDITIONS = [
    "Asthma",
    "Type 2 diabetes",
    "High blood pressure",
    "Knee osteoarthritis",
    "Migraine",
    "Breast cancer",
    "Long COVID",
    "Eczema",
    "Gout",
    "Heart failure",
    "Kidney disease",
    "Depression",
    "Back pain",
    "Psoriasis",
    "Sleep problems",
    "Memory changes",
    "Anemia",
    "Crohn's disease",
    "Rheumatoid arthritis",
    "Stroke recovery",
]
CITIES = [
    ("Boston", "United States", 42.36, -71.06),
    ("Leeds", "United Kingdom", 53.80, -1.55),
    ("Madrid", "Spain", 40.42, -3.70),
    ("Toronto", "Canada", 43.65, -79.38),
    ("Denver", "United States", 39.74, -104.99),
    ("Dublin", "Ireland", 53.35, -6.26),
    ("Utrecht", "Netherlands", 52.09, 5.12),
    ("Aarhus", "Denmark", 56.16, 10.20),
]
STATUSES = ["recruiting"] * 5 + ["not_yet_recruiting", "active_not_recruiting", "completed"]
PHASES = ["phase1", "phase2", "phase3", "phase4"]
SENTENCES = [
    "We want to find out if the study medicine helps people feel better.",
    "You can ask the study team any question at any time.",
    "Taking part is your choice, and you can stop whenever you want.",
    "The study doctor will check your health at each visit.",
    "Some visits take about one hour and some take less.",
    "You will fill in a short diary on your phone each day.",
    "We will tell your family doctor that you are in the study if you agree.",
    "The study medicine is still being tested, so we do not know yet if it works.",
    "You may get side effects, and we will watch for them closely.",
    "A computer will put you in a group by chance.",
    "Your usual care will not change if you decide not to join.",
    "We will pay back your travel costs for each visit.",
    "You will have a blood test at the first and last visit.",
    "If you feel unwell, you can call the study team day or night.",
    "We will keep your details private and safe on our computers.",
    "The results will be shared in plain words when the study ends.",
]
SECTIONS = [
    "What is this study about?",
    "Who can take part?",
    "What will happen if I take part?",
    "What are the possible benefits and risks?",
    "Will I be paid or get travel costs?",
    "Where is the study happening?",
    "How do I find out more or join?",
]


def paragraph(rng: random.Random, n: int) -> str:
    """A paragraph of n sentences."""
    return " ".join(rng.choice(SENTENCES) for _ in range(n))


def page(i: int, n: int, rng: random.Random) -> str:
    """One study page."""
    cond = CONDITIONS[i % len(CONDITIONS)]
    status = rng.choice(STATUSES)
    sites = rng.sample(CITIES, rng.randint(1, 3))
    other = (i * 7 + 3) % n
    lines = [
        "---",
        f"title: Study {i} about {cond.lower()} and daily life",
        f"summary: This study looks at a way to help people with {cond.lower()}. You can stop at"
        " any time.",
        f"status: {status}",
        f"conditions: [{cond}]",
        f"nct_id: NCT{90000000 + i:08d}",
        f"phase: {rng.choice(PHASES)}",
        "design: {randomized: true, placebo: false, masking: none}",
        "eligibility:",
        f"  age_min: {rng.choice([18, 21, 40])} years",
        f"  age_max: {rng.choice([65, 75, 80])} years",
        "  sex: all",
        "  include:",
        f"    - You have {cond.lower()}.",
        "    - You can come to the clinic once a month.",
        "  exclude:",
        "    - You are pregnant.",
        "participation: {duration: About 6 months, visits: 6, overnight_stays: 0}",
        "sponsor: {name: Example Health Research, class: other}",
        "sites:",
    ]
    for city, country, lat, lon in sites:
        lines += [
            f"  - name: {city} Research Clinic",
            f"    city: {city}",
            f"    country: {country}",
            f"    lat: {lat}",
            f"    lon: {lon}",
            "    status: recruiting",
        ]
    lines += [
        "contacts:",
        "  - {name: Study team, phone: +1 555 0100, email: team@example.org}",
        "updated: 2026-01-15",
        "---",
        "",
    ]
    body: list[str] = []
    for s, heading in enumerate(SECTIONS):
        body.append(f"## {heading}")
        body.append("")
        body.append(paragraph(rng, 6))
        body.append("")
        body.append(paragraph(rng, 5))
        body.append("")
        if s == 1:
            body += [
                "- You are 18 or older.",
                "- You live near one of the clinics.",
                "- You can use a phone app.",
                "",
            ]
        if s == 2:
            body += [
                "| When | What happens | How long |",
                "|---|---|---|",
                "| Week 1 | First visit and blood test | About 1 hour |",
                "| Week 4 | Check-up | About 30 minutes |",
                "| Week 12 | Last visit | About 1 hour |",
                "",
            ]
        if s == 6:
            body.append(f"You can also read about [another study](study-{other:05d}.md).")
            body.append("")
    return "\n".join(lines + body)


def generate(n: int, out: Path, seed: int = 1) -> None:
    """Write a site with ``n`` study pages into ``out`` (replacing its content folder)."""
    rng = random.Random(seed)
    studies = out / "content" / "studies"
    if (out / "content").exists():
        shutil.rmtree(out / "content")
    studies.mkdir(parents=True)
    (out / "content" / "pages").mkdir()
    (out / "content" / "pages" / "about.md").write_text(
        "---\ntitle: About these studies\nsummary: Who runs this site.\norder: 1\n---\n"
        "## Who we are\n\nWe are a research office. We explain studies in plain words.\n"
    )
    (out / "site.yml").write_text(
        "title: Benchmark studies\nbase_url: https://bench.example.org/\n"
    )
    for i in range(n):
        (studies / f"study-{i:05d}.md").write_text(page(i, n, rng))


def main() -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    generate(args.pages, args.out, args.seed)
    print(f"wrote {args.pages} study pages into {args.out}")


if __name__ == "__main__":
    main()
