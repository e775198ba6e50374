"""Command line: argparse verbs, printing, exit codes. ``build.py`` only calls ``main()``.

Exit codes: 0 success, 1 content problems or blocked pages, 2 usage or set-up problems.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, count, sorted_diagnostics

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

EPILOG_BUILD = """examples:
  python build.py                 build the site in this folder into output/
  python build.py build --root my-site
exit codes: 0 built, 1 content problems or blocked pages (output/ left as it was), 2 usage"""
EPILOG_CHECK = """examples:
  python build.py check                               check every page
  python build.py check content/studies/asthma.md     check one file
  python build.py check --format json > readability.json
exit codes: 0 no page blocked, 1 a page is blocked or has errors, 2 usage"""
EPILOG_APPROVE = """examples:
  python build.py approve content/studies/asthma.md --by "A. Reviewer"
  python build.py approve content/studies/asthma.md --by "A. Reviewer" \\
      --waive RD001 --reason "Eligibility terms agreed with the ethics committee"
The sign-off records a hash of the text; any later edit re-opens the review."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every verb."""
    parser = _Parser(
        prog="sitegen",
        description="Build patient-friendly clinical study pages, with a readability gate.",
        epilog="Run 'sitegen VERB --help' for the options of one verb. With no verb, 'build' runs.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="verb", parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--root", default=".", help="site folder with site.yml (default: .)")
        p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        p.add_argument("-v", "--verbose", action="store_true", help="print notes too")

    p = sub.add_parser(
        "build",
        help="check every page and publish the site into output/",
        epilog=EPILOG_BUILD,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common(p)
    p = sub.add_parser(
        "check",
        help="check readability and content without publishing",
        epilog=EPILOG_CHECK,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common(p)
    p.add_argument("paths", nargs="*", help="Markdown files to check (default: the whole site)")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p = sub.add_parser(
        "approve",
        help="record a reviewer's sign-off of a page's current text",
        epilog=EPILOG_APPROVE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common(p)
    p.add_argument("page", help="the content file to sign off")
    p.add_argument("--by", required=True, help="the reviewer's name")
    p.add_argument("--date", help="date of the sign-off, YYYY-MM-DD (default: today)")
    p.add_argument("--waive", action="append", default=[], metavar="CODE[:TEXT]")
    p.add_argument("--reason", default="", help="why the waived findings are acceptable")
    return parser


def _print_diags(diags: Sequence[Diagnostic], out: TextIO, *, quiet: bool, verbose: bool) -> None:
    for d in sorted_diagnostics(diags):
        if quiet and not d.is_error:
            continue
        if d.severity.value == "note" and not verbose:
            continue
        print(d.format(), file=out)


def _load(root: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    return load_config(root)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if (
        not args_list
        or args_list[0].startswith("-")
        and args_list[0]
        not in (
            "-h",
            "--help",
            "--version",
        )
    ):
        args_list = ["build", *args_list]
    parser = make_parser()
    args = parser.parse_args(args_list)
    if args.verb is None:
        args = parser.parse_args(["build"])
    root = Path(args.root).resolve()
    if not root.is_dir():
        print(f"sitegen: error: site folder {args.root} does not exist", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.verb == "build":
            return cmd_build(root, args)
        if args.verb == "check":
            return cmd_check(root, args)
        if args.verb == "approve":
            return cmd_approve(root, args)
    except KeyboardInterrupt:
        print("sitegen: interrupted; output/ was left as it was", file=sys.stderr)
        return 130
    parser.print_help()
    return EXIT_USAGE


def _rel(root: Path, p: Path) -> str:
    try:
        return os.path.relpath(p, Path.cwd())
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(p)


def cmd_build(root: Path, args: argparse.Namespace) -> int:
    """``sitegen build``."""
    from .pipeline import build_site
    from .report import write_reports

    config, diags = _load(root)
    if config is None:
        _print_diags(diags, sys.stderr, quiet=False, verbose=True)
        return EXIT_CONTENT
    result = build_site(root, config)
    all_diags = [*diags, *result.diagnostics]
    _print_diags(all_diags, sys.stderr, quiet=args.quiet, verbose=args.verbose)
    report_index = write_reports(root, config, result)
    errors, warnings = count(all_diags)
    out_dir = root / config.output_dir
    drafts = sum(1 for r in result.results if r.page.draft)
    if result.published:
        if not args.quiet:
            print(
                f"Built {result.pages_written} pages ({len(result.results) - drafts} from content"
                f", {drafts} drafts not published) in {result.elapsed:.2f} s: "
                f"{errors} errors, {warnings} warnings."
            )
            print(f"Site:   {_rel(root, out_dir / 'index.html')}")
            print(f"Report: {_rel(root, report_index)}")
        return EXIT_OK
    print(
        f"Build failed: {errors} errors, {warnings} warnings. Nothing was published; "
        f"{config.output_dir}/ was left as it was.",
        file=sys.stderr,
    )
    print(f"Report: {_rel(root, report_index)}", file=sys.stderr)
    return EXIT_CONTENT


def cmd_check(root: Path, args: argparse.Namespace) -> int:
    """``sitegen check [PATHS]``."""
    from .pipeline import build_site
    from .readability import to_sarif
    from .report import write_reports

    config, diags = _load(root)
    if config is None:
        _print_diags(diags, sys.stderr, quiet=False, verbose=True)
        return EXIT_CONTENT
    only = None
    if args.paths:
        only = []
        for p in args.paths:
            full = Path(p).resolve()
            if not full.is_file():
                print(f"sitegen: error: no such file: {p}", file=sys.stderr)
                return EXIT_USAGE
            try:
                only.append(full.relative_to(root).as_posix())
            except ValueError:
                print(f"sitegen: error: {p} is not inside the site {root}", file=sys.stderr)
                return EXIT_USAGE
    result = build_site(root, config, write=False, only=only)
    all_diags = [*diags, *result.diagnostics]
    if only is None:
        write_reports(root, config, result)
    blocked = result.blocked
    errors, warnings = count(all_diags)
    if args.format == "json":
        doc = {"version": 1, "pages": [c.to_json() for c in result.checks]}
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        _print_diags(
            [d for d in all_diags if not d.code.startswith(("RD", "JG", "PR"))],
            sys.stderr,
            quiet=True,
            verbose=False,
        )
    elif args.format == "sarif":
        json.dump(to_sarif(result.checks), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_diags(all_diags, sys.stdout, quiet=args.quiet, verbose=args.verbose)
        if not args.quiet:
            passed = sum(1 for c in result.checks if c.verdict == "pass")
            warned = sum(1 for c in result.checks if c.verdict == "warn")
            print(
                f"Checked {len(result.checks)} pages: {passed} pass, {warned} warn, "
                f"{len(blocked)} blocked; {errors} errors, {warnings} warnings."
            )
    return EXIT_CONTENT if blocked or errors else EXIT_OK


def cmd_approve(root: Path, args: argparse.Namespace) -> int:
    """``sitegen approve PAGE --by NAME``: write a sign-off into the page's front matter."""
    from .approve import approve

    config, diags = _load(root)
    if config is None:
        _print_diags(diags, sys.stderr, quiet=False, verbose=True)
        return EXIT_CONTENT
    full = Path(args.page).resolve()
    try:
        rel = full.relative_to(root).as_posix()
    except ValueError:
        print(f"sitegen: error: {args.page} is not inside the site {root}", file=sys.stderr)
        return EXIT_USAGE
    if not full.is_file():
        print(f"sitegen: error: no such file: {args.page}", file=sys.stderr)
        return EXIT_USAGE
    waivers = []
    for w in args.waive:
        code, _, text = w.partition(":")
        if not args.reason:
            print("sitegen: error: --waive needs --reason", file=sys.stderr)
            return EXIT_USAGE
        waivers.append((code.strip().upper(), text.strip(), args.reason))
    message, diags = approve(root, config, rel, by=args.by, date=args.date, waivers=waivers)
    _print_diags(diags, sys.stderr, quiet=False, verbose=False)
    if message is None:
        return EXIT_CONTENT
    print(message)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
