"""Total cost over time: prompting, prompting plus RAG, fine-tuning, or a model of your own.

Each approach is priced month by month: a one-time cost at the start, a running cost every
month, and occasional one-off costs (retraining the fine-tuned model, moving it off a hosted
platform that stops serving it). The module adds them up over a horizon, finds the cheapest
approach and the months where one approach overtakes another.

The per-call and monthly prices of prompting and fine-tuning come from
:mod:`calculators.break_even`, so the fine-tuning payback here is the payback calculator's,
computed by the same functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import _self_hosted as self_hosting
from . import _svg
from . import _usage as usage
from ._calculator import Calculator, Output
from ._data import as_of_note
from ._format import months as fmt_months
from ._format import price, usd
from ._inputs import (
    InputError,
    flag,
    integer,
    number,
    shorten,
    text,
    validate,
)
from .break_even import (
    fine_tuned_cost_per_call,
    fine_tuned_monthly_cost,
    monthly_cost,
    payback,
    prompted_cost_per_call,
)
from .which_approach import APPROACHES  # the four approaches, named once

__all__ = [
    "APPROACHES",
    "CALCULATOR",
    "Inputs",
    "Plan",
    "compute",
    "crossovers",
    "cumulative",
    "months_until",
]

#: The four approaches, in the order used for ties and for display.
LABELS = {
    "prompting": "Prompting",
    "rag": "Prompting + RAG",
    "fine-tuning": "Fine-tuning",
    "custom-model": "Custom model",
}
_IN_TEXT = {
    "prompting": "prompting",
    "rag": "prompting + RAG",
    "fine-tuning": "fine-tuning",
    "custom-model": "a custom model",
}

_MONEY = 1e10  # USD; more than any project in the sources
_MONTHLY = 1e9  # USD per month
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs(usage.Usage):
    """Usage, token prices and the costs of each approach. Prices are USD per 1M tokens.

    Calls, tokens, prices, the cached share and days per month are :class:`~._usage.Usage`'s.
    """

    months: int = integer(
        "Months to compare",
        unit="months",
        minimum=1,
        maximum=600,
        help="How far ahead to add up the costs.",
    )
    # Declared again (same place): retrieved passages have an input of their own here.
    other_input_tokens: int = usage.other_input_tokens(includes_retrieval=False)
    # -- prompting plus RAG
    retrieved_tokens: int = usage.token_count(
        "Retrieved tokens per call (RAG)",
        step=100,
        help="Document passages added to every call's input by retrieval.",
    )
    rag_setup_cost: float = number(
        "RAG setup cost",
        unit="$",
        maximum=_MONEY,
        step=1000,
        help="One-time work: ingesting documents, chunking, the retrieval pipeline, tests.",
    )
    rag_monthly_cost: float = number(
        "Vector store and upkeep (RAG)",
        unit="$ per month",
        maximum=_MONTHLY,
        step=50,
        help="Vector database hosting and keeping the index fresh.",
    )
    embedded_tokens_per_month: float = number(
        "Tokens embedded per month (RAG)",
        unit="tokens",
        maximum=1e15,
        step=1_000_000,
        help="New or changed documents plus the queries themselves.",
        advanced=True,
    )
    embedding_price: float = usage.token_price("Embedding price", step=0.01, advanced=True)
    # -- fine-tuning
    project_cost: float = number(
        "Fine-tuning project cost",
        unit="$",
        maximum=_MONEY,
        step=1000,
        help="Engineering, evaluation and training runs, paid once at the start.",
    )
    data_cost: float = number(
        "Training data cost",
        unit="$",
        maximum=_MONEY,
        step=1000,
        default=0.0,
        help="Labeling and data preparation, if not already in the project cost.",
        advanced=True,
    )
    hosting_per_month: float = usage.hosting_per_month(advanced=False)
    retrain_every_months: int = integer(
        "Retrain every",
        unit="months",
        maximum=600,
        help="Retrain the fine-tuned model this often; 0 means never.",
    )
    retrain_cost: float = number("Cost of each retraining", unit="$", maximum=_MONEY, step=500)
    hosted_fine_tune: bool = flag(
        "The fine-tuned model is hosted by a platform that will stop serving it",
        help="Counts a migration to an open-weight model at the shutdown date.",
    )
    start_date: str = text(
        "Start date", help="When the project starts, as YYYY-MM-DD.", advanced=True
    )
    shutdown_date: str = text(
        "Date the hosted fine-tuned model stops serving",
        help="YYYY-MM-DD. Defaults to OpenAI's announced shutdown of fine-tuned GPT-4o models.",
        advanced=True,
    )
    migration_cost: float = number(
        "Migration cost",
        unit="$",
        maximum=_MONEY,
        step=1000,
        help="Moving to an open-weight model fine-tuned with LoRA, paid before the shutdown.",
    )
    # -- a model of your own
    custom_build_cost: float = number(
        "Build cost, custom model",
        unit="$",
        maximum=_MONEY,
        step=10_000,
        help="Data, compute and people to train your own model.",
    )
    custom_build_months: int = integer(
        "Build time, custom model",
        unit="months",
        maximum=120,
        help="Months before it serves; until then you keep paying for prompting.",
    )
    custom_monthly_cost: float = number(
        "Serving and team cost, custom model",
        unit="$ per month",
        maximum=_MONTHLY,
        step=1000,
        help="GPU serving plus the people who keep the model running.",
    )
    # -- how the fine-tuned model is served (the serving-cost calculator, when self-hosted)
    fine_tuned_serving: str = self_hosting.serving_input()
    serving_model: str = self_hosting.serving_model_input()
    serving_gpu: str = self_hosting.serving_gpu_input()

    def __post_init__(self) -> None:
        validate(self)
        _parse_date("start-date", self.start_date)
        _parse_date("shutdown-date", self.shutdown_date)


def _parse_date(field: str, raw: str) -> dt.date:
    shown = shorten(raw)
    if not _DATE.match(raw):
        raise InputError(field, f"must be a date written YYYY-MM-DD (got {shown})")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(field, f"must be a real calendar date (got {shown})") from None
    if not 2000 <= day.year <= 2100:
        raise InputError(field, f"must be between 2000 and 2100 (got {shown})")
    return day


def months_until(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` until ``end``; 0 when ``end`` is not later.

    A migration has to be finished before the shutdown, so it is paid at the last month
    boundary on or before ``end``.

    Examples
    --------
    A project starting on 1 December 2026 has one whole month before fine-tuned GPT-4o stops
    serving on 14 January 2027:

    >>> months_until(dt.date(2026, 12, 1), dt.date(2027, 1, 14))
    1
    >>> months_until(dt.date(2026, 12, 15), dt.date(2027, 1, 14))
    0
    """
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        whole -= 1
    return max(whole, 0)


