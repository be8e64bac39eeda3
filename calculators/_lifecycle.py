"""Which models are retired or about to be, from the shutdown dates in data/lifecycle.yaml.

Pure and standard-library only: the build, the CLI, the tests and the browser share it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from ._data import resolve

__all__ = ["RETIRING_DAYS", "shutdown_date", "status"]

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
