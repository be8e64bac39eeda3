"""One entry point for every caller: the CLI, the site build and the browser worker.

``run(slug, raw, data)`` takes raw strings keyed by public input name (as they come from a
form, a URL or the command line), applies the calculator's defaults from data/, validates,
computes and formats. It never raises for bad input: it returns ``{"ok": False, "field": ...,
"message": ...}`` so the page can show the message next to the field.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from . import get
from ._calculator import Calculator
from ._data import DataError, resolve
from ._format import display, link_items
from ._inputs import InputError, parse_inputs

__all__ = ["default_raw", "presets", "run", "run_json", "scenario_values"]


def _as_raw(value: Any) -> str:
    """A data/ value as the text a reader would type (50000, 2.5, true)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _calc_data(data: Mapping[str, Any], slug: str) -> Mapping[str, Any]:
    try:
        return data["calculators"][slug]
    except (KeyError, TypeError):
        raise DataError(f"data/calculators/{slug}.yaml is missing") from None


def default_raw(calc: Calculator, data: Mapping[str, Any]) -> dict[str, str]:
    """The calculator's documented defaults as raw strings: data/ first, then Python defaults."""
    declared = resolve(data, _calc_data(data, calc.slug).get("defaults", {}).get("values", {}))
    raw = {}
    for spec in calc.specs:
        if spec.name in declared:
            raw[spec.name] = _as_raw(declared[spec.name])
        elif spec.default is not None:
            raw[spec.name] = _as_raw(spec.default)
    return raw


def presets(calc: Calculator, data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Named partial input sets (e.g. a model's prices): {name: {label, source, as_of, values}}."""
    out = {}
    for name, preset in _calc_data(data, calc.slug).get("presets", {}).items():
        values = {k: _as_raw(v) for k, v in resolve(data, preset.get("values", {})).items()}
        out[name] = {**{k: v for k, v in preset.items() if k != "values"}, "values": values}
    return out


def scenario_values(calc: Calculator, data: Mapping[str, Any], name: str) -> dict[str, str]:
    """A named scenario's inputs as raw strings (URL parameters), with any preset spelled out
    so a link keeps showing what it showed when it was sent. KeyError for an unknown name."""
    values = _calc_data(data, calc.slug)["scenarios"][name].get("values", {})
    raw = {k: _as_raw(v) for k, v in resolve(data, values).items() if k != "preset"}
    if "preset" in values:
        raw = {**presets(calc, data)[values["preset"]]["values"], **raw}
    return raw


def parse(calc: Calculator, raw: Mapping[str, str], data: Mapping[str, Any]) -> Any:
    """Validated inputs from raw strings; raises InputError naming the field."""
    merged = {**default_raw(calc, data), **{k: v for k, v in raw.items() if v is not None}}
    table = presets(calc, data) if raw.get("preset") or calc.preset_input else {}
    chosen = raw.get("preset")
    if not chosen and raw.get(calc.preset_input) in table:
        chosen = raw[calc.preset_input]  # e.g. --model llama-2-7b brings its architecture
    if chosen:
        if chosen not in table:
            raise InputError("preset", f"must be one of {', '.join(table)}")
        merged = {
            **merged,
            **table[chosen]["values"],
            **{k: v for k, v in raw.items() if k != "preset" and v is not None},
        }
    return parse_inputs(calc.inputs, merged, {})


def run(slug: str, raw: Mapping[str, str], data: Mapping[str, Any]) -> dict[str, Any]:
    """Compute a calculator from raw strings; see the module docstring for the shape."""
    calc = get(slug)
    try:
        inputs = parse(calc, raw, data)
        result = calc.compute(inputs, data)
    except InputError as exc:
        return {"ok": False, "field": exc.field, "message": str(exc)}
    shown = {o.key: display(o.fmt, result.get(o.key)) for o in calc.outputs}
    items = {o.key: link_items(result[o.key]) for o in calc.outputs if o.fmt == "links"}
    return {
        "ok": True,
        "values": result,
        "display": shown,
        "items": items,
        "summary": calc.summarize(inputs, result, data),
        "chart": calc.chart(inputs, result) if calc.chart else "",
    }


@functools.lru_cache(maxsize=4)
def _parse_data(data_json: str) -> Mapping[str, Any]:
    return json.loads(data_json)


def run_json(slug: str, raw_json: str, data_json: str) -> str:
    """``run`` with JSON in and out: what the browser worker calls (no proxies to manage)."""
    raw = json.loads(raw_json)
    if not isinstance(raw, dict):
        return json.dumps({"ok": False, "field": "", "message": "inputs must be an object"})
    raw = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in raw.items()}
    return json.dumps(run(slug, raw, _parse_data(data_json)), allow_nan=False)
