"""The command line's public contract, per calculator, through ``main()``: the JSON keys a
script may read, exit 2 with one line naming the field for a bad value, ``--preset``, the
yes/no flags, and a missing data folder."""

from __future__ import annotations

import json

import pytest

from calculators import REGISTRY, get
from calculators.__main__ import main
from calculators._api import run
from calculators._resolve import presets, yes_no_words

# JSON keys published by each calculator's --json (README, the issues that added them): a
# script reading them must keep working, so a key may be added but never dropped or renamed.
PUBLISHED_KEYS = {
    "break-even": {"monthly_cost_before", "monthly_cost_after", "monthly_savings",
                   "payback_months", "payback_reason", "break_even_calls_per_day"},
    "training-cost": {"billed_tokens", "cost", "cost_per_run", "epochs", "training_tokens",
                      "gpu_hours", "self_hosted_cost"},
    "dataset-size": {"examples_min", "examples_max", "cost_min", "cost_max", "hours_min",
                     "hours_max", "advice", "task_table"},
    "total-cost": {"monthly_prompting", "monthly_rag", "monthly_fine_tuning",
                   "monthly_custom_model", "total_prompting", "total_rag", "total_fine_tuning",
                   "total_custom_model", "cheapest", "crossovers", "payback_months"},
    "which-approach": {"recommendation", "recommendation_label", "also", "reasons", "excluded"},
    "lora-memory": {"total_params", "trainable_params", "trainable_percent", "memory_gb",
                    "memory_total_gb", "by_method", "fits", "gpus"},
    "compare-models": {"rows"},
}  # fmt: skip


def first_numeric(slug: str) -> str:
    return next(s.name for s in get(slug).specs if s.kind in ("number", "integer"))


def json_of(capsys, argv: list[str]) -> dict:
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("slug", list(PUBLISHED_KEYS))
def test_json_keeps_its_published_keys(capsys, slug):
    out = json_of(capsys, [slug])
    assert PUBLISHED_KEYS[slug] <= set(out), PUBLISHED_KEYS[slug] - set(out)
    # And every output the page shows is there too.
    assert {o.key for o in get(slug).outputs} <= set(out)


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_a_bad_value_exits_2_with_one_line_naming_the_field(capsys, slug):
    field = first_numeric(slug)
    assert main([slug, f"--{field}", "lots", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert lines == [f"error: {field}: must be a number (got 'lots')"]


def flag_args(slug: str, name: str, value: str) -> list[str]:
    """``--name value``, or ``--name`` / ``--no-name`` for a yes/no input."""
    spec = next(s for s in get(slug).specs if s.name == name)
    if spec.kind == "flag":
        return [f"--{name}" if value.lower() in yes_no_words()["true"] else f"--no-{name}"]
    return [f"--{name}", value]


def _presets(data) -> list[tuple[str, str]]:
    return [(slug, name) for slug in REGISTRY for name in presets(get(slug), data)]


def test_every_preset_equals_its_values_given_as_flags(capsys, data):
    """``--preset NAME`` gives what the preset's own values, typed as flags, give; and a
    preset changes something (else this proves nothing)."""
    cases = _presets(data)
    assert len(cases) >= 8
    changed = 0
    for slug, name in cases:
        values = presets(get(slug), data)[name]["values"]
        flags = [flag_args(slug, k, str(v)) for k, v in values.items()]
        flags = [a for pair in flags for a in pair]
        by_preset = json_of(capsys, [slug, "--preset", name])
        by_flags = json_of(capsys, [slug, *flags])
        assert by_preset == by_flags, (slug, name)
        changed += by_preset != json_of(capsys, [slug])
    assert changed >= len(cases) // 2


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_an_unknown_preset_exits_2_naming_it(capsys, slug, data):
    if not presets(get(slug), data):
        pytest.skip(f"{slug} has no presets")
    assert main([slug, "--preset", "no-such-preset"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: preset: ") and "no-such-preset" in line


FLAGS = [(slug, s.name) for slug in REGISTRY for s in get(slug).specs if s.kind == "flag"]


@pytest.mark.parametrize(("slug", "flag"), FLAGS)
def test_yes_no_flags_mean_true_and_false(capsys, slug, flag, data):
    """``--flag`` and ``--no-flag`` give what "true" and "false" give to the calculator.
    lora-memory's flags are tried on Llama 3 8B's architecture counted as a custom model (a
    named model fixes its own architecture flags)."""
    model = {}
    if slug == "lora-memory":
        model = {**presets(get(slug), data)["llama-3-8b"]["values"], "model": "custom"}
        model.pop(flag, None)
    base = [a for k, v in model.items() for a in flag_args(slug, k, str(v))]
    yes = json_of(capsys, [slug, *base, f"--{flag}"])
    no = json_of(capsys, [slug, *base, f"--no-{flag}"])
    assert yes == run(slug, {**model, flag: "true"}, data, source="cli")["values"]
    assert no == run(slug, {**model, flag: "false"}, data, source="cli")["values"]


def test_some_flag_changes_the_answer(capsys):
    # which-approach: knowledge that changes often points to retrieval (seed 003).
    assert json_of(capsys, ["which-approach"])["recommendation"] != "rag"
    out = json_of(capsys, ["which-approach", "--knowledge-changes-often", "--prompting-exhausted",
                           "--evals-exist", "--labeled-examples", "1000"])  # fmt: skip
    assert out["recommendation"] == "rag"


def test_a_missing_data_folder_exits_1_naming_it(capsys, monkeypatch, tmp_path):
    missing = tmp_path / "no-data-here"
    monkeypatch.setenv("TUNE_OR_BUILD_DATA", str(missing))
    assert main(["break-even", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [f"error: data folder not found: {missing}"]
