"""Training-run cost: what one fine-tuning job costs on a hosted API, and on a rented GPU.

Hosted fine-tuning APIs bill the tokens they train on: the training file's tokens times the
number of epochs, plus (at some hosts) the validation tokens each time they evaluate. This
module prices that for one run and for the several runs a real project needs (sweeps, retries,
data refreshes), and estimates the GPU time the same training would take on your own GPU from
the arithmetic every transformer does per token.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ._calculator import Calculator, Output
from ._data import as_of_note
from ._format import gpu_time, price, usd
from ._inputs import InputError, flag, integer, number, share, validate

__all__ = [
    "CALCULATOR",
    "FLOPS_PER_PARAMETER_TOKEN",
    "FORWARD_FLOPS_PER_PARAMETER_TOKEN",
    "Inputs",
    "auto_epochs",
    "billed_tokens",
    "compute",
    "gpu_hours",
    "training_flops",
]

# OpenAI's automatic epoch rule (OpenAI Cookbook, Chat_finetuning_data_prep). The same figures
# live in data/calculators/training-cost.yaml (auto-epochs), which the page cites; a unit test
# keeps the two equal.
TARGET_EPOCHS = 3
MIN_EXAMPLES_SEEN = 100
MAX_EXAMPLES_SEEN = 25_000
MIN_EPOCHS = 1
MAX_EPOCHS = 25

# Kaplan et al. 2020, section 2.1: training costs about 6 FLOPs per parameter per token
# (2 forward, 4 backward); a forward pass alone about 2. Also in data/compute.yaml.
FLOPS_PER_PARAMETER_TOKEN = 6
FORWARD_FLOPS_PER_PARAMETER_TOKEN = 2

_MIN_UTILIZATION = 0.01  # below 1% of peak nobody runs a job; it also keeps hours finite


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs:
    """One fine-tuning run, repeated ``runs`` times. Prices are USD per 1M training tokens."""

    examples: int = integer(
        "Training examples",
        unit="examples",
        minimum=1,
        maximum=100_000_000,
        step=100,
        help="Example conversations (or prompt–completion pairs) in the training file.",
    )
    tokens_per_example: int = integer(
        "Tokens per example",
        unit="tokens",
        minimum=1,
        maximum=2_000_000,
        step=50,
        help="Average length of one example, prompt and answer together.",
    )
    epochs: int = integer(
        "Epochs",
        unit="passes over the data",
        minimum=0,
        maximum=1000,
        help="How many times training reads the whole file. 0 means automatic: OpenAI's rule "
        "(3, more for tiny files, fewer for very large ones).",
    )
    price_per_million: float = number(
        "Training price",
        unit="$ per 1M training tokens",
        maximum=10_000,
        step=0.5,
        help="What the host charges per million tokens it trains on.",
    )
    validation_examples: int = integer(
        "Validation examples",
        unit="examples",
        maximum=100_000_000,
        step=10,
        default=0,
        help="Held-out examples the job scores the model on while it trains.",
        advanced=True,
    )
    bill_validation: bool = flag(
        "Host bills validation tokens",
        help="OpenAI does not bill them; Together bills evaluations × validation tokens.",
        advanced=True,
    )
    evaluations: int = integer(
        "Evaluations per run",
        unit="passes over the validation set",
        maximum=10_000,
        default=0,
        help="How often the validation set is scored. 0 means once per epoch.",
        advanced=True,
    )
    runs: int = integer(
        "Runs",
        unit="training jobs",
        minimum=1,
        maximum=10_000,
        default=1,
        help="Jobs in the whole project: hyperparameter sweeps, retries, retraining on new data.",
    )
    model_params_billion: float = number(
        "Model size for self-hosting",
        unit="billion parameters",
        maximum=10_000,
        step=1,
        default=0.0,
        help="Parameters of the open-weight model you would train yourself. 0 skips the "
        "self-hosted estimate.",
    )
    gpu_hourly_price: float = number(
        "GPU rental price",
        unit="$ per GPU-hour",
        maximum=1_000,
        step=0.1,
        advanced=True,
    )
    gpu_tflops: float = number(
        "GPU peak throughput",
        unit="dense BF16 TFLOPS",
        minimum=1,
        maximum=100_000,
        step=1,
        help="The datasheet's dense figure: half the one printed 'with sparsity'.",
        advanced=True,
    )
    utilization: float = share(
        "Share of peak throughput achieved",
        help="Model FLOPs utilization: well-tuned large training runs reach about 0.4.",
        advanced=True,
    )

    def __post_init__(self) -> None:
        validate(self)
        if self.utilization < _MIN_UTILIZATION:
            raise InputError(
                "utilization",
                f"must be at least {_MIN_UTILIZATION:g} (got {self.utilization:,.10g})",
            )


def auto_epochs(examples: int) -> int:
    """Epochs OpenAI picks when you leave them out.

    Parameters
    ----------
    examples : int
        Training examples in the file (at least 1).

    Returns
    -------
    int
        3, unless the file is so small or so large that 3 passes would show the model fewer
        than 100 or more than 25,000 examples.

    Notes
    -----
    With :math:`n` examples and a target of 3 epochs:

    .. math::

        e = \\begin{cases}
            \\min(25, \\lfloor 100 / n \\rfloor) & 3n < 100 \\\\
            \\max(1, \\lfloor 25000 / n \\rfloor) & 3n > 25000 \\\\
            3 & \\text{otherwise}
        \\end{cases}

    References
    ----------
    OpenAI Cookbook, "Data preparation and analysis for chat model fine-tuning"
    (Chat_finetuning_data_prep), default epoch rule.

    Examples
    --------
    A 1,000-example file gets the default three passes; 10 examples get ten; 100,000 get one:

    >>> auto_epochs(1000), auto_epochs(10), auto_epochs(100_000)
    (3, 10, 1)
    """
    if examples * TARGET_EPOCHS < MIN_EXAMPLES_SEEN:
        return min(MAX_EPOCHS, MIN_EXAMPLES_SEEN // examples)
    if examples * TARGET_EPOCHS > MAX_EXAMPLES_SEEN:
        return max(MIN_EPOCHS, MAX_EXAMPLES_SEEN // examples)
    return TARGET_EPOCHS


def billed_tokens(
    training_tokens: float,
    epochs: int,
    validation_tokens: float = 0,
    evaluations: int = 0,
    bill_validation: bool = False,
) -> float:
    """Tokens a host bills for one run.

    Parameters
    ----------
    training_tokens : float
        Tokens in the training file (one pass).
    epochs : int
        Passes over the training file.
    validation_tokens : float
        Tokens in the validation file (one pass).
    evaluations : int
        Passes over the validation file during the run.
    bill_validation : bool
        Whether the host bills validation tokens at all.

    Notes
    -----
    .. math:: B = eT + [\\text{billed}]\\, kV

    OpenAI bills :math:`eT` only; Together bills :math:`eT + kV` (its fine-tuning pricing page).

    Examples
    --------
    >>> billed_tokens(100_000, 3)
    300000
    >>> billed_tokens(100_000, 3, validation_tokens=10_000, evaluations=3, bill_validation=True)
    330000
    """
    return training_tokens * epochs + (validation_tokens * evaluations if bill_validation else 0)


def training_flops(
    params: float,
    trained_tokens: float,
    evaluated_tokens: float = 0,
    per_token: float = FLOPS_PER_PARAMETER_TOKEN,
) -> float:
    """Floating-point operations to train ``params`` parameters on ``trained_tokens`` tokens.

    Parameters
    ----------
    params : float
        Model parameters (not billions).
    trained_tokens : float
        Tokens trained on, all epochs together.
    evaluated_tokens : float
        Validation tokens scored (forward pass only), all evaluations together.
    per_token : float
        FLOPs per parameter per trained token: 6 for full fine-tuning.

    Notes
    -----
    .. math:: F = 6NT + 2NV

    Each trained token costs about :math:`2N` FLOPs forward and :math:`4N` backward; a scored
    validation token about :math:`2N`. Attention's own FLOPs (small next to :math:`N` at the
    sequence lengths of fine-tuning data) are left out.

    References
    ----------
    Kaplan et al. 2020, "Scaling Laws for Neural Language Models", section 2.1,
    https://arxiv.org/abs/2001.08361

    Examples
    --------
    An 8B model trained on 500,000 tokens:

    >>> training_flops(8e9, 500_000)
    2.4e+16
    """
    return per_token * params * trained_tokens + FORWARD_FLOPS_PER_PARAMETER_TOKEN * (
        params * evaluated_tokens
    )


def gpu_hours(flops: float, peak_tflops: float, utilization: float) -> float:
    """GPU-hours to do ``flops`` operations on a GPU reaching ``utilization`` of its peak.

    Notes
    -----
    .. math:: h = F / (P \\cdot 10^{12} \\cdot u \\cdot 3600)

    Examples
    --------
    A thousand H100-hours' worth of work at 40% of 989 TFLOPS:

    >>> round(gpu_hours(989e12 * 0.4 * 3600 * 1000, 989, 0.4))
    1000
    """
    return flops / (peak_tflops * 1e12 * utilization * 3600)


def compute(inputs: Inputs, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Hosted cost per run and for all runs, and the self-hosted GPU estimate.

    Parameters
    ----------
    inputs : Inputs
        The run. ``data`` is unused (prices arrive as inputs).

    Returns
    -------
    dict
        ``training_tokens`` (one pass over the file), ``epochs`` (the epochs used),
        ``epochs_auto`` (True when OpenAI's rule chose them), ``epochs_note``,
        ``validation_tokens``, ``evaluations`` (used), ``billed_tokens`` (per run),
        ``cost_per_run`` and ``cost`` (all runs, USD), ``flops_per_run``, ``gpu_hours_per_run``,
        ``gpu_hours`` and ``self_hosted_cost`` (all runs; None when the model size is 0),
        ``self_hosted_cost_per_run``.

    Notes
    -----
    Hosted: :math:`C = r \\cdot P \\cdot B / 10^6` with :math:`B` from :func:`billed_tokens` and
    :math:`r` runs. Self-hosted: :func:`training_flops` over :func:`gpu_hours`, times the hourly
    price. Validation examples are taken to be as long as training examples.

    References
    ----------
    Timespade's founder guide to fine-tuning, cost paragraph; OpenAI fine-tuning guide (100,000 tokens
    for 3 epochs on GPT-4o-mini is about $0.90); Together AI fine-tuning pricing page.

    Examples
    --------
    The founder guide: a dataset of 1,000 examples averaging 500 tokens, one epoch on GPT-4o-mini at
    $3 per 1M training tokens. What does the run cost?

    >>> seed = dict(examples=1000, tokens_per_example=500, epochs=1, price_per_million=3.0,
    ...             gpu_hourly_price=2.69, gpu_tflops=989, utilization=0.4)
    >>> r = compute(Inputs(**seed))
    >>> r["training_tokens"], r["billed_tokens"], round(r["cost"], 2)
    (500000, 500000, 1.5)

    OpenAI's guide: 100,000 training tokens (200 examples of 500) for 3 epochs:

    >>> r = compute(Inputs(**{**seed, "examples": 200, "epochs": 3}))
    >>> r["billed_tokens"], round(r["cost"], 2)
    (300000, 0.9)

    Leave the epochs out (0) and OpenAI's rule picks 3 for 200 examples, the same answer:

    >>> r = compute(Inputs(**{**seed, "examples": 200, "epochs": 0}))
    >>> r["epochs"], round(r["cost"], 2)
    (3, 0.9)

    Training the seed's file on an 8B model on one H100 at 40% utilization takes about a minute
    of GPU time:

    >>> r = compute(Inputs(**{**seed, "model_params_billion": 8}))
    >>> round(r["gpu_hours"] * 60, 1), round(r["self_hosted_cost"], 3)
    (1.0, 0.045)
    """
    i = inputs
    auto = i.epochs == 0
    epochs = auto_epochs(i.examples) if auto else i.epochs
    evaluations = i.evaluations or epochs
    training_tokens = i.examples * i.tokens_per_example
    validation_tokens = i.validation_examples * i.tokens_per_example
    billed = billed_tokens(
        training_tokens, epochs, validation_tokens, evaluations, i.bill_validation
    )
    per_run = billed * i.price_per_million / 1e6
    if auto:
        note = (
            f"OpenAI's automatic rule: {epochs} epoch{'s' if epochs != 1 else ''} "
            f"for {i.examples:,} examples."
        )
    else:
        note = "As entered."
    result: dict[str, Any] = {
        "training_tokens": training_tokens,
        "epochs": epochs,
        "epochs_auto": auto,
        "epochs_note": note,
        "validation_tokens": validation_tokens,
        "evaluations": evaluations if validation_tokens else 0,
        "billed_tokens": billed,
        "cost_per_run": per_run,
        "cost": per_run * i.runs,
        "flops_per_run": None,
        "gpu_hours_per_run": None,
        "gpu_hours": None,
        "self_hosted_cost_per_run": None,
        "self_hosted_cost": None,
    }
    if i.model_params_billion > 0:
        flops = training_flops(
            i.model_params_billion * 1e9,
            training_tokens * epochs,
            validation_tokens * evaluations,
            FLOPS_PER_PARAMETER_TOKEN,
        )
        hours = gpu_hours(flops, i.gpu_tflops, i.utilization)
        result.update(
            flops_per_run=flops,
            gpu_hours_per_run=hours,
            gpu_hours=hours * i.runs,
            self_hosted_cost_per_run=hours * i.gpu_hourly_price,
            self_hosted_cost=hours * i.gpu_hourly_price * i.runs,
        )
    return result