@dataclasses.dataclass(frozen=True)
class Plan:
    """One approach's costs: paid at the start, every month, and one-offs at given months.

    ``monthly`` has one entry per month (month 1 first); ``one_off`` maps a month (0 is the
    start) to a cost paid at the end of that month.
    """

    upfront: float
    monthly: Sequence[float]
    one_off: Mapping[int, float] = dataclasses.field(default_factory=dict)


def cumulative(plan: Plan) -> list[float]:
    """Total spent by the end of each month, month 0 (the start) included.

    Notes
    -----
    .. math:: T_m = U + \\sum_{k \\le m} (R_k + O_k)

    with :math:`U` the upfront cost, :math:`R_k` the running cost of month :math:`k` and
    :math:`O_k` the one-off costs paid in month :math:`k`.

    Examples
    --------
    >>> cumulative(Plan(100.0, [10.0, 10.0, 10.0], {2: 50.0}))
    [100.0, 110.0, 170.0, 180.0]
    """
    total = plan.upfront + plan.one_off.get(0, 0.0)
    out = [total]
    for m, running in enumerate(plan.monthly, start=1):
        total += running + plan.one_off.get(m, 0.0)
        out.append(total)
    return out


def _sign(x: float, scale: float) -> int:
    if abs(x) <= 1e-9 * scale:
        return 0
    return 1 if x > 0 else -1


