"""Memory estimates against what a paper measured, not only against our own formula."""

from __future__ import annotations

import pytest

from calculators._api import run

# LLaMA 65B as the QLoRA paper fine-tuned it: the architecture of Touvron et al. 2023, LLaMA:
# Open and Efficient Foundation Language Models (arXiv 2302.13971), Table 2 (dimension 8,192,
# 64 heads, 80 layers) with the 22,016-wide feed-forward layer and 32,000-token vocabulary of
# its released configuration; LoRA r=64 on every linear layer, batch 1, 512 tokens (the
# setting of the QLoRA paper's memory-footprint figure).
LLAMA_65B = {
    "model": "custom",
    "hidden-size": "8192",
    "intermediate-size": "22016",
    "layers": "80",
    "heads": "64",
    "kv-heads": "64",
    "vocab-size": "32000",
    "tied-embeddings": "false",
    "attention-bias": "false",
    "rank": "64",
    "targets": "all-linear",
    "batch-size": "1",
    "sequence-length": "512",
    "gradient-checkpointing": "true",
}


def memory(data, method: str) -> dict:
    out = run("lora-memory", {**LLAMA_65B, "method": method}, data, source="cli")
    assert out["ok"], out
    return out["values"]


def test_llama_65b_has_its_published_size(data):
    # LLaMA's paper names it 65B; its released weights hold 65.2 billion parameters.
    assert memory(data, "qlora")["total_params"] == pytest.approx(65.2e9, rel=0.005)


def test_qlora_fits_65b_on_one_48_gb_gpu_as_the_paper_measured(data):
    """Dettmers et al. 2023, QLoRA: Efficient Finetuning of Quantized LLMs (arXiv 2305.14314,
    https://arxiv.org/abs/2305.14314), abstract and introduction: QLoRA "reduces the average
    memory requirements of finetuning a 65B parameter model from >780GB of GPU memory to
    <48GB", i.e. it fits a single 48 GB GPU.

    Our estimate is 48.1 GB: within 1% of the measured bound, just over it. The difference is
    our stated assumption (data/memory.yaml: LoRA weights in float32 with Adam); the paper
    also pages optimizer state to CPU memory during spikes. Not confirmed here: whether the
    paper's own code keeps the adapters in bfloat16 (which would give about 45 GB). The
    tolerance is 10% of the measured 48 GB."""
    total = memory(data, "qlora")["memory_gb"]["total"]
    assert total == pytest.approx(48.0, rel=0.10)


def test_full_16_bit_finetuning_of_65b_needs_more_than_780_gb(data):
    # The same sentence of the QLoRA paper: ">780GB" for regular 16-bit finetuning of 65B.
    # Mixed-precision Adam keeps 16 bytes per parameter (ZeRO, arXiv 1910.02054, section 3.1):
    # 16 × 65.3e9 = 1,045 GB.
    total = memory(data, "full")["memory_gb"]["total"]
    assert total > 780
    assert total == pytest.approx(16 * memory(data, "full")["total_params"] / 1e9, rel=0.01)
