"""LoRA memory: PEFT's parameter counts to the parameter, memory arithmetic, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import InputError, get
from calculators import lora_memory as lm
from calculators._api import presets, run, scenario_values
from calculators._data import figure_value, load_tree
from calculators.lora_memory import (
    METHODS,
    MODELS,
    TARGETS,
    Architecture,
    Inputs,
    compute,
    lora_parameters,
    parse_targets,
    total_parameters,
)
from tests.answers import field_error

DATA = load_tree(Path(__file__).resolve().parents[2] / "data")
CALC = get("lora-memory")

# Published architectures (config.json on Hugging Face; the same numbers as data/models.yaml).
LLAMA2_7B = Architecture(4096, 11008, 32, 32, 32, 32000)
LLAMA3_8B = Architecture(4096, 14336, 32, 32, 8, 128256)
ALL = ("q", "k", "v", "o", "gate", "up", "down")


def model_inputs(name: str, **more) -> Inputs:
    """Inputs for a preset model, the rest from the calculator's defaults."""
    raw = {**presets(CALC, DATA)[name]["values"]}
    values = {
        "method": "lora",
        "rank": 16,
        "targets": "q,k,v,o,gate,up,down",
        "batch_size": 1,
        "sequence_length": 2048,
        "model": name,
    }
    for attr, public in lm._ARCH_FIELDS:
        text = raw[public]
        values[attr] = text == "true" if text in ("true", "false") else int(text)
    return Inputs(**{**values, **more})


class TestTotalParameters:
    @pytest.mark.parametrize(
        ("model", "expected"),
        [
            # Each model's parameter count on its Hugging Face page (safetensors metadata),
            # which is also what model.num_parameters() returns.
            ("llama-2-7b", 6_738_415_616),
            ("llama-3-8b", 8_030_261_248),
            ("llama-3-1-8b", 8_030_261_248),
            ("llama-3-2-1b", 1_235_814_400),  # tied embeddings: the output layer is not extra
            ("llama-3-2-3b", 3_212_749_824),
            ("mistral-7b-v0-1", 7_241_732_096),
            ("llama-3-1-70b", 70_553_706_496),
            ("llama-3-70b", 70_553_706_496),
            ("qwen-2-5-7b", 7_615_616_512),  # includes the q, k, v biases (4,608 per layer)
        ],
    )
    def test_published_counts(self, model, expected):
        assert compute(model_inputs(model), DATA)["total_params"] == expected

    def test_qwen_biases_are_4608_per_layer(self):
        # 3,584 (q) + 512 (k) + 512 (v) bias values per layer, 28 layers.
        with_bias = Architecture(3584, 18944, 28, 28, 4, 152064, attention_bias=True)
        without = Architecture(3584, 18944, 28, 28, 4, 152064)
        assert total_parameters(with_bias) - total_parameters(without) == 4608 * 28

    def test_tying_removes_one_vocabulary_matrix(self):
        tied = Architecture(4096, 14336, 32, 32, 8, 128256, tied_embeddings=True)
        assert total_parameters(LLAMA3_8B) - total_parameters(tied) == 128256 * 4096


