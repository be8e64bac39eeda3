"""Answer first: every calculator leads with one sentence, above its form on every width; a
scenario link opens on the answer and the chart; on a desktop the results stay in view beside
the inputs; a screen reader hears the answer once the reader pauses, not on every keystroke."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from calculators import REGISTRY, get
from calculators._api import run
from calculators._data import load_tree

from .conftest import ROOT
from .pages import CalculatorPage

DATA = load_tree(ROOT / "data")
HEADER_PX = 48  # mkdocs-material's fixed header covers the top of the viewport
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _box(locator) -> dict[str, float]:
    return locator.evaluate("el => el.getBoundingClientRect().toJSON()")


def _in_view(box: dict[str, float], height: int) -> bool:
    return box["height"] > 0 and box["top"] >= HEADER_PX - 1 and box["bottom"] <= height + 1


def _first_scenario(slug: str) -> str:
    return next(iter(DATA["calculators"][slug]["scenarios"]))


def _a_new_value(slug: str) -> tuple[str, str, str]:
    """A main input, and a value for it that changes the answer ("true" ticks a box)."""
    before = run(slug, {}, DATA)["answer"]
    for spec in get(slug).specs:
        numbers = ("3", "40", "700", "90000")
        tries = {"number": numbers, "integer": numbers, "flag": ("true",)}
        for value in () if spec.advanced else tries.get(spec.kind, ()):
            out = run(slug, {spec.name: value}, DATA)
            if out["ok"] and out["answer"] != before:
                return spec.name, value, out["answer"]
    raise AssertionError(f"{slug}: no main input changes the answer")


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_the_answer_leads_and_follows_the_inputs(page: Page, base_url, slug):
    p = CalculatorPage(page, base_url, slug).open()
    expect(p.answer()).to_have_text(run(slug, {}, DATA)["answer"])
    assert _box(p.answer())["bottom"] <= _box(p.form)["top"], "the answer comes before the form"
    p.wait_live()
    name, value, expected = _a_new_value(slug)
    # Typed one key at a time: the visible answer follows at once, the live region is written
    # once, after the reader pauses, with the final answer.
    page.evaluate(
        "el => { window.__said = 0; new MutationObserver(() => { window.__said += 1; })"
        ".observe(el, {childList: true, characterData: true, subtree: true}); }",
        p.announced().element_handle(),
    )
    if value == "true":
        p.named(name).check()
    else:
        p.named(name).fill("")
        p.named(name).press_sequentially(value, delay=60)
    expect(p.answer()).to_have_text(expected)
    expect(p.announced()).to_have_text(expected)
    page.wait_for_timeout(1500)  # longer than the pause the page waits for before speaking
    assert page.evaluate("window.__said") == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("slug", list(REGISTRY))
def test_a_scenario_link_opens_on_the_answer_and_the_chart(page: Page, base_url, slug, viewport):
    page.set_viewport_size(viewport)
    name = _first_scenario(slug)
    expected = run(slug, {"scenario": name}, DATA, source="url")
    p = CalculatorPage(page, base_url, slug).open(f"?scenario={name}")
    p.wait_computed(after=0)
    expect(p.answer()).to_have_text(expected["answer"])
    assert _in_view(_box(p.answer()), viewport["height"]), "the answer is on the first screen"
    if expected["chart"] and get(slug).chart_first:
        chart = _box(p.calc.locator("[data-chart]"))
        assert chart["top"] < viewport["height"] * 0.6, "the chart starts on the first screen"


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_on_a_desktop_the_results_stay_beside_the_inputs(page: Page, base_url, slug):
    page.set_viewport_size(DESKTOP)
    p = CalculatorPage(page, base_url, slug).open()
    results = p.calc.locator(".tob-results")
    assert _box(results)["left"] >= _box(p.form)["right"], "results sit beside the form"
    assert _box(results)["height"] <= DESKTOP["height"] - HEADER_PX, "a stuck column fits"
    # Whichever main input the reader moves down to, its effect is on screen: the answer above
    # the form, or the results column that sticks beside it. (Scrolled as a reader moving down
    # the form, or the keyboard's focus, brings it: just into view at the bottom.)
    for name in p.form.locator(".tob-field [name]").evaluate_all(
        "els => els.filter(e => !e.closest('details')).map(e => e.name)"
    ):
        p.form.locator(f"[name='{name}']").evaluate("el => el.scrollIntoView({block: 'end'})")
        first = results.locator(".tob-result:not([hidden])").first
        seen = _in_view(_box(p.answer()), DESKTOP["height"]) or (
            _box(results)["top"] >= HEADER_PX - 1 and _in_view(_box(first), DESKTOP["height"])
        )
        assert seen, f"{slug}: with {name!r} in view neither the answer nor the results are"
