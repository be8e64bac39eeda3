"""The descriptor each calculator module exports as ``CALCULATOR``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from ._inputs import InputSpec, input_specs

__all__ = ["Calculator", "Output"]


@dataclasses.dataclass(frozen=True)
class Output:
    """One result shown on the page (``data-output="<key>"``) and in the JSON."""

    key: str
    label: str
    fmt: str  # a name in calculators._format.FORMATS
    help: str = ""


@dataclasses.dataclass(frozen=True)
class Calculator:
    """Everything the CLI, the site plugin and the browser need to know about a calculator.

    ``compute(inputs, data)`` returns the JSON-ready result dict; ``data`` is the data tree
    (figures from data/) for calculators that need tables beyond their inputs.
    ``answer(inputs, result, data)`` returns the result in one sentence, which the page leads
    with; ``summarize(inputs, result, data)`` returns a short plain-text paragraph;
    ``chart(inputs, result)`` returns an SVG string or ``""``.
    """

    slug: str
    title: str
    question: str  # one line: what it answers (calculators index)
    inputs: type
    outputs: tuple[Output, ...]
    compute: Callable[[Any, Mapping[str, Any]], dict[str, Any]]
    answer: Callable[[Any, dict[str, Any], Mapping[str, Any]], str]
    summarize: Callable[[Any, dict[str, Any], Mapping[str, Any]], str]
    chart: Callable[[Any, dict[str, Any]], str] | None = None
    # The chart comes right after the answer, above the form; False puts it after the form and
    # results (a long table would push the form off the first screens).
    chart_first: bool = True
    # An input whose value names a preset (lora-memory's ``model``): choosing a value that is a
    # preset's name applies that preset, so ``--model llama-2-7b`` brings its architecture.
    # ``preset_custom`` is its value for "none of the presets: the inputs as typed".
    preset_input: str = ""
    preset_custom: str = "custom"
    # Presets derived from data/ by the calculator (lora-memory: one per model in
    # data/models.yaml); None means they are listed in data/calculators/<slug>.yaml.
    presets: Callable[[Mapping[str, Any]], dict[str, dict[str, Any]]] | None = None

    @property
    def specs(self) -> tuple[InputSpec, ...]:
        return input_specs(self.inputs)
