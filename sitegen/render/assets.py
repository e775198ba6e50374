"""The files under ``assets/``: theme assets, a site's ``templates/static/`` overrides and
its brand (colours, logo), with a short hash of each for cache busting; and the
"studies near me" place tables."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from sitegen.content.brand import brand_assets
from sitegen.content.config import SiteConfig
from sitegen.content.model import Site, StudyMeta
from sitegen.render.stages import PageResult
from sitegen.render.templates import THEME_DIR

STATIC_DIR = THEME_DIR.parent / "static"


def static_files(templates_dir: Path) -> dict[str, bytes]:
    """Theme assets (and a site's ``templates/static/`` overrides) under ``assets/``."""
    files: dict[str, bytes] = {}
    for base in (STATIC_DIR, templates_dir / "static"):
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file() and not p.is_symlink():
                files["assets/" + p.relative_to(base).as_posix()] = p.read_bytes()
    return files


def site_assets(root: Path, cfg: SiteConfig) -> dict[str, bytes]:
    """Every asset of the site: brand files, then theme assets and site overrides (a site's
    ``templates/static/`` may still replace ``brand.css``, like any theme asset)."""
    brand = cfg.brand
    return brand_assets(root, brand.primary, brand.accent, brand.logo) | static_files(
        root / cfg.templates_dir
    )


def asset_versions(assets: dict[str, bytes]) -> dict[str, str]:
    """Asset name -> a short hash of its bytes (the ``?v=`` of links to it)."""
    return {name: hashlib.sha256(data).hexdigest()[:10] for name, data in sorted(assets.items())}


def study_sites(results: Sequence[PageResult]) -> list[Site]:
    """Every study's sites, in page order (what the "studies near me" tables are made of)."""
    return [s for r in results if isinstance(r.page.meta, StudyMeta) for s in r.page.meta.sites]
