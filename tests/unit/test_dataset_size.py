"""Dataset size and labeling cost: seed 002's table comes back, overrides, edge cases, properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import InputError
from calculators._api import run
from calculators.dataset_size import (
    TASKS,
    Inputs,
    advice,
    compute,
    implied_rates,
    labeling_cost,
    labeling_hours,
    table_row,
)
from tests.answers import field_error

# Seed 002's data-requirement table (data/datasets.yaml): examples, labeling hours, labeling cost.
TABLE = {
    "simple": ((50, 100), (5, 15), (500, 2000)),
    "domain": ((500, 1000), (40, 80), (4000, 12000)),
    "classification": ((1000, 5000), (100, 200), (10000, 30000)),
}
ADVICE = dict(minimum=10, threshold=200, clear_gains=(50, 100))  # OpenAI guide; seed 002


class TestCompute:
    @pytest.mark.parametrize("task", TASKS)
    def test_table_rows_come_back_unchanged(self, task, data):
        # Seed 002's table, row by row, with nothing replaced.
        r = compute(Inputs(task=task), data)
        examples, hours, cost = TABLE[task]
        assert (r["examples_min"], r["examples_max"]) == examples
        assert (r["hours_min"], r["hours_max"]) == pytest.approx(hours)
        assert (r["cost_min"], r["cost_max"]) == pytest.approx(cost)
        assert (r["examples_to_label_min"], r["examples_to_label_max"]) == examples

    def test_seed_prose_example(self, data):
        # Seed 002: 1,000 examples take 40–80 hours (2.4–4.8 minutes each), $4,000–$12,000;
        # the low end at $100 an hour.
        r = compute(
            Inputs(task="domain", examples=1000, minutes_per_example=2.4, hourly_rate=100), data
        )
        assert (r["hours_min"], r["hours_max"]) == pytest.approx((40, 40))
        assert (r["cost_min"], r["cost_max"]) == pytest.approx((4000, 4000))

    def test_seed_prose_high_end(self, data):
        # 1,000 examples at 4.8 minutes and $150 an hour: 80 hours, $12,000 (seed 002).
        r = compute(
            Inputs(task="domain", examples=1000, minutes_per_example=4.8, hourly_rate=150), data
        )
        assert r["hours_max"] == pytest.approx(80)
        assert r["cost_max"] == pytest.approx(12000)

    def test_own_count_uses_both_implied_paces(self, data):
        # Classification: 100 h / 1,000 = 6 min; 200 h / 5,000 = 2.4 min; $100 and $150 an hour.
        r = compute(Inputs(task="classification", examples=3000), data)
        assert r["examples_min"] == r["examples_max"] == 3000
        assert (r["minutes_per_example_min"], r["minutes_per_example_max"]) == pytest.approx(
            (2.4, 6)
        )
        assert (r["hours_min"], r["hours_max"]) == pytest.approx((120, 300))
        # The high end reads 2.4 min at $150 (120 h → $18,000); the low end 6 min at $100.
        assert (r["cost_min"], r["cost_max"]) == pytest.approx((18000, 30000))

    def test_own_rate_replaces_the_table_rate_at_both_ends(self, data):
        r = compute(Inputs(task="simple", hourly_rate=50), data)
        assert (r["cost_min"], r["cost_max"]) == pytest.approx((5 * 50, 15 * 50))

    def test_examples_in_hand_are_subtracted(self, data):
        r = compute(Inputs(task="domain", examples_in_hand=300), data)
        assert (r["examples_to_label_min"], r["examples_to_label_max"]) == (200, 700)
        assert (r["hours_min"], r["hours_max"]) == pytest.approx((200 * 4.8 / 60, 700 * 4.8 / 60))

    def test_never_below_zero_to_label(self, data):
        r = compute(Inputs(task="simple", examples_in_hand=10_000), data)
        assert r["examples_to_label_max"] == 0
        assert r["cost_max"] == 0
        assert "nothing is left to label" in r["advice"]

    def test_review_share_adds_that_share_of_time(self, data):
        r = compute(Inputs(task="domain", review_share=0.25), data)
        assert (r["hours_min"], r["hours_max"]) == pytest.approx((50, 100))

    def test_ranges_for_display(self, data):
        out = run("dataset-size", {"task": "domain"}, data)
        assert out["display"]["examples_range"] == "500–1,000"
        assert out["display"]["hours_range"] == "40–80 hours"
        assert out["display"]["cost_range"] == "$4,000–$12,000"

    def test_exact_figures_show_one_number(self, data):
        raw = {"examples": "1000", "minutes-per-example": "2.4", "hourly-rate": "100"}
        out = run("dataset-size", raw, data)
        assert out["display"]["hours_range"] == "40 hours"
        assert out["display"]["cost_range"] == "$4,000"

    @pytest.mark.parametrize("name", ["domain-1000-at-100", "simple", "domain", "classification"])
    def test_named_scenarios_run(self, data, name):
        values = data["calculators"]["dataset-size"]["scenarios"][name]["values"]
        out = run("dataset-size", {k: str(v) for k, v in values.items()}, data)
        assert out["ok"]
        if name == "domain-1000-at-100":
            assert out["values"]["cost_max"] == pytest.approx(4000)
        else:
            assert out["values"]["cost_range"] == pytest.approx(list(TABLE[name][2]))


class TestTableRow:
    def test_reads_data(self, data):
        assert table_row(data, "classification") == {
            "examples": (1000, 5000),
            "hours": (100, 200),
            "cost": (10000, 30000),
        }


class TestImpliedRates:
    def test_simple(self):
        # 5 h / 50 = 6 min; 15 h / 100 = 9 min; $500 / 5 h = $100; $2,000 / 15 h ≈ $133.
        r = implied_rates({"examples": (50, 100), "hours": (5, 15), "cost": (500, 2000)})
        assert r["minutes_per_example"] == pytest.approx((6, 9))
        assert r["hourly_rate"] == pytest.approx((100, 2000 / 15))


class TestLabelingHours:
    def test_prose_pace(self):
        assert labeling_hours(1000, 2.4) == pytest.approx(40)

    def test_zero_examples(self):
        assert labeling_hours(0, 5) == 0


class TestLabelingCost:
    def test_product(self):
        assert labeling_cost(40, 100) == 4000


class TestAdvice:
    def test_below_openai_minimum(self):
        assert "will not start" in advice(5, 5, 5, **ADVICE)

    def test_under_prompting_threshold(self):
        text = advice(50, 100, 100, **ADVICE)
        assert "prompt engineering first" in text and "50–100" in text

    def test_straddles_threshold(self):
        assert "straddles 200" in advice(150, 300, 300, **ADVICE)

    def test_enough_to_fine_tune(self):
        assert "worth testing" in advice(500, 1000, 1000, **ADVICE)

    def test_threshold_from_data(self, data):
        # Seed 002's decision table: "under 200 labeled examples": 199 prompts first, 200 does not.
        assert (
            "prompt engineering first"
            in compute(Inputs(task="simple", examples=199), data)["advice"]
        )
        assert "worth testing" in compute(Inputs(task="simple", examples=200), data)["advice"]


class TestValidation:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("task", "huge", "task: must be one of simple, domain, classification"),
            ("examples", -1, "examples: must be at least 0 (got -1)"),
            ("examples", 2.5, "examples: must be a whole number (got 2.5)"),
            ("minutes_per_example", math.nan, "minutes-per-example: must be a number (got NaN)"),
            ("hourly_rate", 1e5, "hourly-rate: must be at most 10,000 (got 100,000)"),
            ("review_share", -0.1, "review-share: must be a share between 0 and 1 (got -0.1)"),
        ],
    )
    def test_message_names_the_field(self, field, value, message):
        with pytest.raises(InputError) as err:
            Inputs(**{"task": "domain", field: value})
        assert str(err.value) == message
        assert err.value.field == field.replace("_", "-")

    def test_raw_choice_error(self, data):
        out = run("dataset-size", {"task": "<b>x</b>"}, data)
        assert field_error(out) == {
            "ok": False,
            "field": "task",
            "message": "task: must be one of simple, domain, classification (got '<b>x</b>')",
        }


@settings(max_examples=500, deadline=None)
@given(
    task=st.sampled_from(TASKS),
    examples=st.integers(min_value=1, max_value=10**7),
    more=st.integers(min_value=0, max_value=10**7),
    in_hand=st.integers(min_value=0, max_value=10**7),
    review=st.floats(min_value=0, max_value=1),
)
def test_more_examples_never_cost_less(task, examples, more, in_hand, review, data):
    kw = dict(task=task, examples_in_hand=in_hand, review_share=review)
    a = compute(Inputs(examples=examples, **kw), data)
    b = compute(Inputs(examples=examples + more, **kw), data)
    assert b["cost_min"] >= a["cost_min"] and b["cost_max"] >= a["cost_max"]
    assert b["hours_max"] >= a["hours_max"]


@settings(max_examples=500, deadline=None)
@given(
    task=st.sampled_from(TASKS),
    in_hand=st.integers(min_value=0, max_value=10**7),
    more=st.integers(min_value=0, max_value=10**7),
    review=st.floats(min_value=0, max_value=1),
)
def test_more_in_hand_never_costs_more_and_min_never_exceeds_max(task, in_hand, more, review, data):
    a = compute(Inputs(task=task, examples_in_hand=in_hand, review_share=review), data)
    b = compute(Inputs(task=task, examples_in_hand=in_hand + more, review_share=review), data)
    assert b["cost_max"] <= a["cost_max"] and b["cost_min"] <= a["cost_min"]
    for r in (a, b):
        for key in ("examples", "examples_to_label", "hours", "cost"):
            assert 0 <= r[key + "_min"] <= r[key + "_max"]
