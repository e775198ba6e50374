"""``init``: a new site of one's own, with every setting listed; suggested commands that
work where the user is; and sitegen installed from its wheel, outside this repository."""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import typing
import urllib.request
from pathlib import Path

import pytest
import yaml
from small_site import REPO, clean_env, run

from sitegen.commands.newsite import FOLDERS, site_yml
from sitegen.content.config import SiteConfig, load_config
from sitegen.content.model import fields_of, yaml_name


def _dotted_settings(cls: type, prefix: str = "") -> list[str]:
    """Every setting of ``cls`` as a dotted name (nested and list-of-mapping ones too)."""
    names: list[str] = []
    hints = typing.get_type_hints(cls)
    for f in fields_of(cls):
        dotted = prefix + yaml_name(f)
        names.append(dotted)
        tp = hints[f.name]
        args = [a for a in typing.get_args(tp) if a is not type(None) and a is not Ellipsis]
        for inner in [tp, *args]:
            if dataclasses.is_dataclass(inner) and isinstance(inner, type):
                names += _dotted_settings(inner, dotted + ".")
    return names


def _uncomment(text: str) -> str:
    """``site.yml`` with every commented setting switched on."""
    out = []
    for line in text.splitlines():
        m = re.match(r"^# ( *(?:- )?[a-z_]+:.*)$", line)
        out.append(m.group(1) if m else line)
    return "\n".join(out) + "\n"


def test_site_yml_lists_every_setting_with_a_hint() -> None:
    text = site_yml("My studies")
    for dotted in _dotted_settings(SiteConfig):
        leaf = dotted.rsplit(".", 1)[-1]
        depth = dotted.count(".")
        pattern = rf"^(?:# )?(?:  ){{{depth}}}(?:- |  )?{leaf}:.*#\s+\S"
        if depth == 1 and dotted.startswith("translations."):
            pattern = rf"^# {{3}}(?:- |  ){leaf}:.*#\s+\S"
        assert re.search(pattern, text, re.M), f"site.yml does not list {dotted} with a hint"


