"""The total-cost page in a real browser: seed numbers without JavaScript, live recompute,
platform risk, presets, field errors and the chart."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from calculators._api import run
from calculators._data import load_tree

from .conftest import ROOT
from .pages import CalculatorPage, chart, no_javascript

DATA = load_tree(ROOT / "data")
SLUG = "total-cost"
PATH = f"calculators/{SLUG}/"


def test_seed_chatbot_is_in_the_html_without_javascript(browser, base_url):
    # December 2026 defaults, by hand: 1.5M calls a month × 1,500 tokens × $0.10 / 1M (GPT-6
    # Luna) = $225; fine-tuned: × 200 tokens × $0.15 / 1M (GLM-5.3-Flash on Fireworks) = $45;
    # 36 × $225 = $8,100 for prompting, below fine-tuning's $15,000 project alone.
    with no_javascript(browser, base_url + PATH) as page:
        calc = page.locator(".tob-calc[data-calculator='total-cost']")
        expect(calc.locator("output[data-output='monthly_prompting']")).to_have_text("$225")
        expect(calc.locator("output[data-output='monthly_fine_tuning']")).to_have_text("$45")
        expect(calc.locator("output[data-output='total_prompting']")).to_have_text("$8,100")
        expect(calc.locator("output[data-output='cheapest_text']")).to_contain_text("Prompting")
        # No shutdown announced for the open-weight model: none counted.
        expect(calc.locator("output[data-output='platform_note']")).to_contain_text(
            "No platform shutdown counted"
        )
        expect(chart(calc).locator("path.series")).to_have_count(4)
        expect(calc.locator("input[name='months']")).to_have_value("36")


def test_changing_volume_recomputes_in_python(page: Page, base_url):
    # A v=1 link keeps 2024's GPT-4o and fine-tuned GPT-4o prices as its defaults.
    p = CalculatorPage(page, base_url, SLUG).open("?v=1")
    p.wait_live()
    p.field("Calls per day").fill("5000")
    # A tenth of the volume: saving $450 a month, so $15,000 takes 33.3 months.
    expect(p.output("payback_months")).to_have_text("33.3 months")
    # $562.50, shown rounded half to even as Python's format does.
    expect(p.output("monthly_prompting")).to_have_text("$562")
    expect(page).to_have_url(re.compile(r"calls-per-day=5000"))


def test_platform_risk_can_be_switched_off(page: Page, base_url):
    # v=1 defaults count fine-tuned GPT-4o's shutdown.
    p = CalculatorPage(page, base_url, SLUG).open("?v=1")
    p.wait_live()
    before = p.output("total_fine_tuning").text_content() or ""
    p.box("The fine-tuned model is hosted by a platform that will stop serving it").uncheck()
    expect(p.output("platform_note")).to_contain_text("No platform shutdown counted")
    # Without the shutdown, fine-tuning costs the project once plus its monthly bill for every
    # month: Python's own figure for the same inputs, which must differ from what was shown.
    after = run(SLUG, {"hosted-fine-tune": "false", "v": "1"}, DATA, source="url")["display"][
        "total_fine_tuning"
    ]
    p.expect_changed("total_fine_tuning", before, after)


def test_seed_002_preset_matches_the_payback_page(page: Page, base_url):
    # The guide's assumption (fine-tuned GPT-4o billed like GPT-4o, 2024 prices) is history,
    # no longer offered as a preset: enter its prices on a v=1 link.
    p = CalculatorPage(page, base_url, SLUG).open(
        "?v=1&fine-tuned-input-price=2.5&fine-tuned-cached-input-price=1.25"
        "&fine-tuned-output-price=10"
    )
    p.wait_live()
    expect(p.field("Input price, fine-tuned model")).to_have_value("2.5")
    # The payback page's seed example: 15,000 / 4,875 = 3.1 months, $750 a month.
    expect(p.output("payback_months")).to_have_text("3.1 months")
    expect(p.output("monthly_fine_tuning")).to_have_text("$750")


def test_a_bad_value_shows_the_fields_message(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Retrain every").fill("2.5")
    alert = p.calc.get_by_role("alert").filter(has_text="retrain-every-months")
    expect(alert).to_have_text("retrain-every-months: must be a whole number (got '2.5')")
    p.field("Retrain every").fill("12")
    expect(alert).to_have_count(0)


def test_a_bad_date_names_the_date_field(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open("?start-date=next%20week&v=1")
    p.wait_live()
    alert = p.calc.get_by_role("alert").filter(has_text="start-date")
    expect(alert).to_have_text("start-date: must be a date written YYYY-MM-DD (got 'next week')")
    p.more_inputs()
    p.field("Start date").fill("2026-12-01")
    expect(alert).to_have_count(0)
    expect(p.output("payback_months")).to_have_text("3.3 months")


def test_no_request_leaves_the_origin(page: Page, base_url, requests_seen):
    p = CalculatorPage(page, base_url, SLUG).open("?v=1")
    p.wait_live()
    p.field("Months to compare").fill("60")
    expect(p.output("total_prompting")).to_have_text("$337,500")  # 60 × $5,625
    origin = urlsplit(base_url).netloc
    foreign = [
        u
        for u in requests_seen
        if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != origin
    ]
    assert foreign == []
