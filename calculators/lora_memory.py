"""LoRA memory: trainable parameters and GPU memory for fine-tuning a LLaMA-style model.

This module is the calculator: its inputs, :func:`compute` reading top to bottom, the summary
and the chart. The arithmetic lives in one module per concern, re-exported here:

- :mod:`calculators._architecture`: the model's shape from data/models.yaml or typed in, and
  the parameters it has;
- :mod:`calculators._trainable`: the LoRA targets and what LoRA trains (PEFT's counts);
- :mod:`calculators._training_memory`: bytes of weights, gradients, optimizer state and
  activations for full fine-tuning, LoRA and QLoRA;
- :mod:`calculators._gpus`: which GPU of data/gpus.yaml holds the total.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ._architecture import (
    ARCH_FIELDS,
    MODELS,
    TARGETS,
    Architecture,
    architecture,
    linear_parameters,
    model_presets,
    projection_shapes,
    total_parameters,
)
from ._calculator import Calculator, Output
from ._format import count, percent
from ._format import memory as fmt_memory
from ._gpus import gpu_fit
from ._inputs import choice, flag, integer, text, validate
from ._svg import Bar, bar_chart
from ._trainable import lora_parameters, parse_targets, trainable_counts
from ._training_memory import (
    ACTIVATION_CONSTANT,
    ADAPTER_GRADIENT_BYTES,
    ADAPTER_OPTIMIZER_BYTES,
    ADAPTER_WEIGHT_BYTES,
    ATTENTION_SCORE_COEFFICIENT,
    CHECKPOINT_BYTES,
    FROZEN_WEIGHT_BYTES,
    FULL_GRADIENT_BYTES,
    FULL_OPTIMIZER_BYTES,
    FULL_WEIGHT_BYTES,
    LOGIT_BYTES,
    METHODS,
    NF4_BITS,
    PARTS,
    QUANT_CONSTANT_BITS,
    activation_bytes,
    assumptions,
    compare_methods,
    in_gb,
    memory_bytes,
)

# The calculator (CALCULATOR, Inputs, compute, summarize, chart), and every name its former
# single module had, re-exported so that ``lora_memory.X`` keeps working in tests and docs.
__all__ = [
    "ACTIVATION_CONSTANT",
    "ADAPTER_GRADIENT_BYTES",
    "ADAPTER_OPTIMIZER_BYTES",
    "ADAPTER_WEIGHT_BYTES",
    "ATTENTION_SCORE_COEFFICIENT",
    "CALCULATOR",
    "CHECKPOINT_BYTES",
    "FROZEN_WEIGHT_BYTES",
    "FULL_GRADIENT_BYTES",
    "FULL_OPTIMIZER_BYTES",
    "FULL_WEIGHT_BYTES",
    "LOGIT_BYTES",
    "METHODS",
    "MODELS",
    "NF4_BITS",
    "QUANT_CONSTANT_BITS",
    "TARGETS",
    "Architecture",
    "Inputs",
    "activation_bytes",
    "answer",
    "architecture",
    "chart",
    "compute",
    "linear_parameters",
    "lora_parameters",
    "memory_bytes",
    "parse_targets",
    "projection_shapes",
    "summarize",
    "total_parameters",
]

_ARCH_FIELDS = ARCH_FIELDS  # the former private name, still read by the unit tests
_CUSTOM_ONLY = "Used when Model is custom; a preset fills it in."
_METHOD_WORDS = {"full": "full fine-tuning", "lora": "LoRA", "qlora": "QLoRA"}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs:
    """A model, a fine-tuning method and one training step's batch."""

    method: str = choice(
        "Fine-tuning method",
        METHODS,
        help="full: every weight trains (mixed-precision Adam). lora: the model stays frozen in "
        "16-bit and small adapter matrices train. qlora: the same with the frozen model in 4-bit.",
    )
    rank: int = integer(
        "LoRA rank",
        unit="r",
        minimum=1,
        maximum=65_536,
        help="Width of the adapter matrices; 8 to 64 is usual. Ignored for full fine-tuning.",
    )
    targets: str = text(
        "LoRA target layers",
        help="Comma list of q, k, v, o, gate, up, down (or all-linear). Ignored for full "
        "fine-tuning.",
    )
    batch_size: int = integer(
        "Batch size",
        unit="sequences per step",
        minimum=1,
        maximum=65_536,
        help="Sequences processed together in one step on one GPU (the micro-batch).",
    )
    sequence_length: int = integer(
        "Sequence length",
        unit="tokens",
        minimum=1,
        maximum=10_000_000,
        step=512,
        help="Tokens per training sequence, prompt and answer together.",
    )
    gradient_checkpointing: bool = flag(
        "Gradient checkpointing",
        default=True,
        help="Keep only each layer's input and recompute the rest during the backward pass: "
        "far less activation memory for about a third more compute.",
    )
    fused_attention: bool = flag(
        "Fused attention (FlashAttention or PyTorch SDPA)",
        default=True,
        help="Fused attention kernels do not store the sequence × sequence attention scores. "
        "Hugging Face Transformers uses PyTorch's by default.",
        advanced=True,
    )
    model: str = choice(
        "Model",
        (*MODELS, "custom"),
        help="Choosing a model fills in its architecture; choose custom to type your own below.",
        advanced=True,
    )
    hidden_size: int = integer(
        "Hidden size",
        unit="hidden_size",
        minimum=1,
        maximum=131_072,
        step=128,
        help=_CUSTOM_ONLY,
        advanced=True,
    )
    intermediate_size: int = integer(
        "MLP size",
        unit="intermediate_size",
        minimum=1,
        maximum=1_048_576,
        step=128,
        help=_CUSTOM_ONLY,
        advanced=True,
    )
    layers: int = integer(
        "Layers",
        unit="num_hidden_layers",
        minimum=1,
        maximum=1_000,
        help=_CUSTOM_ONLY,
        advanced=True,
    )
    heads: int = integer(
        "Attention heads",
        unit="num_attention_heads",
        minimum=1,
        maximum=1_024,
        help=_CUSTOM_ONLY,
        advanced=True,
    )
    kv_heads: int = integer(
        "Key-value heads",
        unit="num_key_value_heads",
        minimum=1,
        maximum=1_024,
        help="Fewer than the attention heads under grouped-query attention. " + _CUSTOM_ONLY,
        advanced=True,
    )
    vocab_size: int = integer(
        "Vocabulary size",
        unit="vocab_size",
        minimum=1,
        maximum=2_000_000,
        step=1000,
        help=_CUSTOM_ONLY,
        advanced=True,
    )
    tied_embeddings: bool = flag(
        "Output layer shares the embedding matrix",
        help="tie_word_embeddings in config.json. " + _CUSTOM_ONLY,
        advanced=True,
    )
    attention_bias: bool = flag(
        "Biases on q, k and v",
        help="Qwen2 and Qwen2.5 have them. " + _CUSTOM_ONLY,
        advanced=True,
    )

    def __post_init__(self) -> None:
        validate(self)
        parse_targets(self.targets, required=self.method != "full")


