"""One way in for every input: raw values from a reader, a URL, a marker or the command line
become the full raw input set of a calculator, always in the same order.

1. **Aliases** are normalised to current names (``daily-calls`` becomes ``calls-per-day``). A
   name that is not an input is an error from a marker or the command line and is ignored in a
   URL (mail tools add ``utm_*``) and in what a reader's form sends.
2. **Defaults** from ``data/calculators/<slug>.yaml``. A URL gets the defaults of its link
   version instead (``v=1``: the frozen set in ``data/link-defaults/v1.yaml``), so a link keeps
   showing what it showed when it was sent; a URL without ``v`` gets the newest.
3. A named **scenario** (``scenario=...``), with its own preset spelled out.
4. A **preset** (``preset=...``).
5. A preset chosen **through its input** (lora-memory's ``model=llama-2-7b`` brings that
   model's architecture). Inputs a preset fills, given without that input, mean the calculator's
   custom choice (``model=custom``), and then every one of them must be given.
6. The values given **explicitly**.

Every value stays a raw string (``"50000"``, ``"true"``); parsing and validation happen once,
afterwards, in :func:`calculators._inputs.parse_inputs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from ._calculator import Calculator
from ._data import DataError, resolve
from ._inputs import FALSE_WORDS, TRUE_WORDS, InputError

__all__ = [
    "LENIENT",
    "SOURCES",
    "as_raw",
    "current_version",
    "default_raw",
    "freeze",
    "link_query",
    "presets",
    "resolve_inputs",
    "scenario_values",
    "version_defaults",
]

SOURCES = ("reader", "url", "marker", "cli")
LENIENT = ("reader", "url")  # unknown names are ignored; a marker or the CLI refuses them
RESERVED = ("scenario", "preset", "v")
LINK_DEFAULTS = "link-defaults"  # data/link-defaults/v1.yaml, v2.yaml ...: frozen defaults


def as_raw(value: Any) -> str:
    """A data/ value as the text a reader would type (50000, 2.5, true)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _calc_data(data: Mapping[str, Any], slug: str) -> Mapping[str, Any]:
    try:
        return data["calculators"][slug]
    except (KeyError, TypeError):
        raise DataError(f"data/calculators/{slug}.yaml is missing") from None


def default_raw(calc: Calculator, data: Mapping[str, Any]) -> dict[str, str]:
    """The calculator's current defaults as raw strings: data/ first, then Python defaults."""
    declared = resolve(data, _calc_data(data, calc.slug).get("defaults", {}).get("values", {}))
    raw = {}
    for spec in calc.specs:
        if spec.name in declared:
            raw[spec.name] = as_raw(declared[spec.name])
        elif spec.default is not None:
            raw[spec.name] = as_raw(spec.default)
    return raw


