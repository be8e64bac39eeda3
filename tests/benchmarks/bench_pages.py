"""Performance figures of the built site, next to a bare Pyodide page from the same files.

Run with ``make bench`` (it installs what it needs). Prints a table: each figure is the median
of several runs, with min and max. This is a measurement, not a test: it asserts nothing.

What is measured (ms from navigation start unless said otherwise):
* first result visible: first contentful paint of a calculator page, and whether the results
  are already in that HTML (they are pre-rendered by the build);
* main thread blocked while Python boots: long-task time (tasks > 50 ms) between the worker's
  start and the runtime being live;
* time to a live recomputed result, cold (new browser profile) and warm (same profile, second
  visit): navigation to the first result computed by Python in the browser, for a scenario URL;
* the bare page: navigation to the first result of ``loadPyodide()`` + one ``runPython`` on the
  main thread, the way in-browser Python documentation tools load it;
* recompute: input change to the next frame after the new result is on the page (p50, p95);
* bytes: what a calculator page and a page without a calculator transfer, gzip-compressed as a
  static host (GitHub Pages) serves them;
* Lighthouse scores (home, a guide, a calculator), when ``node_modules/.bin/lighthouse`` exists.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path
from typing import ClassVar

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
CALC_PAGE = "calculators/break-even/"
SCENARIO = "?calls-per-day=5000&v=1"
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".xml", ".bin")

BARE_HTML = """<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module">
import { loadPyodide } from "../assets/pyodide/pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("../assets/pyodide/", location).href });
py.runPython("1 + 1");
performance.mark("bare-result");
document.title = "done";
</script>"""

LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]); })
  .observe({ type: "longtask", buffered: true });
"""


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves like a static host: gzip for text and wasm, and a 10-minute Cache-Control."""

    cache: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (
            "gzip" in self.headers.get("Accept-Encoding", "")
            and path.endswith(COMPRESSIBLE)
            and os.path.isfile(path)
        ):
            body = self.cache.get(path)
            if body is None:
                body = self.cache[path] = gzip.compress(Path(path).read_bytes(), 6)
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


def build(port: int, config_file: str) -> Path:
    out = Path(tempfile.mkdtemp(prefix="tob-bench-"))
    env = {**os.environ, "SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config_file, "-d", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    (out / "bench").mkdir()
    (out / "bench" / "bare.html").write_text(BARE_HTML, encoding="utf-8")
    return out


def serve(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


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
      const blocked = (window.__longtasks || []).filter(([s, d]) => s + d > boot && s < live)
        .reduce((a, [s, d]) => a + Math.min(s + d, live) - Math.max(s, boot), 0);
      const prerendered = document.querySelector("output[data-output]").textContent.trim() !== "";
      return { fcp: fcp ? fcp.startTime : null, live, result, blocked, prerendered };
    }""")


def measure_bare(page, url: str) -> float:
    page.goto(url)
    page.wait_for_function("document.title === 'done'", timeout=120_000)
    return page.evaluate("performance.getEntriesByName('bare-result')[0].startTime")


def recompute_latency(page, n: int = 60) -> list[float]:
    return page.evaluate(
        """async (n) => {
      const root = document.querySelector(".tob-calc");
      const input = root.querySelector("[name='calls-per-day']");
      const out = [];
      for (let i = 0; i < n; i++) {
        const done = new Promise((r) => root.addEventListener("tob:computed", r, { once: true }));
        const t0 = performance.now();
        input.value = String(40000 + i * 137);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await done;
        await new Promise((r) => requestAnimationFrame(() => r()));
        out.push(performance.now() - t0);
      }
      return out;
    }""",
        n,
    )


