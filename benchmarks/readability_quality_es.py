"""Quality benchmark of the Spanish gate grade (a script, not a test).

    python benchmarks/readability_quality_es.py [--data DIR] [--fit] [--speed]

Data: ``clara-med-nci/pairs.jsonl`` under ``--data`` (default ``../shared/data``): sentences of
NCI's Spanish PDQ cancer summaries for health professionals, each aligned with the matching
sentence of the patient version (CLARA-MeD). Its terms allow benchmarks only: nothing of it is
in the package or the tests. Without the file the script says so and exits with status 2.

The pairs are split by topic (a PDQ summary), so no summary is on both sides: topics whose
CRC-32 is even are the **fit** part (used by ``--fit``), the others are **held out**. Prints
Markdown tables: for each score, the share of pairs where it rates the patient sentence easier
and the mean score of both sides, per part; INFLESZ bands; the dictionary density.

``--fit`` re-derives the Spanish gate-grade coefficients (``ES_*`` in
``sitegen/readability/scores.py``, ``STYLE_WEIGHTS`` in ``sitegen/readability/spanish.py``) and
prints them: the weights by pairwise logistic regression on the fit part (deterministic:
Newton's method, no random start), the scale and intercept from the fit part's professional
sentences (grade 16) and our Spanish translations (the plain calibration pages in
``tests/fixtures/readability/plain-es/`` and the example site's translated pages), whose mean
goes to the mean grade the English gate gives their English originals.

``--speed`` needs no data: CPU time per page to check the example site's Spanish pages (their
bodies), on a first pass (no word seen before; simplemma and wordfreq already loaded) and the
best of five later passes of ten rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from readability_quality import counts_of, fit, load_jsonl  # noqa: E402

from sitegen.readability import check_document, load_glossary, spanish  # noqa: E402
from sitegen.readability import scores as sc  # noqa: E402
from sitegen.readability.extract import extract  # noqa: E402
from sitegen.readability.scores import Counts  # noqa: E402

PLAIN_ES = ROOT / "tests" / "fixtures" / "readability" / "plain-es"
PLAIN_EN = ROOT / "tests" / "fixtures" / "readability" / "plain"
EXAMPLE = ROOT / "sitegen" / "example" / "content"
#: the plain Spanish calibration pages and the English calibration pages they translate
FIXTURE_ORIGINALS = {"caminar": "walking-group", "fumar": "quit-smoking",
                     "rodilla": "knee-pain", "sueno": "sleep-study"}  # fmt: skip
FEATURES_ES = (
    "ES_W_RARITY", "ES_W_STATISTICAL", "ES_W_ACRONYMS", "ES_W_JARGON",
    *(f"STYLE_WEIGHTS[{i}] ({name})" for i, name in enumerate(spanish.STYLE_SIGNS)),
)  # fmt: skip
Pairs = list[tuple[Counts, Counts]]
#: a text for fitting: its counts and how many of its words carry each style sign
Measured = tuple[Counts, tuple[int, ...]]


def measure(text: str) -> Measured:
    """The counts of a text and its style-sign totals (``spanish.sign_totals``)."""
    words = [w.text for s in extract(text, 1, []).sentences for w in s.words]
    return counts_of(text, "es"), spanish.sign_totals(sc.style_words(words))


def fit_features(m: Measured) -> tuple[float, ...]:
    """``gate_features_es`` then the share of words with each style sign."""
    c, signs = m
    n = c.words or 1
    return (*sc.gate_features_es(c), *(k / n for k in signs))


def part(topic: str) -> str:
    """``fit`` or ``held-out``: a fixed split by topic."""
    return "fit" if zlib.crc32(topic.encode("utf-8")) % 2 == 0 else "held-out"


def plain_pages_es() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(PLAIN_ES.glob("*.md"))
            if p.stem != "README"]  # fmt: skip


def _front(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a Markdown page."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}, text
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head) or {}, body


def translations() -> list[tuple[str, str]]:
    """(English original, Spanish translation) bodies of every translation we wrote: the
    plain calibration pages and the example site's translated pages (``translation_key``)."""
    out = [((PLAIN_EN / f"{en}.md").read_text(encoding="utf-8"),
            (PLAIN_ES / f"{es}.md").read_text(encoding="utf-8"))
           for es, en in sorted(FIXTURE_ORIGINALS.items())]  # fmt: skip
    by_key: dict[str, dict[str, str]] = {}
    for path in sorted(EXAMPLE.glob("*/*.md")):
        meta, body = _front(path)
        if meta.get("translation_key"):
            by_key.setdefault(meta["translation_key"], {})[meta.get("lang", "en")] = body
    out += [(v["en"], v["es"]) for _, v in sorted(by_key.items()) if {"en", "es"} <= v.keys()]
    return out


