"""Charts as SVG text, drawn by the same Python that computes the numbers.

Why not a chart library: the build already runs this code to pre-render results, so the chart
is in the HTML at first paint, in print and without JavaScript; the browser worker redraws it
with the same code. A library would add 50–250 kB of JavaScript per page and a second,
JavaScript copy of the numbers. Colours come from CSS classes (calc.css), so light and dark
mode work; each chart carries a title, a description and its numbers as a table for screen
readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

__all__ = ["Bar", "Marker", "Series", "bar_chart", "line_chart", "nice_max", "range_chart"]

W, H = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 28, 44


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[float, float]]
    css: str  # "s1".."s5": colour and dash pattern, defined in calc.css


@dataclass(frozen=True)
class Marker:
    x: float
    label: str
    css: str = "marker"


@dataclass(frozen=True)
class Bar:
    label: str
    parts: Sequence[tuple[str, float]]  # (component, value), stacked in order
    note: str = ""


@dataclass(frozen=True)
class _Frame:
    x0: float
    x1: float
    y0: float
    y1: float
    extra: dict = field(default_factory=dict)

    def x(self, v: float) -> float:
        return LEFT + (v - self.x0) / ((self.x1 - self.x0) or 1) * (W - LEFT - RIGHT)

    def y(self, v: float) -> float:
        return H - BOTTOM - (v - self.y0) / ((self.y1 - self.y0) or 1) * (H - TOP - BOTTOM)


def nice_max(v: float) -> float:
    """The next round number at or above ``v`` (1, 2, 2.5 or 5 times a power of ten)."""
    if v <= 0:
        return 1.0
    p = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * p * (1 + 1e-12):
            return m * p
    return 10 * p


def _ticks(top: float, n: int = 4) -> list[float]:
    return [top * i / n for i in range(n + 1)]


def _t(x: float) -> str:
    return f"{x:.1f}"


def _open(title: str, desc: str, frame: _Frame, kind: str) -> list[str]:
    return [
        f'<svg class="tob-svg tob-svg--{kind}" viewBox="0 0 {W} {H}" role="img" '
        f'aria-label="{escape(title)}. {escape(desc)}" xmlns="http://www.w3.org/2000/svg" '
        f'data-x0="{frame.x0:g}" data-x1="{frame.x1:g}" data-y0="{frame.y0:g}" data-y1="{frame.y1:g}" '
        f'data-left="{LEFT}" data-right="{W - RIGHT}" data-top="{TOP}" data-bottom="{H - BOTTOM}">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="tob-sr-only"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"
    )


def _legend(items: Sequence[tuple[str, str]], kind: str = "line") -> str:
    """The key under a chart: a line sample for lines, a filled swatch for bars."""
    spans = "".join(
        f'<li><span class="tob-key tob-key--{kind} tob-key--{escape(css)}" aria-hidden="true"></span>{escape(name)}</li>'
        for name, css in items
    )
    return f'<ul class="tob-legend" aria-hidden="true">{spans}</ul>'


def line_chart(
    *,
    title: str,
    desc: str,
    series: Sequence[Series],
    markers: Sequence[Marker] = (),
    x_label: str,
    x_fmt: Callable[[float], str],
    y_fmt: Callable[[float], str],
    table_every: int = 1,
    y_cap: float | None = None,
) -> str:
    """Lines over a shared x axis (months), with vertical markers (payback, crossovers).

    With ``y_cap`` the axis stops there: a line that runs above it leaves through the top edge,
    labelled with where it ends, so one huge series does not flatten the others. The table
    for screen readers keeps every number.
    """
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points]
    top = nice_max(y_cap) if y_cap is not None else nice_max(max([*ys, 0.0]))
    frame = _Frame(min(xs), max(xs), 0.0, top)
    out = _open(title, desc, frame, "line")
    for v in _ticks(frame.y1):
        y = _t(frame.y(v))
        out.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y}" y2="{y}"/>')
        out.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y}" text-anchor="end" dy="0.32em">{escape(y_fmt(v))}</text>'
        )
    span = frame.x1 - frame.x0
    step = max(1, round(span / 6))
    x = frame.x0
    while x <= frame.x1 + 1e-9:
        out.append(
            f'<text class="tick" x="{_t(frame.x(x))}" y="{H - BOTTOM + 16}" text-anchor="middle">{escape(x_fmt(x))}</text>'
        )
        x += step
    out.append(
        f'<text class="axis" x="{(LEFT + W - RIGHT) / 2}" y="{H - 8}" text-anchor="middle">{escape(x_label)}</text>'
    )
    for s in series:
        d = _clipped_path(s.points, frame)
        out.append(f'<path class="series {escape(s.css)}" d="{d}" data-series="{escape(s.name)}"/>')
        last_y = s.points[-1][1]
        if last_y > frame.y1:
            out.append(
                f'<text class="offscale" x="{W - RIGHT - 4}" y="{TOP + 14}" text-anchor="end" '
                f'data-series="{escape(s.name)}">{escape(s.name)}, above the scale: '
                f"{escape(y_fmt(last_y))} at the end</text>"
            )
    # Labels of markers close together go on separate rows instead of overlapping.
    rows: list[float] = []  # the x of the last label on each row
    for m in sorted(markers, key=lambda m: m.x):
        row = next((i for i, last in enumerate(rows) if m.x - last >= span / 4), len(rows))
        rows[row : row + 1] = [m.x]
        mx = _t(frame.x(m.x))
        anchor = "end" if frame.x(m.x) > W * 0.7 else "start"
        dx = -4 if anchor == "end" else 4
        out.append(
            f'<g class="{escape(m.css)}" data-marker="{m.x:g}">'
            f'<line x1="{mx}" x2="{mx}" y1="{TOP}" y2="{H - BOTTOM}"/>'
            f'<text x="{mx}" dx="{dx}" y="{TOP - 8 + 15 * row}" text-anchor="{anchor}">{escape(m.label)}</text></g>'
        )
    out.append("</svg>")
    rows = []
    points_by_x: dict[float, list[str]] = {}
    for s in series:
        for px, py in s.points:
            points_by_x.setdefault(px, []).append(y_fmt(py))
    for i, (px, vals) in enumerate(sorted(points_by_x.items())):
        if i % table_every == 0 or i == len(points_by_x) - 1:
            rows.append([x_fmt(px), *vals])
    legend = _legend([(s.name, s.css) for s in series])
    return "".join(out) + legend + _table(title, [x_label, *[s.name for s in series]], rows)


def _clipped_path(points: Sequence[tuple[float, float]], frame: _Frame) -> str:
    """SVG path data for a polyline, cut where it rises above the frame's top."""
    cmds: list[str] = []
    pen_down = False
    for i, (x, y) in enumerate(points):
        inside = y <= frame.y1
        if i and inside != (points[i - 1][1] <= frame.y1):
            (x0, y0) = points[i - 1]
            cx = x0 + (x - x0) * (frame.y1 - y0) / ((y - y0) or 1)
            cross = f"{_t(frame.x(cx))},{_t(frame.y(frame.y1))}"
            cmds.append(("L" if pen_down else "M") + cross)
            pen_down = inside
        if inside:
            cmds.append(("L" if pen_down else "M") + f"{_t(frame.x(x))},{_t(frame.y(y))}")
            pen_down = True
    return " ".join(cmds)