class TestPeftCounts:
    """Trainable parameters as Hugging Face PEFT's print_trainable_parameters() prints them."""

    def test_llama2_7b_r8_q_v(self):
        # PEFT prints for Llama 2 7B, LoraConfig(r=8, target_modules=["q_proj", "v_proj"]):
        # "trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.0622"
        r = compute(model_inputs("llama-2-7b", rank=8, targets="q,v"), DATA)
        assert r["trainable_params"] == 4_194_304
        assert r["peft_all_params"] == 6_742_609_920
        assert f"{r['trainable_percent']:.4f}" == "0.0622"

    def test_llama3_8b_r8_q_v_under_gqa(self):
        # q: 8 × (4,096 + 4,096) = 65,536; v: 8 × (4,096 + 1,024) = 40,960 (8 KV heads × 128);
        # × 32 layers = 3,407,872, what PEFT prints for Llama 3 8B with r=8 on q_proj, v_proj.
        r = compute(model_inputs("llama-3-8b", rank=8, targets="q_proj,v_proj"), DATA)
        assert r["trainable_params"] == 3_407_872
        assert r["trainable_by_target"] == {"q": 65_536 * 32, "v": 40_960 * 32}
        assert r["peft_all_params"] == 8_030_261_248 + 3_407_872

    def test_llama3_8b_r16_all_linear(self):
        # Per layer 16 × (2 × 8,192 + 2 × 5,120 + 3 × 18,432) = 1,310,720; × 32 = 41,943,040.
        # PEFT prints "trainable params: 41,943,040 || all params: 8,072,204,288 ||
        # trainable%: 0.5196" in Llama 3 8B LoRA notebooks with r=16 on all seven projections.
        r = compute(model_inputs("llama-3-8b"), DATA)
        assert r["trainable_params"] == 41_943_040
        assert r["peft_all_params"] == 8_072_204_288
        assert f"{r['trainable_percent']:.4f}" == "0.5196"

    def test_mistral_has_llama3_shapes_so_the_same_adapters(self):
        # Same hidden, MLP, heads and KV heads as Llama 3 8B; only the vocabulary differs.
        r = compute(model_inputs("mistral-7b-v0-1"), DATA)
        assert r["trainable_params"] == 41_943_040

    def test_qlora_counts_like_lora(self):
        # PEFT >= 0.5.0 counts a packed 4-bit weight as two parameters, so QLoRA prints the
        # same numbers as LoRA (huggingface/peft pull request 733).
        lora = compute(model_inputs("llama-3-8b"), DATA)
        qlora = compute(model_inputs("llama-3-8b", method="qlora"), DATA)
        for key in ("total_params", "trainable_params", "peft_all_params", "trainable_percent"):
            assert qlora[key] == lora[key]

    def test_qlora_all_params_as_peft_0_4_printed_them(self):
        # Llama 2 QLoRA notebooks of 2023 (PEFT 0.4, before pull request 733) printed
        # "trainable params: 4194304 || all params: 3504607232" for r=8 on q_proj, v_proj:
        # the 6,476,005,376 projection weights counted at half.
        r = compute(model_inputs("llama-2-7b", method="qlora", rank=8, targets="q,v"), DATA)
        assert r["peft_all_params_before_0_5"] == 3_504_607_232
        assert compute(model_inputs("llama-2-7b"), DATA)["peft_all_params_before_0_5"] is None

    def test_trainable_percent_is_peft_definition(self):
        r = compute(model_inputs("llama-2-7b", rank=8, targets="q,v"), DATA)
        assert r["trainable_percent"] == pytest.approx(
            100 * 4_194_304 / (6_738_415_616 + 4_194_304)
        )

    def test_full_fine_tuning_trains_everything(self):
        r = compute(model_inputs("llama-3-8b", method="full"), DATA)
        assert r["trainable_params"] == r["total_params"] == 8_030_261_248
        assert r["trainable_percent"] == 100.0 and r["trainable_by_target"] == {}

    def test_lora_formula_per_layer(self):
        # r × (d_in + d_out) per adapted matrix (LoRA paper, section 4.1), k and v narrow.
        assert lora_parameters(LLAMA3_8B, 1, ("k",)) == {"k": 32 * (4096 + 1024)}
        assert lora_parameters(LLAMA3_8B, 1, ("down",)) == {"down": 32 * (14336 + 4096)}


