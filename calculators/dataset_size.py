"""Dataset size and labeling cost: how many examples a fine-tune needs, and what labeling costs.

The data-requirement table of Timespade's founder guide to fine-tuning gives, for three kinds of task, a range of examples, the
hours an expert takes to label them and what those hours cost. This module reads that table
(``data/datasets.yaml``), lets the reader replace any of its figures with their own (an exact
example count, minutes per example, an hourly rate), subtracts the examples already labeled,
adds a second review for a share of them, and says what the count means for the decision.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ._calculator import Calculator, Output
from ._data import as_of_note, figure_value
from ._format import count_range, hours_range, usd_range
from ._inputs import choice, integer, number, share, validate
from ._svg import range_chart

__all__ = [
    "CALCULATOR",
    "TASKS",
    "Inputs",
    "advice",
    "compute",
    "implied_rates",
    "labeling_cost",
    "labeling_hours",
    "table_row",
]

TASKS = ("simple", "domain", "classification")
_MAX_EXAMPLES = 100_000_000


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs:
    """The task, and any of the table's figures the reader wants to replace with their own."""

    task: str = choice(
        "Task",
        TASKS,
        help="simple: tone or a response format; domain: domain knowledge; classification: "
        "high-accuracy classification (the three columns of the founder guide's table).",
    )
    examples: int = integer(
        "Examples to train on",
        unit="examples",
        maximum=_MAX_EXAMPLES,
        step=100,
        default=0,
        help="0 uses the table's range for the task.",
    )
    minutes_per_example: float = number(
        "Labeling time per example",
        unit="minutes",
        maximum=1440,
        step=0.5,
        default=0.0,
        help="Expert time to write or check one example. 0 uses the pace implied by the table "
        "(its hours over its examples).",
    )
    hourly_rate: float = number(
        "Labeler's hourly rate",
        unit="$ per hour",
        maximum=10_000,
        step=10,
        default=0.0,
        help="0 uses the rate implied by the table (its cost over its hours).",
    )
    examples_in_hand: int = integer(
        "Examples already labeled",
        unit="examples",
        maximum=_MAX_EXAMPLES,
        step=100,
        default=0,
        help="Usable labeled examples you have now; only the rest needs labeling.",
    )
    review_share: float = share(
        "Share of examples reviewed twice",
        default=0.0,
        help="0.2 means a second expert checks one example in five, adding that share of the "
        "labeling time.",
    )

    def __post_init__(self) -> None:
        validate(self)


def table_row(data: Mapping[str, Any], task: str) -> dict[str, tuple[float, float]]:
    """The table's ``examples``, ``hours`` and ``cost`` ranges for ``task`` as (low, high).

    Examples
    --------
    >>> tree = {"datasets": {"simple": {
    ...     "examples": {"value": [50, 100]}, "hours": {"value": [5, 15]},
    ...     "cost": {"value": [500, 2000]}}}}
    >>> table_row(tree, "simple")
    {'examples': (50, 100), 'hours': (5, 15), 'cost': (500, 2000)}
    """
    return {
        key: tuple(figure_value(data, f"datasets.{task}.{key}"))
        for key in ("examples", "hours", "cost")
    }


