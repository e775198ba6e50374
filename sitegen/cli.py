"""Command line: argparse verbs, printing, progress, exit codes. ``build.py`` only calls
``main()``.

Exit codes: 0 success, 1 content problems or blocked pages, 2 usage or set-up problems.
Colour marks ``error:`` and ``warning:`` only when the stream is a terminal and ``NO_COLOR``
is unset (https://no-color.org); the progress bar shows only on a terminal.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sitegen import __version__
from sitegen.build import manifest
from sitegen.commands.fixes import apply_fixes, page_fixes, read_source, unified_diff, write_source
from sitegen.commands.newsite import InitError, create_site
from sitegen.content import reader
from sitegen.content.config import SiteConfig, load_config
from sitegen.core.cmdline import command, program
from sitegen.core.diagnostics import Diagnostic, count, error, sorted_diagnostics
from sitegen.core.sitelock import CacheFolderProblem, SiteBusy, lock_problem, site_lock
from sitegen.core.textsafety import first_unsafe, printed_lines
from sitegen.core.worddiff import changed, terminal_lines
from sitegen.readability.formats import clarity_summary, page_diagnostics
from sitegen.render.feedback import STORE, import_file

if TYPE_CHECKING:
    from sitegen.build.pipeline import BuildResult

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
PROGRESS_MIN_PAGES = 20

EXIT_CODES = """exit codes:
  0  success
  1  content problems or pages blocked by the readability gate
  2  usage problems: unknown verb or option, missing file, bad site folder"""

EPILOG_MAIN = f"""examples:
  python build.py                          build the site in this folder into output/
  python build.py check                    check every page, publish nothing
  python build.py serve                    preview the site at http://127.0.0.1:8000/
  python build.py new study "Testing a walking plan for knee pain"
  python build.py import ctgov downloads/NCT01234567.json
  python build.py init my-site             start a new site of your own in my-site/

Run 'python build.py VERB --help' for the options of one verb. With no verb, 'build' runs.

{EXIT_CODES}"""
EPILOG_BUILD = """examples:
  python build.py                 build the site in this folder into output/
  python build.py build --root my-site
  python build.py build -q        print errors only (for CI logs)
  python build.py build --strict  publish nothing if any page is blocked

A page blocked by the readability gate is withheld: its last published version stays live
unchanged (a page never published is left out), every other page is published, and the
build names each withheld page and exits 0. --strict publishes nothing instead (exit 1).
Drafts never stop a build.

exit codes: 0 built (blocked pages withheld), 1 content problems, or blocked pages with
--strict (output/ left as it was), 2 usage"""
EPILOG_CHECK = """examples:
  python build.py check                               check every page
  python build.py check content/studies/asthma-inhaler.md  check one file
  python build.py check --format json > readability.json
  python build.py check --format sarif > sitegen.sarif
  python build.py check --diff content/studies/asthma-inhaler.md  show the safe fixes
  python build.py check --fix                         apply them, then check again

exit codes: 0 no page blocked, 1 a page is blocked or has errors, 2 usage"""
EPILOG_APPROVE = """examples:
  python build.py approve content/studies/asthma-inhaler.md --by "A. Reviewer"
  python build.py approve content/studies/asthma-inhaler.md --by "A. Reviewer" --role patient --yes
  python build.py approve content/studies/asthma-inhaler.md --by "A. Reviewer" \\
      --waive JG001:randomized --reason "Explained at the first visit"

A sign-off accepts every finding the page has now and publishes it as it is; it records a
hash of everything a patient reads, so any later change re-opens the review (and the next
approve shows what changed). It asks before writing on a terminal; --yes does not ask.
--waive accepts single findings without signing the page off.
exit codes: 0 signed off, 1 the page has errors or the answer was no, 2 usage or bad input"""
EPILOG_TRANSLATED = """examples:
  python build.py translated content/studies/asma-inhalador.md

Run it once the translation says everything its original says. It writes the version (a
hash) of the original into translated_from:; when the original changes, the build warns
(TR002) and the published translation tells readers it may be out of date.
exit codes: 0 recorded, 1 not a translation or the page has errors, 2 usage"""
EPILOG_SERVE = """examples:
  python build.py serve                      preview at http://127.0.0.1:8000/, open a browser
  python build.py serve --port 0 --no-open   any free port (printed), no browser
  python build.py serve -v                   also print every finding and rebuild times

The preview is built into .sitegen-preview/ (never output/). It shows drafts and blocked
pages with a banner, and a readability panel on every page. Saving a file under content/ or
templates/, site.yml or a glossary file rebuilds it and reloads open tabs. Stop with Ctrl+C.
Only this computer can see the preview unless --host names another address.

