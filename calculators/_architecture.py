"""The architecture of a LLaMA-style model and the parameters it has.

A LLaMA-style decoder (Llama 2 and 3, Mistral, Qwen2) is an embedding table, a stack of
identical layers (attention with query, key, value and output projections; a gated MLP with
gate, up and down projections; two RMSNorms) and an output layer. Its parameter count follows
from the numbers in the model's config.json, kept once in data/models.yaml.

Used by :mod:`calculators.lora_memory`, and written for any calculator that needs a model's
shape (weights to hold, key-value width per token): nothing here knows about LoRA or training
memory (:mod:`calculators._trainable`, :mod:`calculators._training_memory`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ._data import figure_value
from ._inputs import InputError

__all__ = [
    "ARCH_FIELDS",
    "MODELS",
    "TARGETS",
    "Architecture",
    "architecture",
    "linear_parameters",
    "model_architecture",
    "model_presets",
    "projection_shapes",
    "total_parameters",
]

# The models of data/models.yaml offered as presets, in the order a page lists them (a unit test
# keeps the two equal).
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
# The seven linear layers of a LLaMA-style block, by their short names (PEFT: q_proj ... down_proj).
TARGETS = ("q", "k", "v", "o", "gate", "up", "down")
# Each Architecture attribute with its public name: the input's name and the key in
# data/models.yaml.
ARCH_FIELDS = (
    ("hidden_size", "hidden-size"),
    ("intermediate_size", "intermediate-size"),
    ("layers", "layers"),
    ("heads", "heads"),
    ("kv_heads", "kv-heads"),
    ("vocab_size", "vocab-size"),
    ("tied_embeddings", "tied-embeddings"),
    ("attention_bias", "attention-bias"),
)


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


# ---------------------------------------------------------------------------------------------
# Reading the model table, and checking a typed architecture


def model_architecture(data: Mapping[str, Any], name: str) -> tuple[Architecture, str]:
    """The architecture of model ``name`` in data/models.yaml, and its display name.

    Examples
    --------
    >>> from pathlib import Path
    >>> from calculators._data import load_tree
    >>> data = load_tree(Path(__file__).resolve().parent.parent / "data")
    >>> arch, name = model_architecture(data, "llama-3-8b")
    >>> name, arch.kv_dim
    ('Llama 3 8B', 1024)
    """
    entry = data["models"][name]

    def value(field: str) -> Any:
        return figure_value(data, f"models.{name}.{field}")

    arch = Architecture(*(value(public) for _, public in ARCH_FIELDS))
    return arch, entry.get("name", name)


def model_presets(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """One preset per model of :data:`MODELS` found in data/models.yaml: its name and its
    whole architecture, with the source and date of its config.json.

    Examples
    --------
    >>> from pathlib import Path
    >>> from calculators._data import load_tree
    >>> data = load_tree(Path(__file__).resolve().parent.parent / "data")
    >>> model_presets(data)["llama-2-7b"]["values"]["kv-heads"]
    '32'
    """
    table = data.get("models", {})
    out = {}
    for name in MODELS:
        if not all(public in table.get(name, {}) for _, public in ARCH_FIELDS):
            continue
        arch, label = model_architecture(data, name)
        first = table[name][ARCH_FIELDS[0][1]]
        values = {"model": name}
        for attr, public in ARCH_FIELDS:
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


def architecture(inputs: Any, data: Mapping[str, Any]) -> tuple[Architecture, str]:
    """The architecture to count, and its name; InputError naming the field that is wrong.

    ``inputs`` is any calculator's inputs with a ``model`` (a name in data/models.yaml or
    ``custom``) and the attributes of :data:`ARCH_FIELDS`. A named model takes its architecture from data/models.yaml, and the architecture inputs
    must agree with it (the page's presets fill them in), so a typed value is never silently
    ignored. ``custom`` takes the inputs as typed and checks that heads divide evenly.
    """
    typed = Architecture(*(getattr(inputs, attr) for attr, _ in ARCH_FIELDS))
    if inputs.model != "custom":
        arch, name = model_architecture(data, inputs.model)
        for attr, public in ARCH_FIELDS:
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


# ---------------------------------------------------------------------------------------------
# Counting parameters


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
