"""Inference prices from the pinned ``genai-prices`` package, as figures of the data tree.

Only :func:`calculators._data.load_tree` calls this (the CLI, the site build and the tests); the
browser gets the prices inside the data tree as JSON and never imports this module's
dependencies. ``genai_prices`` is imported lazily and only its bundled data
(``genai_prices.data.providers``) is read: never its auto-update, which downloads.

``data/price-models.yaml`` maps each of our model keys (no dots, so a key fits the dotted
figure address) to a provider and a genai-prices model id, once. Each mapped model becomes
``prices.<provider>.<key>.input``, ``.cached_input`` and ``.output`` (USD per 1M tokens).

How prices that depend on something are read:

* **Tiered** prices (e.g. a higher rate once a prompt passes 272K tokens): the base tier, the
  rate for ordinary prompts; the figure's ``note`` says a tier exists.
* **Conditional** prices that change on a date: the one in force on ``priced_on`` in
  data/price-models.yaml; a later announced change goes into the ``note``.
* Prices that depend on the time of day (peak/off-peak) are refused: map another model.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from ._data import DataError

__all__ = ["price_figures"]

#: Our figure name -> genai-prices ``ModelPrice`` field.
FIELDS = {"input": "input_mtok", "cached_input": "cache_read_mtok", "output": "output_mtok"}
UNIT = "USD per 1M tokens"


class PriceMapError(DataError):
    """data/price-models.yaml names something the pinned genai-prices does not have."""


def _date(value: Any, where: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise PriceMapError(f"{where}: {value!r} is not a YYYY-MM-DD date") from None


def _base(price: Any) -> tuple[float | None, bool]:
    """(base rate, whether higher tiers exist) of a genai-prices price field."""
    if price is None:
        return None, False
    tiers = getattr(price, "tiers", None)
    if tiers is not None:
        return float(price.base), bool(tiers)
    return float(price), False


def _in_force(model: Any, on: _dt.date, where: str) -> tuple[Any, str]:
    """The ModelPrice in force on ``on``, and a note on any later announced change."""
    prices = model.prices
    if not isinstance(prices, list):
        return prices, ""
    chosen, later = None, []
    for cond in prices:
        constraint = cond.constraint
        if constraint is None:
            start = None
        elif hasattr(constraint, "start_date"):
            start = constraint.start_date
            start = start.date() if isinstance(start, _dt.datetime) else start
        else:
            raise PriceMapError(
                f"{where}: genai-prices prices this model by {type(constraint).__name__} "
                "(e.g. time of day); map another model"
            )
        if start is None or start <= on:
            chosen = cond.prices
        else:
            later.append((start, cond.prices))
    if chosen is None:
        raise PriceMapError(f"{where}: no genai-prices price in force on {on}")
    notes = []
    for start, p in later:
        rates = ", ".join(
            f"{name.replace('_', ' ')} ${_base(getattr(p, field, None))[0]:g}"
            for name, field in FIELDS.items()
            if getattr(p, field, None) is not None
        )
        notes.append(f"changes on {start.isoformat()} to {rates}")
    return chosen, "; ".join(notes)


def price_figures(mapping: Mapping[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Figures ``{provider: {key: {input|cached_input|output: figure}}}`` for the ``prices`` tree.

    ``mapping`` is the parsed data/price-models.yaml. Raises :class:`PriceMapError` naming the
    entry when the pinned package lacks a provider or model, or its version differs from the
    one recorded there.
    """
    from importlib.metadata import version

    from genai_prices import data as gp_data  # bundled snapshot; see the module docstring

    package = mapping.get("package", {})
    pinned, installed = str(package.get("version", "")), version("genai-prices")
    if pinned != installed:
        raise PriceMapError(
            f"data/price-models.yaml records genai-prices {pinned} but {installed} is "
            "installed; update package.version and package.released together"
        )
    released = _date(package.get("released"), "price-models.package.released").isoformat()
    priced_on = _date(mapping.get("priced_on"), "price-models.priced_on")
    providers = {p.id: p for p in gp_data.providers}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for provider_key, entry in (mapping.get("providers") or {}).items():
        gp_id = entry.get("genai_prices_id", provider_key)
        if gp_id not in providers:
            raise PriceMapError(
                f"price-models.providers.{provider_key}: genai-prices has no {gp_id!r}"
            )
        provider = providers[gp_id]
        models = {m.id: m for m in provider.models}
        for key, spec in (entry.get("models") or {}).items():
            where = f"price-models.providers.{provider_key}.models.{key}"
            if "." in key:
                raise PriceMapError(f"{where}: a key may not contain '.' (it is a figure address)")
            model = models.get(spec.get("id"))
            if model is None:
                raise PriceMapError(
                    f"{where}: genai-prices {installed} has no model {spec.get('id')!r}"
                )
            prices, change = _in_force(model, priced_on, where)
            url = spec.get("url") or entry.get("url") or provider.pricing_urls[0]
            figures = {}
            for name, field in FIELDS.items():
                value, tiered = _base(getattr(prices, field, None))
                if value is None:
                    continue
                notes = [f"genai-prices model id {model.id!r}"]
                if tiered:
                    notes.append("base tier shown; long prompts are billed at a higher tier")
                if change:
                    notes.append(change)
                figures[name] = {
                    "value": value,
                    "unit": UNIT,
                    "source": f"genai-prices {installed}, {provider.name} list price",
                    "url": url,
                    "as_of": released,
                    "package": f"genai-prices {installed}",
                    "note": "; ".join(notes),
                }
            if "input" not in figures or "output" not in figures:
                raise PriceMapError(f"{where}: genai-prices lists no input or output price")
            out.setdefault(provider_key, {})[key] = figures
    return out