def bar_chart(
    *,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    lines: Sequence[tuple[str, float]] = (),
    components: Sequence[tuple[str, str]],
    y_fmt: Callable[[float], str],
) -> str:
    """Stacked vertical bars (one per option) against horizontal reference lines (GPU sizes)."""
    totals = [sum(v for _, v in b.parts) for b in bars]
    top = nice_max(max(totals + [v for _, v in lines] + [0.0]))
    frame = _Frame(0, len(bars), 0.0, top)
    out = _open(title, desc, frame, "bar")
    for v in _ticks(top):
        y = _t(frame.y(v))
        out.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y}" y2="{y}"/>')
        out.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y}" text-anchor="end" dy="0.32em">{escape(y_fmt(v))}</text>'
        )
    css_of = dict(components)
    slot = (W - LEFT - RIGHT) / max(len(bars), 1)
    for i, (b, total) in enumerate(zip(bars, totals, strict=True)):
        x = LEFT + i * slot + slot * 0.2
        width = slot * 0.6
        base = 0.0
        out.append(f'<g class="bar" data-bar="{escape(b.label)}" data-total="{total:.6g}">')
        for name, v in b.parts:
            y_top, y_bottom = frame.y(base + v), frame.y(base)
            out.append(
                f'<rect class="{escape(css_of.get(name, "s1"))}" x="{_t(x)}" y="{_t(y_top)}" width="{_t(width)}" '
                f'height="{_t(max(y_bottom - y_top, 0))}" data-part="{escape(name)}" data-value="{v:.6g}"/>'
            )
            base += v
        out.append(
            f'<text class="value" x="{_t(x + width / 2)}" y="{_t(frame.y(total) - 4)}" text-anchor="middle">{escape(y_fmt(total))}</text>'
        )
        out.append(
            f'<text class="tick" x="{_t(x + width / 2)}" y="{H - BOTTOM + 16}" text-anchor="middle">{escape(b.label)}</text></g>'
        )
    for name, v in lines:
        y = _t(frame.y(v))
        out.append(
            f'<g class="refline" data-line="{escape(name)}" data-value="{v:g}"><line x1="{LEFT}" x2="{W - RIGHT}" y1="{y}" y2="{y}"/>'
            f'<text x="{W - RIGHT - 2}" y="{y}" dy="-0.35em" text-anchor="end">{escape(name)}</text></g>'
        )
    out.append("</svg>")
    head = ["Option", *[c for c, _ in components], "Total"]
    rows = []
    for b, total in zip(bars, totals, strict=True):
        parts = dict(b.parts)
        rows.append([b.label, *[y_fmt(parts.get(c, 0.0)) for c, _ in components], y_fmt(total)])
    return "".join(out) + _legend(list(components), "swatch") + _table(title, head, rows)


