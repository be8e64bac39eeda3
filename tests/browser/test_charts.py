"""Every chart agrees with the numbers: markers, crossings, bar sums and ranges sit where the
same Python, run here for the same inputs, puts them; charts are in the HTML without JavaScript
and carry a text alternative; each fills its column with legible text on desktop, tablet and
phone.

Each chart is drawn in two layouts (wide and narrow, see calculators/_svg.py); the geometry
tests check both, from the attributes, whichever one the screen shows."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from calculators import REGISTRY
from calculators._api import run
from calculators._data import load_tree

from .conftest import ROOT
from .pages import CalculatorPage, chart, no_javascript

DATA = load_tree(ROOT / "data")
# compare-models fills its chart slot with a table of every model, not an SVG chart.
CHARTED = [slug for slug in REGISTRY if "<svg" in run(slug, {}, DATA)["chart"]]
LAYOUTS = ("wide", "narrow")


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


def series_paths(svg: Locator) -> list[str]:
    return svg.locator("path.series").evaluate_all("ps => ps.map(p => p.getAttribute('d'))")


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
    for layout in LAYOUTS:
        svg = p.chart(layout)
        marker = svg.locator("g.marker")
        expect(marker).to_have_count(1)
        # data-marker is written with 6 significant digits.
        assert float(marker.get_attribute("data-marker")) == pytest.approx(months, rel=1e-5)
        g = geometry(svg)
        x = float(marker.locator("line").get_attribute("x1"))
        assert x == pytest.approx(x_px(g, months), abs=0.2)
        prompted, tuned = (path_points(d) for d in series_paths(svg))
        assert y_on(prompted, x) == pytest.approx(y_on(tuned, x), abs=1.0), layout  # they cross
        expect(marker).to_contain_text("30.8 months")


def test_never_paying_back_draws_diverging_lines_and_no_marker(page: Page, base_url):
    p = CalculatorPage(page, base_url, "break-even").open()
    p.wait_live()
    p.field("Hosting fee for the fine-tuned model").fill("10000")
    expect(p.output("payback_months")).to_have_text("never")
    for layout in LAYOUTS:
        svg = p.chart(layout)
        expect(svg.locator("g.marker")).to_have_count(0)
        expect(svg.locator("desc")).to_contain_text("never crosses")
        prompted, tuned = (path_points(d) for d in series_paths(svg))
        # Pixel y grows downwards: the fine-tuned line is above, and the gap widens.
        gaps = [a[1] - b[1] for a, b in zip(prompted, tuned, strict=True)]
        assert gaps[0] > 0 and gaps[-1] > gaps[0], layout


def test_total_cost_lines_end_at_the_totals_and_markers_at_the_crossings(page: Page, base_url):
    # A v=1 link (2024 prices, fine-tuned GPT-4o with its shutdown) has lines that cross and a
    # migration marker; today's defaults have neither.
    p = CalculatorPage(page, base_url, "total-cost").open("?v=1")
    p.wait_live()
    p.field("Months to compare").fill("48")
    expect(page).to_have_url(re.compile("months=48"))
    values = live_values(p, {"months": "48", "v": "1"}, source="url")
    for layout in LAYOUTS:
        svg = p.chart(layout)
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
                expect(label).to_have_text(
                    f"Custom model, above the scale: ${total:,.0f} at the end"
                )
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
    for layout in LAYOUTS:
        svg = p.chart(layout)
        expect(svg.locator("g.bar")).to_have_count(3)
        for method, bar in zip(("full", "lora", "qlora"), svg.locator("g.bar").all(), strict=True):
            parts = [
                float(v)
                for v in bar.locator("rect").evaluate_all(
                    "rects => rects.map(r => r.dataset.value)"
                )
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
    for layout in LAYOUTS:
        examples, cost = p.chart(layout).all()
        rows = examples.locator("g.range")
        expect(rows).to_have_count(3)
        for row, task in zip(rows.all(), ("simple", "domain", "classification"), strict=True):
            low, high = values["task_table"][task]["examples"]
            assert (
                float(row.get_attribute("data-low")),
                float(row.get_attribute("data-high")),
            ) == (
                low,
                high,
            )
        expect(examples.locator(".tick.selected")).to_have_text("Domain knowledge")
        mark = examples.locator("g.marker")
        assert float(mark.get_attribute("data-marker-low")) == 1500
        assert float(mark.get_attribute("data-marker-high")) == 1500
        cost_mark = cost.locator("g.marker")
        assert float(cost_mark.get_attribute("data-marker-low")) == pytest.approx(
            values["cost_min"]
        )
        assert float(cost_mark.get_attribute("data-marker-high")) == pytest.approx(
            values["cost_max"]
        )


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
    for layout in LAYOUTS:
        svg = p.chart(layout)
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
    for layout in LAYOUTS:
        svg = p.chart(layout)
        g = geometry(svg)
        scale = (g["bottom"] - g["top"]) / (g["y1"] - g["y0"])
        parts = ("weights", "gradients", "optimizer", "activations")
        for method, bar in zip(("full", "lora", "qlora"), svg.locator("g.bar").all(), strict=True):
            expected = values["by_method"][method]
            drawn = rects(bar.locator("rect"))
            assert len(drawn) == len(parts)
            base = 0.0
            for part, r in zip(parts, drawn, strict=True):
                assert r["height"] == pytest.approx(expected[part] * scale, abs=0.15), (
                    method,
                    part,
                )
                assert r["y"] + r["height"] == pytest.approx(y_px(g, base), abs=0.15), (
                    method,
                    part,
                )
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
    for layout in LAYOUTS:
        examples, cost = p.chart(layout).all()
        g = geometry(examples)
        for task, r in zip(
            ("simple", "domain", "classification"),
            rects(examples.locator("g.range rect")),
            strict=True,
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
        assert r["x"] + r["width"] == pytest.approx(
            x_px(g, math.log10(values["cost_max"])), abs=0.15
        )


# How wide a chart is drawn, against the calculator box it sits in, and how big its text renders
# (a scaled SVG reports its unscaled font size, so measure the box, and multiply the font size by
# the drawing's scale). Issue 14: charts were drawn at 300 × 150 with 6 px labels while every
# geometry test inside the SVG passed, and at 9 px on a 390 px phone.
_DRAWN = """calc => {
  const box = calc.getBoundingClientRect(), style = getComputedStyle(calc);
  const inner = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const figure = calc.querySelector('[data-chart]');
  const shown = [...figure.querySelectorAll('svg')].filter(s => getComputedStyle(s).display !== 'none');
  const charts = shown.map(svg => {
    const r = svg.getBoundingClientRect();
    const scale = r.width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll('text')].map(t => {
      const b = t.getBoundingClientRect();
      return {text: t.textContent, height: b.height,
              px: parseFloat(getComputedStyle(t).fontSize) * scale,
              inside: b.left >= r.left - 1 && b.right <= r.right + 1
                      && b.top >= r.top - 1 && b.bottom <= r.bottom + 1};
    });
    return {layout: svg.dataset.layout, width: r.width, texts};
  });
  const legend = figure.querySelector('.tob-legend');
  return {inner, drawn: figure.querySelectorAll('svg').length, charts,
          legend: legend ? parseFloat(getComputedStyle(legend).fontSize) : null};
}"""

# Which layout each screen shows: the wide one on desktop and tablet, the narrow one on a phone.
SCREENS = {(1280, 900): "wide", (768, 1024): "wide", (390, 844): "narrow"}


def _assert_legible(calc: Locator, slug: str, layout: str) -> None:
    m = calc.evaluate(_DRAWN)
    # One drawing of each chart is shown (and announced), the other is display: none.
    assert m["drawn"] == 2 * len(m["charts"]) >= 2, (slug, m["drawn"], len(m["charts"]))
    for c in m["charts"]:
        assert c["layout"] == layout, (slug, c["layout"])
        assert c["width"] >= 0.95 * m["inner"], (slug, c["width"], m["inner"])
        assert c["texts"], slug
        for t in c["texts"]:
            assert t["height"] >= 12 and t["px"] >= 12, (slug, layout, t)
            assert t["inside"], (slug, layout, t)  # not cut off at the drawing's edge
    assert m["legend"] is None or m["legend"] >= 12, (slug, m["legend"])


@pytest.mark.parametrize("screen", list(SCREENS), ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("slug", CHARTED)
def test_chart_fills_the_column_with_legible_text(browser, page: Page, base_url, slug, screen):
    width, height = screen
    url = f"{base_url}calculators/{slug}/"
    with no_javascript(browser, url) as still:
        still.set_viewport_size({"width": width, "height": height})
        calc = still.locator(f".tob-calc[data-calculator='{slug}']")
        _assert_legible(calc, slug, SCREENS[screen])
        # Screen readers meet one image per chart (the shown one) and one table of its numbers.
        figure = calc.locator("[data-chart]")
        expect(figure.get_by_role("img")).to_have_count(chart(calc, SCREENS[screen]).count())
        expect(figure.locator("table")).to_have_count(chart(calc).count())
    page.set_viewport_size({"width": width, "height": height})
    p = CalculatorPage(page, base_url, slug).open()
    p.wait_live()
    _assert_legible(p.calc, slug, SCREENS[screen])


# On paper: the handout shows the narrow layout, whose text prints at 10 CSS px or more (about
# 8 pt); the wide one printed its labels at under 5 pt.
@pytest.mark.parametrize("slug", CHARTED)
def test_printed_chart_text_is_legible(browser, base_url, slug):
    with no_javascript(browser, f"{base_url}calculators/{slug}/") as still:
        still.emulate_media(media="print")
        calc = still.locator(f".tob-calc[data-calculator='{slug}']")
        expect(chart(calc, "wide").first).to_be_hidden()
        m = calc.evaluate(_DRAWN)
        assert m["charts"] and m["drawn"] == 2 * len(m["charts"]), slug
        for c in m["charts"]:
            assert c["layout"] == "narrow", slug
            for t in c["texts"]:
                assert t["px"] >= 10 and t["inside"], (slug, t)
