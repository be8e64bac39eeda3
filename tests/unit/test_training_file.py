"""The training-file check: every error kind with its line number, duplicates, token
statistics, the price through the training-cost calculator, and the CLI's contract."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import ClassVar

import pytest

from calculators import training_file as tf
from calculators.__main__ import main
from calculators._api import run
from calculators._tokens import estimate_tokens

BROKEN = Path(__file__).parent / "fixtures" / "broken-training-file.jsonl"
ROOT = Path(__file__).resolve().parents[2]


def chat(user: str, answer: str, system: str = "") -> bytes:
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": user},
        {"role": "assistant", "content": answer},
    ]
    return json.dumps({"messages": messages}).encode() + b"\n"


@pytest.fixture(scope="module")
def broken():
    return tf.check_bytes(BROKEN.read_bytes(), chunk_size=7)  # lines split across chunks


class TestErrors:
    # Each line of the fixture was written to break one rule (see the file itself).
    EXPECTED: ClassVar = [
        (2, "invalid-json"),  # the closing brace is missing
        (3, "missing-role"),  # the first message has no role
        (4, "empty-content"),  # the user message is blank
        (5, "wrong-role-order"),  # the assistant speaks first
        (6, "no-assistant-message"),
        (9, "unknown-format"),  # a pretraining document, not an example
        (10, "mixed-formats"),  # prompt/completion in a chat file
    ]

    def test_every_kind_is_found_on_its_line(self, broken):
        found = [(e["line"], e["kind"]) for e in broken.errors]
        assert found == self.EXPECTED
        assert {kind for _, kind in self.EXPECTED} == set(tf.ERROR_KINDS)

    def test_good_lines_are_examples_and_blank_lines_are_skipped(self, broken):
        assert broken.examples == 2  # lines 1 and 8
        assert broken.lines == 9  # line 7 is blank
        assert list(broken.example_lines) == [1, 8]

    def test_every_error_has_a_message(self, broken):
        assert all(e["message"] for e in broken.errors)

    def test_not_jsonl(self):
        csv = b"question,answer\nWhy?,Because.\n" * 5
        check = tf.check_bytes(csv)
        assert check.not_jsonl
        r = tf.report(
            check, tf.Inputs(context_tokens=100, host="fireworks-up-to-16b", epochs=0), {}
        )
        assert "not a JSONL training file" in r["verdict"]
        assert r["training_cost"] is None

    def test_binary_is_not_jsonl(self):
        assert tf.check_bytes(bytes(range(256)) * 100).not_jsonl

    def test_one_bad_line_is_not_not_jsonl(self, broken):
        assert not broken.not_jsonl

    def test_lists_are_capped_but_totals_count_all(self):
        blob = b"{oops\n" * (tf.LIST_LIMIT + 5)
        check = tf.check_bytes(blob)
        assert len(check.errors) == tf.LIST_LIMIT
        assert check.errors_total == tf.LIST_LIMIT + 5

    def test_tool_calls_and_a_second_turn_are_fine(self):
        line = {"messages": [
            {"role": "user", "content": "Weather in Oslo?"},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "1", "type": "function", "function": {"name": "weather", "arguments": "{}"}}]},
            {"role": "tool", "content": "4 C"},
            {"role": "assistant", "content": "4 degrees."},
            {"role": "user", "content": "Thanks"},
            {"role": "assistant", "content": "You're welcome."},
        ]}  # fmt: skip
        check = tf.check_bytes(json.dumps(line).encode())
        assert check.errors == [] and check.examples == 1


class TestDuplicates:
    def test_a_repeated_line_names_its_first(self, broken):
        assert broken.duplicates == [{"line": 8, "same_as": 1}]

    def test_same_text_in_another_example_is_not_a_duplicate(self):
        check = tf.check_bytes(chat("a", "b") + chat("a", "c") + chat("a", "b") + chat("a", "b"))
        assert check.duplicates == [{"line": 3, "same_as": 1}, {"line": 4, "same_as": 1}]
        assert check.duplicates_total == 2


class TestTokens:
    def test_statistics_of_known_examples(self, data):
        lines = [chat("word " * n, "ok") for n in (1, 10, 100, 1000, 20)]
        check = tf.check_bytes(b"".join(lines))
        # Each example's count, from the formula: OpenAI's overhead plus the estimate.
        each = [
            3 + 4 + estimate_tokens("word " * n) + 4 + estimate_tokens("ok")
            for n in (1, 10, 100, 1000, 20)
        ]
        r = tf.report(check, tf.parse({"context-tokens": "100"}, data), data)
        assert r["tokens_total"] == sum(each)
        assert r["tokens_per_example"] == {
            "min": min(each),
            "median": statistics.median(each),
            "p95": max(each),
            "max": max(each),
        }
        assert r["over_length"] == sum(t > 100 for t in each) == 2
        assert r["over_length_lines"] == [3, 4]

    def test_p95_is_nearest_rank(self):
        ordered = list(range(1, 101))
        assert tf._nearest_rank(ordered, 0.95) == 95
        assert tf._nearest_rank([7], 0.95) == 7

    def test_chunk_size_does_not_change_the_answer(self):
        blob = BROKEN.read_bytes() * 3
        a, b = tf.check_bytes(blob, 1), tf.check_bytes(blob, 1 << 20)
        assert (list(a.tokens), a.errors, a.duplicates) == (list(b.tokens), b.errors, b.duplicates)

    def test_prompt_completion_counts_both_parts(self):
        check = tf.check_bytes(b'{"prompt": "Two plus two?", "completion": " Four."}\n')
        assert list(check.tokens) == [estimate_tokens("Two plus two?") + estimate_tokens(" Four.")]


class TestPrice:
    @pytest.mark.parametrize(
        "host", ["fireworks-up-to-16b", "fireworks-16b-to-80b", "openai-gpt-4o-mini"]
    )
    @pytest.mark.parametrize("epochs", ["0", "2"])
    def test_training_cost_is_the_training_cost_calculators(self, data, host, epochs):
        blob = b"".join(chat(f"question {i} " * (i % 7 + 1), "answer " * i) for i in range(1, 41))
        check = tf.check_bytes(blob)
        r = tf.report(check, tf.parse({"host": host, "epochs": epochs}, data), data)
        avg = round(r["tokens_total"] / r["examples"])
        direct = run(
            "training-cost",
            {"preset": host, "examples": "40", "tokens-per-example": str(avg), "epochs": epochs},
            data,
            source="cli",
        )
        assert r["training_cost"]["cost_per_run"] == direct["values"]["cost_per_run"] > 0
        assert r["epochs"] == direct["values"]["epochs"]
        assert r["training_cost"]["billed_tokens"] == 40 * avg * r["epochs"]

    def test_unknown_host_names_the_field(self, data):
        with pytest.raises(tf.InputError) as exc:
            tf.parse({"host": "nowhere"}, data)
        assert exc.value.field == "host"

    @pytest.mark.parametrize(
        ("field", "value"), [("context-tokens", "0"), ("epochs", "-1"), ("context-tokens", "lots")]
    )
    def test_bad_values_name_the_field(self, data, field, value):
        with pytest.raises(tf.InputError) as exc:
            tf.parse({field: value}, data)
        assert exc.value.field == field


# The JSON keys issue 15 publishes: a script reading them must keep working.
PUBLISHED_KEYS = {"examples", "tokens_total", "tokens_per_example", "over_length", "errors",
                  "duplicates", "epochs", "training_cost"}  # fmt: skip


class TestCli:
    def json_of(self, capsys, argv):
        assert main(["training-file", *argv, "--json"]) == 0, capsys.readouterr().err
        return json.loads(capsys.readouterr().out)

    def test_json_has_the_published_keys(self, capsys):
        out = self.json_of(capsys, [str(BROKEN)])
        assert set(out) >= PUBLISHED_KEYS
        assert set(out["tokens_per_example"]) == {"min", "median", "p95", "max"}
        assert {"line", "kind", "message"} == set(out["errors"][0])
        assert out["duplicates"] == [{"line": 8, "same_as": 1}]

    def test_flags_change_the_report(self, capsys):
        base = self.json_of(capsys, [str(BROKEN)])
        out = self.json_of(
            capsys,
            [
                str(BROKEN),
                "--context-tokens",
                "5",
                "--epochs",
                "2",
                "--host",
                "fireworks-16b-to-80b",
            ],
        )
        assert (base["over_length"], out["over_length"]) == (0, 2)
        assert out["epochs"] == 2 and out["training_cost"]["cost"] > 0
        assert (
            out["training_cost"]["price_per_million"] != base["training_cost"]["price_per_million"]
        )

    def test_same_report_as_the_module(self, capsys, data):
        out = self.json_of(capsys, [str(BROKEN)])
        r = tf.report(tf.check_bytes(BROKEN.read_bytes()), tf.parse({}, data), data)
        assert out == json.loads(json.dumps(r))

    @pytest.mark.parametrize(
        ("flag", "value"),
        [("--context-tokens", "lots"), ("--host", "nowhere"), ("--epochs", "1.5")],
    )
    def test_a_bad_value_exits_2_with_one_line_naming_the_field(self, capsys, flag, value):
        assert main(["training-file", str(BROKEN), flag, value]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        (line,) = captured.err.strip().splitlines()
        assert line.startswith(f"error: {flag[2:]}: ")

    def test_a_missing_file_exits_2_naming_it(self, capsys, tmp_path):
        assert main(["training-file", str(tmp_path / "none.jsonl")]) == 2
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert line.startswith("error: path: ") and "none.jsonl" in line

    def test_readable_report_without_json(self, capsys):
        assert main(["training-file", str(BROKEN)]) == 0
        out = capsys.readouterr().out
        assert (
            "Good examples: 2" in out and "Format errors:" in out and "fix before uploading" in out
        )


def test_the_shipped_example_checks_clean(data):
    """The file the page is pre-rendered on: good examples, no errors (so the first paint shows
    what a clean report looks like)."""
    path = ROOT / "docs" / data["calculators"]["training-file"]["example"]
    r = tf.report(tf.check_bytes(path.read_bytes()), tf.parse({}, data), data)
    assert r["examples"] >= 10 and r["errors_total"] == 0 and r["training_cost"]["cost"] > 0
    assert math.isfinite(r["training_cost"]["cost"])
