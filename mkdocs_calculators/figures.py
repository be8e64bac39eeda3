"""A data/ figure as prose: the value as a reader reads it, and its source as a footnote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from html import escape
from typing import Any


def _number(x: float, money: bool) -> str:
    if money:
        if x == int(x) and abs(x) >= 1:
            return f"${x:,.0f}"
        text = f"{x:,.2f}"
        if float(text.replace(",", "")) != x:
            text = f"{x:,.4f}".rstrip("0")
        return f"${text}"
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.10g}"


def format_value(fig: Mapping[str, Any]) -> str:
    """``$2.50``, ``$10,000–$50,000``, ``62%``, ``14 January 2027``, ``500–1,000``."""
    value, unit = fig["value"], str(fig.get("unit", ""))
    if unit == "date":
        d = dt.date.fromisoformat(str(value))
        return f"{d.day} {d:%B %Y}"
    money = unit.startswith("USD")
    suffix = "%" if unit == "percent" else ""
    if isinstance(value, list):
        low, high = value
        return f"{_number(low, money)}{suffix}–{_number(high, money)}{suffix}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value, money) + suffix
    return str(value)


def footnote_label(key: str) -> str:
    return "fig-" + key.replace(".", "-").replace("_", "-")


def dated(fig: Mapping[str, Any]) -> str:
    """``as of 2026-10-01``, or ``undated`` for a source that carries no date."""
    return "undated" if fig["as_of"] == "undated" else f"as of {fig['as_of']}"


def footnote_text(fig: Mapping[str, Any]) -> str:
    """Markdown for the footnote: source, date, and a link when there is one."""
    source = str(fig["source"])
    text = f"{source}, {dated(fig)}."
    if fig.get("url"):
        text += f" <{fig['url']}>"
    if fig.get("note"):
        text += f" {fig['note']}"
    return text


def inline_html(key: str, fig: Mapping[str, Any]) -> str:
    title = f"{fig['source']}, {dated(fig)}"
    return (
        f'<span class="tob-fig" data-figure="{escape(key)}" title="{escape(title)}">'
        f"{escape(format_value(fig))}</span>[^{footnote_label(key)}]"
    )
