"""Python starts on intent, and pays on intent: a reader who only reads a calculator page
downloads none of the runtime; focus, a pointer or a key on a calculator starts it; a later
visit whose runtime is cached starts it when the browser is idle (not with Save-Data on); a
scenario link that needs Python starts it at once, one that asks for the built values does not.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .pages import CalculatorPage
from .test_runtime_failures import wait_for_snapshot

RUNTIME = re.compile(r"/assets/(pyodide/|calc/(worker|calculators|data|python_stdlib)-)")
SAVE_DATA = """Object.defineProperty(Navigator.prototype, "connection", {
  get: () => ({ saveData: true, effectiveType: "4g", addEventListener() {}, removeEventListener() {} }),
});"""


def runtime_requests(requests: list[str]) -> list[str]:
    return [u for u in requests if RUNTIME.search(u)]


def test_reading_a_calculator_page_downloads_no_runtime(page: Page, base_url, requests_seen):
    """Scrolled from top to bottom, calculator in view, mouse moved over the page: nothing of
    Python is fetched, and the pre-rendered answer and status stay as built."""
    p = CalculatorPage(page, base_url, "total-cost").open()
    page.wait_for_load_state("networkidle")
    for _ in range(12):
        page.mouse.wheel(0, 500)
        page.wait_for_timeout(100)
    page.mouse.move(300, 300)
    page.mouse.move(600, 500)
    page.wait_for_timeout(1500)
    assert runtime_requests(requests_seen) == []
    expect(p.status).to_contain_text("when you use the calculator")
    expect(p.answer()).not_to_be_empty()


def test_a_pointer_on_a_calculator_starts_python(page: Page, base_url, requests_seen):
    p = CalculatorPage(page, base_url, "break-even").open()
    page.wait_for_load_state("networkidle")
    assert runtime_requests(requests_seen) == []
    p.calc.locator(".tob-answer").click()
    expect(p.status).to_have_text(re.compile("^Live"), timeout=60_000)
    assert any(u.endswith("pyodide.asm.wasm") for u in requests_seen)


def test_a_key_pressed_in_a_calculator_starts_python_and_the_typed_value_counts(
    page: Page, base_url
):
    """Tab into the form and type at once: the value typed while Python started is computed."""
    p = CalculatorPage(page, base_url, "break-even").open()
    field = p.field("Calls per day")
    field.focus()
    field.press("Control+a")
    page.keyboard.type("5000")
    expect(p.status).to_have_text(re.compile("^Live"), timeout=60_000)
    expect(p.output("payback_months")).to_have_text("833 months")


def test_a_later_visit_with_the_runtime_cached_starts_when_idle_from_the_snapshot(
    page: Page, base_url
):
    """The first use makes a memory snapshot in this browser; the next visit, with no intent
    shown, goes live by itself from it (it costs no download)."""
    p = CalculatorPage(page, base_url, "break-even").open()
    p.wait_live()
    assert page.evaluate("document.documentElement.dataset.tobStart") == "fresh"
    wait_for_snapshot(page)
    page.goto(base_url + "calculators/lora-memory/")
    expect(page.locator(".tob-calc").get_by_role("status").first).to_have_text(
        re.compile("^Live"), timeout=60_000
    )
    assert page.evaluate("document.documentElement.dataset.tobStart") == "snapshot"


def test_save_data_keeps_a_cached_runtime_from_starting_by_itself(page: Page, base_url):
    page.add_init_script(SAVE_DATA)
    p = CalculatorPage(page, base_url, "break-even").open()
    p.wait_live()
    wait_for_snapshot(page)
    page.goto(base_url + "calculators/lora-memory/", wait_until="networkidle")
    page.wait_for_timeout(2000)
    status = page.locator(".tob-calc").get_by_role("status").first
    expect(status).to_contain_text("when you use the calculator")
    CalculatorPage(page, base_url, "lora-memory").wait_live()
    assert page.evaluate("document.documentElement.dataset.tobStart") == "snapshot"


def test_a_link_to_the_built_values_needs_no_python(page: Page, base_url, requests_seen):
    """A link whose query is exactly the page's own (what "Copy link" gives for unchanged
    values) shows the pre-rendered numbers without starting Python."""
    calc = CalculatorPage(page, base_url, "break-even").open().calc
    own = calc.get_attribute("data-query")
    assert own, "the page names no query of its built values"
    requests_seen.clear()
    CalculatorPage(page, base_url, "break-even").open(own if own.startswith("?") else "?" + own)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    assert runtime_requests(requests_seen) == []


def test_a_link_with_other_values_starts_python_at_once(page: Page, base_url, requests_seen):
    """No intent needed: the numbers of the link (link version 1's defaults, 5,000 calls a day)
    are computed as soon as Python is up."""
    p = CalculatorPage(page, base_url, "break-even").open("?calls-per-day=5000&v=1")
    expect(p.status).to_have_text(re.compile("^Live"), timeout=60_000)
    expect(p.output("payback_months")).to_have_text("30.8 months")
    assert runtime_requests(requests_seen)
