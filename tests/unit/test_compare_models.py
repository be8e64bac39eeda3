"""Compare models at your volume: agreement with break-even, the market table, tiers, batch
prices, filters and the table's HTML."""

from __future__ import annotations

import collections
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import InputError
from calculators._api import run
from calculators._market import LEFT_OUT
from calculators.compare_models import PRINTED_ROWS, Inputs, compute, rate, table

ROW_KEYS = {
    "model", "provider", "monthly_cost", "cost_per_call", "input_price", "cached_input_price",
    "output_price", "as_of", "source",
}  # fmt: skip


def _flat(p):
    return not isinstance(p, list)


def _below_any_tier(record, tokens):
    return all(_flat(p) or tokens <= p[1][0][0] for p in record[3] if p is not None)


@settings(max_examples=300, deadline=None)
@given(
    pick=st.integers(0, 10**6),
    calls=st.integers(0, 10**7),
    prompt=st.integers(1, 100_000),
    cached_part=st.floats(0, 1),
    output=st.integers(0, 20_000),
    days=st.integers(1, 31),
)
def test_monthly_cost_equals_break_evens_before_cost(
    data, pick, calls, prompt, cached_part, output, days
):
    # Issue 15: batch share 0, cached tokens = cached share × prompt tokens, below any tier.
    records = [r for r in data["market"]["rows"] if _below_any_tier(r, prompt)]
    provider, model_id, _, prices, *_ = records[pick % len(records)]
    p_in, p_cached, p_out = (None if p is None else rate(p, prompt)[0] for p in prices)
    cached = round(cached_part * prompt)
    given = {
        "calls-per-day": str(calls), "input-tokens": str(prompt), "cached-input-tokens": str(cached),
        "output-tokens": str(output), "batch-share": "0", "provider": provider,
        "days-per-month": str(days),
    }  # fmt: skip
    mine = run("compare-models", given, data)
    assert mine["ok"], mine
    row = next(r for r in mine["values"]["rows"] if r["model_id"] == model_id)
    be = run(
        "break-even",
        {
            "calls-per-day": str(calls), "prompt-tokens-before": str(prompt),
            "prompt-tokens-after": "0", "other-input-tokens": "0", "output-tokens": str(output),
            "input-price": repr(p_in), "output-price": repr(p_out),
            "cached-input-price": repr(p_in if p_cached is None else p_cached),
            "cached-share": repr(cached / prompt), "days-per-month": str(days),
            "fine-tuned-serving": "per-token", "project-cost": "0",
        },
        data,
    )  # fmt: skip
    assert be["ok"], be
    assert row["monthly_cost"] == pytest.approx(
        be["values"]["monthly_cost_before"], rel=1e-9, abs=1e-9
    )
    assert row["cost_per_call"] == pytest.approx(
        be["values"]["cost_per_call_before"], rel=1e-9, abs=1e-15
    )


class TestMarket:
    def test_every_model_of_the_price_data_is_a_row_sorted_by_monthly_cost(self, data):
        out = run("compare-models", {}, data)
        rows = out["values"]["rows"]
        assert len(rows) == len(data["market"]["rows"]) > 900
        costs = [r["monthly_cost"] for r in rows]
        assert costs == sorted(costs)
        for r in rows:
            assert set(r) >= ROW_KEYS
            assert r["as_of"] == data["price-models"]["package"]["released"]
            assert r["url"].startswith("https://")

    def test_every_model_the_other_calculators_price_is_in_it(self, data):
        ids = {(r[0], r[1]) for r in data["market"]["rows"]}
        for key, entry in data["price-models"]["providers"].items():
            for spec in entry["models"].values():
                assert (entry.get("genai_prices_id", key), spec["id"]) in ids, spec

    def test_routers_and_coding_tools_are_left_out_and_say_why(self, data):
        providers = {r[0] for r in data["market"]["rows"]}
        assert not any(p == k or p.startswith("huggingface_") for p in providers for k in LEFT_OUT)
        assert set(data["market"]["left_out"]["why"]) == set(LEFT_OUT)
        assert {"openai", "anthropic", "google", "together", "fireworks"} <= providers

    def test_the_data_shipped_to_the_browser_stays_small(self, data):
        # The docs page says "under 100 KB": the market table as the browser gets it.
        size = len(json.dumps(data["market"], sort_keys=True, separators=(",", ":")))
        assert size < 100_000, size


