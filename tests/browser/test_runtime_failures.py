"""When live recalculation cannot work, the page says so in its status and keeps the numbers
computed at build time. Each way the runtime can fail is produced with Playwright routing:
its files refused or damaged, the worker script broken, Python too slow to start, a damaged
memory snapshot (damaged in Cache Storage), a calculation that raises."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, Route, expect

from calculators import REGISTRY, get
from calculators._api import default_raw, run
from calculators._data import load_tree

from .conftest import ROOT
from .pages import CalculatorPage

DATA = load_tree(ROOT / "data")
GENERIC = "The calculation failed unexpectedly; please report this page and these values."


def unavailable(reason: str) -> str:
    """The status text calc.js shows when the runtime fails, for ``reason``."""
    return (
        f"Live recalculation is unavailable in this browser right now ({reason}). The numbers "
        "shown were computed when this page was built, for the values shown."
    )


def defaults(slug: str) -> dict:
    out = run(slug, default_raw(get(slug), DATA), DATA)
    assert out["ok"]
    return out


def expect_prerendered(p: CalculatorPage) -> None:
    """The build-time numbers and input values are still there, and nothing is marked stale."""
    expected = defaults(p.slug)
    for key, text in expected["display"].items():
        if p.output(key).count():
            expect(p.output(key)).to_have_text(text)
    for name, value in default_raw(get(p.slug), DATA).items():
        el = p.form.locator(f"input[type='text'][name='{name}']")
        if el.count():
            expect(el).to_have_value(value)
    expect(p.calc).not_to_have_class(re.compile(r"\btob-calc--stale\b"))
    if expected["chart"]:
        # A drawn chart, or compare-models' table in the chart's place.
        drawn = p.calc.locator("[data-chart] svg, [data-chart] table:not(.tob-sr-only)").first
        expect(drawn).to_be_visible()


def with_boot_timeout(js: str, ms: int) -> str:
    """calc.js with its boot timeout (the plugin's ``boot_timeout``) set to ``ms``, not
    lengthened for the link's speed (no runtime size to scale it by)."""
    assert '"timeoutMs": ' in js and '"runtimeBytes": ' in js
    js = re.sub(r'"timeoutMs": \d+', f'"timeoutMs": {ms}', js)
    return re.sub(r'"runtimeBytes": \d+', '"runtimeBytes": 0', js)


def shorten_boot_timeout(page: Page, ms: int) -> None:
    """Serve calc.js with its boot timeout set to ``ms``."""

    def handle(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=with_boot_timeout(response.text(), ms))

    page.route("**/assets/calc/calc.js?v=*", handle)


def _garbage_wasm(route: Route) -> None:
    route.fulfill(status=200, body=b"\x00asm garbage" * 4096, content_type="application/wasm")


def _not_a_zip(route: Route) -> None:
    route.fulfill(status=200, body=b"PK not a zip", content_type="application/zip")


def _broken_worker(route: Route) -> None:
    # A module that does not parse: the Worker fires "error" (calc.js's onerror).
    route.fulfill(status=200, body="export const = ;", content_type="text/javascript")


# (what is routed, how it is answered, the reason the status names)
BREAKAGE = {
    "blocked": ("**/assets/pyodide/**", lambda route: route.abort(), "its files could not be loaded"),
    # Pyodide never settles on a wasm that does not compile: the boot timeout catches it.
    "corrupted-wasm": ("**/assets/pyodide/*/pyodide.asm.wasm", _garbage_wasm, "it took too long to start"),
    "corrupted-calculators": ("**/assets/calc/calculators-*.zip", _not_a_zip, "its files could not be loaded"),
    "worker-onerror": ("**/assets/calc/worker-*.mjs", _broken_worker, "its files could not be loaded"),
}  # fmt: skip


@pytest.mark.parametrize("slug", list(REGISTRY))
@pytest.mark.parametrize("how", list(BREAKAGE))
def test_runtime_failure_keeps_the_prerendered_numbers(page: Page, base_url, slug, how):
    pattern, handler, reason = BREAKAGE[how]
    hits: list[str] = []

    def counted(route: Route) -> None:
        hits.append(route.request.url)
        handler(route)

    page.route(pattern, counted)
    if reason == "it took too long to start":
        shorten_boot_timeout(page, 10_000)
    p = CalculatorPage(page, base_url, slug).open().show_intent()
    expect(p.status).to_have_text(unavailable(reason), timeout=60_000)
    assert hits, f"{pattern} was never requested, so nothing was broken"
    expect_prerendered(p)


def test_boot_timeout_says_so_and_keeps_the_numbers(page: Page, base_url):
    """Pyodide hangs (as with a wrong .wasm MIME type): after the boot timeout, the status
    says it took too long. The timeout is shortened to 2 s in the served calc.js."""

    shorten_boot_timeout(page, 2000)
    page.route("**/assets/pyodide/*/pyodide.asm.wasm", lambda route: None)  # never answered
    p = CalculatorPage(page, base_url, "break-even").open().show_intent()
    expect(p.status).to_have_text(unavailable("it took too long to start"), timeout=30_000)
    expect_prerendered(p)


def test_on_a_slow_link_the_boot_timeout_waits_for_the_download(page: Page, base_url):
    """A browser that reports a 1.6 Mbit/s downlink gets twice the runtime's transfer time on
    top of the timeout: here 2 s + 2 x 400 KB at 1.6 Mbit/s = 6 s, so it still waits at 4 s
    and gives up after that."""
    page.add_init_script(
        'Object.defineProperty(Navigator.prototype, "connection", {get: () => ({downlink: 1.6, '
        'effectiveType: "3g", saveData: false, addEventListener() {}, removeEventListener() {}})});'
    )

    def handle(route: Route) -> None:
        response = route.fetch()
        js = with_boot_timeout(response.text(), 2000).replace(
            '"runtimeBytes": 0', '"runtimeBytes": 400000'
        )
        route.fulfill(response=response, body=js)

    page.route("**/assets/calc/calc.js?v=*", handle)
    page.route("**/assets/pyodide/*/pyodide.asm.wasm", lambda route: None)  # never answered
    p = CalculatorPage(page, base_url, "break-even").open().show_intent()
    page.wait_for_timeout(4000)
    expect(p.status).to_have_text(re.compile("^Loading live recalculation"))
    expect(p.status).to_have_text(unavailable("it took too long to start"), timeout=30_000)


def test_failure_on_a_scenario_link_shows_the_values_the_numbers_belong_to(page: Page, base_url):
    """A scenario link whose runtime fails cannot show the scenario's numbers: the page falls
    back to the build-time values and numbers together (not the link's inputs beside the
    default results), unmarks them as stale, and says which values the numbers are for."""
    page.route("**/assets/pyodide/**", lambda route: route.abort())
    p = CalculatorPage(page, base_url, "break-even").open("?calls-per-day=5000&v=1")
    expect(p.status).to_have_text(unavailable("its files could not be loaded"), timeout=60_000)
    expect_prerendered(p)


def test_an_unusable_snapshot_falls_back_to_an_ordinary_start(page: Page, base_url):
    """A damaged memory snapshot (the one the reader's browser keeps in Cache Storage) costs
    speed, not the calculator: Python starts without it, computes, and keeps a good one."""
    p = CalculatorPage(page, base_url, "break-even").open()
    p.wait_live()
    keys = wait_for_snapshot(page)
    page.evaluate(
        """async (urls) => {
          const cache = await caches.open("tob-snapshots");
          for (const url of urls) await cache.put(url, new Response(new Uint8Array(1024)));
        }""",
        keys,
    )
    page.reload()
    p.wait_live()
    assert page.evaluate("document.documentElement.dataset.tobStart") == "fresh"
    before = p.computed()
    p.field("Calls per day").fill("5000")
    p.wait_computed(after=before)
    # December 2026 defaults by hand: 5,000 × 30 × 1,500 × $0.10 / 1M = $22.50 prompted,
    # 5,000 × 30 × 200 × $0.15 / 1M = $4.50 tuned; $15,000 / $18 = 833 months.
    p.expect_changed(
        "payback_months", defaults("break-even")["display"]["payback_months"], "833 months"
    )
    assert snapshot_size(page, 1_000_000) > 1_000_000, "the damaged snapshot was not replaced"


SNAPSHOT_SIZE = """async () => {
  const cache = await caches.open("tob-snapshots");
  const keys = await cache.keys();
  if (keys.length !== 1) return 0;
  return (await (await cache.match(keys[0])).arrayBuffer()).byteLength;
}"""


def snapshot_size(page: Page, at_least: int, timeout_s: float = 30) -> int:
    """The size of the one snapshot kept, once it is at least ``at_least`` bytes (the worker
    stores it after the first result, so it is polled)."""
    deadline = time.monotonic() + timeout_s
    while (size := page.evaluate(SNAPSHOT_SIZE)) < at_least and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return size


def wait_for_snapshot(page: Page) -> list[str]:
    """The URLs of the snapshots the page's worker keeps, once one is stored."""
    assert snapshot_size(page, 1) > 0, "no memory snapshot was kept"
    return page.evaluate(
        "() => caches.open('tob-snapshots').then((c) => c.keys()).then((k) => k.map((r) => r.url))"
    )


def test_a_calculation_that_raises_shows_the_generic_message(page: Page, base_url):
    """The worker's last resort: Python raised something that is not a field error (here,
    because it was handed an empty data tree). The page shows the generic message and keeps
    the numbers it had."""
    page.route(
        "**/assets/calc/data-*.json",
        lambda route: route.fulfill(status=200, body="{}", content_type="application/json"),
    )
    p = CalculatorPage(page, base_url, "break-even").open()
    p.wait_live()
    before = p.computed()
    p.field("Calls per day").fill("5000")
    p.wait_computed(after=before, ok=False)
    expect(p.calc.get_by_role("alert").filter(has_text="unexpectedly")).to_have_text(GENERIC)
    expected = defaults("break-even")["display"]
    for key, text in expected.items():
        expect(p.output(key)).to_have_text(text)