def crossovers(plans: Mapping[str, Plan]) -> list[dict[str, Any]]:
    """Every month at which one approach's total falls below another's.

    Returns
    -------
    list of dict
        ``{"a": name, "b": name, "month": float}``: from ``month`` on, ``a`` has cost less in
        total than ``b``, having cost more before. Sorted by month.

    Notes
    -----
    Between month boundaries the totals grow linearly, so a crossing inside a month is found
    by linear interpolation of the difference; a crossing caused by a one-off cost is dated
    at the month it is paid. Approaches that start and stay equal never cross.

    Examples
    --------
    Fine-tuning costs $15,000 up front and saves $4,875 a month on a $5,625 prompting bill
    (the founder guide's chatbot at 2024 prices): it overtakes prompting at the payback, 15,000 / 4,875 months.

    >>> plans = {"prompting": Plan(0, [5625] * 6), "fine-tuning": Plan(15_000, [750] * 6)}
    >>> [(c["a"], c["b"], round(c["month"], 2)) for c in crossovers(plans)]
    [('fine-tuning', 'prompting', 3.08)]
    """
    names = list(plans)
    found = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            pa, pb = plans[a], plans[b]
            scale = 1.0 + max(abs(x) for x in (*cumulative(pa), *cumulative(pb)))
            # Points along the difference a − b: the value just before and just after each
            # month's one-off costs; between them the difference is linear.
            d = pa.upfront + pa.one_off.get(0, 0.0) - pb.upfront - pb.one_off.get(0, 0.0)
            points = [(0.0, d)]
            for m, (ra, rb) in enumerate(zip(pa.monthly, pb.monthly, strict=True), start=1):
                d += ra - rb
                points.append((float(m), d))
                jump = pa.one_off.get(m, 0.0) - pb.one_off.get(m, 0.0)
                if jump:
                    d += jump
                    points.append((float(m), d))
            last = 0
            prev_t, prev_d = points[0]
            for t, value in points:
                s = _sign(value, scale)
                if s and last and s != last:
                    share_ = prev_d / (prev_d - value) if prev_d != value else 1.0
                    month = prev_t + (t - prev_t) * share_
                    cheaper, dearer = (a, b) if s < 0 else (b, a)
                    found.append({"a": cheaper, "b": dearer, "month": month})
                if s:
                    last = s
                prev_t, prev_d = t, value
    found.sort(key=lambda c: (c["month"], APPROACHES.index(c["a"]) if c["a"] in APPROACHES else 0))
    return found


def _plans(
    i: Inputs, shutdown_month: int | None, data: Mapping[str, Any] | None
) -> tuple[dict[str, Plan], dict[str, float | None], self_hosting.SelfHosted | None]:
    """The four approaches' plans, their per-call costs and the self-hosted deployment."""
    n = i.months
    fine_tuned, gpus = fine_tuned_monthly_cost(i, data)
    calls_per_month = i.calls_per_day * i.days_per_month
    per_call = {
        "prompting": prompted_cost_per_call(i),
        "rag": prompted_cost_per_call(i, extra_input_tokens=i.retrieved_tokens),
        # Self-hosted: the GPUs' month spread over its calls (None at no calls).
        "fine-tuning": (
            fine_tuned_cost_per_call(i)
            if gpus is None
            else gpus.monthly_gpu_cost / calls_per_month
            if calls_per_month
            else None
        ),
    }
    prompting = monthly_cost(per_call["prompting"], i.calls_per_day, i.days_per_month)
    embedding = i.embedded_tokens_per_month * i.embedding_price / 1e6
    rag = monthly_cost(
        per_call["rag"], i.calls_per_day, i.days_per_month, i.rag_monthly_cost + embedding
    )
    one_off: dict[int, float] = {}
    if i.retrain_every_months:
        for m in range(i.retrain_every_months, n + 1, i.retrain_every_months):
            one_off[m] = one_off.get(m, 0.0) + i.retrain_cost
    if shutdown_month is not None and shutdown_month <= n:
        one_off[shutdown_month] = one_off.get(shutdown_month, 0.0) + i.migration_cost
    build = min(i.custom_build_months, n)
    plans = {
        "prompting": Plan(0.0, [prompting] * n),
        "rag": Plan(i.rag_setup_cost, [rag] * n),
        "fine-tuning": Plan(i.project_cost + i.data_cost, [fine_tuned] * n, one_off),
        "custom-model": Plan(
            i.custom_build_cost, [prompting] * build + [i.custom_monthly_cost] * (n - build)
        ),
    }
    return plans, per_call, gpus


