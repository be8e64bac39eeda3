"""GPU memory of one fine-tuning step: weights, gradients, optimizer state and activations.

Full fine-tuning, LoRA and QLoRA on a LLaMA-style model (:mod:`calculators._architecture`),
under stated assumptions: :func:`memory_bytes` for the method a reader chose,
:func:`compare_methods` for all three on the same model and batch (the chart).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._architecture import (
    TARGETS,
    Architecture,
    linear_parameters,
    projection_shapes,
    total_parameters,
)
from ._trainable import lora_parameters

__all__ = [
    "METHODS",
    "PARTS",
    "activation_bytes",
    "assumptions",
    "compare_methods",
    "in_gb",
    "memory_bytes",
]

METHODS = ("full", "lora", "qlora")
PARTS = ("weights", "gradients", "optimizer", "activations", "total")


# Bytes per parameter and per token. The same figures, with their sources, are in
# data/memory.yaml (a unit test keeps them equal); the page cites them from there.
FULL_WEIGHT_BYTES = 2  # ZeRO, section 3.1: 16-bit weights
FULL_GRADIENT_BYTES = 2  # 16-bit gradients
FULL_OPTIMIZER_BYTES = 12  # fp32 master weights, Adam momentum and variance
FROZEN_WEIGHT_BYTES = 2  # LoRA's frozen base model in bfloat16
ADAPTER_WEIGHT_BYTES = 4  # LoRA matrices in float32
ADAPTER_GRADIENT_BYTES = 4
ADAPTER_OPTIMIZER_BYTES = 8  # Adam momentum and variance in float32
NF4_BITS = 4  # QLoRA, section 3: 4-bit NormalFloat
QUANT_CONSTANT_BITS = 0.127  # QLoRA, section 3: block scales after double quantization
ACTIVATION_CONSTANT = 34  # Korthikanti et al. 2022: s·b·h·(34 + 5·a·s/h) bytes per layer
ATTENTION_SCORE_COEFFICIENT = 5
CHECKPOINT_BYTES = 2  # full recomputation keeps each layer's 16-bit input: 2·s·b·h
LOGIT_BYTES = 4  # float32 logits for the loss: 4·s·b·v

_GB = 1e9  # memory is reported in billions of bytes


def activation_bytes(
    arch: Architecture,
    batch_size: int,
    sequence_length: int,
    *,
    checkpointing: bool,
    fused_attention: bool,
) -> int:
    """Bytes of activations kept for the backward pass, logits included.

    Parameters
    ----------
    arch : Architecture
    batch_size, sequence_length : int
        :math:`b` sequences of :math:`s` tokens per step.
    checkpointing : bool
        Full gradient checkpointing (recompute each layer during the backward pass).
    fused_attention : bool
        FlashAttention or PyTorch SDPA: the :math:`s \\times s` scores are never stored.

    Notes
    -----
    Per layer, without recomputation (Korthikanti et al. 2022, 16-bit activations):

    .. math:: A_{layer} = s b h (34 + 5 a s / h) = s b (34 h + 5 a s)

    Fused attention drops the :math:`5 a s^2 b` term. With checkpointing, each layer keeps only
    its 16-bit input, :math:`2 s b h`, and during the backward pass one layer at a time is
    recomputed in full, so :math:`A = 2 s b h L + A_{layer}`; without it :math:`A = L A_{layer}`.
    Both add the float32 logits for the loss, :math:`4 s b v`.

    The formula was derived for GPT's MLP of width :math:`4h` with dropout; LLaMA's gated MLP
    (width 2.7 to 5.3 :math:`h`) stores somewhat more, its lack of dropout somewhat less, and
    grouped-query attention's narrower k and v somewhat less. It is an estimate, not a trace.

    Examples
    --------
    Llama 3 8B, one 2,048-token sequence, checkpointing and fused attention: 32 layer inputs of
    16.8 MB, one layer recomputed (285 MB) and 1.05 GB of logits:

    >>> llama3 = Architecture(4096, 14336, 32, 32, 8, 128256)
    >>> activation_bytes(llama3, 1, 2048, checkpointing=True, fused_attention=True) / 1e9
    1.872756736
    """
    s, b, h = sequence_length, batch_size, arch.hidden_size
    scores = 0 if fused_attention else ATTENTION_SCORE_COEFFICIENT * arch.heads * s
    per_layer = s * b * (ACTIVATION_CONSTANT * h + scores)
    if checkpointing:
        layers = CHECKPOINT_BYTES * s * b * h * arch.layers + per_layer
    else:
        layers = per_layer * arch.layers
    return layers + LOGIT_BYTES * s * b * arch.vocab_size


def memory_bytes(
    arch: Architecture, method: str, trainable: int, activations: int
) -> dict[str, float]:
    """GPU memory by component, in bytes, before buffers and fragmentation.

    Parameters
    ----------
    arch : Architecture
    method : {"full", "lora", "qlora"}
    trainable : int
        LoRA parameters (ignored for full fine-tuning, which trains everything).
    activations : int
        From :func:`activation_bytes`.

    Returns
    -------
    dict
        ``weights``, ``gradients``, ``optimizer``, ``activations`` and ``total``.

    Notes
    -----
    With :math:`N` base parameters and :math:`P` LoRA parameters:

    - full: weights :math:`2N`, gradients :math:`2N`, Adam :math:`12N` (fp32 master weights,
      momentum, variance): 16 bytes per parameter.
    - lora: frozen weights :math:`2N` in bfloat16; adapters in float32 with Adam:
      weights :math:`4P`, gradients :math:`4P`, optimizer :math:`8P`.
    - qlora: as lora, but the seven projections' weights :math:`N_{lin}` are NF4:
      :math:`(4 + 0.127) / 8` bytes each with double-quantized scales; embeddings, norms and
      biases stay in bfloat16.

    References
    ----------
    Rajbhandari et al. 2019, ZeRO, arXiv 1910.02054, section 3.1. Dettmers et al. 2023,
    QLoRA, arXiv 2305.14314, section 3.

    Examples
    --------
    Full fine-tuning of Llama 3 8B needs 16 bytes for each of its 8.03 billion parameters
    before any activations:

    >>> llama3 = Architecture(4096, 14336, 32, 32, 8, 128256)
    >>> memory_bytes(llama3, "full", 0, 0)["total"] / 1e9
    128.484179968
    """
    n = total_parameters(arch)
    if method == "full":
        weights = FULL_WEIGHT_BYTES * n
        gradients = FULL_GRADIENT_BYTES * n
        optimizer = FULL_OPTIMIZER_BYTES * n
    else:
        if method == "qlora":
            linear = linear_parameters(arch)
            packed = linear * (NF4_BITS + QUANT_CONSTANT_BITS) / 8
            frozen = packed + FROZEN_WEIGHT_BYTES * (n - linear)
        else:
            frozen = FROZEN_WEIGHT_BYTES * n
        weights = frozen + ADAPTER_WEIGHT_BYTES * trainable
        gradients = ADAPTER_GRADIENT_BYTES * trainable
        optimizer = ADAPTER_OPTIMIZER_BYTES * trainable
    parts = {
        "weights": float(weights),
        "gradients": float(gradients),
        "optimizer": float(optimizer),
        "activations": float(activations),
    }
    return {**parts, "total": sum(parts.values())}


def in_gb(parts: Mapping[str, float]) -> dict[str, float]:
    """The same parts in billions of bytes (GB), as the page and the JSON report them."""
    return {k: v / _GB for k, v in parts.items()}


def compare_methods(
    arch: Architecture, rank: int, targets: tuple[str, ...], activations: int
) -> dict[str, dict[str, float]]:
    """Memory in GB of full fine-tuning, LoRA and QLoRA on the same model and batch, for the
    chart: the same adapters for both LoRA methods (all seven layers when none are named, the
    rank capped at the narrowest layer)."""
    compared = targets or TARGETS
    shapes = projection_shapes(arch)
    capped = min(rank, *(min(shapes[t]) for t in compared))
    adapters = sum(lora_parameters(arch, capped, compared).values())
    return {m: in_gb(memory_bytes(arch, m, adapters, activations)) for m in METHODS}


def assumptions(method: str, *, checkpointing: bool, fused_attention: bool) -> list[str]:
    """The assumptions behind :func:`memory_bytes` and :func:`activation_bytes`, as sentences
    for the page; the last one says what is not counted."""
    out = []
    if method == "full":
        out.append(
            "Full fine-tuning with mixed-precision Adam: 16-bit weights and gradients plus fp32 "
            "master weights, momentum and variance, 16 bytes per parameter (ZeRO paper)."
        )
    else:
        if method == "qlora":
            out.append(
                "The seven linear layers' weights are stored in 4-bit NF4 with double-quantized "
                "scales, 4.127 bits per parameter (QLoRA paper); embeddings, output layer, norms "
                "and biases stay in bfloat16."
            )
        else:
            out.append("The frozen base model is in bfloat16: 2 bytes per parameter.")
        out.append(
            "LoRA matrices are float32 and trained with Adam: 4 bytes of weights, 4 of "
            "gradients and 8 of optimizer state per LoRA parameter."
        )
    if checkpointing:
        out.append(
            "Gradient checkpointing keeps each layer's 16-bit input (2 bytes × tokens × hidden "
            "size) and recomputes one layer at a time in the backward pass."
        )
    else:
        out.append(
            "Without checkpointing every layer keeps its activations: tokens × hidden size × "
            "(34 + 5 × heads × sequence length / hidden size) bytes (Korthikanti et al. 2022)."
        )
    if fused_attention:
        out.append("Fused attention (FlashAttention or SDPA) stores no attention-score matrix.")
    out.append("The loss keeps float32 logits: 4 bytes × tokens × vocabulary size.")
    out.append(
        "One GPU, no sharding or offloading. Not counted: the CUDA context, allocator "
        "fragmentation and temporary buffers; a GPU fits when the estimate is at most its "
        "advertised size in billions of bytes, which leaves about 7% headroom."
    )
    return out