def transferred(browser, url: str) -> tuple[int, int]:
    """(all bytes, Python-runtime bytes) a fresh visit transfers, page and workers included.

    The runtime part is Pyodide's files plus what our worker adds: the memory snapshot, the
    calculators zip, the data JSON and the worker script."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[tuple[str, int]] = []

    def on_finished(request):
        s = request.sizes()
        sizes.append((request.url, s["responseBodySize"] + s["responseHeadersSize"]))

    context.on("requestfinished", on_finished)
    page.goto(url, wait_until="networkidle")
    if page.locator(".tob-calc").count():
        page.wait_for_function(
            "performance.getEntriesByName('tob-live').length > 0", timeout=120_000
        )
        page.wait_for_load_state("networkidle")
    context.close()
    python = ("/pyodide/", "/snapshot-", "/calculators-", "/worker-", "/data-")
    return sum(b for _, b in sizes), sum(b for u, b in sizes if any(p in u for p in python))


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-lighthouse", action="store_true")
    ap.add_argument("--config-file", default=str(ROOT / "mkdocs.yml"))
    args = ap.parse_args()
    port = free_port()
    site = build(port, args.config_file)
    server = serve(site, port)
    base = f"http://127.0.0.1:{port}/"
    exe = os.environ.get("CHROMIUM") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    figures: dict[str, list[float]] = {
        k: [] for k in ("fcp", "blocked", "cold", "warm", "bare_cold", "bare_warm")
    }
    prerendered = True
    latencies: list[float] = []
    with sync_playwright() as p:
        browser = (
            p.chromium.launch(executable_path=exe, args=FLAGS)
            if exe
            else p.chromium.launch(args=FLAGS)
        )
        for _ in range(args.runs):
            context = browser.new_context()
            context.add_init_script(LONGTASKS)
            page = context.new_page()
            cold = measure_calc(page, base + CALC_PAGE + SCENARIO)
            warm = measure_calc(page, base + CALC_PAGE + SCENARIO)
            prerendered &= cold["prerendered"]
            figures["fcp"].append(cold["fcp"])
            figures["blocked"].append(cold["blocked"])
            figures["cold"].append(cold["result"])
            figures["warm"].append(warm["result"])
            latencies += recompute_latency(page)
            context.close()
            context = browser.new_context()
            page = context.new_page()
            figures["bare_cold"].append(measure_bare(page, base + "bench/bare.html"))
            figures["bare_warm"].append(measure_bare(page, base + "bench/bare.html"))
            context.close()
        calc_bytes, calc_pyodide = transferred(browser, base + CALC_PAGE)
        guide = next(
            (p for p in ("guides/decision/", "") if (site / p / "index.html").exists()), ""
        )
        plain_bytes, plain_pyodide = transferred(browser, base + guide)
        browser.close()
    lh = (
        []
        if args.no_lighthouse
        else lighthouse([base, base + "guides/decision/", base + CALC_PAGE])
    )
    server.shutdown()
    shutil.rmtree(site, ignore_errors=True)

    lat = sorted(latencies)
    p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
    ratio = lambda a, b: statistics.median(a) / statistics.median(b)  # noqa: E731
    print(
        f"Tune or Build page benchmark: {args.runs} runs, median (min–max), ms from navigation start"
    )
    print(f"{'figure':<58} {'calculator page':>22} {'bare Pyodide page':>22}")
    print(
        f"{'first contentful paint, results pre-rendered: ' + ('yes' if prerendered else 'NO'):<58} {stats(figures['fcp']):>22} {'':>22}"
    )
    print(
        f"{'main thread long tasks while Python boots (total ms)':<58} {stats(figures['blocked']):>22} {'':>22}"
    )
    print(
        f"{'first Python result, cold':<58} {stats(figures['cold']):>22} {stats(figures['bare_cold']):>22}"
    )
    print(
        f"{'first Python result, warm':<58} {stats(figures['warm']):>22} {stats(figures['bare_warm']):>22}"
    )
    print(
        f"{'ratio to bare page, cold / warm':<58} {ratio(figures['cold'], figures['bare_cold']):>14.2f} / {ratio(figures['warm'], figures['bare_warm']):.2f}"
    )
    print(
        f"{'recompute, input change to next frame: p50 / p95 (ms)':<58} {statistics.median(lat):>14.1f} / {p95:.1f}"
    )
    print(
        f"{'bytes transferred (gzip), calculator page / its Python runtime':<58} {calc_bytes:>14,} / {calc_pyodide:,}"
    )
    print(
        f"{'bytes transferred (gzip), page without calculator / Python runtime':<58} {plain_bytes:>14,} / {plain_pyodide:,}"
    )
    for url, scores in lh:
        print(
            f"Lighthouse {url[len(base) - 1 :]:<30} "
            + "  ".join(f"{k} {v}" for k, v in scores.items())
        )
    if not lh and not args.no_lighthouse:
        print("Lighthouse: not run (node_modules/.bin/lighthouse or Chromium missing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
