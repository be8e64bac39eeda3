"""Performance figures of the built site, next to a bare Pyodide page from the same files.

Run with ``make bench`` (it installs what it needs). Prints a table: each figure is the median
of several runs, with min and max. This is a measurement, not a test: it asserts nothing.

What is measured (ms from navigation start unless said otherwise):
* first result visible: first contentful paint of a calculator page, and whether the results
  are already in that HTML (they are pre-rendered by the build);
* main thread blocked while Python boots: long tasks (> 50 ms) that start between the worker's
  start and the runtime being live; the page's own start-up tasks before that (the theme's
  scripts, present on every page) are shown on a line of their own;
* time to a live recomputed result, cold (new browser profile) and warm (same profile, second
  visit): navigation to the first result computed by Python in the browser, for a scenario URL;
* the bare page: navigation to the first result of ``loadPyodide()`` + one ``runPython`` on the
  main thread, the way in-browser Python documentation tools load it;
* recompute: input change to the new result in the page, and to the frame that paints it
  (p50, p95), with changes landing at random points of the frame interval;
* the same cold and warm figures for a build without the memory snapshot (the one the reader's
  browser makes on its first start and keeps in Cache Storage), to show what it gains;
* bytes: what a calculator page and a page without a calculator transfer, gzip-compressed as a
  static host (GitHub Pages) serves them;
* Lighthouse scores (home, a guide, a calculator), when ``node_modules/.bin/lighthouse`` exists.

The figures above are taken unthrottled (profile ``fast``). A second table repeats the reader's
view on each network profile (``--profiles``; see PROFILES): the benchmark's own server throttles
every response (one downlink shared by all connections of the page, one round trip added per
request and per new connection), because DevTools throttling neither slows a service worker's
fetches nor changes ``navigator.connection``; an init script sets ``navigator.connection`` to
what Chromium would report on that profile. Per profile:
* bytes a calculator page transfers before any interaction (the reader who only reads);
* first contentful paint, first and second visit;
* the reader's first input, made 2 s after first contentful paint, to the first live result,
  cold (a browser with a new profile) and warm (second visit, same browser, disk cache), with and
  without the memory snapshot (a boot that gives up after the page's timeout counts as failed);
* the bare ``loadPyodide()`` page from the same files, navigation to result, cold and warm.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: make tests.chromium importable
from tests.chromium import FLAGS  # noqa: E402 (after the path is set)

CALC_PAGE = "calculators/break-even/"
SCENARIO = "?calls-per-day=5000&v=1"
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".xml", ".bin")

BARE_HTML = """<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module">
import { loadPyodide } from "../assets/pyodide/VERSION/pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("../assets/pyodide/VERSION/", location).href });
py.runPython("1 + 1");
performance.mark("bare-result");
document.title = "done";
</script>"""

# Python's boot gives up after the page's timeout (the plugin's boot_timeout) and says so.
LIVE = "performance.getEntriesByName('tob-live').length > 0"
FAILED = "document.querySelector('.tob-calc[data-live=failed]') !== null"
AFTER_FCP = (
    "performance.getEntriesByName('first-contentful-paint').length > 0 && performance.now() >="
    " performance.getEntriesByName('first-contentful-paint')[0].startTime + 2000"
)
# The time of the reader's first input, from the event itself.
INPUT_CLOCK = """
document.addEventListener("input", (e) => { window.__firstInput ??= e.timeStamp; }, true);
"""
TIMEOUT = 300_000

LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]); })
  .observe({ type: "longtask", buffered: true });
"""


@dataclass(frozen=True)
class Profile:
    """A network the reader is on: downlink in Mbit/s (None: unthrottled) and round trip."""

    name: str
    down_mbps: float | None
    rtt_ms: int

    @property
    def label(self) -> str:
        if self.down_mbps is None:
            return "unthrottled"
        return f"{self.down_mbps:g} Mbit/s, {self.rtt_ms} ms"

    def connection_script(self) -> str:
        """An init script giving ``navigator.connection`` the values Chromium reports here.

        Chromium rounds rtt to 25 ms and downlink to 25 kbit/s, caps downlink at 10 Mbit/s, and
        derives effectiveType from the Network Information API's table (3g from 270 ms or at
        most 0.7 Mbit/s, 2g from 1,400 ms or 0.07, slow-2g from 2,000 ms or 0.05). Init scripts
        do not run in workers, so the worker still sees the browser's own values."""
        down = 10.0 if self.down_mbps is None else min(self.down_mbps, 10.0)
        rtt = round(self.rtt_ms / 25) * 25
        kind = "4g"
        for name, min_rtt, max_down in (
            ("3g", 270, 0.7),
            ("2g", 1400, 0.07),
            ("slow-2g", 2000, 0.05),
        ):
            if rtt >= min_rtt or down <= max_down:
                kind = name
        info = {
            "effectiveType": kind,
            "rtt": rtt,
            "downlink": round(down * 40) / 40,
            "saveData": False,
        }
        return f"""(() => {{
  const info = Object.assign(new EventTarget(), {json.dumps(info)}, {{ onchange: null }});
  Object.defineProperty(Navigator.prototype, "connection", {{ get: () => info, configurable: true }});
}})();"""


