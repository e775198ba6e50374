"""``--jobs 1`` keeps all of a command's work in its own process: content pages, rendering
and the reviewer reports (which used to take a worker per core whatever ``--jobs`` said)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scale_support import many_pages

from sitegen import cli
from sitegen.build import pool


@pytest.mark.parametrize("verb", ["build", "check"])
def test_jobs_one_forks_no_worker(
    verb: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = many_pages(tmp_path / "site", pool.PARALLEL_MIN + 5)
    started: list[int] = []
    real = pool.forked_pool

    def spy(workers: int):  # type: ignore[no-untyped-def]
        started.append(workers)
        return real(workers)

    monkeypatch.setattr(pool, "forked_pool", spy)
    assert cli.main([verb, "--root", str(site), "--jobs", "1", "--quiet", "--clean"]) in (0, 1)
    assert started == []
    assert (site / "reports" / "index.html").is_file()
    # the same command with two workers does fork (the spy sees it)
    assert cli.main([verb, "--root", str(site), "--jobs", "2", "--quiet", "--clean"]) in (0, 1)
    assert started and set(started) == {2}