exit codes: 0 stopped with Ctrl+C, 2 usage (e.g. the port is in use)"""
EPILOG_NEW = """examples:
  python build.py new study "Testing a walking plan for knee pain"
  python build.py new study "Un plan de caminatas para el dolor de rodilla" --lang es
  python build.py new page "Parking at the hospital"

Writes content/studies/<slug>.md or content/pages/<slug>.md as a draft with every field of
the content model listed and explained. It never overwrites a file.
exit codes: 0 created, 1 the file already exists, 2 usage (e.g. a title over 80 characters)"""
EPILOG_INIT = """examples:
  python build.py init my-site             a new site in the folder my-site
  python build.py init my-site --example   a copy of the example site, to look around
  python build.py init                     a new site in this folder

Writes site.yml (every setting listed and explained), content/studies/, content/pages/
with a first page, templates/ and a .gitignore. It never overwrites a file.
exit codes: 0 created, 1 a file it would write exists already, 2 usage"""
EPILOG_IMPORT = """examples:
  python build.py import ctgov NCT01234567.json
  python build.py import ctgov downloads/              every .json file in the folder
  python build.py import ctgov NCT01234567.json --overwrite

Records are ClinicalTrials.gov API v2 study JSON. Each becomes a draft page in
content/studies/ for a writer to finish; existing pages are kept unless --overwrite.
exit codes: 0 every record imported, 1 a record failed or a page exists, 2 usage"""

EPILOG_FEEDBACK = """examples:
  python build.py feedback import answers.csv
  python build.py feedback import export.json

The file is an export of what readers sent with the "Was this page easy to understand?"
form: CSV with the columns page, easy, hard_words, date, lang (only page is required), or a
JSON list of objects with the same keys; docs/feedback.md has the details. The answers are
stored in feedback/responses.json and shown in the reviewer reports after the next build.
A file with any bad line is refused as a whole, naming file:line.
exit codes: 0 stored (or imported before), 1 the file was refused, 2 usage"""

_SEVERITY = re.compile(r"^(.*?: )(error|warning)(: )")
_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _jobs(text: str) -> int:
    """A positive number of worker processes."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0 to 65535, not {value}")
    return value


