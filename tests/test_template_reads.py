"""A template saved while a build renders: the render key of a page (``template_fingerprint``)
always hashes the source its template was compiled from, so a page rendered from the old
text is never recorded under the new text's key (the preview would keep it after the next
save). The next build sees the new file and makes a new environment."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.render.templates import make_environment, template_fingerprint


def _write(folder: Path, marker: str) -> None:
    """Save ``base.html`` (the same size each time), a second later than the last save."""
    path = folder / "base.html"
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(f"<p>{marker}</p>{{% block main %}}{{% endblock %}}\n")
    later = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(later, later))


def test_a_save_between_compiling_and_hashing_is_not_mixed(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    _write(folder, "edit 2")
    env = make_environment(folder)
    compiled = env.get_template("base.html").render()
    assert "edit 2" in compiled
    _write(folder, "edit 3")  # saved now: same size, a later time
    key = template_fingerprint(env, "base.html")
    _write(folder, "edit 2")
    assert key == template_fingerprint(make_environment(folder), "base.html")
    # the next build's environment has the new text, and a new key for it
    _write(folder, "edit 3")
    again = make_environment(folder)
    assert again is not env
    assert "edit 3" in again.get_template("base.html").render()
    assert template_fingerprint(again, "base.html") != key
