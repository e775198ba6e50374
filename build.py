#!/usr/bin/env python3
"""Build the site: ``python build.py`` (same as ``sitegen build``); see ``--help``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
