"""Pelican as a peer for the speed benchmark: installed into a virtual environment of its own,
run on the benchmark's generated pages converted to Pelican's metadata format.

Pelican reads ``Key: value`` metadata lines, not YAML front matter, so each generated page
becomes a Pelican article with the same body: ``Title``, ``Date`` (fixed), ``Category`` (the
first condition), ``Tags`` (the conditions), ``Summary`` and ``Slug``. Plain pages become
Pelican pages. Pelican's default theme, no feeds: it does no readability checks, no reports
and no search index.

    python benchmarks/pelican_peer.py SITE_DIR OUT_DIR     # convert and build once
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import yaml

PELICAN = "pelican[markdown]==4.12.0"
SETTINGS = """\
AUTHOR = "Benchmark"
SITENAME = "Benchmark studies"
SITEURL = ""
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["studies"]
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
MARKDOWN = {"extension_configs": {"markdown.extensions.tables": {}}, "output_format": "html5"}
"""


def install(env: Path) -> tuple[Path | None, str]:
    """Pelican in its own virtual environment at ``env`` (made once, then reused): the
    ``pelican`` command, or None and why it could not be installed."""
    command = env / "bin" / "pelican"
    if command.exists():
        return command, ""
    venv.create(env, with_pip=True)
    done = subprocess.run(
        [str(env / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", PELICAN],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not command.exists():
        lines = (done.stderr or done.stdout).strip().splitlines()
        return None, lines[-1] if lines else f"pip exit code {done.returncode}"
    return command, ""


def _meta_line(key: str, value: object) -> str:
    return f"{key}: {' '.join(str(value).split())}"


def convert(site: Path, out: Path) -> int:
    """Write ``site``'s content pages as a Pelican project in ``out``; the number of pages."""
    n = 0
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, fm, body = text.split("---\n", 2)
        meta = yaml.safe_load(fm) or {}
        conditions = [str(c) for c in meta.get("conditions") or []]
        lines = [_meta_line("Title", meta.get("title", path.stem))]
        if path.parent.name == "studies":
            lines += [
                "Date: 2026-01-01 00:00",
                _meta_line("Category", conditions[0] if conditions else "Studies"),
                _meta_line("Tags", ", ".join(conditions)),
            ]
        if meta.get("summary"):
            lines.append(_meta_line("Summary", meta["summary"]))
        lines.append(_meta_line("Slug", path.stem))
        target = out / "content" / path.relative_to(site / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
        n += 1
    (out / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")
    return n


def build_command(pelican: Path, project: Path) -> list[str]:
    """The command that builds the converted ``project`` into ``project/output``."""
    return [str(pelican), str(project / "content"), "-s", str(project / "pelicanconf.py"),
            "-o", str(project / "output"), "-q", "--delete-output-directory"]  # fmt: skip


if __name__ == "__main__":
    site_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    command, why = install(out_dir / "venv")
    if command is None:
        sys.exit(f"Pelican could not be installed: {why}")
    print(convert(site_dir, out_dir / "project"), "pages converted")
    sys.exit(subprocess.run(build_command(command, out_dir / "project")).returncode)