class TestPrices:
    def test_the_call_picks_the_long_context_tier_by_its_input_tokens(self, data):
        tiered = next(r for r in data["market"]["rows"] if isinstance(r[3][0], list))
        above = tiered[3][0][1][0][0]
        base, tier_price = tiered[3][0][0], tiered[3][0][1][0][1]
        assert rate(tiered[3][0], above) == (base, None)
        assert rate(tiered[3][0], above + 1) == (tier_price, above)
        for tokens, expected in ((above, base), (above + 1, tier_price)):
            out = run("compare-models", {"provider": tiered[0], "input-tokens": str(tokens)}, data)
            row = next(r for r in out["values"]["rows"] if r["model_id"] == tiered[1])
            assert row["input_price"] == expected
            assert ("long-context rate applies" in row["long_context"]) == (expected == tier_price)

    def test_batch_calls_use_batch_prices_where_listed_and_the_cell_says_where_not(self, data):
        out = run("compare-models", {"batch-share": "1"}, data)
        rows = out["values"]["rows"]
        with_batch = [r for r in rows if r["batch_cost_per_call"] is not None]
        without = [r for r in rows if r["batch_cost_per_call"] is None]
        assert with_batch and without
        for r in with_batch:
            assert r["cost_per_call"] == pytest.approx(r["batch_cost_per_call"])
            assert r["batch_cost_per_call"] <= r["standard_cost_per_call"]
        for r in without:
            assert r["cost_per_call"] == r["standard_cost_per_call"]
        html = out["chart"]
        assert "not listed" in html

    def test_a_model_without_a_cached_price_bills_cached_tokens_at_the_input_price(self, data):
        rec = next(r for r in data["market"]["rows"] if r[3][1] is None and _flat(r[3][0]))
        given = {"provider": rec[0], "input-tokens": "1000", "cached-input-tokens": "1000",
                 "output-tokens": "0", "calls-per-day": "1000", "days-per-month": "30"}  # fmt: skip
        row = next(
            r
            for r in run("compare-models", given, data)["values"]["rows"]
            if r["model_id"] == rec[1]
        )
        assert row["cached_input_price"] is None
        assert row["cost_per_call"] == pytest.approx(1000 * rec[3][0] / 1e6)


class TestFilters:
    def test_open_weight_and_tunable_count_only_recorded_models_and_say_how_many_are_left_out(
        self, data
    ):
        every = run("compare-models", {}, data)["values"]["rows"]
        for name in ("open-weight", "tunable"):
            key = name.replace("-", "_")
            out = run("compare-models", {name: "true"}, data)["values"]
            assert out["rows"] and all(r[key] is True for r in out["rows"])
            unknown = sum(r[key] is None for r in every)
            assert out["left_out"]["unrecorded"] == unknown > 0
            assert f"{unknown:,} more left out" in out["filter_note"]

    def test_provider_by_id_or_name(self, data):
        by_id = run("compare-models", {"provider": "anthropic, google"}, data)["values"]["rows"]
        by_name = run("compare-models", {"provider": "Anthropic,Google"}, data)["values"]["rows"]
        assert by_id == by_name and {r["provider_id"] for r in by_id} == {"anthropic", "google"}

    def test_an_unknown_provider_names_the_field(self, data):
        out = run("compare-models", {"provider": "acme"}, data)
        assert out["ok"] is False and out["field"] == "provider"
        assert "'acme'" in out["message"] and "openai" in out["message"]

    def test_more_cached_tokens_than_input_tokens_is_refused(self):
        with pytest.raises(InputError, match=r"^cached-input-tokens: must be at most"):
            Inputs(calls_per_day=1, input_tokens=100, cached_input_tokens=101, output_tokens=0)

    def test_no_match_is_an_answer_not_an_error(self, data):
        out = run("compare-models", {"provider": "groq", "tunable": "true"}, data)
        assert out["ok"] and out["values"]["rows"] == [] and out["values"]["cheapest"] is None
        assert out["values"]["filter_note"].startswith("No model")


class TestTable:
    def test_cheapest_first_sortable_and_the_handout_says_how_many_it_leaves_out(self, data):
        out = run("compare-models", {}, data)
        html = out["chart"]
        rows = out["values"]["rows"]
        assert html.count("<tr") == len(rows) + 1
        assert re.search(r'data-key="monthly_cost"[^>]*aria-sort="ascending"', html)
        assert html.count('class="tob-print-omit"') == len(rows) - PRINTED_ROWS
        assert f"{len(rows) - PRINTED_ROWS:,} more are left out" in html
        first = html.index("<tbody>")
        assert html.index(rows[0]["model"], first) < html.index(rows[-1]["model"], first)

    def test_a_short_table_prints_whole(self, data):
        everyone = run("compare-models", {}, data)["values"]["rows"]
        sizes = collections.Counter(r["provider"] for r in everyone)
        small = next(name for name, n in sizes.most_common() if 1 < n <= PRINTED_ROWS)
        out = run("compare-models", {"provider": small}, data)
        assert 1 < len(out["values"]["rows"]) <= PRINTED_ROWS
        assert "tob-print-omit" not in out["chart"] and "left out" not in out["chart"]

    def test_compute_needs_no_more_than_the_tree(self, data):
        i = Inputs(calls_per_day=10, input_tokens=10, output_tokens=10)
        assert (
            compute(i, data)["rows"]
            == run(
                "compare-models",
                {"calls-per-day": "10", "input-tokens": "10", "output-tokens": "10"},
                data,
            )["values"]["rows"]
        )
        assert table(i, compute(i, data)).startswith("<div")
