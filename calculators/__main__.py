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

from . import REGISTRY, get
from ._api import run
from ._data import DataError, load_tree
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
    args = parser.parse_args(argv)
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
