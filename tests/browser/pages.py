"""One page object for every calculator page: tests read like a reader's steps.

It also holds the two ways a test opens a page that the page object cannot express as a step:
without JavaScript (``no_javascript``), and with every calculator on it used and live
(``bring_every_calculator_live``). Python starts only when the reader shows intent (focus,
pointer or key on a calculator), so a step that waits for live recalculation shows it first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Locator, Page, expect

from mkdocs_calculators.scenario_pages import PATH as SCENARIO_PATH

from .conftest import LIVE_TIMEOUT

LIVE = re.compile("^Live")
UNAVAILABLE = re.compile("^Live recalculation is unavailable in this browser right now")


@contextmanager
def no_javascript(browser: Browser, url: str) -> Iterator[Page]:
    """The page at ``url`` as a reader with JavaScript switched off sees it."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


_FORM = re.compile(r'<form class="tob-form".*?</form>', re.S)
_VALUE = re.compile(r'(<input\b[^>]*?\bvalue=")[^"]*(")')
_OUTPUT = re.compile(r"(<output\b[^>]*>)[^<]*(</output>)")
_LIST = re.compile(r"(<ol\b[^>]*\bdata-output=[^>]*>).*?(</ol>)", re.S)
_ANSWER = re.compile(r"(<p\b[^>]*\bdata-answer\b[^>]*>)[^<]*(</p>)")


def blank_prerendered(page: Page, url: str) -> None:
    """Serve the page at ``url`` with every pre-rendered result and text input value blanked:
    whatever the reader then sees was computed live from the link, not left from the build."""

    def handle(route):
        response = route.fetch()
        html = response.text()
        html = _FORM.sub(lambda m: _VALUE.sub(r"\1\2", m.group(0)), html)
        html = _ANSWER.sub(r"\1\2", _LIST.sub(r"\1\2", _OUTPUT.sub(r"\1\2", html)))
        route.fulfill(response=response, body=html)

    page.route(re.compile("^" + re.escape(url) + r"(\?.*)?$"), handle)


def show_intent(calc: Locator) -> None:
    """Move into the calculator's form, as a reader about to change a value does: that, not
    scrolling past it, starts Python."""
    calc.locator(".tob-form input, .tob-form select").first.focus()


def bring_every_calculator_live(page: Page) -> int:
    """Use each calculator on the page and wait until it is live; returns how many there were."""
    calcs = page.locator(".tob-calc")
    for i in range(calcs.count()):
        calc = calcs.nth(i)
        show_intent(calc)
        expect(calc.get_by_role("status").first).to_have_text(LIVE, timeout=LIVE_TIMEOUT)
    return calcs.count()


def chart(calc: Locator, layout: str = "wide") -> Locator:
    """The chart (or charts) of ``calc`` drawn in ``layout``: "wide" (desktop and tablet) or
    "narrow" (phone and print). Both are in the page; CSS shows the one that fits."""
    return calc.locator(f"[data-chart] svg[data-layout='{layout}']")


