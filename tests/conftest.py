"""Shared fixtures: the data tree, and (for browser tests) the built site on a free loopback port."""

from __future__ import annotations

from pathlib import Path

import pytest

from calculators._data import load_tree

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def data() -> dict:
    return load_tree(ROOT / "data")
