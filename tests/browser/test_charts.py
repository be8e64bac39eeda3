"""Every chart agrees with the numbers: markers, crossings, bar sums and ranges sit where the
same Python, run here for the same inputs, puts them; charts are in the HTML without JavaScript
and carry a text alternative."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from calculators import REGISTRY, get
from calculators._api import run
from calculators._data import load_tree

from .conftest import ROOT
from .pages import CalculatorPage, no_javascript

DATA = load_tree(ROOT / "data")
CHARTED = [slug for slug in REGISTRY if get(slug).chart is not None]


def geometry(svg: Locator) -> dict[str, float]:
    """The plot frame an SVG declares: data range (x0..x1, y0..y1) and pixel box."""
    keys = ("x0", "x1", "y0", "y1", "left", "right", "top", "bottom")
    return {k: float(svg.get_attribute(f"data-{k}")) for k in keys}


def x_px(g: dict[str, float], value: float) -> float:
    return g["left"] + (value - g["x0"]) / (g["x1"] - g["x0"]) * (g["right"] - g["left"])


def y_px(g: dict[str, float], value: float) -> float:
    return g["bottom"] - (value - g["y0"]) / (g["y1"] - g["y0"]) * (g["bottom"] - g["top"])


def path_points(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"[ML]([-\d.]+),([-\d.]+)", d)]


def y_on(points: list[tuple[float, float]], x: float) -> float:
    """The y a polyline passes through at pixel x (linear between its points)."""
    for (xa, ya), (xb, yb) in itertools.pairwise(points):
        if xa <= x <= xb:
            return ya + (yb - ya) * (x - xa) / ((xb - xa) or 1)
    raise AssertionError(f"x={x} is outside the line")


def live_values(p: CalculatorPage, raw: dict[str, str], source: str = "reader") -> dict:
    out = run(p.calc.get_attribute("data-calculator"), raw, DATA, source=source)
    assert out["ok"], out
    return out["values"]


@pytest.mark.parametrize("slug", CHARTED)
def test_chart_is_in_the_html_with_a_text_alternative(browser, base_url, slug):
    with no_javascript(browser, f"{base_url}calculators/{slug}/") as page:
        figure = page.locator(f".tob-calc[data-calculator='{slug}'] [data-chart]")
        svg = figure.get_by_role("img").first
        expect(svg).to_be_visible()
        expect(svg).to_have_attribute("aria-label", re.compile(r"\w+\. \w+"))
        expect(svg.locator("title")).not_to_be_empty()
        expect(svg.locator("desc")).not_to_be_empty()
        table = figure.locator("table").first  # the numbers, for screen readers
        expect(table.locator("caption")).not_to_be_empty()
        assert table.locator("tbody tr").count() >= 2


def test_payback_marker_sits_where_the_lines_cross(page: Page, base_url):
    # A v=1 link keeps 2024's GPT-4o prices: at 5,000 calls a day payback falls in the chart.
    p = CalculatorPage(page, base_url, "break-even").open("?v=1")
    p.wait_live()
    p.field("Calls per day").fill("5000")
    expect(p.output("payback_months")).to_have_text("30.8 months")
    months = live_values(p, {"calls-per-day": "5000", "v": "1"}, source="url")["payback_months"]
    svg = p.calc.locator("[data-chart] svg")
    marker = svg.locator("g.marker")
    expect(marker).to_have_count(1)
    # data-marker is written with 6 significant digits.
    assert float(marker.get_attribute("data-marker")) == pytest.approx(months, rel=1e-5)
    g = geometry(svg)
    x = float(marker.locator("line").get_attribute("x1"))
    assert x == pytest.approx(x_px(g, months), abs=0.2)
    prompted, tuned = (
        path_points(d)
        for d in svg.locator("path.series").evaluate_all(
            "paths => paths.map(p => p.getAttribute('d'))"
        )
    )
    assert y_on(prompted, x) == pytest.approx(y_on(tuned, x), abs=1.0)  # the lines cross there
    expect(marker).to_contain_text("30.8 months")


def test_never_paying_back_draws_diverging_lines_and_no_marker(page: Page, base_url):
    p = CalculatorPage(page, base_url, "break-even").open()
    p.wait_live()
    p.field("Hosting fee for the fine-tuned model").fill("10000")
    expect(p.output("payback_months")).to_have_text("never")
    svg = p.calc.locator("[data-chart] svg")
    expect(svg.locator("g.marker")).to_have_count(0)
    expect(svg.locator("desc")).to_contain_text("never crosses")
    prompted, tuned = (
        path_points(d)
        for d in svg.locator("path.series").evaluate_all(
            "paths => paths.map(p => p.getAttribute('d'))"
        )
    )
    # Pixel y grows downwards: the fine-tuned line is above, and the gap widens.
    gaps = [a[1] - b[1] for a, b in zip(prompted, tuned, strict=True)]
    assert gaps[0] > 0 and gaps[-1] > gaps[0]


def test_total_cost_lines_end_at_the_totals_and_markers_at_the_crossings(page: Page, base_url):
    # A v=1 link (2024 prices, fine-tuned GPT-4o with its shutdown) has lines that cross and a
    # migration marker; today's defaults have neither.
    p = CalculatorPage(page, base_url, "total-cost").open("?v=1")
    p.wait_live()
    p.field("Months to compare").fill("48")
    expect(page).to_have_url(re.compile("months=48"))
    values = live_values(p, {"months": "48", "v": "1"}, source="url")
    svg = p.calc.locator("[data-chart] svg")
    expect(svg).to_have_attribute("data-x1", "48")
    g = geometry(svg)
    paths = svg.locator("path.series")
    for i, key in enumerate(("prompting", "rag", "fine_tuning", "custom_model")):
        total = values[f"total_{key}"]
        points = path_points(paths.nth(i).get_attribute("d"))
        if total <= g["y1"]:
            assert points[-1][0] == pytest.approx(x_px(g, 48), abs=0.2)
            assert points[-1][1] == pytest.approx(y_px(g, total), abs=0.2), key
        else:  # leaves through the top edge (or starts above it), and says where it ends
            assert not points or points[-1][1] == pytest.approx(g["top"], abs=0.2), key
            name = paths.nth(i).get_attribute("data-series")
            label = svg.locator(f"text.offscale[data-series='{name}']")
            expect(label).to_have_text(f"Custom model, above the scale: ${total:,.0f} at the end")
    crossings = [c["month"] for c in values["crossovers"] if c["b"] == "prompting"]
    shown = svg.locator("g.crossover")
    assert shown.count() >= 1
    for i in range(shown.count()):
        month = float(shown.nth(i).get_attribute("data-marker"))
        assert any(month == pytest.approx(c, rel=1e-5) for c in crossings), (month, crossings)
        assert float(shown.nth(i).locator("line").get_attribute("x1")) == pytest.approx(
            x_px(g, month), abs=0.2
        )
    risk = svg.locator("g.risk")
    expect(risk).to_have_count(1)
    assert float(risk.get_attribute("data-marker")) == pytest.approx(values["migration_month"])


def test_memory_bars_sum_to_the_totals(page: Page, base_url):
    p = CalculatorPage(page, base_url, "lora-memory").open()
    p.wait_live()
    p.field("LoRA rank").fill("64")
    expect(page).to_have_url(re.compile("rank=64"))
    values = live_values(p, {"rank": "64"})
    svg = p.calc.locator("[data-chart] svg")
    expect(svg.locator("g.bar")).to_have_count(3)
    for method, bar in zip(("full", "lora", "qlora"), svg.locator("g.bar").all(), strict=True):
        parts = [
            float(v)
            for v in bar.locator("rect").evaluate_all("rects => rects.map(r => r.dataset.value)")
        ]
        total = float(bar.get_attribute("data-total"))
        assert sum(parts) == pytest.approx(total, rel=1e-5)
        assert total == pytest.approx(values["by_method"][method]["total"], rel=1e-5)
    chosen = values["memory_gb"]["total"]
    assert chosen == pytest.approx(values["by_method"]["lora"]["total"], rel=1e-9)
    sizes = {
        float(v)
        for v in svg.locator("g.refline").evaluate_all("gs => gs.map(g => g.dataset.value)")
    }
    assert {float(gpu["memory_gb"]) for gpu in values["gpus"]} == sizes


def test_dataset_ranges_show_the_readers_figures(page: Page, base_url):
    p = CalculatorPage(page, base_url, "dataset-size").open()
    p.wait_live()
    p.field("Task").select_option("domain")
    p.field("Examples to train on").fill("1500")
    expect(p.output("examples_range")).to_have_text("1,500")
    values = live_values(p, {"task": "domain", "examples": "1500"})
    examples, cost = p.calc.locator("[data-chart] svg").all()
    rows = examples.locator("g.range")
    expect(rows).to_have_count(3)
    for row, task in zip(rows.all(), ("simple", "domain", "classification"), strict=True):
        low, high = values["task_table"][task]["examples"]
        assert (float(row.get_attribute("data-low")), float(row.get_attribute("data-high"))) == (
            low,
            high,
        )
    expect(examples.locator(".tick.selected")).to_have_text("Domain knowledge")
    mark = examples.locator("g.marker")
    assert float(mark.get_attribute("data-marker-low")) == 1500
    assert float(mark.get_attribute("data-marker-high")) == 1500
    cost_mark = cost.locator("g.marker")
    assert float(cost_mark.get_attribute("data-marker-low")) == pytest.approx(values["cost_min"])
    assert float(cost_mark.get_attribute("data-marker-high")) == pytest.approx(values["cost_max"])


# ---- drawn geometry against Python's numbers, one test per chart kind -------------------------


def rects(locator: Locator) -> list[dict[str, float]]:
    return locator.evaluate_all(
        "rs => rs.map(r => ({x: +r.getAttribute('x'), y: +r.getAttribute('y'),"
        " width: +r.getAttribute('width'), height: +r.getAttribute('height')}))"
    )


def test_break_even_lines_pass_through_every_months_cumulative_cost(page: Page, base_url):
    """Line chart: each polyline goes through (month, cumulative cost) for every month Python
    lists, prompting from $0 and fine-tuning from the project cost."""
    p = CalculatorPage(page, base_url, "break-even").open("?v=1")
    p.wait_computed(after=0)
    before = p.computed()
    p.field("Calls per day").fill("20000")
    p.wait_computed(after=before)
    cumulative = live_values(p, {"calls-per-day": "20000", "v": "1"}, source="url")["cumulative"]
    svg = p.calc.locator("[data-chart] svg")
    g = geometry(svg)
    prompted, tuned = (
        path_points(d)
        for d in svg.locator("path.series").evaluate_all(
            "paths => paths.map(p => p.getAttribute('d'))"
        )
    )
    for month, before_cost, after_cost in cumulative:
        x = x_px(g, month)
        assert y_on(prompted, x) == pytest.approx(y_px(g, before_cost), abs=0.3), month
        assert y_on(tuned, x) == pytest.approx(y_px(g, after_cost), abs=0.3), month


def test_memory_bars_are_drawn_at_the_heights_python_computes(page: Page, base_url):
    """Bar chart: every stacked part is as tall as its gigabytes, stacked from the axis up, and
    each GPU's line sits at its memory."""
    p = CalculatorPage(page, base_url, "lora-memory").open()
    p.wait_live()
    before = p.computed()
    p.field("LoRA rank").fill("64")
    p.wait_computed(after=before)
    values = live_values(p, {"rank": "64"})
    svg = p.calc.locator("[data-chart] svg")
    g = geometry(svg)
    scale = (g["bottom"] - g["top"]) / (g["y1"] - g["y0"])
    parts = ("weights", "gradients", "optimizer", "activations")
    for method, bar in zip(("full", "lora", "qlora"), svg.locator("g.bar").all(), strict=True):
        expected = values["by_method"][method]
        drawn = rects(bar.locator("rect"))
        assert len(drawn) == len(parts)
        base = 0.0
        for part, r in zip(parts, drawn, strict=True):
            assert r["height"] == pytest.approx(expected[part] * scale, abs=0.15), (method, part)
            assert r["y"] + r["height"] == pytest.approx(y_px(g, base), abs=0.15), (method, part)
            base += expected[part]
        assert drawn[-1]["y"] == pytest.approx(y_px(g, expected["total"]), abs=0.15), method
    lines = svg.locator("g.refline line")
    ys = [float(y) for y in lines.evaluate_all("ls => ls.map(l => l.getAttribute('y1'))")]
    # Every GPU has its line at its memory, and every line drawn is one of them.
    wanted = {round(y_px(g, float(gpu["memory_gb"])), 1) for gpu in values["gpus"]}
    assert {round(y, 1) for y in ys} == wanted