def compute(inputs: Inputs, data: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters, trainable parameters and GPU memory for one fine-tuning setup.

    Parameters
    ----------
    inputs : Inputs
    data : mapping
        The data tree: ``models`` (architectures) and ``gpus`` (memory sizes).

    Returns
    -------
    dict
        ``model_name`` and ``architecture`` (what was counted), ``total_params`` (base
        model), ``trainable_params``, ``trainable_percent`` (PEFT's definition),
        ``peft_all_params`` (what PEFT prints as "all params"),
        ``peft_all_params_before_0_5`` (what PEFT 0.4 printed for QLoRA; None otherwise),
        ``trainable_by_target``, ``memory_gb`` (``weights``, ``gradients``, ``optimizer``,
        ``activations``, ``total``, in billions of bytes) and the same as flat
        ``memory_*_gb`` keys, ``fits`` (names of the GPUs in data/gpus.yaml that hold the
        total) with ``gpus`` (each GPU's size and source), ``by_method`` (totals for full,
        lora and qlora on the same model and batch) and ``assumptions``.

    Raises
    ------
    InputError
        Naming ``rank`` when it exceeds the narrowest adapted layer, or an architecture input
        that disagrees with the named model (see :func:`architecture`).

    Notes
    -----
    Read top to bottom: the architecture (:func:`architecture`), the targets, PEFT's counts
    (:func:`trainable_counts`, whose Notes define them), the activations, the memory of the
    chosen method (:func:`memory_bytes`), the GPUs that hold it (:func:`gpu_fit`), and last the
    three methods side by side for the chart (:func:`compare_methods`).

    Examples
    --------
    What does it take to fine-tune Llama 3 8B with LoRA at rank 16 on all seven linear layers,
    one 2,048-token sequence per step, with gradient checkpointing?

    >>> from pathlib import Path
    >>> from calculators._data import load_tree
    >>> data = load_tree(Path(__file__).resolve().parent.parent / "data")
    >>> llama3 = dict(model="llama-3-8b", hidden_size=4096, intermediate_size=14336, layers=32,
    ...               heads=32, kv_heads=8, vocab_size=128256, batch_size=1,
    ...               sequence_length=2048, targets="q,k,v,o,gate,up,down")
    >>> r = compute(Inputs(method="lora", rank=16, **llama3), data)
    >>> r["trainable_params"], r["peft_all_params"], round(r["trainable_percent"], 4)
    (41943040, 8072204288, 0.5196)
    >>> round(r["memory_gb"]["total"], 1), r["fits"][:2]
    (18.6, ['RTX 4090 (24 GB)', 'A100 40 GB'])

    QLoRA trains the same adapters on a 4-bit copy of the model: 6.98 billion projection weights
    at 4.127 bits take 3.6 GB, and the embeddings and output layer stay in bfloat16 (2.1 GB):

    >>> q = compute(Inputs(method="qlora", rank=16, **llama3), data)
    >>> round(q["memory_gb"]["weights"], 2), round(q["memory_gb"]["total"], 1), q["fits"][0]
    (5.87, 8.2, 'T4 (16 GB)')

    """
    arch, name = architecture(inputs, data)
    targets = parse_targets(inputs.targets, required=inputs.method != "full")
    counts = trainable_counts(arch, inputs.method, inputs.rank, targets)
    activations = activation_bytes(
        arch,
        inputs.batch_size,
        inputs.sequence_length,
        checkpointing=inputs.gradient_checkpointing,
        fused_attention=inputs.fused_attention,
    )
    memory = in_gb(memory_bytes(arch, inputs.method, counts["trainable_params"], activations))
    return {
        "model": inputs.model,
        "model_name": name,
        "architecture": _describe(arch, name),
        "method": inputs.method,
        "targets": list(targets) if inputs.method != "full" else [],
        **counts,
        "memory_gb": memory,
        **{f"memory_{part}_gb": memory[part] for part in PARTS},
        **gpu_fit(data, memory["total"]),
        "by_method": compare_methods(arch, inputs.rank, targets, activations),
        "assumptions": assumptions(
            inputs.method,
            checkpointing=inputs.gradient_checkpointing,
            fused_attention=inputs.fused_attention,
        ),
    }


def _describe(arch: Architecture, name: str) -> str:
    gqa = f", {arch.kv_heads} key-value heads" if arch.kv_heads != arch.heads else ""
    return (
        f"{name}: hidden size {arch.hidden_size:,}, MLP {arch.intermediate_size:,}, "
        f"{arch.layers} layers, {arch.heads} heads{gqa}, vocabulary {arch.vocab_size:,}"
    )


def answer(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """The result in one sentence: what the page leads with."""
    r = result
    name = r["model_name"]
    what = (
        f"Full fine-tuning of {name}"
        if inputs.method == "full"
        else f"{_METHOD_WORDS[inputs.method]} on {name}"
    )
    fits = f"fits on one {r['fits'][0]}" if r["fits"] else "fits on no single GPU listed"
    return f"{what} needs about {fmt_memory(r['memory_gb']['total'])} of GPU memory: {fits}."


def summarize(inputs: Inputs, result: dict[str, Any], data: Mapping[str, Any]) -> str:
    """A paragraph to paste into an email."""
    i, r = inputs, result
    name = r["model_name"]
    if i.method == "full":
        what = f"Full fine-tuning of {name} trains all {count(r['total_params'])} parameters"
    else:
        what = (
            f"{_METHOD_WORDS[i.method]} on {name} at rank {i.rank} on "
            f"{', '.join(r['targets'])} trains {count(r['trainable_params'])} of "
            f"{count(r['total_params'])} parameters "
            f"({percent(r['trainable_percent'])} by PEFT's count)"
        )
    m = r["memory_gb"]
    checkpointing = "with" if i.gradient_checkpointing else "without"
    fits = ", ".join(r["fits"]) if r["fits"] else "no single GPU listed"
    return (
        f"{what} and needs about {fmt_memory(m['total'])} of GPU memory: weights "
        f"{fmt_memory(m['weights'])}, gradients {fmt_memory(m['gradients'])}, optimizer state "
        f"{fmt_memory(m['optimizer'])}, activations {fmt_memory(m['activations'])} for "
        f"{i.batch_size:,} × {i.sequence_length:,} tokens per step {checkpointing} gradient "
        f"checkpointing. Fits on: {fits}. Assumptions: {' '.join(r['assumptions'][:-1])} "
        "Not counted: the CUDA context, allocator fragmentation and temporary buffers."
    )


def chart(inputs: Inputs, result: dict[str, Any]) -> str:
    """Memory of full fine-tuning, LoRA and QLoRA on the same model, against GPU sizes."""
    components = (
        ("Weights", "s1"),
        ("Gradients", "s2"),
        ("Optimizer state", "s3"),
        ("Activations", "s4"),
    )
    keys = ("weights", "gradients", "optimizer", "activations")
    bars = [
        Bar(
            _METHOD_WORDS[m].capitalize() if m == "full" else _METHOD_WORDS[m],
            [
                (label, result["by_method"][m][k])
                for (label, _), k in zip(components, keys, strict=True)
            ],
        )
        for m in METHODS
    ]
    sizes: dict[float, list[str]] = {}
    for g in result["gpus"]:
        sizes.setdefault(g["memory_gb"], []).append(g["name"].split(" (")[0])
    lines = [(f"{size:g} GB", float(size)) for size in sorted(sizes)]
    totals = {m: fmt_memory(result["by_method"][m]["total"]) for m in METHODS}
    desc = (
        f"For {result['model_name']}: full fine-tuning {totals['full']}, "
        f"LoRA {totals['lora']}, QLoRA {totals['qlora']}, with the same adapters, batch and "
        "sequence length. Horizontal lines mark common GPU memory sizes."
    )
    return bar_chart(
        title="GPU memory by fine-tuning method",
        desc=desc,
        bars=bars,
        lines=lines,
        components=components,
        y_fmt=lambda v: f"{v:,.0f} GB" if v >= 10 or v == 0 else f"{v:,.1f} GB",
    )


CALCULATOR = Calculator(
    slug="lora-memory",
    title="LoRA memory",
    preset_input="model",
    presets=model_presets,
    question="How many parameters does LoRA train, and which GPU holds the fine-tune?",
    inputs=Inputs,
    outputs=(
        Output("model_name", "Model counted", "text"),
        Output("total_params", "Parameters in the model", "count"),
        Output("trainable_params", "Trainable parameters", "count"),
        Output("trainable_percent", "Trainable share (PEFT's trainable%)", "percent"),
        Output("memory_total_gb", "GPU memory needed", "memory"),
        Output("memory_weights_gb", "Weights", "memory"),
        Output("memory_gradients_gb", "Gradients", "memory"),
        Output("memory_optimizer_gb", "Optimizer state", "memory"),
        Output("memory_activations_gb", "Activations", "memory"),
        Output("fits_text", "Fits on one", "text"),
    ),
    compute=compute,
    answer=answer,
    summarize=summarize,
    chart=chart,
)
