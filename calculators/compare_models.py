"""Compare models at your volume: every model in the price data, priced for your calls.

The reader gives calls per day and the input, cached-input and output tokens of a call; this
module prices one call and a month of calls on every model of the ``market`` table (every
text model genai-prices lists, :mod:`calculators._market`), with the long-context tier the
call's input reaches, and the batch share at batch prices where the provider lists them. A
call is priced by break-even's :func:`~calculators.break_even.cost_per_call` and a month by
its :func:`~calculators.break_even.monthly_cost`: one formula, one place.

Filters: providers, models recorded as open-weight, and models recorded as tunable today.
Those two records live in data/price-models.yaml (``open_weight``, ``tunable``) for the models
the other calculators use; every other model's status is "not recorded", and a filter on it
leaves that model out and says how many it left out (never counts it silently).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import re
from collections.abc import Mapping
from html import escape
from typing import Any

from . import _usage as usage
from ._calculator import Calculator, Output
from ._format import count, price, usd
from ._inputs import InputError, flag, share, text, validate
from ._lifecycle import status
from .break_even import cost_per_call, monthly_cost

__all__ = [
    "CALCULATOR",
    "Inputs",
    "compute",
    "price_call",
    "rate",
]

#: How many of the cheapest rows the one-page handout prints (calc.css hides the rest).
PRINTED_ROWS = 18


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs:
    """A volume of calls and the filters on the table. Tokens are per call."""

    calls_per_day: float = usage.calls_per_day_input()
    input_tokens: int = usage.token_count(
        "Input tokens per call",
        help="Everything the model reads in one call: instructions, examples, the user's text "
        "and any retrieved context. It also picks the long-context rate where a model has one.",
    )
    cached_input_tokens: int = usage.token_count(
        "Cached input tokens per call",
        default=0,
        help="The part of the input served from the provider's prompt cache (a repeated "
        "prefix), billed at the cached-input price where one is listed. At most the input.",
    )
    output_tokens: int = usage.token_count(
        "Output tokens per call", help="Tokens the model writes back per call."
    )
    batch_share: float = share(
        "Share of calls sent as batch jobs",
        default=0.0,
        help="0.5 means half the calls go through the provider's batch service, at its batch "
        "prices where it lists them; models without a batch price bill them at the standard "
        "price.",
        advanced=True,
    )
    provider: str = text(
        "Providers",
        default="",
        help="Only these providers, by name or id, separated by commas (openai, anthropic, "
        "google ...). Empty for every provider.",
    )
    open_weight: bool = flag(
        "Only models recorded as open-weight",
        help="Models whose weights can be downloaded, as recorded on this site; models we "
        "have not recorded are left out, and the table says how many.",
    )
    tunable: bool = flag(
        "Only models you can fine-tune today",
        help="Models this provider offers fine-tuning of today, as recorded on this site; "
        "models we have not recorded are left out, and the table says how many.",
    )
    days_per_month: float = usage.days_per_month_input()

    def __post_init__(self) -> None:
        validate(self)
        if self.cached_input_tokens > self.input_tokens:
            raise InputError(
                "cached-input-tokens",
                f"must be at most the input tokens per call ({self.input_tokens:,}; got "
                f"{self.cached_input_tokens:,})",
            )


def rate(p: Any, input_tokens: float) -> tuple[float, int | None]:
    """The rate of a market price for a call with ``input_tokens``, and the tier it is in.

    Parameters
    ----------
    p : float or [base, [[above, price], ...]]
        A price of the market table (USD per 1M tokens).
    input_tokens : float
        All input tokens of the call, cached ones included.

    Returns
    -------
    rate : float
    above : int or None
        The threshold of the tier applied; None for the base rate.

    Notes
    -----
    genai-prices' rule: once a call has more input tokens than a tier's threshold, every token
    of it (input, cached and output) is billed at that tier's rate.

    Examples
    --------
    >>> rate(2.5, 300_000)
    (2.5, None)
    >>> rate([2.5, [[200_000, 5.0]]], 200_000), rate([2.5, [[200_000, 5.0]]], 200_001)
    ((2.5, None), (5.0, 200000))
    """
    if not isinstance(p, list):
        return float(p), None
    base, tiers = p
    for above, tier_price in reversed(tiers):
        if input_tokens > above:
            return float(tier_price), int(above)
    return float(base), None


def price_call(prices: list, i: Inputs) -> tuple[float, list[float | None], int | None]:
    """The cost of one call at a market price set ``[input, cached, output]``.

    Returns the cost in USD, the rates applied ``[input, cached or None, output]`` and the
    tier threshold applied (None: base rates).

    Notes
    -----
    The cached tokens are break-even's prompt served wholly from cache and the rest of the
    input is its "other input", so :func:`~calculators.break_even.cost_per_call` prices it:

    .. math:: c = [C P_{cached} + (I - C) P_{in} + O P_{out}] / 10^6

    Without a listed cached price, cached tokens pay the input price.

    Examples
    --------
    >>> i = Inputs(calls_per_day=1000, input_tokens=1500, cached_input_tokens=1000,
    ...            output_tokens=200)
    >>> round(price_call([2.5, 0.25, 10.0], i)[0], 6)
    0.0035
    """
    rates = [rate(p, i.input_tokens) if p is not None else (None, None) for p in prices]
    (p_in, tier), (p_cached, _), (p_out, _) = rates
    per_call = cost_per_call(
        i.cached_input_tokens,
        i.input_tokens - i.cached_input_tokens,
        i.output_tokens,
        p_in,
        p_in if p_cached is None else p_cached,
        p_out,
        1.0,
    )
    return per_call, [p_in, p_cached, p_out], tier


def _names(value: str) -> list[str]:
    return [w for w in re.split(r"[,\s]+", value.strip().lower()) if w]


def _chosen_providers(i: Inputs, market: Mapping[str, Any]) -> set[str] | None:
    """Provider ids the ``provider`` input names (by id or name); None for all."""
    words = _names(i.provider)
    if not words:
        return None
    by_word = {}
    for pid, p in market["providers"].items():
        by_word[pid.lower()] = pid
        by_word[str(p["name"]).lower()] = pid
        by_word[str(p["name"]).lower().replace(" ", "-")] = pid
    unknown = [w for w in words if w not in by_word]
    if unknown:
        known = ", ".join(sorted(market["providers"]))
        raise InputError("provider", f"unknown provider {unknown[0]!r} (known: {known})")
    return {by_word[w] for w in words}


def _records(data: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(genai-prices provider id, model id) -> our key and open-weight/tunable record."""
    out = {}
    providers = (data.get("price-models") or {}).get("providers") or {}
    for key, entry in providers.items():
        gp_id = entry.get("genai_prices_id", key)
        for model_key, spec in (entry.get("models") or {}).items():
            out[(gp_id, str(spec.get("id")))] = {
                "key": f"{key}.{model_key}",
                "open_weight": spec.get("open_weight"),
                "tunable": spec.get("tunable"),
            }
    return out


