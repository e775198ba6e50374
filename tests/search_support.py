"""The search index of a built site for the search page's browser tests: every searchable page
of the output (``searchdoc.extract``) written as ``search-index/<lang>/`` with
``searchindex.build_index`` and ``searchdoc.doc_json``, and the Python twin of the browser's
query (``searchindex.search_query``) to say what a query must show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.publish.searchdoc import SearchDoc, doc_id, doc_json, extract, terms
from sitegen.publish.searchindex import build_index, search_query


def page_url(output: Path, page: Path) -> str:
    """The site-relative URL of a built page (``studies/asthma/``, ``es/``, ``""``)."""
    folder = page.relative_to(output).parent.as_posix()
    return "" if folder == "." else folder + "/"


@dataclass(frozen=True)
class SiteIndex:
    """The searchable pages of a built site per language, by doc id, and its index folder."""

    folder: Path  # search-index/
    docs: Mapping[str, Mapping[str, SearchDoc]]  # lang -> doc id -> doc

    def query(self, lang: str, text: str, filters: Mapping[str, Sequence[str]] = {}) -> list[str]:
        """The site-relative URLs the query shows, in order."""

        def read(rel: str) -> bytes | None:
            path = self.folder / lang / rel
            return path.read_bytes() if path.is_file() else None

        return [self.docs[lang][i].url for i in search_query(read, text, filters)]


def write_index(output: Path, languages: Sequence[str], default: str) -> SiteIndex:
    """Index every searchable page of ``output`` as a full index of its own, and check that
    the build wrote exactly these files into ``output/search-index/<lang>/``."""
    docs: dict[str, dict[str, SearchDoc]] = {lang: {} for lang in languages}
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output)
        lang = rel.parts[0] if rel.parts[0] in languages else default
        doc = extract(page.read_text(encoding="utf-8"), page_url(output, page))
        if doc is not None:
            docs[lang][doc_id(doc.url)] = doc
    folder = output / "search-index"
    for lang, found in docs.items():
        entries = [
            (i, (terms(d, lang), {n: list(v) for n, v in d.filters})) for i, d in found.items()
        ]
        files = build_index(lang, entries)
        files |= {f"d/{i}.json": doc_json(d) for i, d in found.items()}
        for rel, data in files.items():
            target = folder / lang / rel
            # The build's own index (patched page by page) must be this full index exactly.
            assert target.read_bytes() == data, f"the build wrote a different {target}"
        built = {p.relative_to(folder / lang).as_posix() for p in (folder / lang).rglob("*")
                 if p.is_file()}  # fmt: skip
        assert built == set(files), sorted(built ^ set(files))[:5]
    return SiteIndex(folder, docs)
