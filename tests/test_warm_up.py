"""Loading word data before the worker processes fork: only for the languages a build's
pages are in (Spanish lemma data costs about 2 s to load), and once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sitegen.build.workers import front_matter_lang

REPO = Path(__file__).parent.parent

PROBE = """
import sys
from pathlib import Path
from simplemma.strategies.dictionaries import dictionary_factory as factory
from sitegen.build import pool, workers
from sitegen.content.config import SiteConfig
from sitegen.readability import lexicon

loads = []
real = factory._load_dictionary_from_disk
factory._load_dictionary_from_disk = lambda lang: loads.append(lang) or real(lang)

def in_worker(word):
    return lexicon.lemma(word, "es"), loads

workers.warm_up(SiteConfig(), Path(sys.argv[1]), sys.argv[2:])
print(loads)
with pool.forked_pool(1) as executor:
    print(*executor.submit(in_worker, "aleatorizados").result())
"""


def _probe(root: Path, *langs: str) -> str:
    out = subprocess.run([sys.executable, "-c", PROBE, str(root), *langs], cwd=REPO,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return out.stdout.strip()


def test_an_english_site_does_not_load_spanish_lemmas(tmp_path: Path) -> None:
    before_fork, in_worker = _probe(tmp_path, "en").splitlines()
    assert before_fork == "[]"
    assert in_worker == "aleatorizar ['es']"  # a Spanish page still works: loaded on demand


def test_spanish_lemmas_are_loaded_once_before_the_fork(tmp_path: Path) -> None:
    before_fork, in_worker = _probe(tmp_path, "en", "es").splitlines()
    assert before_fork == "['es']"
    assert in_worker == "aleatorizar ['es']"  # the worker did not load them again


def test_front_matter_lang_reads_only_the_front_matter() -> None:
    assert front_matter_lang(b"---\ntitle: x\nlang: es\n---\nbody\n") == "es"
    assert front_matter_lang(b"---\nlang: 'es'\n---\n") == "es"
    assert front_matter_lang(b"---\ntitle: x\n---\nlang: es\n") is None
    assert front_matter_lang(b"no front matter\nlang: es\n") is None
    assert front_matter_lang(b"---\ntitle: x\n") is None
