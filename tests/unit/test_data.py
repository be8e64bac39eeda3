"""data/: every figure complete and dated, every reference resolvable, every page marker known."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from calculators import REGISTRY, get
from calculators._api import default_raw, presets, run, scenario_values
from calculators._data import DataError, check_tree, figure, iter_figures

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"\[\[(fig|scenario|calculator|result)\s+([^\]|]+?)\s*(?:\|[^\]]*)?\]\]")


def test_the_tree_has_no_problems(data):
    assert check_tree(data) == []


def test_every_figure_has_value_unit_source_and_date(data):
    figures = dict(iter_figures(data))
    assert len(figures) > 20
    for key, fig in figures.items():
        for name in ("value", "unit", "source", "as_of"):
            assert fig.get(name) not in (None, ""), f"{key} lacks {name}"


def test_check_tree_reports_a_missing_field_and_a_dangling_reference():
    tree = {"p": {"a": {"value": 1, "unit": "USD", "source": "x"}, "b": {"fig": "p.zzz"}}}
    problems = check_tree(tree)
    assert "p.a: missing 'as_of'" in problems
    assert any("p.zzz" in p for p in problems)


def test_no_figure_is_defined_twice(data):
    # Same value, unit, source and entry name in two places means one fact kept twice. Prices
    # from genai-prices share a source; their note names the package's model id.
    seen = Counter(
        (repr(f["value"]), f["unit"], f["source"], key.rsplit(".", 1)[-1], f.get("note"))
        for key, f in iter_figures(data)
    )
    assert [k for k, n in seen.items() if n > 1] == []


def test_unknown_figure_is_an_error(data):
    with pytest.raises(DataError, match="no figure named"):
        figure(data, "prices.openai.gpt-9")


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_every_calculator_has_defaults_that_compute(data, slug):
    calc = get(slug)
    raw = default_raw(calc, data)
    assert {s.name for s in calc.specs} <= set(raw), "an input has no default"
    assert run(slug, {}, data)["ok"]
    for name, preset in presets(calc, data).items():
        assert run(slug, {"preset": name}, data)["ok"], name
        assert preset.get("source") and preset.get("as_of"), name
    for name in data["calculators"][slug].get("scenarios", {}):
        # The values exactly as a scenario link carries them (figures resolved, preset spelled out).
        assert run(slug, scenario_values(calc, data, name), data)["ok"], name


def test_every_page_marker_refers_to_something_that_exists(data):
    for page in (ROOT / "docs").rglob("*.md"):
        for kind, body in MARKER.findall(page.read_text(encoding="utf-8")):
            words = body.split()
            if kind == "fig":
                figure(data, words[0])
            elif kind == "calculator":
                assert words[0] in REGISTRY, f"{page}: {words[0]}"
            else:
                slug, name = words[0], words[1]
                assert name in data["calculators"][slug]["scenarios"], f"{page}: {slug} {name}"
            if kind == "result":  # a scenario's result, computed at build time
                out = run(words[0], scenario_values(get(words[0]), data, words[1]), data)
                assert out["ok"] and words[2] in out["display"], f"{page}: {body}"