# long: one flat argparse table of every verb and option; split, the command line's shape is lost
def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every verb."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog="sitegen",
        description="Build patient-friendly clinical study pages, with a readability gate.",
        epilog=EPILOG_MAIN,
        formatter_class=raw,
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="verb", parser_class=_Parser, metavar="VERB")
    parser.epilog = _here(EPILOG_MAIN)

    def verb(name: str, help: str, epilog: str) -> argparse.ArgumentParser:
        epilog = _here(epilog)
        p = sub.add_parser(name, help=help, description=help, epilog=epilog, formatter_class=raw)
        p.add_argument("--root", default=".", help="site folder with site.yml (default: .)")
        loud = p.add_mutually_exclusive_group()
        loud.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        loud.add_argument("-v", "--verbose", action="store_true", help="print notes too")
        return p

    def speed(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "-j", "--jobs", type=_jobs, default=None,
            help="worker processes (default: one per core; the output is the same)",
        )  # fmt: skip
        p.add_argument(
            "--clean", action="store_true", help="ignore the cache in .sitegen-cache/ and rebuild"
        )

    p = verb("build", "check every page and publish the site into output/", EPILOG_BUILD)
    speed(p)
    p.add_argument(
        "--strict",
        action="store_true",
        help="publish nothing when a page is blocked (default: withhold the blocked pages)",
    )
    p = verb("check", "check readability and content without publishing", EPILOG_CHECK)
    speed(p)
    p.add_argument("paths", nargs="*", help="Markdown files to check (default: the whole site)")
    p.add_argument(
        "--format",
        choices=("text", "json", "sarif"),
        default="text",
        help="text: one line per problem (default); json or sarif: for other tools",
    )
    p.add_argument(
        "--fix", action="store_true", help="apply every safe plain-word swap to the files"
    )
    p.add_argument(
        "--diff", action="store_true", help="show the --fix changes as a diff; write nothing"
    )
    p = verb("approve", "record a reviewer's sign-off of a page's current text", EPILOG_APPROVE)
    p.add_argument("page", help="the content file to sign off")
    p.add_argument("--by", required=True, help="the reviewer's name (at most 100 characters)")
    p.add_argument("--role", help="the reviewer's role, when site.yml lists review roles")
    p.add_argument("--date", help="date of the sign-off, YYYY-MM-DD (default: today)")
    p.add_argument(
        "--waive", action="append", default=[], metavar="CODE[:TEXT]",
        help="accept single findings only (the page is not signed off); needs --reason",
    )  # fmt: skip
    p.add_argument("--reason", default="", help="why the waived findings are acceptable")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p = verb(
        "translated",
        "record that a translation matches its original as it is now",
        EPILOG_TRANSLATED,
    )
    p.add_argument("page", help="the translated content file")
    p = verb("serve", "preview the site while you write; reloads on every save", EPILOG_SERVE)
    p.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0: any free)")
    p.add_argument(
        "--host",
        default=None,
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    p.add_argument("--no-open", action="store_true", help="do not open a browser")
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name (default: loopback names only)",
    )
    p = verb("new", "start a new study or page from a commented template", EPILOG_NEW)
    p.add_argument("kind", choices=("study", "page", "result"), help="what to create")
    p.add_argument("title", help="the page title, in plain words (80 characters at most)")
    p.add_argument("--lang", choices=("en", "es"), help="language (default: the site's)")
    p = verb("import", "turn registry records into draft study pages", EPILOG_IMPORT)
    p.add_argument("source", choices=("ctgov",), help="the registry format: ctgov")
    p.add_argument("paths", nargs="+", metavar="FILE.json|DIR", help="records to import")
    p.add_argument("--overwrite", action="store_true", help="replace existing pages")
    p = verb("feedback", "store readers' answers for the reviewer reports", EPILOG_FEEDBACK)
    p.add_argument("action", choices=("import",), help="import: add an export of answers")
    p.add_argument("file", help="the exported answers (.csv or .json)")
    p = sub.add_parser(
        "init",
        help="start a new site in a folder",
        description="start a new site in a folder",
        epilog=_here(EPILOG_INIT),
        formatter_class=raw,
    )
    p.add_argument(
        "folder", nargs="?", default=".", help="where to start it (default: this folder)"
    )
    p.add_argument("--example", action="store_true", help="copy the example site instead")
    p.add_argument("--title", help="the site's name (default: made from the folder name)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    return parser


def _here(text: str) -> str:
    """Help text with its example commands spelt the way sitegen was started this time."""
    return text.replace("python build.py", program())


# --------------------------------------------------------------------------------------------
# Output


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set or ``TERM=dumb``."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, colour: bool) -> str:
    """Colour the ``error:``/``warning:`` word of a diagnostic's first line."""
    if not colour:
        return text
    return _SEVERITY.sub(lambda m: f"{m[1]}{_COLOURS[m[2]]}{m[2]}\x1b[0m{m[3]}", text, count=1)


def print_diags(
    diags: Iterable[Diagnostic], out: TextIO, *, quiet: bool = False, verbose: bool = False
) -> None:
    """Print diagnostics sorted by place: errors only with ``quiet``, notes only ``verbose``."""
    print_lines(printed_lines(diags), out, quiet=quiet, verbose=verbose)


def print_lines(
    lines: Iterable[tuple[str, str]], out: TextIO, *, quiet: bool = False, verbose: bool = False
) -> None:
    """Print diagnostics as ``printed_lines`` makes them (``print_diags``' rules)."""
    colour = use_colour(out)
    shown = [
        paint(text, colour)
        for severity, text in lines
        if (severity == "error" or not quiet) and (severity != "note" or verbose)
    ]
    if shown:
        out.write("\n".join(shown) + "\n")


class _Bar:
    """A rich progress bar on stderr, started on the first update of a large enough job."""

    def __init__(self, what: str, enabled: bool) -> None:
        self.what = what
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def update(self, done: int, total: int) -> None:
        """``progress(done, total)`` for ``build_site``."""
        if not self.enabled or total <= PROGRESS_MIN_PAGES:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
                # No refresh thread: the build forks worker processes, and forking a
                # process with threads running is unsafe. The bar redraws on each update.
                auto_refresh=False,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=total)
        self.bar.update(self.task, completed=done, total=total)
        self.bar.refresh()

    def stop(self) -> None:
        """Remove the bar from the terminal."""
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress_bar(args: argparse.Namespace, what: str) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback: a bar on stderr for more than
    ``PROGRESS_MIN_PAGES`` pages, only on a terminal and not with ``-q``."""
    bar = _Bar(what, enabled=not args.quiet and sys.stderr.isatty())
    try:
        yield bar.update
    finally:
        bar.stop()


#: pages link to folders ("studies/x/"), which a browser shows as file listings from disk
_BROWSE_HINT = (
    "Browse: {serve} (opened from disk with file://, links to folders show file listings)"
)


def _serve_command() -> str:
    """The serve command spelt the way this program was started."""
    return f"{program()} serve"


def _rel(p: Path) -> str:
    try:
        return os.path.relpath(p, Path.cwd())
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(p)


def _usage_error(message: str) -> int:
    print(f"sitegen: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _load(root: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    config, diags = load_config(root)
    if config is None:
        print_diags(diags, sys.stderr, verbose=True)
    return config, diags


# --------------------------------------------------------------------------------------------
# Verbs


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list = ["build", *args_list]
    parser = make_parser()
    args = parser.parse_args(args_list)
    if args.verb is None:  # pragma: no cover - argparse needs a verb after the rewrite above
        args = parser.parse_args(["build"])
    if args.verb == "init":
        return cmd_init(args)
    root = Path(args.root).resolve()
    if not root.is_dir():
        return _usage_error(f"site folder {args.root} does not exist")
    commands: dict[str, Callable[[Path, argparse.Namespace], int]] = {
        "build": cmd_build,
        "check": cmd_check,
        "approve": cmd_approve,
        "translated": cmd_translated,
        "serve": cmd_serve,
        "new": cmd_new,
        "import": cmd_import,
        "feedback": cmd_feedback,
    }
    try:
        if args.verb in LOCKED_VERBS:
            return _locked(root, args, commands[args.verb])
        return commands[args.verb](root, args)
    except KeyboardInterrupt:
        print("sitegen: interrupted; output/ was left as it was", file=sys.stderr)
        return 130


#: verbs that hold the site's lock while they run (``sitelock``); ``serve`` takes it for
#: each rebuild instead, so that a check can run between two saves
LOCKED_VERBS = ("build", "check", "approve", "translated", "import")


def _locked(
    root: Path, args: argparse.Namespace, command: Callable[[Path, argparse.Namespace], int]
) -> int:
    """Run ``command`` holding the site's lock; refuse at once if another command has it."""
    try:
        with site_lock(root, args.verb), _no_full_collections():
            return command(root, args)
    except (SiteBusy, CacheFolderProblem) as exc:
        print_diags([lock_problem(exc)], sys.stderr)
        return EXIT_CONTENT


