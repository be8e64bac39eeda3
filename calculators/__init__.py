"""Tune or Build calculators: pure, standard-library-only Python that runs in CPython and Pyodide.

``REGISTRY`` maps each calculator's public name (its CLI subcommand and page path) to the module
that defines it. Modules are imported on first use, so the browser only pays for what a page
uses.
"""

from __future__ import annotations

import importlib

from ._calculator import Calculator
from ._inputs import InputError

__all__ = ["REGISTRY", "Calculator", "InputError", "all_calculators", "get"]

REGISTRY: dict[str, str] = {
    "break-even": "break_even",
    "training-cost": "training_cost",
    "dataset-size": "dataset_size",
    "total-cost": "total_cost",
    "which-approach": "which_approach",
    "lora-memory": "lora_memory",
    "serving-cost": "serving_cost",
    "compare-models": "compare_models",
}


def get(slug: str) -> Calculator:
    """The calculator named ``slug``; KeyError listing the known names otherwise."""
    if slug not in REGISTRY:
        raise KeyError(f"unknown calculator {slug!r}; known: {', '.join(sorted(REGISTRY))}")
    return importlib.import_module(f"{__name__}.{REGISTRY[slug]}").CALCULATOR


def all_calculators() -> list[Calculator]:
    return [get(slug) for slug in REGISTRY]