def test_site_yml_is_valid_as_written_and_with_every_setting_switched_on(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(site_yml("Heart studies"), encoding="utf-8")
    config, diags = load_config(tmp_path)
    assert config is not None and not diags, [d.format() for d in diags]
    assert config.title == "Heart studies"
    on = _uncomment(site_yml("Heart studies"))
    assert on.count("\n# ") < 5  # only the header comments are left
    (tmp_path / "site.yml").write_text(on, encoding="utf-8")
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    config, diags = load_config(tmp_path)
    assert config is not None and not diags, [d.format() for d in diags]
    assert config.organisation.email == "research@example.org"
    assert config.translations[0].lang == "es"
    assert yaml.safe_load(on)["readability"]["limit"] == config.readability.limit == 10


def test_init_makes_a_site_that_builds_and_passes_the_gate(tmp_path: Path) -> None:
    r = run("init", "heart-studies", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    site = tmp_path / "heart-studies"
    for folder in FOLDERS:
        assert (site / folder).is_dir()
    assert not list((site / "content" / "studies").iterdir())
    assert "output/" in (site / ".gitignore").read_text(encoding="utf-8").split()
    assert 'title: "Heart studies"' in (site / "site.yml").read_text(encoding="utf-8")
    assert "cd heart-studies" in r.stdout
    r = run("build", cwd=site)
    assert r.returncode == 0, r.stdout + r.stderr
    about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
    assert "About us" in about and "Heart studies" in about
    r = run("check", cwd=site)
    assert r.returncode == 0 and "1 pass" in r.stdout, r.stdout


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("title: Mine\n", encoding="utf-8")
    r = run("init", cwd=tmp_path)
    assert r.returncode == 1
    assert "already has site.yml" in r.stderr and "nothing was written" in r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.yml"]
    assert (tmp_path / "site.yml").read_text(encoding="utf-8") == "title: Mine\n"


def test_init_example_copies_the_example_site(tmp_path: Path) -> None:
    r = run("init", "demo", "--example", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    demo = tmp_path / "demo"
    for p in sorted((REPO / "content").rglob("*.md")):
        rel = p.relative_to(REPO)
        assert (demo / rel).read_bytes() == p.read_bytes(), rel
    assert (demo / "site.yml").read_bytes() == (REPO / "site.yml").read_bytes()


def _suggested(stdout: str, after: str) -> str:
    m = re.search(rf"{re.escape(after)}\s*(.+)$", stdout, re.M)
    assert m, stdout
    return m.group(1).split("   #")[0].strip()


def test_suggested_commands_work_where_the_user_is(tmp_path: Path) -> None:
    """``new`` run from another folder with --root suggests a check that works as printed,
    from the folder the user is in."""
    assert run("init", "site", cwd=tmp_path).returncode == 0
    r = run("new", "study", "A walking plan for sore knees", "--root", "site", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    check = _suggested(r.stdout, "then check it:")
    assert "--root site" in check
    done = subprocess.run(
        check, shell=True, cwd=tmp_path, capture_output=True, text=True, env=clean_env()
    )
    assert done.returncode == 0, (check, done.stdout, done.stderr)
    assert "Checked 1 pages" in done.stdout


# --------------------------------------------------------------------------------------------
# Installed from the wheel, in a fresh virtual environment, outside this repository


def _venv_with_wheel(tmp: Path) -> Path:
    """Build sitegen's wheel from a copy of the source and install it into a new virtual
    environment that sees the shared environment's packages (no network: ``--no-index``)."""
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "site.yml"):
        shutil.copy2(REPO / name, src / name)
    for name in ("sitegen", "content", "templates"):
        shutil.copytree(
            REPO / name, src / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__")
        )
    wheels = tmp / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, src],
        capture_output=True,
        text=True,
        cwd=tmp,
    )
    assert built.returncode == 0, f"the wheel cannot be built (pip install wheel?): {built.stderr}"
    venv = tmp / "venv"
    subprocess.run(
        [getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", venv],
        check=True,
    )
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    shared = next(p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir())
    (site_packages / "shared.pth").write_text(f"{shared}\n", encoding="utf-8")
    wheel = next(wheels.glob("sitegen-*.whl"))
    pip[0] = str(venv / "bin" / "python")
    # the dependencies come from the shared environment; a sitegen found there or on
    # PYTHONPATH (a checkout) must not count as installed
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [*pip, "install", "--no-index", "--no-deps", "--ignore-installed", wheel],
        check=True,
        capture_output=True,
        env=env,
    )
    assert (venv / "bin" / "sitegen").is_file()
    return venv


def test_installed_wheel_runs_init_new_check_build_serve(tmp_path: Path) -> None:
    venv = _venv_with_wheel(tmp_path)
    sitegen = venv / "bin" / "sitegen"
    env = clean_env(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONPATH", None)
    home = tmp_path / "home"
    home.mkdir()

    def sh(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        return done

    where = sh("sitegen init my-site", home)
    located = sh('python -c "import sitegen; print(sitegen.__file__)"', home).stdout
    assert str(venv) in located and str(REPO) not in located
    steps = re.findall(r"^  (\S.*?)\s+# ", where.stdout, re.M)
    assert steps[0] == "cd my-site" and steps[1] == "sitegen serve", where.stdout
    site = home / "my-site"
    new = sh('sitegen new study "A walking plan for sore knees"', site)
    check = _suggested(new.stdout, "then check it:")
    assert check.startswith("sitegen check content/studies/")
    sh(check, site)
    built = sh("sitegen build", site)
    assert "Site:   output/index.html" in built.stdout
    assert (site / "output" / "about" / "index.html").is_file()
    sh("sitegen init demo --example", home)
    sh("sitegen check", home / "demo")

    proc = subprocess.Popen(
        [sitegen, "serve", "--port", "0", "--no-open"],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        url = ""
        while time.monotonic() < deadline and not url:
            line = proc.stdout.readline()
            m = re.search(r"at (http://\S+/) ", line)
            url = m.group(1) if m else ""
        assert url, "serve printed no address"
        with urllib.request.urlopen(url + "about/", timeout=30) as response:
            assert response.status == 200
            assert "About us" in response.read().decode("utf-8")
    finally:
        proc.terminate()
        code = proc.wait(timeout=10)
        rest = proc.stdout.read() if proc.stdout is not None else ""
        if proc.stdout is not None:
            proc.stdout.close()
    # 0: stopped cleanly; 1: stopping was stuck, and the output shows every thread's stack
    assert code == 0, rest
    assert "Stopped." in rest, rest


@pytest.mark.parametrize("argv0", ["build.py", "sitegen/__main__.py"])
def test_program_names_the_way_sitegen_was_started(argv0: str, tmp_path: Path) -> None:
    from sitegen.core.cmdline import program

    shown = program(str(REPO / argv0), sys.executable, cwd=str(REPO))
    words = shlex.split(shown)
    assert Path(words[0]).name.startswith("python")
    assert words[-1] in ("build.py", "sitegen")


def test_files_spell_suggested_commands_the_same_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terminal spells a command for the folder the user is in; reports, JSON and SARIF
    (``portable``) say ``sitegen`` and leave out ``--root``, wherever the build ran."""
    from sitegen.core.cmdline import command, portable

    site = tmp_path / "my site"
    site.mkdir()
    monkeypatch.setattr(sys, "argv", [str(REPO / "build.py")])
    seen = set()
    for cwd in (REPO, tmp_path, site):
        monkeypatch.chdir(cwd)
        hint = f"update it, then: {command('translated', 'content/a b.md', root=site)}"
        assert "translated" in hint and "'content/a b.md'" in hint
        seen.add(portable(hint))
    assert seen == {"update it, then: sitegen translated 'content/a b.md'"}
    assert portable("") == ""
