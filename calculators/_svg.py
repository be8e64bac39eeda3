"""Charts as SVG text, drawn by the same Python that computes the numbers.

Why not a chart library: the build already runs this code to pre-render results, so the chart
is in the HTML at first paint, in print and without JavaScript; the browser worker redraws it
with the same code. A library would add 50–250 kB of JavaScript per page and a second,
JavaScript copy of the numbers. Colours come from CSS classes (calc.css), so light and dark
mode work; each chart carries a title, a description and its numbers as a table for screen
readers.

Each chart is drawn twice, in a wide layout (640 × 320, for a desktop or tablet column) and a
narrow one (360 × 300, for a phone), both from the same numbers; CSS shows the one that fits
the column (a container query in calc.css), so its text stays at least 12 CSS px on a 390 px
phone instead of shrinking with the whole picture. The hidden one is ``display: none``, which
also hides it from screen readers; the legend and the table are written once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from html import escape

__all__ = [
    "LAYOUTS",
    "NARROW",
    "WIDE",
    "Bar",
    "Layout",
    "Marker",
    "Series",
    "bar_chart",
    "line_chart",
    "nice_max",
    "range_chart",
]


@dataclass(frozen=True)
class Layout:
    """A chart's drawing box in SVG units: size, plot margins and the text sizes it is built for.

    ``font`` is the size of tick labels (``text`` in calc.css must match), ``x_ticks`` about how
    many labels the x axis gets.
    """

    name: str
    w: int
    h: int
    left: int
    right: int
    top: int
    bottom: int
    font: float
    x_ticks: int

    def text_width(self, text: str, bold: bool = False) -> float:
        """About how many units ``text`` takes at this layout's font (Roboto-like widths)."""
        return len(text) * self.font * (0.6 if bold else 0.55)


WIDE = Layout("wide", 640, 320, left=72, right=16, top=28, bottom=44, font=13, x_ticks=6)
NARROW = Layout("narrow", 360, 300, left=60, right=12, top=36, bottom=52, font=15, x_ticks=4)
LAYOUTS = (WIDE, NARROW)
# The wide layout's numbers, as before layouts existed.
W, H = WIDE.w, WIDE.h
LEFT, RIGHT, TOP, BOTTOM = WIDE.left, WIDE.right, WIDE.top, WIDE.bottom


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
    box: Layout = WIDE
    extra: dict = field(default_factory=dict)

    def x(self, v: float) -> float:
        b = self.box
        return b.left + (v - self.x0) / ((self.x1 - self.x0) or 1) * (b.w - b.left - b.right)

    def y(self, v: float) -> float:
        b = self.box
        return (
            b.h - b.bottom - (v - self.y0) / ((self.y1 - self.y0) or 1) * (b.h - b.top - b.bottom)
        )


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
    b = frame.box
    return [
        f'<svg class="tob-svg tob-svg--{kind}" viewBox="0 0 {b.w} {b.h}" role="img" '
        f'aria-label="{escape(title)}. {escape(desc)}" xmlns="http://www.w3.org/2000/svg" '
        f'data-layout="{b.name}" '
        f'data-x0="{frame.x0:g}" data-x1="{frame.x1:g}" data-y0="{frame.y0:g}" data-y1="{frame.y1:g}" '
        f'data-left="{b.left}" data-right="{b.w - b.right}" data-top="{b.top}" data-bottom="{b.h - b.bottom}">',
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


def _lines(text: str, room: float, box: Layout, bold: bool = False) -> list[str]:
    """``text`` as one line, or as two split at the space nearest its middle when it is wider
    than ``room`` units. The first line keeps its trailing space, so the element's text reads
    the same either way."""
    if box.text_width(text, bold) <= room or " " not in text:
        return [text]
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - len(text) / 2))
    return [text[: cut + 1], text[cut + 1 :]]


def _text(lines: Sequence[str], x: str, step: float) -> str:
    """The content of a ``<text>``: one line as is, more as ``<tspan>`` rows ``step`` apart."""
    if len(lines) == 1:
        return escape(lines[0])
    return "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else step:g}">{escape(s)}</tspan>'
        for i, s in enumerate(lines)
    )


