"""Charts of the dashboard as inline SVG, drawn at build time (no chart library, no script).

Each function returns a stand-alone ``<svg>`` (valid XML, so tests parse it with
``xml.etree``) with ``role="img"``, a ``<title>`` and a ``<desc>`` named by
``aria-labelledby``. The numbers also go into a text table next to the chart (the same data
functions feed both). Colours are SVG attributes, so the charts look the same outside the
report; ``report.css`` adapts them for print and forced colours through the class names.
Coordinates are rounded to 0.1 so output is byte-stable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

INK = "#1b1f23"
BAR = "#0b5c73"
BLOCK = "#a4262c"
WARN_BAND = "#fbf0dc"
BLOCK_BAND = "#f8e1e1"
GRID = "#c9d3d8"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


@dataclass(frozen=True)
class Bin:
    """Pages whose grade is over ``high - 1`` and at most ``high``."""

    high: int
    count: int

    @property
    def label(self) -> str:
        """``"7–8"``: the grade range of the bin."""
        return f"{self.high - 1}–{self.high}"


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: a label and its grade."""

    label: str
    grade: float


@dataclass(frozen=True)
class TrendPoint:
    """One build in the trend: a short axis label, the median grade and the blocked count."""

    label: str
    median: float
    blocked: int


def grade_bins(grades: Sequence[float], target: float, limit: float) -> list[Bin]:
    """Bins of width 1 covering every grade, the target and the limit (empty bins included)."""
    highs = [max(1, math.ceil(g)) for g in grades]
    low = min([*highs, max(1, math.floor(target))])
    high = max([*highs, math.ceil(limit) + 1])
    counts = {h: 0 for h in range(low, high + 1)}
    for h in highs:
        counts[h] += 1
    return [Bin(h, n) for h, n in counts.items()]


def _n(x: float) -> str:
    """A coordinate: rounded to 0.1, no trailing ``.0``."""
    r = round(x, 1)
    return str(int(r)) if r == int(r) else f"{r:.1f}"


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_a(chart_id)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{_a(chart_id)}-title {_a(chart_id)}-desc" {FONT} fill="{INK}">',
        f'<title id="{_a(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{_a(chart_id)}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, s: str, anchor: str = "middle", cls: str = "label") -> str:
    return f'<text class="{cls}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}">{escape(s)}</text>'


def _ticks(top: int) -> list[int]:
    """At most 6 round tick values from 0 to ``top``."""
    step = max(1, math.ceil(top / 5))
    return list(range(0, top + 1, step))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def histogram(
    grades: Sequence[float], target: float, limit: float, *, chart_id: str = "grade-chart"
) -> Markup:
    """Pages per grade bin, with the band over the target and the region over the limit shaded.

    One ``<rect class="bar">`` per non-empty bin.
    """
    bins = grade_bins(grades, target, limit)
    within = sum(1 for g in grades if g <= target)
    over_limit = sum(1 for g in grades if g > limit)
    between = len(grades) - within - over_limit
    desc = (
        f"Histogram of the grades of {_plural(len(grades), 'page')}: {within} at or below the "
        f"target {target:g}, {between} over the target but within the limit {limit:g}, "
        f"{over_limit} over the limit. The table after the chart lists every bin."
    )
    w, h = 640, 270
    left, right, top, bottom = 44, 16, 40, 44
    pw, ph = w - left - right, h - top - bottom
    lo, hi = bins[0].high - 1, bins[-1].high
    ymax = max([b.count for b in bins] + [1])
    ticks = _ticks(ymax)
    ymax = max(ymax, ticks[-1])

    def x(v: float) -> float:
        return left + (min(max(v, lo), hi) - lo) / (hi - lo) * pw

    def y(v: float) -> float:
        return top + ph - v / ymax * ph

    out = _open(chart_id, w, h, "Pages by reading grade", desc)
    out.append(
        f'<rect class="band-warn" x="{_n(x(target))}" y="{top}" '
        f'width="{_n(x(limit) - x(target))}" height="{ph}" fill="{WARN_BAND}"/>'
    )
    out.append(
        f'<rect class="band-block" x="{_n(x(limit))}" y="{top}" '
        f'width="{_n(x(hi) - x(limit))}" height="{ph}" fill="{BLOCK_BAND}"/>'
    )
    for t in ticks:
        out.append(
            f'<line class="grid" x1="{left}" x2="{left + pw}" y1="{_n(y(t))}" y2="{_n(y(t))}" '
            f'stroke="{GRID}"/>'
        )
        out.append(_text(left - 6, y(t) + 4, str(t), "end"))
    bw = pw / len(bins)
    for b in bins:
        if b.count:
            bx = x(b.high - 1)
            out.append(
                f'<rect class="bar" x="{_n(bx + 2)}" y="{_n(y(b.count))}" '
                f'width="{_n(bw - 4)}" height="{_n(y(0) - y(b.count))}" fill="{BAR}">'
                f"<title>grade {b.label}: {_plural(b.count, 'page')}</title></rect>"
            )
            out.append(_text(bx + bw / 2, y(b.count) - 4, str(b.count)))
    for v in range(lo, hi + 1):
        out.append(_text(x(v), top + ph + 16, str(v)))
    out.append(
        f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" '
        f'stroke="{INK}"/>'
    )
    for mark, name in ((target, "target"), (limit, "limit")):
        out.append(
            f'<line class="mark-{name}" x1="{_n(x(mark))}" x2="{_n(x(mark))}" y1="4" '
            f'y2="{top + ph}" stroke="{INK}" stroke-width="2"'
            + (' stroke-dasharray="6 3"/>' if name == "target" else "/>")
        )
        out.append(
            _text(
                x(mark) + (4 if name == "limit" else -4),
                16,
                f"{name} {mark:g}",
                "start" if name == "limit" else "end",
            )
        )
    out.append(_text(left + pw / 2, h - 6, "reading grade (US school years)"))
    out.append("</svg>")
    return Markup("\n".join(out))


