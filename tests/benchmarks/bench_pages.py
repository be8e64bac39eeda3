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
* the same cold and warm figures for a build without the memory snapshot, to show its cost
  in bytes against its gain in time;
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
sys.path.insert(0, str(ROOT))  # run as a script: make tests.chromium importable
from tests.chromium import FLAGS  # noqa: E402 (after the path is set)

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
      // Tasks that start while Python boots; the page's own start-up tasks (the theme's
      // scripts, on every page) come before the worker starts and are counted apart.
      const tasks = window.__longtasks || [];
      const blocked = tasks.filter(([s]) => s >= boot && s < live).reduce((a, [, d]) => a + d, 0);
      const startup = tasks.filter(([s]) => s < boot).reduce((a, [, d]) => a + d, 0);
      const prerendered = document.querySelector("output[data-output]").textContent.trim() !== "";
      return { fcp: fcp ? fcp.startTime : null, live, result, blocked, startup, prerendered };
    }""")


def measure_bare(page, url: str) -> float:
    page.goto(url)
    page.wait_for_function("document.title === 'done'", timeout=120_000)
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-lighthouse", action="store_true")
    ap.add_argument("--config-file", default=str(ROOT / "mkdocs.yml"))
    args = ap.parse_args()
    # The site as built (with the memory snapshot) and the same site without it.
    ports = {"snap": free_port(), "plain": free_port()}
    sites = {k: build(port, args.config_file, snapshot=(k == "snap")) for k, port in ports.items()}
    servers = [serve(sites[k], ports[k]) for k in ports]
    base = {k: f"http://127.0.0.1:{port}/" for k, port in ports.items()}
    exe = os.environ.get("CHROMIUM") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
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
    with sync_playwright() as p:
        browser = (
            p.chromium.launch(executable_path=exe, args=FLAGS)
            if exe
            else p.chromium.launch(args=FLAGS)
        )
        for _ in range(args.runs):
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
        calc_bytes, calc_python = transferred(browser, base["snap"] + CALC_PAGE)
        nosnap_bytes, nosnap_python = transferred(browser, base["plain"] + CALC_PAGE)
        guide = plain_page(sites["snap"])
        plain_bytes, plain_python = transferred(browser, base["snap"] + guide)
        browser.close()
    b = base["snap"]
    lh = [] if args.no_lighthouse else lighthouse([b, b + "guides/decision/", b + CALC_PAGE])
    for server in servers:
        server.shutdown()
    for site in sites.values():
        shutil.rmtree(site, ignore_errors=True)

    in_page = [a for a, _ in latencies]
    to_frame = [f for _, f in latencies]
    ratio = lambda a, b: statistics.median(a) / statistics.median(b)  # noqa: E731
    w = 52
    print(
        f"Tune or Build page benchmark: {args.runs} runs, median (min–max), ms from navigation start"
    )
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
    if not lh and not args.no_lighthouse:
        print("Lighthouse: not run (node_modules/.bin/lighthouse or Chromium missing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
