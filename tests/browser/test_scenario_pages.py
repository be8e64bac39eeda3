"""Every named scenario's own page (issue 14, item 4): read without JavaScript, as a link
preview crawler or a reader with scripts off sees it, and live, where copying the link of an
unedited named scenario gives that page and an edit gives the short query link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from calculators import REGISTRY, get
from calculators._api import run
from calculators._data import load_tree
from mkdocs_calculators.scenario_pages import answer_of

from .conftest import ROOT
from .pages import SCENARIO_PATH, CalculatorPage
from .test_calculator_pages import expect_inputs, expect_outputs

DATA = load_tree(ROOT / "data")
NAMED = [(s, n) for s in REGISTRY for n in DATA["calculators"][s].get("scenarios", {})]
CLIPBOARD = ["clipboard-read", "clipboard-write"]


def test_every_scenario_page_shows_its_answer_and_values_without_javascript(
    browser: Browser, base_url
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for slug, name in NAMED:
            expected = run(slug, {"scenario": name}, DATA)
            answer = answer_of(expected)
            p = CalculatorPage.scenario(page, base_url, slug, name)
            p.page.goto(p.url)
            expect(page).to_have_title(re.compile(re.escape(answer)))
            expect(page.get_by_text(answer).first).to_be_visible()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            back = page.get_by_role("link", name=f"{get(slug).title} calculator")
            expect(back).to_have_attribute("href", "../../")
            expect_inputs(p, expected["inputs"])
            expect_outputs(p, {k: v for k, v in expected["display"].items() if v})
            # The handout prints the page's own address.
            expect(p.calc.locator("[data-scenario-url]")).to_have_text(f" {p.url}")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("slug", "name", "label", "edit"),
    [
        ("break-even", "support-chatbot-5k", "Calls per day", "6000"),
        ("lora-memory", "llama-3-8b-qlora", "LoRA rank", "32"),
    ],
)
def test_copying_an_unedited_named_scenario_gives_its_page_which_restores_it(
    browser: Browser, base_url, slug, name, label, edit
):
    expected = run(slug, {"scenario": name}, DATA)
    path = base_url + SCENARIO_PATH.format(slug=slug, name=name)
    context = browser.new_context(permissions=CLIPBOARD)
    try:
        p = CalculatorPage.scenario(context.new_page(), base_url, slug, name).open()
        p.wait_live()
        assert p.copy_link() == path
        expect(p.page).to_have_url(path)
        # An edit: the short query link to the calculator's page, as on that page.
        field = p.field(label)
        before = field.input_value()
        assert before != edit
        count = p.computed()
        field.fill(edit)
        p.wait_computed(after=count)
        edited = p.copy_link()
        assert edited.startswith(base_url + f"calculators/{slug}/?"), edited
        expect(p.calc.locator("[data-scenario-url]")).to_have_text(f" {edited}")
        # Back to the scenario's values: its page again.
        count = p.computed()
        field.fill(before)
        p.wait_computed(after=count)
        assert p.copy_link() == path
        # The copied page opens on the same scenario, and so does the old ?scenario= link.
        for url in (path, base_url + f"calculators/{slug}/?scenario={name}"):
            again = CalculatorPage(context.new_page(), base_url, slug, path=url[len(base_url) :])
            again.open()
            if "?" in url:  # computed from the link's parameters
                again.wait_computed(after=0)
            else:  # built from the scenario's values
                again.wait_live()
            expect_inputs(again, expected["inputs"])
            expect_outputs(again, expected["display"])
            assert again.copy_link() == path
            again.page.close()
    finally:
        context.close()