PROFILES = {
    p.name: p
    for p in (Profile("fast", None, 0), Profile("10mbit", 10.0, 40), Profile("1.6mbit", 1.6, 150))
}


class Link:
    """A throttled downlink: ``rate`` bytes/s shared by whoever sends through it, and ``rtt``
    seconds added before each response and to each new connection."""

    CHUNK = 16 * 1024

    def __init__(self, profile: Profile):
        self.rate = profile.down_mbps * 1e6 / 8 if profile.down_mbps else None
        self.rtt = profile.rtt_ms / 1000
        self.free_at = 0.0  # when the link has sent everything queued so far
        self.lock = threading.Lock()

    def send(self, data: bytes, out) -> None:
        """Write ``data`` at the link's rate; concurrent senders share it chunk by chunk."""
        for i in range(0, len(data), self.CHUNK):
            chunk = data[i : i + self.CHUNK]
            with self.lock:
                self.free_at = max(self.free_at, time.monotonic()) + len(chunk) / self.rate
                done = self.free_at
            time.sleep(max(0.0, done - time.monotonic()))
            out.write(chunk)


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves like a static host: gzip for text and wasm, a 10-minute Cache-Control, keep-alive,
    and the server's network profile (``server.link``; one link per connection when
    ``server.per_connection``)."""

    cache: ClassVar[dict[str, bytes]] = {}
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.link = self.server.link
        if self.server.per_connection and self.link.rate:
            self.link = Link(self.server.profile)
        time.sleep(self.link.rtt)  # the TCP handshake

    def copyfile(self, source, outputfile):
        if self.link.rate is None:
            return super().copyfile(source, outputfile)
        try:
            self.link.send(source.read(), outputfile)
        except (BrokenPipeError, ConnectionResetError):  # the page gave up on it
            self.close_connection = True
        return None

    @classmethod
    def compressed(cls, path: str) -> bytes:
        body = cls.cache.get(path)
        if body is None:
            body = cls.cache[path] = gzip.compress(Path(path).read_bytes(), 6)
        return body

    def send_head(self):
        time.sleep(self.link.rtt)  # the request's way up and the first byte's way down
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (
            "gzip" in self.headers.get("Accept-Encoding", "")
            and path.endswith(COMPRESSIBLE)
            and os.path.isfile(path)
        ):
            body = self.compressed(path)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(port: int, config_file: str, snapshot: bool = True) -> Path:
    out = Path(tempfile.mkdtemp(prefix="tob-bench-"))
    env = {
        **os.environ,
        "SITE_URL": f"http://127.0.0.1:{port}/",
        "NO_MKDOCS_2_WARNING": "1",
        "TOB_SNAPSHOT": "true" if snapshot else "false",
    }
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config_file, "-d", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    (out / "bench").mkdir()
    # Pyodide's files sit under its version (mkdocs_calculators/runtime.py: pyodide_path).
    version = next((out / "assets" / "pyodide").glob("*/pyodide.mjs")).parent.name
    (out / "bench" / "bare.html").write_text(
        BARE_HTML.replace("VERSION", version), encoding="utf-8"
    )
    return out


def serve(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=str(site))
    )
    throttle(server, PROFILES["fast"])
    # Compressed before the first run, so that no visit waits for it.
    for path in site.rglob("*"):
        if path.is_file() and path.name.endswith(COMPRESSIBLE):
            Handler.compressed(str(path))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def throttle(server, profile: Profile, per_connection: bool = False) -> None:
    """Serve every later connection of ``server`` on ``profile``."""
    server.profile, server.link, server.per_connection = profile, Link(profile), per_connection


def stats(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"{statistics.median(values):8.0f} ({min(values):.0f}–{max(values):.0f})"


def measure_calc(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function("performance.getEntriesByName('tob-result').length > 0", timeout=120_000)
    return page.evaluate("""() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const live = performance.getEntriesByName('tob-live')[0].startTime;
      const result = performance.getEntriesByName('tob-result')[0].startTime;
      const boot = performance.getEntriesByName('tob-boot')[0].startTime;
      // Tasks that start while Python boots; the page's own start-up tasks (the theme's
      // scripts, on every page) come before the worker starts and are counted apart.
      const tasks = window.__longtasks || [];
      const blocked = tasks.filter(([s]) => s >= boot && s < live).reduce((a, [, d]) => a + d, 0);
      const startup = tasks.filter(([s]) => s < boot).reduce((a, [, d]) => a + d, 0);
      const prerendered = document.querySelector("output[data-output]").textContent.trim() !== "";
      return { fcp: fcp ? fcp.startTime : null, live, result, blocked, startup, prerendered };
    }""")


def measure_bare(page, url: str) -> float:
    page.goto(url, timeout=TIMEOUT)
    page.wait_for_function("document.title === 'done'", timeout=TIMEOUT)
    return page.evaluate("performance.getEntriesByName('bare-result')[0].startTime")


def recompute_latency(page, n: int = 60) -> list[list[float]]:
    """[ms to the new result in the page, ms to the frame that shows it] per input change.

    Each change waits a random 0–20 ms first, so changes land anywhere in the 16.7 ms frame
    interval, as a reader's keystrokes do (a loop that starts each change right after a frame
    would always measure a whole frame)."""
    return page.evaluate(
        """async (n) => {
      const root = document.querySelector(".tob-calc");
      const input = root.querySelector("[name='calls-per-day']");
      const out = [];
      for (let i = 0; i < n; i++) {
        await new Promise((r) => setTimeout(r, Math.random() * 20));
        const done = new Promise((r) => root.addEventListener("tob:computed", r, { once: true }));
        const t0 = performance.now();
        input.value = String(40000 + i * 137);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await done;
        const inPage = performance.now() - t0;
        await new Promise((r) => requestAnimationFrame(() => r()));
        out.push([inPage, performance.now() - t0]);
      }
      return out;
    }""",
        n,
    )


def transferred(browser, url: str, init_script: str = "") -> tuple[int, int, bool]:
    """(all bytes, Python-runtime bytes, whether Python gave up) a fresh visit transfers, page
    and workers included, when the reader only reads: until the network is quiet 2 s after
    first contentful paint and, if the page started Python by then, until it is live. When it
    gives up (the boot timeout), the transfers it aborts are not counted.

    The runtime part is Pyodide's files plus what our worker adds: the trimmed standard
    library, the calculators zip, the data JSON and the worker script."""
    context = browser.new_context()
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    sizes: list[tuple[str, int]] = []

    def on_finished(request):
        s = request.sizes()
        sizes.append((request.url, s["responseBodySize"] + s["responseHeadersSize"]))

    context.on("requestfinished", on_finished)
    # Not "networkidle" while Python may give up: Playwright never sees the end of the
    # requests of a worker that was terminated, so the network would never look idle.
    page.goto(url, timeout=TIMEOUT)
    page.wait_for_function(AFTER_FCP, timeout=TIMEOUT)
    if page.evaluate("performance.getEntriesByName('tob-boot').length > 0"):
        page.wait_for_function(f"{LIVE} || {FAILED}", timeout=TIMEOUT)
    failed = page.evaluate(FAILED)
    if not failed:
        page.wait_for_load_state("networkidle", timeout=TIMEOUT)
    context.close()
    python = ("/pyodide/", "/python_stdlib-", "/calculators-", "/worker-", "/data-")
    runtime = sum(b for u, b in sizes if any(p in u for p in python))
    return sum(b for _, b in sizes), runtime, failed


def first_input(page, url: str) -> dict:
    """One visit: first contentful paint, then the reader's first input 2 s after it, and the
    time from that input to the first result Python computes (None if the boot failed)."""
    page.goto(url, wait_until="commit", timeout=TIMEOUT)
    page.wait_for_function(AFTER_FCP, timeout=TIMEOUT, polling=20)
    field = page.locator(".tob-calc [name='calls-per-day']")
    field.fill(str(int(field.get_attribute("data-default") or 0) + 1000))
    page.wait_for_function(
        "performance.getEntriesByName('tob-result').some((e) => e.startTime >= window.__firstInput)"
        f" || {FAILED}",
        timeout=TIMEOUT,
    )
    return page.evaluate("""() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0].startTime;
      const done = performance.getEntriesByName('tob-result').find((e) => e.startTime >= window.__firstInput);
      return { fcp, result: done ? done.startTime - window.__firstInput : null };
    }""")


@contextlib.contextmanager
def reader_browser(p, exe: str | None, init_script: str):
    """A page in a browser with a new, empty profile on disk, so that a second visit is served
    from the disk cache and Cache Storage as in a reader's browser: the in-memory cache of
    Playwright's ``new_context`` drops large files (the 6.5 MB snapshot the build used to ship
    was downloaded again on a second visit)."""
    with tempfile.TemporaryDirectory(prefix="tob-bench-profile-") as home:
        context = p.chromium.launch_persistent_context(home, executable_path=exe, args=FLAGS)
        try:
            context.add_init_script(init_script)
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def measure_profile(p, exe, browser, base: dict[str, str], profile: Profile, runs: int) -> dict:
    """The reader's figures on one network profile (the servers are throttled by the caller)."""
    script = profile.connection_script()
    keys = ("fcp_cold", "fcp_warm", "cold", "warm", "cold_nosnap", "warm_nosnap")
    figures: dict[str, list] = {k: [] for k in (*keys, "bare_cold", "bare_warm")}
    for _ in range(runs):
        for key, suffix in (("snap", ""), ("plain", "_nosnap")):
            with reader_browser(p, exe, script + INPUT_CLOCK) as page:
                for visit in ("cold", "warm"):
                    seen = first_input(page, base[key] + CALC_PAGE)
                    figures[visit + suffix].append(seen["result"])
                    if key == "snap":
                        figures["fcp_" + visit].append(seen["fcp"])
        with reader_browser(p, exe, script) as page:
            figures["bare_cold"].append(measure_bare(page, base["snap"] + "bench/bare.html"))
            figures["bare_warm"].append(measure_bare(page, base["snap"] + "bench/bare.html"))
    for key, suffix in (("snap", ""), ("plain", "_nosnap")):
        figures["bytes" + suffix] = transferred(browser, base[key] + CALC_PAGE, script)
    return figures