def _row(record: list, i: Inputs, market: Mapping[str, Any], flags: Mapping) -> dict[str, Any]:
    provider_id, model_id, name, standard, batch, flex, note = record
    per_call, rates, tier = price_call(standard, i)
    batch_call = price_call(batch, i)[0] if batch else None
    flex_call = price_call(flex, i)[0] if flex else None
    blended = (
        per_call
        if batch_call is None
        else (1 - i.batch_share) * per_call + (i.batch_share * batch_call)
    )
    provider = market["providers"][provider_id]
    tiers = [p[1] for p in standard if isinstance(p, list)]
    if tier is not None:
        long_context = f"above {tier:,} input tokens: the long-context rate applies"
    elif tiers:
        long_context = f"dearer above {min(t[0][0] for t in tiers):,} input tokens"
    else:
        long_context = ""
    return {
        "model": name,
        "model_id": model_id,
        "provider": provider["name"],
        "provider_id": provider_id,
        "monthly_cost": monthly_cost(blended, i.calls_per_day, i.days_per_month),
        "cost_per_call": blended,
        "standard_cost_per_call": per_call,
        "input_price": rates[0],
        "cached_input_price": rates[1],
        "output_price": rates[2],
        "batch_cost_per_call": batch_call,
        "flex_cost_per_call": flex_call,
        "long_context": long_context,
        "open_weight": flags.get("open_weight"),
        "tunable": flags.get("tunable"),
        "note": note,
        "as_of": market["as_of"],
        "source": f"{market['package']}, {provider['name']} list price",
        "url": provider["url"],
    }


