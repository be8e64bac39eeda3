"""LoRA memory: trainable parameters and GPU memory for fine-tuning a LLaMA-style model.

A LLaMA-style decoder (Llama 2 and 3, Mistral, Qwen2) is an embedding table, a stack of
identical layers (attention with query, key, value and output projections; a gated MLP with
gate, up and down projections; two RMSNorms) and an output layer. Its parameter count follows
from seven numbers in the model's config.json. LoRA adds two thin matrices beside each adapted
projection; this module counts them exactly as Hugging Face PEFT does, grouped-query attention
included, and adds up the GPU memory of weights, gradients, optimizer state and activations for
full fine-tuning, LoRA and QLoRA under stated assumptions.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from ._calculator import Calculator, Output
from ._data import figure_value
from ._format import count, percent
from ._format import memory as fmt_memory
from ._inputs import InputError, choice, flag, integer, shorten, text, validate
from ._svg import Bar, bar_chart

__all__ = [
    "CALCULATOR",
    "METHODS",
    "MODELS",
    "TARGETS",
    "Architecture",
    "Inputs",
    "activation_bytes",
    "architecture",
    "compute",
    "linear_parameters",
    "lora_parameters",
    "memory_bytes",
    "parse_targets",
    "projection_shapes",
    "total_parameters",
]

# The model presets in data/models.yaml, in the order the page lists them (a unit test keeps the
# two equal). "custom" means: use the architecture inputs as typed.
MODELS = (
    "llama-3-8b",
    "llama-3-1-8b",
    "llama-3-2-1b",
    "llama-3-2-3b",
    "llama-2-7b",
    "mistral-7b-v0-1",
    "qwen-2-5-7b",
    "llama-3-70b",
    "llama-3-1-70b",
)
METHODS = ("full", "lora", "qlora")
# The seven linear layers of a LLaMA-style block, by their short names (PEFT: q_proj ... down_proj).
TARGETS = ("q", "k", "v", "o", "gate", "up", "down")

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
_TARGET_ALIASES = {**{t: t for t in TARGETS}, **{f"{t}_proj": t for t in TARGETS}}
_ALL_LINEAR = ("all", "all-linear", "all_linear")
_ARCH_FIELDS = (
    ("hidden_size", "hidden-size"),
    ("intermediate_size", "intermediate-size"),
    ("layers", "layers"),
    ("heads", "heads"),
    ("kv_heads", "kv-heads"),
    ("vocab_size", "vocab-size"),
    ("tied_embeddings", "tied-embeddings"),
    ("attention_bias", "attention-bias"),
)
_CUSTOM_ONLY = "Used when Model is custom; a preset fills it in."


@dataclasses.dataclass(frozen=True)
class Architecture:
    """The numbers of a LLaMA-style config.json that fix its parameter count.

    ``tied_embeddings``: the output layer reuses the embedding matrix (Llama 3.2 1B and 3B).
    ``attention_bias``: the q, k and v projections have biases (Qwen2, Qwen2.5).
    """

    hidden_size: int
    intermediate_size: int
    layers: int
    heads: int
    kv_heads: int
    vocab_size: int
    tied_embeddings: bool = False
    attention_bias: bool = False

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.heads

    @property
    def kv_dim(self) -> int:
        """Width of the k and v projections: kv_heads × head_dim (smaller under GQA)."""
        return self.kv_heads * self.head_dim


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


# ---------------------------------------------------------------------------------------------
# Counting parameters


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


def projection_shapes(arch: Architecture) -> dict[str, tuple[int, int]]:
    """(d_in, d_out) of each linear layer in one block.

    Notes
    -----
    With hidden size :math:`h`, MLP size :math:`i` and :math:`d_{kv} = n_{kv} \\cdot h / n_{heads}`:
    q and o are :math:`h \\times h`; k and v are :math:`h \\times d_{kv}` (grouped-query attention
    shrinks them); gate and up are :math:`h \\times i`; down is :math:`i \\times h`.

    Examples
    --------
    Llama 3 8B has 8 key-value heads of 128 dimensions, so k and v are 4,096 × 1,024:

    >>> llama3 = Architecture(4096, 14336, 32, 32, 8, 128256)
    >>> projection_shapes(llama3)["k"], projection_shapes(llama3)["down"]
    ((4096, 1024), (14336, 4096))
    """
    h, i, kv = arch.hidden_size, arch.intermediate_size, arch.kv_dim
    return {
        "q": (h, h),
        "k": (h, kv),
        "v": (h, kv),
        "o": (h, h),
        "gate": (h, i),
        "up": (h, i),
        "down": (i, h),
    }


def linear_parameters(arch: Architecture) -> int:
    """Weights of the seven projections in all layers: what QLoRA stores in 4-bit."""
    return arch.layers * sum(d_in * d_out for d_in, d_out in projection_shapes(arch).values())


def total_parameters(arch: Architecture) -> int:
    """Parameters of the base model, as ``model.num_parameters()`` counts them.

    Parameters
    ----------
    arch : Architecture
        The model's config.json numbers.

    Returns
    -------
    int
        Embeddings, output layer (unless tied), every layer's projections, biases and two
        RMSNorms, and the final norm.

    Notes
    -----
    .. math::

        N = v h (2 - t) + L \\left(2h^2 + 2h d_{kv} + 3hi + 2h + \\beta (h + 2 d_{kv})\\right) + h

    with vocabulary :math:`v`, :math:`t = 1` when the output layer is tied to the embeddings,
    :math:`L` layers, and :math:`\\beta = 1` when q, k and v have biases. RMSNorm has one weight
    vector of size :math:`h` and no bias.

    References
    ----------
    The published parameter counts on each model's Hugging Face page (safetensors metadata):
    Llama 2 7B 6,738,415,616; Llama 3 8B 8,030,261,248; Qwen2.5 7B 7,615,616,512.

    Examples
    --------
    >>> total_parameters(Architecture(4096, 11008, 32, 32, 32, 32000))  # Llama 2 7B
    6738415616
    >>> total_parameters(Architecture(4096, 14336, 32, 32, 8, 128256))  # Llama 3 8B
    8030261248
    >>> total_parameters(Architecture(3584, 18944, 28, 28, 4, 152064, attention_bias=True))
    7615616512
    """
    h, kv = arch.hidden_size, arch.kv_dim
    embeddings = arch.vocab_size * h * (1 if arch.tied_embeddings else 2)
    biases = (h + 2 * kv) if arch.attention_bias else 0
    norms = 2 * h
    return embeddings + linear_parameters(arch) + arch.layers * (biases + norms) + h


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


# ---------------------------------------------------------------------------------------------
# Memory


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


# ---------------------------------------------------------------------------------------------
# Putting it together


def _model_architecture(data: Mapping[str, Any], name: str) -> tuple[Architecture, str]:
    entry = data["models"][name]

    def value(field: str) -> Any:
        return figure_value(data, f"models.{name}.{field}")

    arch = Architecture(*(value(public) for _, public in _ARCH_FIELDS))
    return arch, entry.get("name", name)


def model_presets(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """One preset per model of :data:`MODELS` found in data/models.yaml: its name and its
    whole architecture, with the source and date of its config.json.

    >>> from calculators._data import load_tree
    >>> model_presets(load_tree("data"))["llama-2-7b"]["values"]["kv-heads"]
    '32'
    """
    table = data.get("models", {})
    out = {}
    for name in MODELS:
        if not all(public in table.get(name, {}) for _, public in _ARCH_FIELDS):
            continue
        arch, label = _model_architecture(data, name)
        first = table[name][_ARCH_FIELDS[0][1]]
        values = {"model": name}
        for attr, public in _ARCH_FIELDS:
            value = getattr(arch, attr)
            values[public] = (
                ("true" if value else "false") if isinstance(value, bool) else str(value)
            )
        out[name] = {
            "label": label,
            "source": f"{first['source']} (data/models.yaml)",
            "as_of": first["as_of"],
            "values": values,
        }
    return out


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,}"


def architecture(inputs: Inputs, data: Mapping[str, Any]) -> tuple[Architecture, str]:
    """The architecture to count, and its name; InputError naming the field that is wrong.

    A named model takes its architecture from data/models.yaml, and the architecture inputs
    must agree with it (the page's presets fill them in), so a typed value is never silently
    ignored. ``custom`` takes the inputs as typed and checks that heads divide evenly.
    """
    typed = Architecture(*(getattr(inputs, attr) for attr, _ in _ARCH_FIELDS))
    if inputs.model != "custom":
        arch, name = _model_architecture(data, inputs.model)
        for attr, public in _ARCH_FIELDS:
            want, got = getattr(arch, attr), getattr(typed, attr)
            if want != got:
                raise InputError(
                    public,
                    f"{name} has {_shown(want)} (got {_shown(got)}); leave it at the "
                    "model's value, or set model to custom to count your own architecture",
                )
        return arch, name
    if typed.hidden_size % typed.heads:
        raise InputError(
            "heads",
            f"must divide the hidden size evenly ({typed.hidden_size:,} / {typed.heads:,} "
            "is not a whole number)",
        )
    if typed.kv_heads > typed.heads or typed.heads % typed.kv_heads:
        raise InputError("kv-heads", f"must divide the {typed.heads:,} attention heads evenly")
    return typed, "Custom model"


def _describe(arch: Architecture, name: str) -> str:
    gqa = f", {arch.kv_heads} key-value heads" if arch.kv_heads != arch.heads else ""
    return (
        f"{name}: hidden size {arch.hidden_size:,}, MLP {arch.intermediate_size:,}, "
        f"{arch.layers} layers, {arch.heads} heads{gqa}, vocabulary {arch.vocab_size:,}"
    )


def _assumptions(method: str, inputs: Inputs) -> list[str]:
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
    if inputs.gradient_checkpointing:
        out.append(
            "Gradient checkpointing keeps each layer's 16-bit input (2 bytes × tokens × hidden "
            "size) and recomputes one layer at a time in the backward pass."
        )
    else:
        out.append(
            "Without checkpointing every layer keeps its activations: tokens × hidden size × "
            "(34 + 5 × heads × sequence length / hidden size) bytes (Korthikanti et al. 2022)."
        )
    if inputs.fused_attention:
        out.append("Fused attention (FlashAttention or SDPA) stores no attention-score matrix.")
    out.append("The loss keeps float32 logits: 4 bytes × tokens × vocabulary size.")
    out.append(
        "One GPU, no sharding or offloading. Not counted: the CUDA context, allocator "
        "fragmentation and temporary buffers; a GPU fits when the estimate is at most its "
        "advertised size in billions of bytes, which leaves about 7% headroom."
    )
    return out


def _gpus(data: Mapping[str, Any]) -> list[dict[str, Any]]:
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
        ``model_name`` and ``architecture`` (what was counted), ``total_params`` (base model), ``trainable_params``, ``trainable_percent`` (PEFT's
        definition), ``peft_all_params`` (what PEFT prints as "all params"),
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
    PEFT's ``print_trainable_parameters()`` prints trainable parameters :math:`P`, "all
    params" :math:`N + P` (the LoRA matrices are parameters of the wrapped model) and
    :math:`\\text{trainable\\%} = 100 P / (N + P)`. This module reports the same three, and
    ``total_params`` :math:`N` of the base model alone. For QLoRA, PEFT since 0.5.0 counts each
    packed 4-bit weight twice (two 4-bit values per byte), so it prints the same numbers as for
    LoRA; PEFT 0.4.0 and hand-written counters of the time that sum ``numel()`` print "all
    params" with the projection weights at half, :math:`N - N_{lin}/2 + P`
    (``peft_all_params_before_0_5``). Full fine-tuning trains all :math:`N` parameters: 100%.

    Examples
    --------
    What does it take to fine-tune Llama 3 8B with LoRA at rank 16 on all seven linear layers,
    one 2,048-token sequence per step, with gradient checkpointing?

    >>> from calculators._data import load_tree
    >>> data = load_tree("data")
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

    Old QLoRA notebooks printed Llama 2 7B as 3.5 billion parameters: PEFT 0.4 counted the
    packed 4-bit projections at half. With rank 8 on q and v they printed "all params:
    3504607232":

    >>> llama2 = dict(llama3, model="llama-2-7b", intermediate_size=11008, kv_heads=32,
    ...               vocab_size=32000, targets="q,v")
    >>> compute(Inputs(method="qlora", rank=8, **llama2), data)["peft_all_params_before_0_5"]
    3504607232
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
    memory = _in_gb(memory_bytes(arch, inputs.method, counts["trainable_params"], activations))
    return {
        "model": inputs.model,
        "model_name": name,
        "architecture": _describe(arch, name),
        "method": inputs.method,
        "targets": list(targets) if inputs.method != "full" else [],
        **counts,
        "memory_gb": memory,
        **{f"memory_{part}_gb": memory[part] for part in _PARTS},
        **gpu_fit(data, memory["total"]),
        "by_method": compare_methods(arch, inputs.rank, targets, activations),
        "assumptions": _assumptions(inputs.method, inputs),
    }


_PARTS = ("weights", "gradients", "optimizer", "activations", "total")


def _in_gb(parts: Mapping[str, float]) -> dict[str, float]:
    return {k: v / _GB for k, v in parts.items()}


def _check_rank(arch: Architecture, rank: int, targets: tuple[str, ...]) -> None:
    """InputError on ``rank`` when it exceeds the narrow side of an adapted layer."""
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

    Returns ``total_params``, ``trainable_params``, ``trainable_percent``, ``peft_all_params``,
    ``peft_all_params_before_0_5`` (QLoRA only, else None) and ``trainable_by_target``; see
    :func:`compute` for the definitions. InputError on ``rank`` above the narrowest layer.
    """
    total = total_parameters(arch)
    if method == "full":
        by_target: dict[str, int] = {}
        trainable = peft_all = total
    else:
        _check_rank(arch, rank, targets)
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
    return {m: _in_gb(memory_bytes(arch, m, adapters, activations)) for m in METHODS}


def gpu_fit(data: Mapping[str, Any], total_gb: float) -> dict[str, Any]:
    """Which GPUs of data/gpus.yaml hold ``total_gb``: ``gpus`` (each with ``fits``), ``fits``
    (their names, smallest first) and ``fits_text`` (the smallest, or why none does)."""
    gpus = [{**g, "fits": total_gb <= g["memory_gb"]} for g in _gpus(data)]
    fits = [g["name"] for g in gpus if g["fits"]]
    if fits:
        # Every larger GPU holds it too: name the smallest (the full list is in "fits").
        fits_text = fits[0] if len(fits) == 1 else f"{fits[0]} or larger"
    else:
        largest = gpus[-1]["memory_gb"] if gpus else 0
        fits_text = (
            f"None: more than the largest single GPU listed ({largest:g} GB); it needs "
            "several GPUs with sharding (ZeRO, FSDP) or offloading"
        )
    return {"fits": fits, "fits_text": fits_text, "gpus": gpus}


_METHOD_WORDS = {"full": "full fine-tuning", "lora": "LoRA", "qlora": "QLoRA"}


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
    summarize=summarize,
    chart=chart,
)
