"""Time to check a 100 MB training file in the page, in Chromium (run by ``make bench``).

Builds and serves the site like a static host (bench_pages.py's build and server), opens the
training-file check, starts its Python with a one-line check, then gives the file picker a
100 MB JSONL file written to disk (tests/training_files.py) and times from choosing the file to
the report being shown: reading, handing 4 MB chunks to the worker, parsing, checking, counting
tokens and pricing. It prints the median of several runs with min and max, and the same file
checked by the CLI in CPython for comparison. A measurement, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: make tests.* importable
from tests.benchmarks.bench_pages import build, free_port, serve  # noqa: E402
from tests.chromium import FLAGS  # noqa: E402
from tests.training_files import MB, write_training_file  # noqa: E402

PAGE = "calculators/training-file/"
DONE = "Checked {} in this page; nothing was uploaded."


def check_in_page(page, base: str, path: Path) -> float:
    """Seconds from choosing ``path`` to its report, with Python already running."""
    page.goto(base + PAGE)
    root = page.locator("[data-filecheck]")
    status = root.get_by_role("status").first
    root.get_by_label("Or paste a few lines of JSONL").fill(
        '{"prompt": "Hi", "completion": " Hello"}'
    )
    root.get_by_role("button", name="Check the pasted lines").click()
    status.filter(has_text=DONE.format("the pasted lines")).wait_for(timeout=120_000)
    start = time.perf_counter()
    root.get_by_label("Training file (JSONL)").set_input_files(path)
    status.filter(has_text=DONE.format(path.name)).wait_for(timeout=900_000)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--megabytes", type=int, default=100)
    args = ap.parse_args()
    port = free_port()
    site = build(port, str(ROOT / "mkdocs.yml"))
    server = serve(site, port)
    exe = os.environ.get("CHROMIUM") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"train-{args.megabytes}mb.jsonl"
        holds = write_training_file(path, args.megabytes * MB)
        page_times = []
        with sync_playwright() as p:
            launch = {"args": ["--headless", *FLAGS], **({"executable_path": exe} if exe else {})}
            browser = p.chromium.launch(**launch)
            for _ in range(args.runs):
                context = browser.new_context()
                page_times.append(
                    check_in_page(context.new_page(), f"http://127.0.0.1:{port}/", path)
                )
                context.close()
            browser.close()
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "calculators", "training-file", str(path), "--json"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        cli = time.perf_counter() - start
    server.shutdown()
    size = holds["bytes"] / MB
    print(
        f"Training-file check of a {size:.0f} MB file ({holds['lines']:,} lines), {os.cpu_count()} cores"
    )
    print(f"  in the page (Chromium, Pyodide): {statistics.median(page_times):6.1f} s "
          f"(min {min(page_times):.1f}, max {max(page_times):.1f}, {len(page_times)} runs)")  # fmt: skip
    print(f"  CLI (CPython):                   {cli:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
