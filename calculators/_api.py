"""One entry point for every caller: the CLI, the site build and the browser worker.

``run(slug, raw, data, source=...)`` takes raw strings keyed by public input name (as they come
from a form, a URL, a page marker or the command line), resolves them into the full input set
(:mod:`calculators._resolve`: aliases, defaults, scenario, preset, explicit values), validates
once, computes and formats. It never raises for bad input: it returns ``{"ok": False, "field":
..., "message": ..., "inputs": ...}`` so the page can show the message next to the field
(``inputs`` only when the raw values could be resolved: an unknown scenario or preset has none).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import get
from ._format import display, link_items
from ._inputs import InputError, parse_inputs
from ._resolve import default_raw, link_query, presets, resolve_inputs, scenario_values

__all__ = ["default_raw", "evaluate", "presets", "run", "run_json", "scenario_values", "set_data"]


def evaluate(
    slug: str,
    raw: Mapping[str, str],
    data: Mapping[str, Any],
    *,
    source: str = "reader",
    base: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """:func:`run`'s answer, and the resolved raw inputs even when they hold the error (the
    page's form shows them so the reader can fix the field)."""
    calc = get(slug)
    inputs_raw = default_raw(calc, data)
    resolved = False
    try:
        inputs_raw = resolve_inputs(calc, raw, data, source=source, base=base)
        resolved = True
        inputs = parse_inputs(calc.inputs, inputs_raw)
        result = calc.compute(inputs, data)
    except InputError as exc:
        failed = {"ok": False, "field": exc.field, "message": str(exc)}
        if resolved:
            # A link with one bad value still shows its other values (its version's defaults
            # included), not today's defaults: the reader fixes one field, not the whole form.
            failed["inputs"] = inputs_raw
            failed["query"] = link_query(calc, inputs_raw, data)
        return failed, inputs_raw
    shown = {o.key: display(o.fmt, result.get(o.key)) for o in calc.outputs}
    items = {o.key: link_items(result[o.key]) for o in calc.outputs if o.fmt == "links"}
    outcome = {
        "ok": True,
        "inputs": inputs_raw,
        "query": link_query(calc, inputs_raw, data),
        "values": result,
        "display": shown,
        "items": items,
        "answer": calc.answer(inputs, result, data),
        "summary": calc.summarize(inputs, result, data),
        "chart": calc.chart(inputs, result) if calc.chart else "",
    }
    return outcome, inputs_raw


def run(
    slug: str,
    raw: Mapping[str, str],
    data: Mapping[str, Any],
    *,
    source: str = "reader",
    base: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Compute a calculator from raw strings; see the module docstring for the shape.

    ``inputs`` in a good answer is the resolved raw input set (every input, as text): what the
    page's form shows and what a scenario link carries.
    """
    return evaluate(slug, raw, data, source=source, base=base)[0]


# The browser worker hands the data tree over once, at start (set_data), not on every keystroke.
_DATA: dict[str, Any] = {}


def set_data(data_json: str) -> None:
    """Keep the data tree (JSON text) for :func:`run_json`."""
    _DATA.clear()
    _DATA.update(json.loads(data_json))


def _strings(obj: Any) -> dict[str, str] | None:
    if not isinstance(obj, dict):
        return None
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in obj.items()}


def run_json(slug: str, raw_json: str, source: str = "reader", base_json: str = "") -> str:
    """``run`` with JSON in and out on the tree given to :func:`set_data`: what the browser
    worker calls (no proxies to manage)."""
    raw = _strings(json.loads(raw_json))
    base = _strings(json.loads(base_json)) if base_json else None
    if raw is None or (base_json and base is None):
        return json.dumps({"ok": False, "field": "", "message": "inputs must be an object"})
    out = run(
        slug, raw, _DATA, source=source if source in ("reader", "url") else "reader", base=base
    )
    return json.dumps(out, allow_nan=False)
