"""Every published link, opened in the browser: the page (after any redirect) is the site's
own page, not its 404, and the #section is on it. The scenario links' results are checked in
test_calculator_pages.py (test_scenario_link_shows_its_inputs_and_results)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from mkdocs_calculators.sitelinks import read_list

from .conftest import ROOT
from .pages import CalculatorPage

PUBLISHED = read_list(ROOT / "tests" / "published_links.txt")


def test_every_published_link_opens_its_page_and_section(page: Page, base_url):
    # Python is not needed to find a page or a section; refusing it keeps the crawl quick.
    page.route("**/assets/pyodide/**", lambda route: route.abort())
    broken = []
    for link in PUBLISHED:
        response = page.goto(base_url + link.lstrip("/"), wait_until="domcontentloaded")
        # No response: a #section of the page already open (a same-document navigation).
        if response is not None and response.status != 200:
            broken.append(f"{link}: HTTP {response.status}")
            continue
        # A redirect page replaces itself with its target, keeping the query and #section.
        page.wait_for_function("() => !document.querySelector('script[data-target]')")
        page.wait_for_load_state("domcontentloaded")
        if page.locator("h1").first.text_content() == "404 - Not found":
            broken.append(f"{link}: the 404 page")
            continue
        landed = urlsplit(page.url)
        asked = urlsplit(link)
        if landed.query != asked.query:
            broken.append(f"{link}: query became {landed.query!r}")
        if asked.fragment:
            if landed.fragment != asked.fragment:
                broken.append(f"{link}: landed on #{landed.fragment}")
            elif page.locator(f"[id='{asked.fragment}']").count() != 1:
                broken.append(f"{link}: no #{asked.fragment} on the page")
    assert broken == []
    assert len(PUBLISHED) > 100


def test_a_redirect_keeps_the_query_and_the_section(page: Page, base_url):
    """/payback/ moved to /calculators/break-even/ (mkdocs.yml, stable-redirects): a link sent
    with a scenario and a #section lands on both, and the scenario is computed."""
    p = CalculatorPage(page, base_url, "break-even", path="payback/")
    p.open("?calls-per-day=5000&v=1#break-even")
    expect(page).to_have_url(base_url + "calculators/break-even/?calls-per-day=5000&v=1#break-even")
    p.wait_computed(after=0)
    expect(p.field("Calls per day")).to_have_value("5000")
    # v=1 keeps the 2024 prices: 5,000 × 30 × (1,500 − 200) × $2.50 / 1M = $487.50 a month
    # saved; $15,000 / $487.50 = 30.77 months (the pre-rendered page shows today's 83.3 months).
    p.expect_changed("payback_months", "83.3 months", "30.8 months")
    expect(page.locator("h1#break-even, [id='break-even']").first).to_be_attached()
    assert re.search(r"#break-even$", page.url)
