"""Which models are retired or about to be, from the shutdown dates in data/lifecycle.yaml.

Pure and standard-library only: the build, the CLI, the tests and the browser share it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from ._data import resolve

__all__ = ["RETIRING_DAYS", "label", "models_of", "shutdown_date", "status"]

#: A model this close to its shutdown is never a default or a suggested preset.
RETIRING_DAYS = 90


def shutdown_date(data: Mapping[str, Any], model: str) -> _dt.date | None:
    """The announced shutdown of ``model`` (``provider.key``), or None when none is known."""
    entry = (data.get("lifecycle") or {}).get("shutdowns", {}).get(model)
    # A date may point at its figure in data/platform.yaml ({fig: KEY}): one date, one place.
    return _dt.date.fromisoformat(str(resolve(data, entry["date"]))) if entry else None


def status(data: Mapping[str, Any], model: str, today: _dt.date) -> str:
    """``"retired"``, ``"retiring"`` (shutdown within :data:`RETIRING_DAYS`) or ``"current"``.

    Notes
    -----
    retired when today >= shutdown; retiring when shutdown - today <= RETIRING_DAYS days.

    Examples
    --------
    GPT-5 shuts down on 11 December 2026; GPT-4o on 14 January 2027.

    >>> data = {"lifecycle": {"shutdowns": {"openai.gpt-5": {"date": "2026-12-11"},
    ...                                     "openai.gpt-4o": {"date": "2027-01-14"}}}}
    >>> status(data, "openai.gpt-5", _dt.date(2026, 12, 11))
    'retired'
    >>> status(data, "openai.gpt-4o", _dt.date(2026, 11, 30))
    'retiring'
    >>> status(data, "openai.gpt-4o", _dt.date(2026, 10, 1))
    'current'
    >>> status(data, "openai.gpt-6-luna", _dt.date(2026, 11, 30))
    'current'
    """
    date = shutdown_date(data, model)
    if date is None:
        return "current"
    if today >= date:
        return "retired"
    if (date - today).days <= RETIRING_DAYS:
        return "retiring"
    return "current"


def models_of(entry: Mapping[str, Any]) -> list[str]:
    """The model keys a default, preset or scenario of data/calculators/*.yaml names
    (its ``models`` mapping, e.g. ``{prompted: openai.gpt-6-luna, fine-tuned: ...}``)."""
    return [str(m) for m in (entry.get("models") or {}).values()]


def label(data: Mapping[str, Any], text: str, models: list[str], today: _dt.date) -> str:
    """``text`` with the retired models it names marked, as a reader should see it.

    Examples
    --------
    >>> data = {"lifecycle": {"shutdowns": {"openai.gpt-4o": {"date": "2027-01-14"}}},
    ...         "price-models": {"providers": {"openai": {"models": {"gpt-4o": {"name": "GPT-4o"}}}}}}
    >>> label(data, "At 2024 prices", ["openai.gpt-4o"], _dt.date(2026, 12, 1))
    'At 2024 prices'
    >>> label(data, "At 2024 prices", ["openai.gpt-4o"], _dt.date(2027, 1, 14))
    'At 2024 prices (GPT-4o retired 2027-01-14)'
    """
    gone = []
    for model in models:
        if status(data, model, today) == "retired":
            provider, _, key = model.partition(".")
            names = (data.get("price-models") or {}).get("providers", {}).get(provider, {})
            name = names.get("models", {}).get(key, {}).get("name", model)
            gone.append(f"{name} retired {shutdown_date(data, model)}")
    return f"{text} ({'; '.join(gone)})" if gone else text
