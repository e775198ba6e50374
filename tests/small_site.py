"""A minimal valid site for the command-line, scaffold and serve tests, and helpers to run
``build.py`` on it as a separate process, as a writer would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD_PY = REPO / "build.py"

SITE_YML = """\
title: Test Studies
base_url: https://studies.example.org/
language: en
organisation:
  name: Test Research Office
"""

WALKING = """\
---
title: "A walking plan for knee pain"
summary: "We want to find out if a daily walk can help people with sore knees."
status: recruiting
conditions:
  - "Knee pain"
---

## What is this study about?

Many people have sore knees. A short walk each day may help. We want to find out if it does.

## Who can take part?

You can join if you are 40 or older. You must be able to walk for ten minutes.

## What will happen if I take part?

You walk for twenty minutes each day for twelve weeks. We see you three times.

## What are the possible benefits and risks?

Your knees may hurt less. Walking may make them sore for a few days at first.

## How do I find out more or join?

Call the study team. They will answer your questions. You can stop at any time.
"""

#: the sections a study page must have besides "What is this study about?" (CP001), for
#: tests whose own study text is about something else
PATIENT_SECTIONS = """
## Who can take part?

You can join if you are 40 or older.

## What will happen if I take part?

You walk for twenty minutes each day for twelve weeks.

## What are the possible benefits and risks?

Your knees may hurt less. Walking may make them sore at first.

## How do I find out more or join?

Call the study team. You can stop at any time.
"""

ABOUT = """\
---
title: "About us"
order: 1
---

We run health studies at a small hospital. We write in plain words. You can call us with
any question.
"""

#: a draft with words the readability gate warns about ("e.g."): shown only in the preview
DRAFT = """\
---
title: "A sleep plan for people who are tired"
summary: "We want to find out if a simple sleep plan helps tired people."
status: not_yet_recruiting
draft: true
conditions:
  - "Tiredness"
---

## What is this study about?

Some people feel tired all day. One group gets a sleep plan, e.g. a set time to go to bed.
The other group does not.

## Who can take part?

You can join if you are 18 or older and feel tired most days.

## What will happen if I take part?

You keep a sleep diary for eight weeks.

## What are the possible benefits and risks?

You may sleep better. Going to bed at a set time can feel hard at first.

## How do I find out more or join?

Call the study team. You can stop at any time.
"""

SITE = {
    "site.yml": SITE_YML,
    "content/studies/walking-study.md": WALKING,
    "content/studies/sleep-draft.md": DRAFT,
    "content/pages/about.md": ABOUT,
}


def write_site(root: Path, files: dict[str, str] | None = None) -> Path:
    """Write ``SITE`` (updated with ``files``; a value of "" deletes) under ``root``."""
    for rel, text in {**SITE, **(files or {})}.items():
        path = root / rel
        if not text:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child ``build.py``: no colour settings unless given."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(extra)
    return env


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python build.py ARGS`` in ``cwd`` and capture its output."""
    return subprocess.run(
        [sys.executable, str(BUILD_PY), *args],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
