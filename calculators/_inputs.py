"""How a calculator declares its inputs, and how raw text becomes validated values.

Each calculator's inputs are one frozen, keyword-only dataclass. Every field is declared with
:func:`number`, :func:`integer`, :func:`share`, :func:`flag`, :func:`choice` or :func:`text`,
which attach an :class:`InputSpec` (label, unit, bounds, help) as field metadata. That one
declaration drives everything else: the CLI flags, the page's form, URL parameters and the
validation message, so nothing about an input is written twice.

The public name of an input is its CLI flag without the dashes (``calls-per-day``); the
dataclass attribute is the same name with underscores.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping
from typing import Any

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "InputError",
    "InputSpec",
    "choice",
    "flag",
    "input_specs",
    "integer",
    "number",
    "parse_inputs",
    "share",
    "shorten",
    "text",
    "validate",
]

_MISSING = dataclasses.MISSING


class InputError(ValueError):
    """An input value that the calculator cannot use; ``field`` is the input's public name."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


@dataclasses.dataclass(frozen=True)
class InputSpec:
    """What a reader and a script need to know about one input."""

    kind: str  # "number", "integer", "share", "flag", "choice" or "text"
    label: str
    unit: str = ""
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    name: str = ""  # filled in by input_specs(): the public (dashed) name
    attr: str = ""  # the dataclass attribute
    default: Any = None  # the Python default, or None when the default comes from data/
    advanced: bool = False  # shown under "More inputs" on the page
    aliases: tuple[str, ...] = ()  # former public names, still accepted (old links keep working)

    @property
    def flag_name(self) -> str:
        return "--" + self.name


def _field(spec: InputSpec, default: Any) -> Any:
    return dataclasses.field(default=default, metadata={"input": spec})


def number(label, *, unit="", help="", minimum=0.0, maximum, step=None, default=_MISSING, **more):
    """A real number within [minimum, maximum]. Without ``default`` it comes from data/.

    ``more`` takes ``advanced=True`` (listed under "More inputs") and ``aliases=(...)``.
    """
    return _field(InputSpec("number", label, unit, help, minimum, maximum, step, **more), default)


def integer(label, *, unit="", help="", minimum=0, maximum, step=1, default=_MISSING, **more):
    """A whole number within [minimum, maximum]."""
    return _field(InputSpec("integer", label, unit, help, minimum, maximum, step, **more), default)


def share(label, *, help="", default=_MISSING, **more):
    """A fraction between 0 and 1 (0.25 means a quarter)."""
    return _field(InputSpec("share", label, "share, 0–1", help, 0.0, 1.0, 0.05, **more), default)


def flag(label, *, help="", default=False, **more):
    """A yes/no question."""
    return _field(InputSpec("flag", label, "", help, **more), default)


def choice(label, choices, *, help="", default=_MISSING, **more):
    """One of a fixed list of words."""
    return _field(InputSpec("choice", label, "", help, choices=tuple(choices), **more), default)


def text(label, *, help="", default=_MISSING, **more):
    """Free text (parsed further by the calculator, e.g. a comma list)."""
    return _field(InputSpec("text", label, "", help, **more), default)


@functools.cache  # a class's declarations never change; every recompute reads them 3 times
def input_specs(cls: type) -> tuple[InputSpec, ...]:
    """The declared inputs of an inputs dataclass, in declaration order, with names filled in."""
    specs = []
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("input")
        if spec is None:
            continue
        default = None if f.default is _MISSING else f.default
        specs.append(
            dataclasses.replace(spec, name=f.name.replace("_", "-"), attr=f.name, default=default)
        )
    return tuple(specs)


# ---------------------------------------------------------------------------------------------
# Checking typed values (used by __post_init__, so direct Python use is validated too)


def _fmt(x: float) -> str:
    return f"{x:,.10g}"


