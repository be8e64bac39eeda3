"""The training-run cost page in a real browser: first paint, live recompute, presets, errors."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .pages import CalculatorPage, no_javascript

SLUG = "training-cost"
PATH = f"calculators/{SLUG}/"


def test_default_numbers_are_in_the_html_without_javascript(browser, base_url):
    # The founder guide's file (1,000 examples × 500 tokens), December 2026 default price:
    # Fireworks, up to 16B, $0.50 per 1M; epochs left to OpenAI's automatic rule: 3 epochs,
    # so by hand 1.5M billed tokens × $0.50 / 1M = $0.75.
    with no_javascript(browser, base_url + PATH) as page:
        calc = page.locator(".tob-calc[data-calculator='training-cost']")
        expect(calc.locator("output[data-output='training_tokens']")).to_have_text("500,000 tokens")
        expect(calc.locator("output[data-output='epochs']")).to_have_text("3")
        expect(calc.locator("output[data-output='cost']")).to_have_text("$0.75")
        # 6 × 8e9 × 1,500,000 FLOPs at 40% of 989 TFLOPS ≈ 182 seconds of one H100.
        expect(calc.locator("output[data-output='gpu_hours']")).to_have_text("3 GPU-minutes")
        expect(calc.locator("input[name='examples']")).to_have_value("1000")
        expect(calc.locator("input[name='price-per-million']")).to_have_value("0.5")


def test_changing_inputs_recomputes_in_python(page: Page, base_url):
    # A v=1 link keeps 2024's GPT-4o mini price ($3 per 1M) as its default.
    p = CalculatorPage(page, base_url, SLUG).open("?v=1")
    p.wait_live()
    # OpenAI's fine-tuning guide: 100,000 training tokens for 3 epochs on GPT-4o-mini ≈ $0.90.
    p.field("Training examples").fill("200")
    p.field("Epochs").fill("3")
    expect(p.output("billed_tokens")).to_have_text("300,000 tokens")
    expect(p.output("cost")).to_have_text("$0.90")
    expect(page).to_have_url(re.compile(r"examples=200"))


def test_zero_epochs_uses_openais_rule(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Training examples").fill("10")
    p.field("Epochs").fill("0")
    # Cookbook rule: 10 × 3 < 100, so min(25, 100 // 10) = 10 epochs.
    expect(p.output("epochs")).to_have_text("10")
    expect(p.output("epochs_note")).to_have_text(
        "OpenAI's automatic rule: 10 epochs for 10 examples."
    )


def test_preset_and_runs(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.preset().select_option("fireworks-16b-to-80b")
    # Fireworks' price for models of 16B to 80B parameters: $3 per 1M training tokens.
    expect(p.field("Training price")).to_have_value("3")
    # 500,000 tokens × OpenAI's automatic 3 epochs × $3 per 1M = $4.50; 20 runs = $90.
    expect(p.output("cost_per_run")).to_have_text("$4.50")
    p.field("Runs").fill("20")
    expect(p.output("cost")).to_have_text("$90")


def test_a_bad_value_shows_the_fields_message(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Tokens per example").fill("0")
    alert = p.calc.get_by_role("alert").filter(has_text="tokens-per-example")
    expect(alert).to_have_text("tokens-per-example: must be at least 1 (got 0)")
    expect(p.field("Tokens per example")).to_have_attribute("aria-invalid", "true")
    p.field("Tokens per example").fill("1000")
    expect(alert).to_have_count(0)
    expect(p.output("cost")).to_have_text("$1.50")  # 1M tokens × 3 epochs × $0.50 per 1M


def test_advanced_utilization_error_opens_more_inputs(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open("?utilization=0&v=1")
    p.wait_live()
    alert = p.calc.get_by_role("alert").filter(has_text="utilization")
    expect(alert).to_have_text("utilization: must be at least 0.01 (got 0)")
    expect(p.field("Share of peak throughput achieved")).to_be_visible()
