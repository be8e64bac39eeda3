"""Every calculator page at a desktop, a tablet and a phone width, in both colour schemes and
with text at 200%: nothing runs off the side, no value spills out of its box, the answer and
every input stay on the page, and axe finds nothing on the phone in the dark scheme."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from calculators import REGISTRY

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "tablet": {"width": 768, "height": 1024},
    "phone": {"width": 390, "height": 844},
}

# What a reader would see as broken, measured in the page: a horizontal scrollbar on the page,
# a control or the answer cut at the side, a value wider than its box.
_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1)
    out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  const calc = document.querySelector('.tob-calc');
  const seen = [...calc.querySelectorAll('.tob-form [name], [data-answer], .tob-result dd, .tob-chart svg')]
    .filter(el => !el.closest('details:not([open])') && el.getClientRects().length);
  for (const el of seen) {
    const box = el.getBoundingClientRect();
    const name = el.getAttribute('name') || el.className.baseVal || el.className || el.tagName;
    if (box.left < -1 || box.right > width + 1) out.push(`${name} runs off the side`);
    const form = el.closest('.tob-form');
    if (form && box.right > form.getBoundingClientRect().right + 1) out.push(`${name} runs past the form`);
    if (el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'SELECT' && el.tagName !== 'INPUT')
      out.push(`${name} spills out of its box`);
  }
  return out;
}"""


@pytest.mark.parametrize("text", ["100%", "200%"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_calculator_page_fits_every_width_scheme_and_text_size(
    browser, base_url, size, scheme, text
):
    context = browser.new_context(viewport=VIEWPORTS[size], color_scheme=scheme)
    page = context.new_page()
    report = {}
    for slug in REGISTRY:
        page.goto(f"{base_url}calculators/{slug}/")
        if text != "100%":
            # The reader's own larger text: every rem on the page grows with the root font.
            page.evaluate(f"document.documentElement.style.fontSize = '{text}'")
        if size == "phone" and scheme == "dark" and text == "100%":
            result = Axe().run(page)
            if result.violations_count:
                report[f"{slug} axe"] = [v["id"] for v in result.response["violations"]]
        problems = page.evaluate(_PROBLEMS)
        if problems:
            report[slug] = problems
    context.close()
    assert report == {}
