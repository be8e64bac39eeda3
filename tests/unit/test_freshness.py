"""Stale price figures (mkdocs_calculators/freshness.py)."""

from __future__ import annotations

import datetime as dt

from mkdocs_calculators.freshness import stale_prices, today


def _fig(as_of, **extra):
    return {"value": 1.0, "unit": "USD per 1M tokens", "source": "s", "as_of": as_of, **extra}


def test_lists_prices_older_than_180_days_except_historical():
    data = {
        "prices": {
            "a": {"old": _fig("2026-05-01"), "new": _fig("2026-11-10")},
            "b": {"kept": _fig("2024-10-01", historical=True)},
        },
        "other": {"old": _fig("2020-01-01")},  # not a price
    }
    # 2026-05-01 to 2026-11-30 is 213 days; 2026-11-10 is 20 days back.
    assert stale_prices(data, dt.date(2026, 11, 30)) == [("prices.a.old", "2026-05-01", 213)]


def test_exactly_180_days_is_not_stale():
    # 2026-06-03 + 180 days = 2026-11-30.
    assert stale_prices({"prices": {"p": _fig("2026-06-03")}}, dt.date(2026, 11, 30)) == []


def test_today_reads_tob_today(monkeypatch):
    monkeypatch.setenv("TOB_TODAY", "2027-01-15")
    assert today() == dt.date(2027, 1, 15)
