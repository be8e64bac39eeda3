"""Browser fixtures: build the site for a free loopback port, serve it, drive Chromium.

Chromium is Debian's /usr/bin/chromium when present (or $CHROMIUM), else Playwright's own.
Every host but 127.0.0.1 fails to resolve, so a request to another origin cannot succeed
unnoticed; tests also record every request and check its origin.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.chromium import CSP
from tests.chromium import FLAGS as CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parents[2]
FLAGS = ["--headless", *CHROMIUM_FLAGS]
LIVE_TIMEOUT = 60_000  # ms; Pyodide's first boot on a loaded 2-core CI machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """(base_url, site_dir): a strict build of the site, served on its own port."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "SITE_URL": base_url, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url, out
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(site):
    return site[0]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Service workers blocked: a test that routes or damages a runtime file (page.route) must
    see every request, and routing does not see what a service worker fetches. Only
    test_offline.py allows them."""
    return {**browser_context_args, "service_workers": "block"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    exe = os.environ.get("CHROMIUM") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    args = {**browser_type_launch_args, "args": FLAGS}
    if exe:
        args["executable_path"] = exe
    return args


@pytest.fixture
def requests_seen(context):
    """Every URL the page and its workers request, in order."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    return seen


@pytest.fixture
def problems(page):
    """Console errors, uncaught page errors and dialogs: a hostile value must cause none."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e}"))

    def dialog(d):
        seen.append(f"dialog: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    return seen


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder ``browser`` while collecting, so ``-m "not browser"``
    deselects them before any fixture (the site build, Chromium) is set up."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def site_pages(site_dir: Path) -> list[str]:
    """Every page of the built site, as a path relative to the root ("" for the home page)."""
    pages = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        if (
            rel.startswith("assets")
            or 'http-equiv="refresh"' in html.read_text(encoding="utf-8")[:2000]
        ):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages
