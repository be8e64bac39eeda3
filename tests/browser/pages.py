"""One page object for every calculator page: tests read like a reader's steps."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .conftest import LIVE_TIMEOUT


class CalculatorPage:
    """A calculator embedded on its page, found by its ``data-calculator`` name."""

    def __init__(self, page: Page, base_url: str, slug: str) -> None:
        self.page = page
        self.url = f"{base_url}calculators/{slug}/"
        self.calc = page.locator(f".tob-calc[data-calculator='{slug}']")
        self.form = self.calc.locator("form")
        self.status = self.calc.get_by_role("status").first

    def open(self, query: str = "") -> CalculatorPage:
        self.page.goto(self.url + query)
        return self

    def wait_live(self) -> None:
        expect(self.status).to_have_text(re.compile("^Live"), timeout=LIVE_TIMEOUT)

    def more_inputs(self) -> None:
        """Open "More inputs" as a reader would (a click on its summary) unless it is open."""
        details = self.calc.locator("details.tob-more")
        if details.count() and not details.evaluate("d => d.open"):
            details.locator("summary").click()

    def field(self, label: str) -> Locator:
        """The form control labelled ``label`` (its unit may follow in brackets).

        Only the form is searched, so a result labelled "Calls per day to pay back" is never
        mistaken for the "Calls per day" input. A field under "More inputs" is revealed first.
        """
        control = self.form.get_by_label(re.compile("^" + re.escape(label) + r"( \(|$)"))
        if control.count() == 1 and not control.is_visible():
            self.more_inputs()
        return control

    def box(self, label: str) -> Locator:
        box = self.form.get_by_role("checkbox", name=label, exact=True)
        if box.count() == 1 and not box.is_visible():
            self.more_inputs()
        return box

    def output(self, key: str) -> Locator:
        return self.calc.locator(f"output[data-output='{key}']")

    def error_of(self, name: str) -> Locator:
        return self.calc.locator(f".tob-field:has([name='{name}']) [role='alert']")
