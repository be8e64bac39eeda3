"""The payback page in a real browser: first paint, live recompute, errors, navigation, origin."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from .pages import CalculatorPage, no_javascript

SLUG = "break-even"
PATH = f"calculators/{SLUG}/"


def test_seed_numbers_are_in_the_html_without_javascript(browser, base_url):
    # December 2026 defaults, by hand: 1,500 x 50,000 x 30 = 2.25e9 tokens x $0.10/1M (GPT-6
    # Luna) = $225; 200 x 50,000 x 30 = 3e8 x $0.15/1M (GLM-5.3-Flash on Fireworks) = $45;
    # $180 saved; 15,000 / 180 = 83.3 months.
    with no_javascript(browser, base_url + PATH) as page:
        calc = page.locator(".tob-calc")
        expect(calc.locator("output[data-output='monthly_cost_before']")).to_have_text("$225")
        expect(calc.locator("output[data-output='monthly_cost_after']")).to_have_text("$45")
        expect(calc.locator("output[data-output='monthly_savings']")).to_have_text("$180")
        expect(calc.locator("output[data-output='payback_months']")).to_have_text("83.3 months")
        expect(calc.locator("input[name='calls-per-day']")).to_have_value("50000")


def test_changing_an_input_recomputes_in_python(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Calls per day").fill("5000")
    # By hand: $22.50 - $4.50 = $18 saved a month; 15,000 / 18 = 833.3, shown as 833 months.
    expect(p.output("payback_months")).to_have_text("833 months")
    expect(p.output("monthly_savings")).to_have_text("$18.00")
    expect(page).to_have_url(re.compile(r"calls-per-day=5000"))


def test_a_bad_value_shows_the_fields_message(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Share of prompt tokens served from cache").fill("1.5")
    alert = p.calc.get_by_role("alert").filter(has_text="cached-share")
    expect(alert).to_have_text("cached-share: must be a share between 0 and 1 (got 1.5)")
    expect(p.field("Share of prompt tokens served from cache")).to_have_attribute(
        "aria-invalid", "true"
    )
    p.field("Share of prompt tokens served from cache").fill("0.5")
    expect(alert).to_have_count(0)
    # 2.25e9 tokens x (0.5 x $0.10 + 0.5 x $0.01) / 1M = $123.75, shown as $124.
    p.expect_changed("monthly_cost_before", "$225", "$124")


def test_fine_tuned_prices_preset(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.preset().select_option("gpt-6-1-sol-vs-glm-lora")
    expect(p.field("Input price, fine-tuned model")).to_have_value("0.15")
    # GPT-6.1 Sol at $2 per 1M input tokens: 1,500 x 50,000 x 30 x $2 / 1M = $4,500 before.
    expect(p.output("monthly_cost_before")).to_have_text("$4,500")


def test_never_pays_back_says_why(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Hosting fee for the fine-tuned model").fill("10000")
    expect(p.output("payback_months")).to_have_text("never")
    expect(p.output("payback_reason")).to_contain_text("never pays back")


def test_instant_navigation_keeps_one_runtime(page: Page, base_url, requests_seen):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    page.get_by_role("link", name="Tune or Build").first.click()
    expect(page).to_have_url(base_url)
    page.go_back()
    p.wait_live()
    p.field("Calls per day").fill("5000")
    expect(p.output("payback_months")).to_have_text("833 months")
    wasm = [u for u in requests_seen if u.endswith("pyodide.asm.wasm")]
    assert len(wasm) == 1, wasm


def test_no_request_leaves_the_origin(page: Page, base_url, requests_seen):
    p = CalculatorPage(page, base_url, SLUG).open("?v=1")
    p.wait_computed(after=0)
    p.field("Calls per day").fill("7000")
    # 2024 prices (v=1 defaults): 7,000 × 30 × (1,500 − 200) tokens × $2.50 / 1M = $682.50
    # a month saved; $15,000 / $682.50 = 21.98 months.
    p.expect_changed("payback_months", "3.1 months", "22.0 months")
    origin = urlsplit(base_url).netloc
    foreign = [
        u
        for u in requests_seen
        if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != origin
    ]
    assert foreign == []
    assert any(u.endswith("pyodide.asm.wasm") for u in requests_seen)
