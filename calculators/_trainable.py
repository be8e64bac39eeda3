"""What LoRA trains: the target layers, the adapter parameters PEFT counts, the trainable share.

LoRA adds two thin matrices beside each adapted projection of a LLaMA-style model
(:mod:`calculators._architecture`); this module counts them exactly as Hugging Face PEFT does,
grouped-query attention included, and reports what PEFT's ``print_trainable_parameters()``
prints, for full fine-tuning too.
"""

from __future__ import annotations

import re
from typing import Any

from ._architecture import (
    TARGETS,
    Architecture,
    linear_parameters,
    projection_shapes,
    total_parameters,
)
from ._inputs import InputError, shorten

__all__ = ["check_rank", "lora_parameters", "parse_targets", "trainable_counts"]

_TARGET_ALIASES = {**{t: t for t in TARGETS}, **{f"{t}_proj": t for t in TARGETS}}
_ALL_LINEAR = ("all", "all-linear", "all_linear")


def parse_targets(raw: str, *, required: bool = True) -> tuple[str, ...]:
    """The LoRA target layers named in ``raw``, in block order, without repeats.

    Parameters
    ----------
    raw : str
        Names separated by commas or spaces: ``q, k, v, o, gate, up, down``, PEFT's module
        names (``q_proj`` ...) or ``all-linear`` for all seven.
    required : bool
        Whether an empty list is an error (it is for LoRA and QLoRA).

    Raises
    ------
    InputError
        On ``targets``, naming the first word that is not a layer.

    Examples
    --------
    >>> parse_targets("v_proj, q")
    ('q', 'v')
    >>> parse_targets("q,x")
    Traceback (most recent call last):
    ...
    calculators._inputs.InputError: targets: 'x' is not a layer name; use q, k, v, o, gate, up, down or all-linear
    """
    words = [w for w in re.split(r"[,\s]+", raw.strip().lower()) if w]
    chosen = set()
    for word in words:
        if word in _ALL_LINEAR:
            chosen.update(TARGETS)
        elif word in _TARGET_ALIASES:
            chosen.add(_TARGET_ALIASES[word])
        else:
            raise InputError(
                "targets",
                f"{shorten(word)} is not a layer name; use {', '.join(TARGETS)} or all-linear",
            )
    if required and not chosen:
        raise InputError(
            "targets", f"name at least one layer for LoRA: {', '.join(TARGETS)} or all-linear"
        )
    return tuple(t for t in TARGETS if t in chosen)


def lora_parameters(arch: Architecture, rank: int, targets: tuple[str, ...]) -> dict[str, int]:
    """Trainable LoRA parameters per target layer, summed over all layers.

    Parameters
    ----------
    arch : Architecture
    rank : int
        LoRA rank :math:`r`.
    targets : tuple of str
        Short layer names (see :func:`parse_targets`).

    Returns
    -------
    dict
        ``{target: parameters}``; their sum is what PEFT's ``print_trainable_parameters()``
        reports as "trainable params".

    Notes
    -----
    Each adapted layer :math:`W \\in \\mathbb{R}^{d_{in} \\times d_{out}}` gains
    :math:`A \\in \\mathbb{R}^{d_{in} \\times r}` and :math:`B \\in \\mathbb{R}^{r \\times d_{out}}`
    (no biases), so :math:`r (d_{in} + d_{out})` parameters per layer, times :math:`L` layers.

    References
    ----------
    Hu et al. 2021, LoRA: Low-Rank Adaptation of Large Language Models, arXiv 2106.09685,
    section 4.1. Hugging Face PEFT, ``LoraConfig`` and ``print_trainable_parameters``.

    Examples
    --------
    PEFT's classic example, Llama 2 7B with rank 8 on q and v, prints "trainable params:
    4,194,304":

    >>> llama2 = Architecture(4096, 11008, 32, 32, 32, 32000)
    >>> sum(lora_parameters(llama2, 8, ("q", "v")).values())
    4194304

    On Llama 3 8B the v projection is 4,096 × 1,024 under grouped-query attention, so the same
    adapters are smaller: 32 × (8 × 8,192 + 8 × 5,120).

    >>> llama3 = Architecture(4096, 14336, 32, 32, 8, 128256)
    >>> lora_parameters(llama3, 8, ("q", "v"))
    {'q': 2097152, 'v': 1310720}
    >>> sum(lora_parameters(llama3, 8, ("q", "v")).values())
    3407872
    """
    shapes = projection_shapes(arch)
    return {t: arch.layers * rank * sum(shapes[t]) for t in targets}


