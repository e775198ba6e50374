"""Quality and speed benchmark of the readability checker (a script, not a test).

    python benchmarks/readability_quality.py [--data DIR] [--pages N] [--fit]

Prints Markdown tables:

1. Cochrane abstracts vs plain-language summaries (``cochrane-pls/pairs.jsonl``): for each
   score, the share of pairs where it rates the plain summary easier, and the mean score of
   abstracts and summaries, separately for the ``val`` pairs (used to fit the gate grade) and
   the ``test`` pairs (not used for fitting).
2. Laymaker clinical sentences (``laymaker/pairs.jsonl``): word-level recall of the words
   clinicians replaced or deleted (a finding overlaps the word), word-level precision (flagged
   words that clinicians changed), and the share of unchanged sentences with a word finding.
3. The dictionary's ``replace`` entries whose example gives exactly its expected rewrite.
4. Time to check N generated pages (ms/page).
5. The clear-communication score (``docs/clear-communication.md``): its mean on the example
   site's pages (no data needed), on protocol-style pages made from the registry records in
   ``ctgov/`` (brief summary, detailed description and eligibility criteria under ``##``
   headings, as a sponsor writes them), and on the Cochrane plain summaries vs abstracts,
   with the share of pairs where the plain summary scores higher.

``--fit`` re-derives the gate-grade coefficients of ``sitegen/readability/scores.py`` from the
val pairs and the plain calibration pages, and prints them (stdlib only).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.readability import GateSettings, check_document, load_glossary  # noqa: E402
from sitegen.readability import scores as sc  # noqa: E402
from sitegen.readability.check import page_counts  # noqa: E402
from sitegen.readability.scores import Counts  # noqa: E402

PLAIN = ROOT / "tests" / "fixtures" / "readability" / "plain"
ABSTRACT_ANCHOR = 16.0  # mean gate grade of the val abstracts
PLAIN_ANCHOR = 7.0  # mean gate grade of the plain calibration pages


def counts_of(text: str, lang: str = "en") -> Counts:
    """Counts of a text through the product's own extraction, dictionary and counting."""
    return page_counts(text, lang)


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def plain_pages() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(PLAIN.glob("*.md")) if p.stem != "README"]


# --------------------------------------------------------------------------- fitting


FEATURES = ("W_UNFAMILIAR", "W_STATISTICAL", "W_ACRONYMS", "W_JARGON")


L2 = 0.01  # ridge penalty on the standardised extra-feature weights (not on Flesch-Kincaid)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a small linear system by Gauss-Jordan elimination with partial pivoting."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c]:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(
    pairs: list[tuple[Counts, Counts]],
    plain: list[Counts],
    features: Callable[[Counts], Sequence[float]] = sc.gate_features,
    names: Sequence[str] = FEATURES,
) -> dict[str, float]:
    """Pairwise logistic regression of the gate features on the val pairs (stdlib only).

    Model: P(abstract harder) = sigmoid(b0 dFK + sum_k b_k dx_k), no intercept, where d is
    abstract minus plain summary and x = unfamiliar, statistical, acronyms and jargon per
    100 words. Fitted by Newton's method on standardised features with an L2 penalty of
    ``L2`` on the b_k (not on b0). The gate weights are W_k = b_k / b0, so Flesch-Kincaid keeps
    weight 1 inside the bracket; SCALE and INTERCEPT then put the mean val abstract at
    ABSTRACT_ANCHOR and the mean plain page at PLAIN_ANCHOR. ``features`` gives the base
    score then the extra features of one text (``names``: the weights' names).
    """
    x = []
    for a, p in pairs:
        fa, fp = features(a), features(p)
        x.append([u - v for u, v in zip(fa, fp, strict=True)])
    k, n = len(x[0]), len(x)
    sd = [math.sqrt(sum(r[i] ** 2 for r in x) / n) or 1.0 for i in range(k)]
    z = [[r[i] / sd[i] for i in range(k)] for r in x]
    b = [0.0] * k
    for _ in range(50):
        g = [0.0] * k
        h = [[0.0] * k for _ in range(k)]
        for row in z:
            s = sum(bi * zi for bi, zi in zip(b, row, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, s))))
            for i in range(k):
                g[i] += (1 - p) * row[i]
                for j in range(k):
                    h[i][j] += p * (1 - p) * row[i] * row[j]
        for i in range(1, k):
            g[i] -= L2 * n * b[i]
            h[i][i] += L2 * n
        step = _solve(h, g)
        b = [bi + si for bi, si in zip(b, step, strict=True)]
        if max(abs(si) for si in step) < 1e-10:
            break
    coef = [bi / si for bi, si in zip(b, sd, strict=True)]
    w = [c / coef[0] for c in coef[1:]]

    def raw_score(c: Counts) -> float:
        base, *xs = features(c)
        return base + sum(wi * xi for wi, xi in zip(w, xs, strict=True))

    hi = statistics.mean(raw_score(a) for a, _ in pairs)
    lo = statistics.mean(raw_score(c) for c in plain)
    scale = (ABSTRACT_ANCHOR - PLAIN_ANCHOR) / (hi - lo)
    out = dict(zip(names, w, strict=True))
    out.update(SCALE=scale, INTERCEPT=PLAIN_ANCHOR - scale * lo)
    return out