class TestMemory:
    def test_full_is_16_bytes_per_parameter_plus_activations(self):
        # ZeRO paper: 2 + 2 + 12 bytes per parameter with mixed-precision Adam.
        r = compute(model_inputs("llama-3-8b", method="full"), DATA)
        m = r["memory_gb"]
        assert m["weights"] == pytest.approx(2 * 8_030_261_248 / 1e9)
        assert m["optimizer"] == pytest.approx(12 * 8_030_261_248 / 1e9)
        assert m["total"] == pytest.approx(16 * 8_030_261_248 / 1e9 + m["activations"])

    def test_lora_components(self):
        # bf16 base (2 bytes) + fp32 adapters (4) ; gradients 4 and Adam 8 per adapter parameter.
        r = compute(model_inputs("llama-3-8b"), DATA)
        m, p = r["memory_gb"], 41_943_040
        assert m["weights"] == pytest.approx((2 * 8_030_261_248 + 4 * p) / 1e9)
        assert m["gradients"] == pytest.approx(4 * p / 1e9)
        assert m["optimizer"] == pytest.approx(8 * p / 1e9)

    def test_qlora_weights(self):
        # Projections at 4 + 0.127 bits (QLoRA paper); embeddings, lm_head, norms in bf16.
        linear = 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336)
        rest = 8_030_261_248 - linear
        r = compute(model_inputs("llama-3-8b", method="qlora"), DATA)
        expected = linear * 4.127 / 8 + 2 * rest + 4 * 41_943_040
        assert r["memory_gb"]["weights"] == pytest.approx(expected / 1e9)

    def test_activations_korthikanti_without_recomputation(self):
        # s·b·h·(34 + 5·a·s/h) per layer (Korthikanti et al. 2022) plus fp32 logits 4·s·b·v.
        r = compute(
            model_inputs(
                "llama-2-7b", batch_size=2, gradient_checkpointing=False, fused_attention=False
            ),
            DATA,
        )
        s, b, h, a, layers, v = 2048, 2, 4096, 32, 32, 32000
        expected = layers * s * b * h * (34 + 5 * a * s / h) + 4 * s * b * v
        assert r["memory_gb"]["activations"] == pytest.approx(expected / 1e9)

    def test_checkpointing_keeps_layer_inputs_and_one_layer(self):
        r = compute(model_inputs("llama-2-7b"), DATA)
        s, h = 2048, 4096
        expected = 2 * s * h * 32 + 34 * s * h + 4 * s * 32000
        assert r["memory_gb"]["activations"] == pytest.approx(expected / 1e9)

    def test_constants_equal_the_cited_figures(self):
        pairs = {
            "memory.full-fine-tuning.weights": lm.FULL_WEIGHT_BYTES,
            "memory.full-fine-tuning.gradients": lm.FULL_GRADIENT_BYTES,
            "memory.full-fine-tuning.optimizer": lm.FULL_OPTIMIZER_BYTES,
            "memory.lora.frozen-weights": lm.FROZEN_WEIGHT_BYTES,
            "memory.lora.adapter-weights": lm.ADAPTER_WEIGHT_BYTES,
            "memory.lora.adapter-gradients": lm.ADAPTER_GRADIENT_BYTES,
            "memory.lora.adapter-optimizer": lm.ADAPTER_OPTIMIZER_BYTES,
            "memory.qlora.nf4-bits": lm.NF4_BITS,
            "memory.qlora.quantization-constant-bits": lm.QUANT_CONSTANT_BITS,
            "memory.activations.per-layer-constant": lm.ACTIVATION_CONSTANT,
            "memory.activations.attention-score-coefficient": lm.ATTENTION_SCORE_COEFFICIENT,
            "memory.activations.checkpointed-per-layer": lm.CHECKPOINT_BYTES,
            "memory.activations.logits": lm.LOGIT_BYTES,
        }
        for key, constant in pairs.items():
            assert figure_value(DATA, key) == constant, key
        total = figure_value(DATA, "memory.full-fine-tuning.total")
        assert total == lm.FULL_WEIGHT_BYTES + lm.FULL_GRADIENT_BYTES + lm.FULL_OPTIMIZER_BYTES


class TestFits:
    def test_default_fits_a_24_gb_card_but_not_a_t4(self):
        r = compute(model_inputs("llama-3-8b"), DATA)
        assert "RTX 4090 (24 GB)" in r["fits"] and "T4 (16 GB)" not in r["fits"]
        assert r["fits_text"] == "RTX 4090 (24 GB) or larger"

    def test_qlora_8b_fits_a_t4(self):
        r = compute(model_inputs("llama-3-8b", method="qlora"), DATA)
        assert r["fits"][0] == "T4 (16 GB)"

    def test_70b_full_fits_no_single_gpu(self):
        # 70.55 billion parameters × 16 bytes ≈ 1.13 TB.
        values = scenario_values(CALC, DATA, "llama-3-70b-full")
        out = run("lora-memory", values, DATA)
        assert out["ok"] and out["values"]["fits"] == []
        assert out["values"]["memory_gb"]["total"] > 1100
        assert out["display"]["fits_text"].startswith("None")

    def test_order_does_not_depend_on_the_data_key_order(self):
        # The browser receives data/ as JSON with sorted keys; the list must not change.
        shuffled = {**DATA, "gpus": dict(reversed(list(DATA["gpus"].items())))}
        r = compute(model_inputs("llama-3-8b"), DATA)
        assert compute(model_inputs("llama-3-8b"), shuffled)["fits"] == r["fits"]

    def test_every_gpu_carries_its_source(self):
        gpus = compute(model_inputs("llama-3-8b"), DATA)["gpus"]
        assert [g["memory_gb"] for g in gpus] == sorted(g["memory_gb"] for g in gpus)
        assert {24, 40, 48, 80} <= {g["memory_gb"] for g in gpus}
        assert all(g["source"] and g["as_of"] for g in gpus)


