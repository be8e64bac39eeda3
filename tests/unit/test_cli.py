"""The command line: flags from declared inputs, JSON out, one-line errors with status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from calculators import REGISTRY
from calculators.__main__ import main

SEED_ARGS = [
    "break-even",
    "--calls-per-day",
    "50000",
    "--prompt-tokens-before",
    "1500",
    "--prompt-tokens-after",
    "200",
    "--input-price",
    "2.5",
    "--fine-tuned-input-price",
    "2.5",
    "--project-cost",
    "15000",
]


def test_issue_example_prints_one_json_object(capsys):
    # The command from the foundation issue; numbers from seed 002's break-even paragraph.
    assert main([*SEED_ARGS, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["monthly_cost_before"] == pytest.approx(5625)
    assert out["monthly_cost_after"] == pytest.approx(750)
    assert out["monthly_savings"] == pytest.approx(4875)
    assert out["payback_months"] == pytest.approx(3.0769, abs=1e-4)


def test_never_paying_back_is_null(capsys):
    assert main([*SEED_ARGS, "--hosting-per-month", "9000", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["payback_months"] is None


def test_readable_summary_without_json(capsys):
    assert main(SEED_ARGS) == 0
    out = capsys.readouterr().out
    assert "Payback: 3.1 months" in out and "$4,875" in out


@pytest.mark.parametrize(
    ("flag", "value", "field"),
    [
        ("--calls-per-day", "-3", "calls-per-day"),
        ("--calls-per-day", "lots", "calls-per-day"),
        ("--cached-share", "1.5", "cached-share"),
        ("--input-price", "inf", "input-price"),
        ("--input-price", "1e309", "input-price"),
    ],
)
def test_invalid_value_exits_2_with_one_line_naming_the_field(capsys, flag, value, field):
    assert main(["break-even", flag, value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {field}: ")


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_every_calculator_has_help_and_runs_on_defaults(slug):
    for args in ([slug, "--help"], [slug, "--json"]):
        done = subprocess.run(
            [sys.executable, "-m", "calculators", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)
