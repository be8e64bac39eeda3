"""The chart drawer: every chart comes in a wide and a narrow layout, drawn from the same numbers,
with one legend and one table; labels stay inside the drawing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators import REGISTRY
from calculators._api import run
from calculators._data import load_tree
from calculators._svg import LAYOUTS, NARROW, WIDE, Bar, Marker, Series, bar_chart, line_chart
from tests.browser.conftest import ROOT

DATA = load_tree(ROOT / "data")
# compare-models fills its chart slot with a table of every model, not an SVG chart.
CHARTED = [slug for slug in REGISTRY if "<svg" in run(slug, {}, DATA)["chart"]]
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def drawings(chart: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in SVG.findall(chart)]


@pytest.mark.parametrize("slug", CHARTED)
def test_each_chart_is_drawn_once_per_layout_with_one_legend_and_table(slug):
    out = run(slug, {}, DATA)
    assert out["ok"], out
    svgs = drawings(out["chart"])
    layouts = [s.get("data-layout") for s in svgs]
    panels = len(svgs) // len(LAYOUTS)
    assert layouts == [layout.name for layout in LAYOUTS] * panels
    assert out["chart"].count("<table") == panels
    assert out["chart"].count('class="tob-legend"') <= panels
    for wide, narrow in zip(svgs[::2], svgs[1::2], strict=True):
        # The same chart: same title, description and data range, in its own box.
        assert wide.get("aria-label") == narrow.get("aria-label")
        for key in ("data-x0", "data-x1", "data-y0", "data-y1"):
            assert wide.get(key) == narrow.get(key), key
        assert narrow.get("viewBox") == f"0 0 {NARROW.w} {NARROW.h}"
        assert wide.get("viewBox") == f"0 0 {WIDE.w} {WIDE.h}"


def _line(values: list[float], label: str) -> str:
    return line_chart(
        title="t",
        desc="d",
        series=[Series("a", [(i, v) for i, v in enumerate(values)], "s1")],
        markers=[Marker(len(values) - 1.5, label)],
        x_label="Months",
        x_fmt=lambda x: f"{x:g}",
        y_fmt=lambda v: f"${v:,.0f}",
    )


@given(
    values=st.lists(st.floats(0, 1e9), min_size=2, max_size=40),
    label=st.text(alphabet="abc 0123456789", min_size=1, max_size=30),
)
def test_y_labels_and_marker_labels_fit_in_the_drawing(values, label):
    for svg in drawings(_line(values, label)):
        box = next(b for b in LAYOUTS if b.name == svg.get("data-layout"))
        left = float(svg.get("data-left"))
        for text in svg.iter("{http://www.w3.org/2000/svg}text"):
            if text.get("text-anchor") == "end" and text.get("class") == "tick":
                assert box.text_width(text.text) <= left - 6 + 1e-9  # a y axis value
        (marker,) = (g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("data-marker"))
        t = marker.find("{http://www.w3.org/2000/svg}text")
        x, width = float(t.get("x")) + float(t.get("dx")), box.text_width(label, bold=True)
        start = x if t.get("text-anchor") == "start" else x - width
        # Right or left of its line, else against the right edge when wider than the drawing.
        assert (start >= -1e-9 and start + width <= box.w + 1e-9) or width > box.w - 4


def test_a_bar_name_too_wide_for_its_slot_goes_on_two_rows_and_reads_the_same():
    chart = bar_chart(
        title="t",
        desc="d",
        bars=[Bar("Full fine-tuning", [("w", 3.0)]), Bar("LoRA", [("w", 1.0)]), Bar("Q", [])],
        components=[("w", "s1")],
        y_fmt=lambda v: f"{v:g} GB",
    )
    wide, narrow = drawings(chart)
    ns = "{http://www.w3.org/2000/svg}"
    names = ["".join(g.find(f"{ns}text[@class='tick']").itertext()) for g in narrow.iter(f"{ns}g")]
    assert names == ["Full fine-tuning", "LoRA", "Q"]
    full = next(narrow.iter(f"{ns}g")).find(f"{ns}text[@class='tick']")
    assert len(full.findall(f"{ns}tspan")) == 2  # 16 characters do not fit a third of 360
    assert next(wide.iter(f"{ns}g")).find(f"{ns}text[@class='tick']").text == "Full fine-tuning"
