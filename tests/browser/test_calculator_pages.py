"""Every calculator page: scenario links, hostile input through URL and form, copy, print."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect

from calculators import REGISTRY, get
from calculators._api import default_raw, presets, run
from calculators._data import load_tree
from calculators._resolve import yes_no_words
from mkdocs_calculators.sitelinks import scenario_links

from .conftest import ROOT
from .pages import CalculatorPage, blank_prerendered

DATA = load_tree(ROOT / "data")
YES = set(yes_no_words()["true"])
PUBLISHED_V1 = json.loads(
    (ROOT / "tests" / "unit" / "published_links_v1.json").read_text(encoding="utf-8")
)
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


def _default(slug: str, field: str) -> str:
    return default_raw(get(slug), DATA)[field]


def _first_output(slug: str) -> str:
    return get(slug).outputs[0].key


def expect_outputs(p: CalculatorPage, display: dict[str, str]) -> None:
    """Every output shows exactly ``display``; a list output (which-approach's reasons) shows
    one item per numbered reason."""
    for key, text in display.items():
        output = (
            p.output(key) if p.output(key).count() else p.calc.locator(f"[data-output='{key}']")
        )
        if output.evaluate("el => el.tagName") == "OL":
            expect(output.locator("li")).to_have_text(re.split(r"\s*\(\d+\) ", text)[1:])
        else:
            expect(output).to_have_text(text)


def expect_inputs(p: CalculatorPage, inputs: dict[str, str]) -> None:
    for field, value in inputs.items():
        el = p.calc.locator(f".tob-form [name='{field}']")
        if el.get_attribute("type") == "checkbox":
            if value.lower() in YES:
                expect(el).to_be_checked()
            else:
                expect(el).not_to_be_checked()
        else:
            expect(el).to_have_value(value)


SCENARIO_LINKS = {
    **PUBLISHED_V1,
    # Named scenarios as the site links them today (the newest link version).
    **{link: None for link in scenario_links(DATA)},
}


@pytest.mark.parametrize("link", list(SCENARIO_LINKS))
def test_scenario_link_shows_its_inputs_and_results(page: Page, base_url, link):
    """Each published scenario link and each named scenario shows what Python computes for it,
    and a v=1 link keeps the inputs tests/unit/published_links_v1.json recorded. The page is
    served with its pre-rendered numbers and input values blanked, so only a page that reads
    the link and computes it can pass. A link to exactly the values the page was built with
    (the page's own query) needs no Python: it is served as built and must show the same."""
    parts = urlsplit(link)
    slug = parts.path.strip("/").split("/")[-1]
    p = CalculatorPage(page, base_url, slug)
    built = run(slug, default_raw(get(slug), DATA), DATA)["query"]
    if sorted(parse_qsl(built)) != sorted(parse_qsl(parts.query)):
        blank_prerendered(page, p.url)
        p.open("?" + parts.query)
        p.wait_computed(after=0)
    else:
        p.open("?" + parts.query)
    expected = run(slug, dict(parse_qsl(parts.query)), DATA, source="url")
    assert expected["ok"], expected
    recorded = SCENARIO_LINKS[link]
    if recorded is not None:
        # A v=1 link keeps every input it was sent with (inputs added since take the value that
        # keeps its result); its results are held to the record in tests/unit/test_resolve.py,
        # with the rule corrections and rewordings listed there. Here: the page shows Python's.
        assert recorded["inputs"].items() <= expected["inputs"].items()
    expect_inputs(p, {k: v for k, v in expected["inputs"].items() if p.named(k).count()})
    expect_outputs(p, expected["display"])
    expect(p.answer()).to_have_text(expected["answer"])


def _url_message(slug: str, field: str, payload: str) -> str:
    out = run(slug, {field: payload, "v": "1"}, DATA, source="url")
    assert not out["ok"] and out["field"] == field, out
    return out["message"]


@pytest.mark.parametrize("slug", list(REGISTRY))
@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_url_value_is_a_field_error(page: Page, base_url, problems, slug, payload):
    field = first_numeric(slug)
    p = CalculatorPage(page, base_url, slug).open("?" + urlencode({field: payload, "v": "1"}))
    p.wait_computed(after=0, ok=False)
    expect(p.error_of(field)).to_have_text(_url_message(slug, field, payload))
    expect(page.locator("img[src='x'], svg[onload]")).to_have_count(0)
    # The page keeps working: a good value clears the error and computes.
    before = p.computed()
    p.named(field).fill(_default(slug, field))
    p.wait_computed(after=before)
    expect(p.error_of(field)).to_have_text("")
    # The link's other values (v=1 defaults) stayed in the form while the field was wrong.
    key = _first_output(slug)
    fixed = run(slug, {field: _default(slug, field), "v": "1"}, DATA, source="url")
    expect(p.output(key)).to_have_text(fixed["display"][key])
    assert problems == []


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_hostile_form_values_are_field_errors(page: Page, base_url, problems, slug):
    """Each hostile value, typed after a good one, shows its own message: the loop resets to
    the default (error cleared, result back) before the next value, so a stale message from
    the previous value cannot satisfy the check."""
    p = CalculatorPage(page, base_url, slug).open()
    p.wait_live()
    field = first_numeric(slug)
    box, error = p.named(field), p.error_of(field)
    key = _first_output(slug)
    good = run(slug, {}, DATA)["display"][key]
    for payload in HOSTILE:
        before = p.computed()
        box.fill(payload)
        p.wait_computed(after=before, ok=False)
        message = run(slug, {field: payload}, DATA)
        assert not message["ok"] and message["field"] == field, (payload, message)
        expect(error).to_have_text(message["message"])
        before = p.computed()
        box.fill(_default(slug, field))
        p.wait_computed(after=before)
        expect(error).to_have_text("")
        expect(p.output(key)).to_have_text(good)
    assert problems == []


def test_renamed_parameter_still_works(page: Page, base_url):
    # break-even's calls-per-day was first linked as "daily-calls"; that alias must keep working.
    p = CalculatorPage(page, base_url, "break-even").open("?daily-calls=5000&v=1")
    p.wait_computed(after=0)
    calc = p.calc
    expect(calc.get_by_role("textbox", name="Calls per day", exact=True)).to_have_value("5000")
    expect(calc.locator("output[data-output='payback_months']")).to_have_text("30.8 months")
    expect(page).to_have_url(re.compile(r"calls-per-day=5000"))


def test_copy_summary_and_link(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    p = CalculatorPage(page, base_url, "break-even").open()
    p.wait_live()
    calc = p.calc
    p.field("Calls per day").fill("5000")
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


@pytest.mark.parametrize(
    ("slug", "scenario", "change"),
    [
        ("serving-cost", "gpt-oss-120b-h100", {"input-tokens-per-day": "900000000"}),
        ("break-even", "own-gpus-500k", {"calls-per-day": "400000"}),
    ],
)
def test_a_long_link_and_its_short_copy_open_on_the_same_scenario(
    browser, base_url, slug, scenario, change
):
    """Links sent before carry every input; the page copies a short one (only what differs from
    the defaults of its version, and v), shown as "Link to this scenario". Both open on the
    same inputs and results (issue 14, item 4). One value differs from the named scenario's:
    exactly a named scenario copies its own page (tests/browser/test_scenario_pages.py)."""
    expected = run(slug, {"scenario": scenario, **change}, DATA)
    long_query = urlencode({**expected["inputs"], "v": "2"})
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        p = CalculatorPage(page, base_url, slug)
        blank_prerendered(page, p.url)
        p.open("?" + long_query)
        p.wait_computed(after=0)
        expect_outputs(p, expected["display"])
        link = p.calc.get_by_role("link", name="Link to this scenario")
        expect(link).to_have_attribute("href", re.compile(r"\?.*v=2$"))
        p.calc.get_by_role("button", name="Copy link to this scenario").click()
        short = page.evaluate("navigator.clipboard.readText()")
        assert short == link.get_attribute("href")
        assert len(urlsplit(short).query) < len(long_query) / 2, short
        assert dict(parse_qsl(urlsplit(short).query)).items() <= expected["inputs"].items() | {
            ("v", "2")
        }
        again = CalculatorPage(context.new_page(), base_url, slug)
        blank_prerendered(again.page, again.url)
        again.open("?" + urlsplit(short).query)
        again.wait_computed(after=0)
        expect_inputs(
            again, {k: v for k, v in expected["inputs"].items() if again.named(k).count()}
        )
        expect_outputs(again, expected["display"])
    finally:
        context.close()


PRESETS = {
    slug: next((n, p) for n, p in presets(get(slug), DATA).items() if p.get("offered", True))
    for slug in REGISTRY
    if presets(get(slug), DATA)
}


@pytest.mark.parametrize("slug", list(PRESETS))
def test_the_chosen_presets_source_shows_beside_the_control(page: Page, base_url, slug):
    name, preset = PRESETS[slug]
    p = CalculatorPage(page, base_url, slug).open()
    p.wait_live()
    expect(p.calc.locator(".tob-form li")).to_have_count(0)  # no list of every source
    p.preset().select_option(name)
    source = p.calc.locator("[data-preset-source]")
    expect(source).to_contain_text(f"{preset['source']}, as of {preset['as_of']}")
    if preset.get("url"):
        expect(source.get_by_role("link")).to_have_attribute("href", preset["url"])
    intro = "Choose one to fill in"
    p.preset().select_option("")  # back to "Keep the values below": the source goes too
    expect(source).to_contain_text(intro)
    # Every preset's source is listed once, in the page's Sources section.
    listed = page.locator("#sources ~ ul.tob-preset-sources").first
    expect(listed).to_contain_text(preset["source"])


def test_print_is_a_clean_handout(page: Page, base_url):
    p = CalculatorPage(page, base_url, "break-even").open("?calls-per-day=5000&v=1")
    p.wait_computed(after=0)
    calc = p.calc
    expect(calc.locator("output[data-output='payback_months']")).to_have_text("30.8 months")
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(calc.get_by_role("button", name="Copy summary")).to_be_hidden()
    expect(calc.locator("output[data-output='payback_months']")).to_be_visible()
    # Paper gets the narrow layout of the chart: its text is larger for its size.
    expect(p.chart("narrow")).to_be_visible()
    expect(p.chart("wide")).to_be_hidden()
    expect(calc.locator("[data-summary]")).to_contain_text("Prices as of")  # the assumptions
    # These values are exactly the named scenario support-chatbot-5k (5,000 calls a day at 2024
    # prices), so the handout prints that scenario's own page.
    expect(calc.locator("[data-scenario-url]")).to_contain_text(
        "/calculators/break-even/scenarios/support-chatbot-5k/"
    )
    # Inputs under "More inputs" are printed too, without the disclosure widget.
    expect(calc.locator("input[name='hosting-per-month']")).to_be_visible()
    expect(calc.locator("details.tob-more > summary")).to_be_hidden()
    # The long explanation after the calculator is left to the linked page.
    expect(page.locator("article > .tob-calc ~ *").first).to_be_hidden()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_every_calculator_prints_on_one_page(page: Page, base_url, slug):
    CalculatorPage(page, base_url, slug).open().wait_live()
    page.emulate_media(media="print")
    for size in ("A4", "Letter"):
        pages = _pdf_pages(page.pdf(format=size))
        assert pages == 1, f"{slug} prints on {pages} {size} pages"


# Records every history.replaceState call with the state it was given, the state it replaced and
# whether our script (assets/calc/) made it: the theme also rewrites the address as the reader
# scrolls (navigation tracking), so the final state alone cannot tell who changed it.
_RECORD_REPLACE_STATE = """
  window.__replaced = [];
  const replace = history.replaceState.bind(history);
  history.replaceState = function (state, title, url) {
    window.__replaced.push({
      ours: /\\/assets\\/calc\\//.test(new Error().stack),
      given: JSON.stringify(state), was: JSON.stringify(history.state),
    });
    return replace(state, title, url);
  };
"""


def test_typing_keeps_the_url_current_without_adding_history(page: Page, base_url):
    # The address bar always holds the scenario, but Back still leaves the page in one step,
    # and the theme's own history state (its scroll memory) is passed through untouched.
    page.add_init_script(_RECORD_REPLACE_STATE)
    page.goto(base_url + "calculators/")
    p = CalculatorPage(page, base_url, "break-even").open()
    p.wait_live()
    calc = p.calc
    length = page.evaluate("history.length")
    box = calc.get_by_role("textbox", name="Calls per day", exact=True)
    for value in ("6000", "7000", "8000"):
        box.fill(value)
    expect(page).to_have_url(re.compile(r"calls-per-day=8000"))
    assert page.evaluate("history.length") == length
    ours = [r for r in page.evaluate("window.__replaced") if r["ours"]]
    assert ours, "the page never wrote the scenario into the address bar"
    assert all(r["given"] == r["was"] and r["given"] != "null" for r in ours), ours
    page.go_back()
    expect(page).to_have_url(base_url + "calculators/")
