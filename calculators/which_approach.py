"""Which approach fits: prompting, RAG, fine-tuning or a custom model?

A founder answers a few questions (how many labeled examples, how many calls a day, a handful
of yes/no questions). The answer comes from decision rules kept as data in ``data/rules.yaml``,
each with its source, applied by one small engine (:func:`decide`): no rule is written as an
``if`` here, so the page, the tests and the YAML cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from . import _usage as usage
from ._calculator import Calculator, Output
from ._data import DataError, resolve
from ._format import lower_first
from ._inputs import flag, input_specs, integer, validate

__all__ = ["APPROACHES", "CALCULATOR", "Inputs", "compute", "decide", "matches"]

APPROACHES = ("prompting", "rag", "fine-tuning", "custom-model")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs:
    """What a founder can answer without running an experiment."""

    labeled_examples: int = integer(
        "Labeled examples you have",
        unit="examples",
        maximum=1_000_000_000,
        step=100,
        help="Input and ideal-output pairs, checked by someone who knows the domain.",
    )
    calls_per_day: float = usage.calls_per_day_input()
    knowledge_changes_often: bool = flag(
        "The model needs knowledge that changes often, lives in large documents or in a live database"
    )
    exact_format_needed: bool = flag("You need the same exact output format every time")
    specialized_terminology: bool = flag(
        "Your domain's terms mean something a general model gets wrong"
    )
    tone_or_style: bool = flag("You want a particular tone or style of writing")
    data_must_stay_on_premises: bool = flag(
        "Data must stay on your own infrastructure (regulation or contract)"
    )
    model_is_the_product: bool = flag("The model itself is what you sell")
    prompting_exhausted: bool = flag(
        "You have tried careful prompts, few-shot examples and structured output"
    )
    evals_exist: bool = flag(
        "You have evals that measure the specific failure",
        help="You can show, with examples, what the model gets wrong, and score it.",
    )

    def __post_init__(self) -> None:
        validate(self)


def matches(condition: Any, value: Any) -> bool:
    """Whether one input ``value`` meets one rule condition.

    A condition is ``true``/``false`` for a yes/no question, or a mapping of comparisons
    (``lt``, ``lte``, ``gt``, ``gte``) that must all hold for a number.

    Examples
    --------
    >>> matches({"lt": 200}, 150), matches({"gte": 50_000}, 10_000), matches(True, True)
    (True, False, True)
    """
    if isinstance(condition, bool):
        return value is condition
    if isinstance(condition, Mapping):
        ops = {
            "lt": lambda a, b: a < b,
            "lte": lambda a, b: a <= b,
            "gt": lambda a, b: a > b,
            "gte": lambda a, b: a >= b,
        }
        unknown = set(condition) - set(ops)
        if unknown:
            raise DataError(f"rules: unknown comparison {', '.join(sorted(unknown))}")
        return all(ops[op](value, bound) for op, bound in condition.items())
    raise DataError(f"rules: cannot read condition {condition!r}")


def decide(
    rules: Sequence[Mapping[str, Any]],
    answers: Mapping[str, Any],
    combines: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Apply decision rules to a founder's answers.

    Parameters
    ----------
    rules : sequence of mapping
        Each with ``id``, ``when`` (input name → condition, see :func:`matches`), either
        ``recommend`` (an approach) or ``exclude`` (a list of approaches), ``priority``,
        ``reason``, ``link`` and ``source``. ``{fig: ...}`` references already resolved.
    answers : mapping
        Input values keyed by public name (``calls-per-day``).
    combines : mapping, optional
        For each approach, the approaches it may be combined with (``also``).

    Returns
    -------
    dict
        ``recommendation``, ``also`` (list), ``excluded`` (list) and ``reasons``: one
        ``{rule, status, text, link, source}`` per rule that matched, ordered by status:
        ``chosen`` (supports the recommendation), ``combine`` (supports an ``also``),
        ``gate`` (rules an approach out for now), ``not-yet`` (called for an excluded
        approach), ``outweighed`` (a lower-priority rule that lost).

    Notes
    -----
    1. Every rule whose conditions all hold *matches*.
    2. Gates (``exclude``) apply first, whatever their priority: an approach a founder is not
       ready for cannot be recommended.
    3. Among matching ``recommend`` rules whose approach is not excluded, the highest
       ``priority`` wins; ties go to the rule listed first.
    4. ``also`` lists the other standing approaches that the winner ``combines`` with.
    5. A rule without conditions is a fallback: it is shown only when it is chosen.

    Examples
    --------
    Two rules from the founder guide's decision table, and a gate:

    >>> rules = [
    ...     {"id": "few", "when": {"labeled-examples": {"lt": 200}}, "exclude": ["fine-tuning"],
    ...      "priority": 100, "reason": "Too few examples.", "link": "", "source": ""},
    ...     {"id": "format", "when": {"exact-format-needed": True}, "recommend": "fine-tuning",
    ...      "priority": 70, "reason": "Exact format.", "link": "", "source": ""},
    ...     {"id": "default", "when": {}, "recommend": "prompting",
    ...      "priority": 0, "reason": "Start here.", "link": "", "source": ""},
    ... ]
    >>> decide(rules, {"labeled-examples": 1000, "exact-format-needed": True})["recommendation"]
    'fine-tuning'
    >>> r = decide(rules, {"labeled-examples": 50, "exact-format-needed": True})
    >>> r["recommendation"], [(x["rule"], x["status"]) for x in r["reasons"]]
    ('prompting', [('default', 'chosen'), ('few', 'gate'), ('format', 'not-yet')])
    """
    combines = combines or {}
    matched = []
    for rule in rules:
        when = rule.get("when") or {}
        missing = [name for name in when if name not in answers]
        if missing:
            raise DataError(f"rules: {rule.get('id')}: no input named {', '.join(missing)}")
        if all(matches(cond, answers[name]) for name, cond in when.items()):
            matched.append(rule)
    excluded = []
    for rule in matched:
        for approach in rule.get("exclude", ()):
            if approach not in excluded:
                excluded.append(approach)
    standing = [r for r in matched if "recommend" in r and r["recommend"] not in excluded]
    if not standing:
        raise DataError("rules: no rule recommends anything (the fallback rule is missing)")
    order = {id(r): n for n, r in enumerate(rules)}
    winner = max(standing, key=lambda r: (r.get("priority", 0), -order[id(r)]))
    recommendation = winner["recommend"]
    also = []
    for rule in sorted(standing, key=lambda r: (-r.get("priority", 0), order[id(r)])):
        approach = rule["recommend"]
        if approach in combines.get(recommendation, ()) and approach not in also:
            also.append(approach)

    def status(rule: Mapping[str, Any]) -> str | None:
        if "exclude" in rule:
            return "gate"
        if rule["recommend"] == recommendation:
            return "chosen"
        if not rule.get("when"):
            return None  # the fallback, when something else won
        if rule["recommend"] in also:
            return "combine"
        if rule["recommend"] in excluded:
            return "not-yet"
        return "outweighed"

    rank = {"chosen": 0, "combine": 1, "gate": 2, "not-yet": 3, "outweighed": 4}
    shown = [(status(r), r) for r in matched]
    shown = [(s, r) for s, r in shown if s is not None]
    # Among the chosen ones the winner comes first; otherwise keep the file's order.
    shown.sort(key=lambda sr: (rank[sr[0]], sr[1] is not winner, order[id(sr[1])]))
    # When a real rule chose prompting, the fallback adds nothing.
    if any(s == "chosen" and r.get("when") for s, r in shown):
        shown = [(s, r) for s, r in shown if r.get("when")]
    reasons = [
        {
            "rule": r["id"],
            "status": s,
            "text": " ".join(str(r["reason"]).split()),
            "link": r.get("link", ""),
            "source": r.get("source", ""),
        }
        for s, r in shown
    ]
    return {
        "recommendation": recommendation,
        "also": also,
        "excluded": excluded,
        "reasons": reasons,
    }


