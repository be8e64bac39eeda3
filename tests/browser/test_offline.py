"""Offline after a first visit, and a new deploy never mixing versions (the service worker,
mkdocs_calculators/static/sw.js; design in mkdocs_calculators/offline.py).

These tests allow service workers (conftest.py blocks them for every other test) and serve the
site from a server of their own that can swap the folder it serves (a deploy) and stop
answering (offline: the browser's offline mode and a server that drops every connection, so
nothing can reach the network whatever answers the request).
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from calculators import get
from calculators._api import default_raw, run
from calculators._data import load_tree

from .conftest import LIVE_TIMEOUT, ROOT, QuietHandler, _free_port
from .pages import CalculatorPage

SLUG = "break-even"
PATH = f"calculators/{SLUG}/"
NEVER_VISITED = "calculators/serving-cost/"
DATA_A = load_tree(ROOT / "data")


class _Served:
    """What the offline tests' server serves: a folder (swapped for a deploy), or nothing."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.up = True


class _SwappableHandler(QuietHandler):
    served: _Served

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.served.directory), **kwargs)

    def handle(self):
        if self.served.up:  # down: the connection closes unanswered, as with no network
            super().handle()

    def end_headers(self):
        # Every response revalidated: a page or sw.js of the last deploy never comes from the
        # browser's HTTP cache (a static host's max-age would make the test depend on timing).
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def _edit_first(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def site_b(site, tmp_path_factory):
    """(site_dir, data): deploy B, built like the ``site`` fixture's (deploy A, the same
    SITE_URL) but from data where break-even's project costs $30,000, not $15,000: another
    data JSON, so another runtime and service-worker version. The one extra build of the suite."""
    base_url, _ = site
    data = tmp_path_factory.mktemp("data-b") / "data"
    shutil.copytree(ROOT / "data", data)
    _edit_first(
        data / "calculators" / "break-even.yaml", "project-cost: 15000", "project-cost: 30000"
    )
    # The link defaults of the current version follow (tests/unit/test_resolve.py): a link made
    # on B leaves out the $30,000, one made by A's runtime names it.
    _edit_first(
        data / "link-defaults" / "v2.yaml", 'project-cost: "15000"', 'project-cost: "30000"'
    )
    out = tmp_path_factory.mktemp("site-b")
    env = {
        **os.environ,
        "SITE_URL": base_url,
        "NO_MKDOCS_2_WARNING": "1",
        "TOB_DATA_DIR": str(data),
    }
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return out, load_tree(data)


@pytest.fixture(scope="session")
def served(site):
    """(base_url, _Served): a server of these tests' own, serving deploy A at first."""
    port = _free_port()
    state = _Served(site[1])
    handler = type("Handler", (_SwappableHandler,), {"served": state})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/", state
    server.shutdown()
    server.server_close()


@pytest.fixture
def sw_context(browser, served, site) -> BrowserContext:
    """A fresh context that allows service workers, with deploy A served and the network on."""
    served[1].directory, served[1].up = site[1], True
    context = browser.new_context(service_workers="allow")
    yield context
    context.close()


def go_offline(context: BrowserContext, state: _Served) -> None:
    context.set_offline(True)
    state.up = False


def sw_version(site_dir: Path) -> str:
    return re.search(r'"version": "([0-9a-f]+)"', (site_dir / "sw.js").read_text()).group(1)


def runtime_name(site_dir: Path, pattern: str) -> str:
    (path,) = (site_dir / "assets" / "calc").glob(pattern)
    return path.name


def calc_js(site_dir: Path) -> str:
    """How the break-even page of this deploy names its calc.js (``calc.js?v=<digest>``)."""
    html = (site_dir / PATH / "index.html").read_text(encoding="utf-8")
    return re.search(r"calc\.js\?v=[0-9a-f]+", html).group(0)


def our_caches(page: Page) -> list[str]:
    return page.evaluate("async () => (await caches.keys()).filter((k) => k.startsWith('tob-sw-'))")


KEPT = """async ([name, parts]) => {
  if (!(await caches.has(name))) return false;
  const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
  return parts.every((part) => urls.some((url) => url.includes(part)));
}"""


def wait_kept(page: Page, version: str, parts: list[str]) -> None:
    """Wait until the service worker's cache for ``version`` holds a URL containing each of
    ``parts`` (the page, the runtime it used)."""
    wait_for(page, KEPT, f"kept: {parts}", [f"tob-sw-{version}", parts])


WAITING = "async () => !!(await navigator.serviceWorker.getRegistration())?.waiting"


def wait_for(page: Page, script: str, what: str, arg=None) -> None:
    """Poll ``script`` (an async function of ``arg``) in the page until it returns true."""
    deadline = time.monotonic() + LIVE_TIMEOUT / 1000
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"never: {what}"
        page.wait_for_timeout(200)


def go_live(p: CalculatorPage) -> None:
    # Python starts on intent: moving into the form is one.
    p.calc.locator(".tob-form input").first.focus()
    p.wait_live()


def expected(data, **values) -> dict:
    raw = {**default_raw(get(SLUG), data), **values}
    out = run(SLUG, raw, data)
    assert out["ok"]
    return out


def test_a_calculator_used_once_works_offline(sw_context, served, site):
    base_url, state = served
    page = sw_context.new_page()
    p = CalculatorPage(page, base_url, SLUG).open()
    go_live(p)
    p.field("Calls per day").fill("5000")
    expect(p.output("payback_months")).to_have_text("833 months")
    # A first visit: what the page fetched before the service worker controlled it is kept
    # once the calculator is live, from the browser's cache.
    runtime = [
        PATH,
        calc_js(site[1]),
        runtime_name(site[1], "worker-*.mjs"),
        runtime_name(site[1], "calculators-*.zip"),
        runtime_name(site[1], "data-*.json"),
        "/pyodide.asm.wasm",
        runtime_name(site[1], "python_stdlib-*.zip"),  # the trimmed standard library
    ]
    wait_kept(page, sw_version(site[1]), runtime)

    go_offline(sw_context, state)
    page.reload()
    go_live(p)  # the worker's fetches go through the service worker: all from its cache
    before = p.output("payback_months").text_content()
    p.field("Calls per day").fill("500")
    p.expect_changed(
        "payback_months",
        before,
        expected(DATA_A, **{"calls-per-day": "500"})["display"]["payback_months"],
    )

    # A calculator never visited: a page that says so and offers the pages kept.
    response = page.goto(base_url + NEVER_VISITED)
    assert response.status == 503
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    kept = page.get_by_role("link", name=re.compile("payback", re.I))
    expect(kept).to_have_attribute("href", base_url + PATH)
    kept.click()
    go_live(CalculatorPage(page, base_url, SLUG))


def test_a_new_deploy_never_mixes_versions(sw_context, served, site, site_b):
    base_url, state = served
    dir_a, (dir_b, data_b) = site[1], site_b
    version_a, version_b = sw_version(dir_a), sw_version(dir_b)
    assert version_a != version_b
    data_a_name, data_b_name = (
        runtime_name(dir_a, "data-*.json"),
        runtime_name(dir_b, "data-*.json"),
    )
    assert data_a_name != data_b_name
    calc_a, calc_b = calc_js(dir_a), calc_js(dir_b)
    assert calc_a != calc_b
    values = {"calls-per-day": "5000"}
    # Each runtime writes the link's query against its own defaults: a page of B run by A's
    # runtime would name the $30,000 project, one run by B's does not.
    query_b = expected(data_b, **values)["query"]
    assert query_b != run(SLUG, {**default_raw(get(SLUG), data_b), **values}, DATA_A)["query"]
    requested: list[str] = []
    sw_context.on("request", lambda r: requested.append(r.url))

    def visit_b(page: Page) -> None:
        """Deploy B's break-even page, run by deploy B's runtime."""
        p = CalculatorPage(page, base_url, SLUG)
        expect(page.locator(f"script[src$='{calc_b}']")).to_have_count(1)
        go_live(p)
        p.field("Calls per day").fill("5000")
        expect(page).to_have_url(re.compile(re.escape("?" + query_b) + "$"))
        expect(p.output("payback_months")).to_have_text(
            expected(data_b, **values)["display"]["payback_months"]
        )

    # Deploy A, visited and used: its runtime is kept in A's cache. The page stays open (a
    # reader's other tab): with it closed, B could install and take over before the next page
    # is controlled, which is right too but not the case this test is about.
    page_a = sw_context.new_page()
    go_live(CalculatorPage(page_a, base_url, SLUG).open())
    wait_kept(page_a, version_a, [PATH, calc_a, data_a_name])
    # Another part of the site's cache (worker.mjs's snapshots): never ours to delete.
    page_a.evaluate("caches.open('tob-snapshots').then(() => true)")

    # Deploy B, online: the page comes from the network and brings B's runtime, while A's
    # service worker (still in charge: B waits until no page of A is open) keeps it too.
    state.directory = dir_b
    requested.clear()
    page = sw_context.new_page()
    page.goto(base_url + PATH)
    visit_b(page)
    assert any(u.endswith(data_b_name) for u in requested)
    assert not any(u.endswith(data_a_name) for u in requested)
    assert f"tob-sw-{version_a}" in our_caches(page)
    # The browser checks sw.js after a navigation its worker answered: B's is installed and
    # waits while a page A's worker controls is open (no skipWaiting).
    wait_for(page, WAITING, "B's service worker installed and waiting")

    # Offline with this page open: B's page and B's runtime, from A's cache.
    go_offline(sw_context, state)
    requested.clear()
    page.reload()
    visit_b(page)
    assert not any(u.endswith(data_a_name) for u in requested)

    # No page of A open any more: B takes over, keeps what B's pages use, deletes A's cache.
    page.close()
    page_a.close()
    deadline = time.monotonic() + 30
    while True:
        workers = sw_context.service_workers
        try:
            names = workers[-1].evaluate("caches.keys()") if workers else []
        except Exception:  # a worker ended while asked: ask the next one
            names = []
        if [n for n in names if n.startswith("tob-sw-")] == [f"tob-sw-{version_b}"]:
            break
        assert time.monotonic() < deadline, f"caches: {names}"
        time.sleep(0.2)

    # Still offline: B's page and runtime, now from B's own cache.
    page = sw_context.new_page()
    page.goto(base_url + PATH)
    visit_b(page)
    assert our_caches(page) == [f"tob-sw-{version_b}"]
    assert page.evaluate("caches.has('tob-snapshots')")
