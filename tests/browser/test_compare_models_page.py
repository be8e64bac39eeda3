"""The compare-models page in a real browser: the pre-rendered table, sorting, filters, the
CSV and Markdown downloads, the scenario link and the printed handout."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import Page, expect

from calculators._api import run
from calculators._data import load_tree
from calculators.compare_models import COLUMNS, PRINTED_ROWS

from .conftest import ROOT
from .pages import CalculatorPage, no_javascript

SLUG = "compare-models"
PATH = f"calculators/{SLUG}/"
DATA = load_tree(ROOT / "data")
LABELS = [label for _, label in COLUMNS]


def _expected(given: dict[str, str] | None = None) -> list[dict]:
    """The rows Python gives for these inputs (the page must show the same)."""
    out = run(SLUG, given or {}, DATA)
    assert out["ok"], out
    return out["values"]["rows"]


def test_the_table_is_readable_without_javascript(browser, base_url):
    rows = _expected()
    with no_javascript(browser, base_url + PATH) as page:
        calc = page.locator(f".tob-calc[data-calculator='{SLUG}']")
        table = calc.get_by_role("table")
        expect(table.locator("tbody tr")).to_have_count(len(rows))
        expect(table.locator("tbody tr").first.get_by_role("rowheader")).to_have_text(
            rows[0]["model"]
        )
        expect(table.get_by_role("columnheader", name="Monthly cost")).to_have_attribute(
            "aria-sort", "ascending"
        )
        expect(calc.locator("output[data-output='models']")).to_have_text(f"{len(rows):,}")
        # Buttons that need the script stay hidden without it.
        expect(calc.get_by_role("button", name="Download CSV")).to_be_hidden()


def test_sorting_by_a_column_header(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open("?provider=openai,anthropic,google&v=2")
    p.wait_computed(after=0)
    p.sort_by("Model")
    expect(p.header("Model")).to_have_attribute("aria-sort", "ascending")
    expect(p.header("Monthly cost")).not_to_have_attribute("aria-sort", re.compile("."))
    names = p.column("Model")
    assert names == sorted(names, key=str.lower) and len(set(names)) > 10
    p.sort_by("Model")
    expect(p.header("Model")).to_have_attribute("aria-sort", "descending")
    assert p.column("Model") == sorted(names, key=str.lower, reverse=True)
    # A money column sorts by amount, with "not listed" last in either direction.
    p.header("Batch, per call").get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(p.header("Batch, per call")).to_have_attribute("aria-sort", "ascending")
    cells = p.column("Batch, per call")
    listed = [c for c in cells if c != "not listed"]
    assert listed and cells[: len(listed)] == listed and "not listed" in cells
    amounts = [float(c.replace("$", "").replace(",", "")) for c in listed]
    assert amounts == sorted(amounts)


def test_filters_by_provider_and_by_what_is_recorded(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    before = p.computed()
    p.field("Providers").fill("anthropic")
    p.wait_computed(after=before)
    expected = _expected({"provider": "anthropic"})
    expect(p.table().locator("tbody tr")).to_have_count(len(expected))
    assert set(p.column("Provider")) == {"Anthropic"}
    p.field("Providers").fill("")
    before = p.computed()
    p.box("Only models recorded as open-weight").check()
    p.wait_computed(after=before)
    expected = _expected({"open-weight": "true"})
    expect(p.table().locator("tbody tr")).to_have_count(len(expected))
    assert set(p.column("Open weights")) == {"yes"}
    # The models whose status is not recorded are left out, and the page says how many.
    expect(p.output("filter_note")).to_contain_text("more left out because whether they are")
    expect(page).to_have_url(re.compile(r"open-weight=true"))


def test_the_downloads_hold_the_table_as_it_stands(page: Page, base_url):
    requests: list[str] = []
    p = CalculatorPage(page, base_url, SLUG).open("?provider=google&batch-share=0.5&v=2")
    p.wait_computed(after=0)
    p.sort_by("Model")
    shown = p.column("Model")
    # The page's own loading (the runtime, the theme's search index) is done before counting.
    page.wait_for_load_state("networkidle")
    page.on("request", lambda r: requests.append(r.url))
    text = p.download("Download CSV")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == LABELS
    assert [r[0] for r in table[1:]] == shown
    rows = {r["model"]: r for r in _expected({"provider": "google", "batch-share": "0.5"})}
    first = table[1]
    # Money columns carry plain numbers for a spreadsheet.
    assert float(first[LABELS.index("Monthly cost")]) == rows[shown[0]]["monthly_cost"]
    md = p.download("Download Markdown").splitlines()
    assert md[0] == "| " + " | ".join(LABELS) + " |"
    assert re.fullmatch(r"\|( --- \|)+", md[1]) and md[1].count("---") == len(LABELS)
    assert len(md) == len(shown) + 2 and md[2].startswith(f"| {shown[0]} |")
    # Made in the page: nothing was fetched for either file.
    # (The browser may still ask for the site's own favicon by itself.)
    assert [u for u in requests if not u.startswith("blob:") and "favicon" not in u] == []


def test_the_scenario_link_reproduces_the_same_table(page: Page, base_url, browser):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    before = p.computed()
    p.field("Calls per day").fill("2000")
    p.wait_computed(after=before)
    before = p.computed()
    p.field("Input tokens per call").fill("250000")
    p.wait_computed(after=before)
    before = p.computed()
    p.field("Providers").fill("anthropic, google")
    p.wait_computed(after=before)
    before = p.computed()
    p.box("Only models you can fine-tune today").check()
    p.wait_computed(after=before)
    models, costs = p.column("Model"), p.column("Monthly cost")
    assert models and models == [r["model"] for r in _expected(
        {"calls-per-day": "2000", "input-tokens": "250000", "provider": "anthropic, google",
         "tunable": "true"}
    )]  # fmt: skip
    link = p.calc.locator("[data-scenario-link]").get_attribute("href")
    for part in ("calls-per-day=2000", "input-tokens=250000", "tunable=true", "provider="):
        assert part in link
    other = browser.new_page()
    try:
        again = CalculatorPage(other, base_url, SLUG)
        other.goto(link)
        expect(again.status).to_have_text(re.compile("^Live"), timeout=60_000)
        expect(again.field("Providers")).to_have_value("anthropic, google")
        expect(again.table().locator("tbody tr")).to_have_count(len(models))
        assert again.column("Model") == models and again.column("Monthly cost") == costs
    finally:
        other.close()


def test_the_handout_prints_the_cheapest_rows_and_says_how_many_are_left_out(page: Page, base_url):
    rows = _expected()
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.sort_by("Model")  # the handout still prints the cheapest, whatever the order on screen
    page.emulate_media(media="print")
    visible = p.table().locator("tbody tr:visible")
    expect(visible).to_have_count(PRINTED_ROWS)
    printed = set(visible.evaluate_all("trs => trs.map((tr) => tr.cells[0].textContent)"))
    cheapest = rows[:PRINTED_ROWS]
    assert printed == {r["model"] + (f" ({r['note']})" if r["note"] else "") for r in cheapest}
    note = p.calc.locator("[data-print-note]")
    expect(note).to_be_visible()
    expect(note).to_contain_text(f"{len(rows) - PRINTED_ROWS:,} more are left out")
    expect(p.calc.get_by_role("button", name="Download CSV")).to_be_hidden()
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, size
