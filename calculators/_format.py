"""Numbers as readers read them: "$5,625", "3.1 months", "40 hours".

Formatting happens in Python so the page, the CLI summary and the build-time HTML show the same
text; the browser glue only copies strings into the page.
"""

from __future__ import annotations

import math

__all__ = ["FORMATS", "display", "link_items"]


def lower_first(text: str) -> str:
    """``text`` to follow a colon or start a clause: its first letter lowercased, unless the
    first word is an acronym (``RAG``) that must keep its capitals.

    >>> lower_first("The fine-tuned setup costs more"), lower_first("RAG (retrieval)")
    ('the fine-tuned setup costs more', 'RAG (retrieval)')
    """
    first = text.split(" ", 1)[0]
    return text if first[1:2].isupper() else text[:1].lower() + text[1:]


def usd(x: float) -> str:
    if abs(x) >= 100 or x == int(x):
        text = f"${abs(x):,.0f}"
    else:
        text = f"${abs(x):,.2f}"
    return ("−" if x < 0 and round(abs(x), 2) else "") + text


def price(x: float) -> str:
    """A unit price: at least two decimals, more only when they matter ($0.075)."""
    text = f"{x:,.2f}"
    if float(text.replace(",", "")) != x:
        text = f"{x:,.4f}".rstrip("0")
    return f"${text}"


def months(x: float | None) -> str:
    if x is None:
        return "never"
    if x < 10:
        return f"{x:,.1f} months"
    return f"{x:,.0f} months" if x >= 100 else f"{x:,.1f} months"


def count(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}"


def hours(x: float) -> str:
    return f"{x:,.0f} hours" if x >= 10 else f"{x:,.1f} hours"


def percent(x: float) -> str:
    if x == 0:
        return "0%"
    digits = 0 if abs(x) >= 10 else 2 if abs(x) < 1 else 1
    return f"{x:,.{digits}f}%"


def gigabytes(x: float) -> str:
    return f"{x:,.1f} GB"


def memory(x: float) -> str:
    """GPU memory given in GB: megabytes under 1 GB ("168 MB"), else like :func:`gigabytes`."""
    if 0 < x < 0.9995:
        return f"{x * 1000:,.0f} MB" if x >= 0.0005 else "under 1 MB"
    return gigabytes(x)


def tokens(x: float) -> str:
    if x >= 1e9:
        return f"{x / 1e9:,.2f}B tokens"
    if x >= 1e6:
        return f"{x / 1e6:,.2f}M tokens"
    return f"{x:,.0f} tokens"


def gpu_time(x: float) -> str:
    """GPU time, in minutes when under an hour: "25 GPU-minutes", "3.4 GPU-hours"."""
    if x == 0:
        return "0 GPU-hours"
    if round(x * 60) < 1:
        return "under 1 GPU-minute"
    if round(x * 60) < 60:
        n = round(x * 60)
        return f"{n} GPU-minute" + ("" if n == 1 else "s")
    return f"{x:,.0f} GPU-hours" if x >= 10 else f"{x:,.1f} GPU-hours"


def count_range(x: tuple[float, float]) -> str:
    """A [low, high] pair of counts: "500–1,000", or one number when they are equal."""
    low, high = x
    return count(low) if low == high else f"{count(low)}–{count(high)}"


def hours_range(x: tuple[float, float]) -> str:
    """A [low, high] pair of hours: "40–80 hours", or "40 hours"."""
    low, high = x

    def number(h: float) -> str:
        return f"{h:,.0f}" if h >= 10 or h == int(h) else f"{h:,.1f}"

    if number(low) == number(high):
        return hours(high)
    return f"{number(low)}–{number(high)} hours"


def minutes_range(x: tuple[float, float]) -> str:
    low, high = (f"{v:,.3g}" for v in x)
    return f"{low} minutes" if low == high else f"{low}–{high} minutes"


def usd_range(x: tuple[float, float]) -> str:
    """A [low, high] pair of dollar amounts: "$4,000–$12,000", or "$4,000"."""
    low, high = x
    return usd(low) if usd(low) == usd(high) else f"{usd(low)}–{usd(high)}"


def plain(x: object) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.4g}" if math.isfinite(x) else "—"
    if isinstance(x, list | tuple):
        return ", ".join(str(i) for i in x) or "none"
    return str(x)


def links(x: list[dict[str, str]]) -> str:
    """Numbered reasons as one line of plain text; pages show them as a list of links."""
    return " ".join(f"({n}) {r.get('note', '')}{r['text']}" for n, r in enumerate(x, 1)) or "—"


def link_items(x: list[dict[str, str]]) -> list[dict[str, str]]:
    """The items a page shows for a ``links`` output: text, and a site-relative link."""
    return [{"text": f"{r.get('note', '')}{r['text']}", "href": r.get("link", "")} for r in x]


# Output formats by name (Output.fmt); hours and gigabytes serve summaries and the formats
# below, so they are functions here but no output names them.
FORMATS = {
    "usd": usd,
    "price": price,
    "months": months,
    "count": count,
    "percent": percent,
    "memory": memory,
    "tokens": tokens,
    "text": plain,
    "sentence": plain,  # a whole sentence: pages give it a full-width row at reading weight
    "gpu_time": gpu_time,
    "count_range": count_range,
    "hours_range": hours_range,
    "usd_range": usd_range,
    "minutes_range": minutes_range,
    "links": links,
}


def display(fmt: str, value: object) -> str:
    """Format ``value`` with the named format; ``None`` shows as a dash (or "never" for months)."""
    if value is None and fmt != "months":
        return "—"
    return FORMATS[fmt](value)
