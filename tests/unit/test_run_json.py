"""``run_json``, what the browser worker calls: JSON in, JSON out, on the tree given once."""

from __future__ import annotations

import json

import pytest

from calculators._api import run, run_json, set_data
from tests.answers import field_error


@pytest.fixture
def loaded(data):
    set_data(json.dumps(data))
    yield
    set_data("{}")


def test_same_answer_as_run(loaded, data):
    raw = {"calls-per-day": "5000"}
    assert json.loads(run_json("break-even", json.dumps(raw))) == json.loads(
        json.dumps(run("break-even", raw, data))
    )


def test_a_field_error_comes_back_as_json(loaded):
    out = json.loads(run_json("break-even", json.dumps({"calls-per-day": "NaN"})))
    assert out["inputs"]["calls-per-day"] == "NaN"  # the form keeps what was typed
    assert field_error(out) == {
        "ok": False,
        "field": "calls-per-day",
        "message": "calls-per-day: must be a number (got NaN)",
    }


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "null", "3"])
def test_inputs_that_are_not_an_object_are_an_error_not_a_crash(loaded, payload):
    out = json.loads(run_json("break-even", payload))
    assert out == {"ok": False, "field": "", "message": "inputs must be an object"}


def test_a_base_that_is_not_an_object_is_an_error(loaded):
    out = json.loads(run_json("break-even", "{}", "reader", "[]"))
    assert out["ok"] is False and out["message"] == "inputs must be an object"


def test_non_string_values_are_read_as_their_json_text(loaded):
    # A number sent as a number (5000) means what "5000" means.
    as_number = json.loads(run_json("break-even", '{"calls-per-day": 5000}'))
    as_text = json.loads(run_json("break-even", '{"calls-per-day": "5000"}'))
    assert as_number == as_text and as_number["ok"]


def test_an_unknown_source_is_read_as_the_reader(loaded):
    # Only "url" reads a link version; anything else is the form (never the CLI's strictness).
    odd = json.loads(run_json("break-even", '{"calls-per-day": "5000"}', "cli"))
    reader = json.loads(run_json("break-even", '{"calls-per-day": "5000"}', "reader"))
    assert odd == reader


def test_a_url_reads_its_link_version(loaded, data):
    raw = {"calls-per-day": "5000", "v": "1"}
    out = json.loads(run_json("break-even", json.dumps(raw), "url"))
    assert out == json.loads(json.dumps(run("break-even", raw, data, source="url")))


def test_the_output_is_strict_json(loaded):
    text = run_json("lora-memory", "{}")
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text)["ok"]
