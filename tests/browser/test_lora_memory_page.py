"""The LoRA memory page in a real browser: first paint, live recompute, presets, field errors."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .pages import CalculatorPage, chart, no_javascript

SLUG = "lora-memory"
PATH = f"calculators/{SLUG}/"


def test_defaults_are_in_the_html_without_javascript(browser, base_url):
    # Llama 3 8B, LoRA r=16 on all seven projections: 16 × (2 × 8,192 + 2 × 5,120 + 3 × 18,432)
    # × 32 layers = 41,943,040, what PEFT prints; the base model has 8,030,261,248 parameters.
    with no_javascript(browser, base_url + PATH) as page:
        calc = page.locator(".tob-calc")
        expect(calc.locator("output[data-output='total_params']")).to_have_text("8,030,261,248")
        expect(calc.locator("output[data-output='trainable_params']")).to_have_text("41,943,040")
        expect(calc.locator("output[data-output='trainable_percent']")).to_have_text("0.52%")
        # Hand calculation (assumptions cited in data/memory.yaml): bf16 base weights
        # 8,030,261,248 × 2 B = 16.061 GB; adapters 41,943,040 × (4 B float32 weights + 4 B
        # gradients + 8 B Adam moments) = 0.671 GB; activations with checkpointing and fused
        # attention (Korthikanti et al. 2022): 32 layer inputs 2 × 2,048 × 4,096 × 32 = 0.537 GB,
        # one layer recomputed 34 × 2,048 × 4,096 = 0.285 GB, float32 logits 4 × 2,048 × 128,256
        # = 1.051 GB. Total 16.061 + 0.671 + 1.873 = 18.604 GB.
        expect(calc.locator("output[data-output='memory_total_gb']")).to_have_text("18.6 GB")
        expect(calc.locator("output[data-output='fits_text']")).to_have_text(
            "RTX 4090 (24 GB) or larger"
        )
        expect(calc.locator("input[name='rank']")).to_have_value("16")
        expect(calc.locator("input[name='targets']")).to_have_value("q,k,v,o,gate,up,down")
        expect(chart(calc)).to_have_count(1)


def test_changing_the_rank_recomputes_in_python(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("LoRA rank").fill("8")
    # Half the rank, half the adapters: 41,943,040 / 2.
    expect(p.output("trainable_params")).to_have_text("20,971,520")
    expect(p.output("total_params")).to_have_text("8,030,261,248")
    expect(page).to_have_url(re.compile(r"rank=8"))


def test_an_unknown_target_is_a_field_error(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("LoRA target layers").fill("q,x")
    alert = p.error_of("targets")
    expect(alert).to_have_text(
        "targets: 'x' is not a layer name; use q, k, v, o, gate, up, down or all-linear"
    )
    expect(p.field("LoRA target layers")).to_have_attribute("aria-invalid", "true")
    p.field("LoRA target layers").fill("q,v")
    expect(alert).to_have_text("")
    # r=16 on q and v of Llama 3 8B: 32 × 16 × (8,192 + 5,120) = 6,815,744.
    expect(p.output("trainable_params")).to_have_text("6,815,744")


def test_a_preset_fills_in_the_architecture(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.preset().select_option("llama-2-7b")
    expect(p.calc.locator("[name='hidden-size']")).to_have_value("4096")
    expect(p.calc.locator("[name='kv-heads']")).to_have_value("32")
    expect(p.calc.locator("[name='model']")).to_have_value("llama-2-7b")
    # Llama 2 7B's published parameter count.
    expect(p.output("total_params")).to_have_text("6,738,415,616")
    expect(p.output("model_name")).to_have_text("Llama 2 7B")


def test_qlora_shrinks_the_weights(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Fine-tuning method").select_option("qlora")
    # Hand calculation: projections 8,030,261,248 − 2 × 128,256 × 4,096 (embeddings, output
    # layer) − 4,096 × 65 (norms) = 6,979,321,856 parameters at 4 + 0.127 bits (QLoRA paper,
    # arXiv 2305.14314, section 3: NF4 plus double-quantized constants) = 3.600 GB; embeddings,
    # output layer and norms in bf16 = 2.102 GB; float32 adapters 0.168 GB: 5.870 GB of weights.
    # Plus gradients 0.168, Adam 0.336 and activations 1.873 GB (as for LoRA): 8.247 GB.
    expect(p.output("memory_total_gb")).to_have_text("8.2 GB")
    expect(p.output("fits_text")).to_have_text("T4 (16 GB) or larger")


def test_choosing_a_model_fills_in_its_architecture(page: Page, base_url):
    p = CalculatorPage(page, base_url, SLUG).open()
    p.wait_live()
    p.field("Model").select_option("llama-3-70b")
    expect(p.field("Hidden size")).to_have_value("8192")
    expect(p.field("Layers")).to_have_value("80")
    expect(p.output("model_name")).to_have_text("Llama 3 70B")
    expect(p.output("total_params")).to_have_text("70,553,706,496")
    # Typing an architecture that contradicts the model says how to fix it.
    p.field("Hidden size").fill("4096")
    expect(p.error_of("hidden-size")).to_have_text(
        re.compile(r"^hidden-size: Llama 3 70B has 8,192 \(got 4,096\); leave it at the model's")
    )
    p.field("Model").select_option("custom")
    expect(p.error_of("hidden-size")).to_have_text("")
    expect(p.output("model_name")).to_have_text("Custom model")