def section_bars(
    bars: Sequence[Bar], target: float, limit: float, *, chart_id: str = "section-chart"
) -> Markup:
    """Horizontal bars, one ``<rect class="bar">`` per item, in the order given."""
    w = 640
    row, top, bottom = 26, 30, 30
    label_w, right = 300, 44
    h = top + bottom + row * max(1, len(bars))
    pw = w - label_w - right
    xmax = max([b.grade for b in bars] + [limit + 1])
    xmax = math.ceil(xmax)

    def x(v: float) -> float:
        return label_w + max(0.0, v) / xmax * pw

    if bars:
        worst = bars[0]
        desc = (
            f"The {_plural(len(bars), 'hardest section')} of the site by reading grade, "
            f'hardest first: "{worst.label}" at grade {worst.grade:.1f}. Target {target:g}, '
            f"limit {limit:g}. The table after the chart lists every bar."
        )
    else:
        desc = "No section has enough text to score."
    out = _open(chart_id, w, h, "Hardest sections", desc)
    out.append(
        f'<rect class="band-warn" x="{_n(x(target))}" y="{top}" '
        f'width="{_n(x(limit) - x(target))}" height="{h - top - bottom}" fill="{WARN_BAND}"/>'
    )
    out.append(
        f'<rect class="band-block" x="{_n(x(limit))}" y="{top}" '
        f'width="{_n(x(xmax) - x(limit))}" height="{h - top - bottom}" fill="{BLOCK_BAND}"/>'
    )
    for i, b in enumerate(bars):
        y0 = top + i * row
        label = b.label if len(b.label) <= 42 else b.label[:41] + "…"
        out.append(_text(label_w - 8, y0 + row / 2 + 4, label, "end"))
        fill = BLOCK if b.grade > limit else BAR
        out.append(
            f'<rect class="bar" x="{label_w}" y="{_n(y0 + 4)}" width="{_n(x(b.grade) - label_w)}"'
            f' height="{row - 8}" fill="{fill}"><title>{escape(b.label)}: grade '
            f"{b.grade:.1f}</title></rect>"
        )
        out.append(_text(x(b.grade) + 4, y0 + row / 2 + 4, f"{b.grade:.1f}", "start"))
    for v, name in ((target, "target"), (limit, "limit")):
        out.append(
            f'<line class="mark-{name}" x1="{_n(x(v))}" x2="{_n(x(v))}" y1="4" '
            f'y2="{h - bottom}" stroke="{INK}" stroke-width="2"'
            + (' stroke-dasharray="6 3"/>' if name == "target" else "/>")
        )
        out.append(
            _text(
                x(v) + (4 if name == "limit" else -4),
                16,
                f"{name} {v:g}",
                "start" if name == "limit" else "end",
            )
        )
    out.append(_text(label_w + pw / 2, h - 8, "reading grade (US school years)"))
    out.append("</svg>")
    return Markup("\n".join(out))


@dataclass(frozen=True)
class _TrendFrame:
    """Where the trend chart draws: the median panel above the blocked-pages panel."""

    n: int
    gmax: int
    bmax: int
    left: int = 44
    pw: int = 640 - 44 - 16
    top1: int = 30  # median panel
    h1: int = 150
    top2: int = 252  # blocked panel
    h2: int = 80

    @property
    def step(self) -> float:
        """The width of one build."""
        return self.pw / self.n

    def x(self, i: int) -> float:
        """The middle of build ``i``."""
        return self.left + self.step * (i + 0.5)

    def yg(self, v: float) -> float:
        """The height of grade ``v`` in the median panel."""
        return self.top1 + self.h1 - max(0.0, v) / self.gmax * self.h1

    def yb(self, v: float) -> float:
        """The height of ``v`` blocked pages in the blocked panel."""
        return self.top2 + self.h2 - v / self.bmax * self.h2


