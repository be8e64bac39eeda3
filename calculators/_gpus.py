"""Which single GPU holds a given amount of memory, from the table in data/gpus.yaml.

Shared by every calculator that ends in "fits on one ...": the GPU list, its order and the
sentence for "none" are written once here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["gpu_fit", "gpus"]


def gpus(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The GPUs of data/gpus.yaml, smallest memory first: ``key``, ``name``, ``memory_gb`` and
    the figure's ``source``, ``url`` and ``as_of``."""
    rows = []
    for key, entry in data.get("gpus", {}).items():
        fig = entry["memory"]
        rows.append(
            {
                "key": key,
                "name": entry.get("name", key),
                "memory_gb": fig["value"],
                "source": fig["source"],
                "url": fig.get("url", ""),
                "as_of": fig["as_of"],
            }
        )
    # By size, then name: the browser gets the data as JSON with its keys sorted.
    return sorted(rows, key=lambda r: (r["memory_gb"], r["name"]))


def gpu_fit(data: Mapping[str, Any], total_gb: float) -> dict[str, Any]:
    """Which GPUs of data/gpus.yaml hold ``total_gb``.

    Parameters
    ----------
    data : mapping
        The data tree; only ``gpus`` is read.
    total_gb : float
        Memory needed, in billions of bytes (GPU makers advertise sizes in the same unit).

    Returns
    -------
    dict
        ``gpus`` (each row of :func:`gpus` with ``fits``), ``fits`` (the names of those that
        hold it, smallest first) and ``fits_text`` (the smallest, or why none does).

    Examples
    --------
    >>> table = {"gpus": {
    ...     "t4": {"name": "T4 (16 GB)", "memory": {"value": 16, "source": "NVIDIA", "as_of": "2026-11-30"}},
    ...     "a100": {"name": "A100 80 GB", "memory": {"value": 80, "source": "NVIDIA", "as_of": "2026-11-30"}}}}
    >>> gpu_fit(table, 18.6)["fits_text"]
    'A100 80 GB'
    >>> gpu_fit(table, 8.2)["fits_text"]
    'T4 (16 GB) or larger'
    """
    rows = [{**g, "fits": total_gb <= g["memory_gb"]} for g in gpus(data)]
    fits = [g["name"] for g in rows if g["fits"]]
    if fits:
        # Every larger GPU holds it too: name the smallest (the full list is in "fits").
        fits_text = fits[0] if len(fits) == 1 else f"{fits[0]} or larger"
    else:
        largest = rows[-1]["memory_gb"] if rows else 0
        fits_text = (
            f"None: more than the largest single GPU listed ({largest:g} GB); it needs "
            "several GPUs with sharding (ZeRO, FSDP) or offloading"
        )
    return {"fits": fits, "fits_text": fits_text, "gpus": rows}
