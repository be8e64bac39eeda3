"""Every calculator page: scenario links, hostile input through URL and form, copy, print."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from calculators import REGISTRY, get
from calculators._api import default_raw, run, scenario_values
from calculators._data import load_tree

from .conftest import LIVE_TIMEOUT, ROOT

DATA = load_tree(ROOT / "data")
HOSTILE = [
    "abc",
    "",
    "-5",
    "NaN",
    "Infinity",
    "1e309",
    "9" * 400,
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "\"'><svg onload=alert(1)>",
]


def first_numeric(slug: str) -> str:
    return next(
        s.name for s in get(slug).specs if s.kind in ("number", "integer") and not s.advanced
    )


def wait_live(calc) -> None:
    expect(calc.get_by_role("status").first).to_have_text(re.compile("^Live"), timeout=LIVE_TIMEOUT)


def expect_outputs(calc, expected: dict) -> None:
    """Every output shows what ``run`` formats for the same inputs."""
    for key, text in expected["display"].items():
        output = calc.locator(f"[data-output='{key}']")
        if key in expected["items"]:  # a list of reasons, each linking to its guide section
            expect(output.locator("li")).to_have_text([i["text"] for i in expected["items"][key]])
        else:
            expect(output).to_have_text(text)


def scenarios():
    for slug in REGISTRY:
        for name in DATA["calculators"][slug].get("scenarios", {}):
            yield slug, name


@pytest.mark.parametrize(("slug", "name"), list(scenarios()))
def test_named_scenario_link_restores_inputs_and_results(page: Page, base_url, slug, name):
    values = scenario_values(get(slug), DATA, name)
    page.goto(f"{base_url}calculators/{slug}/?{urlencode({**values, 'v': '1'})}")
    calc = page.locator(f".tob-calc[data-calculator='{slug}']")
    wait_live(calc)
    for field, value in values.items():
        el = calc.locator(f".tob-form [name='{field}']")
        if el.get_attribute("type") == "checkbox":
            (
                expect(el).to_be_checked
                if value.lower() in ("true", "yes", "1")
                else expect(el).not_to_be_checked
            )()
        else:
            expect(el).to_have_value(value)
    expected = run(slug, values, DATA)
    assert expected["ok"]
    expect_outputs(calc, expected)


@pytest.mark.parametrize("slug", list(REGISTRY))
@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_url_value_is_a_field_error(page: Page, base_url, problems, slug, payload):
    field = first_numeric(slug)
    page.goto(f"{base_url}calculators/{slug}/?{urlencode({field: payload, 'v': '1'})}")
    calc = page.locator(f".tob-calc[data-calculator='{slug}']")
    wait_live(calc)
    error = calc.locator(f".tob-field:has([name='{field}']) [role='alert']")
    expect(error).to_have_text(re.compile("^" + re.escape(field) + ": "))
    expect(page.locator("img[src='x'], svg[onload]")).to_have_count(0)
    # The page keeps working: a good value clears the error and computes.
    calc.locator(f".tob-form [name='{field}']").fill(_default(slug, field))
    expect(error).to_have_text("")
    assert problems == []


# How the runtime can fail to arrive: its files refused, or served but damaged.
BREAKAGE = {
    "blocked": ("**/assets/pyodide/**", lambda route: route.abort()),
    "corrupted-wasm": (
        "**/assets/pyodide/pyodide.asm.wasm",
        lambda route: route.fulfill(
            status=200, body=b"\x00asm garbage" * 4096, content_type="application/wasm"
        ),
    ),
    "corrupted-calculators": (
        "**/assets/calc/calculators-*.zip",
        lambda route: route.fulfill(
            status=200, body=b"PK not a zip", content_type="application/zip"
        ),
    ),
}


@pytest.mark.parametrize("slug", list(REGISTRY))
@pytest.mark.parametrize("how", list(BREAKAGE))
def test_runtime_failure_keeps_the_prerendered_numbers(page: Page, base_url, slug, how):
    pattern, handler = BREAKAGE[how]
    page.route(pattern, handler)
    page.goto(f"{base_url}calculators/{slug}/")
    calc = page.locator(f".tob-calc[data-calculator='{slug}']")
    expect(calc.get_by_role("status").first).to_have_text(
        re.compile("Live recalculation is unavailable"), timeout=LIVE_TIMEOUT
    )
    expected = run(slug, default_raw(get(slug), DATA), DATA)
    expect_outputs(calc, expected)
    if expected["chart"]:
        expect(calc.locator("[data-chart] svg").first).to_be_visible()


def _default(slug: str, field: str) -> str:
    return default_raw(get(slug), DATA)[field]


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_hostile_form_values_are_field_errors(page: Page, base_url, problems, slug):
    page.goto(f"{base_url}calculators/{slug}/")
    calc = page.locator(f".tob-calc[data-calculator='{slug}']")
    wait_live(calc)
    field = first_numeric(slug)
    box = calc.locator(f".tob-form [name='{field}']")
    error = calc.locator(f".tob-field:has([name='{field}']) [role='alert']")
    for payload in HOSTILE:
        box.fill(payload)
        expect(error).to_have_text(re.compile("^" + re.escape(field) + ": "))
    box.fill(_default(slug, field))
    expect(error).to_have_text("")
    assert problems == []


def test_renamed_parameter_still_works(page: Page, base_url):
    # break-even's calls-per-day was first linked as "daily-calls"; that alias must keep working.
    page.goto(base_url + "calculators/break-even/?daily-calls=5000&v=1")
    calc = page.locator(".tob-calc")
    wait_live(calc)
    expect(calc.get_by_role("textbox", name="Calls per day", exact=True)).to_have_value("5000")
    expect(calc.locator("output[data-output='payback_months']")).to_have_text("30.8 months")
    expect(page).to_have_url(re.compile(r"calls-per-day=5000"))


def test_copy_summary_and_link(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base_url + "calculators/break-even/")
    calc = page.locator(".tob-calc")
    wait_live(calc)
    calc.get_by_role("textbox", name="Calls per day", exact=True).fill("5000")
    # December 2026 defaults by hand: $22.50 - $4.50 = $18 a month; 15,000 / 18 = 833 months.
    expect(calc.locator("output[data-output='payback_months']")).to_have_text("833 months")
    calc.get_by_role("button", name="Copy summary").click()
    expect(calc.get_by_text("Summary copied.")).to_be_visible()
    text = page.evaluate("navigator.clipboard.readText()")
    # GPT-6 Luna's price is dated by the genai-prices 0.2.3 release (data/price-models.yaml).
    assert (
        "5,000 calls a day" in text and "833 months" in text and "Prices as of 2026-11-10" in text
    )
    assert text.rstrip().splitlines()[-1].startswith(base_url + "calculators/break-even/?")
    calc.get_by_role("button", name="Copy link to this scenario").focus()
    page.keyboard.press("Enter")
    expect(calc.get_by_text("Link to this scenario copied.")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(base_url + "calculators/break-even/?") and "calls-per-day=5000" in link
    context.close()


def test_print_is_a_clean_handout(page: Page, base_url):
    page.goto(base_url + "calculators/break-even/?calls-per-day=5000&v=1")
    calc = page.locator(".tob-calc")
    wait_live(calc)
    expect(calc.locator("output[data-output='payback_months']")).to_have_text("30.8 months")
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(calc.get_by_role("button", name="Copy summary")).to_be_hidden()
    expect(calc.locator("output[data-output='payback_months']")).to_be_visible()
    expect(calc.locator("[data-chart] svg")).to_be_visible()
    expect(calc.locator("[data-summary]")).to_contain_text("Prices as of")  # the assumptions
    expect(calc.locator("[data-scenario-link]")).to_contain_text("calls-per-day=5000")
    # Inputs under "More inputs" are printed too, without the disclosure widget.
    expect(calc.locator("input[name='hosting-per-month']")).to_be_visible()
    expect(calc.locator("details.tob-more > summary")).to_be_hidden()
    # The long explanation after the calculator is left to the linked page.
    expect(page.locator("article > .tob-calc ~ *").first).to_be_hidden()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_every_calculator_prints_on_one_page(page: Page, base_url, slug):
    page.goto(f"{base_url}calculators/{slug}/")
    wait_live(page.locator(".tob-calc").first)
    page.emulate_media(media="print")
    for size in ("A4", "Letter"):
        pages = _pdf_pages(page.pdf(format=size))
        assert pages == 1, f"{slug} prints on {pages} {size} pages"


def test_typing_keeps_the_url_current_without_adding_history(page: Page, base_url):
    # The address bar always holds the scenario, but Back still leaves the page in one step,
    # and the theme's own history state (its scroll memory) is left as it was.
    page.goto(base_url + "calculators/")
    page.goto(base_url + "calculators/break-even/")
    calc = page.locator(".tob-calc")
    wait_live(calc)
    before = page.evaluate("[history.length, JSON.stringify(history.state)]")
    box = calc.get_by_role("textbox", name="Calls per day", exact=True)
    for value in ("6000", "7000", "8000"):
        box.fill(value)
    expect(page).to_have_url(re.compile(r"calls-per-day=8000"))
    assert page.evaluate("[history.length, JSON.stringify(history.state)]") == before
    page.go_back()
    expect(page).to_have_url(base_url + "calculators/")
