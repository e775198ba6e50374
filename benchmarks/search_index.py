"""The search index at scale: a synthetic corpus of N pages of about 900 words each.

Words come from wordfreq's 20,000 most common English words, drawn with a Zipf-like
distribution (weight 1/rank), so a page has a few hundred distinct forms as real pages do.
Reports the time and peak memory of ``build_index``, the time of ``patch_index`` for one
changed page, and the index size.

    python benchmarks/search_index.py [N]
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections.abc import Iterator

from wordfreq import top_n_list

from sitegen.publish import searchindex
from sitegen.publish.searchdoc import SearchDoc, doc_id, terms

WORDS_PER_PAGE = 900
SECTIONS = 6


def page(rng: random.Random, vocab: list[str], weights: list[float], number: int) -> SearchDoc:
    """One synthetic page: a title, six sections with a heading and text."""
    drawn = rng.choices(vocab, cum_weights=weights, k=WORDS_PER_PAGE)
    size = WORDS_PER_PAGE // SECTIONS
    sections = tuple(
        (
            f"s{i}",
            " ".join(drawn[i * size : i * size + 4]),
            " ".join(drawn[i * size + 4 : (i + 1) * size]),
        )
        for i in range(SECTIONS)
    )
    return SearchDoc(f"/studies/p{number}/", " ".join(drawn[-8:]), sections, ())


def entries(n: int, seed: int = 1) -> Iterator[tuple[str, searchindex.Entry]]:
    """The pages' (doc id, (terms, filters)), made one at a time."""
    rng = random.Random(seed)
    vocab = top_n_list("en", 20000)
    cumulative: list[float] = []
    total = 0.0
    for rank in range(1, len(vocab) + 1):
        total += 1 / rank
        cumulative.append(total)
    statuses = ["Looking for volunteers", "Closed", "Not open yet"]
    for number in range(n):
        doc = page(rng, vocab, cumulative, number)
        filters = {"Status": [statuses[number % 3]], "Country": [f"C{number % 40}"]}
        yield doc_id(doc.url), (terms(doc, "en"), filters)


def peak_mib() -> float:
    """The process's peak resident memory so far (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_patch(
    label: str,
    files: dict[str, bytes],
    old: dict[str, searchindex.Entry],
    new: dict[str, searchindex.Entry],
) -> None:
    """Time one ``patch_index`` call and print what it writes."""
    started = time.perf_counter()
    write, delete = searchindex.patch_index("en", files.get, old, new)
    took = time.perf_counter() - started
    size = sum(map(len, write.values())) / 2**20
    print(
        f"patch_index, {label}: {took:.2f} s; {len(write)} files to write ({size:.1f} MiB), "
        f"{len(delete)} to delete"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    started = time.perf_counter()
    for _ in entries(n):
        pass
    making = time.perf_counter() - started
    print(f"making {n} pages' terms: {making:.1f} s; peak so far {peak_mib():.0f} MiB")
    before = peak_mib()
    started = time.perf_counter()
    files = searchindex.build_index("en", entries(n))
    build = time.perf_counter() - started - making
    size = sum(len(data) for data in files.values())
    print(
        f"build_index: {build:.1f} s (without making the terms), peak {peak_mib():.0f} MiB "
        f"(+{peak_mib() - before:.0f} MiB); {len(files)} files, {size / 2**20:.1f} MiB, "
        f"largest {max(map(len, files.values())) / 1024:.0f} KiB"
    )
    target = doc_id("/studies/p17/")
    old = {doc: entry for doc, entry in entries(18) if doc == target}
    weights, filters = old[target]
    edited = dict(weights)
    edited.pop(sorted(edited)[0])
    edited["sphygmomanometer"] = 30
    timed_patch("one word of one page changed", files, old, {target: (edited, filters)})
    other = next(iter(dict(entries(1, seed=99)).values()))
    timed_patch("one page rewritten", files, old, {target: other})
    timed_patch("one page added", files, {}, {doc_id("/studies/new/"): other})
    timed_patch("one page removed", files, old, {})


if __name__ == "__main__":
    main()