def presets(calc: Calculator, data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Named partial input sets: ``{name: {label, source, as_of, values}}``, values raw.

    A calculator with a ``presets`` function (lora-memory: one per model of data/models.yaml)
    derives them; the others list them in data/calculators/<slug>.yaml.
    """
    if calc.presets is not None:
        return calc.presets(data)
    out = {}
    for name, preset in _calc_data(data, calc.slug).get("presets", {}).items():
        values = {k: as_raw(v) for k, v in resolve(data, preset.get("values", {})).items()}
        out[name] = {**{k: v for k, v in preset.items() if k != "values"}, "values": values}
    return out


def _unknown(field: str, name: str, known: Mapping[str, Any]) -> InputError:
    listed = ", ".join(known) or "none"
    return InputError(field, f"unknown name {name!r} (known: {listed})")


def _preset_values(calc: Calculator, data: Mapping[str, Any], name: str) -> dict[str, str]:
    table = presets(calc, data)
    if name not in table:
        raise _unknown("preset", name, table)
    return dict(table[name]["values"])


def scenario_values(calc: Calculator, data: Mapping[str, Any], name: str) -> dict[str, str]:
    """A named scenario's inputs as raw strings (URL parameters), with any preset spelled out
    so a link keeps showing what it showed when it was sent.

    Raises
    ------
    InputError
        On ``scenario``, naming the unknown scenario and the known ones.
    """
    table = _calc_data(data, calc.slug).get("scenarios", {})
    if name not in table:
        raise _unknown("scenario", name, table)
    values = table[name].get("values", {})
    raw = {k: as_raw(v) for k, v in resolve(data, values).items() if k != "preset"}
    if "preset" in values:
        raw = {**_preset_values(calc, data, values["preset"]), **raw}
    return raw


# ---------------------------------------------------------------------------------------------
# Link versions: a link carries v=N and fills what it leaves out from data/link-defaults/vN.yaml,
# the defaults frozen when version N began (v1 on 2026-11-30, v2 with the December 2026 defaults).


def _frozen(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return data.get(LINK_DEFAULTS, {}) if isinstance(data, Mapping) else {}


def current_version(data: Mapping[str, Any]) -> int:
    """The version links made now carry: the newest frozen set (today's defaults, which a test
    keeps equal to it; after changing a default, ``make freeze-defaults`` starts the next)."""
    return max(1, len(_frozen(data)))


def version_defaults(calc: Calculator, data: Mapping[str, Any], version: str) -> dict[str, str]:
    """The defaults a link of ``version`` fills its missing inputs from.

    ``"1"`` reads data/link-defaults/v1.yaml, ``"2"`` v2.yaml and so on; a missing or an
    unknown version (``v=abc``, ``v=99``) reads today's defaults: a link never breaks over
    its ``v``.
    """
    frozen = _frozen(data).get(f"v{str(version).strip()}")
    if frozen is None:
        return default_raw(calc, data)
    values = frozen.get(calc.slug, {})
    # An input added after the freeze takes today's default.
    return {**default_raw(calc, data), **{k: as_raw(v) for k, v in values.items()}}


def freeze(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Today's defaults of every calculator as literal raw values: what the newest frozen
    version holds, and what ``make freeze-defaults`` writes as the next one."""
    from . import all_calculators  # a late import: calculators/__init__ imports this package

    return {calc.slug: default_raw(calc, data) for calc in all_calculators()}


# ---------------------------------------------------------------------------------------------
# The resolver


def _normalise(calc: Calculator, given: Mapping[str, Any], source: str) -> dict[str, str]:
    """Current names for aliases; unknown names refused (marker, CLI) or dropped (URL, form)."""
    names = {n: s.name for s in calc.specs for n in (s.name, *s.aliases)}
    out: dict[str, str] = {}
    for key, value in given.items():
        if value is None:
            continue
        if key in RESERVED:
            out[key] = value
        elif key in names:
            # The current name wins over an alias given beside it.
            if names[key] not in out or key == names[key]:
                out[names[key]] = value
        elif source not in LENIENT:
            known = ", ".join(s.name for s in calc.specs)
            raise InputError(key, f"is not an input of {calc.slug} (known: {known})")
    return out


def resolve_inputs(
    calc: Calculator,
    given: Mapping[str, Any],
    data: Mapping[str, Any],
    *,
    source: str = "reader",
    base: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Every input of ``calc`` as a raw string, in the order of the module docstring.

    Parameters
    ----------
    calc : Calculator
    given : mapping
        Raw values by public name or alias, plus ``scenario``, ``preset`` and (from a URL)
        ``v``.
    data : mapping
        The data tree.
    source : {"reader", "url", "marker", "cli"}
        Where ``given`` comes from: it decides whether unknown names are errors and which
        version's defaults apply.
    base : mapping, optional
        A reader's form as it stands, layered over the defaults, when ``given`` holds only what
        they just chose (a preset, a model).

    Raises
    ------
    InputError
        Naming ``scenario`` or ``preset`` for an unknown name, an unknown input (marker, CLI),
        or the first missing input of an incomplete custom choice.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)} (got {source!r})")
    explicit = _normalise(calc, given, source)
    version = explicit.pop("v", "") if source == "url" else ""
    explicit.pop("v", None)
    scenario, preset = explicit.pop("scenario", None), explicit.pop("preset", None)
    out = version_defaults(calc, data, version)
    chosen: set[str] = set()  # names set by anything but the defaults

    def layer(values: Mapping[str, str]) -> None:
        out.update(values)
        chosen.update(values)

    if base:
        layer({k: v for k, v in _normalise(calc, base, "reader").items() if k not in RESERVED})
    if scenario:
        layer(scenario_values(calc, data, scenario))
    if preset:
        layer(_preset_values(calc, data, preset))
    through = calc.preset_input
    if through:
        table = presets(calc, data)
        filled = _filled(calc, data)
        if explicit.get(through) in table:
            layer(table[explicit[through]]["values"])
        elif (
            through not in explicit and not (scenario or preset or base) and filled & set(explicit)
        ):
            # Architecture flags without --model: count that architecture, all of it.
            # Yes/no inputs have a default of their own (no); the numbers must be given.
            unset = [s for s in calc.specs if s.name in filled and s.name not in explicit]
            missing = [s.name for s in unset if s.default is None]
            if missing:
                raise InputError(
                    missing[0],
                    f"a {calc.preset_custom} {through} needs "
                    f"{', '.join(s.name for s in calc.specs if s.name in filled and s.default is None)}; missing: "
                    f"{', '.join(missing)} (or name a {through} to start from)",
                )
            layer({through: calc.preset_custom, **{s.name: as_raw(s.default) for s in unset}})
    layer(explicit)
    return out