def trend(
    points: Sequence[TrendPoint], target: float, limit: float, *, chart_id: str = "trend-chart"
) -> Markup:
    """Median grade per build (a line with one ``<circle class="point">`` per build) above the
    blocked count per build (one ``<rect class="bar">`` per build with blocked pages)."""
    f = _TrendFrame(
        n=max(1, len(points)),
        gmax=math.ceil(max([p.median for p in points] + [limit + 1])),
        bmax=max([p.blocked for p in points] + [1]),
    )
    out = _open(
        chart_id, 640, 366, "Trend over the last builds", _trend_desc(points, target, limit)
    )
    out += _median_panel(f, points, target, limit)
    out += _blocked_panel(f, points)
    out.append("</svg>")
    return Markup("\n".join(out))


def _trend_desc(points: Sequence[TrendPoint], target: float, limit: float) -> str:
    """The trend chart's description for screen readers."""
    if not points:
        return "No builds recorded yet."
    last = points[-1]
    first = points[0]
    return (
        f"Median page grade and number of blocked pages over the last "
        f"{_plural(len(points), 'build')}: median {first.median:.1f} then "
        f"{last.median:.1f} now (target {target:g}, limit {limit:g}); blocked pages "
        f"{first.blocked} then {last.blocked} now. The table after the chart lists every "
        "build."
    )


def _median_panel(
    f: _TrendFrame, points: Sequence[TrendPoint], target: float, limit: float
) -> list[str]:
    """The median grade per build, over the warn and block bands."""
    left, pw, top1, h1, yg = f.left, f.pw, f.top1, f.h1, f.yg
    out = [_text(left, top1 - 12, "median grade", "start", "label heading")]
    out.append(
        f'<rect class="band-warn" x="{left}" y="{_n(yg(limit))}" width="{pw}" '
        f'height="{_n(yg(target) - yg(limit))}" fill="{WARN_BAND}"/>'
    )
    out.append(
        f'<rect class="band-block" x="{left}" y="{top1}" width="{pw}" '
        f'height="{_n(yg(limit) - top1)}" fill="{BLOCK_BAND}"/>'
    )
    for v, name in ((target, "target"), (limit, "limit")):
        out.append(
            f'<line class="mark-{name}" x1="{left}" x2="{left + pw}" y1="{_n(yg(v))}" '
            f'y2="{_n(yg(v))}" stroke="{INK}"'
            + (' stroke-dasharray="6 3"/>' if name == "target" else "/>")
        )
        out.append(_text(left - 6, yg(v) + 4, f"{v:g}", "end"))
    out.append(_text(left - 6, yg(0) + 4, "0", "end"))
    out.append(
        f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{top1 + h1}" y2="{top1 + h1}" '
        f'stroke="{INK}"/>'
    )
    if points:
        coords = " ".join(f"{_n(f.x(i))},{_n(yg(p.median))}" for i, p in enumerate(points))
        out.append(
            f'<polyline class="line" points="{coords}" fill="none" stroke="{BAR}" '
            f'stroke-width="2.5"/>'
        )
    for i, p in enumerate(points):
        out.append(
            f'<circle class="point" cx="{_n(f.x(i))}" cy="{_n(yg(p.median))}" r="4" fill="{BAR}">'
            f"<title>{escape(p.label)}: median grade {p.median:.1f}</title></circle>"
        )
    return out


def _blocked_panel(f: _TrendFrame, points: Sequence[TrendPoint]) -> list[str]:
    """The number of blocked pages per build, with the build labels under it."""
    left, pw, top2, h2, x, yb = f.left, f.pw, f.top2, f.h2, f.x, f.yb
    out = [_text(left, top2 - 24, "blocked pages", "start", "label heading")]
    for t in [0, f.bmax]:
        out.append(_text(left - 6, yb(t) + 4, str(t), "end"))
    bw = min(24.0, f.step * 0.6)
    for i, p in enumerate(points):
        if p.blocked:
            out.append(
                f'<rect class="bar" x="{_n(x(i) - bw / 2)}" y="{_n(yb(p.blocked))}" '
                f'width="{_n(bw)}" height="{_n(yb(0) - yb(p.blocked))}" fill="{BLOCK}">'
                f"<title>{escape(p.label)}: {_plural(p.blocked, 'blocked page')}</title></rect>"
            )
            if len(points) <= 30:
                out.append(_text(x(i), yb(p.blocked) - 4, str(p.blocked)))
    out.append(
        f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{top2 + h2}" y2="{top2 + h2}" '
        f'stroke="{INK}"/>'
    )
    every = max(1, math.ceil(len(points) / 10))
    for i, p in enumerate(points):
        if (len(points) - 1 - i) % every == 0:
            out.append(_text(x(i), top2 + h2 + 16, p.label))
    return out
