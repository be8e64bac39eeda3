"""The serving-cost page in a real browser: first paint, model presets, errors, the chart."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from calculators import get
from calculators._api import scenario_values
from calculators._data import load_tree

from .conftest import ROOT
from .pages import CalculatorPage, chart

SLUG = "serving-cost"
PATH = f"calculators/{SLUG}/"
DATA = load_tree(ROOT / "data")


def test_default_numbers_are_in_the_html_without_javascript(browser, base_url):
    # Llama 3.1 8B (8.03B parameters, data/models.yaml) in bf16: 16.06 GB of weights. Its KV
    # cache: 32 layers × 2 × 8 heads × 128 × 2 bytes × 8,192 tokens = 1.07 GB per request.
    # One H100 at RunPod's $2.69 an hour for 30 days: $1,936.80.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + PATH)
    calc = page.locator(".tob-calc[data-calculator='serving-cost']")
    expect(calc.locator("output[data-output='weights_gb']")).to_have_text("16.1 GB")
    expect(calc.locator("output[data-output='kv_cache_gb_per_request']")).to_have_text("1.1 GB")
    expect(calc.locator("output[data-output='gpus_needed']")).to_have_text("1")
    expect(calc.locator("output[data-output='monthly_gpu_cost']")).to_have_text("$1,937")
    expect(chart(calc)).to_have_count(1)
    context.close()


def test_choosing_a_moe_model_fills_its_architecture(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Model").select_option("gpt-oss-120b")
    # gpt-oss-120b's config.json: 36 layers, 128 experts, 4 per token, 64-wide heads; the
    # model card's 116.8B parameters at 4 bits are 58.4 GB. Half its layers keep a 128-token
    # window: 2 × 8 × 64 × 2 bytes × (18 × 8,192 + 18 × 128) = 307 MB per request.
    expect(p.field("Layers")).to_have_value("36")
    expect(p.field("Experts per layer")).to_have_value("128")
    expect(p.output("weights_gb")).to_have_text("58.4 GB")
    expect(p.output("kv_cache_gb_per_request")).to_have_text("307 MB")
    expect(page).to_have_url(re.compile(r"model=gpt-oss-120b"))


def test_zero_gpus_shows_the_fields_message(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("GPUs per replica").fill("0")
    alert = p.calc.get_by_role("alert").filter(has_text="gpus-per-replica")
    expect(alert).to_have_text("gpus-per-replica: must be at least 1 (got 0)")
    expect(p.field("GPUs per replica")).to_have_attribute("aria-invalid", "true")
    p.field("GPUs per replica").fill("2")
    expect(alert).to_have_count(0)
    # Two H100s at $2.69 an hour for 30 days.
    expect(p.output("monthly_gpu_cost")).to_have_text("$3,874")


def test_context_longer_than_the_model_is_refused(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Context per request").fill("200000")
    # Llama 3.1 8B's max_position_embeddings is 131,072.
    alert = p.calc.get_by_role("alert").filter(has_text="context-tokens")
    expect(alert).to_contain_text("131,072 tokens")


def test_scenario_chart_marks_break_even(page: Page, base_url):
    from urllib.parse import urlencode

    raw = scenario_values(get(SLUG), DATA, "gpt-oss-120b-h100")
    p = CalculatorPage(page, base_url, SLUG).open("?" + urlencode({**raw, "v": "1"}))
    p.wait_live()
    for layout in ("wide", "narrow"):
        drawn = p.chart(layout)
        expect(drawn.locator("[data-marker]", has_text="Break-even")).to_have_count(1)
        expect(drawn.locator("[data-marker]", has_text="Your volume")).to_have_count(1)
    expect(p.output("break_even_tokens_per_day")).not_to_have_text("—")


def test_guide_embeds_the_calculator_on_gpt_oss(browser, base_url):
    # docs/guides/serving.md embeds the calculator on gpt-oss-120b: 116.8B parameters at
    # 4 bits are 58.4 GB (data/models.yaml), shown before any JavaScript runs.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "guides/serving/")
    calc = page.locator(".tob-calc[data-calculator='serving-cost']")
    expect(calc.locator("output[data-output='weights_gb']")).to_have_text("58.4 GB")
    expect(page.get_by_role("heading", name=re.compile("^A worked example"))).to_be_visible()
    context.close()