def test_dataset_ranges_are_drawn_where_python_puts_them(page: Page, base_url):
    """Range chart (log axis): each row's bar spans log10(low)..log10(high) of Python's task
    table, and the reader's figures are drawn where their values fall."""
    p = CalculatorPage(page, base_url, "dataset-size").open()
    p.wait_live()
    p.field("Task").select_option("domain")
    before = p.computed()
    p.field("Examples to train on").fill("1500")
    p.wait_computed(after=before)
    values = live_values(p, {"task": "domain", "examples": "1500"})
    examples, cost = p.calc.locator("[data-chart] svg").all()
    g = geometry(examples)
    for task, r in zip(
        ("simple", "domain", "classification"), rects(examples.locator("g.range rect")), strict=True
    ):
        low, high = values["task_table"][task]["examples"]
        assert r["x"] == pytest.approx(x_px(g, math.log10(low)), abs=0.15), task
        assert r["x"] + r["width"] == pytest.approx(
            max(x_px(g, math.log10(high)), r["x"] + 3), abs=0.15
        ), task
    line = examples.locator("g.marker line")
    assert float(line.first.get_attribute("x1")) == pytest.approx(
        x_px(g, math.log10(1500)), abs=0.15
    )
    g = geometry(cost)
    band = rects(cost.locator("g.marker rect.band"))
    (r,) = band
    assert r["x"] == pytest.approx(x_px(g, math.log10(values["cost_min"])), abs=0.15)
    assert r["x"] + r["width"] == pytest.approx(x_px(g, math.log10(values["cost_max"])), abs=0.15)