class TestInputs:
    def test_targets_error_names_the_field(self):
        out = run("lora-memory", {"targets": "q,x"}, DATA)
        assert field_error(out) == {
            "ok": False,
            "field": "targets",
            "message": "targets: 'x' is not a layer name; use q, k, v, o, gate, up, down "
            "or all-linear",
        }

    def test_targets_accept_peft_names_spaces_and_all_linear(self):
        assert parse_targets(" Q_PROJ  v, v ") == ("q", "v")
        assert parse_targets("all-linear") == TARGETS

    def test_lora_needs_a_target_but_full_does_not(self):
        assert run("lora-memory", {"targets": ""}, DATA)["field"] == "targets"
        assert run("lora-memory", {"targets": "", "method": "full"}, DATA)["ok"]

    def test_rank_above_the_narrowest_layer_is_refused(self):
        # Llama 3 8B's k and v are 4,096 × 1,024: rank 1,024 is the most they can use.
        assert run("lora-memory", {"rank": "1024"}, DATA)["ok"]
        out = run("lora-memory", {"rank": "1025"}, DATA)
        assert out["field"] == "rank" and "1,024" in out["message"]
        assert run("lora-memory", {"rank": "4096", "targets": "q,o"}, DATA)["ok"]

    def test_naming_a_model_brings_its_architecture(self):
        # python -m calculators lora-memory --model llama-3-70b: the model's preset applies.
        out = run("lora-memory", {"model": "llama-3-70b"}, DATA)
        assert out["ok"] and out["values"]["model_name"] == "Llama 3 70B"
        assert out["values"] == run("lora-memory", {"preset": "llama-3-70b"}, DATA)["values"]

    def test_architecture_that_contradicts_the_model_is_an_error(self):
        out = run("lora-memory", {"model": "llama-3-70b", "hidden-size": "4096"}, DATA)
        assert out["field"] == "hidden-size"
        assert out["message"] == (
            "hidden-size: Llama 3 70B has 8,192 (got 4,096); leave it at the model's value, "
            "or set model to custom to count your own architecture"
        )

    def test_custom_architecture(self):
        out = run("lora-memory", {"model": "custom", "hidden-size": "5120"}, DATA)
        assert out["ok"] and out["values"]["model_name"] == "Custom model"
        assert "hidden size 5,120" in out["values"]["architecture"]
        bad_heads = run("lora-memory", {"model": "custom", "heads": "30"}, DATA)
        assert bad_heads["field"] == "heads"
        bad_kv = run("lora-memory", {"model": "custom", "kv-heads": "3"}, DATA)
        assert bad_kv["field"] == "kv-heads"

    def test_direct_construction_validates_targets(self):
        with pytest.raises(InputError, match=r"^targets: "):
            model_inputs("llama-3-8b", targets="q,,zz")