def implied_rates(row: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Minutes per example and dollars per hour implied by a table row, read end by end.

    Parameters
    ----------
    row : mapping
        ``examples``, ``hours`` and ``cost`` as (low, high), from :func:`table_row`.

    Returns
    -------
    dict
        ``minutes_per_example``: (60 × low hours / low examples, 60 × high hours / high
        examples); ``hourly_rate``: (low cost / low hours, high cost / high hours). The low end
        of one need not be the smaller number (classification labels faster at its high end).

    Notes
    -----
    Reading the table end by end (low with low, high with high) is what makes the table's own
    figures come back unchanged when nothing is replaced.

    Examples
    --------
    The founder guide's domain column: 500–1,000 examples, 40–80 hours, $4,000–$12,000.

    >>> implied_rates({"examples": (500, 1000), "hours": (40, 80), "cost": (4000, 12000)})
    {'minutes_per_example': (4.8, 4.8), 'hourly_rate': (100.0, 150.0)}
    """
    ex, hrs, cost = row["examples"], row["hours"], row["cost"]
    return {
        "minutes_per_example": (60 * hrs[0] / ex[0], 60 * hrs[1] / ex[1]),
        "hourly_rate": (cost[0] / hrs[0], cost[1] / hrs[1]),
    }


def labeling_hours(
    examples: float, minutes_per_example: float, examples_in_hand: float = 0, review_share=0.0
) -> float:
    """Expert hours to label what is still missing, plus the second review.

    Parameters
    ----------
    examples : float
        Examples the fine-tune should have.
    minutes_per_example : float
        Time to label one example.
    examples_in_hand : float
        Usable examples already labeled.
    review_share : float
        Share of the labeled examples that a second expert reviews, 0 to 1.

    Notes
    -----
    .. math:: h = \\max(0, n - n_0) \\cdot m / 60 \\cdot (1 + s)

    A review is assumed to take as long as the first labeling.

    Examples
    --------
    The founder guide's prose: 1,000 examples at 2.4 minutes each.

    >>> labeling_hours(1000, 2.4)
    40.0
    >>> labeling_hours(1000, 2.4, examples_in_hand=1500)
    0.0
    """
    return max(0, examples - examples_in_hand) * minutes_per_example / 60 * (1 + review_share)


def labeling_cost(hours: float, hourly_rate: float) -> float:
    """Labeling hours times the hourly rate, in USD.

    Examples
    --------
    >>> labeling_cost(40, 100)
    4000
    """
    return hours * hourly_rate


def advice(
    examples_min: float,
    examples_max: float,
    to_label_max: float,
    *,
    minimum: int,
    threshold: int,
    clear_gains: tuple[float, float],
) -> str:
    """What the example count means for the decision, in a sentence or three.

    Parameters
    ----------
    examples_min, examples_max : float
        The examples the fine-tune would train on.
    to_label_max : float
        The most examples still to label.
    minimum : int
        The fewest examples OpenAI accepts for a fine-tuning job.
    threshold : int
        The founder guide's line: under this many labeled examples, prompt engineering first.
    clear_gains : (float, float)
        The range where OpenAI says well-made examples usually show clear gains.

    Examples
    --------
    >>> advice(5, 5, 5, minimum=10, threshold=200, clear_gains=(50, 100))[:42]
    'Below 10 examples OpenAI will not start a '
    """
    gains = f"{clear_gains[0]:,.0f}–{clear_gains[1]:,.0f}"
    if examples_max < minimum:
        text = (
            f"Below {minimum:,} examples OpenAI will not start a fine-tuning job at all. "
            "Put these examples into the prompt as demonstrations instead."
        )
    elif examples_max < threshold:
        text = (
            f"Under {threshold:,} labeled examples, the founder guide's decision table says to use "
            f"prompt engineering first. OpenAI reports clear gains often start at {gains} "
            "well-made examples, so a set this size can test whether fine-tuning helps once a "
            "prompt has reached its limits."
        )
    elif examples_min < threshold:
        text = (
            f"The range straddles {threshold:,} examples: at the low end the founder guide would prompt "
            "first; at the high end a fine-tune is worth testing against your best prompt."
        )
    else:
        text = (
            f"With {threshold:,} or more labeled examples a fine-tune is worth testing against "
            "your best prompt. Keep a share of the examples back to measure the result."
        )
    if to_label_max == 0:
        text += " The examples you already have cover this target: nothing is left to label."
    return text


def compute(inputs: Inputs, data: Mapping[str, Any]) -> dict[str, Any]:
    """Examples, labeling hours and labeling cost as (low, high) ranges, and advice.

    Parameters
    ----------
    inputs : Inputs
        The task and any replacements for the table's figures.
    data : mapping
        The data tree: ``datasets`` (the table and the thresholds).

    Returns
    -------
    dict
        ``task``; ``examples_min``/``max``, ``examples_to_label_min``/``max``, ``hours_min``/
        ``max``, ``cost_min``/``max`` (equal when every figure was given);
        ``minutes_per_example_min``/``max`` and ``hourly_rate_min``/``max`` (the figures used);
        the same ranges as ``[low, high]`` pairs for display (``examples_range``,
        ``examples_to_label_range``, ``hours_range``, ``cost_range``, and the figures used,
        ``minutes_range`` and ``rate_range``); ``advice``; and
        ``task_table``, every task's ``examples`` and ``cost`` range from the table.

    Notes
    -----
    The low end of each range uses the table's low figures (fewest examples, their hours,
    their cost), the high end its high figures; a figure the reader gives replaces the table's
    at both ends (:func:`implied_rates`). Each end is then :func:`labeling_hours` and
    :func:`labeling_cost`; the reported minimum and maximum are the smaller and larger end.

    References
    ----------
    Timespade's founder guide to fine-tuning, data-requirement table and the paragraph above it;
    OpenAI supervised fine-tuning guide (minimum 10 examples; clear gains from 50–100).

    Examples
    --------
    The founder guide's prose: 1,000 well-labeled domain examples take an expert 40–80 hours. At the
    fast end (2.4 minutes each) and $100 an hour, what does labeling cost?

    >>> from pathlib import Path
    >>> from calculators._data import load_tree
    >>> tree = load_tree(Path(__file__).resolve().parent.parent / "data")
    >>> r = compute(Inputs(task="domain", examples=1000, minutes_per_example=2.4,
    ...                    hourly_rate=100), tree)
    >>> r["hours_min"], r["hours_max"], r["cost_min"], r["cost_max"]
    (40.0, 40.0, 4000.0, 4000.0)

    With nothing replaced, the calculator gives back the table's domain column:

    >>> r = compute(Inputs(task="domain"), tree)
    >>> r["examples_range"], r["hours_range"], r["cost_range"]
    ([500, 1000], [40.0, 80.0], [4000.0, 12000.0])
    """
    i = inputs
    row = table_row(data, i.task)
    implied = implied_rates(row)
    ends = []
    for end in (0, 1):
        n = i.examples or row["examples"][end]
        minutes = i.minutes_per_example or implied["minutes_per_example"][end]
        rate = i.hourly_rate or implied["hourly_rate"][end]
        to_label = max(0, n - i.examples_in_hand)
        hours = labeling_hours(n, minutes, i.examples_in_hand, i.review_share)
        ends.append(
            {
                "examples": n,
                "to_label": to_label,
                "minutes": minutes,
                "rate": rate,
                "hours": hours,
                "cost": labeling_cost(hours, rate),
            }
        )

    def span(key: str) -> list:
        values = [e[key] for e in ends]
        return [min(values), max(values)]

    examples, to_label, hours, cost = (
        span("examples"),
        span("to_label"),
        span("hours"),
        span("cost"),
    )
    minutes, rate = span("minutes"), span("rate")
    text = advice(
        examples[0],
        examples[1],
        to_label[1],
        minimum=figure_value(data, "datasets.openai-minimum"),
        threshold=figure_value(data, "datasets.prompting-threshold"),
        clear_gains=tuple(figure_value(data, "datasets.openai-clear-gains")),
    )
    return {
        "task": i.task,
        "examples_min": examples[0],
        "examples_max": examples[1],
        "examples_to_label_min": to_label[0],
        "examples_to_label_max": to_label[1],
        "minutes_per_example_min": minutes[0],
        "minutes_per_example_max": minutes[1],
        "hourly_rate_min": rate[0],
        "hourly_rate_max": rate[1],
        "hours_min": hours[0],
        "hours_max": hours[1],
        "cost_min": cost[0],
        "cost_max": cost[1],
        "examples_range": examples,
        "examples_to_label_range": to_label,
        "hours_range": hours,
        "cost_range": cost,
        "minutes_range": minutes,
        "rate_range": rate,
        "advice": text,
        # Every task's table row, so the chart can place the reader's figures among them.
        "task_table": {
            t: {k: list(v) for k, v in table_row(data, t).items() if k != "hours"} for t in TASKS
        },
    }


def _span(result: Mapping[str, Any], key: str, pattern: str) -> str:
    low, high = pattern.format(result[key + "_min"]), pattern.format(result[key + "_max"])
    return low if low == high else f"{low}–{high}"


def answer(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """The result in one sentence: what the page leads with."""
    r = result
    return (
        f"Needs {count_range(r['examples_range'])} examples: "
        f"{count_range(r['examples_to_label_range'])} still to label, about "
        f"{hours_range(r['hours_range'])} and {usd_range(r['cost_range'])}."
    )


def summarize(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """A paragraph to paste into an email."""
    i, r = inputs, result
    review = f", with {i.review_share:.0%} of them reviewed a second time" if i.review_share else ""
    return (
        f"A {i.task} fine-tuning task needs {count_range(r['examples_range'])} examples; "
        f"with {i.examples_in_hand:,} already labeled, {count_range(r['examples_to_label_range'])} "
        f"remain to label{review}. At {_span(r, 'minutes_per_example', '{:,.3g}')} minutes an "
        f"example and {_span(r, 'hourly_rate', '${:,.0f}')} an hour that is "
        f"{hours_range(r['hours_range'])} and {usd_range(r['cost_range'])}. "
        f"{r['advice']} " + as_of_note(data, "dataset-size")
    ).strip()


TASK_LABELS = {
    "simple": "Tone or format",
    "domain": "Domain knowledge",
    "classification": "Classification",
}


def chart(inputs: Inputs, result: dict[str, Any]) -> str:
    """Two panels: each task's example range and cost range, the reader's figures across them."""
    table = result["task_table"]
    mine = TASK_LABELS[inputs.task]
    panels = []
    for key, mark_key, fmt, axis in (
        ("examples", "examples", lambda v: f"{v:,.0f}", "Labeled examples (log scale)"),
        ("cost", "cost", lambda v: f"${v:,.0f}", "Labeling cost, USD (log scale)"),
    ):
        lo, hi = result[f"{mark_key}_min"], result[f"{mark_key}_max"]
        shown = fmt(lo) if fmt(lo) == fmt(hi) else f"{fmt(lo)}–{fmt(hi)}"
        panels.append(
            range_chart(
                title=f"{axis.split(' (')[0]} by task, in the founder guide's table",
                desc=f"Your {mine.lower()} task: {shown}.",
                rows=[(TASK_LABELS[t], *table[t][key]) for t in TASKS],
                mark=(f"Yours: {shown}", lo, hi),
                selected=mine,
                x_fmt=fmt,
                x_label=axis,
            )
        )
    return "".join(panels)


CALCULATOR = Calculator(
    slug="dataset-size",
    title="Dataset size and labeling cost",
    question="How many labeled examples does a fine-tune need, and what does labeling them cost?",
    inputs=Inputs,
    outputs=(
        Output("examples_range", "Examples needed", "count_range"),
        Output("examples_to_label_range", "Examples still to label", "count_range"),
        Output("hours_range", "Labeling time", "hours_range"),
        Output("cost_range", "Labeling cost", "usd_range"),
        Output("minutes_range", "Labeling time per example used", "minutes_range"),
        Output("rate_range", "Hourly rate used", "usd_range"),
        Output("advice", "What it means for the decision", "sentence"),
    ),
    compute=compute,
    answer=answer,
    summarize=summarize,
    chart=chart,
)