def _check_number(spec: InputSpec, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(spec.name, f"must be a number (got {value!r})")
    if isinstance(value, float) and math.isnan(value):
        raise InputError(spec.name, "must be a number (got NaN)")
    if isinstance(value, float) and math.isinf(value):
        raise InputError(spec.name, "must be a finite number (got infinity)")
    if spec.kind == "integer" and value != int(value):
        raise InputError(spec.name, f"must be a whole number (got {_fmt(value)})")
    if spec.minimum is not None and value < spec.minimum:
        if spec.kind == "share":
            raise InputError(spec.name, f"must be a share between 0 and 1 (got {_fmt(value)})")
        raise InputError(spec.name, f"must be at least {_fmt(spec.minimum)} (got {_fmt(value)})")
    if spec.maximum is not None and value > spec.maximum:
        if spec.kind == "share":
            raise InputError(spec.name, f"must be a share between 0 and 1 (got {_fmt(value)})")
        raise InputError(spec.name, f"must be at most {_fmt(spec.maximum)} (got {_fmt(value)})")


def validate(instance: Any) -> None:
    """Check every declared input of a dataclass instance; raise :class:`InputError` on the first bad one."""
    for spec in input_specs(type(instance)):
        value = getattr(instance, spec.attr)
        if spec.kind in ("number", "integer", "share"):
            _check_number(spec, value)
        elif spec.kind == "flag":
            if not isinstance(value, bool):
                raise InputError(spec.name, f"must be yes or no (got {value!r})")
        elif spec.kind == "choice":
            if value not in spec.choices:
                raise InputError(spec.name, f"must be one of {', '.join(spec.choices)}")
        elif spec.kind == "text" and not isinstance(value, str):
            raise InputError(spec.name, "must be text")


# ---------------------------------------------------------------------------------------------
# Parsing raw text (from the CLI, a form field or a URL parameter)

# The words a yes/no input accepts; the page's script gets them as data (calc.js SETTINGS).
TRUE_WORDS = frozenset({"true", "yes", "on", "1", "y"})
FALSE_WORDS = frozenset({"false", "no", "off", "0", "n"})
_MAX_TEXT = 200  # longer input is never a real value; refuse it instead of echoing it back


def shorten(raw: str) -> str:
    """``raw`` quoted for an error message, cut to 24 characters: "'<script>alert(1)</scr...'"."""
    shown = raw if len(raw) <= 24 else raw[:21] + "..."
    return repr(shown)


def parse_value(spec: InputSpec, raw: str) -> Any:
    """Turn one raw string into the field's type, or raise :class:`InputError`.

    Only the text is checked here (a number, a whole number, a known word); bounds are checked
    once, by :func:`validate` when the inputs dataclass is built.
    """
    if not isinstance(raw, str):
        raise InputError(spec.name, "must be given as text")
    cleaned = raw.strip()
    if len(cleaned) > _MAX_TEXT:
        raise InputError(spec.name, f"is too long ({len(cleaned)} characters)")
    if spec.kind == "flag":
        low = cleaned.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise InputError(spec.name, f"must be yes or no (got {shorten(raw)})")
    if spec.kind == "choice":
        if cleaned in spec.choices:
            return cleaned
        raise InputError(
            spec.name, f"must be one of {', '.join(spec.choices)} (got {shorten(raw)})"
        )
    if spec.kind == "text":
        return cleaned
    if cleaned == "":
        raise InputError(spec.name, "is required")
    # Readers paste "50,000", "$2.50" or "1 500"; accept the separators, refuse everything else.
    numeric = cleaned.replace(",", "").replace("_", "").replace(" ", "").removeprefix("$")
    if spec.kind == "share" and numeric.endswith("%"):
        try:
            value = float(numeric[:-1]) / 100
        except ValueError:
            raise InputError(spec.name, f"must be a number (got {shorten(raw)})") from None
    else:
        try:
            value = float(numeric)
        except ValueError:
            raise InputError(spec.name, f"must be a number (got {shorten(raw)})") from None
    if math.isnan(value):
        raise InputError(spec.name, "must be a number (got NaN)")
    if math.isinf(value):
        raise InputError(spec.name, "must be a finite number (got infinity)")
    if spec.kind == "integer":
        if value != int(value):
            raise InputError(spec.name, f"must be a whole number (got {shorten(raw)})")
        return int(value)
    return value


def parse_inputs(cls: type, raw: Mapping[str, str]) -> Any:
    """Build ``cls`` from raw strings keyed by public name (the resolver's full set, see
    :mod:`calculators._resolve`); ``cls`` validates the typed values once, in its
    ``__post_init__``."""
    values: dict[str, Any] = {}
    for spec in input_specs(cls):
        if raw.get(spec.name) is not None:
            values[spec.attr] = parse_value(spec, raw[spec.name])
        elif spec.default is None and spec.kind != "flag":
            raise InputError(spec.name, "is required")
    return cls(**values)