def answer(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """The result in one sentence: what the page leads with."""
    i, r = inputs, result
    runs = f"{i.runs:,} run{'s' if i.runs != 1 else ''}"
    text = (
        f"{usd(r['cost'])} for {runs} on a hosted service: {r['billed_tokens']:,} tokens "
        f"billed a run at {price(i.price_per_million)} per 1M"
    )
    if r["gpu_hours"] is not None:
        text += f", or about {gpu_time(r['gpu_hours'])} on your own GPUs"
    return text + "."


def summarize(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """A paragraph to paste into an email."""
    i, r = inputs, result
    runs = f"{i.runs:,} run{'s' if i.runs != 1 else ''}"
    epochs = f"{r['epochs']:,} epoch{'s' if r['epochs'] != 1 else ''}"
    text = (
        f"Fine-tuning on {i.examples:,} examples of about {i.tokens_per_example:,} tokens for "
        f"{epochs}{' (automatic)' if r['epochs_auto'] else ''} bills {r['billed_tokens']:,} "
        f"tokens a run; at {price(i.price_per_million)} per 1M training tokens that is "
        f"{usd(r['cost_per_run'])} a run and {usd(r['cost'])} for {runs}. "
    )
    if r["gpu_hours"] is not None:
        text += (
            f"Training a model of {i.model_params_billion:g}B parameters yourself on GPUs of "
            f"{i.gpu_tflops:,.0f} TFLOPS at {i.utilization:.0%} of peak would take about "
            f"{gpu_time(r['gpu_hours'])} ({usd(r['self_hosted_cost'])} at "
            f"{price(i.gpu_hourly_price)} an hour), before setup time and idle GPUs. "
        )
    text += (
        "Assumes 6 FLOPs per parameter per trained token (full fine-tuning; LoRA is somewhat "
        "less). " + as_of_note(data, "training-cost")
    )
    return text.strip()


CALCULATOR = Calculator(
    slug="training-cost",
    title="Training-run cost",
    question="What does one fine-tuning run cost, hosted or on your own GPU?",
    inputs=Inputs,
    outputs=(
        Output("training_tokens", "Training tokens per epoch", "tokens"),
        Output("epochs", "Epochs used", "count"),
        Output("epochs_note", "How the epochs were set", "sentence"),
        Output("billed_tokens", "Billed tokens per run", "tokens"),
        Output("cost_per_run", "Hosted cost per run", "usd"),
        Output("cost", "Hosted cost, all runs", "usd"),
        Output("gpu_hours", "GPU time on your own GPU, all runs", "gpu_time"),
        Output("self_hosted_cost", "GPU rental, all runs", "usd"),
    ),
    compute=compute,
    answer=answer,
    summarize=summarize,
)