@contextmanager
def _no_full_collections() -> Iterator[None]:
    """No automatic full garbage collection while a one-shot command runs.

    A build keeps every page's result until it ends and makes little cyclic garbage, so
    each full collection walks all those results again and frees next to nothing: at 300
    pages that was a fifth of the main process's CPU time (0.45 s of 2.2 s). The younger
    generations are still collected as usual (forked workers inherit the setting); the
    thresholds are restored afterwards.
    """
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(*before)


#: a third-generation threshold no command reaches (a count of second-generation collections)
_NEVER = 1 << 30


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def cmd_build(root: Path, args: argparse.Namespace) -> int:
    """``sitegen build``; after Ctrl+C it says whether ``output/`` was replaced, and the next
    build runs in full and writes the reports again (they may describe this unfinished one)."""
    config, _ = load_config(root)
    shown = config.output_dir if config is not None else "output"
    before = _identity(root / shown)
    try:
        return _build(root, args)
    except KeyboardInterrupt:
        manifest.forget_interrupted(root)
        if _identity(root / shown) != before:
            state = f"the new site had already been published to {shown}/"
        else:
            state = f"{shown}/ was left as it was"
        print(
            f"sitegen: interrupted; {state}. Run the build again to bring the reports up to date.",
            file=sys.stderr,
        )
        return 130