def _anchor(x: float, text: str, box: Layout, last: bool = False) -> str:
    """``text-anchor`` for a label centred under ``x`` that keeps it inside the drawing."""
    half = box.text_width(text) / 2
    if last or x + half > box.w:
        return "end"
    return "start" if x - half < 0 else "middle"


def _fit_left(box: Layout, labels: Sequence[str]) -> Layout:
    """``box`` with a left margin wide enough for the longest of the y axis ``labels``."""
    return replace(box, left=max(box.left, math.ceil(max(map(box.text_width, labels)) + 10)))


def _place(x: float, width: float, box: Layout) -> tuple[float, str, int, float, float]:
    """Where a label of ``width`` units beside a vertical line at ``x`` goes: right of the line
    if it fits, else left of it, else against the edge. Returns (x, anchor, dx, from, to)."""
    if x + 4 + width <= box.w - 2:
        return x, "start", 4, x + 4, x + 4 + width
    if x - 4 - width >= 2:
        return x, "end", -4, x - 4 - width, x - 4
    return box.w - 2, "end", 0, box.w - 2 - width, box.w - 2


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
    y_labels = [y_fmt(v) for v in _ticks(top)]
    svgs = "".join(
        _line_svg(
            title,
            desc,
            _Frame(min(xs), max(xs), 0.0, top, _fit_left(box, y_labels)),
            series,
            markers,
            x_label,
            x_fmt,
            y_fmt,
        )
        for box in LAYOUTS
    )
    rows = []
    points_by_x: dict[float, list[str]] = {}
    for s in series:
        for px, py in s.points:
            points_by_x.setdefault(px, []).append(y_fmt(py))
    for i, (px, vals) in enumerate(sorted(points_by_x.items())):
        if i % table_every == 0 or i == len(points_by_x) - 1:
            rows.append([x_fmt(px), *vals])
    legend = _legend([(s.name, s.css) for s in series])
    return svgs + legend + _table(title, [x_label, *[s.name for s in series]], rows)


def _y_axis(out: list[str], frame: _Frame, y_fmt: Callable[[float], str]) -> None:
    """Horizontal grid lines with their values at the left."""
    b = frame.box
    for v in _ticks(frame.y1):
        y = _t(frame.y(v))
        out.append(f'<line class="grid" x1="{b.left}" x2="{b.w - b.right}" y1="{y}" y2="{y}"/>')
        out.append(
            f'<text class="tick" x="{b.left - 6}" y="{y}" text-anchor="end" dy="0.32em">{escape(y_fmt(v))}</text>'
        )


def _x_label(out: list[str], b: Layout, x_label: str) -> None:
    out.append(
        f'<text class="axis" x="{(b.left + b.w - b.right) / 2}" y="{b.h - 8}" text-anchor="middle">{escape(x_label)}</text>'
    )


