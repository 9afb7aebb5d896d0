"""Generate golden PEFT LoRA adapters + expected logits for the Microsoft.ML.Kto C# tests.

Usage (from the repository root, after make_golden.py has written the base models):

    /usr/bin/python3 build/golden/models/make_lora_golden.py [--out test/Microsoft.ML.Kto.Tests/data/lora]

Needs only PyTorch (no peft / transformers / safetensors packages). For each case it writes an adapter directory
exactly as PEFT's `save_pretrained` lays one out for a LoRA adapter -- `adapter_config.json` with PEFT's field set
(sorted keys, indent 2) and `adapter_model.safetensors` with the keys of PEFT's `get_peft_model_state_dict`
(`base_model.model.<module>.lora_A.weight` / `.lora_B.weight`, modules_to_save as `base_model.model.<module>.weight`)
-- with random A and *non-zero* random B, and `expected.safetensors` holding the logits of the base model with the
adapter applied the way PEFT's LoRA math defines it:

  * every targeted Linear: W' = W + scaling * B @ A, scaling = lora_alpha / r, or lora_alpha / sqrt(r) with use_rslora
    (merged form, computed in float64); cross-checked against the unmerged form y = x W^T + b + scaling * (x A^T) B^T;
  * every module in modules_to_save is replaced by its saved copy; for a model with tied embeddings, a copy of
    embed_tokens replaces only the input embeddings (PEFT's ModulesToSaveWrapper wraps the embedding module while the
    output head keeps the original tied parameter).

Deterministic: seeded per case, float32 on CPU with one thread.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import sys
from typing import Any, Dict, List

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_model import Decoder, load_model_dir, load_safetensors, save_safetensors  # noqa: E402

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA = os.path.join(REPO_ROOT, "test", "Microsoft.ML.Kto.Tests", "data")
DEFAULT_OUT = os.path.join(DATA, "lora")
B_STD = 0.1             # lora_B ~ N(0, B_STD): non-zero, so the adapter changes the logits
COPY_NOISE = 0.1        # modules_to_save copies = original + N(0, COPY_NOISE)
TOL = 1e-5

CASES: List[Dict[str, Any]] = [
    {"name": "llama_lora", "base": "llama", "seed": 2001, "r": 4, "lora_alpha": 8, "use_rslora": False,
     "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
     "modules_to_save": ["lm_head"], "lora_dropout": 0.05,
     "note": "Llama, every linear layer targeted (PEFT writes all-linear resolved like this), untied lm_head saved in full."},
    {"name": "qwen2_rslora", "base": "qwen2", "seed": 2002, "r": 8, "lora_alpha": 16, "use_rslora": True,
     "target_modules": ["q_proj", "v_proj", "down_proj"], "modules_to_save": None, "lora_dropout": 0.0,
     "note": "Qwen2 (q/k/v biases, tied embeddings), rank-stabilised scaling 16/sqrt(8)."},
    {"name": "qwen3_lora", "base": "qwen3", "seed": 2003, "r": 2, "lora_alpha": 5, "use_rslora": False,
     "target_modules": ["self_attn.q_proj", "o_proj", "up_proj"], "modules_to_save": ["embed_tokens"], "lora_dropout": 0.1,
     "note": "Qwen3 with head_dim 24 != hidden/heads (q_proj 64->96, o_proj 96->64), dotted target names, tied "
             "embeddings: the embed_tokens copy replaces the input embeddings only, the tied head keeps the original."},
]


def peft_config(case: Dict[str, Any]) -> Dict[str, Any]:
    """adapter_config.json as PEFT 0.15 writes it for a CAUSAL_LM LoRA adapter."""
    return {
        "alpha_pattern": {},
        "auto_mapping": None,
        "base_model_name_or_path": f"../../models/{case['base']}",
        "bias": "none",
        "corda_config": None,
        "eva_config": None,
        "exclude_modules": None,
        "fan_in_fan_out": False,
        "inference_mode": True,
        "init_lora_weights": True,
        "layer_replication": None,
        "layers_pattern": None,
        "layers_to_transform": None,
        "loftq_config": {},
        "lora_alpha": case["lora_alpha"],
        "lora_bias": False,
        "lora_dropout": case["lora_dropout"],
        "megatron_config": None,
        "megatron_core": "megatron.core",
        "modules_to_save": case["modules_to_save"],
        "peft_type": "LORA",
        "r": case["r"],
        "rank_pattern": {},
        "revision": None,
        "target_modules": case["target_modules"],
        "task_type": "CAUSAL_LM",
        "trainable_token_indices": None,
        "use_dora": False,
        "use_rslora": case["use_rslora"],
    }


def matches(name: str, targets) -> bool:
    """PEFT's rule for a list of names: the module name equals one or ends with '.' + one."""
    return any(name == t or name.endswith("." + t) for t in targets or [])