# How wide a chart is drawn, against the calculator box it sits in, and how tall its tick labels
# render (a scaled SVG reports its unscaled font size, so measure the box). Issue 14: charts
# were drawn at 300 × 150 with 6 px labels while every geometry test inside the SVG passed.
_DRAWN = """calc => {
  const svg = calc.querySelector('[data-chart] svg');
  const tick = svg.querySelector('text.tick');
  const box = calc.getBoundingClientRect(), style = getComputedStyle(calc);
  const inner = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {svg: svg.getBoundingClientRect().width, inner, tick: tick.getBoundingClientRect().height};
}"""


def _assert_full_width(calc: Locator, slug: str) -> None:
    drawn = calc.evaluate(_DRAWN)
    assert drawn["svg"] >= 0.95 * drawn["inner"], (slug, drawn)
    assert drawn["tick"] >= 12, (slug, drawn)


@pytest.mark.parametrize("slug", CHARTED)
def test_chart_fills_the_calculator_at_desktop_width(browser, page: Page, base_url, slug):
    url = f"{base_url}calculators/{slug}/"
    with no_javascript(browser, url) as still:
        still.set_viewport_size({"width": 1280, "height": 900})
        _assert_full_width(still.locator(f".tob-calc[data-calculator='{slug}']"), slug)
    page.set_viewport_size({"width": 1280, "height": 900})
    p = CalculatorPage(page, base_url, slug).open()
    p.wait_live()
    _assert_full_width(p.calc, slug)
