"""Price figures older than 180 days: ``make freshness`` and one INFO line in the build.

A price figure is any figure under ``prices`` in the data tree. One marked ``historical: true``
is kept on purpose as a record of its time and is never listed. The build only informs (the
build is strict: a warning would fail it).

    python -m mkdocs_calculators.freshness [DATA_DIR]   # TOB_TODAY=YYYY-MM-DD to pick the day
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping
from typing import Any

from calculators._data import iter_figures, load_tree

__all__ = ["MAX_AGE_DAYS", "stale_prices", "today"]

MAX_AGE_DAYS = 180


def today() -> dt.date:
    """The build date: ``TOB_TODAY`` when set (tests set it), else today."""
    value = os.environ.get("TOB_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def stale_prices(data: Mapping[str, Any], on: dt.date) -> list[tuple[str, str, int]]:
    """(key, as_of, age in days) of each non-historical price figure older than MAX_AGE_DAYS."""
    out = []
    for key, fig in iter_figures(data.get("prices", {}), "prices"):
        if fig.get("historical"):
            continue
        try:
            age = (on - dt.date.fromisoformat(str(fig.get("as_of")))).days
        except ValueError:
            continue  # undated: check_tree reports a bad date
        if age > MAX_AGE_DAYS:
            out.append((key, str(fig["as_of"]), age))
    return out


def main(argv: list[str]) -> int:
    data = load_tree(argv[0] if argv else "data")
    stale = stale_prices(data, today())
    for key, as_of, age in stale:
        print(f"{key}: as of {as_of} ({age} days)")
    print(f"{len(stale)} price figure(s) older than {MAX_AGE_DAYS} days")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