def stats_or_failed(values: list) -> str:
    """Median (min–max) of the runs that succeeded, and how many failed."""
    ok = [v for v in values if v is not None]
    failed = len(values) - len(ok)
    if not failed:
        return stats(ok)
    return (stats(ok).strip() + f", {failed} failed") if ok else f"failed ({failed}/{failed})"


def print_profiles(results: dict[str, dict], runs: int, per_connection: bool) -> None:
    """The per-profile table: one column per profile."""
    w, c = 50, 24

    def ratio(a: list, b: list) -> str:
        a, b = [v for v in a if v is not None], [v for v in b if v is not None]
        return f"{statistics.median(a) / statistics.median(b):.2f}" if a and b else "n/a"

    def kb(seen: tuple[int, int, bool]) -> str:
        gave_up = ", gave up" if seen[2] else ""
        return f"{seen[0] / 1000:,.0f} KB ({seen[1] / 1000:,.0f} KB{gave_up})"

    link = "each connection" if per_connection else "one downlink for the whole page"
    print()
    print(
        f"Network profiles ({link}; +1 round trip per request and per new connection): "
        f"{runs} runs, median (min–max), ms"
    )
    print(f"{'figure':<{w}} " + " ".join(f"{PROFILES[n].label:>{c}}" for n in results))
    rows = [
        ("bytes before any interaction (runtime), as built", "bytes", kb),
        ("... without the snapshot", "bytes_nosnap", kb),
        ("first contentful paint, first visit", "fcp_cold", stats_or_failed),
        ("first contentful paint, second visit", "fcp_warm", stats_or_failed),
        ("first input (FCP + 2 s) to live result, cold", "cold", stats_or_failed),
        ("first input to live result, warm", "warm", stats_or_failed),
        ("... without the snapshot, cold", "cold_nosnap", stats_or_failed),
        ("... without the snapshot, warm", "warm_nosnap", stats_or_failed),
        ("bare loadPyodide() page: navigation to result, cold", "bare_cold", stats_or_failed),
        ("bare loadPyodide() page: navigation to result, warm", "bare_warm", stats_or_failed),
    ]
    for label, key, show in rows:
        print(f"{label:<{w}} " + " ".join(f"{show(r[key]):>{c}}" for r in results.values()))
    for label, a, b in (
        ("input to result / bare page, cold (goal <= 0.6)", "cold", "bare_cold"),
        ("input to result / bare page, warm (goal <= 0.4)", "warm", "bare_warm"),
    ):
        print(f"{label:<{w}} " + " ".join(f"{ratio(r[a], r[b]):>{c}}" for r in results.values()))


