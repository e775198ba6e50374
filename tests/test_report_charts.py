"""The dashboard's SVG charts: valid XML, accessible names, one bar per data item."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sitegen.report import charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iterfind(".//svg:rect", NS) if r.get("class") == "bar"]


def assert_accessible(root: ET.Element, chart_id: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.get("id") == f"{chart_id}-title" and title.text
    assert desc is not None and desc.get("id") == f"{chart_id}-desc" and desc.text
    assert list(root)[:2] == [title, desc]  # first children, as the SVG spec asks
    assert root.get("viewBox")


@pytest.mark.parametrize(
    ("grades", "expected_bars"),
    [
        ([5.0, 5.5, 7.2, 12.0], 4),  # bins up to 5, 6, 8, 12
        ([7.1, 7.9, 8.0], 1),  # (7, 8] holds all three
        ([3.0, 3.0, 3.0, 14.2, 20.0], 3),
        ([], 0),
        ([0.0], 1),
    ],
)
def test_histogram_has_one_bar_per_non_empty_bin(grades: list[float], expected_bars: int) -> None:
    root = parse(charts.histogram(grades, 8, 10, chart_id="h"))
    assert_accessible(root, "h")
    assert len(bars(root)) == expected_bars
    heights = sorted(float(b.get("height", "0")) for b in bars(root))
    assert all(h > 0 for h in heights)


def test_histogram_bins_cover_target_and_limit_and_count_every_page() -> None:
    grades = [4.2, 4.9, 6.0, 9.5, 13.1]
    bins = charts.grade_bins(grades, 8, 10)
    assert sum(b.count for b in bins) == len(grades)
    assert bins[0].high <= 5 and bins[-1].high >= 14
    assert [b.high for b in bins] == list(range(bins[0].high, bins[-1].high + 1))
    assert {b.label: b.count for b in bins}["4–5"] == 2


def test_histogram_shades_the_target_band_and_labels_it() -> None:
    root = parse(charts.histogram([6.0, 9.0, 11.0], 8, 10, chart_id="h"))
    classes = [r.get("class") for r in root.iterfind(".//svg:rect", NS)]
    assert "band-warn" in classes and "band-block" in classes
    labels = [t.text for t in root.iterfind(".//svg:text", NS)]
    assert "target 8" in labels and "limit 10" in labels
    desc = root.find("svg:desc", NS)
    assert desc is not None and "1 at or below the target 8" in (desc.text or "")


@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_section_bars_one_bar_per_section(n: int) -> None:
    items = [charts.Bar(f"Page {i} › Section <{i}> & more", 14 - i) for i in range(n)]
    root = parse(charts.section_bars(items, 8, 10, chart_id="s"))
    assert_accessible(root, "s")
    assert len(bars(root)) == n
    widths = [float(b.get("width", "0")) for b in bars(root)]
    assert widths == sorted(widths, reverse=True)


def test_section_bar_labels_are_shortened_but_titles_are_whole() -> None:
    long = "A very long page title that goes on › and a section title that does too"
    root = parse(charts.section_bars([charts.Bar(long, 12.0)], 8, 10))
    texts = [t.text or "" for t in root.iterfind(".//svg:text", NS)]
    assert any(t.endswith("…") and len(t) <= 42 for t in texts)
    bar_title = bars(root)[0].find("svg:title", NS)
    assert bar_title is not None and long in (bar_title.text or "")


@pytest.mark.parametrize(
    ("blocked", "expected_bars"), [([0], 0), ([1], 1), ([2, 0, 1, 0, 5], 3), ([], 0)]
)
def test_trend_has_a_point_per_build_and_a_bar_per_build_with_blocked_pages(
    blocked: list[int], expected_bars: int
) -> None:
    points = [
        charts.TrendPoint(f"−{len(blocked) - 1 - i}", 6.0 + i, b) for i, b in enumerate(blocked)
    ]
    root = parse(charts.trend(points, 8, 10, chart_id="t"))
    assert_accessible(root, "t")
    assert len(bars(root)) == expected_bars
    circles = [c for c in root.iterfind(".//svg:circle", NS) if c.get("class") == "point"]
    assert len(circles) == len(points)
    line = root.find(".//svg:polyline", NS)
    assert (line is not None) == bool(points)
    if len(points) > 1:
        ys = [float(c.get("cy", "0")) for c in circles]
        assert ys == sorted(ys, reverse=True)  # median rising: points climb


def test_trend_labels_stay_readable_with_many_builds() -> None:
    points = [charts.TrendPoint(f"−{199 - i}", 7.0, 0) for i in range(200)]
    root = parse(charts.trend(points, 8, 10))
    axis = [t for t in root.iterfind(".//svg:text", NS) if (t.text or "").startswith("−")]
    assert len(axis) <= 11


def test_charts_are_deterministic() -> None:
    a = charts.histogram([5.5, 9.1], 8, 10) + charts.trend([charts.TrendPoint("now", 7, 1)], 8, 10)
    b = charts.histogram([5.5, 9.1], 8, 10) + charts.trend([charts.TrendPoint("now", 7, 1)], 8, 10)
    assert a == b