def compute(inputs: Inputs, data: Mapping[str, Any]) -> dict[str, Any]:
    """Every model in the price data priced at this volume, cheapest first.

    Parameters
    ----------
    inputs : Inputs
        The volume, tokens per call and filters.
    data : Mapping
        The data tree: its ``market`` table (genai-prices' models), ``price-models`` (the
        open-weight and tunable records) and ``lifecycle`` (shutdown dates).

    Returns
    -------
    dict
        ``rows`` (one dict per model, sorted by ``monthly_cost``, then provider and model),
        ``models`` (rows shown), ``priced_models`` (models in the price data),
        ``cheapest`` and ``cheapest_monthly_cost`` (None when no model is left),
        ``left_out`` (models a filter left out because their status is not recorded: per
        filter, and ``unrecorded`` for the models left out on either) and
        ``filter_note``, a sentence saying what the table holds.

    Notes
    -----
    Per call, :func:`price_call`; per month, break-even's
    :func:`~calculators.break_even.monthly_cost` of the call cost blended over the batch
    share: :math:`(1-b)c + b\\,c_{batch}` where a batch price is listed, :math:`c` otherwise.
    A model recorded as tunable counts as tunable today unless its shutdown date
    (data/lifecycle.yaml) is on or before the day the table is priced on.

    Examples
    --------
    >>> market = {"as_of": "2026-11-10", "package": "genai-prices 0.2.3", "priced_on": "2026-12-01",
    ...           "providers": {"p": {"name": "P", "url": "https://p.example/pricing"}},
    ...           "rows": [["p", "big", "Big", [3.0, 0.3, 15.0], [1.5, 0.15, 7.5], None, ""],
    ...                    ["p", "small", "Small", [0.1, None, 0.4], None, None, ""]]}
    >>> r = compute(Inputs(calls_per_day=50_000, input_tokens=1500, output_tokens=200),
    ...             {"market": market})
    >>> [(row["model"], round(row["monthly_cost"], 2)) for row in r["rows"]]
    [('Small', 345.0), ('Big', 11250.0)]
    >>> r["rows"][0]["cached_input_price"] is None
    True
    """
    i = inputs
    market = data["market"]
    chosen = _chosen_providers(i, market)
    records = _records(data)
    on = _dt.date.fromisoformat(str(market["priced_on"]))
    rows, left_out = [], {"open_weight": 0, "tunable": 0, "unrecorded": 0}
    for record in market["rows"]:
        if chosen is not None and record[0] not in chosen:
            continue
        flags = dict(records.get((record[0], record[1]), {}))
        if flags.get("tunable") and status(data, flags["key"], on) == "retired":
            flags["tunable"] = False
        wanted = [n for n in ("open_weight", "tunable") if getattr(i, n)]
        unknown = [n for n in wanted if flags.get(n) is None]
        for name in unknown:
            left_out[name] += 1
        left_out["unrecorded"] += bool(unknown)
        if unknown or not all(flags.get(n) for n in wanted):
            continue
        rows.append(_row(record, i, market, flags))
    rows.sort(key=lambda r: (r["monthly_cost"], r["provider"], r["model"]))
    first = rows[0] if rows else None
    return {
        "rows": rows,
        "models": len(rows),
        "priced_models": len(market["rows"]),
        "providers": len({r["provider_id"] for r in rows}),
        "cheapest": f"{first['model']} ({first['provider']})" if first else None,
        "cheapest_monthly_cost": first["monthly_cost"] if first else None,
        "left_out": left_out,
        "filter_note": _filter_note(i, rows, left_out, len(market["rows"])),
        "as_of": market["as_of"],
        "source": market["package"],
    }