def lighthouse(urls: list[str]) -> list[tuple[str, dict]]:
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    chrome = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not binary.exists() or not Path(chrome).exists():
        return []
    rows = []
    for url in urls:
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            subprocess.run(
                [
                    str(binary),
                    url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report.name}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    "--chrome-flags=--headless " + " ".join(FLAGS),
                ],
                env={**os.environ, "CHROME_PATH": chrome},
                check=True,
                capture_output=True,
            )
            data = json.loads(Path(report.name).read_text(encoding="utf-8"))
        rows.append((url, {k: round(v["score"] * 100) for k, v in data["categories"].items()}))
    return rows


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


def plain_page(site: Path) -> str:
    """A guide without a calculator (the decision guide embeds one)."""
    for rel in ("guides/methods/", "guides/", ""):
        html = site / rel / "index.html"
        if html.exists() and "tob-calc" not in html.read_text(encoding="utf-8"):
            return rel
    raise SystemExit("no page without a calculator found")


def measure_unthrottled(browser, base: dict[str, str], sites: dict[str, Path], runs: int) -> dict:
    """The figures of the first table (profile ``fast``, servers unthrottled)."""
    keys = (
        "fcp",
        "blocked",
        "startup",
        "cold",
        "warm",
        "cold_nosnap",
        "warm_nosnap",
        "bare_cold",
        "bare_warm",
    )
    figures: dict[str, list[float]] = {k: [] for k in keys}
    prerendered = True
    latencies: list[list[float]] = []
    for _ in range(runs):
        for key, suffix in (("snap", ""), ("plain", "_nosnap")):
            context = browser.new_context()
            context.add_init_script(LONGTASKS)
            page = context.new_page()
            cold = measure_calc(page, base[key] + CALC_PAGE + SCENARIO)
            warm = measure_calc(page, base[key] + CALC_PAGE + SCENARIO)
            figures["cold" + suffix].append(cold["result"])
            figures["warm" + suffix].append(warm["result"])
            if key == "snap":
                prerendered &= cold["prerendered"]
                figures["fcp"].append(cold["fcp"])
                figures["blocked"].append(cold["blocked"])
                figures["startup"].append(cold["startup"])
                latencies += recompute_latency(page)
            context.close()
        context = browser.new_context()
        page = context.new_page()
        figures["bare_cold"].append(measure_bare(page, base["snap"] + "bench/bare.html"))
        figures["bare_warm"].append(measure_bare(page, base["snap"] + "bench/bare.html"))
        context.close()
    calc_bytes, calc_python, _ = transferred(browser, base["snap"] + CALC_PAGE)
    nosnap_bytes, nosnap_python, _ = transferred(browser, base["plain"] + CALC_PAGE)
    guide = plain_page(sites["snap"])
    plain_bytes, plain_python, _ = transferred(browser, base["snap"] + guide)
    return {
        "figures": figures,
        "prerendered": prerendered,
        "latencies": latencies,
        "bytes": (calc_bytes, calc_python, nosnap_bytes, nosnap_python),
        "guide": (guide, plain_bytes, plain_python),
    }