def _build(root: Path, args: argparse.Namespace) -> int:
    """``sitegen build``."""
    config, diags = _load(root)
    if config is None:
        return EXIT_CONTENT
    started = time.perf_counter()
    fingerprint, last = manifest.up_to_date(
        root, config, diags, clean=args.clean, strict=args.strict
    )
    if last is not None:
        print_lines(last.lines, sys.stderr, quiet=args.quiet, verbose=args.verbose)
        if not args.quiet:
            print(
                f"Up to date: nothing changed since the last build ({last.pages_written} pages"
                f", checked in {time.perf_counter() - started:.2f} s): "
                f"{last.errors} errors, {last.warnings} warnings."
            )
            _print_where(root, config, root / config.reports_dir / "index.html")
        return EXIT_OK
    manifest.forget(root)
    # start-up: ~655 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.build.pipeline import build_site  # heavy imports only when there is work to do

    # start-up: ~539 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.report import write_reports

    early: list[tuple[BuildResult, tuple[Path, list[Diagnostic]]]] = []

    def reports_while_indexing(provisional: BuildResult) -> None:
        """The reports, written before the new site is swapped in, as they are if it is."""
        early.append(
            (
                provisional,
                write_reports(root, config, provisional, reuse=not args.clean, jobs=args.jobs),
            )
        )

    with progress_bar(args, "Checking pages") as progress:
        result = build_site(
            root,
            config,
            progress=progress,
            jobs=args.jobs,
            use_cache=not args.clean,
            while_indexing=reports_while_indexing,
            strict=args.strict,
        )
    if early and result.published and early[0][0].diagnostics == result.diagnostics:
        report_index, report_problems = early[0][1]
    else:  # not written yet, or written for an outcome that did not happen
        report_index, report_problems = write_reports(
            root, config, result, reuse=not args.clean, again=bool(early), jobs=args.jobs
        )
    all_diags = [*diags, *result.diagnostics, *report_problems]
    printed = printed_lines(all_diags)  # sorted and formatted once: printed and recorded
    print_lines(printed, sys.stderr, quiet=args.quiet, verbose=args.verbose)
    errors, warnings = count(all_diags)
    if result.published:
        if not report_problems:  # else the next build runs and writes the reports again
            _record(root, config, fingerprint, result, diags, printed, (errors, warnings))
        _print_built(root, config, result, report_index, args, (errors, warnings))
        return EXIT_OK
    print(
        f"Build failed: {errors} errors, {warnings} warnings. Nothing was published; "
        f"{config.output_dir}/ was left as it was.",
        file=sys.stderr,
    )
    print(f"Report: {_rel(report_index)}", file=sys.stderr)
    return EXIT_CONTENT


def _record(
    root: Path,
    config: SiteConfig,
    fingerprint: str,
    result: BuildResult,
    config_diags: list[Diagnostic],
    printed: list[tuple[str, str]],
    totals: tuple[int, int],
) -> None:
    """The manifest of a published build, for the next no-change check."""
    drafts = sum(1 for r in result.results if r.page.draft)
    manifest.record_build(
        root,
        config,
        fingerprint,
        pages_written=result.pages_written,
        content_pages=len(result.results) - drafts,
        drafts=drafts,
        config_lines=[text for _, text in printed_lines(config_diags)],
        printed=printed,
        totals=totals,
        withheld=any(d.code == "GATE002" for d in result.diagnostics),
    )


def _print_where(root: Path, config: SiteConfig, report_index: Path) -> None:
    """Where the site and the reports are, and how to browse the site."""
    print(f"Site:   {_rel(root / config.output_dir / 'index.html')}")
    print(_BROWSE_HINT.format(serve=_serve_command()))
    print(f"Report: {_rel(report_index)}")


def _print_built(
    root: Path,
    config: SiteConfig,
    result: BuildResult,
    report_index: Path,
    args: argparse.Namespace,
    totals: tuple[int, int],
) -> None:
    """What a published build did: withheld pages, the summary line, where things are."""
    if result.withheld:
        print(
            f"Withheld {len(result.withheld)} blocked page(s); the rest of the site was "
            "published. A withheld page's last published version stays live unchanged; a "
            "page never published is left out:",
            file=sys.stderr,
        )
        for path, why in result.withheld:
            print(f"  {path}: {why}", file=sys.stderr)
    if args.quiet:
        return
    drafts = sum(1 for r in result.results if r.page.draft)
    print(
        f"Built {result.pages_written} pages ({len(result.results) - drafts} from content"
        f", {drafts} drafts not published) in {result.elapsed:.2f} s: "
        f"{totals[0]} errors, {totals[1]} warnings."
    )
    if args.verbose:
        kept = result.files_written - result.files_rendered
        print(
            f"Rendered {result.files_rendered} of {result.files_written} files; "
            f"{kept} were unchanged since the last build and kept."
        )
    _print_where(root, config, report_index)
    _print_clarity(result, args)


def _print_clarity(result: BuildResult, args: argparse.Namespace) -> None:
    """The clear-communication summary lines of build and check."""
    for line in clarity_summary(result.checks, every=args.verbose):
        print(line)


