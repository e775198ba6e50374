"""How diagnostics are ordered."""

from __future__ import annotations


def test_sorting_does_not_depend_on_input_order() -> None:
    """Diagnostics equal in place, code and message but not in severity or hint come out in
    one order, whatever order they came in (deduplication goes through a set)."""
    from itertools import permutations

    from sitegen.core.diagnostics import Diagnostic, Severity, sorted_diagnostics

    same = [
        Diagnostic("a.md", 3, 1, Severity.WARNING, "RD001", "hard word", "say it simply"),
        Diagnostic("a.md", 3, 1, Severity.ERROR, "RD001", "hard word", "say it simply"),
        Diagnostic("a.md", 3, 1, Severity.WARNING, "RD001", "hard word", ""),
        Diagnostic("a.md", 3, 1, Severity.NOTE, "RD001", "hard word", "other hint"),
    ]
    expected = [same[1], same[3], same[2], same[0]]  # error, note, warning; then by hint
    for order in permutations(same):
        assert sorted_diagnostics([*order, order[0]]) == expected


def test_counts_by_path_counts_errors_and_warnings_of_each_file() -> None:
    """Each file's errors and warnings; notes are not counted, a file with notes only is not
    listed, and files come in the order of their first error or warning."""
    from sitegen.core.diagnostics import Diagnostic, Severity, counts_by_path

    def d(path: str, severity: Severity, line: int = 1) -> Diagnostic:
        return Diagnostic(path, line, 1, severity, "RD001", "hard word")

    diags = [
        d("b.md", Severity.NOTE),
        d("a.md", Severity.WARNING),
        d("c.md", Severity.NOTE),
        d("b.md", Severity.ERROR),
        d("a.md", Severity.ERROR, 2),
        d("a.md", Severity.WARNING, 3),
        d("b.md", Severity.ERROR, 4),
    ]
    got = counts_by_path(diags)
    assert got == {"a.md": (1, 2), "b.md": (2, 0)}
    assert list(got) == ["a.md", "b.md"]
    assert counts_by_path(iter(diags)) == got  # any iterable, read once
