"""Inference prices read from the pinned genai-prices package (calculators/_genai_prices.py)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from calculators._data import DataError, figure, load_tree
from calculators._genai_prices import price_figures

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data():
    return load_tree(ROOT / "data")


def test_mapped_model_is_a_figure_at_our_address(data):
    # GPT-6 Luna: $0.10 input / $0.01 cached / $0.50 output per 1M (OpenAI's model page,
    # research/facts.md); genai-prices 0.2.3 carries the same rates.
    luna = {
        k: figure(data, f"prices.openai.gpt-6-luna.{k}")["value"]
        for k in ("input", "cached_input", "output")
    }
    assert luna == {"input": 0.10, "cached_input": 0.01, "output": 0.50}
    fig = figure(data, "prices.openai.gpt-6-luna.input")
    assert fig["as_of"] == "2026-11-10" and "genai-prices 0.2.3" in fig["source"]


def test_tiered_price_takes_the_base_tier_and_says_so(data):
    # Prompts over 272K tokens cost 2x input; the figure is the ordinary rate.
    fig = figure(data, "prices.openai.gpt-6-luna.input")
    assert fig["value"] == 0.10 and "higher tier" in fig["note"]


def test_conditional_price_is_the_one_in_force_on_priced_on(data):
    # Gemini 3.8 Flash: $0.75 introductory input price through 2026-12-31, $1.50 from 2027-01-01.
    fig = figure(data, "prices.google.gemini-3-8-flash.input")
    assert fig["value"] == 0.75 and "2027-01-01" in fig["note"]
    later = copy.deepcopy(data["price-models"])
    later["priced_on"] = "2027-01-02"
    assert price_figures(later)["google"]["gemini-3-8-flash"]["input"]["value"] == 1.5


def test_hand_written_figures_join_the_package_ones(data):
    # genai-prices has no cached-input price for tuned GPT-4o; data/prices.yaml has OpenAI's.
    assert figure(data, "prices.openai.gpt-4o-fine-tuned.input")["value"] == 3.75
    assert figure(data, "prices.openai.gpt-4o-fine-tuned.cached_input")["value"] == 1.875


def test_unknown_model_names_the_entry(data):
    bad = copy.deepcopy(data["price-models"])
    bad["providers"]["openai"]["models"] = {"gpt-9": {"id": "gpt-9"}}
    with pytest.raises(DataError, match=r"price-models\.providers\.openai\.models\.gpt-9"):
        price_figures(bad)


def test_version_mismatch_is_an_error(data):
    bad = copy.deepcopy(data["price-models"])
    bad["package"]["version"] = "0.0.1"
    with pytest.raises(DataError, match=r"0\.0\.1"):
        price_figures(bad)


def test_price_written_twice_is_an_error(tmp_path):
    (tmp_path / "price-models.yaml").write_text(
        (ROOT / "data" / "price-models.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "prices.yaml").write_text(
        "openai:\n  gpt-6-luna:\n    input: {value: 0.1, unit: USD, source: s, as_of: 2026-11-10}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"prices\.openai\.gpt-6-luna\.input"):
        load_tree(tmp_path)