def _log_ticks(lo: float, hi: float) -> list[float]:
    """1, 2 and 5 times each power of ten between ``lo`` and ``hi`` (both powers of ten)."""
    ticks, p = [], lo
    while p <= hi * (1 + 1e-9):
        ticks.extend(t for t in (p, 2 * p, 5 * p) if t <= hi * (1 + 1e-9))
        p *= 10
    return ticks


def range_chart(
    *,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float, float]],
    mark: tuple[str, float, float] | None,
    x_fmt: Callable[[float], str],
    x_label: str,
    selected: str | None = None,
) -> str:
    """Horizontal low–high bars (one per row) with the reader's own figure across them.

    The x axis is logarithmic (powers of ten), because the rows span orders of magnitude (50
    to 5,000 examples). ``mark`` is ``(label, low, high)``: a line where low equals high,
    otherwise a shaded band. The row named ``selected`` is drawn in bold.
    """
    values = [v for _, lo, hi in rows for v in (lo, hi)] + ([mark[1], mark[2]] if mark else [])
    positive = [v for v in values if v > 0] or [1.0]
    lo10 = 10 ** math.floor(math.log10(min(positive)))
    hi10 = 10 ** math.ceil(math.log10(max(positive) * (1 + 1e-12)))
    if hi10 <= lo10:
        hi10 = lo10 * 10
    frame = _Frame(math.log10(lo10), math.log10(hi10), 0.0, float(len(rows)))

    def x_of(v: float) -> float:
        return frame.x(math.log10(max(v, lo10)))

    out = _open(title, desc, frame, "range")
    for v in _log_ticks(lo10, hi10):
        x = _t(x_of(v))
        major = math.isclose(math.log10(v), round(math.log10(v)))
        out.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{TOP}" y2="{H - BOTTOM}"/>')
        if major or hi10 / lo10 <= 100:
            edge = "end" if math.isclose(v, hi10) else "middle"
            out.append(
                f'<text class="tick" x="{x}" y="{H - BOTTOM + 16}" text-anchor="{edge}">{escape(x_fmt(v))}</text>'
            )
    out.append(
        f'<text class="axis" x="{(LEFT + W - RIGHT) / 2}" y="{H - 8}" text-anchor="middle">{escape(x_label)}</text>'
    )
    band = (H - TOP - BOTTOM) / max(len(rows), 1)
    for i, (label, lo, hi) in enumerate(rows):
        y = TOP + i * band + band * 0.25
        chosen = "tick selected" if label == selected else "tick"
        out.append(
            f'<g class="range" data-row="{escape(label)}" data-low="{lo:g}" data-high="{hi:g}">'
            f'<rect class="s{i + 1}" x="{_t(x_of(lo))}" y="{_t(y)}" width="{_t(max(x_of(hi) - x_of(lo), 3))}" height="{_t(band * 0.5)}"/>'
            # The row's name sits above its bar, so long names need no wide left margin.
            f'<text class="{chosen}" x="{LEFT}" y="{_t(y - 5)}">{escape(label)}</text></g>'
        )
    if mark is not None:
        label, m_lo, m_hi = mark
        x0, x1 = x_of(m_lo), x_of(m_hi)
        shade = (
            f'<rect class="band" x="{_t(x0)}" y="{TOP}" width="{_t(x1 - x0)}" height="{H - TOP - BOTTOM}"/>'
            if x1 - x0 > 1
            else ""
        )
        anchor = "end" if x0 > W * 0.7 else "start"
        dx = -4 if anchor == "end" else 4
        lines = "".join(
            f'<line x1="{_t(x)}" x2="{_t(x)}" y1="{TOP}" y2="{H - BOTTOM}"/>'
            for x in ((x0, x1) if shade else (x0,))
        )
        out.append(
            f'<g class="marker" data-marker-low="{m_lo:g}" data-marker-high="{m_hi:g}">{shade}{lines}'
            f'<text x="{_t(x0)}" dx="{dx}" y="{TOP - 8}" text-anchor="{anchor}">{escape(label)}</text></g>'
        )
    out.append("</svg>")
    table_rows = [[label, x_fmt(lo), x_fmt(hi)] for label, lo, hi in rows]
    if mark is not None:
        table_rows.append([mark[0], x_fmt(mark[1]), x_fmt(mark[2])])
    return "".join(out) + _table(title, ["Row", "Low", "High"], table_rows)
