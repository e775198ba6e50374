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
