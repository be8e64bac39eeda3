"""The dataset-size page in a real browser: the table's row without JavaScript, live recompute,
exact figures, scenario links and field errors."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .pages import CalculatorPage, no_javascript

SLUG = "dataset-size"
PATH = f"calculators/{SLUG}/"


def test_table_row_is_in_the_html_without_javascript(browser, base_url):
    # Seed 002's table, domain-knowledge column: 500–1,000 examples, 40–80 h, $4,000–$12,000.
    with no_javascript(browser, base_url + PATH) as page:
        calc = page.locator(".tob-calc[data-calculator='dataset-size']")
        expect(calc.locator("output[data-output='examples_range']")).to_have_text("500–1,000")
        expect(calc.locator("output[data-output='hours_range']")).to_have_text("40–80 hours")
        expect(calc.locator("output[data-output='cost_range']")).to_have_text("$4,000–$12,000")
        expect(calc.locator("select[name='task']")).to_have_value("domain")


def test_changing_the_task_recomputes_in_python(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Task").select_option("classification")
    # Seed 002's table, classification column.
    expect(p.output("cost_range")).to_have_text("$10,000–$30,000")
    expect(p.output("hours_range")).to_have_text("100–200 hours")
    p.field("Task").select_option("simple")
    # 50–100 examples is under seed 002's 200-example line: prompt first.
    expect(p.output("advice")).to_contain_text("prompt engineering first")
    expect(page).to_have_url(re.compile(r"task=simple"))


def test_exact_figures_give_one_number(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    # Seed 002's prose: 1,000 examples at 2.4 minutes each and $100 an hour: 40 h, $4,000.
    p.field("Examples to train on").fill("1000")
    p.field("Labeling time per example").fill("2.4")
    p.field("Labeler's hourly rate").fill("100")
    expect(p.output("hours_range")).to_have_text("40 hours")
    expect(p.output("cost_range")).to_have_text("$4,000")
    p.field("Examples already labeled").fill("400")
    expect(p.output("examples_to_label_range")).to_have_text("600")
    expect(p.output("cost_range")).to_have_text("$2,400")


def test_scenario_link_opens_on_its_numbers(page: Page, base_url):
    query = "?task=domain&examples=1000&minutes-per-example=2.4&hourly-rate=100&v=1"
    p = CalculatorPage(page, base_url, SLUG).open(query)
    p.wait_live()
    expect(p.output("cost_range")).to_have_text("$4,000")
    expect(p.field("Labeling time per example")).to_have_value("2.4")


def test_a_bad_value_shows_the_fields_message(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Share of examples reviewed twice").fill("2")
    alert = p.calc.get_by_role("alert").filter(has_text="review-share")
    expect(alert).to_have_text("review-share: must be a share between 0 and 1 (got 2)")
    expect(p.field("Share of examples reviewed twice")).to_have_attribute("aria-invalid", "true")
    p.field("Share of examples reviewed twice").fill("0.5")
    expect(alert).to_have_count(0)
    # 40–80 hours × 1.5 at $100–$150 an hour.
    expect(p.output("cost_range")).to_have_text("$6,000–$18,000")