class CalculatorPage:
    """A calculator embedded on its page, found by its ``data-calculator`` name."""

    def __init__(self, page: Page, base_url: str, slug: str, path: str | None = None) -> None:
        self.page = page
        self.slug = slug
        self.url = base_url + (path or f"calculators/{slug}/")
        self.calc = page.locator(f".tob-calc[data-calculator='{slug}']")
        self.form = self.calc.locator("form")
        self.status = self.calc.get_by_role("status").first

    @classmethod
    def scenario(cls, page: Page, base_url: str, slug: str, name: str) -> CalculatorPage:
        """The calculator on a named scenario's own page (``/calculators/<slug>/scenarios/<name>/``)."""
        return cls(page, base_url, slug, path=SCENARIO_PATH.format(slug=slug, name=name))

    def open(self, query: str = "") -> CalculatorPage:
        """Open the page, counting the ``tob:computed`` events of this calculator."""
        self.page.add_init_script(
            "window.__computed = 0; document.addEventListener('tob:computed', "
            "() => { window.__computed += 1; }, true);"
        )
        self.page.goto(self.url + query)
        return self

    def show_intent(self) -> CalculatorPage:
        show_intent(self.calc)
        return self

    def wait_live(self) -> None:
        """Use the calculator (Python starts on intent) and wait until it is live."""
        self.show_intent()
        expect(self.status).to_have_text(LIVE, timeout=LIVE_TIMEOUT)

    def wait_unavailable(self) -> None:
        self.show_intent()
        expect(self.status).to_have_text(UNAVAILABLE, timeout=LIVE_TIMEOUT)

    def computed(self) -> int:
        """How many results Python has sent back to the page so far."""
        return self.page.evaluate("window.__computed")

    def wait_computed(self, after: int, ok: bool = True) -> None:
        """Wait until Python has answered more than ``after`` times (the ``tob:computed``
        event); a good answer clears the stale marker, a field error sets it."""
        self.page.wait_for_function("n => window.__computed > n", arg=after, timeout=LIVE_TIMEOUT)
        stale = re.compile(r"\btob-calc--stale\b")
        if ok:
            expect(self.calc).not_to_have_class(stale)
        else:
            expect(self.calc).to_have_class(stale)

    def copy_link(self) -> str:
        """Press "Copy link to this scenario" and read what it put on the clipboard (the
        context needs the clipboard permissions)."""
        # The note of an earlier copy would pass the wait below before this copy is done.
        self.calc.locator(".tob-copied").evaluate("note => { note.textContent = ''; }")
        self.calc.get_by_role("button", name="Copy link to this scenario").click()
        expect(self.calc.get_by_text("Link to this scenario copied.")).to_be_visible()
        return self.page.evaluate("navigator.clipboard.readText()")

    def more_inputs(self) -> None:
        """Open "More inputs" as a reader would (a click on its summary) unless it is open."""
        details = self.calc.locator("details.tob-more")
        if details.count() and not details.evaluate("d => d.open"):
            details.locator("summary").click()

    def preset(self) -> Locator:
        """The preset control, named after what it fills in ("Fill in prices from")."""
        return self.calc.get_by_label(re.compile(r"^Fill in .+ from$"))

    def field(self, label: str) -> Locator:
        """The form control labelled ``label`` (its unit may follow in brackets).

        Only the form is searched, so a result labelled "Calls per day to pay back" is never
        mistaken for the "Calls per day" input. A field under "More inputs" is revealed first.
        """
        control = self.form.get_by_label(re.compile("^" + re.escape(label) + r"( \(|$)"))
        if control.count() == 1 and not control.is_visible():
            self.more_inputs()
        return control

    def named(self, name: str) -> Locator:
        """The form control whose ``name`` (the public input name) is ``name``."""
        control = self.form.locator(f"[name='{name}']")
        if control.count() == 1 and not control.is_visible():
            self.more_inputs()
        return control

    def box(self, label: str) -> Locator:
        box = self.form.get_by_role("checkbox", name=label, exact=True)
        if box.count() == 1 and not box.is_visible():
            self.more_inputs()
        return box

    def answer(self) -> Locator:
        """The one-sentence answer the calculator leads with."""
        return self.calc.locator("[data-answer]")

    def announced(self) -> Locator:
        """The live region a screen reader reads the answer from once typing pauses."""
        return self.calc.locator("[data-answer-live]")

    def chart(self, layout: str = "wide") -> Locator:
        return chart(self.calc, layout)

    def output(self, key: str) -> Locator:
        return self.calc.locator(f"output[data-output='{key}']")

    def error_of(self, name: str) -> Locator:
        return self.calc.locator(f".tob-field:has([name='{name}']) [role='alert']")

    def expect_changed(self, key: str, before: str, after: str) -> None:
        """The output ``key`` moves from ``before`` (what was shown) to exactly ``after``; the
        two must differ, so a page that never recomputes cannot pass."""
        assert before != after, f"{key}: {after!r} would not show a recomputation"
        expect(self.output(key)).to_have_text(after)

    # -- a result table a reader sorts and downloads (compare-models) ----------------------
    def table(self) -> Locator:
        """The result table, by its role."""
        return self.calc.get_by_role("table")

    def header(self, label: str) -> Locator:
        """The column header ``label`` (its sort button is inside once the page is live)."""
        return self.table().get_by_role("columnheader", name=re.compile("^" + re.escape(label)))

    def sort_by(self, label: str) -> None:
        """Click the column header's sort button, as a reader would."""
        self.header(label).get_by_role("button").click()

    def column(self, label: str) -> list[str]:
        """The texts of one column, top to bottom, as the table stands."""
        heads = self.table().locator("thead th")
        names = [t.strip() for t in heads.all_inner_texts()]
        index = next(i for i, n in enumerate(names) if n.startswith(label))
        rows = self.table().locator("tbody tr")
        return rows.evaluate_all(
            "(trs, i) => trs.map((tr) => tr.cells[i].textContent.trim())", index
        )

    def download(self, name: str) -> str:
        """Click the download button ``name`` and return the file's text."""
        with self.page.expect_download() as info:
            self.calc.get_by_role("button", name=name).click()
        path = info.value.path()
        with open(path, encoding="utf-8") as fh:
            return fh.read()


class TrainingFilePage:
    """The training-file check: a file picker, a paste box, three inputs and a report."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.url = base_url + "calculators/training-file/"
        self.root = page.locator("[data-filecheck]")
        self.form = self.root.locator("form")
        self.status = self.root.get_by_role("status").first
        self.report = self.root.get_by_role("region", name="Training file check: report")
        self.progress = self.root.get_by_role("progressbar", name="Reading the file")

    def open(self) -> TrainingFilePage:
        self.page.goto(self.url)
        return self

    def choose(self, path) -> None:
        """Give the file picker a file on disk, as a reader's file dialog does."""
        self.form.get_by_label("Training file (JSONL)").set_input_files(path)

    def paste(self, text: str) -> None:
        self.form.get_by_label("Or paste a few lines of JSONL").fill(text)
        self.form.get_by_role("button", name="Check the pasted lines").click()

    def field(self, label: str) -> Locator:
        return self.form.get_by_label(re.compile("^" + re.escape(label) + r"( \(|$)"))

    def fact(self, key: str) -> Locator:
        return self.report.locator(f"[data-fact='{key}'] dd")

    def verdict(self) -> Locator:
        return self.report.locator("[data-verdict]")

    def table_rows(self, key: str) -> Locator:
        return self.report.locator(f"[data-table='{key}'] tbody tr")

    def wait_checked(self, name: str, timeout: float = LIVE_TIMEOUT) -> None:
        expect(self.status).to_have_text(
            f"Checked {name} in this page; nothing was uploaded.", timeout=timeout
        )
