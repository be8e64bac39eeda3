"""Training-run cost: the sources' worked examples, OpenAI's epoch rule, edge cases, properties."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import InputError
from calculators import training_cost as tc
from calculators._api import run
from calculators._data import figure_value, load_tree
from calculators.training_cost import (
    Inputs,
    auto_epochs,
    billed_tokens,
    compute,
    gpu_hours,
    training_flops,
)
from tests.answers import field_error

DATA = load_tree(Path(__file__).resolve().parents[2] / "data")

# Seed 002's cost paragraph: 1,000 examples × 500 tokens, GPT-4o-mini at $3 per 1M training
# tokens (facts.md: the seed's "$0.003 per 1K"), one epoch. Self-hosting: one H100 (989 dense
# BF16 TFLOPS, NVIDIA datasheet) at 40% utilization and $2.69 an hour (RunPod, data/compute.yaml).
SEED = dict(
    examples=1000,
    tokens_per_example=500,
    epochs=1,
    price_per_million=3.0,
    gpu_hourly_price=2.69,
    gpu_tflops=989,
    utilization=0.4,
)


def _numbers(values: dict) -> list[float]:
    return [v for v in values.values() if isinstance(v, int | float) and not isinstance(v, bool)]


class TestCompute:
    def test_seed_002_example(self):
        # Seed 002: "costs roughly $1.50 to train".
        r = compute(Inputs(**SEED))
        assert r["training_tokens"] == 500_000
        assert r["billed_tokens"] == 500_000
        assert r["cost"] == pytest.approx(1.50)
        assert r["epochs"] == 1 and r["epochs_auto"] is False

    def test_openai_guide_example(self):
        # OpenAI fine-tuning guide: 100,000 tokens × 3 epochs on gpt-4o-mini ≈ $0.90.
        r = compute(Inputs(**{**SEED, "examples": 200, "epochs": 3}))
        assert r["training_tokens"] == 100_000
        assert r["billed_tokens"] == 300_000
        assert r["cost"] == pytest.approx(0.90)

    def test_gpt_4o_price(self):
        # OpenAI's GPT-4o launch price, $25 per 1M: the seed's file costs 25/3 times as much.
        r = compute(Inputs(**{**SEED, "price_per_million": 25}))
        assert r["cost"] == pytest.approx(12.50)

    def test_zero_epochs_means_automatic(self):
        r = compute(Inputs(**{**SEED, "epochs": 0}))
        assert r["epochs"] == 3 and r["epochs_auto"] is True
        assert "automatic" in r["epochs_note"]
        assert r["cost"] == pytest.approx(4.50)  # 500,000 × 3 × $3 / 1M

    def test_runs_multiply_the_cost(self):
        r = compute(Inputs(**{**SEED, "runs": 8}))
        assert r["cost_per_run"] == pytest.approx(1.50)
        assert r["cost"] == pytest.approx(12.00)

    def test_validation_not_billed_by_default(self):
        # OpenAI does not bill validation tokens (fine-tuning guide).
        r = compute(Inputs(**{**SEED, "validation_examples": 100}))
        assert r["billed_tokens"] == 500_000
        assert r["validation_tokens"] == 50_000

    def test_validation_billed_once_per_epoch_when_evaluations_is_zero(self):
        # Together: billed = epochs × training tokens + evaluations × validation tokens.
        r = compute(
            Inputs(**{**SEED, "epochs": 2, "validation_examples": 100, "bill_validation": True})
        )
        assert r["evaluations"] == 2
        assert r["billed_tokens"] == 2 * 500_000 + 2 * 50_000

    def test_explicit_evaluations(self):
        r = compute(
            Inputs(
                **{
                    **SEED,
                    "validation_examples": 100,
                    "bill_validation": True,
                    "evaluations": 10,
                }
            )
        )
        assert r["billed_tokens"] == 500_000 + 10 * 50_000

    def test_no_self_hosted_estimate_without_a_model_size(self):
        r = compute(Inputs(**SEED))
        assert r["gpu_hours"] is None and r["self_hosted_cost"] is None

    def test_self_hosted_estimate(self):
        # 6 × 8e9 × 500,000 = 2.4e16 FLOPs; 989e12 × 0.4 × 3600 FLOPs per GPU-hour.
        r = compute(Inputs(**{**SEED, "model_params_billion": 8, "runs": 2}))
        per_run = 2.4e16 / (989e12 * 0.4 * 3600)
        assert r["gpu_hours_per_run"] == pytest.approx(per_run)
        assert r["gpu_hours"] == pytest.approx(2 * per_run)
        assert r["self_hosted_cost"] == pytest.approx(2 * per_run * 2.69)

    def test_validation_adds_forward_passes_to_the_gpu_estimate(self):
        base = compute(Inputs(**{**SEED, "model_params_billion": 8}))
        more = compute(Inputs(**{**SEED, "model_params_billion": 8, "validation_examples": 100}))
        # One evaluation (epochs = 1) of 50,000 tokens at 2 FLOPs per parameter per token.
        assert more["flops_per_run"] - base["flops_per_run"] == pytest.approx(2 * 8e9 * 50_000)

    def test_automatic_epochs_can_make_a_bigger_file_cheaper(self):
        # OpenAI's rule: 8,333 examples × 3 epochs = 24,999 ≤ 25,000; 8,334 examples get
        # 25,000 // 8,334 = 2 epochs, so the larger file bills fewer tokens.
        a = compute(Inputs(**{**SEED, "examples": 8333, "epochs": 0}))
        b = compute(Inputs(**{**SEED, "examples": 8334, "epochs": 0}))
        assert (a["epochs"], b["epochs"]) == (3, 2)
        assert b["cost"] < a["cost"]

    def test_free_training(self):
        assert compute(Inputs(**{**SEED, "price_per_million": 0}))["cost"] == 0


class TestAutoEpochs:
    @pytest.mark.parametrize(
        ("examples", "epochs"),
        [
            # OpenAI Cookbook rule: 3; if n × 3 < 100: min(25, 100 // n); if n × 3 > 25,000:
            # max(1, 25,000 // n).
            (1, 25),  # 100 // 1 = 100, capped at 25
            (4, 25),
            (5, 20),
            (10, 10),
            (33, 3),  # 99 < 100 → 100 // 33 = 3
            (34, 3),  # 102 ≥ 100 → default
            (1000, 3),
            (8333, 3),  # 24,999 ≤ 25,000
            (8334, 2),  # 25,002 > 25,000 → 25,000 // 8,334 = 2
            (12_500, 2),
            (12_501, 1),
            (1_000_000, 1),  # 25,000 // 1,000,000 = 0, floored at 1
        ],
    )
    def test_cookbook_rule(self, examples, epochs):
        assert auto_epochs(examples) == epochs

    def test_constants_match_the_cited_figures(self):
        # The page cites data/; the code must use the same numbers.
        cited = {
            "calculators.training-cost.auto-epochs.target": tc.TARGET_EPOCHS,
            "calculators.training-cost.auto-epochs.min-examples-seen": tc.MIN_EXAMPLES_SEEN,
            "calculators.training-cost.auto-epochs.max-examples-seen": tc.MAX_EXAMPLES_SEEN,
            "calculators.training-cost.auto-epochs.max-epochs": tc.MAX_EPOCHS,
            "calculators.training-cost.auto-epochs.min-epochs": tc.MIN_EPOCHS,
            "compute.training-flops.per-parameter-token": tc.FLOPS_PER_PARAMETER_TOKEN,
            "compute.training-flops.forward-per-parameter-token": (
                tc.FORWARD_FLOPS_PER_PARAMETER_TOKEN
            ),
        }
        for key, used in cited.items():
            assert figure_value(DATA, key) == used, key


class TestBilledTokens:
    def test_validation_ignored_unless_billed(self):
        assert billed_tokens(100, 3, 50, 4, bill_validation=False) == 300

    def test_together_formula(self):
        # docs.together.ai: n_epochs × training tokens + n_evals × validation tokens.
        assert billed_tokens(100, 3, 50, 4, bill_validation=True) == 300 + 200


class TestTrainingFlops:
    def test_six_n_d(self):
        # Kaplan et al. 2020: C ≈ 6ND.
        assert training_flops(1e9, 1e6) == 6e15

    def test_evaluation_is_forward_only(self):
        assert training_flops(1e9, 0, 1e6) == 2e15


class TestGpuHours:
    def test_one_hour_at_full_speed(self):
        assert gpu_hours(1e12 * 3600, 1, 1.0) == pytest.approx(1)

    def test_lower_utilization_takes_longer(self):
        assert gpu_hours(1e18, 989, 0.2) == pytest.approx(2 * gpu_hours(1e18, 989, 0.4))


class TestValidation:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("examples", 0, "examples: must be at least 1 (got 0)"),
            ("examples", 1.5, "examples: must be a whole number (got 1.5)"),
            ("epochs", -1, "epochs: must be at least 0 (got -1)"),
            ("runs", 0, "runs: must be at least 1 (got 0)"),
            (
                "price_per_million",
                math.inf,
                "price-per-million: must be a finite number (got infinity)",
            ),
            ("utilization", 1.2, "utilization: must be a share between 0 and 1 (got 1.2)"),
            ("utilization", 0, "utilization: must be at least 0.01 (got 0)"),
            ("gpu_tflops", 0, "gpu-tflops: must be at least 1 (got 0)"),
            ("bill_validation", "yes", "bill-validation: must be yes or no (got 'yes')"),
        ],
    )
    def test_message_names_the_field(self, field, value, message):
        with pytest.raises(InputError) as err:
            Inputs(**{**SEED, field: value})
        assert str(err.value) == message
        assert err.value.field == field.replace("_", "-")


class TestRun:
    def test_defaults_leave_the_epochs_to_openais_rule(self, data):
        out = run("training-cost", {}, data)
        assert out["ok"]
        # The founder guide's 500,000-token file; epochs left out follow OpenAI's rule (3 for
        # 1,000 examples): by hand 1.5M billed tokens x $0.50 per 1M (Fireworks, models up to
        # 16B) = $0.75. Self-hosting: 8B on one H100.
        assert out["values"]["epochs"] == 3
        assert out["display"]["cost"] == "$0.75"
        assert out["display"]["training_tokens"] == "500,000 tokens"
        assert out["display"]["gpu_hours"] == "3 GPU-minutes"
        assert out["display"]["epochs_note"].startswith("OpenAI's automatic rule")

    def test_openais_guide_example_with_epochs_left_out(self, data):
        # OpenAI's fine-tuning guide: 100,000 tokens, epochs not given (3), gpt-4o-mini ≈ $0.90.
        out = run(
            "training-cost",
            {"examples": "100", "tokens-per-example": "1000", "preset": "openai-gpt-4o-mini"},
            data,
        )
        assert out["values"]["epochs"] == 3
        assert out["values"]["cost"] == pytest.approx(0.90)
        assert "Prices as of" in out["summary"]

    def test_named_scenarios(self, data):
        scenarios = data["calculators"]["training-cost"]["scenarios"]
        seed = run(
            "training-cost",
            {k: str(v) for k, v in scenarios["seed-002-gpt-4o-mini"]["values"].items()},
            data,
        )
        guide = run(
            "training-cost",
            {k: str(v) for k, v in scenarios["openai-guide-100k"]["values"].items()},
            data,
        )
        assert seed["values"]["cost"] == pytest.approx(1.50)
        assert guide["values"]["cost"] == pytest.approx(0.90)

    def test_gpt_4o_preset(self, data):
        # OpenAI GPT-4o training: $25 per 1M tokens (launch announcement); the default file
        # of 500,000 tokens for OpenAI's automatic 3 epochs is 1.5M billed tokens.
        out = run("training-cost", {"preset": "openai-gpt-4o"}, data)
        assert out["values"]["cost"] == pytest.approx(37.50)

    def test_auto_epochs_through_the_form(self, data):
        out = run("training-cost", {"epochs": "0", "examples": "10"}, data)
        assert out["values"]["epochs"] == 10
        assert (
            out["display"]["epochs_note"] == "OpenAI's automatic rule: 10 epochs for 10 examples."
        )

    @pytest.mark.parametrize(
        ("field", "raw", "message"),
        [
            ("examples", "abc", "examples: must be a number (got 'abc')"),
            ("examples", "1e309", "examples: must be a finite number (got infinity)"),
            (
                "tokens-per-example",
                "9" * 40,
                "tokens-per-example: must be at most 2,000,000 (got 1e+40)",
            ),
            ("utilization", "0%", "utilization: must be at least 0.01 (got 0)"),
            ("bill-validation", "maybe", "bill-validation: must be yes or no (got 'maybe')"),
        ],
    )
    def test_hostile_values_give_field_errors(self, data, field, raw, message):
        assert field_error(run("training-cost", {field: raw}, data)) == {
            "ok": False,
            "field": field,
            "message": message,
        }


@settings(max_examples=300, deadline=None)
@given(
    examples=st.integers(min_value=1, max_value=10**7),
    more=st.integers(min_value=0, max_value=10**7),
    epochs=st.integers(min_value=1, max_value=50),
    params=st.floats(min_value=0, max_value=1000),
)
def test_more_examples_never_cost_less(examples, more, epochs, params):
    # With the epochs fixed; automatic epochs can step down (see TestCompute).
    a = compute(
        Inputs(**{**SEED, "examples": examples, "epochs": epochs, "model_params_billion": params})
    )
    b = compute(
        Inputs(
            **{
                **SEED,
                "examples": examples + more,
                "epochs": epochs,
                "model_params_billion": params,
            }
        )
    )
    assert b["cost"] >= a["cost"]
    if params:
        assert b["self_hosted_cost"] >= a["self_hosted_cost"]


@settings(max_examples=300, deadline=None)
@given(runs=st.integers(min_value=1, max_value=10_000), price=st.floats(0, 10_000))
def test_cost_is_runs_times_cost_per_run(runs, price):
    r = compute(Inputs(**{**SEED, "runs": runs, "price_per_million": price}))
    assert r["cost"] == pytest.approx(runs * r["cost_per_run"])
