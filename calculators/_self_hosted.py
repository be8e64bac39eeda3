"""The fine-tuned model on your own GPUs: serving-cost's monthly bill inside break-even and
total-cost.

``break-even`` and ``total-cost`` price the fine-tuned model per token by default. A reader who
will run it on dedicated GPUs chooses ``fine-tuned-serving=self-hosted`` and names the model
and the GPU; the monthly cost then comes from :mod:`calculators.serving_cost`, run on the tuned
model's daily tokens with serving-cost's own defaults for everything else (context, requests in
flight, peak factor, efficiencies, GPUs per replica from the model's preset). Nothing of the
memory, throughput or replica arithmetic is written here: one formula, one place.

The inputs are declared once, here, and both calculators' inputs dataclasses use them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from . import serving_cost
from ._format import tokens, usd
from ._inputs import InputError, choice, parse_inputs
from ._resolve import as_raw, resolve_inputs

__all__ = [
    "MODES",
    "SelfHosted",
    "daily_tokens",
    "describe",
    "self_hosted",
    "serving_gpu_input",
    "serving_input",
    "serving_model_input",
]

#: How the fine-tuned model is paid for: per token (and a hosting fee), or GPUs of your own.
MODES = ("per-token", "self-hosted")

# serving-cost's inputs that the reader's GPU choice can fix (the rest belong to the model).
_GPU_FIELDS = ("gpu", "gpus-per-replica", "concurrent-requests")
# serving-cost's daily volume, which comes from the calls per day.
_VOLUME_FIELDS = ("input-tokens-per-day", "output-tokens-per-day")


def serving_input() -> Any:
    """Per-token (the default, and the only choice before this input existed) or self-hosted."""
    return choice(
        "How the fine-tuned model is served",
        MODES,
        default="per-token",
        help="per-token: the fine-tuned prices and hosting fee above. self-hosted: dedicated "
        "GPUs of your own, priced by the serving-cost calculator for this many calls; the "
        "fine-tuned token prices are then not used.",
    )


def serving_model_input() -> Any:
    """The open-weight model run on your own GPUs (serving-cost's model presets)."""
    return choice(
        "Open-weight model on your GPUs",
        serving_cost.MODELS,
        default="llama-3-1-8b",
        help="Used when self-hosted: the tuned model's architecture, in the precision it is "
        "released in, with serving-cost's GPUs per replica for it.",
        advanced=True,
    )


def serving_gpu_input() -> Any:
    """The GPU the self-hosted model runs on (serving-cost's GPUs)."""
    return choice(
        "GPU for the self-hosted model",
        serving_cost.GPUS,
        default="h100-80gb",
        help="Used when self-hosted: memory, speed and hourly price from data/.",
        advanced=True,
    )


@dataclasses.dataclass(frozen=True)
class SelfHosted:
    """serving-cost's answer for the fine-tuned model's traffic."""

    monthly_gpu_cost: float  # USD per month, every replica billed all month
    replicas: int
    replica_tokens_per_day: float  # tokens one replica serves a day at the sized peak
    gpus_per_replica: int
    model_name: str
    gpu_name: str
    tokens_per_day: float  # input and output together
    cost_per_million_tokens: float | None  # USD per 1M tokens; None at no traffic


def daily_tokens(
    calls_per_day: float, prompt_tokens: float, other_input_tokens: float, output_tokens: float
) -> tuple[float, float]:
    """The fine-tuned model's input and output tokens on an average day.

    Examples
    --------
    50,000 calls a day with a 200-token prompt, no other input and 200 output tokens:

    >>> daily_tokens(50_000, 200, 0, 200)
    (10000000, 10000000)
    """
    return (calls_per_day * (prompt_tokens + other_input_tokens), calls_per_day * output_tokens)


def self_hosted(
    *,
    model: str,
    gpu: str,
    input_tokens_per_day: float,
    output_tokens_per_day: float,
    days_per_month: float,
    data: Mapping[str, Any] | None,
) -> SelfHosted:
    """Run serving-cost on this volume, ``model`` and ``gpu``, with its defaults for the rest.

    Raises
    ------
    InputError
        On ``serving-model``, ``serving-gpu`` or ``calls-per-day`` (whichever the reader can
        change), with serving-cost's own reason, when that deployment cannot be sized.

    Notes
    -----
    serving-cost's defaults (``data/calculators/serving-cost.yaml``) and the model's preset
    fill every input not given here, exactly as on the serving-cost page when the reader picks
    this model and GPU and types this daily volume.
    """
    if data is None:
        raise TypeError("a self-hosted fine-tuned model needs the data tree (data/)")
    calc = serving_cost.CALCULATOR
    given = {
        "model": model,
        "gpu": gpu,
        "input-tokens-per-day": as_raw(float(input_tokens_per_day)),
        "output-tokens-per-day": as_raw(float(output_tokens_per_day)),
        "days-per-month": as_raw(float(days_per_month)),
    }
    try:
        inputs = parse_inputs(calc.inputs, resolve_inputs(calc, given, data, source="marker"))
        result = calc.compute(inputs, data)
    except InputError as exc:
        if exc.field in _VOLUME_FIELDS:
            field = "calls-per-day"
        elif exc.field in _GPU_FIELDS:
            field = "serving-gpu"
        else:
            field = "serving-model"
        raise InputError(
            field, f"the self-hosted deployment cannot be sized (serving-cost: {exc})"
        ) from None
    return SelfHosted(
        monthly_gpu_cost=result["monthly_gpu_cost"],
        replicas=result["replicas_needed"],
        replica_tokens_per_day=result["replica_tokens_per_day"],
        gpus_per_replica=inputs.gpus_per_replica,
        model_name=result["model_name"],
        gpu_name=result["gpu_name"],
        tokens_per_day=input_tokens_per_day + output_tokens_per_day,
        cost_per_million_tokens=result["cost_per_million_tokens"],
    )


def describe(gpus: SelfHosted, hosting_per_month: float) -> str:
    """One sentence for a summary: which model on which GPUs, how many replicas, what a month.

    Examples
    --------
    >>> gpus = SelfHosted(1936.8, 1, 1.3e8, 1, "Llama 3.1 8B", "H100 (80 GB)", 1e7, 6.46)
    >>> print(describe(gpus, 0))  # doctest: +NORMALIZE_WHITESPACE
    The fine-tuned model runs on your own GPUs: Llama 3.1 8B on 1 × H100 (80 GB) per replica;
    1 replica carries 10.00M tokens a day, busiest hour included, for $1,937 a month (the
    serving-cost calculator's estimate), and the hosting fee ($0 here) is added for anything
    else running it costs.
    """
    n = gpus.replicas
    return (
        f"The fine-tuned model runs on your own GPUs: {gpus.model_name} on "
        f"{gpus.gpus_per_replica:,} × {gpus.gpu_name} per replica; {n:,} "
        f"replica{'s carry' if n != 1 else ' carries'} {tokens(gpus.tokens_per_day)} a day, "
        f"busiest hour included, for {usd(gpus.monthly_gpu_cost)} a month (the serving-cost "
        f"calculator's estimate), and the hosting fee ({usd(hosting_per_month)} here) is added "
        "for anything else running it costs."
    )