def _filled(calc: Calculator, data: Mapping[str, Any]) -> set[str]:
    """The inputs a preset chosen through its input fills in (a model's architecture).

    What every preset fills in: inputs only some presets set (a serving preset's GPU count,
    say) are ordinary inputs, not part of a custom model.
    """
    table = presets(calc, data) if calc.preset_input else {}
    if not table:
        return set()
    return set.intersection(*(set(p["values"]) for p in table.values())) - {calc.preset_input}


def link_query(calc: Calculator, inputs: Mapping[str, str], data: Mapping[str, Any]) -> str:
    """The query string of a scenario link for a resolved input set: only the inputs that
    differ from the defaults of the current link version, and that version.

    A link made today carries ``v``, so a later change of defaults (which freezes this
    version) never changes what it shows. A preset chosen through its input travels as that
    input alone, with only the inputs that differ from the preset; a custom one carries every
    input it needs.

    Examples
    --------
    >>> from calculators import get
    >>> calc = get("break-even")
    >>> data = {"calculators": {"break-even": {"defaults": {"values": {"calls-per-day": 50000}}}}}
    >>> inputs = {**default_raw(calc, data), "calls-per-day": "5000"}
    >>> link_query(calc, inputs, data)
    'calls-per-day=5000&v=1'
    """
    version = current_version(data)
    defaults = version_defaults(calc, data, str(version))
    keep = {k for k, v in inputs.items() if defaults.get(k) != v}
    through = calc.preset_input
    filled = _filled(calc, data)
    if through and keep & (filled | {through}):
        keep.add(through)
        table = presets(calc, data)
        chosen = table.get(inputs.get(through, ""))
        if chosen is None:  # custom: the resolver needs every input of the architecture
            keep |= filled & set(inputs)
        else:  # the preset brings its values (extras too); only what differs from them travels
            brought = chosen["values"]
            keep = {k for k in keep if k not in brought} | {
                k for k, v in brought.items() if k != through and k in inputs and inputs[k] != v
            }
            keep.add(through)
    return urlencode({**{k: v for k, v in inputs.items() if k in keep}, "v": version})


def yes_no_words() -> dict[str, list[str]]:
    """The words read as yes and no, for the page's script (defined once, in _inputs)."""
    return {"true": sorted(TRUE_WORDS), "false": sorted(FALSE_WORDS)}