def calibrate(coef: dict[str, float], pro: list[Measured]) -> dict[str, float]:
    """Replace the fit's SCALE and INTERCEPT: the mean professional sentence of the fit
    topics goes to grade 16 and the mean of the Spanish translations to the mean grade the
    English gate gives their originals, so a translation grades like its original."""
    w = [v for k, v in coef.items() if k not in ("SCALE", "INTERCEPT")]

    def raw(m: Measured) -> float:
        base, *xs = fit_features(m)
        return base + sum(wi * xi for wi, xi in zip(w, xs, strict=True))

    pairs = translations()
    target = statistics.mean(sc.gate_grade(counts_of(en, "en"), "en") for en, _ in pairs)
    lo = statistics.mean(raw(measure(es)) for _, es in pairs)
    hi = statistics.mean(raw(m) for m in pro)
    scale = (16.0 - target) / (hi - lo)
    print(f"# {len(pairs)} translations: English gate mean {target:.2f}", file=sys.stderr)
    return {**coef, "SCALE": scale, "INTERCEPT": target - scale * lo}


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


def _joined(sentences: Sequence[str]) -> str:
    """Aligned sentences as one text, one paragraph each (a heading-like sentence without
    final punctuation gets a full stop, so it does not run into the next one)."""
    return "\n\n".join(s if s.rstrip()[-1:] in ".?!:" else s.rstrip() + "." for s in sentences)


def passages(rows: list[dict], size: int) -> dict[str, Pairs]:
    """Professional and patient passages of ``size`` consecutive aligned sentences of one
    topic (``size`` 0: each topic's whole text), counted, by part. The English benchmark
    compares whole texts (abstracts against plain summaries); this compares Spanish texts of
    a few sentences, the length of a section of a study page, built from the same pairs."""
    by_topic: dict[str, list[dict]] = {}
    for r in rows:
        by_topic.setdefault(r["topic"], []).append(r)
    out: dict[str, Pairs] = {"fit": [], "held-out": []}
    for topic, rs in sorted(by_topic.items()):
        step = size or len(rs)
        for i in range(0, len(rs) - step + 1, step):
            chunk = rs[i : i + step]
            pro = counts_of(_joined([r["professional"] for r in chunk]), "es")
            out[part(topic)].append((pro, counts_of(_joined([r["patient"] for r in chunk]), "es")))
    return out


def passage_table(rows: list[dict]) -> str:
    """Ranking accuracy of INFLESZ and the Spanish gate grade on passages of 1, 3 and 5
    aligned sentences and on whole topics."""
    lines = [
        "| texts compared | fit: pairs | fit: INFLESZ | fit: gate grade | held out: pairs | "
        "held out: INFLESZ | held out: gate grade |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    sizes = ((1, "single sentences"), (3, "passages of 3 sentences"),
             (5, "passages of 5 sentences"), (0, "whole topics"))  # fmt: skip
    for size, name in sizes:
        cells = [name]
        for pairs in passages(rows, size).values():
            inflesz = sum(sc.szigriszt_pazos(p) > sc.szigriszt_pazos(a) for a, p in pairs)
            gate = sum(sc.gate_grade(p, "es") < sc.gate_grade(a, "es") for a, p in pairs)
            n = len(pairs) or 1
            cells += [str(len(pairs)), f"{100 * inflesz / n:.1f}%", f"{100 * gate / n:.1f}%"]
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


