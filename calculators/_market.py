"""Every model's text prices from the pinned ``genai-prices`` package: the ``market`` data tree.

Only :func:`calculators._data.load_tree` calls :func:`market_table` (the CLI, the site build and
the tests); the browser gets the table inside the data tree as JSON. Like
:mod:`calculators._genai_prices`, it reads only the package's bundled data, never its
auto-update, which downloads.

Which models are in it (the compare-models calculator says the same on its page):

* every model of every provider in genai-prices whose price in force on ``priced_on``
  (data/price-models.yaml) has a per-token input **and** output price;
* except models genai-prices marks deprecated, and the providers in :data:`LEFT_OUT`, which
  resell other providers' models under their own names (routers) or sell a coding tool rather
  than an API a product calls.

Each model is one row ``[provider id, model id, name, standard, batch, flex, notes]``. A price
set is ``[input, cached input, output]`` in USD per 1M tokens, ``None`` for a cached price
that is not listed; a price is a number, or ``[base, [[above, price], ...]]`` when it has
long-context tiers (genai-prices' rule: once the prompt has *more* input tokens than
``above``, every token of the call is billed at that tier's price). ``batch`` and ``flex`` are
the price sets of genai-prices' ``price_variants`` (``processing: batch``, ``service_tier:
flex``) laid over the standard prices, or ``None`` where it lists none.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from ._data import DataError

__all__ = ["COLUMNS", "LEFT_OUT", "market_table"]

COLUMNS = ("provider", "model", "name", "standard", "batch", "flex", "notes")

#: Providers left out, and why (shown on the page through the data tree).
LEFT_OUT = {
    "openrouter": "a router: it resells other providers' models under its own names",
    "huggingface_": "Hugging Face's router to other providers (every huggingface_* entry)",
    "github-copilot": "a coding tool's plan, not an API a product calls",
    "cursor": "a coding tool's plan, not an API a product calls",
}

_FIELDS = ("input_mtok", "cache_read_mtok", "output_mtok")
_VARIANTS = {"batch": {"processing": "batch"}, "flex": {"service_tier": "flex"}}


def _left_out(provider_id: str) -> bool:
    return any(
        provider_id == key or (key.endswith("_") and provider_id.startswith(key))
        for key in LEFT_OUT
    )


def _price(value: Any) -> Any:
    """A genai-prices price as a number, or ``[base, [[above, price], ...]]`` when tiered."""
    if value is None:
        return None
    tiers = getattr(value, "tiers", None)
    if tiers is None:
        return float(value)
    return [float(value.base), [[int(t.start), float(t.price)] for t in tiers]]


def _top(value: Any) -> float:
    """The highest rate of a price (for choosing among time-of-day rates)."""
    if value is None:
        return 0.0
    tiers = getattr(value, "tiers", None)
    return float(tiers[-1].price) if tiers else float(getattr(value, "base", value))


def _start(constraint: Any) -> _dt.date | None:
    start = getattr(constraint, "start_date", None)
    return start.date() if isinstance(start, _dt.datetime) else start


def _standard(model: Any, on: _dt.date) -> tuple[Any, str]:
    """The ModelPrice in force on ``on`` and a note, or (None, "") when none is.

    Prices that change with the time of day: the dearest rate in force, and a note saying
    that other hours cost less (the table never shows the cheaper hours as the price).
    """
    prices = model.prices
    if not isinstance(prices, list):
        return prices, ""
    dated, hourly = None, []
    for cond in prices:
        constraint = cond.constraint
        if constraint is not None and hasattr(constraint, "start_time"):
            hourly.append(cond.prices)
        elif constraint is None or (_start(constraint) or on) <= on:
            dated = cond.prices
    if dated is None:
        return None, ""
    if not hourly:
        return dated, ""
    dearest = max([dated, *hourly], key=lambda p: _top(p.input_mtok) + _top(p.output_mtok))
    return dearest, "priced by time of day: the dearest rate is shown, other hours cost less"


def _variant(model: Any, standard: Any, when: Mapping[str, str], on: _dt.date) -> list | None:
    """The standard price set with a variant's prices laid over it, key by key (first match
    wins, as genai-prices resolves them); None when no variant matches."""
    found: dict[str, Any] = {}
    for variant in model.price_variants or ():
        if variant.when != dict(when):
            continue
        start = _start(variant.constraint)
        if variant.constraint is not None and (start is None or start > on):
            continue  # a time-of-day variant, or one that starts later
        for field in _FIELDS:
            value = getattr(variant.prices, field, None)
            if value is not None:
                found.setdefault(field, value)
    if not found:
        return None
    return [_price(found.get(f, getattr(standard, f, None))) for f in _FIELDS]


def market_table(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """The ``market`` tree: every model's text prices, see the module docstring.

    ``mapping`` is the parsed data/price-models.yaml: its package version, release date and
    ``priced_on`` (the day whose prices are read).
    """
    from importlib.metadata import version

    from genai_prices import data as gp_data  # bundled snapshot; see the module docstring

    installed = version("genai-prices")
    package = mapping.get("package", {})
    if str(package.get("version", "")) != installed:
        raise DataError(
            f"data/price-models.yaml records genai-prices {package.get('version')} but "
            f"{installed} is installed"
        )
    on = _dt.date.fromisoformat(str(mapping["priced_on"]))
    providers: dict[str, dict[str, Any]] = {}
    rows: list[list[Any]] = []
    left_out = {"deprecated": 0, "not_text": 0, "not_yet_priced": 0, "providers": {}}
    for provider in gp_data.providers:
        if _left_out(provider.id):
            left_out["providers"][provider.id] = len(provider.models)
            continue
        kept = 0
        for model in provider.models:
            if model.deprecated:
                left_out["deprecated"] += 1
                continue
            standard, note = _standard(model, on)
            if standard is None:
                left_out["not_yet_priced"] += 1
                continue
            prices = [_price(getattr(standard, f, None)) for f in _FIELDS]
            if prices[0] is None or prices[2] is None:
                left_out["not_text"] += 1
                continue
            batch, flex = (_variant(model, standard, w, on) for w in _VARIANTS.values())
            name = " ".join((model.name or model.id).split())  # some names carry a stray tab
            rows.append([provider.id, model.id, name, prices, batch, flex, note])
            kept += 1
        if kept:
            providers[provider.id] = {
                "name": provider.name,
                "url": (provider.pricing_urls or [""])[0],
            }
    return {
        "columns": list(COLUMNS),
        "package": f"genai-prices {installed}",
        "as_of": str(package.get("released")),
        "priced_on": on.isoformat(),
        "providers": providers,
        "left_out": {**left_out, "why": dict(LEFT_OUT)},
        "rows": rows,
    }
