"""Serving cost: published memory and throughput figures, the model table, errors, properties."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import get
from calculators._api import presets, run, scenario_values
from calculators._data import figure_value, load_tree
from calculators._lifecycle import status
from calculators.serving_cost import (
    API_MODELS,
    GPUS,
    HOSTS,
    MODELS,
    blended_price,
    break_even_tokens_per_day,
    cost_per_million_tokens,
    decode_tokens_per_second,
    experts_read,
    kv_cache_bytes_per_request,
    prefill_tokens_per_second,
    weight_bytes_read_per_step,
)
from mkdocs_calculators.freshness import today

ROOT = Path(__file__).resolve().parents[2]
DATA = load_tree(ROOT / "data")
CALC = get("serving-cost")


def result(**raw):
    out = run("serving-cost", {k.replace("_", "-"): str(v) for k, v in raw.items()}, DATA)
    assert out["ok"], out
    return out["values"]


def error(**raw):
    out = run("serving-cost", {k.replace("_", "-"): str(v) for k, v in raw.items()}, DATA)
    assert not out["ok"], out
    return out["field"], out["message"]


class TestKvCache:
    def test_infersim_qwen3_30b_a3b(self):
        # InferSim README: 96.00 KB of KV cache per token for Qwen3-30B-A3B in BF16.
        per_token = kv_cache_bytes_per_request(1, layers=48, kv_heads=4, head_dim=128, kv_bytes=2)
        assert per_token == 96 * 1024

    def test_preset_reproduces_infersim_figure(self):
        # The same figure through the preset: 8,192 tokens × 96 KiB.
        r = result(model="qwen3-30b-a3b", concurrent_requests=1)
        assert r["kv_cache_gb_per_request"] == pytest.approx(8192 * 96 * 1024 / 1e9)

    def test_fp8_halves_the_cache(self):
        bf16 = result(kv_precision="bf16")["kv_cache_gb_per_request"]
        fp8 = result(kv_precision="fp8")["kv_cache_gb_per_request"]
        assert fp8 == pytest.approx(bf16 / 2)

    def test_sliding_window_layers_hold_only_the_window(self):
        # gpt-oss-120b: 18 full layers hold 8,192 tokens, 18 windowed layers hold 128
        # (serving-facts.md: 36 KiB per token that grows with context).
        r = result(model="gpt-oss-120b", concurrent_requests=1)
        expected = 2 * 8 * 64 * 2 * (18 * 8192 + 18 * 128)
        assert r["kv_cache_gb_per_request"] == pytest.approx(expected / 1e9)

    def test_latent_kv_uses_latent_width(self):
        # DeepSeek-V3 MLA: 61 layers × (512 + 64) numbers × 2 bytes = 70,272 B per token
        # (serving-facts.md, 68.6 KiB).
        b = kv_cache_bytes_per_request(
            1, layers=61, kv_heads=128, head_dim=128, kv_bytes=2, latent_kv_dim=576
        )
        assert b == 61 * 576 * 2

    def test_linear_state_is_fixed(self):
        # Qwen3.5-35B-A3B's shape (serving-facts.md): 10 full-attention layers of 40, the rest
        # linear attention with a fixed ~31 MB state per request.
        arch = dict(
            layers=40,
            kv_heads=2,
            head_dim=256,
            kv_bytes=2,
            full_attention_layers=10,
            state_bytes=31e6,
        )
        a = kv_cache_bytes_per_request(1000, **arch)
        b = kv_cache_bytes_per_request(2000, **arch)
        assert b - a == 1000 * 10 * 2 * 2 * 256 * 2


class TestThroughput:
    def test_gpt_fast_llama_2_7b_within_20_percent(self):
        # gpt-fast README: 104.9 tok/s, Llama-2-7B bf16, batch 1, A100-80GB (330 W cap).
        # Efficiency 0.8 from InferSim's hardware table (a different source).
        eff = figure_value(DATA, "serving.efficiency.memory-bandwidth")
        bw = figure_value(DATA, "gpus.a100-80gb.bandwidth")
        r = decode_tokens_per_second(1, 6.74e9 * 2, 0, 6.74e9, 1, bw, 312, eff)
        assert abs(r / 104.9 - 1) < 0.20

    @pytest.mark.parametrize(
        "model, published",
        [
            # TensorRT-LLM perf overview (docs/source/developer-guide/perf-overview.md), H100,
            # FP8, 1,000 input / 1,000 output tokens, maximum throughput, output tokens per
            # second per GPU: Llama 3.3 70B at TP2, gpt-oss-120b at DEP4 (we model TP2).
            ("llama-3-3-70b", 2209),
            ("gpt-oss-120b", 4685),
        ],
    )
    def test_tensorrt_llm_max_throughput_within_25_percent(self, model, published):
        raw = {
            "model": model,
            "weight-precision": "fp8",
            "kv-precision": "fp8",
            "gpus-per-replica": "2",
            "context-tokens": "2000",
            "input-tokens-per-day": "50000000",
            "output-tokens-per-day": "50000000",
        }
        most = run("serving-cost", {**raw, "concurrent-requests": "1"}, DATA)["values"]
        v = result(
            **{k.replace("-", "_"): x for k, x in raw.items()},
            concurrent_requests=min(256, most["max_concurrent_requests"]),
        )
        # Half the replica's time per token goes to each half of a 1,000/1,000 request.
        mixed = 1 / (0.5 / v["decode_tokens_per_second"] + 0.5 / v["prefill_tokens_per_second"])
        per_gpu_output = mixed / 2 / 2
        assert abs(per_gpu_output / published - 1) < 0.25

    def test_experts_read_limits(self):
        assert experts_read(128, 8, 1) == 8
        assert experts_read(128, 8, 10_000) == pytest.approx(128)
        assert experts_read(1, 1, 50) == 1

    def test_dense_reads_all_weights(self):
        assert weight_bytes_read_per_step(8e9, 8e9, 1, 1, 1, 2) == 16e9

    def test_prefill_formula(self):
        assert prefill_tokens_per_second(1e9, 2, 1000, 0.5) == pytest.approx(
            2 * 1000e12 * 0.5 / 2e9
        )

    def test_moe_decodes_faster_than_dense_of_equal_size_at_batch_1(self):
        dense = decode_tokens_per_second(1, 60e9, 0, 120e9, 1, 3.35, 989, 0.8)
        moe_w = weight_bytes_read_per_step(120e9, 5e9, 128, 4, 1, 0.5)
        moe = decode_tokens_per_second(1, moe_w, 0, 5e9, 1, 3.35, 989, 0.8)
        assert moe > 5 * dense


class TestCost:
    def test_cost_per_million(self):
        assert cost_per_million_tokens(1000, 5e6, 5e6, 10) == pytest.approx(10.0)
        assert cost_per_million_tokens(1000, 0, 0) is None

    def test_blended(self):
        assert blended_price(1, 3, 1, 1) == 2

    def test_break_even(self):
        assert break_even_tokens_per_day(100, 1e9, 1.0) == pytest.approx(100e6)
        assert break_even_tokens_per_day(100, 1e7, 1.0) is None

    def test_monthly_cost_is_replicas_gpus_hours(self):
        r = result(gpus_per_replica=2, days_per_month=30)
        assert r["monthly_gpu_cost"] == pytest.approx(
            r["replicas_needed"] * 2 * r["gpu_hourly_price"] * 24 * 30
        )

    def test_price_override(self):
        assert result(gpu_hourly_price=5)["gpu_hourly_price"] == 5

    def test_host_price_null_where_not_served(self):
        # data/serving.yaml has no Qwen3 price at DeepInfra.
        r = result(model="qwen3-30b-a3b", concurrent_requests=4, host="deepinfra")
        assert r["host_cost_per_million_tokens"] is None
        assert r["break_even_against"] == "api"

    def test_host_price_is_the_host_figure(self):
        r = result(
            model="gpt-oss-120b",
            concurrent_requests=4,
            host="fireworks",
            input_tokens_per_day=1,
            output_tokens_per_day=0,
        )
        assert r["host_cost_per_million_tokens"] == figure_value(
            DATA, "serving.host-prices.fireworks.gpt-oss-120b.input"
        )

    def test_break_even_beats_host_above_it(self):
        r = result(**scenario_values(CALC, DATA, "gpt-oss-120b-h100"))
        be = r["break_even_tokens_per_day"]
        assert be is not None
        raw = scenario_values(CALC, DATA, "gpt-oss-120b-h100")
        above = run(
            "serving-cost",
            {
                **raw,
                "input-tokens-per-day": str(be * 0.8 * 1.05),
                "output-tokens-per-day": str(be * 0.2 * 1.05),
            },
            DATA,
        )
        v = above["values"]
        assert v["cost_per_million_tokens"] < v["host_cost_per_million_tokens"]


class TestErrors:
    @pytest.mark.parametrize(
        "raw, field",
        [
            ({"gpus-per-replica": "0"}, "gpus-per-replica"),
            ({"context-tokens": "200000"}, "context-tokens"),
            ({"preset": "no-such-model"}, "preset"),
            ({"model": "no-such-model"}, "model"),
            ({"model": "custom", "active-params-billion": "9"}, "active-params-billion"),
            ({"model": "custom", "experts": "4", "experts-per-token": "8"}, "experts-per-token"),
            ({"model": "llama-3-3-70b", "gpus-per-replica": "1"}, "gpus-per-replica"),
            ({"concurrent-requests": "500"}, "concurrent-requests"),
            # An architecture value without --model describes a custom model (issue 10): the
            # error names the first of the fields it still lacks.
            ({"layers": "40"}, "kv-heads"),
            ({"bandwidth-efficiency": "0"}, "bandwidth-efficiency"),
            ({"gpu": "t4"}, "gpu"),
        ],
    )
    def test_field_named(self, raw, field):
        out = run("serving-cost", raw, DATA)
        assert not out["ok"]
        assert out["field"] == field
        assert out["message"].startswith(field + ": ")


class TestData:
    def test_models_match_data(self):
        offered = [
            k for k, v in DATA["models"].items() if "serving-cost" in v.get("calculators", [])
        ]
        assert set(offered) == set(MODELS)
        assert tuple(presets(CALC, DATA)) == MODELS

    def test_at_least_two_dense_and_two_moe(self):
        moe = [m for m in MODELS if figure_value(DATA, f"models.{m}.experts") > 1]
        assert len(moe) >= 2 and len(MODELS) - len(moe) >= 2

    def test_head_dim_is_explicit_where_it_differs(self):
        # Qwen3 and gpt-oss: head_dim is not hidden_size / heads.
        for m in ("qwen3-32b", "qwen3-30b-a3b", "gpt-oss-120b"):
            hd = figure_value(DATA, f"models.{m}.head-dim")
            assert hd * figure_value(DATA, f"models.{m}.heads") != figure_value(
                DATA, f"models.{m}.hidden-size"
            )

    @pytest.mark.parametrize("gpu", GPUS)
    def test_gpus_fully_sourced(self, gpu):
        from calculators._data import figure, resolve

        entry = DATA["gpus"][gpu]
        for key in ("memory", "bandwidth", "bf16-dense-tflops", "hourly-price"):
            node = entry[key]
            fig = figure(DATA, node["fig"]) if set(node) == {"fig"} else node
            assert fig["value"] > 0 and fig["source"] and fig["url"] and fig["as_of"]
        assert entry["host"]
        assert resolve(DATA, entry)

    def test_hosts_and_api_models_exist(self):
        for h in HOSTS:
            assert DATA["serving"]["host-prices"][h]["name"]
        for m in API_MODELS:
            provider, _, key = m.partition(".")
            assert DATA["prices"][provider][key]["input"]["value"] > 0
            assert DATA["price-models"]["providers"][provider]["models"][key]["name"]

    def test_no_compared_closed_model_is_retired_or_retiring(self):
        # A reader comparing against a model that is about to shut down learns nothing useful.
        on = today()
        assert [m for m in API_MODELS if status(DATA, m, on) != "current"] == []

    @pytest.mark.parametrize("name", list(DATA["calculators"]["serving-cost"]["scenarios"]))
    def test_scenarios_run(self, name):
        out = run("serving-cost", scenario_values(CALC, DATA, name), DATA)
        assert out["ok"], out
        assert out["chart"].startswith("<svg")


class TestCli:
    def test_json_keys(self):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "calculators",
                "serving-cost",
                "--model",
                "gpt-oss-120b",
                "--concurrent-requests",
                "8",
                "--host",
                "fireworks",
                "--json",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        out = json.loads(proc.stdout)
        for key in (
            "weights_gb",
            "kv_cache_gb_per_request",
            "kv_cache_gb",
            "memory_total_gb",
            "gpus_needed",
            "max_concurrent_requests",
            "decode_tokens_per_second",
            "prefill_tokens_per_second",
            "replicas_needed",
            "monthly_gpu_cost",
            "cost_per_million_tokens",
            "host_cost_per_million_tokens",
            "api_cost_per_million_tokens",
            "break_even_tokens_per_day",
        ):
            assert key in out
        assert out["weights_gb"] == pytest.approx(116.8 * 0.5)

    def test_bad_flag_exits_2_naming_field(self):
        proc = subprocess.run(
            [sys.executable, "-m", "calculators", "serving-cost", "--gpus-per-replica", "0"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert proc.returncode == 2
        assert proc.stderr.startswith("error: gpus-per-replica:")


# ---------------------------------------------------------------------------------------------
# Properties

deployments = st.fixed_dictionaries(
    {
        "model": st.sampled_from(MODELS),
        "gpu": st.sampled_from(GPUS),
        "gpus-per-replica": st.sampled_from([1, 2, 4, 8]),
        "weight-precision": st.sampled_from(["bf16", "fp8", "int4"]),
        "kv-precision": st.sampled_from(["bf16", "fp8"]),
        "context-tokens": st.integers(min_value=1, max_value=40960),
        "concurrent-requests": st.integers(min_value=1, max_value=256),
        "input-tokens-per-day": st.floats(min_value=0, max_value=1e11),
        "output-tokens-per-day": st.floats(min_value=0, max_value=1e10),
        "peak-factor": st.floats(min_value=1, max_value=10),
    }
)


@settings(max_examples=150, deadline=None)
@given(raw=deployments)
def test_never_above_physical_bound_and_never_crashes(raw):
    out = run("serving-cost", {k: str(v) for k, v in raw.items()}, DATA)
    if not out["ok"]:
        assert out["field"] in ("gpus-per-replica", "concurrent-requests")
        return
    v = out["values"]
    gpu = DATA["gpus"][raw["gpu"]]
    bw = gpu["bandwidth"]["value"] * 1e12 * raw["gpus-per-replica"]
    tflops = (
        figure_value(DATA, gpu["bf16-dense-tflops"]["fig"])
        if "fig" in gpu["bf16-dense-tflops"]
        else gpu["bf16-dense-tflops"]["value"]
    )
    active = figure_value(DATA, f"models.{raw['model']}.active-params-billion") * 1e9
    b = raw["concurrent-requests"]
    from calculators.serving_cost import BYTES

    # Each step reads at least the active weights of one token.
    min_bytes = active * BYTES[raw["weight-precision"]]
    assert v["decode_tokens_per_second"] <= b * bw / min_bytes * (1 + 1e-9)
    assert v["decode_tokens_per_second"] <= tflops * 1e12 * raw["gpus-per-replica"] / (
        2 * active
    ) * (1 + 1e-9)
    assert v["prefill_tokens_per_second"] <= tflops * 1e12 * raw["gpus-per-replica"] / (
        2 * active
    ) * (1 + 1e-9)
    assert v["memory_total_gb"] <= gpu["memory"]["value"] * raw["gpus-per-replica"]
    assert raw["concurrent-requests"] <= v["max_concurrent_requests"]
    assert v["replicas_needed"] >= 1
    for key in ("monthly_gpu_cost", "decode_tokens_per_second", "weights_gb"):
        assert math.isfinite(v[key]) and v[key] > 0


@settings(max_examples=60, deadline=None)
@given(more=st.floats(min_value=1.01, max_value=100))
def test_more_volume_never_needs_fewer_replicas(more):
    base = {"input-tokens-per-day": "80000000", "output-tokens-per-day": "20000000"}
    a = run("serving-cost", base, DATA)["values"]["replicas_needed"]
    bigger = {k: str(float(v) * more) for k, v in base.items()}
    b = run("serving-cost", bigger, DATA)["values"]["replicas_needed"]
    assert b >= a


@settings(max_examples=60, deadline=None)
@given(
    ctx=st.integers(min_value=1, max_value=131072), more=st.integers(min_value=1, max_value=1000)
)
def test_kv_grows_with_context(ctx, more):
    arch = dict(
        layers=36, kv_heads=8, head_dim=64, kv_bytes=2, full_attention_layers=18, sliding_window=128
    )
    assert kv_cache_bytes_per_request(ctx + more, **arch) > kv_cache_bytes_per_request(ctx, **arch)
