"""Total cost over time: the seed's chatbot, platform risk, crossovers and properties."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import InputError, break_even
from calculators._api import run
from calculators._data import load_tree
from calculators._svg import LAYOUTS
from calculators.total_cost import (
    APPROACHES,
    Inputs,
    Plan,
    compute,
    crossovers,
    cumulative,
    months_until,
)
from tests.answers import field_error

DATA = load_tree(Path(__file__).resolve().parents[2] / "data")

# Seed 002's chatbot: 50,000 calls/day, 1,500 → 200 prompt tokens, $15,000 project, GPT-4o list
# prices (OpenAI, Oct 2024) and fine-tuned GPT-4o list prices. Every other cost is off, so each
# expected value below is plain arithmetic on these numbers.
SEED = dict(
    months=36,
    calls_per_day=50_000,
    prompt_tokens_before=1500,
    prompt_tokens_after=200,
    input_price=2.5,
    cached_input_price=1.25,
    output_price=10,
    fine_tuned_input_price=3.75,
    fine_tuned_cached_input_price=1.875,
    fine_tuned_output_price=15,
    retrieved_tokens=0,
    rag_setup_cost=0,
    rag_monthly_cost=0,
    embedded_tokens_per_month=0,
    embedding_price=0.02,
    project_cost=15_000,
    retrain_every_months=0,
    retrain_cost=0,
    hosted_fine_tune=False,
    start_date="2026-12-01",
    shutdown_date="2027-01-14",
    migration_cost=0,
    custom_build_cost=1_000_000,
    custom_build_months=6,
    custom_monthly_cost=25_000,
)


def make(**changes) -> Inputs:
    return Inputs(**{**SEED, **changes})


class TestSeedChatbot:
    def test_monthly_bills(self):
        r = compute(make())
        # 1.5M calls a month × 1,500 tokens × $2.50 / 1M = $5,625 (seed 002's $5,600).
        assert r["monthly_prompting"] == pytest.approx(5625)
        # 1.5M × 200 × $3.75 / 1M = $1,125 (fine-tuned GPT-4o list price, facts.md).
        assert r["monthly_fine_tuning"] == pytest.approx(1125)

    def test_totals_over_three_years(self):
        r = compute(make())
        assert r["total_prompting"] == pytest.approx(36 * 5625)
        assert r["total_fine_tuning"] == pytest.approx(15_000 + 36 * 1125)
        # $1M build, 6 months of prompting while it is built, 30 months at $25,000.
        assert r["total_custom_model"] == pytest.approx(1_000_000 + 6 * 5625 + 30 * 25_000)
        assert r["cheapest"] == "fine-tuning"

    def test_payback_and_crossover_agree_without_one_offs(self):
        r = compute(make())
        assert r["payback_months"] == pytest.approx(15_000 / 4500)
        ft = [c for c in r["crossovers"] if {c["a"], c["b"]} == {"fine-tuning", "prompting"}]
        assert ft == [{"a": "fine-tuning", "b": "prompting", "month": pytest.approx(15_000 / 4500)}]

    def test_series_ends_at_the_totals(self):
        r = compute(make())
        assert r["series"]["month"] == list(range(37))
        for a in APPROACHES:
            assert r["series"][a][-1] == r["total_" + a.replace("-", "_")]

    def test_seed_002_scenario_in_data(self):
        # The named scenario guide writers link to; its preset gives fine-tuned GPT-4o prices.
        scenario = DATA["calculators"]["total-cost"]["scenarios"]["seed-002-chatbot"]["values"]
        raw = {k: str(v) for k, v in scenario.items()}
        out = run("total-cost", raw, DATA)
        assert out["ok"], out
        assert out["values"]["monthly_prompting"] == pytest.approx(5625)
        assert out["values"]["monthly_fine_tuning"] == pytest.approx(1125)


class TestPaybackMatchesBreakEven:
    def test_seed_defaults(self):
        r = compute(make())
        be = break_even.compute(break_even.Inputs(**_break_even_args(make())))
        assert r["payback_months"] == be["payback_months"]


def _break_even_args(i: Inputs) -> dict:
    """The payback calculator's inputs for the same scenario (project = project + data)."""
    return dict(
        calls_per_day=i.calls_per_day,
        prompt_tokens_before=i.prompt_tokens_before,
        prompt_tokens_after=i.prompt_tokens_after,
        other_input_tokens=i.other_input_tokens,
        output_tokens=i.output_tokens,
        input_price=i.input_price,
        cached_input_price=i.cached_input_price,
        output_price=i.output_price,
        fine_tuned_input_price=i.fine_tuned_input_price,
        fine_tuned_cached_input_price=i.fine_tuned_cached_input_price,
        fine_tuned_output_price=i.fine_tuned_output_price,
        cached_share=i.cached_share,
        hosting_per_month=i.hosting_per_month,
        project_cost=i.project_cost + i.data_cost,
        days_per_month=i.days_per_month,
    )


tokens = st.integers(min_value=0, max_value=20_000)
prices = st.floats(min_value=0, max_value=100, allow_nan=False)
money = st.floats(min_value=0, max_value=1e7, allow_nan=False)