# --------------------------------------------------------------------------- Cochrane

METRICS: list[tuple[str, Callable[[Counts], float], bool]] = [
    ("Flesch-Kincaid grade", sc.flesch_kincaid_grade, False),
    ("SMOG", sc.smog_index, False),
    ("Gunning Fog", sc.gunning_fog, False),
    ("Coleman-Liau", sc.coleman_liau_index, False),
    ("Dale-Chall", sc.dale_chall, False),
    ("Flesch reading ease (inverted)", sc.flesch_reading_ease, True),
    ("**gate grade**", lambda c: sc.gate_grade(c, "en"), False),
]


def cochrane_table(rows: list[dict]) -> tuple[str, dict[str, list[tuple[Counts, Counts]]]]:
    """The ranking table, and the counted pairs per split."""
    split: dict[str, list[tuple[Counts, Counts]]] = {"val": [], "test": []}
    raw_text: dict[str, list[tuple[str, str]]] = {"val": [], "test": []}
    for r in rows:
        split[r["orig_split"]].append((counts_of(r["abstract"]), counts_of(r["pls"])))
        raw_text[r["orig_split"]].append((r["abstract"], r["pls"]))
    lines = [
        "| score | val: plain easier | val: mean abstract / plain | "
        "test: plain easier | test: mean abstract / plain |",
        "|---|---|---|---|---|",
    ]
    for name, f, higher_is_easier in METRICS:
        cells = [name]
        for s in ("val", "test"):
            pairs = split[s]
            a = [f(x) for x, _ in pairs]
            p = [f(y) for _, y in pairs]
            pairs_ap = zip(a, p, strict=True)
            ok = sum((pi > ai) if higher_is_easier else (pi < ai) for ai, pi in pairs_ap)
            cells.append(f"{100 * ok / len(pairs):.1f}% of {len(pairs)}")
            cells.append(f"{statistics.mean(a):.1f} / {statistics.mean(p):.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    try:  # textstat's own Flesch-Kincaid, with its own sentence splitting, for reference
        from textstat.backend.metrics import flesch_kincaid_grade as ts_fk

        cells = ["Flesch-Kincaid, textstat's own sentence split"]
        for s in ("val", "test"):
            pairs = raw_text[s]
            a = [ts_fk(x, "en_US") for x, _ in pairs]
            p = [ts_fk(y, "en_US") for _, y in pairs]
            ok = sum(pi < ai for ai, pi in zip(a, p, strict=True))
            cells.append(f"{100 * ok / len(pairs):.1f}% of {len(pairs)}")
            cells.append(f"{statistics.mean(a):.1f} / {statistics.mean(p):.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    except ImportError:  # pragma: no cover
        pass
    return "\n".join(lines), split


def jargon_density_row(rows: list[dict]) -> str:
    glossary = load_glossary("en")
    dens = {"abstract": [], "pls": []}
    for r in rows:
        for k in dens:
            c = check_document("x", r[k], 1, [], glossary=glossary)
            dens[k].append(c.stats["jargon_per_100_words"])
    more = sum(a > p for a, p in zip(dens["abstract"], dens["pls"], strict=True))
    mean_a, mean_p = statistics.mean(dens["abstract"]), statistics.mean(dens["pls"])
    return (
        f"Jargon per 100 words (dictionary with {len(glossary.entries)} entries): abstracts "
        f"{mean_a:.2f}, plain summaries {mean_p:.2f}; "
        f"abstract higher in {100 * more / len(rows):.1f}% of {len(rows)} pairs."
    )


# --------------------------------------------------------------------------- Laymaker

WORD_CODES = ("JG001", "JG002", "JG003", "JG005")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def laymaker_table(rows: list[dict]) -> str:
    """Word-level recall and precision of the word findings against the clinicians' edits,
    and the share of unchanged sentences that get a word finding."""
    glossary = load_glossary("en")
    settings = GateSettings()
    words = flagged = content = content_flagged = 0
    flagged_tokens = flagged_in_edits = 0
    unchanged_findings: list[int] = []
    unchanged_jargon: list[int] = []
    for r in rows:
        text = r["original"]
        check = check_document("x", text, 1, [], glossary=glossary, settings=settings)
        spans = [
            (f.column - 1, f.column - 1 + len(f.text))
            for f in check.findings
            if f.code in WORD_CODES and f.line == 1
        ]
        edited = [(e["start"], e["end"]) for e in r["edits"] if e["op"] in ("replace", "delete")]
        for m in _WORD.finditer(text):  # precision: flagged words that clinicians changed
            if not any(ch.isalpha() for ch in m.group()):
                continue
            a, b = m.span()
            if any(x < b and a < y for x, y in spans):
                flagged_tokens += 1
                flagged_in_edits += any(x < b and a < y for x, y in edited)
        if not r["simplified"]:
            unchanged_findings.append(len(spans))
            unchanged_jargon.append(sum(1 for f in check.findings if f.code in ("JG001", "JG002")))
            continue
        for e in r["edits"]:
            if e["op"] not in ("replace", "delete"):
                continue
            for m in _WORD.finditer(e["text"]):
                if not any(ch.isalpha() for ch in m.group()):
                    continue
                a, b = e["start"] + m.start(), e["start"] + m.end()
                hit = any(x < b and a < y for x, y in spans)
                words += 1
                flagged += hit
                if sc.lexicon.zipf(m.group().lower(), "en") < 5.0:
                    content += 1
                    content_flagged += hit
    n_unchanged = len(unchanged_findings)
    with_finding = sum(1 for n in unchanged_findings if n)
    recall = 100 * flagged / max(1, words)
    quiet = 100 * with_finding / max(1, n_unchanged)
    return "\n".join(
        [
            "| laymaker measure | value | target |",
            "|---|---|---|",
            f"| recall: replaced/deleted words flagged (all words) | "
            f"{recall:.1f}% of {words} | >= 85% ({'met' if recall >= 85 else 'not met'}) |",
            f"| recall: replaced/deleted words flagged (words with Zipf < 5) | "
            f"{100 * content_flagged / max(1, content):.1f}% of {content} | |",
            f"| precision: flagged words that clinicians replaced or deleted | "
            f"{100 * flagged_in_edits / max(1, flagged_tokens):.1f}% of {flagged_tokens} | |",
            f"| unchanged sentences with a word finding (JG001/2/3/5) | "
            f"{quiet:.1f}% of {n_unchanged} | <= 40% ({'met' if quiet <= 40 else 'not met'}) |",
            f"| word findings (JG001/2/3/5) per unchanged sentence | "
            f"{statistics.mean(unchanged_findings):.2f} | |",
            f"| jargon findings (JG001/2) per unchanged sentence | "
            f"{statistics.mean(unchanged_jargon):.2f} | |",
        ]
    )


# --------------------------------------------------------------------------- dictionary


def examples_table() -> str:
    """Per language: ``replace`` entries, how many carry an example, and how many of those
    give exactly their expected rewrite when the suggestion is applied mechanically."""
    from sitegen.readability.suggest import example_result

    lines = [
        "| dictionary | replace entries | with an example | example passes | share passing |",
        "|---|---|---|---|---|",
    ]
    for lang in ("en", "es"):
        g = load_glossary(lang)
        rep = [e for e in g.entries if e.kind == "replace"]
        with_ex = [e for e in rep if e.example and e.expected]
        ok = sum(1 for e in with_ex if example_result(e, lang, g.find) == e.expected)
        rewrites = sum(1 for e in g.entries if e.kind == "rewrite")
        lines.append(
            f"| {lang} ({rewrites} rewrite entries) | {len(rep)} | {len(with_ex)} | {ok} | "
            f"{100 * ok / max(1, len(rep)):.1f}% |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- speed

_NUMBER = re.compile(r"\b(one|two|three|four|six|eight|twelve)\b")


def generated_pages(n: int) -> list[str]:
    """``n`` deterministic pages: sections of the plain pages, rotated and varied."""
    sections: list[str] = []
    for page in plain_pages():
        sections.extend("## " + s.strip() for s in page.split("## ") if s.strip())
    words = ["one", "two", "three", "four", "six", "eight", "twelve"]
    pages = []
    for i in range(n):
        k = 4 + i % 5
        chosen = [sections[(i * 7 + j * 3) % len(sections)] for j in range(k)]
        text = "\n\n".join(chosen)
        text = _NUMBER.sub(lambda m, i=i: words[(words.index(m.group()) + i) % len(words)], text)
        pages.append(text + "\n")
    return pages


def speed_table(n: int) -> str:
    """Check ``n`` generated pages; the first call includes loading every lexicon."""
    t0 = time.perf_counter()
    glossary = load_glossary("en")
    pages = generated_pages(n)
    check_document("warm-up.md", pages[0], 1, [], glossary=glossary)
    warm = time.perf_counter() - t0
    words = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for i, page in enumerate(pages):
        words += check_document(f"p{i}.md", page, 12, [], glossary=glossary).stats["words"]
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    return "\n".join(
        [
            "| speed | value |",
            "|---|---|",
            f"| pages checked | {n} (mean {words / n:.0f} words, packaged dictionary of "
            f"{len(glossary.entries)} entries) |",
            f"| time per page | {1000 * dt / n:.2f} ms wall clock, {1000 * cpu / n:.2f} ms CPU |",
            f"| total | {dt:.2f} s; start-up (loading lexicons and dictionary) {warm:.2f} s |",
        ]
    )


# --------------------------------------------------------------------------- clarity


def clarity_score(text: str, fields: Sequence[object] = ()) -> int | None:
    """The clear-communication score of a text checked as a page on its own."""
    check = check_document("x.md", text, 1, list(fields))  # type: ignore[arg-type]
    return check.clarity.score if check.clarity is not None else None


def example_site_scores() -> list[tuple[str, int | None]]:
    """Each example page's score, checked the way the build checks it."""
    from sitegen.build.pipeline import check_page, load_page
    from sitegen.content.config import load_config

    config, _ = load_config(ROOT)
    assert config is not None
    out = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        rel = path.relative_to(ROOT).as_posix()
        kind = {"studies": "study", "results": "result"}.get(rel.split("/")[1], "page")
        page, _ = load_page(rel, kind, path, config)
        if page is not None:
            check = check_page(page, config, ROOT)
            out.append((rel, check.clarity.score if check.clarity is not None else None))
    return out


def protocol_pages(folder: Path) -> list[str]:
    """Registry records as the pages a sponsor would write: their own texts, unedited."""
    pages = []
    for path in sorted(folder.glob("NCT*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        proto = record.get("protocolSection", record)
        desc = proto.get("descriptionModule", {})
        parts = [
            ("Brief summary", desc.get("briefSummary")),
            ("Detailed description", desc.get("detailedDescription")),
            ("Eligibility criteria", proto.get("eligibilityModule", {}).get("eligibilityCriteria")),
        ]
        body = "\n\n".join(f"## {h}\n\n{t.strip()}" for h, t in parts if t and t.strip())
        if body:
            pages.append(body + "\n")
    return pages


def _mean(xs: Sequence[int | None]) -> str:
    vals = [x for x in xs if x is not None]
    return f"{statistics.mean(vals):.1f}" if vals else "n/a"


def clarity_table(rows: list[dict] | None, protocols: list[str] | None) -> str:
    """Mean clear-communication score per set, and the Cochrane pair ranking."""
    site = example_site_scores()
    scores = [s for _, s in site if s is not None]
    lines = [
        "| set | pages | mean score | lowest | pages scoring 90 or more |",
        "|---|---|---|---|---|",
        f"| example site | {len(site)} | {_mean(scores)} | {min(scores)} | "
        f"{sum(s >= 90 for s in scores)} of {len(scores)} |",
    ]
    if protocols:
        ps = [clarity_score(t) for t in protocols]
        vals = [s for s in ps if s is not None]
        lines.append(
            f"| protocol-style pages (registry texts) | {len(ps)} | {_mean(ps)} | {min(vals)} | "
            f"{sum(s >= 90 for s in vals)} of {len(vals)} |"
        )
    if rows:
        a = [clarity_score(r["abstract"]) for r in rows]
        p = [clarity_score(r["pls"]) for r in rows]
        for name, xs in (("Cochrane abstracts", a), ("Cochrane plain summaries", p)):
            vals = [s for s in xs if s is not None]
            lines.append(
                f"| {name} | {len(xs)} | {_mean(xs)} | {min(vals)} | "
                f"{sum(s >= 90 for s in vals)} of {len(vals)} |"
            )
        both = [(x, y) for x, y in zip(a, p, strict=True) if x is not None and y is not None]
        higher = sum(y > x for x, y in both)
        equal = sum(y == x for x, y in both)
        lines.append(
            f"\nCochrane pairs: the plain summary scores higher in {100 * higher / len(both):.1f}%,"
            f" the same in {100 * equal / len(both):.1f}%, lower in "
            f"{100 * (len(both) - higher - equal) / len(both):.1f}% of {len(both)} pairs."
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--pages", type=int, default=1000, help="pages for the timing (default 1000)")
    ap.add_argument("--fit", action="store_true", help="print freshly fitted gate coefficients")
    ap.add_argument(
        "--clarity",
        action="store_true",
        help="only the clear-communication table and grade ranking",
    )
    args = ap.parse_args(argv)
    cochrane = args.data / "cochrane-pls" / "pairs.jsonl"
    laymaker = args.data / "laymaker" / "pairs.jsonl"
    if not cochrane.is_file() or not laymaker.is_file():
        print("### Clear-communication score\n")
        print(clarity_table(None, None))
        print(
            f"\nbenchmark data not found under {args.data} (need cochrane-pls/pairs.jsonl and "
            "laymaker/pairs.jsonl; protocol-style pages come from ctgov/*.json): only the "
            "example site was measured. Pass --data DIR.",
            file=sys.stderr,
        )
        return 2
    rows = load_jsonl(cochrane)
    if args.fit:
        val = [(counts_of(r["abstract"]), counts_of(r["pls"])) for r in rows
               if r["orig_split"] == "val"]  # fmt: skip
        coef = fit(val, [counts_of(t) for t in plain_pages()])
        for k, v in coef.items():
            print(f"{k} = {v:.4f}")
        return 0
    if args.clarity:
        table, _ = cochrane_table(rows)
        print("### Cochrane abstracts vs plain-language summaries\n")
        print(table)
        print("\n### Clear-communication score\n")
        print(clarity_table(rows, protocol_pages(args.data / "ctgov")))
        return 0
    speed = speed_table(args.pages)  # first, so that its start-up time includes loading
    table, _ = cochrane_table(rows)
    print("### Cochrane abstracts vs plain-language summaries\n")
    print(table)
    plain = [sc.gate_grade(counts_of(t), "en") for t in plain_pages()]
    print(f"\nPlain calibration pages: mean gate grade {statistics.mean(plain):.1f} "
          f"(range {min(plain):.1f} to {max(plain):.1f}).")  # fmt: skip
    print(jargon_density_row(rows))
    print("\n### Laymaker clinical sentences\n")
    print(laymaker_table(load_jsonl(laymaker)))
    print("\n### Dictionary examples (suggestions applied mechanically)\n")
    print(examples_table())
    print("\n### Speed\n")
    print(speed)
    print("\n### Clear-communication score\n")
    print(clarity_table(rows, protocol_pages(args.data / "ctgov")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
