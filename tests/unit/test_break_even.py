"""Fine-tuning payback: the seed's worked example, edge cases and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import InputError
from calculators._api import run
from calculators.break_even import Inputs, break_even_calls_per_day, compute, payback

# Seed 002's break-even paragraph: 50,000 calls/day, 1,500 → 200 prompt tokens, GPT-4o at
# $2.50 per 1M input tokens for both models, $15,000 project.
SEED = dict(
    calls_per_day=50_000,
    prompt_tokens_before=1500,
    prompt_tokens_after=200,
    input_price=2.5,
    cached_input_price=1.25,
    output_price=10,
    fine_tuned_input_price=2.5,
    fine_tuned_cached_input_price=1.25,
    fine_tuned_output_price=10,
    project_cost=15_000,
)


class TestCompute:
    def test_seed_example(self):
        r = compute(Inputs(**SEED))
        assert r["monthly_cost_before"] == pytest.approx(5625)
        assert r["monthly_cost_after"] == pytest.approx(750)
        assert r["monthly_savings"] == pytest.approx(4875)
        assert r["payback_months"] == pytest.approx(15_000 / 4875)

    def test_seed_example_at_5000_calls(self):
        # Seed 002: "a 30-month payback period" at 5,000 calls a day.
        r = compute(Inputs(**{**SEED, "calls_per_day": 5000}))
        assert r["payback_months"] == pytest.approx(30.77, abs=0.01)

    def test_real_fine_tuned_prices_lengthen_payback(self):
        # facts.md: fine-tuned GPT-4o input is $3.75 per 1M, not $2.50.
        r = compute(Inputs(**{**SEED, "fine_tuned_input_price": 3.75}))
        assert r["monthly_cost_after"] == pytest.approx(1125)
        assert r["payback_months"] == pytest.approx(15_000 / 4500)

    def test_caching_applies_to_prompt_tokens_only(self):
        r = compute(Inputs(**{**SEED, "cached_share": 1.0, "other_input_tokens": 100}))
        # 1,500 prompt tokens at $1.25 + 100 other at $2.50, per 1M, × 1.5M calls a month.
        assert r["monthly_cost_before"] == pytest.approx(1.5e6 * (1500 * 1.25 + 100 * 2.5) / 1e6)

    def test_output_tokens_are_paid_in_both_setups(self):
        r = compute(Inputs(**{**SEED, "output_tokens": 100, "fine_tuned_output_price": 15}))
        assert r["monthly_cost_before"] - 5625 == pytest.approx(1.5e6 * 100 * 10 / 1e6)
        assert r["monthly_cost_after"] - 750 == pytest.approx(1.5e6 * 100 * 15 / 1e6)

    def test_hosting_fee_can_stop_payback(self):
        r = compute(Inputs(**{**SEED, "hosting_per_month": 5000}))
        assert r["payback_months"] is None
        assert "never pays back" in r["payback_reason"]

    def test_equal_costs_never_pay_back(self):
        r = compute(Inputs(**{**SEED, "prompt_tokens_after": 1500}))
        assert r["payback_months"] is None
        assert "same" in r["payback_reason"]

    def test_zero_project_cost_pays_back_at_once(self):
        assert compute(Inputs(**{**SEED, "project_cost": 0}))["payback_months"] == 0

    def test_cumulative_lines_cross_at_payback(self):
        r = compute(Inputs(**SEED))
        before = dict((m, b) for m, b, _ in r["cumulative"])
        after = dict((m, a) for m, _, a in r["cumulative"])
        assert after[3] > before[3] and after[4] < before[4]  # payback ≈ 3.08 months


class TestPayback:
    def test_none_reason_when_savings_negative(self):
        months, reason = payback(1000, -1)
        assert months is None and reason


class TestBreakEvenCallsPerDay:
    def test_pays_back_exactly_at_horizon(self):
        n = break_even_calls_per_day(15_000, 12, 0.00325, 0, 30)
        r = compute(Inputs(**{**SEED, "calls_per_day": n}))
        assert r["payback_months"] == pytest.approx(12)

    def test_no_saving_per_call(self):
        assert break_even_calls_per_day(15_000, 12, 0, 0, 30) is None


class TestValidation:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("calls_per_day", -3, "calls-per-day: must be at least 0 (got -3)"),
            ("cached_share", 1.5, "cached-share: must be a share between 0 and 1 (got 1.5)"),
            ("input_price", math.inf, "input-price: must be a finite number (got infinity)"),
            ("input_price", math.nan, "input-price: must be a number (got NaN)"),
            ("prompt_tokens_before", 1.5, "prompt-tokens-before: must be a whole number (got 1.5)"),
        ],
    )
    def test_message_names_the_field(self, field, value, message):
        with pytest.raises(InputError) as err:
            Inputs(**{**SEED, field: value})
        assert str(err.value) == message
        assert err.value.field == field.replace("_", "-")


class TestRawInput:
    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("abc", "calls-per-day: must be a number (got 'abc')"),
            ("", "calls-per-day: is required"),
            ("1e309", "calls-per-day: must be a finite number (got infinity)"),
            ("NaN", "calls-per-day: must be a number (got NaN)"),
            ("-Infinity", "calls-per-day: must be a finite number (got infinity)"),
            ("9" * 40, "calls-per-day: must be at most 1,000,000,000 (got 1e+40)"),
            (
                "<script>alert(1)</script>",
                "calls-per-day: must be a number (got '<script>alert(1)</scr...')",
            ),
        ],
    )
    def test_hostile_values_give_field_errors(self, data, raw, message):
        out = run("break-even", {"calls-per-day": raw}, data)
        assert out.pop("inputs")["calls-per-day"] == raw  # the form keeps what was typed
        assert "calls-per-day=" in out.pop("query")  # and so does the scenario link
        assert out == {"ok": False, "field": "calls-per-day", "message": message}

    def test_separators_are_accepted(self, data):
        out = run("break-even", {"calls-per-day": "50,000", "project-cost": "$15,000"}, data)
        # By hand, on the December 2026 defaults (GPT-6 Luna $0.10 per 1M input tokens, Fireworks
        # GLM-5.3-Flash $0.15): 1,500 x 50,000 x 30 = 2.25e9 tokens -> $225 a month; 200 x
        # 50,000 x 30 = 3e8 tokens -> $45; saving $180; 15,000 / 180 = 83.3 months.
        assert out["display"]["payback_months"] == "83.3 months"


finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=500, deadline=None)
@given(calls=st.floats(min_value=1, max_value=1e7), more=st.floats(min_value=1, max_value=100))
def test_more_calls_never_lengthen_payback(calls, more):
    # "Never" (None) counts as an infinitely long payback.
    a = compute(Inputs(**{**SEED, "calls_per_day": calls}))["payback_months"]
    b = compute(Inputs(**{**SEED, "calls_per_day": calls * more}))["payback_months"]
    a = math.inf if a is None else a
    b = math.inf if b is None else b
    assert b <= a * (1 + 1e-9)