def _filter_note(i: Inputs, rows: list, left_out: Mapping[str, int], total: int) -> str:
    shown = f"{count(len(rows))} of the {count(total)} models in the price data"
    if not rows:
        shown = f"No model of the {count(total)} in the price data matches these filters"
    parts = [shown + "."]
    unrecorded = [
        what
        for name, what in (("open_weight", "open-weight"), ("tunable", "tunable today"))
        if left_out[name]
    ]
    if unrecorded:
        parts.append(
            f"{count(left_out['unrecorded'])} more left out because whether they are "
            f"{' or '.join(unrecorded)} is not recorded here."
        )
    if i.batch_share and rows and not any(r["batch_cost_per_call"] is not None for r in rows):
        parts.append("None of these models lists a batch price, so batch calls cost the same.")
    return " ".join(parts)


def answer(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """The result in one sentence: what the page leads with."""
    r = result
    if not r["rows"]:
        return "No model in the price data matches these filters."
    return (
        f"Cheapest of {count(r['models'])} models at this volume: {r['cheapest']}, "
        f"{usd(r['cheapest_monthly_cost'])} a month."
    )


def summarize(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """A paragraph to paste into an email."""
    i, r = inputs, result
    volume = (
        f"At {i.calls_per_day:,.0f} calls a day of {i.input_tokens:,} input tokens "
        f"({i.cached_input_tokens:,} of them cached) and {i.output_tokens:,} output tokens"
    )
    if i.batch_share:
        volume += f", {i.batch_share:.0%} of them as batch jobs"
    if not r["rows"]:
        return f"{volume}: {r['filter_note']}"
    rows = r["rows"]
    cheap = ", ".join(f"{x['model']} ({x['provider']}) {usd(x['monthly_cost'])}" for x in rows[:3])
    return (
        f"{volume}, the cheapest of {count(r['models'])} models a month: {cheap}; the dearest "
        f"costs {usd(rows[-1]['monthly_cost'])}. List prices as of {r['as_of']} "
        f"({r['source']}), {i.days_per_month:g} days a month."
    )


# ---------------------------------------------------------------------------------------------
# The table (the page's "chart" slot): HTML drawn here, so the page and the handout agree.

#: (row key, heading), in column order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("model", "Model"),
    ("provider", "Provider"),
    ("monthly_cost", "Monthly cost"),
    ("cost_per_call", "Per call"),
    ("input_price", "Input, per 1M"),
    ("cached_input_price", "Cached input, per 1M"),
    ("output_price", "Output, per 1M"),
    ("batch_cost_per_call", "Batch, per call"),
    ("flex_cost_per_call", "Flex, per call"),
    ("long_context", "Long prompts"),
    ("open_weight", "Open weights"),
    ("tunable", "Tunable today"),
    ("as_of", "Prices as of"),
)
NOT_LISTED = "not listed"


def _yes_no(value: bool | None) -> str:
    return "not recorded" if value is None else "yes" if value else "no"


def _call(value: float | None) -> str:
    """A price per call: two significant digits under a cent ($0.000024), else dollars.

    >>> _call(0.0000238), _call(0.0007), _call(0.0105), _call(0.0), _call(None)
    ('$0.000024', '$0.00070', '$0.0105', '$0.00', 'not listed')
    """
    if value is None:
        return NOT_LISTED
    if 0 < value < 0.01:
        return f"${value:.{1 - math.floor(math.log10(value))}f}"
    return price(value) if value < 100 else usd(value)


def cells(row: Mapping[str, Any]) -> list[tuple[str, float | str | None]]:
    """Each column's text and its sort value (a number, or the text) for one row."""
    per_m = [price(row[k]) if row[k] is not None else NOT_LISTED for k in COLUMNS_PRICES]
    return [
        (row["model"], row["model"].lower()),
        (row["provider"], row["provider"].lower()),
        (usd(row["monthly_cost"]), row["monthly_cost"]),
        (_call(row["cost_per_call"]), row["cost_per_call"]),
        (per_m[0], row["input_price"]),
        (per_m[1], row["cached_input_price"]),
        (per_m[2], row["output_price"]),
        (_call(row["batch_cost_per_call"]), row["batch_cost_per_call"]),
        (_call(row["flex_cost_per_call"]), row["flex_cost_per_call"]),
        (row["long_context"] or "—", row["long_context"]),
        (_yes_no(row["open_weight"]), _yes_no(row["open_weight"])),
        (_yes_no(row["tunable"]), _yes_no(row["tunable"])),
        (row["as_of"], row["as_of"]),
    ]


COLUMNS_PRICES = ("input_price", "cached_input_price", "output_price")
NUMERIC = (
    "monthly_cost",
    "cost_per_call",
    *COLUMNS_PRICES,
    "batch_cost_per_call",
    "flex_cost_per_call",
)


def _sort_attr(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int):
        return f' data-sort="{value:.12g}"'
    return ""


def table(inputs: Inputs, result: dict[str, Any]) -> str:
    """The comparison table as HTML: cheapest first, the handout's rows marked."""
    rows = result["rows"]
    head = "".join(
        f'<th scope="col" data-key="{key}"'
        + (' data-type="number"' if key in NUMERIC else "")
        + (' aria-sort="ascending"' if key == "monthly_cost" else "")
        + f">{escape(label)}</th>"
        for key, label in COLUMNS
    )
    body = []
    for n, row in enumerate(rows):
        tds = []
        for col, (shown, value) in enumerate(cells(row)):
            if col == 0:
                note = f" ({escape(row['note'])})" if row["note"] else ""
                tds.append(f'<th scope="row">{escape(shown)}{note}</th>')
            elif col == 1:
                tds.append(f'<td><a href="{escape(row["url"])}">{escape(shown)}</a></td>')
            else:
                tds.append(f"<td{_sort_attr(value)}>{escape(shown)}</td>")
        extra = ' class="tob-print-omit"' if n >= PRINTED_ROWS else ""
        body.append(f"<tr{extra}>{''.join(tds)}</tr>")
    omitted = max(0, len(rows) - PRINTED_ROWS)
    caption = (
        f"{count(len(rows))} models at {inputs.calls_per_day:,.0f} calls a day, cheapest first"
    )
    sources = (
        f'<p class="tob-table-note">List prices from {escape(result["source"])} (as of '
        f"{escape(result['as_of'])}); each provider's name links to its price page. Prices per "
        "1M tokens are the rates this call pays (the long-context rate where it applies).</p>"
    )
    printed = (
        f'<p class="tob-print-only" data-print-note>This printout shows the {PRINTED_ROWS} '
        f"cheapest of {count(len(rows))} models; {count(omitted)} more are left out. The scenario "
        "link below opens the full table.</p>"
        if omitted
        else ""
    )
    return (
        '<div class="tob-table-tools" data-table-tools hidden>'
        '<button type="button" class="md-button" data-export="csv">Download CSV</button> '
        '<button type="button" class="md-button" data-export="md">Download Markdown</button>'
        "</div>"
        f'<div class="tob-table-scroll" tabindex="0" role="region" aria-label="Models compared">'
        f'<table class="tob-compare" data-sortable><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        f"{sources}{printed}"
    )


CALCULATOR = Calculator(
    slug="compare-models",
    title="Compare models at your volume",
    question="What would every model in the price data cost a month at my volume?",
    inputs=Inputs,
    outputs=(
        Output("cheapest", "Cheapest at this volume", "text"),
        Output("cheapest_monthly_cost", "Its monthly cost", "usd"),
        Output("models", "Models in the table", "count"),
        Output("filter_note", "What the table holds", "sentence"),
    ),
    compute=compute,
    answer=answer,
    summarize=summarize,
    chart=table,
    # A table of every model is long: it follows the form instead of leading the page.
    chart_first=False,
)