_PREFIX = {"combine": "Also: ", "gate": "", "not-yet": "Later: ", "outweighed": "Outweighed: "}


def compute(inputs: Inputs, data: Mapping[str, Any]) -> dict[str, Any]:
    """The recommended approach, what to combine it with, and why.

    Parameters
    ----------
    inputs : Inputs
        The founder's answers.
    data : mapping
        The data tree; its ``rules`` entry (``data/rules.yaml``) holds the rules.

    Returns
    -------
    dict
        ``recommendation`` (``prompting``, ``rag``, ``fine-tuning`` or ``custom-model``),
        ``also`` (list of approaches), ``reasons`` (list of ``{rule, status, note, text,
        link, source}``, ``note`` a short status such as "Later: ", links site-relative such
        as ``guides/decision/#rag``), and for display ``recommendation_label`` and
        ``also_label``.

    Notes
    -----
    See :func:`decide` for how rules combine and how conflicts resolve.

    References
    ----------
    Timespade's founder guide to fine-tuning (decision table), the explainer "What is fine-tuning?"
    (when fine-tuning is and is not the answer), "Should I use Claude or build my own model?" (when
    fine-tuning makes sense; the readiness checklist). Each rule in ``data/rules.yaml`` cites
    its line.

    Examples
    --------
    A team with 3,000 labeled examples, 60,000 calls a day, a strict output format, evals and
    prompting exhausted:

    >>> from pathlib import Path
    >>> from calculators._data import load_tree
    >>> tree = load_tree(Path(__file__).resolve().parent.parent / "data")
    >>> answers = dict(labeled_examples=3000, calls_per_day=60_000, exact_format_needed=True,
    ...                prompting_exhausted=True, evals_exist=True)
    >>> r = compute(Inputs(**answers), tree)
    >>> r["recommendation"], [x["rule"] for x in r["reasons"]]
    ('fine-tuning', ['exact-format', 'high-volume'])

    The same team whose answers live in a database that changes daily:

    >>> r = compute(Inputs(**answers, knowledge_changes_often=True), tree)
    >>> r["recommendation"], r["also"]
    ('rag', ['fine-tuning'])
    """
    try:
        table = data["rules"]
        rules = resolve(data, table["rules"])
        approaches = table["approaches"]
    except (KeyError, TypeError):
        raise DataError("data/rules.yaml is missing or has no 'rules' list") from None
    answers = {s.name: getattr(inputs, s.attr) for s in input_specs(Inputs)}
    combines = {name: a.get("combines", []) for name, a in approaches.items()}
    result = decide(rules, answers, combines)
    labels = {name: a.get("label", name) for name, a in approaches.items()}
    for reason in result["reasons"]:
        reason["note"] = _PREFIX.get(reason["status"], "")
    return {
        **result,
        "recommendation_label": labels[result["recommendation"]],
        "also_label": ", ".join(labels[a] for a in result["also"]) or "nothing else",
    }


