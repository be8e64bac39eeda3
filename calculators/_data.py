"""Reading figures out of the data tree (the parsed YAML of data/).

Everything here is pure and standard-library only, except :func:`load_tree`, which reads the
YAML files with PyYAML and adds the inference prices of the pinned ``genai-prices`` package
(:mod:`calculators._genai_prices`, mapped by data/price-models.yaml). It is used by the CLI,
the site build and the tests; in the browser the tree arrives as JSON, so Pyodide never
imports yaml or genai-prices.

A *figure* is any mapping with a ``value`` key; it must also carry ``unit``, ``source`` and
``as_of``. A figure is addressed by its dotted path: ``prices.openai.gpt-4o.input`` is the
``input`` entry under ``openai: gpt-4o:`` in ``data/prices.yaml``. A value elsewhere in data/
written as ``{fig: KEY}`` refers to that figure's value, so a number lives in one place.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "DataError",
    "check_tree",
    "figure",
    "figure_value",
    "iter_figures",
    "load_tree",
    "resolve",
]

REQUIRED = ("value", "unit", "source", "as_of")
UNDATED = "undated"  # the as_of of a figure whose source carries no date


class DataError(ValueError):
    """A data/ entry is missing, malformed or refers to a figure that does not exist."""


def load_tree(directory: str | Path) -> dict[str, Any]:
    """Read every ``*.yaml`` under ``directory`` into one tree keyed by path (without suffix)."""
    import yaml  # only the CLI and the build read files; see the module docstring

    root = Path(directory)
    if not root.is_dir():
        raise DataError(f"data folder not found: {root}")
    tree: dict[str, Any] = {}
    for path in sorted(root.rglob("*.yaml")):
        parts = path.relative_to(root).with_suffix("").parts
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        try:
            with path.open(encoding="utf-8") as fh:
                node[parts[-1]] = _plain(yaml.safe_load(fh) or {})
        except yaml.YAMLError as exc:
            raise DataError(f"{path}: not valid YAML: {exc}") from exc
    if "price-models" in tree:
        from ._genai_prices import price_figures  # needs genai-prices; see the docstring

        _merge_figures(tree.setdefault("prices", {}), price_figures(tree["price-models"]), "prices")
        from ._market import market_table  # every model's prices (compare-models)

        tree["market"] = market_table(tree["price-models"])
    return tree


def _merge_figures(into: dict[str, Any], new: Mapping[str, Any], path: str) -> None:
    """Add ``new`` under ``into``; a figure written in both places is an error."""
    for key, node in new.items():
        where = f"{path}.{key}"
        if is_figure(node):
            if key in into:
                raise DataError(
                    f"{where} comes from genai-prices and is also written in data/prices.yaml; "
                    "keep one"
                )
            into[key] = node
        else:
            existing = into.setdefault(key, {})
            if is_figure(existing):
                raise DataError(f"{where} is a figure in data/ and a group from genai-prices")
            _merge_figures(existing, node, where)


def _plain(node: Any) -> Any:
    """Dates become ISO strings so the tree is JSON as it is."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items() if not str(k).startswith("_")}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, _dt.date):
        return node.isoformat()
    return node


def is_figure(node: Any) -> bool:
    return isinstance(node, Mapping) and "value" in node


def iter_figures(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Mapping]]:
    """Every figure in the tree with its dotted key."""
    for key, node in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if is_figure(node):
            yield path, node
        elif isinstance(node, Mapping):
            yield from iter_figures(node, path)


def figure(tree: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """The figure at dotted ``key``, or :class:`DataError` naming the key."""
    node: Any = tree
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise DataError(f"no figure named {key!r} in data/")
        node = node[part]
    if not is_figure(node):
        raise DataError(f"{key!r} in data/ is a group, not a figure (it has no 'value')")
    return node


def figure_value(tree: Mapping[str, Any], key: str) -> Any:
    return figure(tree, key)["value"]


def resolve(tree: Mapping[str, Any], node: Any) -> Any:
    """Replace every ``{fig: KEY}`` inside ``node`` by that figure's value."""
    if isinstance(node, Mapping):
        if set(node) == {"fig"}:
            return figure_value(tree, node["fig"])
        return {k: resolve(tree, v) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(tree, v) for v in node]
    return node


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        if set(node) == {"fig"}:
            yield node["fig"]
        else:
            for v in node.values():
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def check_tree(tree: Mapping[str, Any]) -> list[str]:
    """Every problem in the tree: figures lacking a field or with a bad date, dangling references."""
    problems = []
    for key, fig in iter_figures(tree):
        for name in REQUIRED:
            if fig.get(name) in (None, ""):
                problems.append(f"{key}: missing '{name}'")
        as_of = fig.get("as_of")
        # ``undated``: the source carries no date (never invent one); anything else is a date.
        if as_of and as_of != UNDATED:
            try:
                _dt.date.fromisoformat(str(as_of))
            except ValueError:
                problems.append(f"{key}: as_of {as_of!r} is not a YYYY-MM-DD date or 'undated'")
        value = fig.get("value")
        if isinstance(value, list) and not (
            len(value) == 2
            and all(isinstance(v, int | float) for v in value)
            and value[0] <= value[1]
        ):
            problems.append(f"{key}: a range value must be [low, high] numbers")
    for ref in _refs(tree):
        try:
            figure(tree, ref)
        except DataError as exc:
            problems.append(str(exc))
    return problems


def as_of_note(tree: Mapping[str, Any], slug: str) -> str:
    """ "Prices as of DATE (SOURCE)." for a calculator whose data names a ``prices_figure``."""
    try:
        key = tree["calculators"][slug]["prices_figure"]
        fig = figure(tree, key)
    except (KeyError, TypeError, DataError):
        return ""
    return f"Prices as of {fig['as_of']} ({fig['source']})."
