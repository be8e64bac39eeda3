"""Repository-wide test set-up: doctests run the same from any working directory.

Docstring examples read ``load_tree("data")`` as a reader at the repository root would; each
doctest is run from the root so ``pytest /path/to/repo`` works from anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _doctests_run_from_the_root(request, monkeypatch):
    if isinstance(request.node, pytest.DoctestItem):
        monkeypatch.chdir(ROOT)
