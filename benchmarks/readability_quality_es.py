"""Quality benchmark of the Spanish gate grade (a script, not a test).

    python benchmarks/readability_quality_es.py [--data DIR] [--fit]

Data: ``clara-med-nci/pairs.jsonl`` under ``--data`` (default ``../shared/data``): sentences of
NCI's Spanish PDQ cancer summaries for health professionals, each aligned with the matching
sentence of the patient version (CLARA-MeD). Its terms allow benchmarks only: nothing of it is
in the package or the tests. Without the file the script says so and exits with status 2.

The pairs are split by topic (a PDQ summary), so no summary is on both sides: topics whose
CRC-32 is even are the **fit** part (used by ``--fit``), the others are **held out**. Prints
Markdown tables: for each score, the share of pairs where it rates the patient sentence easier
and the mean score of both sides, per part; INFLESZ bands; the dictionary density.

``--fit`` re-derives the Spanish gate-grade coefficients (``ES_*`` in
``sitegen/readability/scores.py``) from the fit part and the plain Spanish calibration pages
(``tests/fixtures/readability/plain-es/``), and prints them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from readability_quality import counts_of, fit, load_jsonl  # noqa: E402

from sitegen.readability import check_document, load_glossary  # noqa: E402
from sitegen.readability import scores as sc  # noqa: E402
from sitegen.readability.scores import Counts  # noqa: E402

PLAIN_ES = ROOT / "tests" / "fixtures" / "readability" / "plain-es"
FEATURES_ES = ("ES_W_RARITY", "ES_W_STATISTICAL", "ES_W_ACRONYMS", "ES_W_JARGON")
Pairs = list[tuple[Counts, Counts]]


def part(topic: str) -> str:
    """``fit`` or ``held-out``: a fixed split by topic."""
    return "fit" if zlib.crc32(topic.encode("utf-8")) % 2 == 0 else "held-out"


def plain_pages_es() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(PLAIN_ES.glob("*.md"))
            if p.stem != "README"]  # fmt: skip


def _old_grade(c: Counts) -> float:
    """The Spanish gate grade before issue 16: Fernandez Huerta through Flesch's table."""
    return sc.fernandez_huerta_grade(sc.fernandez_huerta(c))


METRICS: list[tuple[str, Callable[[Counts], float], bool]] = [
    ("Fernández Huerta (inverted)", sc.fernandez_huerta, True),
    ("Szigriszt-Pazos / INFLESZ (inverted)", sc.szigriszt_pazos, True),
    ("Gutiérrez de Polini (inverted)", sc.gutierrez_polini, True),
    ("Crawford", sc.crawford, False),
    ("previous gate grade (Fernández Huerta as a grade)", _old_grade, False),
    ("**Spanish gate grade**", lambda c: sc.gate_grade(c, "es"), False),
]


def ranking_table(split: dict[str, Pairs]) -> str:
    """Share of pairs where each score rates the patient sentence easier (ties count as
    misses), and the mean score of professional / patient sentences."""
    lines = [
        "| score | fit: patient easier | fit: mean professional / patient | "
        "held out: patient easier | held out: mean professional / patient |",
        "|---|---|---|---|---|",
    ]
    for name, f, higher_is_easier in METRICS:
        cells = [name]
        for s in ("fit", "held-out"):
            pairs = split[s]
            a = [f(x) for x, _ in pairs]
            p = [f(y) for _, y in pairs]
            ok = sum((pi > ai) if higher_is_easier else (pi < ai)
                     for ai, pi in zip(a, p, strict=True))  # fmt: skip
            cells.append(f"{100 * ok / len(pairs):.1f}% of {len(pairs)}")
            cells.append(f"{statistics.mean(a):.1f} / {statistics.mean(p):.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def inflesz_table(pairs: Pairs) -> str:
    """How many professional and patient sentences fall in each INFLESZ band."""
    pro = Counter(sc.inflesz_band(sc.szigriszt_pazos(a)) for a, _ in pairs)
    pat = Counter(sc.inflesz_band(sc.szigriszt_pazos(p)) for _, p in pairs)
    lines = ["| INFLESZ band | professional | patient |", "|---|---|---|"]
    for low, band in sc.INFLESZ_BANDS:
        rng = f"{low:g}+" if low > 0 else "under 40"
        lines.append(f"| {band} ({rng}) | {pro[band]} | {pat[band]} |")
    return "\n".join(lines)


def jargon_row(rows: list[dict]) -> str:
    glossary = load_glossary("es")
    dens: dict[str, list[float]] = {"professional": [], "patient": []}
    for r in rows:
        for k, v in dens.items():
            c = check_document("x", r[k], 1, [], lang="es", glossary=glossary)
            v.append(c.stats["jargon_per_100_words"])
    more = sum(a > p for a, p in zip(dens["professional"], dens["patient"], strict=True))
    less = sum(a < p for a, p in zip(dens["professional"], dens["patient"], strict=True))
    return (
        f"Spanish dictionary terms per 100 words ({len(glossary.entries)} entries): professional "
        f"{statistics.mean(dens['professional']):.2f}, patient "
        f"{statistics.mean(dens['patient']):.2f}; professional higher in {more}, lower in "
        f"{less} of {len(rows)} pairs."
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--fit", action="store_true", help="print freshly fitted coefficients")
    args = ap.parse_args(argv)
    path = args.data / "clara-med-nci" / "pairs.jsonl"
    if not path.is_file():
        print(
            f"Spanish benchmark data not found: {path} is missing (the CLARA-MeD NCI pairs are "
            "not part of sitegen); pass --data DIR. Nothing was measured.",
            file=sys.stderr,
        )
        return 2
    rows = load_jsonl(path)
    split: dict[str, Pairs] = {"fit": [], "held-out": []}
    for r in rows:
        split[part(r["topic"])].append((counts_of(r["professional"], "es"),
                                        counts_of(r["patient"], "es")))  # fmt: skip
    plain = [counts_of(t, "es") for t in plain_pages_es()]
    if args.fit:
        coef = fit(split["fit"], plain, sc.gate_features_es, FEATURES_ES)
        for k, v in coef.items():
            print(f"{k if k.startswith('ES_') else 'ES_' + k} = {v:.4f}")
        return 0
    topics = {s: len({r["topic"] for r in rows if part(r["topic"]) == s}) for s in split}
    print("### Spanish: NCI professional vs patient sentences (CLARA-MeD)\n")
    print(f"{len(rows)} pairs; fit part {topics['fit']} topics, held out {topics['held-out']}.\n")
    print(ranking_table(split))
    grades = [sc.gate_grade(c, "es") for c in plain]
    print(f"\nPlain Spanish calibration pages: mean gate grade {statistics.mean(grades):.1f} "
          f"(range {min(grades):.1f} to {max(grades):.1f}).")  # fmt: skip
    print(jargon_row(rows))
    print("\n" + inflesz_table(split["fit"] + split["held-out"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
