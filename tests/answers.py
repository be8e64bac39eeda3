"""Helpers for reading calculators._api.run answers in tests."""

from __future__ import annotations

from typing import Any


def field_error(out: dict[str, Any]) -> dict[str, Any]:
    """The error part of an answer: ``ok``, ``field`` and ``message`` (a field error also sends
    back the resolved inputs, so the page can keep them; tests of those read them directly)."""
    return {key: out[key] for key in ("ok", "field", "message") if key in out}