@settings(max_examples=500, deadline=None)
@given(
    calls=st.floats(min_value=0, max_value=1e7, allow_nan=False),
    before=tokens,
    after=tokens,
    other=tokens,
    out=tokens,
    p=st.tuples(prices, prices, prices, prices, prices, prices),
    cached=st.floats(min_value=0, max_value=1),
    hosting=money,
    project=money,
    data_cost=money,
    days=st.floats(min_value=1, max_value=31),
    retrain=st.integers(min_value=0, max_value=24),
    hosted=st.booleans(),
)
def test_fine_tuning_payback_equals_the_payback_calculators(
    calls, before, after, other, out, p, cached, hosting, project, data_cost, days, retrain, hosted
):
    # One formula in one place: whatever the inputs, both pages give the same payback,
    # and retraining or platform risk do not change it (they move the crossover instead).
    i = make(
        calls_per_day=calls,
        prompt_tokens_before=before,
        prompt_tokens_after=after,
        other_input_tokens=other,
        output_tokens=out,
        input_price=p[0],
        cached_input_price=p[1],
        output_price=p[2],
        fine_tuned_input_price=p[3],
        fine_tuned_cached_input_price=p[4],
        fine_tuned_output_price=p[5],
        cached_share=cached,
        hosting_per_month=hosting,
        project_cost=project,
        data_cost=data_cost,
        days_per_month=days,
        retrain_every_months=retrain,
        retrain_cost=1000,
        hosted_fine_tune=hosted,
        migration_cost=5000,
    )
    be = break_even.compute(break_even.Inputs(**_break_even_args(i)))
    r = compute(i)
    assert r["payback_months"] == be["payback_months"]
    assert r["payback_reason"] == be["payback_reason"]
    assert r["monthly_prompting"] == be["monthly_cost_before"]
    assert r["monthly_fine_tuning"] == be["monthly_cost_after"]


class TestPlatformRisk:
    def test_months_until_shutdown(self):
        # data/platform.yaml: fine-tuned GPT-4o stops serving on 14 January 2027.
        import datetime as dt

        assert months_until(dt.date(2026, 12, 1), dt.date(2027, 1, 14)) == 1
        assert months_until(dt.date(2026, 1, 14), dt.date(2027, 1, 14)) == 12
        assert months_until(dt.date(2027, 2, 1), dt.date(2027, 1, 14)) == 0

    def test_migration_is_paid_at_the_shutdown_month(self):
        r = compute(make(hosted_fine_tune=True, migration_cost=5000))
        assert r["migration_month"] == 1
        assert r["series"]["fine-tuning"][1] - r["series"]["fine-tuning"][0] == pytest.approx(
            1125 + 5000
        )
        assert r["total_fine_tuning"] == pytest.approx(15_000 + 36 * 1125 + 5000)
        assert "14 January 2027" in r["platform_note"]

    def test_migration_delays_the_crossover_but_not_the_payback(self):
        r = compute(make(hosted_fine_tune=True, migration_cost=5000))
        assert r["payback_months"] == pytest.approx(15_000 / 4500)
        ft = next(c for c in r["crossovers"] if c["a"] == "fine-tuning" and c["b"] == "prompting")
        # Fine-tuning has cost $20,000 + $1,125 a month; prompting $5,625 a month: 20,000 / 4,500.
        assert ft["month"] == pytest.approx(20_000 / 4500)

    def test_shutdown_after_the_horizon_costs_nothing(self):
        r = compute(
            make(hosted_fine_tune=True, migration_cost=5000, months=12, start_date="2025-01-01")
        )
        # 1 January 2025 to 14 January 2027 is 24 whole months: past a 12-month horizon.
        assert r["migration_month"] is None
        assert r["total_fine_tuning"] == pytest.approx(15_000 + 12 * 1125)

    def test_start_after_shutdown_pays_migration_at_once(self):
        r = compute(make(hosted_fine_tune=True, migration_cost=5000, start_date="2027-03-01"))
        assert r["migration_month"] == 0
        assert r["series"]["fine-tuning"][0] == pytest.approx(20_000)
        assert "before the start date" in r["platform_note"]

    def test_switch_off(self):
        r = compute(make(hosted_fine_tune=False, migration_cost=5000))
        assert r["migration_month"] is None


class TestRetrainingAndRag:
    def test_retraining_every_12_months(self):
        r = compute(make(retrain_every_months=12, retrain_cost=2000))
        # Paid at months 12, 24 and 36.
        assert r["total_fine_tuning"] == pytest.approx(15_000 + 36 * 1125 + 3 * 2000)

    def test_rag_adds_retrieved_tokens_and_fixed_costs(self):
        r = compute(
            make(
                retrieved_tokens=1000,
                rag_setup_cost=5000,
                rag_monthly_cost=100,
                embedded_tokens_per_month=10_000_000,
            )
        )
        # 1.5M calls × 2,500 input tokens × $2.50 / 1M + $100 + 10M × $0.02 / 1M.
        assert r["monthly_rag"] == pytest.approx(9375 + 100 + 0.2)
        assert r["total_rag"] == pytest.approx(5000 + 36 * (9375 + 100.2))

    def test_custom_model_still_building_at_the_horizon(self):
        r = compute(make(months=3, custom_build_months=6))
        assert r["total_custom_model"] == pytest.approx(1_000_000 + 3 * 5625)