@torch.no_grad()
def run_case(case: Dict[str, Any], out_root: str) -> Dict[str, float]:
    gen = torch.Generator().manual_seed(case["seed"])
    base_dir = os.path.join(DATA, "models", case["base"])
    base = load_model_dir(base_dir)
    r, alpha = case["r"], case["lora_alpha"]
    scaling = alpha / math.sqrt(r) if case["use_rslora"] else alpha / r

    # The adapter's tensors, under PEFT's saved names.
    tensors: Dict[str, torch.Tensor] = {}
    lora: Dict[str, Any] = {}
    for name, module in base.named_modules():
        if isinstance(module, torch.nn.Linear) and name != "lm_head" and matches(name, case["target_modules"]) \
                and not matches(name, case["modules_to_save"]):
            out_f, in_f = module.weight.shape
            bound = 1 / math.sqrt(in_f)                      # kaiming_uniform_(a=sqrt(5)) on [r, in]
            a = (torch.rand((r, in_f), generator=gen) * 2 - 1) * bound
            b = torch.randn((out_f, r), generator=gen) * B_STD
            tensors[f"base_model.model.{name}.lora_A.weight"] = a
            tensors[f"base_model.model.{name}.lora_B.weight"] = b
            lora[name] = (a, b)
    copies: Dict[str, torch.Tensor] = {}
    for name, module in base.named_modules():
        if name and matches(name, case["modules_to_save"]):
            copies[name] = module.weight + torch.randn(module.weight.shape, generator=gen) * COPY_NOISE
            tensors[f"base_model.model.{name}.weight"] = copies[name]
    assert lora, case["name"]

    case_dir = os.path.join(out_root, case["name"])
    os.makedirs(case_dir, exist_ok=True)
    with open(os.path.join(case_dir, "adapter_config.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(peft_config(case), indent=2, sort_keys=True))
    save_safetensors(tensors, os.path.join(case_dir, "adapter_model.safetensors"), {"format": "pt"})

    # Merged form: W' = W + scaling * B @ A (float64), copies replace their modules.
    merged: Decoder = copy.deepcopy(base)
    modules = dict(merged.named_modules())
    for name, (a, b) in lora.items():
        w = modules[name].weight
        w.copy_((w.double() + scaling * (b.double() @ a.double())).float())
    for name, weight in copies.items():
        if name == "model.embed_tokens" and merged.lm_head is None:
            # Untie: the head keeps the original matrix, the input embeddings become the copy (PEFT's behaviour).
            merged.lm_head = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=False)
            merged.lm_head.weight.copy_(base.model.embed_tokens.weight)
        modules[name].weight.copy_(weight)

    # Unmerged form, as a cross-check: forward hooks add scaling * (x A^T) B^T to each targeted layer's output.
    unmerged: Decoder = copy.deepcopy(merged)
    umodules = dict(unmerged.named_modules())
    handles = []
    for name, (a, b) in lora.items():
        umodules[name].weight.copy_(dict(base.named_modules())[name].weight)
        handles.append(umodules[name].register_forward_hook(
            lambda mod, inp, out, a=a, b=b: out + scaling * F.linear(F.linear(inp[0], a), b)))

    expected = load_safetensors(os.path.join(base_dir, "expected.safetensors"))
    ids, mask = expected["input_ids"], expected["attention_mask"]
    logits = merged(ids, mask)
    check = unmerged(ids, mask)
    for h in handles:
        h.remove()
    real = mask.bool()
    stats = {
        "merged_vs_unmerged_max_abs_diff": (logits - check)[real].abs().max().item(),
        "adapter_effect_max_abs_logit_change": (logits - base(ids, mask))[real].abs().max().item(),
    }
    assert stats["merged_vs_unmerged_max_abs_diff"] <= TOL, stats
    assert stats["adapter_effect_max_abs_logit_change"] > 1e-2, stats
    save_safetensors({"input_ids": ids, "attention_mask": mask, "logits": logits.contiguous()},
                     os.path.join(case_dir, "expected.safetensors"), {"format": "pt"})
    return stats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for case in CASES:
        stats = run_case(case, args.out)
        print(f"{case['name']:13s} " + " ".join(f"{k}={v:.3g}" for k, v in stats.items()))
    print("OK")


if __name__ == "__main__":
    main()
