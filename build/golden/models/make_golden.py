"""Generate golden model directories + expected logits for the Microsoft.ML.Kto C# tests.

Usage (from the repository root):

    /usr/bin/python3 build/golden/models/make_golden.py [--out test/Microsoft.ML.Kto.Tests/data/models]

Needs only PyTorch (no transformers / safetensors packages).  Deterministic: every case is
seeded from a fixed per-case seed; computation is float32 on CPU with one thread.
See test/Microsoft.ML.Kto.Tests/data/models/README.md for the file formats and conventions.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_model import (  # noqa: E402
    Decoder, DecoderConfig, compute_inv_freq, load_model_dir, position_ids_from_mask,
    save_model_dir, save_safetensors,
)

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_OUT = os.path.join(REPO_ROOT, "test", "Microsoft.ML.Kto.Tests", "data", "models")
TRANSFORMERS_VERSION = "4.51.3"

# Batch layout shared by all cases: T = 10 columns.
SEQ_LEN = 10
ROW_LENGTHS = [10, 7, 6]          # number of real tokens per row
ROW_PADDING = ["none", "right", "left"]
MAX_NEW_TOKENS = 8
GREEDY_PROMPT_LENGTHS = [5, 3]
TOL = 1e-5

WEIGHT_STD = 0.1                  # = 0.02 * 5 (initializer_range 0.02, k = 5)
NORM_NOISE = 0.1                  # norm weights ~ 1 + N(0, 0.1)
BIAS_STD = 0.1


# ----------------------------------------------------------------------------------------------
# Case definitions: config.json dicts exactly as transformers' save_pretrained writes them
# (keys sorted on output).
# ----------------------------------------------------------------------------------------------

def llama_config(**over) -> Dict[str, Any]:
    d = {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "head_dim": 16,
        "hidden_act": "silu",
        "hidden_size": 64,
        "initializer_range": 0.02,
        "intermediate_size": 96,
        "max_position_embeddings": 128,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 4,
        "num_hidden_layers": 2,
        "num_key_value_heads": 2,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": TRANSFORMERS_VERSION,
        "use_cache": True,
        "vocab_size": 160,
    }
    d.update(over)
    return d


def mistral_config(**over) -> Dict[str, Any]:
    d = {
        "architectures": ["MistralForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "head_dim": 16,
        "hidden_act": "silu",
        "hidden_size": 64,
        "initializer_range": 0.02,
        "intermediate_size": 96,
        "max_position_embeddings": 256,
        "model_type": "mistral",
        "num_attention_heads": 4,
        "num_hidden_layers": 2,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-05,
        "rope_theta": 1000000.0,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": TRANSFORMERS_VERSION,
        "use_cache": True,
        "vocab_size": 160,
    }
    d.update(over)
    return d


def qwen2_config(**over) -> Dict[str, Any]:
    d = {
        "architectures": ["Qwen2ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 150,
        "eos_token_id": 151,
        "hidden_act": "silu",
        "hidden_size": 64,
        "initializer_range": 0.02,
        "intermediate_size": 96,
        "max_position_embeddings": 256,
        "max_window_layers": 2,
        "model_type": "qwen2",
        "num_attention_heads": 4,
        "num_hidden_layers": 2,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 1000000.0,
        "sliding_window": 4096,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "transformers_version": TRANSFORMERS_VERSION,
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": 152,
    }
    d.update(over)
    return d


def qwen3_config(**over) -> Dict[str, Any]:
    d = {
        "architectures": ["Qwen3ForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 170,
        "eos_token_id": 171,
        "head_dim": 24,
        "hidden_act": "silu",
        "hidden_size": 64,
        "initializer_range": 0.02,
        "intermediate_size": 96,
        "max_position_embeddings": 512,
        "max_window_layers": 2,
        "model_type": "qwen3",
        "num_attention_heads": 4,
        "num_hidden_layers": 2,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 1000000.0,
        "sliding_window": None,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "transformers_version": TRANSFORMERS_VERSION,
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": 176,
    }
    d.update(over)
    return d


CASES: List[Dict[str, Any]] = [
    {"name": "llama", "seed": 1001,
     "config": llama_config(pad_token_id=0),
     "note": "Llama, GQA 4 heads / 2 kv heads, head_dim 16, untied lm_head, no rope scaling, pad_token_id 0."},
    {"name": "llama3_rope", "seed": 1002,
     "config": llama_config(
         attention_bias=True, bos_token_id=128, eos_token_id=[129, 130], max_position_embeddings=512,
         rope_theta=500000.0, vocab_size=200,
         rope_scaling={"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                       "original_max_position_embeddings": 64, "rope_type": "llama3"}),
     "note": "Llama with llama3 rope scaling (factor 8, low 1, high 4, original 64; theta 5e5, head_dim 16: "
             "rotary pair 0 unchanged, pair 1 smoothed, pairs 2..7 divided by 8) and attention_bias=true "
             "(q/k/v/o biases, as in HF LlamaAttention). eos_token_id is a list."},
    {"name": "qwen2", "seed": 1003,
     "config": qwen2_config(),
     "note": "Qwen2: q/k/v biases (no o bias), tied embeddings, sliding_window present but use_sliding_window=false."},
    {"name": "qwen3", "seed": 1004,
     "config": qwen3_config(),
     "note": "Qwen3: q_norm/k_norm over head_dim before RoPE, head_dim 24 != hidden/heads (16), "
             "q_proj 64->96, o_proj 96->64, tied embeddings."},
    {"name": "mistral", "seed": 1005,
     "config": mistral_config(),
     "note": "Mistral: like Llama (no biases), untied, sliding_window null, rope_theta 1e6."},
    {"name": "qwen2_bf16", "seed": 1006,
     "config": qwen2_config(torch_dtype="bfloat16"),
     "note": "Qwen2 stored in bfloat16: model.safetensors holds BF16 weights; the expected logits are computed "
             "in float32 after casting the BF16 weights to float32 (exactly representable)."},
]


# ----------------------------------------------------------------------------------------------

def random_init_(model: Decoder, gen: torch.Generator) -> None:
    """Every parameter random and non-trivial: weights N(0, WEIGHT_STD), norms 1 + N(0, NORM_NOISE),
    biases N(0, BIAS_STD)."""
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            noise = torch.randn(p.shape, generator=gen, dtype=torch.float32)
            if name.endswith("norm.weight"):
                p.copy_(1.0 + NORM_NOISE * noise)
            elif name.endswith(".bias"):
                p.copy_(BIAS_STD * noise)
            else:
                p.copy_(WEIGHT_STD * noise)


def make_batch(vocab: int, gen: torch.Generator, pad_id: int):
    b = len(ROW_LENGTHS)
    ids = torch.full((b, SEQ_LEN), pad_id, dtype=torch.int64)
    mask = torch.zeros((b, SEQ_LEN), dtype=torch.int64)
    rows = []
    for r, (n, side) in enumerate(zip(ROW_LENGTHS, ROW_PADDING)):
        toks = torch.randint(3, vocab, (n,), generator=gen, dtype=torch.int64)
        rows.append(toks)
        if side in ("none", "right"):
            ids[r, :n] = toks
            mask[r, :n] = 1
        else:
            ids[r, SEQ_LEN - n:] = toks
            mask[r, SEQ_LEN - n:] = 1
    return ids, mask, rows


def real_slice(r: int) -> slice:
    n = ROW_LENGTHS[r]
    return slice(SEQ_LEN - n, SEQ_LEN) if ROW_PADDING[r] == "left" else slice(0, n)


@torch.no_grad()
def greedy(model: Decoder, prompt: List[int], eos_ids: List[int], max_new: int):
    """KV-cache-free greedy decoding: recompute the full sequence each step (no padding,
    position ids 0..n-1).  Stops after emitting an eos id (the eos id is included)."""
    seq = list(prompt)
    out: List[int] = []
    margins: List[float] = []
    for _ in range(max_new):
        ids = torch.tensor([seq], dtype=torch.int64)
        logits = model(ids, torch.ones_like(ids))[0, -1]
        top2 = torch.topk(logits, 2)
        margins.append(float(top2.values[0] - top2.values[1]))
        nxt = int(torch.argmax(logits))
        out.append(nxt)
        seq.append(nxt)
        if nxt in eos_ids:
            break
    return out, margins


@torch.no_grad()
def run_case(case: Dict[str, Any], out_root: str) -> Dict[str, float]:
    name = case["name"]
    seed = case["seed"]
    cfg_dict = case["config"]
    config = DecoderConfig.from_dict(cfg_dict)
    gen = torch.Generator().manual_seed(seed)

    model = Decoder(config)
    random_init_(model, gen)
    case_dir = os.path.join(out_root, name)
    save_model_dir(model, case_dir)             # weights stored in config torch_dtype

    # Golden values are computed from the model re-loaded from disk, in float32.
    model = load_model_dir(case_dir, torch.float32)
    stats: Dict[str, float] = {}

    pad_id = cfg_dict.get("pad_token_id") or 0
    ids, mask, rows = make_batch(config.vocab_size, gen, pad_id)
    pos = position_ids_from_mask(mask)
    logits = model(ids, mask, pos)
    assert logits.dtype == torch.float32 and torch.isfinite(logits).all()

    expected = {"input_ids": ids, "attention_mask": mask, "position_ids": pos, "logits": logits.contiguous()}
    max_diff = 0.0
    for r, toks in enumerate(rows):
        single_ids = toks[None, :]
        single = model(single_ids, torch.ones_like(single_ids))
        # default position ids (no mask) must agree with the mask convention on unpadded rows
        assert torch.equal(single, model(single_ids))
        expected[f"single_input_ids_{r}"] = single_ids.contiguous()
        expected[f"single_logits_{r}"] = single.contiguous()
        d = (logits[r, real_slice(r)] - single[0]).abs().max().item()
        assert d <= TOL, f"{name}: padded row {r} differs from single-row run by {d}"
        max_diff = max(max_diff, d)
    stats["pad_vs_single_max_abs_diff"] = max_diff

    # causality check: logits at position t depend only on tokens <= t
    full = rows[0][None, :]
    full_logits = model(full)
    cmax = 0.0
    for t in (0, 3, 6):
        pre = model(full[:, :t + 1])
        cmax = max(cmax, (pre[0, -1] - full_logits[0, t]).abs().max().item())
    assert cmax <= TOL, f"{name}: causal prefix mismatch {cmax}"
    stats["causal_prefix_max_abs_diff"] = cmax

    # The right-padded row must also match with HF's plain-forward arange position ids.
    ar = torch.arange(SEQ_LEN)[None, :].expand_as(ids)
    logits_ar = model(ids, mask, ar)
    stats["right_pad_arange_vs_cumsum_max_abs_diff"] = (logits_ar[1, real_slice(1)] -
                                                        logits[1, real_slice(1)]).abs().max().item()
    assert stats["right_pad_arange_vs_cumsum_max_abs_diff"] <= TOL
    # For the left-padded row arange positions shift every real token by the pad count; RoPE scores depend
    # only on relative positions, so this agrees up to float rounding (recorded, not asserted).
    stats["left_pad_arange_vs_cumsum_max_abs_diff"] = (logits_ar[2, real_slice(2)] -
                                                       logits[2, real_slice(2)]).abs().max().item()

    if config.rope_scaling is not None:
        # make sure the rope scaling is exercised: compare against the same model without scaling
        inv_scaled = model.model.rotary_emb.inv_freq.clone()
        unscaled_cfg = DecoderConfig.from_dict({**cfg_dict, "rope_scaling": None})
        inv_plain = compute_inv_freq(unscaled_cfg)
        model.model.rotary_emb.inv_freq = inv_plain
        plain = model(ids, mask, pos)
        model.model.rotary_emb.inv_freq = inv_scaled
        stats["rope_scaling_effect_max_abs_logit_change"] = (plain - logits).abs().max().item()
        stats["rope_pairs_changed"] = int((inv_scaled != inv_plain).sum())
        assert stats["rope_scaling_effect_max_abs_logit_change"] > 1e-2

    save_safetensors(expected, os.path.join(case_dir, "expected.safetensors"), {"format": "pt"})

    # Greedy generation.
    eos = config.eos_token_ids
    prompts = [torch.randint(3, config.vocab_size, (n,), generator=gen, dtype=torch.int64).tolist()
               for n in GREEDY_PROMPT_LENGTHS]
    entries = []
    min_margin = float("inf")
    for p in prompts:
        toks, margins = greedy(model, p, eos, MAX_NEW_TOKENS)
        entries.append({"prompt": p, "eos_token_ids": eos, "max_new_tokens": MAX_NEW_TOKENS,
                        "generated": toks, "stopped_at_eos": bool(toks and toks[-1] in eos),
                        "min_top2_logit_margin": min(margins)})
        min_margin = min(min_margin, min(margins))
    # An extra entry that exercises early stopping: eos := the 4th token generated for prompt 0.
    base = entries[0]["generated"]
    if len(base) >= 4:
        custom = [base[3]]
        toks, margins = greedy(model, prompts[0], custom, MAX_NEW_TOKENS)
        assert toks == base[:len(toks)] and toks[-1] == custom[0] and len(toks) <= 4
        entries.append({"prompt": prompts[0], "eos_token_ids": custom, "max_new_tokens": MAX_NEW_TOKENS,
                        "generated": toks, "stopped_at_eos": True, "min_top2_logit_margin": min(margins)})
    stats["greedy_min_top2_margin"] = min_margin
    greedy_doc = {
        "description": "Greedy decoding (argmax, first index on ties) of up to max_new_tokens tokens, recomputing "
                       "the full unpadded sequence each step (no KV cache), position ids 0..n-1, float32. "
                       "Generation stops right after a token in eos_token_ids is produced (that token is included "
                       "in 'generated'). 'generated' excludes the prompt.",
        "model": name,
        "entries": entries,
    }
    with open(os.path.join(case_dir, "greedy.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(greedy_doc, f, indent=2)
        f.write("\n")
    return stats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    os.makedirs(args.out, exist_ok=True)
    worst = 0.0
    for case in CASES:
        stats = run_case(case, args.out)
        worst = max(worst, stats["pad_vs_single_max_abs_diff"])
        print(f"{case['name']:12s} " + " ".join(f"{k}={v:.3g}" for k, v in stats.items()))
    print(f"OK: padded-vs-single max abs diff over all cases = {worst:.3g} (tolerance {TOL})")


if __name__ == "__main__":
    main()
