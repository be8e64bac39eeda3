"""Serving cost: GPUs, memory, throughput and cost per million tokens for an open-weight model.

A tuned open-weight model has to run somewhere. This module sizes a dedicated deployment (GPU
memory for the weights, the KV cache of every request in flight and LoRA adapters), estimates
how many tokens a replica generates and reads per second from the GPU's memory bandwidth and
compute, sizes the replicas for the peak of a daily volume and prices the month. It then sets
that cost per million tokens beside the same base model's per-token price on a host and a closed
model's API price, and finds the daily volume above which the dedicated deployment is cheaper.

Architecture comes from the model's published config (data/models.yaml): grouped-query
attention through the key-value heads and head dimension, mixture-of-experts through the total
and active parameters and the expert counts, sliding-window, linear-attention and latent-KV
layers through their own inputs.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from ._calculator import Calculator, Output
from ._data import figure_value, resolve
from ._format import price, tokens, usd
from ._inputs import (
    InputError,
    choice,
    integer,
    number,
    share,
    validate,
)
from ._svg import Marker, Series, line_chart
from ._usage import days_per_month_input

__all__ = [
    "API_MODELS",
    "BYTES",
    "CALCULATOR",
    "GPUS",
    "HOSTS",
    "MODELS",
    "Inputs",
    "blended_price",
    "break_even_tokens_per_day",
    "compute",
    "cost_per_million_tokens",
    "decode_tokens_per_second",
    "experts_read",
    "kv_cache_bytes_per_request",
    "prefill_tokens_per_second",
    "weight_bytes_read_per_step",
]

# Models in data/models.yaml whose `calculators` list names serving-cost (a unit test keeps the
# two equal; choices must be known when the module is imported).
MODELS = (
    "llama-3-1-8b",
    "llama-3-3-70b",
    "qwen3-32b",
    "qwen3-30b-a3b",
    "gpt-oss-20b",
    "gpt-oss-120b",
)
# GPUs in data/gpus.yaml with memory, bandwidth, dense BF16 throughput and an hourly price.
GPUS = ("h100-80gb", "a100-80gb", "h200")
# Hosts in data/serving.yaml (host-prices).
HOSTS = ("fireworks", "deepinfra")
# Closed models to compare, as provider.key of data/price-models.yaml (prices from genai-prices).
# Only models with no announced shutdown: tests/unit/test_serving_cost.py checks data/lifecycle.yaml.
API_MODELS = (
    "openai.gpt-6-luna",
    "openai.gpt-6-1-terra",
    "openai.gpt-6-1-sol",
    "anthropic.claude-haiku-5-5",
    "anthropic.claude-sonnet-5-5",
    "google.gemini-3-5-flash-lite",
)

# Bytes per stored number. int4 is 4 bits; formats such as MXFP4 add a small per-block scale
# (about 0.25 bit) that is not counted.
BYTES = {"bf16": 2.0, "fp8": 1.0, "int4": 0.5}

# The model architecture inputs and their keys in data/models.yaml.
_ARCH = (
    ("layers", "layers"),
    ("kv_heads", "kv-heads"),
    ("head_dim", "head-dim"),
    ("total_params_billion", "total-params-billion"),
    ("active_params_billion", "active-params-billion"),
    ("experts", "experts"),
    ("experts_per_token", "experts-per-token"),
    ("full_attention_layers", "full-attention-layers"),
    ("sliding_window", "sliding-window"),
    ("max_context", "max-context"),
)
SECONDS_PER_DAY = 86_400
HOURS_PER_DAY = 24
MIN_EFFICIENCY = 0.01  # the smallest share of bandwidth, compute or memory accepted


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs:
    """One dedicated deployment of an open-weight model, and the traffic it serves."""

    model: str = choice(
        "Model",
        (*MODELS, "custom"),
        help="Choosing a model fills in its published architecture; choose custom to type "
        "your own below.",
    )
    weight_precision: str = choice(
        "Weight precision",
        tuple(BYTES),
        help="bf16 as released; fp8 or int4 after quantization (gpt-oss ships its experts in "
        "a 4-bit format).",
    )
    kv_precision: str = choice(
        "KV cache precision", ("bf16", "fp8"), help="fp8 halves the cache (vLLM kv_cache_dtype)."
    )
    context_tokens: int = integer(
        "Context per request",
        unit="tokens",
        minimum=1,
        maximum=10_000_000,
        step=1024,
        help="Prompt plus output of one request: the KV cache each request in flight holds.",
    )
    concurrent_requests: int = integer(
        "Requests in flight per replica",
        unit="requests",
        minimum=1,
        maximum=100_000,
        step=8,
        help="How many requests one replica decodes together (the batch).",
    )
    gpu: str = choice("GPU", GPUS, help="Memory, bandwidth, throughput and price from data/.")
    gpus_per_replica: int = integer(
        "GPUs per replica",
        unit="GPUs",
        minimum=1,
        maximum=1024,
        help="GPUs that hold one copy of the model (tensor parallel).",
    )
    input_tokens_per_day: float = number(
        "Input tokens per day",
        unit="tokens",
        maximum=1e15,
        step=1e6,
        help="Prompt tokens sent to the model on an average day, all requests together.",
    )
    output_tokens_per_day: float = number(
        "Output tokens per day",
        unit="tokens",
        maximum=1e15,
        step=1e6,
        help="Tokens the model generates on an average day.",
    )
    peak_factor: float = number(
        "Peak over average traffic",
        unit="×",
        minimum=1,
        maximum=1000,
        step=0.5,
        help="Replicas are sized for the busiest hour; the month is billed in full.",
    )
    host: str = choice(
        "Per-token host to compare",
        HOSTS,
        help="The base model's per-token price there (blank where that host does not serve it).",
    )
    api_model: str = choice(
        "Closed model to compare", API_MODELS, help="Its API price per token, from data/."
    )
    lora_adapters: int = integer(
        "LoRA adapters served",
        unit="adapters",
        maximum=10_000,
        default=0,
        help="Adapters loaded on the same deployment; each takes its own memory.",
    )
    adapter_mb: float = number(
        "Size of one adapter",
        unit="MB",
        maximum=100_000,
        step=1,
        help="Rank 16 on all seven linear layers of Llama 3.1 8B: 41.9M parameters, 84 MB in bf16.",
        advanced=True,
    )
    gpu_hourly_price: float = number(
        "GPU price override",
        unit="$ per GPU-hour",
        maximum=1_000,
        step=0.1,
        help="0 uses the on-demand price in data/ for the GPU chosen.",
        advanced=True,
    )
    bandwidth_efficiency: float = share(
        "Share of memory bandwidth reached",
        help="Decode reads weights and KV cache every step; engines reach about 0.8 of the "
        "datasheet.",
        advanced=True,
    )
    compute_efficiency: float = share(
        "Share of compute peak reached",
        help="Matrix multiplications on large batches (prefill, big decode batches) reach about "
        "0.6 of dense BF16 peak.",
        advanced=True,
    )
    gpu_memory_fraction: float = share(
        "Share of GPU memory the engine uses",
        help="vLLM's gpu_memory_utilization (0.92 by default).",
        advanced=True,
    )
    days_per_month: float = days_per_month_input()
    layers: int = integer("Layers", unit="layers", minimum=1, maximum=1000, advanced=True)
    kv_heads: int = integer("Key-value heads", unit="heads", minimum=1, maximum=1024, advanced=True)
    head_dim: int = integer(
        "Head dimension", unit="dimensions", minimum=1, maximum=4096, advanced=True
    )
    total_params_billion: float = number(
        "Total parameters",
        unit="billion",
        minimum=0.001,
        maximum=100_000,
        step=0.1,
        advanced=True,
    )
    active_params_billion: float = number(
        "Active parameters per token",
        unit="billion",
        minimum=0.001,
        maximum=100_000,
        step=0.1,
        help="Equal to the total for a dense model.",
        advanced=True,
    )
    experts: int = integer(
        "Experts per layer",
        unit="experts",
        minimum=1,
        maximum=10_000,
        advanced=True,
        help="1 for a dense model.",
    )
    experts_per_token: int = integer(
        "Experts per token",
        unit="experts",
        minimum=1,
        maximum=10_000,
        advanced=True,
        help="1 for a dense model.",
    )
    full_attention_layers: int = integer(
        "Full-attention layers",
        unit="layers",
        maximum=1000,
        help="Layers that keep every token's keys and values; 0 means all layers. The others "
        "keep a sliding window, or a fixed state (linear attention) when the window is 0.",
        advanced=True,
    )
    sliding_window: int = integer(
        "Sliding window of the other layers",
        unit="tokens",
        maximum=10_000_000,
        help="0 when the other layers are linear attention (or there are none).",
        advanced=True,
    )
    latent_kv_dim: int = integer(
        "Latent KV width",
        unit="numbers per token per layer",
        maximum=65_536,
        default=0,
        help="Latent attention (DeepSeek MLA: 512 + 64 = 576) stores this instead of keys and "
        "values per head. 0 for ordinary attention.",
        advanced=True,
    )
    state_mb_per_request: float = number(
        "Fixed state per request",
        unit="MB",
        maximum=1_000_000,
        step=1,
        default=0.0,
        help="Linear-attention layers keep a state of fixed size per request.",
        advanced=True,
    )
    max_context: int = integer(
        "Longest context the model supports",
        unit="tokens",
        minimum=1,
        maximum=100_000_000,
        advanced=True,
    )

    def __post_init__(self) -> None:
        validate(self)
        if self.active_params_billion > self.total_params_billion:
            raise InputError(
                "active-params-billion",
                f"must be at most the total parameters ({self.total_params_billion:,g} "
                f"billion; got {self.active_params_billion:,g})",
            )
        if self.experts_per_token > self.experts:
            raise InputError(
                "experts-per-token",
                f"must be at most the experts per layer ({self.experts:,}; got "
                f"{self.experts_per_token:,})",
            )
        if self.experts == self.experts_per_token and (
            self.active_params_billion != self.total_params_billion
        ):
            raise InputError(
                "active-params-billion",
                "must equal the total parameters when every expert works on every token "
                f"(a dense model; got {self.active_params_billion:,g} of "
                f"{self.total_params_billion:,g} billion)",
            )
        if self.full_attention_layers > self.layers:
            raise InputError(
                "full-attention-layers",
                f"must be at most the {self.layers:,} layers (got {self.full_attention_layers:,})",
            )
        if self.context_tokens > self.max_context:
            raise InputError(
                "context-tokens",
                f"must be at most the model's longest context, {self.max_context:,} tokens "
                f"(got {self.context_tokens:,})",
            )
        # Below 1% of a GPU's bandwidth or compute no engine runs; a tiny share would also
        # overflow the replica count (1e-310 makes the time per token infinite).
        for name in ("bandwidth_efficiency", "compute_efficiency", "gpu_memory_fraction"):
            if getattr(self, name) < MIN_EFFICIENCY:
                raise InputError(
                    name.replace("_", "-"),
                    f"must be at least {MIN_EFFICIENCY:g} (got {getattr(self, name):g})",
                )


# ---------------------------------------------------------------------------------------------
# Memory


def kv_cache_bytes_per_request(
    context_tokens: float,
    *,
    layers: int,
    kv_heads: int,
    head_dim: int,
    kv_bytes: float,
    full_attention_layers: int = 0,
    sliding_window: int = 0,
    latent_kv_dim: int = 0,
    state_bytes: float = 0.0,
) -> float:
    """Bytes of KV cache one request holds at ``context_tokens`` tokens.

    Parameters
    ----------
    context_tokens : float
        Tokens in the request so far (prompt plus output).
    layers, kv_heads, head_dim : int
        From the model's config.json (``num_hidden_layers``, ``num_key_value_heads``,
        ``head_dim``).
    kv_bytes : float
        Bytes per cached number: 2 for bf16, 1 for fp8.
    full_attention_layers : int
        Layers that cache every token; 0 means all ``layers``.
    sliding_window : int
        Tokens the other layers keep; 0 means they keep none (linear attention, whose state is
        ``state_bytes``).
    latent_kv_dim : int
        Numbers per token per layer for latent attention (MLA); 0 for keys and values per head.
    state_bytes : float
        Fixed per-request state (linear-attention layers).

    Returns
    -------
    float
        Bytes.

    Notes
    -----
    With :math:`F` full-attention layers, :math:`S = L - F` windowed layers of window
    :math:`w`, context :math:`c` and :math:`b` bytes per number:

    .. math:: KV = b \\cdot u \\cdot (F c + S \\min(w, c)) + \\text{state}

    where :math:`u = 2 H_{kv} d` (a key and a value per key-value head) for ordinary and
    grouped-query attention, or the latent width for MLA. Counting every layer as full attention
    (the plain formula) overstates gpt-oss's cache about twice.

    References
    ----------
    Alibaba InferSim README (Qwen3-30B-A3B: 96 KB of KV cache per token in BF16);
    Hugging Face config.json of each model.

    Examples
    --------
    InferSim prints 96 KB per token for Qwen3-30B-A3B in BF16 (48 layers, 4 key-value heads of
    128): reproduced exactly.

    >>> kv_cache_bytes_per_request(1, layers=48, kv_heads=4, head_dim=128, kv_bytes=2) / 1024
    96.0

    gpt-oss-120b at 8,192 tokens: half of its 36 layers keep only a 128-token window, so the
    cache is about half the plain formula's:

    >>> arch = dict(layers=36, kv_heads=8, head_dim=64, kv_bytes=2)
    >>> plain = kv_cache_bytes_per_request(8192, **arch)
    >>> windowed = kv_cache_bytes_per_request(
    ...     8192, **arch, full_attention_layers=18, sliding_window=128)
    >>> round(plain / 1e6), round(windowed / 1e6), round(windowed / plain, 3)
    (604, 307, 0.508)
    """
    full = full_attention_layers or layers
    other = layers - full
    per_token_layer = latent_kv_dim if latent_kv_dim else 2 * kv_heads * head_dim
    held = full * context_tokens + (other * min(sliding_window, context_tokens))
    return kv_bytes * per_token_layer * held + state_bytes


# ---------------------------------------------------------------------------------------------
# Throughput


def experts_read(experts: int, experts_per_token: int, batch: float) -> float:
    """Expected distinct experts per layer that a decode step of ``batch`` tokens reads.

    Notes
    -----
    With :math:`E` experts, :math:`k` per token and tokens routed independently and uniformly,
    an expert escapes one token with probability :math:`1 - k/E`, so

    .. math:: E_{read} = E \\left(1 - (1 - k/E)^B\\right)

    Real routers are not uniform, so this is an upper estimate of the experts read; a large
    batch reads nearly all of them.

    Examples
    --------
    Qwen3-30B-A3B (128 experts, 8 per token): one sequence reads 8, sixty-four read most:

    >>> experts_read(128, 8, 1), round(experts_read(128, 8, 64), 1)
    (8.0, 125.9)
    """
    if experts_per_token >= experts:
        return float(experts)
    return experts * (1 - (1 - experts_per_token / experts) ** batch)


def weight_bytes_read_per_step(
    total_params: float,
    active_params: float,
    experts: int,
    experts_per_token: int,
    batch: float,
    weight_bytes: float,
) -> float:
    """Bytes of weights one decode step reads: the shared part and every expert any token uses.

    Notes
    -----
    From :math:`N` total and :math:`N_a` active parameters, one expert (summed over layers) has
    :math:`p = (N - N_a)/(E - k)` parameters and the shared part (attention, embeddings,
    router) :math:`N - E p`. A step reads :math:`(N - E p + E_{read} p) \\cdot b` bytes. For a
    dense model (:math:`E = k`) that is all :math:`N b`.

    Examples
    --------
    One sequence on gpt-oss-120b reads about its 5.1B active parameters; 256 read nearly all:

    >>> round(weight_bytes_read_per_step(116.8e9, 5.1e9, 128, 4, 1, 1) / 1e9, 1)
    5.1
    >>> round(weight_bytes_read_per_step(116.8e9, 5.1e9, 128, 4, 256, 1) / 1e9, 1)
    116.8
    """
    if experts_per_token >= experts:
        return total_params * weight_bytes
    per_expert = (total_params - active_params) / (experts - experts_per_token)
    shared = total_params - experts * per_expert
    read = experts_read(experts, experts_per_token, batch)
    return (shared + read * per_expert) * weight_bytes


def decode_tokens_per_second(
    batch: float,
    weight_bytes_read: float,
    kv_bytes_read: float,
    active_params: float,
    gpus: int,
    bandwidth_tb_s: float,
    peak_tflops: float,
    bandwidth_efficiency: float,
    compute_efficiency: float = 1.0,
) -> float:
    """Tokens a replica generates per second, all ``batch`` sequences together.

    Parameters
    ----------
    batch : float
        Sequences decoded together.
    weight_bytes_read : float
        From :func:`weight_bytes_read_per_step`.
    kv_bytes_read : float
        KV cache of every sequence in the batch, read once per step.
    active_params : float
        Parameters each token works through (2 FLOPs each).
    gpus : int
        GPUs in the replica (tensor parallel: bandwidth and compute add up).
    bandwidth_tb_s, peak_tflops : float
        Datasheet memory bandwidth (TB/s) and dense BF16 throughput (TFLOPS) of one GPU.
    bandwidth_efficiency, compute_efficiency : float
        Shares of those peaks reached (0–1).

    Notes
    -----
    A step takes the longer of reading memory and computing:

    .. math:: t = \\max\\left(\\frac{W + K}{G \\cdot BW \\cdot \\eta_m},
              \\frac{2 N_a B}{G \\cdot P \\cdot \\eta_c}\\right), \\qquad r = B / t

    With :math:`\\eta \\le 1` the result never exceeds the hardware's bound, :math:`B` times
    the datasheet bandwidth over the bytes read. Attention FLOPs and tensor-parallel
    communication are not counted (gpt-fast measured per-GPU bandwidth falling from 1,397 to
    1,182 GB/s going from one to two A100s).

    References
    ----------
    pytorch-labs/gpt-fast README (measured tokens per second, batch 1, A100 80GB);
    Alibaba InferSim hardware/gpu.py (memory-bandwidth efficiency 0.8).

    Examples
    --------
    gpt-fast measured 104.9 tokens/s for Llama 2 7B in bf16 at batch 1 on one A100 80GB (power
    capped at 330 W). Its 6.74B parameters are 13.5 GB; with the datasheet's 2.039 TB/s and
    InferSim's 0.8 efficiency (a different source) the estimate is within 20% of the
    measurement (it is 15% high; the cap lowers gpt-fast's card):

    >>> r = decode_tokens_per_second(1, 6.74e9 * 2, 0, 6.74e9, 1, 2.039, 312, 0.8)
    >>> round(r, 1), abs(r / 104.9 - 1) < 0.20
    (121.0, True)

    Llama 2 70B on two A100s measured 21.32 tokens/s; the estimate is within 20% too:

    >>> r = decode_tokens_per_second(1, 68.98e9 * 2, 0, 68.98e9, 2, 2.039, 312, 0.8)
    >>> round(r, 1), abs(r / 21.32 - 1) < 0.20
    (23.6, True)
    """
    memory_time = (weight_bytes_read + kv_bytes_read) / (
        gpus * bandwidth_tb_s * 1e12 * bandwidth_efficiency
    )
    compute_time = 2 * active_params * batch / (gpus * peak_tflops * 1e12 * compute_efficiency)
    return batch / max(memory_time, compute_time)


def prefill_tokens_per_second(
    active_params: float, gpus: int, peak_tflops: float, efficiency: float
) -> float:
    """Prompt tokens a replica reads per second: compute-bound, 2 FLOPs per active parameter.

    Notes
    -----
    .. math:: r_p = G \\cdot P \\cdot \\eta_c / (2 N_a)

    Attention's own FLOPs grow with the context and are not counted, so long prompts prefill
    slower than this.

    Examples
    --------
    An 8B model on one H100 at 60% of 989 TFLOPS:

    >>> round(prefill_tokens_per_second(8.03e9, 1, 989, 0.6))
    36949
    """
    return gpus * peak_tflops * 1e12 * efficiency / (2 * active_params)


# ---------------------------------------------------------------------------------------------
# Cost


def blended_price(
    input_price: float, output_price: float, input_tokens: float, output_tokens: float
) -> float:
    """Price per 1M tokens of a traffic mix.

    Examples
    --------
    Three input tokens for each output token at $0.15 / $0.60:

    >>> round(blended_price(0.15, 0.60, 3, 1), 4)
    0.2625
    """
    total = input_tokens + output_tokens
    return (input_price * input_tokens + output_price * output_tokens) / total


def cost_per_million_tokens(
    monthly_gpu_cost: float,
    input_tokens_per_day: float,
    output_tokens_per_day: float,
    days_per_month: float = 30,
) -> float | None:
    """What a dedicated deployment costs per million tokens it serves (input and output).

    The one place this arithmetic lives: other calculators (total-cost, break-even) call it
    with :func:`compute`'s ``monthly_gpu_cost``.

    Notes
    -----
    .. math:: c = \\frac{10^6 \\cdot C_{month}}{(T_{in} + T_{out}) \\cdot D}

    ``None`` when no tokens are served (the cost per token is undefined).

    Examples
    --------
    One H100 at $2.69 an hour for 30 days serving 100M tokens a day:

    >>> round(cost_per_million_tokens(2.69 * 24 * 30, 80e6, 20e6), 4)
    0.6456
    """
    total = (input_tokens_per_day + output_tokens_per_day) * days_per_month
    if total <= 0:
        return None
    return monthly_gpu_cost / total * 1e6


def break_even_tokens_per_day(
    replica_cost_per_day: float, replica_tokens_per_day: float, price_per_million: float
) -> float | None:
    """Daily volume above which a dedicated deployment costs less than paying per token.

    Notes
    -----
    One replica costs :math:`C` a day whatever it serves, up to its capacity :math:`V_1`;
    per-token pricing costs :math:`pV`. They cross at :math:`V^* = C/p`. If :math:`V^* > V_1`
    a full replica already costs more than its tokens would per token, and so does every
    further replica: the answer is ``None`` (never).

    Examples
    --------
    A $64.56-a-day GPU that can serve 500M tokens a day, against $0.2625 per 1M:

    >>> round(break_even_tokens_per_day(64.56, 500e6, 0.2625) / 1e6, 1)
    245.9
    >>> break_even_tokens_per_day(64.56, 100e6, 0.2625) is None
    True
    """
    if price_per_million <= 0:
        return None
    volume = replica_cost_per_day / price_per_million * 1e6
    return volume if volume <= replica_tokens_per_day else None


# ---------------------------------------------------------------------------------------------
# Putting it together


def _gpu(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    entry = resolve(data, data["gpus"][key])

    def value(name: str) -> float:
        node = entry[name]
        return node["value"] if isinstance(node, Mapping) else node

    return {
        "name": entry.get("name", key),
        "memory_gb": value("memory"),
        "bandwidth_tb_s": value("bandwidth"),
        "tflops": value("bf16-dense-tflops"),
        "hourly": value("hourly-price"),
        "host": entry.get("host", ""),
    }


def _api_model_name(data: Mapping[str, Any], model: str) -> str:
    """What a reader calls ``provider.key`` (data/price-models.yaml), e.g. "GPT-6 Luna"."""
    provider, _, key = model.partition(".")
    return data["price-models"]["providers"][provider]["models"][key]["name"]


def _host_prices(data: Mapping[str, Any], host: str, model: str) -> tuple[float, float] | None:
    try:
        entry = data["serving"]["host-prices"][host][model]
    except (KeyError, TypeError):
        return None
    return entry["input"]["value"], entry["output"]["value"]


def _check_model(inputs: Inputs, data: Mapping[str, Any]) -> str:
    """The model's name; for a named model the architecture inputs must match data/models.yaml."""
    if inputs.model == "custom":
        return "Custom model"
    for attr, key in _ARCH:
        want = figure_value(data, f"models.{inputs.model}.{key}")
        got = getattr(inputs, attr)
        if want != got:
            name = data["models"][inputs.model].get("name", inputs.model)
            raise InputError(
                key,
                f"{name} has {want:,} (got {got:,}); leave it at the model's value, or set "
                "model to custom to describe your own architecture",
            )
    return data["models"][inputs.model].get("name", inputs.model)


def compute(inputs: Inputs, data: Mapping[str, Any]) -> dict[str, Any]:
    """Memory, GPUs, throughput, replicas, monthly cost and the per-token comparisons.

    Parameters
    ----------
    inputs : Inputs
        The deployment and its traffic.
    data : Mapping
        The data tree: ``models``, ``gpus``, ``serving`` (host prices, efficiency figures) and
        ``prices`` (closed-model API prices).

    Returns
    -------
    dict
        The JSON keys listed in the calculator's outputs, plus ``model_name``, ``gpu_name``,
        ``gpu_hourly_price``, ``replica_tokens_per_day``, ``break_even_against``, ``curve``
        (daily volume against cost per 1M tokens, for the chart) and ``host_name``.

    Notes
    -----
    Memory: weights :math:`N b_w`, KV cache per request from
    :func:`kv_cache_bytes_per_request` at the full context, adapters at their size. The engine
    uses a share :math:`f` of each GPU's memory; ``gpus_needed`` is the smallest count whose
    share holds weights, adapters and the cache of every request in flight.
    Decode: :func:`decode_tokens_per_second` with the KV cache read at the average position
    during generation, :math:`c (1 - s_{out}/2)`, where :math:`s_{out}` is the output share of
    the daily tokens. Prefill: :func:`prefill_tokens_per_second`. A replica's busy time per
    second of peak traffic is :math:`q T_{out}/r_d + q T_{in}/r_p` over 86,400, so
    ``replicas_needed`` is its ceiling (at least 1). The month is
    :math:`R \\cdot G \\cdot h \\cdot 24 \\cdot D`.

    Examples
    --------
    See the CLI and the page; unit tests check each piece against its formula.
    """
    i = inputs
    model_name = _check_model(i, data)
    gpu = _gpu(data, i.gpu)
    hourly = i.gpu_hourly_price or gpu["hourly"]
    total = i.total_params_billion * 1e9
    active = i.active_params_billion * 1e9
    wb, kb = BYTES[i.weight_precision], BYTES[i.kv_precision]

    arch = dict(
        layers=i.layers,
        kv_heads=i.kv_heads,
        head_dim=i.head_dim,
        kv_bytes=kb,
        full_attention_layers=i.full_attention_layers,
        sliding_window=i.sliding_window,
        latent_kv_dim=i.latent_kv_dim,
        state_bytes=i.state_mb_per_request * 1e6,
    )
    weights_gb = total * wb / 1e9
    lora_gb = i.lora_adapters * i.adapter_mb / 1e3
    kv_request_gb = kv_cache_bytes_per_request(i.context_tokens, **arch) / 1e9
    kv_gb = kv_request_gb * i.concurrent_requests
    memory_total_gb = weights_gb + lora_gb + kv_gb
    usable_per_gpu = gpu["memory_gb"] * i.gpu_memory_fraction
    gpus_needed = max(1, math.ceil(memory_total_gb / usable_per_gpu - 1e-9))
    usable = usable_per_gpu * i.gpus_per_replica
    if weights_gb + lora_gb > usable:
        need = math.ceil((weights_gb + lora_gb) / usable_per_gpu - 1e-9)
        raise InputError(
            "gpus-per-replica",
            f"{model_name} in {i.weight_precision} needs at least {need:,} × {gpu['name']} "
            f"for its {weights_gb:,.1f} GB of weights"
            + (" and adapters" if lora_gb else "")
            + f" (got {i.gpus_per_replica:,})",
        )
    max_concurrent = math.floor((usable - weights_gb - lora_gb) / kv_request_gb + 1e-9)
    if i.concurrent_requests > max_concurrent:
        raise InputError(
            "concurrent-requests",
            f"at most {max_concurrent:,} requests of {i.context_tokens:,} tokens fit in "
            f"{i.gpus_per_replica:,} × {gpu['name']} next to the weights (got "
            f"{i.concurrent_requests:,}); add GPUs per replica, shorten the context or use "
            "fp8 for the KV cache",
        )

    daily = i.input_tokens_per_day + i.output_tokens_per_day
    out_share = i.output_tokens_per_day / daily if daily else 0.5
    decode_position = i.context_tokens * (1 - out_share / 2)
    kv_read = kv_cache_bytes_per_request(decode_position, **arch) * i.concurrent_requests
    w_read = weight_bytes_read_per_step(
        total, active, i.experts, i.experts_per_token, i.concurrent_requests, wb
    )
    decode = decode_tokens_per_second(
        i.concurrent_requests,
        w_read,
        kv_read,
        active,
        i.gpus_per_replica,
        gpu["bandwidth_tb_s"],
        gpu["tflops"],
        i.bandwidth_efficiency,
        i.compute_efficiency,
    )
    prefill = prefill_tokens_per_second(
        active, i.gpus_per_replica, gpu["tflops"], i.compute_efficiency
    )
    # Seconds of replica time one token of the mix takes; a replica's daily capacity at peak.
    seconds_per_token = out_share / decode + (1 - out_share) / prefill
    replica_tokens_per_day = SECONDS_PER_DAY / i.peak_factor / seconds_per_token
    busy = daily * seconds_per_token * i.peak_factor / SECONDS_PER_DAY
    replicas = max(1, math.ceil(busy - 1e-9))
    replica_cost_per_day = i.gpus_per_replica * hourly * HOURS_PER_DAY
    monthly = replicas * replica_cost_per_day * i.days_per_month
    per_million = cost_per_million_tokens(
        monthly, i.input_tokens_per_day, i.output_tokens_per_day, i.days_per_month
    )

    in_w, out_w = (1 - out_share), out_share
    host = _host_prices(data, i.host, i.model)
    host_price = blended_price(*host, in_w, out_w) if host else None
    provider, _, key = i.api_model.partition(".")
    api = data["prices"][provider][key]
    api_price = blended_price(api["input"]["value"], api["output"]["value"], in_w, out_w)
    against, compare = ("host", host_price) if host_price is not None else ("api", api_price)
    break_even = break_even_tokens_per_day(replica_cost_per_day, replica_tokens_per_day, compare)

    host_name = data["serving"]["host-prices"][i.host].get("name", i.host)
    return {
        "model_name": model_name,
        "api_model_name": _api_model_name(data, i.api_model),
        "gpu_name": gpu["name"],
        "gpu_hourly_price": hourly,
        "gpu_price_source": gpu["host"] if not i.gpu_hourly_price else "your price",
        "weights_gb": weights_gb,
        "lora_gb": lora_gb,
        "kv_cache_gb_per_request": kv_request_gb,
        "kv_cache_gb": kv_gb,
        "memory_total_gb": memory_total_gb,
        "gpus_needed": gpus_needed,
        "max_concurrent_requests": max_concurrent,
        "decode_tokens_per_second": decode,
        "prefill_tokens_per_second": prefill,
        "replica_tokens_per_day": replica_tokens_per_day,
        "replicas_needed": replicas,
        "monthly_gpu_cost": monthly,
        "cost_per_million_tokens": per_million,
        "host_name": host_name,
        "host_cost_per_million_tokens": host_price,
        "api_cost_per_million_tokens": api_price,
        "break_even_against": against,
        "break_even_tokens_per_day": break_even,
        "curve": _curve(replica_cost_per_day, replica_tokens_per_day, i.days_per_month, daily),
    }


def _curve(
    replica_cost_per_day: float, replica_tokens_per_day: float, days: float, daily: float
) -> list[tuple[float, float]]:
    """(tokens per day, self-hosted $ per 1M) from 1/1000 of a replica's capacity to 100 replicas."""
    lo = math.floor(math.log10(max(replica_tokens_per_day / 1000, 1.0)))
    hi = math.ceil(math.log10(max(replica_tokens_per_day * 100, daily * 2, 10.0)))
    points = []
    n = 120
    for k in range(n + 1):
        v = 10 ** (lo + (hi - lo) * k / n)
        replicas = max(1, math.ceil(v / replica_tokens_per_day - 1e-9))
        points.append((v, replicas * replica_cost_per_day / v * 1e6))
    return points


def answer(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """The result in one sentence: what the page leads with."""
    r = result
    replicas = f"{r['replicas_needed']:,} replica{'s' if r['replicas_needed'] != 1 else ''}"
    who = "the host" if r["break_even_against"] == "host" else r["api_model_name"]
    cheaper = (
        f"cheaper than {who} above about {tokens(r['break_even_tokens_per_day'])} a day"
        if r["break_even_tokens_per_day"] is not None
        else f"never cheaper than {who} at this setup"
    )
    return (
        f"{usd(r['monthly_gpu_cost'])} a month for {replicas} of {r['model_name']}, each on "
        f"{r['gpus_needed']:,} × {r['gpu_name']}; {cheaper}."
    )


def summarize(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """A paragraph to paste into an email."""
    i, r = inputs, result
    text = (
        f"{r['model_name']} in {i.weight_precision} takes {r['weights_gb']:,.1f} GB of weights; "
        f"{i.concurrent_requests:,} requests of {i.context_tokens:,} tokens add "
        f"{r['kv_cache_gb']:,.1f} GB of KV cache, so a replica needs {r['gpus_needed']:,} × "
        f"{r['gpu_name']} (you chose {i.gpus_per_replica:,}). It generates about "
        f"{r['decode_tokens_per_second']:,.0f} tokens a second at that load. "
        f"{r['replicas_needed']:,} replica{'s cover' if r['replicas_needed'] != 1 else ' covers'} "
        f"the peak of {tokens(i.input_tokens_per_day + i.output_tokens_per_day)} a day, for "
        f"{usd(r['monthly_gpu_cost'])} a month at {price(r['gpu_hourly_price'])} per GPU-hour"
    )
    if r["cost_per_million_tokens"] is not None:
        text += f": {price(r['cost_per_million_tokens'])} per 1M tokens. "
    else:
        text += ". "
    if r["host_cost_per_million_tokens"] is not None:
        text += (
            f"The base model costs {price(r['host_cost_per_million_tokens'])} per 1M on "
            f"{r['host_name']} (the base model's price; a tuned copy may cost more). "
        )
    text += f"{r['api_model_name']} costs {price(r['api_cost_per_million_tokens'])} per 1M. "
    who = "the host" if r["break_even_against"] == "host" else r["api_model_name"]
    if r["break_even_tokens_per_day"] is None:
        text += f"At this setup the dedicated deployment never gets cheaper than {who}. "
    else:
        text += (
            f"The dedicated deployment is cheaper than {who} above about "
            f"{tokens(r['break_even_tokens_per_day'])} a day. "
        )
    text += "Estimates from datasheet bandwidth and compute with stated efficiencies."
    return text


def chart(inputs: Inputs, result: dict[str, Any]) -> str:
    """Cost per 1M tokens against daily volume: self-hosted, the host and the API."""
    curve = result["curve"]
    xs = [math.log10(curve[0][0]), math.log10(curve[-1][0])]
    series = [Series("Dedicated GPUs", [(math.log10(v), c) for v, c in curve], "s1")]
    flat = []
    if result["host_cost_per_million_tokens"] is not None:
        flat.append(
            (f"{result['host_name']}, base model", result["host_cost_per_million_tokens"], "s2")
        )
    flat.append((f"{result['api_model_name']} API", result["api_cost_per_million_tokens"], "s3"))
    for name, value, css in flat:
        series.append(Series(name, [(xs[0], value), (xs[-1], value)], css))
    markers = []
    be = result["break_even_tokens_per_day"]
    if be is not None:
        markers.append(Marker(math.log10(be), f"Break-even: {tokens(be)} a day"))
        desc = (
            f"The dedicated line falls as volume grows and crosses the per-token line at about "
            f"{tokens(be)} a day."
        )
    else:
        desc = "The dedicated line stays above the per-token line at every volume shown."
    daily = inputs.input_tokens_per_day + inputs.output_tokens_per_day
    if daily > 0:
        markers.append(Marker(math.log10(daily), f"Your volume: {_volume_tick(math.log10(daily))}"))
    # Room for the per-token lines and the dedicated line's lowest point; higher values leave
    # through the top edge (the table keeps them).
    cap = 3 * max([v for _, v, _ in flat] + [min(c for _, c in curve)])
    return line_chart(
        title="Cost per 1M tokens against daily volume",
        desc=desc,
        series=series,
        markers=markers,
        x_label="Tokens per day (log scale)",
        x_fmt=_volume_tick,
        y_fmt=price,
        table_every=10,
        y_cap=cap,
    )


def _volume_tick(x: float) -> str:
    """A decade on the chart's log axis: 10**x tokens as "100K", "1M", "10B"."""
    v = 10**x
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if v >= size:
            return f"{v / size:,.3g}{unit}"
    return f"{v:,.3g}"


CALCULATOR = Calculator(
    slug="serving-cost",
    title="Serving cost",
    question="What does it cost to serve an open-weight model on your own GPUs, next to "
    "per-token prices?",
    inputs=Inputs,
    outputs=(
        Output("weights_gb", "Weights", "memory"),
        Output("kv_cache_gb_per_request", "KV cache per request", "memory"),
        Output("kv_cache_gb", "KV cache, all requests in flight", "memory"),
        Output("memory_total_gb", "Memory in total", "memory"),
        Output("gpus_needed", "GPUs needed per replica", "count"),
        Output("max_concurrent_requests", "Most requests in flight per replica", "count"),
        Output("decode_tokens_per_second", "Output tokens per second per replica", "count"),
        Output("prefill_tokens_per_second", "Prompt tokens per second per replica", "count"),
        Output("replicas_needed", "Replicas for the peak", "count"),
        Output("monthly_gpu_cost", "GPU cost per month", "usd"),
        Output("cost_per_million_tokens", "Dedicated cost per 1M tokens", "price"),
        Output("host_cost_per_million_tokens", "Base model per 1M tokens on the host", "price"),
        Output("api_cost_per_million_tokens", "Closed model per 1M tokens", "price"),
        Output("break_even_tokens_per_day", "Break-even volume", "tokens"),
    ),
    compute=compute,
    answer=answer,
    summarize=summarize,
    chart=chart,
    preset_input="model",
)
