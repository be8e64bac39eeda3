"""The usage inputs that several calculators share, each declared once.

``break-even`` and ``total-cost`` both price a prompted model against a fine-tuned one from the
same usage: calls per day, tokens per call, token prices, the cached share and days per month
(:class:`Usage`, which both inputs dataclasses extend), and the fine-tuned model's hosting fee;
``which-approach`` asks for the same calls per day. Each input's label, unit, bounds and help
are written once here, so a page, flag or validation message cannot drift apart between
calculators. A parameter stands where the calculators really differ (what "other input"
includes, whether a field sits under "More inputs").
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ._inputs import integer, number, share

__all__ = [
    "MAX_PRICE_PER_M",
    "MAX_TOKENS_PER_CALL",
    "Usage",
    "calls_per_day_input",
    "hosting_per_month",
    "other_input_tokens",
    "token_count",
    "token_price",
]

MAX_TOKENS_PER_CALL = 2_000_000  # well past any context window on sale
MAX_PRICE_PER_M = 10_000.0  # USD per 1M tokens; far above any list price


# ---------------------------------------------------------------------------------------------
# Kinds of usage input (also used for calculator-specific fields: retrieved tokens, embeddings)


def days_per_month_input() -> Any:
    """Days in a billing month; 30 unless the reader says otherwise (every cost calculator)."""
    return number(
        "Days per month", unit="days", minimum=1, maximum=31, step=1, default=30.0, advanced=True
    )


def token_count(label: str, *, help: str = "", step: int = 50, **more: Any) -> Any:
    """Tokens per call (prompt, retrieved context, output)."""
    return integer(label, unit="tokens", maximum=MAX_TOKENS_PER_CALL, step=step, help=help, **more)


def token_price(label: str, *, help: str = "", step: float = 0.05, **more: Any) -> Any:
    """A price in USD per 1M tokens."""
    return number(
        label, unit="$ per 1M tokens", maximum=MAX_PRICE_PER_M, step=step, help=help, **more
    )


# ---------------------------------------------------------------------------------------------
# The shared inputs


def calls_per_day_input(**more: Any) -> Any:
    """Model calls a day (break-even, total-cost, which-approach); ``more`` takes ``aliases``."""
    return number(
        "Calls per day",
        maximum=1e9,
        step=1000,
        help="Model calls your product makes on an average day (or will at launch).",
        **more,
    )


def other_input_tokens(*, includes_retrieval: bool) -> Any:
    """Input every setup pays for besides the prompt.

    ``includes_retrieval``: whether retrieved context is part of it (break-even), or counted
    by an input of its own (total-cost's ``retrieved-tokens``).
    """
    if includes_retrieval:
        what = "The user's own text and any retrieved context"
    else:
        what = "The user's own text (retrieved passages are counted separately)"
    return token_count(
        "Other input tokens per call",
        default=0,
        help=f"{what}: paid on every call to a token-priced model.",
        advanced=True,
    )


def hosting_per_month(*, advanced: bool) -> Any:
    """The fine-tuned model's fixed monthly fee; ``advanced``: listed under "More inputs"."""
    return number(
        "Hosting fee for the fine-tuned model",
        unit="$ per month",
        maximum=1e9,
        step=50,
        default=0.0,
        help="Fixed monthly cost of keeping the fine-tuned model available.",
        advanced=advanced,
    )


@dataclasses.dataclass(frozen=True, kw_only=True)
class Usage:
    """How a prompted model and its fine-tuned replacement are used and priced.

    The inputs dataclasses of ``break-even`` and ``total-cost`` extend this one, so these
    inputs come first in both, in this order. A subclass may declare a field again (same name,
    same position) where it differs: break-even's ``calls-per-day`` keeps its former name
    ``daily-calls``; total-cost counts retrieved tokens apart from ``other-input-tokens``.
    Prices are USD per 1M tokens.
    """

    calls_per_day: float = calls_per_day_input()
    prompt_tokens_before: int = token_count(
        "Prompt tokens, prompted model",
        help="Instructions and examples sent with every call to the prompted model.",
    )
    prompt_tokens_after: int = token_count(
        "Prompt tokens, fine-tuned model",
        help="What is left of the prompt once the behaviour is trained in.",
    )
    other_input_tokens: int = other_input_tokens(includes_retrieval=True)
    output_tokens: int = token_count(
        "Output tokens per call",
        default=0,
        help="Tokens the model writes back per call.",
        advanced=True,
    )
    input_price: float = token_price("Input price, prompted model")
    cached_input_price: float = token_price(
        "Cached-input price, prompted model",
        help="What the provider charges for prompt tokens served from its prompt cache.",
        advanced=True,
    )
    output_price: float = token_price("Output price, prompted model", advanced=True)
    fine_tuned_input_price: float = token_price(
        "Input price, fine-tuned model",
        help="Fine-tuned models are usually billed above their base model.",
    )
    fine_tuned_cached_input_price: float = token_price(
        "Cached-input price, fine-tuned model", advanced=True
    )
    fine_tuned_output_price: float = token_price("Output price, fine-tuned model", advanced=True)
    cached_share: float = share(
        "Share of prompt tokens served from cache",
        default=0.0,
        help="0.8 means 80% of prompt tokens are billed at the cached-input price, by the "
        "prompted and the fine-tuned model alike.",
        advanced=True,
    )
    days_per_month: float = days_per_month_input()
