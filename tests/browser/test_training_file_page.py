"""The training-file check in a real browser: the example report without JavaScript, a broken
file's errors by line, a file that is not JSONL, a 100 MB file given by path with progress,
and no request at all while a file is checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from calculators import training_file as tf
from tests.training_files import write_training_file

from .pages import TrainingFilePage, no_javascript

BROKEN = Path(__file__).resolve().parents[1] / "unit" / "fixtures" / "broken-training-file.jsonl"
BIG_TIMEOUT = 600_000  # ms: 100 MB through Python on a loaded 2-core machine


def test_the_example_report_is_in_the_html_without_javascript(browser, base_url, data):
    example = (
        Path(__file__).resolve().parents[2]
        / "docs"
        / data["calculators"]["training-file"]["example"]
    )
    expected = tf.report(tf.check_bytes(example.read_bytes()), tf.parse({}, data), data)
    with no_javascript(browser, base_url + "calculators/training-file/") as page:
        p = TrainingFilePage(page, base_url)
        expect(p.fact("examples")).to_have_text(f"{expected['examples']:,}")
        expect(p.verdict()).to_have_text(expected["verdict"])
        expect(p.report).to_contain_text("No format errors.")


def test_a_broken_file_lists_every_error_with_its_line(page: Page, base_url, problems):
    p = TrainingFilePage(page, base_url).open()
    p.choose(BROKEN)
    p.wait_checked(BROKEN.name)
    rows = p.table_rows("errors")
    expect(rows).to_have_count(7)
    # Lines of the fixture, each written to break one rule (tests/unit/test_training_file.py).
    for line, kind in [(2, "invalid-json"), (3, "missing-role"), (4, "empty-content"),
                       (5, "wrong-role-order"), (6, "no-assistant-message"),
                       (9, "unknown-format"), (10, "mixed-formats")]:  # fmt: skip
        expect(rows.filter(has_text=tf.ERROR_KINDS[kind]).first.locator("td").first).to_have_text(
            str(line)
        )
    expect(p.table_rows("duplicates")).to_have_count(1)
    expect(p.fact("examples")).to_have_text("2")
    assert problems == []


def test_changing_the_context_length_recounts_without_reading_again(page: Page, base_url):
    p = TrainingFilePage(page, base_url).open()
    p.choose(BROKEN)
    p.wait_checked(BROKEN.name)
    expect(p.fact("over-length")).to_have_text("0")
    p.field("Context length").fill("5")
    p.field("Context length").dispatch_event("change")
    expect(p.fact("over-length")).to_have_text("2")
    p.field("Context length").fill("lots")
    p.field("Context length").dispatch_event("change")
    expect(
        p.form.get_by_role("alert").filter(has_text="context-tokens: must be a number")
    ).to_be_visible()


def test_a_file_that_is_not_jsonl_gets_a_clear_message(page: Page, base_url):
    p = TrainingFilePage(page, base_url).open()
    p.paste("question,answer\nWhat is LoRA?,A way to fine-tune fewer weights.\n")
    p.wait_checked("the pasted lines")
    expect(p.verdict()).to_have_text(re.compile(r"^This is not a JSONL training file"))


def test_a_100_mb_file_by_path_shows_progress_and_makes_no_request(
    page: Page, base_url, tmp_path, requests_seen
):
    big = tmp_path / "train-100mb.jsonl"
    holds = write_training_file(big)
    p = TrainingFilePage(page, base_url).open()
    # Start the runtime with a small check first, so every request the page needs is made.
    p.paste(json.dumps({"prompt": "Hi", "completion": " Hello"}))
    p.wait_checked("the pasted lines")
    requests_seen.clear()
    p.choose(big)
    expect(p.progress).to_be_visible()
    expect(p.root.locator("[data-progress-text]")).to_have_text(re.compile(r"of 100 MB$"))
    p.wait_checked(big.name, timeout=BIG_TIMEOUT)
    expect(p.fact("errors")).to_have_text(f"{holds['broken']:,}")
    expect(p.fact("duplicates")).to_have_text(f"{holds['repeated']:,}")
    expect(p.fact("examples")).to_have_text(f"{holds['lines'] - holds['broken']:,}")
    assert requests_seen == [], requests_seen