def _line_svg(
    title: str,
    desc: str,
    frame: _Frame,
    series: Sequence[Series],
    markers: Sequence[Marker],
    x_label: str,
    x_fmt: Callable[[float], str],
    y_fmt: Callable[[float], str],
) -> str:
    b = frame.box
    out = _open(title, desc, frame, "line")
    _y_axis(out, frame, y_fmt)
    span = frame.x1 - frame.x0
    step = max(1, round(span / b.x_ticks))
    x = frame.x0
    while x <= frame.x1 + 1e-9:
        label = x_fmt(x)
        out.append(
            f'<text class="tick" x="{_t(frame.x(x))}" y="{b.h - b.bottom + b.font + 4}" '
            f'text-anchor="{_anchor(frame.x(x), label, b)}">{escape(label)}</text>'
        )
        x += step
    _x_label(out, b, x_label)
    for s in series:
        d = _clipped_path(s.points, frame)
        out.append(f'<path class="series {escape(s.css)}" d="{d}" data-series="{escape(s.name)}"/>')
        last_y = s.points[-1][1]
        if last_y > frame.y1:
            text = f"{s.name}, above the scale: {y_fmt(last_y)} at the end"
            right = _t(b.w - b.right - 4)
            lines = _lines(text, b.w - b.left - b.right - 8, b, True)
            out.append(
                f'<text class="offscale" x="{right}" y="{b.top + b.font + 2}" text-anchor="end" '
                f'data-series="{escape(s.name)}">{_text(lines, right, b.font * 1.2)}</text>'
            )
    # Labels of markers close together go on separate rows instead of overlapping.
    rows: list[float] = []  # where the last label on each row ends (units)
    for m in sorted(markers, key=lambda m: m.x):
        mx = frame.x(m.x)
        x, anchor, dx, start, end = _place(mx, b.text_width(m.label, bold=True), b)
        row = next((i for i, last in enumerate(rows) if start >= last + 6), len(rows))
        rows[row : row + 1] = [end]
        out.append(
            f'<g class="{escape(m.css)}" data-marker="{m.x:g}">'
            f'<line x1="{_t(mx)}" x2="{_t(mx)}" y1="{b.top}" y2="{b.h - b.bottom}"/>'
            f'<text x="{_t(x)}" dx="{dx}" y="{_t(b.top - 8 + (b.font + 3) * row)}" text-anchor="{anchor}">{escape(m.label)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


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
    y_labels = [y_fmt(v) for v in _ticks(top)]
    svgs = "".join(
        _bar_svg(
            title,
            desc,
            _Frame(0, len(bars), 0.0, top, _fit_left(box, y_labels)),
            bars,
            totals,
            lines,
            components,
            y_fmt,
        )
        for box in LAYOUTS
    )
    head = ["Option", *[c for c, _ in components], "Total"]
    rows = []
    for b, total in zip(bars, totals, strict=True):
        parts = dict(b.parts)
        rows.append([b.label, *[y_fmt(parts.get(c, 0.0)) for c, _ in components], y_fmt(total)])
    return svgs + _legend(list(components), "swatch") + _table(title, head, rows)


def _bar_svg(
    title: str,
    desc: str,
    frame: _Frame,
    bars: Sequence[Bar],
    totals: Sequence[float],
    lines: Sequence[tuple[str, float]],
    components: Sequence[tuple[str, str]],
    y_fmt: Callable[[float], str],
) -> str:
    bx = frame.box
    out = _open(title, desc, frame, "bar")
    _y_axis(out, frame, y_fmt)
    css_of = dict(components)
    slot = (bx.w - bx.left - bx.right) / max(len(bars), 1)
    for i, (b, total) in enumerate(zip(bars, totals, strict=True)):
        x = bx.left + i * slot + slot * 0.2
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
        centre = _t(x + width / 2)
        out.append(
            f'<text class="value" x="{centre}" y="{_t(frame.y(total) - 4)}" text-anchor="middle">{escape(y_fmt(total))}</text>'
        )
        # A name wider than its slot goes on two rows.
        label = _lines(b.label, slot - 4, bx)
        out.append(
            f'<text class="tick" x="{centre}" y="{bx.h - bx.bottom + bx.font + 4}" text-anchor="middle">'
            f"{_text(label, centre, bx.font * 1.15)}</text></g>"
        )
    # Reference lines closer than a line of text share one label, above the highest of them.
    groups: list[list[tuple[str, float]]] = []
    for name, v in sorted(lines, key=lambda line: -line[1]):
        if groups and frame.y(v) - frame.y(groups[-1][-1][1]) < bx.font * 1.1:
            groups[-1].append((name, v))
        else:
            groups.append([(name, v)])
    for group in groups:
        label = ", ".join(name for name, _ in reversed(group))
        for k, (name, v) in enumerate(group):
            y = _t(frame.y(v))
            text = (
                f'<text x="{bx.w - bx.right - 2}" y="{y}" dy="-0.35em" text-anchor="end">{escape(label)}</text>'
                if k == 0
                else ""
            )
            out.append(
                f'<g class="refline" data-line="{escape(name)}" data-value="{v:g}"><line x1="{bx.left}" x2="{bx.w - bx.right}" y1="{y}" y2="{y}"/>'
                f"{text}</g>"
            )
    out.append("</svg>")
    return "".join(out)


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
    # No y axis: the narrow layout gives its left margin to the bars.
    boxes = (WIDE, replace(NARROW, left=NARROW.right + 4))
    svgs = "".join(
        _range_svg(
            title,
            desc,
            _Frame(math.log10(lo10), math.log10(hi10), 0.0, float(len(rows)), box),
            (lo10, hi10),
            rows,
            mark,
            x_fmt,
            x_label,
            selected,
        )
        for box in boxes
    )
    table_rows = [[label, x_fmt(lo), x_fmt(hi)] for label, lo, hi in rows]
    if mark is not None:
        table_rows.append([mark[0], x_fmt(mark[1]), x_fmt(mark[2])])
    return svgs + _table(title, ["Row", "Low", "High"], table_rows)


def _range_svg(
    title: str,
    desc: str,
    frame: _Frame,
    decades: tuple[float, float],
    rows: Sequence[tuple[str, float, float]],
    mark: tuple[str, float, float] | None,
    x_fmt: Callable[[float], str],
    x_label: str,
    selected: str | None,
) -> str:
    b = frame.box
    lo10, hi10 = decades

    def x_of(v: float) -> float:
        return frame.x(math.log10(max(v, lo10)))

    out = _open(title, desc, frame, "range")
    # 1, 2 and 5 of each power of ten are labelled where there is room for them.
    labelled = 100 if b.w >= WIDE.w else 10
    for v in _log_ticks(lo10, hi10):
        x = _t(x_of(v))
        major = math.isclose(math.log10(v), round(math.log10(v)))
        out.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{b.top}" y2="{b.h - b.bottom}"/>')
        if major or hi10 / lo10 <= labelled:
            edge = _anchor(x_of(v), x_fmt(v), b, last=math.isclose(v, hi10))
            out.append(
                f'<text class="tick" x="{x}" y="{b.h - b.bottom + b.font + 4}" text-anchor="{edge}">{escape(x_fmt(v))}</text>'
            )
    _x_label(out, b, x_label)
    band = (b.h - b.top - b.bottom) / max(len(rows), 1)
    for i, (label, lo, hi) in enumerate(rows):
        y = b.top + i * band + band * 0.25
        chosen = "tick selected" if label == selected else "tick"
        out.append(
            f'<g class="range" data-row="{escape(label)}" data-low="{lo:g}" data-high="{hi:g}">'
            f'<rect class="s{i + 1}" x="{_t(x_of(lo))}" y="{_t(y)}" width="{_t(max(x_of(hi) - x_of(lo), 3))}" height="{_t(band * 0.5)}"/>'
            # The row's name sits above its bar, so long names need no wide left margin.
            f'<text class="{chosen}" x="{b.left}" y="{_t(y - 5)}">{escape(label)}</text></g>'
        )
    if mark is not None:
        label, m_lo, m_hi = mark
        x0, x1 = x_of(m_lo), x_of(m_hi)
        shade = (
            f'<rect class="band" x="{_t(x0)}" y="{b.top}" width="{_t(x1 - x0)}" height="{b.h - b.top - b.bottom}"/>'
            if x1 - x0 > 1
            else ""
        )
        x, anchor, dx, _, _ = _place(x0, b.text_width(label, bold=True), b)
        lines = "".join(
            f'<line x1="{_t(x)}" x2="{_t(x)}" y1="{b.top}" y2="{b.h - b.bottom}"/>'
            for x in ((x0, x1) if shade else (x0,))
        )
        out.append(
            f'<g class="marker" data-marker-low="{m_lo:g}" data-marker-high="{m_hi:g}">{shade}{lines}'
            f'<text x="{_t(x)}" dx="{dx}" y="{b.top - 8}" text-anchor="{anchor}">{escape(label)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)
