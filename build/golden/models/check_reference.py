"""Cross-checks for the golden data (run after make_golden.py):

  1. A second, deliberately naive float64 implementation (explicit loops over heads and
     positions, RoPE written as per-pair rotations of (x[i], x[i + d/2]), GQA head h -> kv head
     h // n_rep) must reproduce the stored float32 logits on every meaningful position.
  2. Every parameter tensor matters: perturbing any single tensor changes the logits.

    /usr/bin/python3 build/golden/models/check_reference.py
"""

from __future__ import annotations

import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_model import compute_inv_freq, load_model_dir, load_safetensors  # noqa: E402
from make_golden import CASES, DEFAULT_OUT  # noqa: E402


def naive_logits(model, tokens):
    c = model.config
    sd = {k: v.double() for k, v in model.state_dict().items()}
    inv = compute_inv_freq(c).double()   # float32 inv_freq (as HF), promoted
    d = c.head_dim
    half = d // 2
    n_rep = c.num_attention_heads // c.num_key_value_heads
    n = len(tokens)

    def rms(x, w):
        return w * (x / torch.sqrt((x * x).mean() + c.rms_norm_eps))

    def lin(x, name):
        y = sd[name + ".weight"] @ x
        if name + ".bias" in sd:
            y = y + sd[name + ".bias"]
        return y

    def rope(v, p):
        out = v.clone()
        for i in range(half):
            a = float(torch.tensor(p, dtype=torch.float32) * inv[i].float())  # angle in float32 like HF
            cs, sn = math.cos(a), math.sin(a)
            out[i] = v[i] * cs - v[i + half] * sn
            out[i + half] = v[i + half] * cs + v[i] * sn
        return out

    hs = [sd["model.embed_tokens.weight"][t].clone() for t in tokens]
    for l in range(c.num_hidden_layers):
        pre = f"model.layers.{l}."
        xs = [rms(h, sd[pre + "input_layernorm.weight"]) for h in hs]
        qs, ks, vs = [], [], []
        for p, x in enumerate(xs):
            q = lin(x, pre + "self_attn.q_proj").view(c.num_attention_heads, d)
            k = lin(x, pre + "self_attn.k_proj").view(c.num_key_value_heads, d)
            v = lin(x, pre + "self_attn.v_proj").view(c.num_key_value_heads, d)
            if c.qk_norm:
                q = torch.stack([rms(q[h], sd[pre + "self_attn.q_norm.weight"]) for h in range(q.shape[0])])
                k = torch.stack([rms(k[h], sd[pre + "self_attn.k_norm.weight"]) for h in range(k.shape[0])])
            q = torch.stack([rope(q[h], p) for h in range(q.shape[0])])
            k = torch.stack([rope(k[h], p) for h in range(k.shape[0])])
            qs.append(q), ks.append(k), vs.append(v)
        new = []
        for i in range(n):
            heads = []
            for h in range(c.num_attention_heads):
                kvh = h // n_rep
                scores = torch.tensor([float(qs[i][h] @ ks[j][kvh]) / math.sqrt(d) for j in range(i + 1)],
                                      dtype=torch.float64)
                w = torch.softmax(scores, 0)
                heads.append(sum(w[j] * vs[j][kvh] for j in range(i + 1)))
            attn = lin(torch.cat(heads), pre + "self_attn.o_proj")
            h1 = hs[i] + attn
            x2 = rms(h1, sd[pre + "post_attention_layernorm.weight"])
            g = lin(x2, pre + "mlp.gate_proj")
            u = lin(x2, pre + "mlp.up_proj")
            mlp = lin(g * torch.sigmoid(g) * u, pre + "mlp.down_proj")
            new.append(h1 + mlp)
        hs = new
    w_out = sd["lm_head.weight"] if "lm_head.weight" in sd else sd["model.embed_tokens.weight"]
    return torch.stack([w_out @ rms(h, sd["model.norm.weight"]) for h in hs])


def main():
    torch.set_num_threads(1)
    worst = 0.0
    for case in CASES:
        case_dir = os.path.join(DEFAULT_OUT, case["name"])
        model = load_model_dir(case_dir)
        exp = load_safetensors(os.path.join(case_dir, "expected.safetensors"))
        ids, mask, logits = exp["input_ids"], exp["attention_mask"], exp["logits"]
        diff = 0.0
        for r in range(ids.shape[0]):
            sel = mask[r].bool()
            toks = ids[r][sel].tolist()
            ref = naive_logits(model, toks)
            diff = max(diff, (ref - logits[r][sel].double()).abs().max().item())
            diff = max(diff, (ref - exp[f"single_logits_{r}"][0].double()).abs().max().item())
        worst = max(worst, diff)
        assert diff < 1e-4, (case["name"], diff)

        # every parameter tensor matters
        base = model(ids, mask)
        least = float("inf")
        with torch.no_grad():
            for name, p in model.named_parameters():
                old = p.clone()
                p.mul_(1.05).add_(0.01)
                ch = (model(ids, mask) - base)[mask.bool()].abs().max().item()
                p.copy_(old)
                least = min(least, ch)
                assert ch > 1e-4, (case["name"], name, ch)
        print(f"{case['name']:12s} naive-float64 vs golden max abs diff = {diff:.3g}; "
              f"smallest logit change from perturbing one tensor = {least:.3g}")
    print(f"OK: worst naive-vs-golden diff {worst:.3g}")


if __name__ == "__main__":
    main()