class TestData:
    def test_models_match_data(self):
        # MODELS is the Python copy of data/models.yaml's names (choices must exist at import).
        # Models that name their calculators count only where lora-memory is listed.
        offered = {
            k
            for k, v in DATA["models"].items()
            if "lora-memory" in v.get("calculators", ["lora-memory"])
        }
        assert offered == set(MODELS)
        assert tuple(presets(CALC, DATA)) == MODELS

    def test_every_preset_names_its_model(self):
        for name, preset in presets(CALC, DATA).items():
            assert preset["values"]["model"] == name

    @pytest.mark.parametrize(
        "name", ["llama-3-8b-lora-r16", "llama-3-8b-qlora", "llama-3-70b-full"]
    )
    def test_scenarios_the_guides_link_to(self, name):
        out = run("lora-memory", scenario_values(CALC, DATA, name), DATA)
        assert out["ok"], out

    def test_scenarios_match_their_titles(self):
        r16 = run("lora-memory", scenario_values(CALC, DATA, "llama-3-8b-lora-r16"), DATA)
        assert r16["values"]["trainable_params"] == 41_943_040
        qlora = run("lora-memory", scenario_values(CALC, DATA, "llama-3-8b-qlora"), DATA)
        assert qlora["values"]["method"] == "qlora"
        assert qlora["values"]["memory_total_gb"] < r16["values"]["memory_total_gb"]
        peft = run("lora-memory", scenario_values(CALC, DATA, "llama-2-7b-r8-qv"), DATA)
        assert peft["display"]["trainable_params"] == "4,194,304"

    def test_assumptions_are_reported(self):
        r = compute(model_inputs("llama-3-8b", method="qlora"), DATA)
        text = " ".join(r["assumptions"])
        assert "NF4" in text and "float32" in text and "checkpointing" in text


# ---------------------------------------------------------------------------------------------
# Properties

PRESET = st.sampled_from(MODELS)
TARGET_SETS = st.sets(st.sampled_from(ALL), min_size=1).map(lambda s: ",".join(sorted(s)))


def _limit(name: str, targets: str) -> int:
    arch = lm.architecture(model_inputs(name), DATA)[0]
    shapes = lm.projection_shapes(arch)
    return min(min(shapes[t]) for t in parse_targets(targets))


@settings(max_examples=300, deadline=None)
@given(PRESET, TARGET_SETS, st.integers(1, 4096), st.integers(1, 4096))
def test_higher_rank_never_fewer_trainable_parameters(name, targets, r1, r2):
    limit = _limit(name, targets)
    low, high = sorted((min(r1, limit), min(r2, limit)))
    a = compute(model_inputs(name, rank=low, targets=targets), DATA)["trainable_params"]
    b = compute(model_inputs(name, rank=high, targets=targets), DATA)["trainable_params"]
    assert a <= b


@settings(max_examples=300, deadline=None)
@given(PRESET, st.sets(st.sampled_from(ALL), min_size=1), st.sets(st.sampled_from(ALL)))
def test_more_targets_never_fewer_trainable_parameters(name, some, extra):
    fewer = ",".join(sorted(some))
    more = ",".join(sorted(some | extra))
    a = compute(model_inputs(name, rank=8, targets=fewer), DATA)["trainable_params"]
    b = compute(model_inputs(name, rank=8, targets=more), DATA)["trainable_params"]
    assert a <= b


@settings(max_examples=300, deadline=None)
@given(
    PRESET,
    TARGET_SETS,
    st.integers(1, 4096),
    st.integers(1, 64),
    st.integers(1, 32_768),
    st.booleans(),
    st.booleans(),
)
def test_qlora_needs_no_more_than_lora_and_lora_no_more_than_full(
    name, targets, rank, batch, seq, checkpointing, fused
):
    # For real architectures at ranks up to a quarter of the narrowest adapted layer (1,024 for
    # a 4,096-wide one: beyond anything used in practice). Then each adapter has at most half
    # the parameters of its layer, so LoRA's 2N + 16P bytes stay under full fine-tuning's 16N.
    # Near the input's own limit (rank = the layer's width) the adapters outnumber the
    # weights they adapt and LoRA can need more memory than full fine-tuning: true, not a bug.
    rank = max(1, min(rank, _limit(name, targets) // 4))
    totals = {
        m: compute(
            model_inputs(
                name,
                method=m,
                rank=rank,
                targets=targets,
                batch_size=batch,
                sequence_length=seq,
                gradient_checkpointing=checkpointing,
                fused_attention=fused,
            ),
            DATA,
        )["memory_gb"]["total"]
        for m in METHODS
    }
    assert totals["qlora"] <= totals["lora"] <= totals["full"]
