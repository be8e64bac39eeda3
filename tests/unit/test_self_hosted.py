"""A self-hosted fine-tuned model in break-even and total-cost: serving-cost's own figures,
never a second copy of its arithmetic."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest

from calculators import InputError
from calculators._api import run
from calculators._data import load_tree
from calculators._self_hosted import daily_tokens, self_hosted
from calculators.break_even import (
    Inputs,
    compute,
    self_hosted_break_even_calls_per_day,
)

from .test_break_even import SEED  # the founder guide's chatbot, as Python values

DATA = load_tree(Path(__file__).resolve().parents[2] / "data")
SLUGS = ("break-even", "total-cost")
MONTHLY_AFTER = {"break-even": "monthly_cost_after", "total-cost": "monthly_fine_tuning"}


def values(slug: str, **raw) -> dict:
    out = run(slug, {k.replace("_", "-"): str(v) for k, v in raw.items()}, DATA)
    assert out["ok"], out
    return out["values"]


def serving(model: str, gpu: str, tokens_in: float, tokens_out: float) -> dict:
    """serving-cost's own answer for a daily volume, through its public entry point."""
    return values(
        "serving-cost",
        model=model,
        gpu=gpu,
        input_tokens_per_day=tokens_in,
        output_tokens_per_day=tokens_out,
    )


class TestSameAsServingCost:
    @pytest.mark.parametrize("slug", SLUGS)
    @pytest.mark.parametrize(
        ("model", "gpu", "calls"),
        [
            ("llama-3-1-8b", "h100-80gb", 50_000),  # the defaults' volume: one replica
            ("llama-3-1-8b", "h100-80gb", 500_000),  # the own-gpus-500k scenario: two
            ("llama-3-3-70b", "a100-80gb", 200_000),  # a preset with 4 GPUs per replica
            ("gpt-oss-120b", "h200", 1_000_000),
        ],
    )
    def test_monthly_cost_is_serving_costs_monthly_gpu_cost(self, slug, model, gpu, calls):
        # The tuned side's tokens: 200-token prompt + 100 other input, 200 output, per call.
        r = values(
            slug,
            calls_per_day=calls,
            prompt_tokens_after=200,
            other_input_tokens=100,
            output_tokens=200,
            fine_tuned_serving="self-hosted",
            serving_model=model,
            serving_gpu=gpu,
        )
        s = serving(model, gpu, calls * 300, calls * 200)
        assert r["self_hosted_monthly_gpu_cost"] == s["monthly_gpu_cost"]
        assert r["self_hosted_replicas"] == s["replicas_needed"]
        # The hosting fee is 0 by default, so the tuned side's month is the GPUs' month.
        assert r[MONTHLY_AFTER[slug]] == s["monthly_gpu_cost"]

    @pytest.mark.parametrize("slug", SLUGS)
    def test_the_hosting_fee_is_added_on_top(self, slug):
        raw = dict(fine_tuned_serving="self-hosted", output_tokens=200)
        without = values(slug, **raw)
        with_fee = values(slug, **raw, hosting_per_month=500)
        assert with_fee[MONTHLY_AFTER[slug]] == without[MONTHLY_AFTER[slug]] + 500
        assert with_fee["self_hosted_monthly_gpu_cost"] == without["self_hosted_monthly_gpu_cost"]

    @pytest.mark.parametrize("slug", SLUGS)
    def test_the_summary_names_model_gpu_and_replicas(self, slug):
        out = run(slug, {"scenario": "own-gpus-500k"}, DATA)
        assert out["ok"], out
        # 500,000 calls × 400 tokens = 200M tokens a day: twice serving-cost's default day,
        # which one H100 carries, so two replicas.
        assert out["values"]["self_hosted_replicas"] == 2
        assert "Llama 3.1 8B on 1 × H100 (80 GB) per replica; 2 replicas carry" in out["summary"]
        assert "hosting fee ($0 here) is added" in out["summary"]

    def test_the_scenario_pays_back_against_prompting(self):
        # GPT-6.1 Sol at $2.00 per 1M input and $10 output: 500,000 × 30 × (1,500 × 2 + 200 ×
        # 10) / 1e6 = $75,000 a month, against two H100s.
        r = run("break-even", {"scenario": "own-gpus-500k"}, DATA)["values"]
        assert r["monthly_cost_before"] == pytest.approx(75_000)
        assert r["monthly_cost_after"] == r["self_hosted_monthly_gpu_cost"]
        assert r["payback_months"] < 1