class TestCrossovers:
    def test_none_when_lines_never_meet(self):
        plans = {"prompting": Plan(0.0, [1.0] * 5), "rag": Plan(10.0, [2.0] * 5)}
        assert crossovers(plans) == []

    def test_equal_lines_do_not_cross(self):
        plans = {"prompting": Plan(0.0, [1.0] * 5), "rag": Plan(0.0, [1.0] * 5)}
        assert crossovers(plans) == []

    def test_a_one_off_cost_crosses_back(self):
        # Fine-tuning overtakes at 2.0 months, then a $100 one-off in month 4 puts it back above.
        plans = {
            "prompting": Plan(0.0, [10.0] * 6),
            "fine-tuning": Plan(10.0, [5.0] * 6, {4: 100.0}),
        }
        got = [(c["a"], c["b"], c["month"]) for c in crossovers(plans)]
        assert got[0] == ("fine-tuning", "prompting", pytest.approx(2.0))
        assert got[1] == ("prompting", "fine-tuning", 4.0)

    def test_cumulative_counts_month_zero_one_offs(self):
        assert cumulative(Plan(1.0, [1.0], {0: 2.0})) == [3.0, 4.0]


class TestValidation:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("months", 0, "months: must be at least 1 (got 0)"),
            ("months", 2.5, "months: must be a whole number (got 2.5)"),
            ("retrain_cost", -1, "retrain-cost: must be at least 0 (got -1)"),
            (
                "start_date",
                "tomorrow",
                "start-date: must be a date written YYYY-MM-DD (got 'tomorrow')",
            ),
            (
                "shutdown_date",
                "2027-02-30",
                "shutdown-date: must be a real calendar date (got '2027-02-30')",
            ),
            (
                "start_date",
                "1999-12-31",
                "start-date: must be between 2000 and 2100 (got '1999-12-31')",
            ),
            ("custom_build_months", 121, "custom-build-months: must be at most 120 (got 121)"),
        ],
    )
    def test_message_names_the_field(self, field, value, message):
        with pytest.raises(InputError) as err:
            make(**{field: value})
        assert str(err.value) == message
        assert err.value.field == field.replace("_", "-")

    def test_raw_date_through_the_api(self):
        out = run("total-cost", {"start-date": "01/12/2026"}, DATA)
        assert field_error(out) == {
            "ok": False,
            "field": "start-date",
            "message": "start-date: must be a date written YYYY-MM-DD (got '01/12/2026')",
        }

    def test_defaults_from_data_compute(self):
        out = run("total-cost", {}, DATA)
        assert out["ok"], out
        # December 2026 defaults: an open-weight LoRA with no shutdown announced, so no
        # migration; prompting by hand: 1,500 x 50,000 x 30 = 2.25e9 tokens x $0.10 per 1M
        # (GPT-6 Luna) = $225 a month.
        assert out["values"]["migration_month"] is None
        assert out["display"]["monthly_prompting"] == "$225"
        # Four lines in each of the chart's two layouts (wide and narrow).
        assert out["chart"].count('class="series') == 4 * len(LAYOUTS)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(min_value=1, max_value=120), more=st.integers(min_value=0, max_value=60))
def test_totals_never_fall_as_the_horizon_grows(n, more):
    i = make(hosted_fine_tune=True, migration_cost=5000, retrain_every_months=7, retrain_cost=900)
    a = compute(dataclasses.replace(i, months=n))
    b = compute(dataclasses.replace(i, months=n + more))
    for name in APPROACHES:
        key = "total_" + name.replace("-", "_")
        assert b[key] >= a[key]
        series = b["series"][name]
        assert all(x <= y for x, y in itertools.pairwise(series))


@settings(max_examples=300, deadline=None)
@given(
    months=st.integers(min_value=1, max_value=60), retrain=st.integers(min_value=0, max_value=13)
)
def test_every_crossover_is_a_real_change_of_order(months, retrain):
    r = compute(
        make(
            months=months,
            retrain_every_months=retrain,
            retrain_cost=30_000,
            hosted_fine_tune=True,
            migration_cost=40_000,
            start_date="2026-06-01",
        )
    )
    s = r["series"]
    last: dict[frozenset, dict] = {}
    for c in r["crossovers"]:
        assert 0 <= c["month"] <= months
        pair = frozenset((c["a"], c["b"]))
        if pair in last:  # crossings of one pair alternate: a overtakes b, then b overtakes a
            assert last[pair]["a"] == c["b"]
        last[pair] = c
    for c in last.values():
        # After its last crossing, a is still no dearer than b at the horizon.
        assert s[c["a"]][-1] <= s[c["b"]][-1] + 1e-6
