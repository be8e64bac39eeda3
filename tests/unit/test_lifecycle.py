"""No default or suggested preset names a model that is retired or within 90 days of shutdown
on the build date (``TOB_TODAY``, else today: mkdocs_calculators.freshness.today), and retired
models are labelled where they appear.

When a default's model comes within 90 days of its shutdown (data/lifecycle.yaml), this test
fails on the next build: move the default to a current model, do not silence the test.
"""

from __future__ import annotations

import datetime as dt

from calculators import REGISTRY
from calculators._data import figure
from calculators._lifecycle import RETIRING_DAYS, label, models_of, status
from mkdocs_calculators.freshness import today

# Calculators whose defaults price a model (the others take no model: rules, labeling, memory).
PRICED = ("break-even", "total-cost", "training-cost")


def _entries(data):
    """(where, entry) for every default and offered preset of data/calculators/*.yaml."""
    for slug in REGISTRY:
        calc = data["calculators"][slug]
        if slug in PRICED:
            yield f"{slug} defaults", calc["defaults"]
        for name, preset in (calc.get("presets") or {}).items():
            if preset.get("offered", True):
                yield f"{slug} preset {name}", preset


def test_every_priced_default_and_preset_names_its_models(data):
    for where, entry in _entries(data):
        assert "models" in entry, f"{where}: add models: {{...}} (model keys, or {{}} for none)"
        for model in models_of(entry):
            provider, _, key = model.partition(".")
            # A key names a price in the data tree: prices.<provider>.<key>.
            assert key in data["prices"].get(provider, {}), f"{where}: unknown model {model}"


def test_no_default_or_suggested_preset_is_retired_or_retiring(data):
    on = today()
    bad = [
        f"{where}: {model} is {status(data, model, on)} on {on}"
        for where, entry in _entries(data)
        for model in models_of(entry)
        if status(data, model, on) != "current"
    ]
    assert not bad, "move these to a current model:\n" + "\n".join(bad)


def test_the_check_fails_when_a_default_comes_within_90_days(data, monkeypatch):
    # GPT-4o shuts down on 14 January 2027 (data/lifecycle.yaml): a default naming it would be
    # refused from 16 October 2026 on (14 Jan 2027 minus 90 days), and fine on 15 October.
    shutdown = dt.date(2027, 1, 14)
    assert status(data, "openai.gpt-4o", shutdown - dt.timedelta(days=RETIRING_DAYS)) == "retiring"
    assert status(data, "openai.gpt-4o", dt.date(2026, 10, 15)) == "current"
    monkeypatch.setenv("TOB_TODAY", "2026-12-01")
    assert status(data, "openai.gpt-4o", today()) == "retiring"


def test_the_build_date_comes_from_tob_today(monkeypatch):
    monkeypatch.setenv("TOB_TODAY", "2027-02-01")
    assert today() == dt.date(2027, 2, 1)


def test_historical_presets_are_pinned_to_2024_prices_and_not_offered(data):
    # October 2024 list prices (prices.openai-2024, historical): GPT-4o $2.50 in, $10 out.
    for slug in ("break-even", "total-cost"):
        preset = data["calculators"][slug]["presets"]["gpt-4o"]
        assert preset["offered"] is False
        assert preset["values"]["input-price"] == {"fig": "prices.openai-2024.gpt-4o.input"}
    assert figure(data, "prices.openai-2024.gpt-4o.input")["value"] == 2.50


class TestRetiredLabels:
    def test_a_scenario_naming_gpt_4o_is_marked_retired_after_its_shutdown(self, data):
        entry = data["calculators"]["break-even"]["scenarios"]["support-chatbot-50k"]
        before = label(data, entry["title"], models_of(entry), dt.date(2027, 1, 13))
        after = label(data, entry["title"], models_of(entry), dt.date(2027, 1, 14))
        assert before == entry["title"]
        assert after.endswith("(GPT-4o retired 2027-01-14; Fine-tuned GPT-4o retired 2027-01-14)")

    def test_a_current_model_is_not_marked(self, data):
        assert label(data, "x", ["openai.gpt-6-luna"], dt.date(2027, 6, 1)) == "x"