class TestPerTokenUnchanged:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_the_default_is_per_token_and_leaves_the_answer_alone(self, slug):
        default = run(slug, {}, DATA)
        explicit = run(slug, {"fine-tuned-serving": "per-token"}, DATA)
        assert default["inputs"]["fine-tuned-serving"] == "per-token"
        assert default == explicit
        assert default["values"]["self_hosted_monthly_gpu_cost"] is None
        assert default["values"]["self_hosted_replicas"] is None

    @pytest.mark.parametrize("slug", SLUGS)
    def test_model_and_gpu_do_not_matter_per_token(self, slug):
        a = run(slug, {}, DATA)
        b = run(slug, {"serving-model": "gpt-oss-120b", "serving-gpu": "h200"}, DATA)
        assert a["values"] == b["values"] and a["display"] == b["display"]


class TestErrorsNameAField:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_an_unknown_serving_model(self, slug):
        out = run(slug, {"fine-tuned-serving": "self-hosted", "serving-model": "gpt-9"}, DATA)
        assert not out["ok"] and out["field"] == "serving-model"
        assert "llama-3-1-8b" in out["message"]

    @pytest.mark.parametrize("slug", SLUGS)
    def test_an_unknown_serving_gpu_and_mode(self, slug):
        for name in ("serving-gpu", "fine-tuned-serving"):
            out = run(slug, {name: "tpu"}, DATA)
            assert not out["ok"] and out["field"] == name

    @pytest.mark.parametrize("slug", SLUGS)
    def test_too_many_tokens_for_serving_cost_names_calls_per_day(self, slug):
        raw = {
            "fine-tuned-serving": "self-hosted",
            "calls-per-day": "1e9",
            "prompt-tokens-after": "2000000",
        }
        out = run(slug, raw, DATA)
        assert not out["ok"] and out["field"] == "calls-per-day"
        assert "input-tokens-per-day" in out["message"]

    def test_a_model_that_does_not_fit_names_the_gpu(self):
        # Shrink the H100 to 10 GB: Llama 3.1 8B's 16 GB of bf16 weights no longer fit.
        small = copy.deepcopy(DATA)
        small["gpus"]["h100-80gb"]["memory"] = 10
        with pytest.raises(InputError) as err:
            self_hosted(
                model="llama-3-1-8b",
                gpu="h100-80gb",
                input_tokens_per_day=1e7,
                output_tokens_per_day=0,
                days_per_month=30,
                data=small,
            )
        assert err.value.field == "serving-gpu"
        assert "gpus-per-replica" in err.value.reason

    def test_python_callers_must_pass_the_data(self):
        with pytest.raises(TypeError, match="data tree"):
            compute(Inputs(**SEED, fine_tuned_serving="self-hosted"))
        assert compute(Inputs(**SEED), DATA)["self_hosted_replicas"] is None


class TestDailyTokens:
    def test_calls_times_tokens_per_call(self):
        # 50,000 calls × (200 prompt + 100 other) and × 200 output.
        assert daily_tokens(50_000, 200, 100, 200) == (15_000_000, 10_000_000)


class TestSelfHostedBreakEvenCalls:
    def test_pays_back_exactly_at_the_horizon(self):
        # At the volume returned, the monthly saving is exactly the project over the horizon:
        # checked by running break-even itself there.
        base = dict(fine_tuned_serving="self-hosted", output_tokens=200, horizon_months=12)
        n = values("break-even", **base)["break_even_calls_per_day"]
        at = values("break-even", **base, calls_per_day=n)
        assert at["monthly_savings"] == pytest.approx(15_000 / 12)

    def test_several_replicas(self):
        # A replica costs $1,800 a month and serves 100,000 calls a day; a call a day saves
        # $0.01125 × 30 = $0.3375 a month, so a full replica saves 33,750 − 1,800 = $31,950.
        # $1.2M over 12 months is $100,000 a month: 4 replicas (3 give $95,850).
        n = self_hosted_break_even_calls_per_day(1_200_000, 12, 0.01125, 1800, 100_000, 0, 30)
        assert n == pytest.approx((100_000 + 4 * 1800) / 0.3375)
        assert 300_000 < n <= 400_000

    def test_never_when_a_full_replica_saves_nothing(self):
        assert self_hosted_break_even_calls_per_day(15_000, 12, 0.001, 1800, 10_000, 0, 30) is None

    def test_no_tokens_per_call_means_one_replica(self):
        n = self_hosted_break_even_calls_per_day(12_000, 12, 0.01, 1800, math.inf, 0, 30)
        assert n == pytest.approx((1000 + 1800) / 0.3)

    def test_free_prompted_calls_never_pay_back(self):
        assert self_hosted_break_even_calls_per_day(15_000, 12, 0, 1800, 1e5, 0, 30) is None


def test_prompted_side_is_the_same_either_way():
    per_token = values("break-even")
    hosted = values("break-even", fine_tuned_serving="self-hosted")
    assert per_token["monthly_cost_before"] == hosted["monthly_cost_before"]
    assert per_token["cost_per_call_before"] == hosted["cost_per_call_before"]