def compute(inputs: Inputs, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Totals, cheapest approach, crossovers and monthly series for the four approaches.

    Parameters
    ----------
    inputs : Inputs
        The scenario.
    data : Mapping, optional
        The data tree; used only for a self-hosted fine-tuned model (serving-cost's figures).
        Per token, every figure arrives as an input.

    Returns
    -------
    dict
        ``total_<approach>`` and ``monthly_<approach>`` (USD; approach names with
        underscores), ``cheapest`` (an approach name) and ``cheapest_text``,
        ``payback_months`` and ``payback_reason`` (fine-tuning against prompting, as the
        payback calculator computes them), ``crossovers`` (list of ``{a, b, month}``) and
        ``crossovers_text``, ``migration_month`` (None when no migration falls within the
        horizon), ``platform_note``, ``self_hosted_monthly_gpu_cost``,
        ``self_hosted_replicas`` and ``self_hosted_text`` (serving-cost's figures and a
        sentence; None and empty per token) and ``series`` (``month`` and one list per
        approach: totals at the end of each month).

    Notes
    -----
    Per-call costs use :func:`calculators.break_even.cost_per_call`, monthly costs
    :func:`calculators.break_even.monthly_cost`:

    * prompting: the long prompt on the prompted model's prices;
    * prompting + RAG: the same, plus the retrieved tokens as uncached input on every call,
      plus a setup cost, the vector store and embedding :math:`E \\cdot P_{emb} / 10^6` a month;
    * fine-tuning: the short prompt on the fine-tuned prices plus hosting or, self-hosted,
      serving-cost's monthly GPU cost for the fine-tuned model's tokens plus hosting
      (:func:`calculators.break_even.fine_tuned_monthly_cost`); project and data costs at the
      start; retraining every :math:`K` months; and, for a hosted model, the
      migration cost at the last month boundary before the shutdown date;
    * custom model: the build cost at the start, prompting's monthly bill while it is built,
      then a fixed serving-and-team cost (no per-token charge).

    The payback is :func:`calculators.break_even.payback` of the project plus data cost over
    the monthly saving, exactly as on the payback page: it leaves out retraining and
    migration, which the crossover months include.

    References
    ----------
    Timespade's founder guide to fine-tuning: the chatbot (50,000 calls a day, 1,500 → 200 prompt
    tokens, $15,000 project) and the hosting fee. ``data/costs.yaml``: build cost and time
    ranges of a custom model ("Custom Model vs Pretrained Fine-tuning", "Pre-Trained vs
    Custom AI Models", "What is fine-tuning?"). ``data/platform.yaml``: OpenAI's shutdown
    of fine-tuned GPT-4o models. ``data/rag.yaml``: the embedding price.

    Examples
    --------
    The founder guide's chatbot over three years, with fine-tuned GPT-4o at its list price of $3.75 per
    1M input tokens and no RAG, platform or custom-model costs:

    >>> seed = dict(months=36, calls_per_day=50_000, prompt_tokens_before=1500,
    ...     prompt_tokens_after=200, input_price=2.5, cached_input_price=1.25, output_price=10,
    ...     fine_tuned_input_price=3.75, fine_tuned_cached_input_price=1.875,
    ...     fine_tuned_output_price=15, retrieved_tokens=0, rag_setup_cost=0,
    ...     rag_monthly_cost=0, embedded_tokens_per_month=0, embedding_price=0.02,
    ...     project_cost=15_000, retrain_every_months=0, retrain_cost=0,
    ...     hosted_fine_tune=False, start_date="2026-12-01", shutdown_date="2027-01-14",
    ...     migration_cost=0, custom_build_cost=1_000_000, custom_build_months=6,
    ...     custom_monthly_cost=25_000)
    >>> r = compute(Inputs(**seed))
    >>> r["monthly_prompting"], r["monthly_fine_tuning"]
    (5625.0, 1125.0)
    >>> r["total_prompting"], r["total_fine_tuning"], r["cheapest"]
    (202500.0, 55500.0, 'fine-tuning')
    >>> round(r["payback_months"], 2)  # 15,000 / (5,625 − 1,125)
    3.33

    If the model is hosted on OpenAI and the project starts on 1 December 2026, a $5,000 move
    to an open-weight model falls due after one month:

    >>> r = compute(Inputs(**{**seed, "hosted_fine_tune": True, "migration_cost": 5000}))
    >>> r["migration_month"], r["total_fine_tuning"]
    (1, 60500.0)
    """
    i = inputs
    start = _parse_date("start-date", i.start_date)
    shutdown = _parse_date("shutdown-date", i.shutdown_date)
    shutdown_month = months_until(start, shutdown) if i.hosted_fine_tune else None
    plans, per_call, gpus = _plans(i, shutdown_month, data)
    series = {name: cumulative(plan) for name, plan in plans.items()}
    totals = {name: s[-1] for name, s in series.items()}
    cheapest = min(APPROACHES, key=lambda a: (totals[a], APPROACHES.index(a)))
    savings = plans["prompting"].monthly[0] - plans["fine-tuning"].monthly[0]
    months, reason = payback(i.project_cost + i.data_cost, savings)
    crossings = crossovers(plans)

    migration = (
        shutdown_month if shutdown_month is not None and shutdown_month <= i.months else None
    )
    if not i.hosted_fine_tune:
        note = "No platform shutdown counted (the fine-tuned model is one you can keep running)."
    elif shutdown <= start:
        note = (
            f"The hosted model stops serving on {shutdown:%d %B %Y}, before the start date: "
            f"the migration cost is counted at the start."
        )
    elif migration is None:
        note = f"The shutdown on {shutdown:%d %B %Y} falls after the {i.months}-month horizon."
    else:
        note = (
            f"The hosted model stops serving on {shutdown:%d %B %Y}: the move to an open-weight "
            f"model ({usd(i.migration_cost)}) is counted at month {migration}."
        )

    result: dict[str, Any] = {}
    for name in APPROACHES:
        key = name.replace("-", "_")
        result[f"total_{key}"] = totals[name]
        result[f"monthly_{key}"] = plans[name].monthly[-1]
    result["monthly_custom_model"] = i.custom_monthly_cost  # once built
    result.update(
        {
            "cheapest": cheapest,
            "cheapest_text": f"{LABELS[cheapest]}: {usd(totals[cheapest])} over {i.months} months",
            "payback_months": months,
            "payback_reason": reason,
            "cost_per_call_prompting": per_call["prompting"],
            "cost_per_call_rag": per_call["rag"],
            "cost_per_call_fine_tuning": per_call["fine-tuning"],
            "self_hosted_monthly_gpu_cost": gpus.monthly_gpu_cost if gpus else None,
            "self_hosted_replicas": gpus.replicas if gpus else None,
            "self_hosted_text": self_hosting.describe(gpus, i.hosting_per_month) if gpus else "",
            "crossovers": crossings,
            "crossovers_text": _crossings_text(crossings),
            "migration_month": migration,
            "platform_note": note,
            "series": {"month": list(range(i.months + 1)), **series},
        }
    )
    return result


def _crossings_text(crossings: Sequence[Mapping[str, Any]]) -> str:
    if not crossings:
        return "No approach overtakes another within the horizon"
    return "; ".join(
        f"{LABELS[c['a']]} becomes cheaper than {_IN_TEXT[c['b']]} at {fmt_months(c['month'])}"
        for c in crossings
    )


def answer(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """The result in one sentence: what the page leads with."""
    r = result
    pays = (
        f"fine-tuning pays back in {fmt_months(r['payback_months'])}"
        if r["payback_months"] is not None
        else "fine-tuning never pays back against prompting"
    )
    return (
        f"Cheapest over {inputs.months} months: {_IN_TEXT[r['cheapest']]}, at "
        f"{usd(r['total_' + r['cheapest'].replace('-', '_')])}; {pays}."
    )


def summarize(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """A paragraph to paste into an email."""
    i, r = inputs, result
    totals = ", ".join(
        f"{_IN_TEXT[a]} {usd(r['total_' + a.replace('-', '_')])}" for a in APPROACHES
    )
    pays = (
        f"fine-tuning pays back its {usd(i.project_cost + i.data_cost)} in "
        f"{fmt_months(r['payback_months'])}"
        if r["payback_months"] is not None
        else f"fine-tuning never pays back ({r['payback_reason']})"
    )
    return (
        f"Total cost over {i.months} months at {i.calls_per_day:,.0f} calls a day: {totals}. "
        f"Cheapest: {_IN_TEXT[r['cheapest']]}. Against prompting alone, {pays}. "
        f"{r['crossovers_text']}. {r['platform_note']} "
        + (
            f"{r['self_hosted_text']} Assumes an input price of {price(i.input_price)} per 1M "
            "tokens (prompted), "
            if r["self_hosted_text"]
            else f"Assumes input prices of {price(i.input_price)} (prompted) and "
            f"{price(i.fine_tuned_input_price)} (fine-tuned) per 1M tokens, "
        )
        + f"{i.days_per_month:g} days a month, and a custom model serving at "
        f"{usd(i.custom_monthly_cost)} a month after {i.custom_build_months} months. "
        + as_of_note(data, "total-cost")
    ).strip()


def chart(inputs: Inputs, result: dict[str, Any]) -> str:
    """Total cost by month for each approach, with crossovers and the shutdown marked."""
    s = result["series"]
    n = len(s["month"]) - 1
    step = max(1, n // 120)  # at most ~120 points per line
    keep = [m for m in range(0, n + 1, step)]
    if keep[-1] != n:
        keep.append(n)
    series = [
        _svg.Series(LABELS[a], [(m, s[a][m]) for m in keep], f"s{k}")
        for k, a in enumerate(APPROACHES, start=1)
    ]
    # The crossings with prompting, then the shutdown; close labels get rows of their own.
    markers = [
        _svg.Marker(c["month"], f"{LABELS[c['a']]} < {_IN_TEXT[c['b']]}", "crossover")
        for c in result["crossovers"]
        if c["b"] == "prompting"
    ]
    if result["migration_month"] is not None:
        markers.append(_svg.Marker(result["migration_month"], "Platform shutdown", "risk"))
    # A custom model often costs ten times the rest; let it leave the top of the chart rather
    # than flatten the lines whose crossings the reader is looking for.
    ends = {a: max(s[a][m] for m in keep) for a in APPROACHES}
    rest = max(v for a, v in ends.items() if a != "custom-model")
    y_cap = rest * 1.1 if ends["custom-model"] > 3 * rest > 0 else None
    return _svg.line_chart(
        y_cap=y_cap,
        title=f"Total cost of each approach over {n} months",
        desc=f"Cheapest at {n} months: {result['cheapest_text']}. {result['crossovers_text']}.",
        series=series,
        markers=markers,
        x_label="Months from the start",
        x_fmt=lambda x: f"{x:g}",
        y_fmt=usd,
        table_every=max(1, len(keep) // 13),
    )


CALCULATOR = Calculator(
    slug="total-cost",
    title="Total cost over time",
    question=(
        "What do prompting, RAG, fine-tuning and a custom model cost over the months ahead, "
        "and when does one overtake another?"
    ),
    inputs=Inputs,
    outputs=(
        Output("cheapest_text", "Cheapest over the horizon", "text"),
        Output("total_prompting", "Total, prompting", "usd"),
        Output("total_rag", "Total, prompting + RAG", "usd"),
        Output("total_fine_tuning", "Total, fine-tuning", "usd"),
        Output("total_custom_model", "Total, custom model", "usd"),
        Output("monthly_prompting", "Monthly cost, prompting", "usd"),
        Output("monthly_rag", "Monthly cost, prompting + RAG", "usd"),
        Output("monthly_fine_tuning", "Monthly cost, fine-tuning", "usd"),
        Output("monthly_custom_model", "Monthly cost, custom model once built", "usd"),
        Output("payback_months", "Fine-tuning payback against prompting", "months"),
        Output("payback_reason", "Why fine-tuning never pays back", "sentence"),
        Output("crossovers_text", "Where one approach overtakes another", "sentence"),
        Output("platform_note", "Platform risk", "sentence"),
    ),
    compute=compute,
    answer=answer,
    summarize=summarize,
    chart=chart,
)