def answer(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """The result in one sentence: what the page leads with."""
    r = result
    also = f", combined with {lower_first(r['also_label'])}" if r["also"] else ""
    return f"Start with {lower_first(r['recommendation_label'])}{also}."


def summarize(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """A paragraph to paste into an email."""
    i, r = inputs, result
    yes = [s.label.lower() for s in input_specs(Inputs) if s.kind == "flag" and getattr(i, s.attr)]
    also = f", combined with {lower_first(r['also_label'])}" if r["also"] else ""
    reasons = " ".join(x["text"] for x in r["reasons"] if x["status"] in ("chosen", "gate"))
    return (
        f"Which approach fits: {lower_first(r['recommendation_label'])}{also}. "
        f"Answers: {i.labeled_examples:,} labeled examples, {i.calls_per_day:,.0f} calls a day"
        + (f"; {'; '.join(yes)}" if yes else "; no to every yes/no question")
        + f". Why: {reasons} Rules from Timespade’s founder guide to fine-tuning, the explainer “What is fine-tuning?” and “Should I use Claude or build my own model?” (data/rules.yaml)."
    )


CALCULATOR = Calculator(
    slug="which-approach",
    title="Which approach fits",
    question="Prompting, RAG, fine-tuning or a custom model: which fits your situation, and why?",
    inputs=Inputs,
    outputs=(
        Output("recommendation_label", "Start with", "text"),
        Output("also_label", "Combine it with", "text"),
        Output("reasons", "Why", "links"),
    ),
    compute=compute,
    answer=answer,
    summarize=summarize,
)
