"""Reader feedback, private by design: the form on the public pages, and the answers
reviewers import into the site.

* ``form_context`` gives the templates what the "Was this page easy to understand?" box
  needs (a plain HTML form to the site's endpoint, or a ``mailto:`` link); ``csp`` opens the
  page's ``form-action`` to that endpoint and nothing else. No script, no cookie.
* ``parse_file`` reads an export of the answers (CSV or JSON, format in docs/feedback.md);
  every problem is a diagnostic at ``file:line`` (codes FB001-FB005) and a file with an error
  is refused as a whole.
* ``import_file`` stores the answers in ``feedback/responses.json`` under the site: plain
  JSON data, read back with the same checks (it is never code); importing a file twice
  changes nothing.
* ``summarise`` and ``candidates`` give the reports the answers per page and the words readers
  marked hard that neither the dictionary nor the site glossary knows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sitegen.content.config import FEEDBACK_STORE, FeedbackConfig
from sitegen.core.atomic import atomic_write
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.render.glossary import Lexicon, site_lexicon

#: where the imported answers live, relative to the site root
STORE = FEEDBACK_STORE
MAX_BYTES = 5 * 1024 * 1024
FIELDS = ("page", "easy", "hard_words", "date", "lang")
_YES = {"yes", "y", "sí", "si", "true", "1"}
_NO = {"no", "n", "false", "0"}
_PAGE_RE = re.compile(r"^[A-Za-z0-9._~%/-]{0,300}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_WORDS_CHARS = 500
MAX_WORD_CHARS = 60


# ------------------------------------------------------------------------- public pages


def form_context(cfg: FeedbackConfig, page_url: str, lang: str, subject: str) -> dict[str, Any]:
    """What ``partials/feedback.html`` shows, or ``{}`` when feedback is off.

    ``mailto`` is a ready ``mailto:`` URL (subject and body filled in, percent-encoded) when
    the site has an e-mail address but no endpoint.
    """
    if not cfg.enabled:
        return {}
    out: dict[str, Any] = {"page": page_url, "endpoint": cfg.endpoint, "mailto": None}
    if not cfg.endpoint and cfg.email:
        body = subject  # the question and the page, prepared in the reader's language
        out["mailto"] = (
            f"mailto:{cfg.email}?subject={quote('Feedback: /' + page_url, safe='/')}"
            f"&body={quote(body, safe='')}"
        )
    return out


def csp(base: str, cfg: FeedbackConfig) -> str:
    """``base`` (a Content-Security-Policy) with the feedback endpoint's origin allowed as a
    form target; unchanged when feedback is off or posts to the site itself."""
    if not cfg.enabled or not cfg.endpoint or not cfg.endpoint.startswith("https://"):
        return base
    origin = "https://" + cfg.endpoint[len("https://") :].split("/", 1)[0]
    return base.replace("form-action 'self'", f"form-action 'self' {origin}")


# ------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Response:
    """One reader's answer about one page."""

    page: str  # the page's URL in the site, e.g. "studies/asthma-inhaler/"
    easy: bool | None
    hard_words: tuple[str, ...] = ()
    date: str | None = None
    lang: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The stored form (keys in a fixed order)."""
        return {
            "page": self.page,
            "easy": self.easy,
            "hard_words": list(self.hard_words),
            "date": self.date,
            "lang": self.lang,
        }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return value if isinstance(value, str) else None


def check_row(
    row: dict[str, Any], path: str, line: int
) -> tuple[Response | None, list[Diagnostic]]:
    """Validate one answer (a CSV row or a JSON object) found at ``path:line``."""
    diags: list[Diagnostic] = []

    def bad(name: str, message: str, hint: str = "") -> None:
        diags.append(error(path, line, 0, "FB004", f"{name}: {message}", hint))

    for key in row:
        if key not in FIELDS:
            bad(str(key), f"unknown field; expected {', '.join(FIELDS)}")
    page = _text(row.get("page"))
    if page is None or not page.strip():
        diags.append(error(path, line, 0, "FB003", "page: missing; the page's address in the site"))
    else:
        page = page.strip().lstrip("/")
        if not _PAGE_RE.match(page) or ".." in page.split("/") or "//" in page:
            bad("page", f'"{_clip(page)}" is not a page address of this site',
                'write it as the form sends it, e.g. "studies/asthma-inhaler/"')  # fmt: skip
    raw_easy = row.get("easy")
    easy: bool | None = None
    if isinstance(raw_easy, bool):
        easy = raw_easy
    else:
        text = (_text(raw_easy) or "").strip().casefold()
        if text in _YES:
            easy = True
        elif text in _NO:
            easy = False
        elif text:
            bad("easy", f'"{_clip(text)}" is not yes or no')
    words_raw = row.get("hard_words")
    words: tuple[str, ...] = ()
    if isinstance(words_raw, list):
        words_raw = ", ".join(w for w in words_raw if isinstance(w, str))
    words_text = _text(words_raw) or ""
    if len(words_text) > MAX_WORDS_CHARS:
        bad("hard_words", f"{len(words_text)} characters; at most {MAX_WORDS_CHARS}")
    else:
        words = tuple(
            w for w in (_CONTROL.sub(" ", p).strip() for p in re.split(r"[,;\n]", words_text)) if w
        )
        for w in words:
            if len(w) > MAX_WORD_CHARS:
                bad("hard_words", f'"{_clip(w)}" is longer than {MAX_WORD_CHARS} characters')
    if easy is None and not words and not diags:
        bad("easy", "neither an answer (yes or no) nor hard words")
    date = (_text(row.get("date")) or "").strip() or None
    if date is not None and not _DATE_RE.match(date):
        bad("date", f'"{_clip(date)}" is not a date YYYY-MM-DD')
    lang = (_text(row.get("lang")) or "").strip() or None
    if lang is not None and lang not in ("en", "es"):
        bad("lang", f'"{_clip(lang)}" is not en or es')
    if diags or page is None:
        return None, diags
    return Response(page, easy, words, date, lang), diags


def _clip(text: str, n: int = 40) -> str:
    text = _CONTROL.sub("?", text)
    return text if len(text) <= n else text[: n - 1] + "…"


def parse_text(text: str, path: str, kind: str) -> tuple[list[Response], list[Diagnostic]]:
    """Answers from the text of a ``kind`` ("csv" or "json") export; every problem found."""
    rows = _csv_rows(text, path) if kind == "csv" else _json_rows(text, path)
    if isinstance(rows, Diagnostic):
        return [], [rows]
    out: list[Response] = []
    diags: list[Diagnostic] = []
    for line, row in rows:
        resp, more = check_row(row, path, line)
        diags += more
        if resp is not None:
            out.append(resp)
    if not rows and not diags:
        diags.append(warning(path, 0, 0, "FB003", "the file holds no answers"))
    return out, diags


def _csv_rows(text: str, path: str) -> list[tuple[int, dict[str, Any]]] | Diagnostic:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return []
        names = [h.strip().casefold() for h in header]
        if "page" not in names:
            return error(path, 1, 1, "FB003", "the first line must name the columns; "
                         '"page" is missing', f"columns: {', '.join(FIELDS)}")  # fmt: skip
        rows = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(names):
                return error(path, line, 1, "FB002",
                             f"{len(values)} values for {len(names)} columns")  # fmt: skip
            rows.append((line, dict(zip(names, values, strict=True))))
        return rows
    except csv.Error as exc:
        return error(path, reader.line_num, 1, "FB002", f"not valid CSV: {exc}")


def _json_rows(text: str, path: str) -> list[tuple[int, dict[str, Any]]] | Diagnostic:
    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed")

    decoder = json.JSONDecoder(parse_constant=no_constant)
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        return error(path, exc.lineno, exc.colno, "FB002", f"not valid JSON: {exc.msg}")
    except (ValueError, RecursionError) as exc:
        return error(path, 0, 0, "FB002", f"not valid JSON: {exc}")
    if isinstance(data, dict) and isinstance(data.get("responses"), list):
        start = text.index("[", text.index('"responses"'))
        data = data["responses"]
    elif isinstance(data, list):
        start = text.index("[")
    else:
        return error(path, 1, 1, "FB003", 'expected a list of answers, or {"responses": [...]}')
    # Find where each item starts, for its line number.
    rows = []
    pos = start + 1
    for item in data:
        while text[pos] in " \t\r\n,":
            pos += 1
        line = text.count("\n", 0, pos) + 1
        _, pos = decoder.raw_decode(text, pos)
        if not isinstance(item, dict):
            return error(path, line, 0, "FB003", "each answer must be an object with a page")
        rows.append((line, item))
    return rows


def parse_file(path: Path, shown: str) -> tuple[list[Response], list[Diagnostic]]:
    """Read one export (``.csv`` or ``.json``, UTF-8, at most 5 MB)."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("csv", "json"):
        return [], [error(shown, 0, 0, "FB001", "expected a .csv or .json file of answers")]
    try:
        if path.stat().st_size > MAX_BYTES:
            return [], [error(shown, 0, 0, "FB001", "file is larger than 5 MB")]
        raw = path.read_bytes()
    except OSError as exc:
        return [], [error(shown, 0, 0, "FB001", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [], [error(shown, line, 0, "FB001", "file is not UTF-8 text")]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return [], [error(shown, line, 0, "FB001", "file contains a NUL character")]
    return parse_text(text, shown, kind)


# ------------------------------------------------------------------------- the store


@dataclass
class Store:
    """The imported answers: one batch per imported file (by its checksum)."""

    batches: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def responses(self) -> list[Response]:
        """Every stored answer, batches in checksum order."""
        out = []
        for key in sorted(self.batches):
            out.extend(self.batches[key]["responses"])
        return out

    def dumps(self) -> str:
        """The store as JSON (sorted, one answer per line)."""
        lines = ['{"version": 1, "imports": [']
        items = []
        for key in sorted(self.batches):
            b = self.batches[key]
            answers = ",\n    ".join(
                json.dumps(r.to_json(), ensure_ascii=False) for r in b["responses"]
            )
            name = json.dumps(b["file"], ensure_ascii=False)
            items.append(
                f'  {{"sha256": {json.dumps(key)}, "file": {name},'
                f' "responses": [\n    {answers}\n  ]}}'
            )
        lines.append(",\n".join(items))
        lines.append("]}")
        return "\n".join(lines) + "\n"


def load_store(root: Path) -> tuple[Store, list[Diagnostic]]:
    """Read ``feedback/responses.json``; a missing file is an empty store, a damaged one a
    warning (FB005) and an empty store. Every answer is checked again: the file is data."""
    path = root / STORE
    store = Store()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return store, []
    except (OSError, UnicodeDecodeError) as exc:
        return store, [warning(STORE, 0, 0, "FB005", f"cannot read the stored answers: {exc}")]
    try:
        data = json.loads(text)
        for batch in data["imports"]:
            answers = []
            for item in batch["responses"]:
                resp, diags = check_row(item, STORE, 0)
                if resp is None:
                    raise ValueError(diags[0].message if diags else "bad answer")
                answers.append(resp)
            key = str(batch["sha256"])
            store.batches[key] = {"file": str(batch["file"]), "responses": answers}
    except (ValueError, KeyError, TypeError) as exc:
        return Store(), [
            warning(
                STORE,
                0,
                0,
                "FB005",
                f"the stored answers are damaged and were ignored: {exc}",
                "import the exported files again",
            )
        ]
    return store, []


def import_file(root: Path, path: Path, shown: str) -> tuple[int, list[Diagnostic]]:
    """Add the answers of one export to the store; return how many were added (0 when the
    file has an error, or was imported before)."""
    answers, diags = parse_file(path, shown)
    if any(d.is_error for d in diags):
        return 0, diags
    store, more = load_store(root)
    diags += more
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    if key in store.batches:
        diags.append(warning(shown, 0, 0, "FB005", "this file was imported before; nothing added"))
        return 0, diags
    store.batches[key] = {"file": path.name, "responses": answers}
    target = root / STORE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, store.dumps().encode("utf-8"))
    except OSError as exc:
        diags.append(error(STORE, 0, 0, "FB001", f"cannot write the stored answers: {exc}"))
        return 0, diags
    return len(answers), diags


# ------------------------------------------------------------------------- for the reports


@dataclass(frozen=True)
class PageFeedback:
    """What readers said about one page."""

    yes: int
    no: int
    words: tuple[tuple[str, int], ...]  # hard words, most often marked first

    @property
    def total(self) -> int:
        """How many answered yes or no."""
        return self.yes + self.no


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def summarise(responses: Iterable[Response]) -> dict[str, PageFeedback]:
    """Page URL -> its answers."""
    yes: Counter[str] = Counter()
    no: Counter[str] = Counter()
    words: dict[str, Counter[str]] = {}
    pages: set[str] = set()
    for r in responses:
        pages.add(r.page)
        if r.easy is True:
            yes[r.page] += 1
        elif r.easy is False:
            no[r.page] += 1
        for w in r.hard_words:
            words.setdefault(r.page, Counter())[_key(w)] += 1
    return {
        page: PageFeedback(
            yes[page],
            no[page],
            tuple(sorted(words.get(page, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))),
        )
        for page in sorted(pages)
    }


@dataclass(frozen=True)
class Candidate:
    """A word readers marked hard that no dictionary or glossary entry explains."""

    word: str
    lang: str
    count: int
    pages: tuple[str, ...]


def candidates(
    responses: Iterable[Response],
    lang_of: Callable[[str], str],
    known: Callable[[str, str], bool],
) -> list[Candidate]:
    """Hard words (per language) that ``known(word, lang)`` does not explain, most marked
    first. ``lang_of(page)`` gives a page's language (the answer's own ``lang`` wins)."""
    count: Counter[tuple[str, str]] = Counter()
    pages: dict[tuple[str, str], set[str]] = {}
    for r in responses:
        lang = r.lang or lang_of(r.page)
        for w in r.hard_words:
            k = (_key(w), lang)
            count[k] += 1
            pages.setdefault(k, set()).add(r.page)
    out = [
        Candidate(word, lang, n, tuple(sorted(pages[word, lang])))
        for (word, lang), n in count.items()
        if not known(word, lang)
    ]
    return sorted(out, key=lambda c: (-c.count, c.lang, c.word))


def lexicon_knows(extra: Sequence[Path]) -> Callable[[str, str], bool]:
    """``known(word, lang)``: the packaged dictionary or a site glossary has an entry that
    covers the whole of ``word``."""
    lexicons: dict[str, Lexicon] = {}

    def known(word: str, lang: str) -> bool:
        if lang not in lexicons:
            lexicons[lang] = site_lexicon(lang, tuple(extra))
        found = lexicons[lang].find(word)
        return any(start == 0 and end == len(word) for start, end, _ in found)

    return known