def check_rank(arch: Architecture, rank: int, targets: tuple[str, ...]) -> None:
    """InputError on ``rank`` when it exceeds the narrow side of an adapted layer.

    Examples
    --------
    >>> check_rank(Architecture(4096, 14336, 32, 32, 8, 128256), 2048, ("v",))
    Traceback (most recent call last):
    ...
    calculators._inputs.InputError: rank: must be at most 1,024, the narrow side of the v layer (4,096 × 1,024); a higher rank adds parameters but no capacity (got 2,048)
    """
    shapes = projection_shapes(arch)
    narrowest = min(targets, key=lambda t: min(shapes[t]))
    limit = min(shapes[narrowest])
    if rank > limit:
        d_in, d_out = shapes[narrowest]
        raise InputError(
            "rank",
            f"must be at most {limit:,}, the narrow side of the {narrowest} layer "
            f"({d_in:,} × {d_out:,}); a higher rank adds parameters but no capacity "
            f"(got {rank:,})",
        )


def trainable_counts(
    arch: Architecture, method: str, rank: int, targets: tuple[str, ...]
) -> dict[str, Any]:
    """What PEFT's ``print_trainable_parameters()`` reports, and the base model's size.

    Parameters
    ----------
    arch : Architecture
    method : {"full", "lora", "qlora"}
    rank : int
        LoRA rank (ignored for full fine-tuning).
    targets : tuple of str
        Adapted layers (see :func:`parse_targets`; ignored for full fine-tuning).

    Returns
    -------
    dict
        ``total_params`` :math:`N` (the base model), ``trainable_params`` :math:`P`,
        ``trainable_percent``, ``peft_all_params``, ``peft_all_params_before_0_5`` (QLoRA
        only, else None) and ``trainable_by_target``.

    Raises
    ------
    InputError
        On ``rank`` above the narrow side of an adapted layer (see :func:`check_rank`).

    Notes
    -----
    PEFT's ``print_trainable_parameters()`` prints trainable parameters :math:`P`, "all
    params" :math:`N + P` (the LoRA matrices are parameters of the wrapped model) and
    :math:`\\text{trainable\\%} = 100 P / (N + P)`. For QLoRA, PEFT since 0.5.0 counts each
    packed 4-bit weight twice (two 4-bit values per byte), so it prints the same numbers as for
    LoRA; PEFT 0.4.0 and hand-written counters of the time that sum ``numel()`` print "all
    params" with the projection weights at half, :math:`N - N_{lin}/2 + P`
    (``peft_all_params_before_0_5``). Full fine-tuning trains all :math:`N` parameters: 100%.

    Examples
    --------
    Old QLoRA notebooks printed Llama 2 7B as 3.5 billion parameters: PEFT 0.4 counted the
    packed 4-bit projections at half. With rank 8 on q and v they printed "all params:
    3504607232":

    >>> llama2 = Architecture(4096, 11008, 32, 32, 32, 32000)
    >>> trainable_counts(llama2, "qlora", 8, ("q", "v"))["peft_all_params_before_0_5"]
    3504607232
    """
    total = total_parameters(arch)
    if method == "full":
        by_target: dict[str, int] = {}
        trainable = peft_all = total
    else:
        check_rank(arch, rank, targets)
        by_target = lora_parameters(arch, rank, targets)
        trainable = sum(by_target.values())
        peft_all = total + trainable
    return {
        "total_params": total,
        "trainable_params": trainable,
        "trainable_percent": 100.0 if method == "full" else 100 * trainable / peft_all,
        "peft_all_params": peft_all,
        "peft_all_params_before_0_5": (
            peft_all - linear_parameters(arch) // 2 if method == "qlora" else None
        ),
        "trainable_by_target": by_target,
    }