def speed() -> str:
    """CPU ms per page of ``check_document`` on the example site's Spanish pages."""
    glossary = load_glossary("es")
    sc.word_facts("casas", "es")  # load simplemma's and wordfreq's Spanish data
    pages = []
    for path in sorted(EXAMPLE.glob("*/*.md")):
        meta, body = _front(path)
        if meta.get("lang") == "es":
            pages.append((path.name, body))

    def one_pass() -> None:
        for name, body in pages:
            check_document(name, body, 1, [], lang="es", glossary=glossary)

    t0 = time.process_time()
    one_pass()
    first = (time.process_time() - t0) / len(pages)
    later = []
    for _ in range(5):
        t0 = time.process_time()
        for _ in range(10):
            one_pass()
        later.append((time.process_time() - t0) / (10 * len(pages)))
    words = statistics.mean(len(body.split()) for _, body in pages)
    return (f"{len(pages)} Spanish pages of about {words:.0f} words: first pass "
            f"{1000 * first:.1f} ms/page, later passes {1000 * min(later):.1f} ms/page "
            "(CPU).")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--fit", action="store_true", help="print freshly fitted coefficients")
    ap.add_argument("--speed", action="store_true", help="time the check of Spanish pages")
    args = ap.parse_args(argv)
    if args.speed:
        print(speed())
        return 0
    path = args.data / "clara-med-nci" / "pairs.jsonl"
    if not path.is_file():
        print(
            f"Spanish benchmark data not found: {path} is missing (the CLARA-MeD NCI pairs are "
            "not part of sitegen); pass --data DIR. Nothing was measured.",
            file=sys.stderr,
        )
        return 2
    rows = load_jsonl(path)
    if args.fit:
        fit_pairs = [(measure(r["professional"]), measure(r["patient"]))
                     for r in rows if part(r["topic"]) == "fit"]  # fmt: skip
        coef = fit(fit_pairs, [measure(t) for t in plain_pages_es()], fit_features, FEATURES_ES)  # type: ignore[arg-type]
        coef = calibrate(coef, [a for a, _ in fit_pairs])
        for k, v in coef.items():
            print(f"{k if k.startswith(('ES_', 'STYLE')) else 'ES_' + k} = {v:.4f}")
        return 0
    split: dict[str, Pairs] = {"fit": [], "held-out": []}
    for r in rows:
        split[part(r["topic"])].append((counts_of(r["professional"], "es"),
                                        counts_of(r["patient"], "es")))  # fmt: skip
    plain = [counts_of(t, "es") for t in plain_pages_es()]
    topics = {s: len({r["topic"] for r in rows if part(r["topic"]) == s}) for s in split}
    print("### Spanish: NCI professional vs patient sentences (CLARA-MeD)\n")
    print(f"{len(rows)} pairs; fit part {topics['fit']} topics, held out {topics['held-out']}.\n")
    print(ranking_table(split))
    print(
        "\nThe same pairs joined into longer texts: consecutive aligned sentences of one topic "
        "(professional against patient), and each topic's whole text:\n"
    )
    print(passage_table(rows))
    grades = [sc.gate_grade(c, "es") for c in plain]
    print(f"\nPlain Spanish calibration pages: mean gate grade {statistics.mean(grades):.1f} "
          f"(range {min(grades):.1f} to {max(grades):.1f}).")  # fmt: skip
    pairs = translations()
    en = [sc.gate_grade(counts_of(e, "en"), "en") for e, _ in pairs]
    es = [sc.gate_grade(counts_of(s, "es"), "es") for _, s in pairs]
    gap = [b - a for a, b in zip(en, es, strict=True)]
    print(f"Our {len(pairs)} Spanish translations (calibration pages, example site): mean "
          f"grade {statistics.mean(es):.1f}, their English originals {statistics.mean(en):.1f}; "
          f"Spanish minus English {min(gap):+.1f} to {max(gap):+.1f}.")  # fmt: skip
    print(jargon_row(rows))
    print("\n" + inflesz_table(split["fit"] + split["held-out"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
