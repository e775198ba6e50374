"""Property-based tests: the front-matter parser and the content model never raise anything
but sitegen's own diagnostics, whatever the text or YAML-shaped data."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.content import frontmatter, model
from sitegen.core.diagnostics import Diagnostic

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["recruiting", "phase2", "18 years", "2026-02-30", "NCT01234567", "all"]),
)
yaml_data = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from([f.name for f in model.fields_of(model.StudyMeta)]),
                st.sampled_from(["age_min", "include", "sites", "name", "lat", "status"]),
                st.text(max_size=10),
            ),
            children,
            max_size=6,
        ),
    ),
    max_leaves=25,
)


def _check(diags: list[Diagnostic]) -> None:
    for d in diags:
        assert isinstance(d, Diagnostic)
        assert d.line >= 0 and d.col >= 0
        assert "\n" not in d.format().split("\n  hint:")[0]


@SETTINGS
@given(st.text(max_size=400))
def test_parse_never_raises_on_any_text(text: str) -> None:
    fm, diags = frontmatter.parse(text, "c.md")
    _check(diags)
    assert (fm is None) == any(d.is_error for d in diags)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("-:[]{}&*!|>'\"#\t\n ,?%@`ab1")), max_size=200))
def test_parse_never_raises_on_yaml_punctuation(body: str) -> None:
    _, diags = frontmatter.parse("---\n" + body + "\n---\nText\n", "c.md")
    _check(diags)


@SETTINGS
@given(yaml_data)
def test_model_never_raises_on_yaml_shaped_data(data: object) -> None:
    text = "---\n" + yaml.safe_dump({"root": data} if not isinstance(data, dict) else data,
                                    allow_unicode=True) + "---\n"  # fmt: skip
    fm, diags = frontmatter.parse(text, "c.md")
    _check(diags)
    if fm is None:
        return
    for cls in (model.StudyMeta, model.PageMeta):
        meta, more = model.parse_meta(fm, "c.md", cls)
        _check(more)
        assert (meta is None) == any(d.is_error for d in more)
        if meta is not None:
            assert isinstance(meta, cls)
