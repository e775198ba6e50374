"""The one Jinja2 environment: autoescape on, ``StrictUndefined``, and a site's own
``templates/`` folder overriding the packaged theme template by template.

Template problems become diagnostics that point at the template file and line.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from sitegen.core.diagnostics import Diagnostic, error

THEME_DIR = Path(__file__).parent.parent / "theme" / "templates"


def make_environment(site_templates: Path | None) -> jinja2.Environment:
    """The environment; templates in ``site_templates`` win over the theme's. While no file
    in either folder changed, the same one is given again, with its compiled templates (the
    preview renders a few files after each edit). A template is compiled when first used,
    or by ``compile_all``."""
    state = _folder_state(site_templates)
    cached = _ENVIRONMENTS.get(state)
    if cached is None:
        _ENVIRONMENTS.clear()
        cached = _ENVIRONMENTS[state] = _new_environment(site_templates)
    return cached


_ENVIRONMENTS: dict[tuple[object, ...], jinja2.Environment] = {}


def _folder_state(site_templates: Path | None) -> tuple[object, ...]:
    """Every file of the two template folders with its size and modification time."""
    state: list[object] = [str(site_templates)]
    for base in (site_templates, THEME_DIR):
        if base is None or not base.is_dir():
            state.append(None)
            continue
        for p in sorted(base.rglob("*")):
            try:
                st = p.stat()
            except OSError:
                continue
            state.append((str(p), st.st_mtime_ns, st.st_size, p.is_dir()))
    return tuple(state)


class _ReadOnce(jinja2.FileSystemLoader):
    """A folder's templates, each file read once for the life of its environment: the
    source a page's render key hashes (``template_fingerprint``) is then the source its
    template was compiled from, even when the file is saved between the two reads (the
    preview renders while a writer saves). The next build sees the new file in the
    folder's state and makes a new environment (``make_environment``)."""

    def __init__(self, searchpath: str) -> None:
        super().__init__(searchpath)
        self._read: dict[str, tuple[str, str, Callable[[], bool]]] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        got = self._read.get(template)
        if got is None:
            got = self._read[template] = super().get_source(environment, template)
        return got


def _new_environment(site_templates: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(_ReadOnce(str(site_templates)))
    loaders.append(_ReadOnce(str(THEME_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # a changed file gives a new environment (``make_environment``): no stat per use
        auto_reload=False,
    )
    return env


def compile_all(env: jinja2.Environment) -> None:
    """Compile every template now, before worker processes are forked to render many pages:
    they share the compiled templates instead of each compiling the ones it uses again (a
    third of their template time). A build that renders a few pages compiles only the
    templates they use. A template that does not compile is left for its first use, which
    reports the problem as before."""
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, OSError, UnicodeError, RecursionError):
            continue


def template_files(site_templates: Path | None) -> list[Path]:
    """Every template file that can take part in a build (for cache keys)."""
    files: list[Path] = []
    for base in (site_templates, THEME_DIR):
        if base is not None and base.is_dir():
            files.extend(sorted(p for p in base.rglob("*.html") if p.is_file()))
    return files


def display_path(filename: str | None, root: Path) -> str:
    """A template's path as shown in diagnostics: site-relative, or ``theme/...``."""
    if not filename:
        return "templates"
    p = Path(filename)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        try:
            return "sitegen/theme/templates/" + p.resolve().relative_to(THEME_DIR).as_posix()
        except ValueError:
            return p.as_posix()


def render(
    env: jinja2.Environment, name: str, context: dict[str, Any], root: Path, page_path: str
) -> tuple[str | None, list[Diagnostic]]:
    """Render template ``name``; a template error becomes a diagnostic at template file:line."""
    try:
        template = env.get_template(name)
        return template.render(context), []
    except jinja2.TemplateNotFound as exc:
        missing = exc.name or name
        filename, line = _template_frame(exc)
        return None, [
            error(
                display_path(filename, root) if filename else page_path,
                line,
                0,
                "TPL002",
                f'template "{missing}" not found in templates/ or the theme',
                "check the template name, or copy it from sitegen/theme/templates/",
            )
        ]
    except jinja2.TemplateSyntaxError as exc:
        return None, [
            error(
                display_path(exc.filename, root),
                exc.lineno or 0,
                0,
                "TPL001",
                f"template syntax error: {exc.message}",
            )
        ]
    except jinja2.UndefinedError as exc:
        filename, line = _template_frame(exc)
        return None, [
            error(
                display_path(filename, root),
                line,
                0,
                "TPL003",
                f"undefined variable in template: {exc.message}",
            )
        ]
    except Exception as exc:
        filename, line = _template_frame(exc)
        return None, [
            error(
                display_path(filename, root),
                line,
                0,
                "TPL004",
                f"template failed: {type(exc).__name__}: {exc}",
            )
        ]


def _template_frame(exc: BaseException) -> tuple[str | None, int]:
    """The innermost template file and line in a traceback (Jinja rewrites its frames)."""
    found: tuple[str | None, int] = (None, 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            found = (frame.filename, frame.lineno or 0)
    return found


def template_fingerprint(
    env: jinja2.Environment, name: str, _seen: frozenset[str] = frozenset()
) -> str:
    """A hash of template ``name`` and of every template it extends, includes or imports
    (transitively): what a page rendered with it depends on. A template named by an
    expression (not a constant) makes the hash cover every template file."""
    import hashlib

    h = hashlib.sha256(name.encode())
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return h.hexdigest() + "-missing"
    except (OSError, UnicodeDecodeError):  # rendering it reports the problem (TPL004)
        return h.hexdigest() + "-unreadable"
    h.update((filename or "").encode())
    h.update(source.encode())
    try:
        refs = _referenced(env, source)
    except jinja2.TemplateSyntaxError:
        return h.hexdigest()
    for ref in sorted(refs, key=lambda r: (r is None, r or "")):
        if ref is None:
            for other in sorted(env.list_templates()):
                h.update(other.encode())
                try:
                    h.update(env.loader.get_source(env, other)[0].encode())
                except (OSError, UnicodeDecodeError, jinja2.TemplateNotFound):
                    h.update(b"-unreadable")
        elif ref not in _seen:
            h.update(template_fingerprint(env, ref, _seen | {name}).encode())
    return h.hexdigest()


@lru_cache(maxsize=256)
def _referenced(env: jinja2.Environment, source: str) -> list[str | None]:
    """The templates ``source`` extends, includes or imports (None: named by an expression)."""
    import jinja2.meta  # start-up: only the fingerprint needs the template parser's walker

    return list(jinja2.meta.find_referenced_templates(env.parse(source)))
