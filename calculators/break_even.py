"""Fine-tuning payback: when does a shorter prompt on a fine-tuned model pay for the project?

The prompted setup sends a long instruction prompt with every call. A fine-tuned model has the
behaviour built in and needs a short one, but its tokens usually cost more, it may carry a
monthly hosting fee, and the project costs money up front. This module prices both setups per
month and finds the payback month.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from . import _self_hosted as self_hosting
from . import _usage as usage
from ._calculator import Calculator, Output
from ._data import as_of_note
from ._format import lower_first, price, usd
from ._format import months as fmt_months
from ._inputs import number, validate
from ._svg import Marker, Series, line_chart

__all__ = [
    "CALCULATOR",
    "Inputs",
    "break_even_calls_per_day",
    "compute",
    "cost_per_call",
    "fine_tuned_cost_per_call",
    "fine_tuned_monthly_cost",
    "monthly_cost",
    "payback",
    "prompted_cost_per_call",
    "self_hosted_break_even_calls_per_day",
]

_NEVER_MONTHS = 1200  # a payback beyond 100 years is reported as never


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs(usage.Usage):
    """A prompted setup and its fine-tuned replacement. Prices are USD per 1M tokens.

    Calls, tokens, prices, the cached share and days per month are :class:`~._usage.Usage`'s.
    """

    # Declared again (same place) for the name the first scenario links used.
    calls_per_day: float = usage.calls_per_day_input(aliases=("daily-calls",))
    hosting_per_month: float = usage.hosting_per_month(advanced=True)
    project_cost: float = number(
        "One-time project cost",
        unit="$",
        maximum=1e10,
        step=1000,
        help="Data, labeling, engineering and training for the fine-tuning project.",
    )
    horizon_months: float = number(
        "Pay back within",
        unit="months",
        minimum=1,
        maximum=600,
        step=1,
        default=12.0,
        help="Used to find the calls per day needed to pay back within this many months.",
        advanced=True,
    )
    fine_tuned_serving: str = self_hosting.serving_input()
    serving_model: str = self_hosting.serving_model_input()
    serving_gpu: str = self_hosting.serving_gpu_input()

    def __post_init__(self) -> None:
        validate(self)


def cost_per_call(
    prompt_tokens: float,
    other_input_tokens: float,
    output_tokens: float,
    input_price: float,
    cached_input_price: float,
    output_price: float,
    cached_share: float,
) -> float:
    """Cost of one call in USD.

    Parameters
    ----------
    prompt_tokens : float
        Instruction tokens sent with every call (the part a prompt cache can serve).
    other_input_tokens, output_tokens : float
        The user's own input and the model's output, in tokens.
    input_price, cached_input_price, output_price : float
        USD per 1M tokens.
    cached_share : float
        Share of prompt tokens billed at the cached-input price, 0 to 1.

    Notes
    -----
    .. math:: c = [p((1-s)P_{in} + sP_{cached}) + uP_{in} + oP_{out}] / 10^6

    Examples
    --------
    A 1,500-token prompt at $2.50 per 1M input tokens, nothing else:

    >>> round(cost_per_call(1500, 0, 0, 2.5, 1.25, 10, 0), 6)
    0.00375
    """
    prompt = prompt_tokens * ((1 - cached_share) * input_price + cached_share * cached_input_price)
    return (prompt + other_input_tokens * input_price + output_tokens * output_price) / 1e6


def prompted_cost_per_call(u: usage.Usage, extra_input_tokens: float = 0) -> float:
    """:func:`cost_per_call` of the prompted model: its long prompt and its prices.

    ``extra_input_tokens`` (retrieved passages, for total-cost's RAG) are paid at its input
    price like the other input.

    Examples
    --------
    >>> u = Inputs(calls_per_day=50_000, prompt_tokens_before=1500, prompt_tokens_after=200,
    ...            input_price=2.5, cached_input_price=1.25, output_price=10,
    ...            fine_tuned_input_price=3.75, fine_tuned_cached_input_price=1.875,
    ...            fine_tuned_output_price=15, project_cost=15_000)
    >>> round(prompted_cost_per_call(u), 6), round(prompted_cost_per_call(u, 1000), 6)
    (0.00375, 0.00625)
    """
    return cost_per_call(
        u.prompt_tokens_before,
        u.other_input_tokens + extra_input_tokens,
        u.output_tokens,
        u.input_price,
        u.cached_input_price,
        u.output_price,
        u.cached_share,
    )


def fine_tuned_cost_per_call(u: usage.Usage) -> float:
    """:func:`cost_per_call` of the fine-tuned model: its short prompt and its prices."""
    return cost_per_call(
        u.prompt_tokens_after,
        u.other_input_tokens,
        u.output_tokens,
        u.fine_tuned_input_price,
        u.fine_tuned_cached_input_price,
        u.fine_tuned_output_price,
        u.cached_share,
    )


def monthly_cost(
    per_call: float, calls_per_day: float, days_per_month: float, fixed_per_month: float = 0.0
) -> float:
    """Monthly cost in USD: calls per month times the cost of a call, plus fixed fees."""
    return per_call * calls_per_day * days_per_month + fixed_per_month


def fine_tuned_monthly_cost(
    u: Any, data: Mapping[str, Any] | None
) -> tuple[float, self_hosting.SelfHosted | None]:
    """The fine-tuned setup's monthly cost, and serving-cost's deployment when self-hosted.

    Parameters
    ----------
    u : break-even's or total-cost's Inputs
        Usage, the fine-tuned prices, ``hosting_per_month`` and the serving inputs.
    data : Mapping or None
        The data tree; needed only when ``fine_tuned_serving`` is ``self-hosted``.

    Returns
    -------
    monthly : float
        USD per month. Per token: :func:`monthly_cost` of :func:`fine_tuned_cost_per_call`
        plus the hosting fee. Self-hosted: serving-cost's ``monthly_gpu_cost`` for the fine-tuned
        model's daily tokens (:func:`calculators._self_hosted.daily_tokens`) plus the hosting
        fee, which then stands for whatever else running it costs a month (0 by default).
    deployment : SelfHosted or None
        serving-cost's answer (replicas, GPU, model); None per token.

    Notes
    -----
    Self-hosted, the fine-tuned token prices and the cached share are not used: a prompt cache
    on your own GPUs is not counted (serving-cost sizes for every prompt token).
    """
    if u.fine_tuned_serving != "self-hosted":
        per_call = fine_tuned_cost_per_call(u)
        return monthly_cost(per_call, u.calls_per_day, u.days_per_month, u.hosting_per_month), None
    tokens_in, tokens_out = self_hosting.daily_tokens(
        u.calls_per_day, u.prompt_tokens_after, u.other_input_tokens, u.output_tokens
    )
    gpus = self_hosting.self_hosted(
        model=u.serving_model,
        gpu=u.serving_gpu,
        input_tokens_per_day=tokens_in,
        output_tokens_per_day=tokens_out,
        days_per_month=u.days_per_month,
        data=data,
    )
    return gpus.monthly_gpu_cost + u.hosting_per_month, gpus


def payback(project_cost: float, monthly_savings: float) -> tuple[float | None, str]:
    """Months until the savings repay the project, and why there is no answer when there is none.

    Parameters
    ----------
    project_cost : float
        One-time cost in USD.
    monthly_savings : float
        Cost before minus cost after, per month, in USD.

    Returns
    -------
    months : float or None
        ``project_cost / monthly_savings``; None when the savings are zero or negative.
    reason : str
        Empty when it pays back; otherwise a sentence a reader can act on.

    Notes
    -----
    .. math:: m = C / (M_{before} - M_{after})

    Undefined when :math:`M_{before} \\le M_{after}`: the fine-tuned setup never catches up.

    Examples
    --------
    >>> payback(15_000, 4_875)[0]  # doctest: +ELLIPSIS
    3.07...
    >>> payback(15_000, -100)
    (None, 'The fine-tuned setup costs more per month than the prompted one, so it never pays back.')
    """
    if monthly_savings > 0:
        months = project_cost / monthly_savings
        if months > _NEVER_MONTHS:  # also catches overflow to infinity
            return None, "The monthly savings are too small to repay the project in a lifetime."
        return months, ""
    if monthly_savings == 0:
        return None, "Both setups cost the same per month, so the project cost is never recovered."
    return None, (
        "The fine-tuned setup costs more per month than the prompted one, so it never pays back."
    )


def break_even_calls_per_day(
    project_cost: float,
    horizon_months: float,
    per_call_saving: float,
    hosting_per_month: float,
    days_per_month: float,
) -> float | None:
    """Calls per day at which the project pays back in exactly ``horizon_months``.

    Notes
    -----
    Solve :math:`n \\cdot d \\cdot \\Delta c - H = C / T` for the calls per day :math:`n`,
    where :math:`\\Delta c` is the saving per call. None when a call saves nothing.

    Examples
    --------
    With the seed's prices a call saves $0.00325, so paying back $15,000 in 12 months takes:

    >>> round(break_even_calls_per_day(15_000, 12, 0.00325, 0, 30))
    12821
    """
    if per_call_saving <= 0:
        return None
    return (project_cost / horizon_months + hosting_per_month) / (days_per_month * per_call_saving)


def self_hosted_break_even_calls_per_day(
    project_cost: float,
    horizon_months: float,
    prompted_per_call: float,
    replica_monthly_cost: float,
    replica_calls_per_day: float,
    hosting_per_month: float,
    days_per_month: float,
) -> float | None:
    """Calls per day at which a self-hosted fine-tuned model pays back in ``horizon_months``.

    Parameters
    ----------
    project_cost : float
        One-time cost in USD.
    horizon_months : float
        Months to pay back in.
    prompted_per_call : float
        USD per call of the prompted model (:func:`prompted_cost_per_call`).
    replica_monthly_cost : float
        USD per month of one replica (serving-cost: monthly GPU cost over replicas).
    replica_calls_per_day : float
        Calls one replica serves a day at the sized peak (serving-cost's replica tokens per
        day over the fine-tuned model's tokens per call); ``math.inf`` when a call has no tokens.
    hosting_per_month, days_per_month : float
        The fixed monthly fee in USD, and days in a month.

    Returns
    -------
    float or None
        Calls per day; None when no volume pays back within the horizon (a full replica
        saves less than it costs).

    Notes
    -----
    With :math:`R` replicas of cost :math:`K` each serving up to :math:`R q` calls a day, the
    saving at :math:`n` calls is :math:`n d c - R K - H`, and it must reach :math:`C / T`.
    :math:`R` replicas can do it when :math:`R (q d c - K) \\ge C/T + H`, so the fewest
    replicas are :math:`R = \\lceil (C/T + H) / (q d c - K) \\rceil` (at least 1) and the
    volume is :math:`n = (C/T + R K + H) / (d c)`. serving-cost sizes replicas the same way
    (:math:`\\lceil` volume over a replica's capacity :math:`\\rceil`).

    Examples
    --------
    A $15,000 project to pay back in 12 months; a prompted call costs $0.00375; one replica
    costs $1,800 a month and serves 400,000 calls a day. One replica is enough:

    >>> round(self_hosted_break_even_calls_per_day(15_000, 12, 0.00375, 1800, 400_000, 0, 30))
    27111
    """
    need = project_cost / horizon_months + hosting_per_month
    per_day = days_per_month * prompted_per_call
    if per_day <= 0:
        return None
    if math.isinf(replica_calls_per_day):
        replicas = 1
    else:
        margin = replica_calls_per_day * per_day - replica_monthly_cost  # a full replica's saving
        if margin < 0 or (margin == 0 and need > 0):
            return None
        replicas = max(1, math.ceil(need / margin - 1e-9)) if margin else 1
    return (need + replicas * replica_monthly_cost) / per_day


def compute(inputs: Inputs, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Monthly cost before and after fine-tuning, the savings and the payback.

    Parameters
    ----------
    inputs : Inputs
        The scenario.
    data : Mapping, optional
        The data tree; used only for a self-hosted fine-tuned model (serving-cost's figures).
        Per token, every price arrives as an input.

    Returns
    -------
    dict
        ``monthly_cost_before``, ``monthly_cost_after``, ``monthly_savings`` (USD),
        ``payback_months`` (None when it never pays back) and ``payback_reason``,
        ``cost_per_call_before``/``after``, ``break_even_calls_per_day`` (for the horizon),
        ``self_hosted_monthly_gpu_cost`` and ``self_hosted_replicas`` (serving-cost's figures;
        None per token) and ``self_hosted_text`` (a sentence; empty per token), ``cumulative`` (month, cost before, cost after) for the chart.

    Notes
    -----
    Each setup's monthly cost is its cost per call (:func:`cost_per_call`) times calls per day
    times days per month; the fine-tuned one adds the hosting fee. Self-hosted, the fine-tuned
    one is serving-cost's monthly GPU cost for its tokens plus the hosting fee
    (:func:`fine_tuned_monthly_cost`). Payback is the project cost over the monthly savings
    (:func:`payback`).

    References
    ----------
    Timespade's founder guide to fine-tuning, the break-even paragraph. It prices the tuned model
    like its base model and leaves out output tokens and caching; the inputs here add them.

    Examples
    --------
    A support chatbot makes 50,000 calls a day to GPT-4o at $2.50 per 1M input tokens with a
    1,500-token prompt. Fine-tuning cuts the prompt to 200 tokens and costs $15,000. When does it
    pay back?

    >>> seed = dict(calls_per_day=50_000, prompt_tokens_before=1500, prompt_tokens_after=200,
    ...             input_price=2.5, cached_input_price=1.25, output_price=10,
    ...             fine_tuned_input_price=2.5, fine_tuned_cached_input_price=1.25,
    ...             fine_tuned_output_price=10, project_cost=15_000)
    >>> r = compute(Inputs(**seed))
    >>> r["monthly_cost_before"], r["monthly_cost_after"], r["monthly_savings"]
    (5625.0, 750.0, 4875.0)
    >>> round(r["payback_months"], 1)
    3.1

    At 5,000 calls a day the same project takes two and a half years:

    >>> round(compute(Inputs(**{**seed, "calls_per_day": 5_000}))["payback_months"], 1)
    30.8
    """
    i = inputs
    before = prompted_cost_per_call(i)
    cost_before = monthly_cost(before, i.calls_per_day, i.days_per_month)
    cost_after, gpus = fine_tuned_monthly_cost(i, data)
    calls_per_month = i.calls_per_day * i.days_per_month
    if gpus is None:
        after = fine_tuned_cost_per_call(i)
        calls_to_pay_back = break_even_calls_per_day(
            i.project_cost, i.horizon_months, before - after, i.hosting_per_month, i.days_per_month
        )
    else:
        after = cost_after / calls_per_month if calls_per_month else None
        tokens_per_call = i.prompt_tokens_after + i.other_input_tokens + i.output_tokens
        calls_to_pay_back = self_hosted_break_even_calls_per_day(
            i.project_cost,
            i.horizon_months,
            before,
            gpus.monthly_gpu_cost / gpus.replicas,
            gpus.replica_tokens_per_day / tokens_per_call if tokens_per_call else math.inf,
            i.hosting_per_month,
            i.days_per_month,
        )
    savings = cost_before - cost_after
    months, reason = payback(i.project_cost, savings)
    horizon = max(int(i.horizon_months), 12, min(int(months * 1.5) + 1, 120) if months else 0)
    return {
        "monthly_cost_before": cost_before,
        "monthly_cost_after": cost_after,
        "monthly_savings": savings,
        "payback_months": months,
        "payback_reason": reason,
        "cost_per_call_before": before,
        "cost_per_call_after": after,
        "break_even_calls_per_day": calls_to_pay_back,
        "self_hosted_monthly_gpu_cost": gpus.monthly_gpu_cost if gpus else None,
        "self_hosted_replicas": gpus.replicas if gpus else None,
        "self_hosted_text": self_hosting.describe(gpus, i.hosting_per_month) if gpus else "",
        "cumulative": [
            [m, cost_before * m, i.project_cost + cost_after * m] for m in range(horizon + 1)
        ],
    }


def answer(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """The result in one sentence: what the page leads with.

    >>> from types import SimpleNamespace
    >>> r = {"payback_months": 3.077, "monthly_savings": 4875.0, "payback_reason": ""}
    >>> answer(SimpleNamespace(project_cost=15_000), r, {})
    'Pays back in 3.1 months: $4,875 a month saved on a $15,000 project.'
    """
    r = result
    if r["payback_months"] is None:
        return f"Never pays back: {lower_first(r['payback_reason'])}"
    return (
        f"Pays back in {fmt_months(r['payback_months'])}: {usd(r['monthly_savings'])} a month "
        f"saved on a {usd(inputs.project_cost)} project."
    )


def summarize(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """A paragraph to paste into an email."""
    i, r = inputs, result
    pays = (
        f"pays back in {fmt_months(r['payback_months'])}"
        if r["payback_months"] is not None
        else f"never pays back ({r['payback_reason']})"
    )
    if r["self_hosted_text"]:
        prices = f"{r['self_hosted_text']} Assumes an input price of {price(i.input_price)} "
        prices += "per 1M tokens (prompted)"
    else:
        prices = (
            f"Assumes input prices of {price(i.input_price)} (prompted) and "
            f"{price(i.fine_tuned_input_price)} (fine-tuned) per 1M tokens"
        )
    return (
        f"Fine-tuning payback at {i.calls_per_day:,.0f} calls a day: a prompt of "
        f"{i.prompt_tokens_before:,} tokens cut to {i.prompt_tokens_after:,} takes the monthly "
        f"bill from {usd(r['monthly_cost_before'])} to {usd(r['monthly_cost_after'])}, saving "
        f"{usd(r['monthly_savings'])} a month, so a {usd(i.project_cost)} project {pays}. "
        f"{prices} and {i.days_per_month:g} days a month. " + as_of_note(data, "break-even")
    ).strip()


def chart(inputs: Inputs, result: dict[str, Any]) -> str:
    """Cumulative cost of both setups by month, the payback month marked (SVG + data table)."""
    rows = result["cumulative"]
    months = result["payback_months"]
    if months is not None:
        marker = [Marker(months, f"Pays back in {fmt_months(months)}")]
        desc = (
            f"The fine-tuned line starts at the project cost and crosses the prompted line "
            f"after {fmt_months(months)}, when the savings have repaid the project."
        )
    else:
        marker = []
        desc = (
            "The fine-tuned line starts higher and never crosses the prompted line: "
            + result["payback_reason"]
        )
    return line_chart(
        title="Cumulative cost: prompted vs fine-tuned",
        desc=desc,
        series=[
            Series("Prompted (long prompt)", [(m, b) for m, b, _ in rows], "s1"),
            Series("Fine-tuned (project + short prompt)", [(m, a) for m, _, a in rows], "s2"),
        ],
        markers=marker,
        x_label="Months from launch",
        x_fmt=lambda m: f"{m:g}",
        y_fmt=usd,
        table_every=max(1, len(rows) // 12),
    )


CALCULATOR = Calculator(
    slug="break-even",
    title="Fine-tuning payback",
    question="How many months until a shorter fine-tuned prompt pays back the project?",
    inputs=Inputs,
    outputs=(
        Output("monthly_cost_before", "Monthly cost, prompted", "usd"),
        Output("monthly_cost_after", "Monthly cost, fine-tuned", "usd"),
        Output("monthly_savings", "Monthly savings", "usd"),
        Output("payback_months", "Payback", "months"),
        Output("payback_reason", "Why it never pays back", "sentence"),
        Output("break_even_calls_per_day", "Calls per day to pay back within the horizon", "count"),
    ),
    compute=compute,
    answer=answer,
    summarize=summarize,
    chart=chart,
)
