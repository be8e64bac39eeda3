"""Command line: ``python -m calculators <name> [--flag value ...] [--json]``.

Flags are generated from each calculator's declared inputs (``--calls-per-day``); inputs left
out take the calculator's defaults from data/. An invalid value exits with status 2 and one
line naming the field, the same message the web page shows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import REGISTRY, get, training_file
from ._api import run
from ._data import DataError, load_tree
from ._inputs import InputError, input_specs
from ._resolve import default_raw, presets

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"


def _add_calculator(sub: argparse._SubParsersAction, slug: str, data: dict) -> None:
    calc = get(slug)
    defaults = default_raw(calc, data)
    p = sub.add_parser(slug, help=calc.question, description=f"{calc.title}: {calc.question}")
    for spec in calc.specs:
        shown = defaults.get(spec.name, "")
        help_text = " ".join(
            x
            for x in (
                spec.label + (f" ({spec.unit})" if spec.unit else "") + ".",
                spec.help,
                f"Default: {shown}." if shown else "",
            )
            if x
        )
        help_text = help_text.replace("%", "%%")  # argparse treats % as a format code
        if spec.kind == "flag":
            p.add_argument(
                spec.flag_name, action=argparse.BooleanOptionalAction, default=None, help=help_text
            )
        elif spec.kind == "choice":
            p.add_argument(
                spec.flag_name,
                metavar="{" + ",".join(spec.choices) + "}",
                default=None,
                help=help_text,
            )
        else:
            p.add_argument(spec.flag_name, metavar="VALUE", default=None, help=help_text)
    names = ", ".join(presets(calc, data))
    if names:
        p.add_argument("--preset", default=None, help=f"Start from a preset: {names}.")
    p.add_argument("--json", action="store_true", help="Print one JSON object.")


def _add_training_file(sub: argparse._SubParsersAction, data: dict) -> None:
    """``training-file PATH``: not a form calculator (its input is a file), so its flags are
    the three declared inputs of :class:`calculators.training_file.Inputs`."""
    p = sub.add_parser(
        training_file.SLUG,
        help="Check a fine-tuning file (JSONL): examples, tokens, errors, duplicates, price.",
        description="Check a chat or prompt/completion JSONL training file.",
    )
    p.add_argument("path", metavar="PATH", help="The JSONL file.")
    defaults = data.get("calculators", {}).get(training_file.SLUG, {}).get("defaults", {})
    for spec in input_specs(training_file.Inputs):
        shown = defaults.get("values", {}).get(spec.name, "")
        extra = f" Known: {', '.join(training_file.hosts(data))}." if spec.name == "host" else ""
        p.add_argument(
            spec.flag_name,
            metavar="VALUE",
            default=None,
            help=f"{spec.label}. {spec.help}{extra} Default: {shown}.".replace("%", "%%"),
        )
    p.add_argument("--json", action="store_true", help="Print one JSON object.")


def _training_file(args: argparse.Namespace, data: dict) -> int:
    raw = {s.name: getattr(args, s.attr) for s in input_specs(training_file.Inputs)}
    try:
        inputs = training_file.parse(raw, data)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    check = training_file.FileCheck()
    try:
        with open(args.path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                check.feed(chunk)
    except OSError as exc:
        print(f"error: path: cannot read {args.path} ({exc.strerror})", file=sys.stderr)
        return 2
    check.close()
    result = training_file.report(check, inputs, data)
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False))
        return 0
    shown = training_file.view(result)
    print(f"Training file: {args.path}")
    for fact in shown["facts"]:
        print(f"  {fact['label']}: {fact['value']}")
    for table in shown["tables"]:
        if table["rows"]:
            print(f"\n{table['title']}:")
            for row in table["rows"][:20]:
                print("  " + " | ".join(row))
            if len(table["rows"]) > 20 or table["more"]:
                print("  (the full list is in --json)")
    print()
    print(shown["verdict"])
    return 0


def main(argv: list[str] | None = None) -> int:
    data_dir = Path(os.environ.get("TUNE_OR_BUILD_DATA", DEFAULT_DATA))
    try:
        data = load_tree(data_dir)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    parser = argparse.ArgumentParser(
        prog="python -m calculators",
        description="Tune or Build calculators. Each subcommand takes --help.",
    )
    sub = parser.add_subparsers(dest="calculator", required=True, metavar="CALCULATOR")
    for slug in REGISTRY:
        _add_calculator(sub, slug, data)
    _add_training_file(sub, data)
    args = parser.parse_args(argv)
    if args.calculator == training_file.SLUG:
        return _training_file(args, data)
    calc = get(args.calculator)
    raw: dict[str, str] = {}
    for spec in calc.specs:
        value = getattr(args, spec.attr)
        if value is not None:
            raw[spec.name] = ("true" if value else "false") if isinstance(value, bool) else value
    if getattr(args, "preset", None):
        raw["preset"] = args.preset
    outcome = run(calc.slug, raw, data, source="cli")
    if not outcome["ok"]:
        print(f"error: {outcome['message']}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({k: v for k, v in outcome["values"].items()}, indent=2, allow_nan=False))
        return 0
    print(calc.title)
    for o in calc.outputs:
        shown = outcome["display"][o.key]
        if shown:
            print(f"  {o.label}: {shown}")
    print()
    print(outcome["summary"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