def cmd_check(root: Path, args: argparse.Namespace) -> int:
    """``sitegen check [PATHS]``."""
    # start-up: ~655 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.build.pipeline import GATE_PREFIXES, BuildResult, build_site

    # start-up: ~539 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.report import readability_json_bytes, sarif_bytes, write_reports

    config, diags = _load(root)
    if config is None:
        return EXIT_CONTENT
    only = None
    loose: list[tuple[str, Path | None]] = []  # files that are not pages of this site
    if args.paths:
        only = []
        found, _ = reader.discover(root, config.content_dir)
        pages = {rel for rel, _, _ in found}
        for p in args.paths:
            if p == "-":
                loose.append(("<stdin>", None))
                continue
            full = Path(p).resolve()
            if full.is_dir():
                return _usage_error(f"{p} is a folder: name the files to check")
            if not full.is_file():
                return _usage_error(f"no such file: {p}")
            try:
                rel = full.relative_to(root).as_posix()
            except ValueError:
                rel = ""
            if rel in pages:
                only.append(rel)
            else:  # checked on its own, with the site's settings (or the defaults)
                loose.append((rel or p, full))

    def run() -> BuildResult:
        if only == [] and loose:
            return BuildResult()
        with progress_bar(args, "Checking pages") as progress:
            return build_site(
                root,
                config,
                write=False,
                only=only,
                progress=progress,
                jobs=args.jobs,
                use_cache=not args.clean,
                resolve_links=False,
            )

    result = run()
    if loose:
        _check_loose(root, config, loose, result)
    if args.fix or args.diff:
        result = _fix_pages(root, result, run, write=args.fix, diff=args.diff)
    all_diags = [*diags, *result.diagnostics]
    if only is None:
        all_diags += write_reports(root, config, result, reuse=not args.clean, jobs=args.jobs)[1]
    blocked = result.blocked
    errors, warnings = count(all_diags)
    if args.format == "json":
        sys.stdout.write(readability_json_bytes(result.checks, all_diags).decode("utf-8"))
        print_diags(
            [d for d in all_diags if not d.code.startswith(GATE_PREFIXES)],
            sys.stderr,
            quiet=True,
        )
    elif args.format == "sarif":
        sys.stdout.write(sarif_bytes(result.checks, all_diags).decode("utf-8"))
    else:
        print_diags(all_diags, sys.stdout, quiet=args.quiet, verbose=args.verbose)
        if not args.quiet:
            passed = sum(1 for c in result.checks if c.verdict == "pass")
            warned = sum(1 for c in result.checks if c.verdict == "warn")
            print(
                f"Checked {len(result.checks)} pages: {passed} pass, {warned} warn, "
                f"{len(blocked)} blocked; {errors} errors, {warnings} warnings."
            )
            _print_clarity(result, args)
    return EXIT_CONTENT if blocked or errors else EXIT_OK


def _check_loose(
    root: Path, config: SiteConfig, files: list[tuple[str, Path | None]], result: BuildResult
) -> None:
    """Check files that are not pages of the site (``None``: standard input) into
    ``result``."""
    # start-up: ~155 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.build.loose import check_file, check_text

    more: list[Diagnostic] = []
    for display, full in files:
        if full is None:
            data = sys.stdin.buffer.read()
            try:
                check, diags = check_text(display, data.decode("utf-8"), config, root)
            except UnicodeDecodeError:
                check, diags = None, [error(display, 0, 0, "SRC001", "not UTF-8 text")]
        else:
            check, diags = check_file(display, full, config, root)
        more += diags
        if check is not None:
            result.checks.append(check)
            more += page_diagnostics(check)
    result.diagnostics = sorted_diagnostics([*result.diagnostics, *more])


def _fix_pages(
    root: Path,
    result: BuildResult,
    run: Callable[[], BuildResult],
    *,
    write: bool,
    diff: bool,
) -> BuildResult:
    """``check --fix``/``--diff``: apply (or show) the pages' safe drop-ins, check again until
    nothing is left to apply (at most three rounds: one swap can make another possible)."""
    fixed = files = 0
    for _ in range(3):
        changed = False
        for check in result.checks:
            if check.path == "<stdin>":
                continue
            fixes = page_fixes(check)
            if not fixes:
                continue
            path = root / check.path
            try:
                old = read_source(path)
            except (OSError, UnicodeDecodeError) as exc:
                why = getattr(exc, "strerror", None) or "not UTF-8"
                print(f"{check.path}:0:0: error: cannot read file: {why} [SRC009]")
                continue
            done = apply_fixes(old, fixes)
            if not done.applied:
                continue
            if diff:
                sys.stdout.write(unified_diff(check.path, old, done.text))
            if write:
                try:
                    write_source(path, done.text)
                except OSError as exc:
                    print(f"sitegen: error: cannot write {check.path}: {exc.strerror}")
                    continue
                changed = True
                files += 1
                fixed += len(done.applied)
        if not changed:
            break
        result = run()
    if write:
        print(f"Fixed {fixed} findings in {files} file{'s' if files != 1 else ''}.")
    return result


def _site_page(root: Path, args: argparse.Namespace) -> tuple[SiteConfig, str] | int:
    """The site's settings and ``args.page`` relative to the site, or an exit code (and the
    problem printed) when the settings are broken or the page is not a file of the site."""
    config, _ = _load(root)
    if config is None:
        return EXIT_CONTENT
    full = Path(args.page).resolve()
    try:
        rel = full.relative_to(root).as_posix()
    except ValueError:
        return _usage_error(f"{args.page} is not inside the site {root}")
    if not full.is_file():
        return _usage_error(f"no such file: {args.page}")
    return config, rel