def print_unthrottled(seen: dict, runs: int, lh: list, b: str, no_lighthouse: bool) -> None:
    figures, prerendered, latencies = seen["figures"], seen["prerendered"], seen["latencies"]
    calc_bytes, calc_python, nosnap_bytes, nosnap_python = seen["bytes"]
    guide, plain_bytes, plain_python = seen["guide"]
    in_page = [a for a, _ in latencies]
    to_frame = [f for _, f in latencies]
    ratio = lambda a, b: statistics.median(a) / statistics.median(b)  # noqa: E731
    w = 52
    print(f"Tune or Build page benchmark: {runs} runs, median (min–max), ms from navigation start")
    print(
        f"{'figure':<{w}} {'as built (snapshot)':>20} {'without snapshot':>20} {'bare Pyodide':>20}"
    )
    rows = [
        (
            "first contentful paint, results pre-rendered: " + ("yes" if prerendered else "NO"),
            stats(figures["fcp"]),
            "",
            "",
        ),
        (
            "main thread long tasks while Python boots (ms)",
            stats(figures["blocked"]),
            "",
            "",
        ),
        (
            "(the page's own start-up long tasks, before it; ms)",
            stats(figures["startup"]),
            "",
            "",
        ),
        (
            "first Python result, cold",
            stats(figures["cold"]),
            stats(figures["cold_nosnap"]),
            stats(figures["bare_cold"]),
        ),
        (
            "first Python result, warm",
            stats(figures["warm"]),
            stats(figures["warm_nosnap"]),
            stats(figures["bare_warm"]),
        ),
        (
            "ratio to bare page, cold",
            f"{ratio(figures['cold'], figures['bare_cold']):.2f}",
            f"{ratio(figures['cold_nosnap'], figures['bare_cold']):.2f}",
            "1.00",
        ),
        (
            "ratio to bare page, warm",
            f"{ratio(figures['warm'], figures['bare_warm']):.2f}",
            f"{ratio(figures['warm_nosnap'], figures['bare_warm']):.2f}",
            "1.00",
        ),
        (
            "bytes a first visit transfers (gzip), calculator page",
            f"{calc_bytes:,}",
            f"{nosnap_bytes:,}",
            "",
        ),
        ("... of which the Python runtime", f"{calc_python:,}", f"{nosnap_python:,}", ""),
    ]
    for label, *cells in rows:
        print(f"{label:<{w}} " + " ".join(f"{c:>20}" for c in cells))
    print(
        f"recompute after an input change ({len(latencies)} changes at random frame phase): "
        f"new result in the page p50 {statistics.median(in_page):.1f} / p95 {pct(in_page, 0.95):.1f} ms; "
        f"painted frame p50 {statistics.median(to_frame):.1f} / p95 {pct(to_frame, 0.95):.1f} ms"
    )
    print(
        f"bytes a first visit transfers (gzip), /{guide} (no calculator): {plain_bytes:,}, "
        f"of which Python runtime {plain_python:,}"
    )
    for url, scores in lh:
        print(
            f"Lighthouse {url[len(b) - 1 :]:<30} "
            + "  ".join(f"{k} {v}" for k, v in scores.items())
        )
    if not lh and not no_lighthouse:
        print("Lighthouse: not run (node_modules/.bin/lighthouse or Chromium missing)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of the unthrottled table")
    ap.add_argument(
        "--profiles",
        default=",".join(PROFILES),
        help=f"network profiles to measure, comma-separated, of {', '.join(PROFILES)}; "
        "the first table is taken with 'fast' only",
    )
    ap.add_argument("--profile-runs", type=int, default=3, help="runs per network profile")
    ap.add_argument(
        "--per-connection",
        action="store_true",
        help="throttle each connection on its own rather than the page's downlink as a whole",
    )
    ap.add_argument("--no-lighthouse", action="store_true")
    ap.add_argument("--config-file", default=str(ROOT / "mkdocs.yml"))
    args = ap.parse_args()
    names = [n.strip() for n in args.profiles.split(",") if n.strip()]
    unknown = [n for n in names if n not in PROFILES]
    if unknown:
        ap.error(f"unknown profile {', '.join(unknown)}; choose from {', '.join(PROFILES)}")
    # The site as built (with the memory snapshot) and the same site without it.
    ports = {"snap": free_port(), "plain": free_port()}
    sites = {k: build(port, args.config_file, snapshot=(k == "snap")) for k, port in ports.items()}
    servers = [serve(sites[k], ports[k]) for k in ports]
    base = {k: f"http://127.0.0.1:{port}/" for k, port in ports.items()}
    exe = os.environ.get("CHROMIUM") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    with sync_playwright() as p:
        browser = (
            p.chromium.launch(executable_path=exe, args=FLAGS)
            if exe
            else p.chromium.launch(args=FLAGS)
        )
        seen = measure_unthrottled(browser, base, sites, args.runs) if "fast" in names else None
        results = {}
        for name in names:
            for server in servers:
                throttle(server, PROFILES[name], args.per_connection)
            results[name] = measure_profile(
                p, exe, browser, base, PROFILES[name], args.profile_runs
            )
        for server in servers:
            throttle(server, PROFILES["fast"])
        browser.close()
    b = base["snap"]
    lh = (
        []
        if args.no_lighthouse or seen is None
        else lighthouse([b, b + "guides/decision/", b + CALC_PAGE])
    )
    for server in servers:
        server.shutdown()
    for site in sites.values():
        shutil.rmtree(site, ignore_errors=True)

    if seen is not None:
        print_unthrottled(seen, args.runs, lh, b, args.no_lighthouse)
    print_profiles(results, args.profile_runs, args.per_connection)
    return 0


if __name__ == "__main__":
    sys.exit(main())