def cmd_approve(root: Path, args: argparse.Namespace) -> int:
    """``sitegen approve PAGE --by NAME``: sign the page off (or ``--waive`` single findings)."""
    # start-up: ~414 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.commands import approve

    found = _site_page(root, args)
    if isinstance(found, int):
        return found
    config, rel = found
    waivers = []
    for w in args.waive:
        code, _, text = w.partition(":")
        waivers.append((code.strip().upper(), text.strip(), args.reason))
    if args.reason and not waivers:
        return _usage_error("--reason goes with --waive CODE")
    for option, value in (
        ("--by", args.by),
        ("--role", args.role or ""),
        ("--reason", args.reason),
    ):
        if first_unsafe(value or "") >= 0:
            return _usage_error(f"{option} contains a control or text-direction character")
    req, problems = approve.validate(args.by, args.date, args.role or "", waivers, config)
    if req is None:
        for problem in problems:
            print(f"sitegen: error: {problem}", file=sys.stderr)
        print(f"sitegen: nothing was written to {args.page}.", file=sys.stderr)
        return EXIT_USAGE
    plan, diags = approve.plan(root, config, rel, req)
    print_diags(diags, sys.stderr)
    if plan is None:
        print(f"sitegen: nothing was written to {args.page}.", file=sys.stderr)
        return EXIT_CONTENT
    if plan.previous is not None and plan.previous[2] != plan.text_hash:
        who, when, _ = plan.previous
        if plan.diff is None:
            print(f"Changed since the last sign-off by {who} on {when} (the earlier text is not "
                  "available: not in git and not signed on this machine).")  # fmt: skip
        elif changed(plan.diff):
            print(f"Changed since the last sign-off by {who} on {when}:")
            for line in terminal_lines(plan.diff):
                print(f"  {line}")
    for line in approve.describe(plan):
        print(line)
    if not args.yes and sys.stdin.isatty() and sys.stdout.isatty():
        try:
            answer = input("Write this sign-off? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print(f"Nothing was written to {args.page}.")
            return EXIT_CONTENT
    try:
        approve.write(root, plan)
    except OSError as exc:
        print(f"sitegen: error: cannot write {args.page}: {exc.strerror}; nothing was written.",
              file=sys.stderr)  # fmt: skip
        return EXIT_CONTENT
    what = "Signed off" if plan.whole_page else "Recorded waivers for"
    print(f"{what} {rel} ({plan.text_hash[:15]}…). Any later change re-opens the review.")
    return EXIT_OK


def cmd_translated(root: Path, args: argparse.Namespace) -> int:
    """``sitegen translated PAGE``: record the version of the original it was translated from."""
    # start-up: ~299 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.commands.translated import mark_translated

    found = _site_page(root, args)
    if isinstance(found, int):
        return found
    config, rel = found
    message, diags = mark_translated(root, config, rel)
    print_diags(diags, sys.stderr)
    if message is None:
        return EXIT_CONTENT
    print(message)
    return EXIT_OK


def cmd_serve(root: Path, args: argparse.Namespace) -> int:
    """``sitegen serve``: build the preview, serve it, rebuild and reload on every save."""
    import faulthandler
    import signal

    # start-up: ~559 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.commands.serve import STOP_GRACE, Console, ServeOptions, serve

    opts = ServeOptions(
        host=args.host or "127.0.0.1",
        port=args.port,
        open_browser=not args.no_open,
        quiet=args.quiet,
        verbose=args.verbose,
        allowed_hosts=tuple(args.allow_host),
    )

    stopping: list[int] = []

    def stop(signum: int, frame: object) -> None:
        if stopping:  # a second Ctrl+C: stop at once
            os._exit(128 + signum)
        stopping.append(signum)
        # However it is stuck (a lock, a worker process, a C call holding the interpreter),
        # the server ends STOP_GRACE seconds after Ctrl+C or SIGTERM, printing every
        # thread's stack so the hang can be reported and fixed (exit code 1).
        faulthandler.dump_traceback_later(STOP_GRACE, exit=True)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    console = Console(opts, lambda diags, out: print_diags(diags, out, verbose=args.verbose))
    code = serve(root, opts, console)
    if stopping:
        # Skip the interpreter's teardown: it would wait for the worker processes of a
        # rebuild that was abandoned. Everything worth keeping is saved by now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def cmd_new(root: Path, args: argparse.Namespace) -> int:
    """``sitegen new study|page TITLE``: write a draft content file with every field."""
    # start-up: ~351 ms of imports (-X importtime) a no-change build must not pay
    from sitegen.commands.scaffold import ScaffoldError, scaffold, write_new

    config, _ = _load(root)
    if config is None:
        return EXIT_CONTENT
    lang = args.lang or config.language
    try:
        new = scaffold(args.kind, args.title, lang, config.content_dir)
    except ScaffoldError as exc:
        return _usage_error(str(exc))
    try:
        full = write_new(root, new)
    except FileExistsError:
        print(
            f"sitegen: error: {new.path} already exists; nothing was written. Edit that file, "
            "or choose another title.",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    except OSError as exc:
        print(f"sitegen: error: cannot write {new.path}: {exc.strerror}", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        print(f"Created {_rel(full)} (a draft: it is not published yet).")
        print(f"Fill it in, then check it: {command('check', _rel(full), root=root)}")
        print(f"See it as you write: {command('serve', root=root)}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """``sitegen init [FOLDER]``: start a new site."""
    folder = Path(args.folder)
    try:
        made = create_site(folder, example=args.example, title=args.title)
    except InitError as exc:
        print(f"sitegen: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:
        print(f"sitegen: error: cannot write in {args.folder}: {exc.strerror}", file=sys.stderr)
        return EXIT_CONTENT
    if args.quiet:
        return EXIT_OK
    what = "a copy of the example site" if args.example else "a new site"
    print(f"Created {what} in {_rel(folder.resolve())}/ ({len(made.files)} files).")
    here = folder.resolve()
    run = program(cwd=str(here))
    steps = [
        (f"{run} serve", "see the site in your browser while you write"),
        (f'{run} new study "A title"', "start a study page"),
        (f"{run} build", "publish the site into output/"),
    ]
    if here != Path.cwd().resolve():
        steps.insert(0, (f"cd {shlex.quote(_rel(here))}", "go to the new site"))
    width = max(len(cmd) for cmd, _ in steps)
    print("Next:")
    for cmd, what in steps:
        print(f"  {cmd.ljust(width)}   # {what}")
    print("Settings (the site's name, logo, colours, footer) are in site.yml, each explained.")
    return EXIT_OK


def cmd_import(root: Path, args: argparse.Namespace) -> int:
    """``sitegen import ctgov FILE|DIR...``: registry records to draft study pages."""
    config, diags = _load(root)
    if config is None:
        return EXIT_CONTENT
    paths = [Path(p).resolve() for p in args.paths]
    for shown, p in zip(args.paths, paths, strict=True):
        if not p.exists():
            return _usage_error(f"no such file or folder: {shown}")
    # start-up: the importer adds about 0.4 s (python -X importtime) to every command
    from sitegen.importers.ctgov import import_paths

    out_dir = root / config.content_dir / "studies"
    written, more = import_paths(
        paths,
        out_dir,
        overwrite=args.overwrite,
        root=root,
        results_dir=root / config.content_dir / "results",
    )
    all_diags = [*diags, *more]
    print_diags(all_diags, sys.stderr, quiet=args.quiet, verbose=args.verbose)
    failed = any(d.is_error for d in all_diags)
    results = [p for p in written if p.parent != out_dir]
    written = [p for p in written if p.parent == out_dir]
    if written and not args.quiet:
        names = " ".join(_rel(p) for p in written)
        print(
            f"Imported {len(written)} {'study' if len(written) == 1 else 'studies'} "
            f"as drafts: {names}"
        )
        if results:
            print(f"Draft results pages ({len(results)}): {' '.join(_rel(p) for p in results)}")
    elif not written:
        print("Imported no studies.", file=sys.stderr if failed else sys.stdout)
    return EXIT_CONTENT if failed else EXIT_OK


def cmd_feedback(root: Path, args: argparse.Namespace) -> int:
    """``sitegen feedback import FILE``: store readers' answers under the site."""
    config, diags = _load(root)
    if config is None:
        return EXIT_CONTENT
    path = Path(args.file)
    if not path.is_file():
        return _usage_error(f"no such file: {args.file}")

    added, more = import_file(root, path, args.file)
    all_diags = [*diags, *more]
    print_diags(all_diags, sys.stderr, quiet=args.quiet, verbose=args.verbose)
    if any(d.is_error for d in all_diags):
        print(f"No answers stored: {args.file} was refused.", file=sys.stderr)
        return EXIT_CONTENT
    if added and not args.quiet:
        print(f"Stored {added} answer{'' if added == 1 else 's'} in {STORE}.")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
