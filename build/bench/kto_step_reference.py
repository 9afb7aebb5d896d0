#!/usr/bin/env python3
"""Eager PyTorch reference of one full KTO training step, to benchmark against `kto bench`.

Usage (from anywhere; needs only PyTorch, e.g. Debian's python3-torch):

    /usr/bin/python3 build/bench/kto_step_reference.py [--precompute-ref] [--dtype bfloat16] ...

What one timed step does (TRL KTOTrainer, loss_type="kto", as a TRL user on eager PyTorch gets it):

  1. policy forward under torch.no_grad() on the KL batch (row i = prompt_i + completion_{i-1}, row 0 gets the
     last row's completion: TRL's rotation of completions within the per-device batch), full logits for all
     positions, then TRL's get_batch_logps (below);
  2. policy forward WITH autograd on the completion batch, get_batch_logps -> summed completion log-probs;
  3. unless --precompute-ref: the frozen reference model (a copy of the initial policy, requires_grad False)
     runs TRL's `forward` again under torch.no_grad(): KL batch and completion batch;
     with --precompute-ref the reference log-probs are fixed random tensors made once before timing;
  4. kto loss: KL = clamp(mean(policy_KL - ref_KL).detach(), min=0); desirable 1 - sigmoid(beta (r - KL)),
     undesirable 1 - sigmoid(beta (KL - r)), r = policy - ref; weights 1/1; nanmean over the micro-batch;
     plus TRL's logged metrics (kl.item(), reward / logp / logit sums per class);
  5. loss.backward(); clip_grad_norm_(1.0); AdamW step (weight_decay 0); zero_grad(set_to_none=True).

TRL's get_batch_logps (trl/trainer/kto_trainer.py, 2025): logits[:, :-1], labels[:, 1:] (prompt labels are
-100), per_token_logps = selective_log_softmax(logits, labels) (trl/trainer/utils.py): for float32 logits a
gather minus a per-row (loop over the batch) logsumexp; for bfloat16 logits a per-row log_softmax then
gather; then (per_token_logps * loss_mask).sum(-1).  The LM head therefore runs on all S positions and the
log-softmax covers all S-1 shifted positions, although only the completion positions are used.

Logits: current transformers' LlamaForCausalLM returns lm_head(hidden) in the model dtype (no float upcast
when no labels are passed), so this script applies the LM head itself on `Decoder.hidden_states` instead of
calling `Decoder.forward` (which upcasts to float32).  For float32 both are the same.

Model: the independent HF-llama re-implementation in build/golden/models/reference_model.py (eager attention:
matmul + additive mask + float32 softmax, as transformers' eager path; torch 1.13 has no SDPA), random weights
initialised like transformers' _init_weights (normal(0, initializer_range=0.02), norms 1), untied LM head
(LlamaConfig default).  Dropout does not exist in the model (TRL disables it anyway).  No gradient
checkpointing (the flops formula counts a plain forward + backward).

Output: a one-line flops breakdown on stderr; the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ next to reference_model.py
sys.path.insert(0, os.path.join(HERE, "..", "golden", "models"))
from reference_model import Decoder, DecoderConfig  # noqa: E402

LABEL_PAD = -100
BETA = 0.1
DESIRABLE_WEIGHT = 1.0
UNDESIRABLE_WEIGHT = 1.0
MAX_GRAD_NORM = 1.0


# ----------------------------------------------------------------------------------------------
# FLOPs model (the C# `kto bench` computes the identical number; keep the two in sync)
# ----------------------------------------------------------------------------------------------

def model_flops_per_step(cfg, batch, prompt_len, completion_len, precompute_ref):
    """Useful model FLOPs of one KTO training step (multiply-add = 2 FLOPs). Returns (total, parts dict).

    cfg: object with layers, hidden, heads, kv_heads, intermediate, vocab (head_dim = hidden / heads).

      S = prompt_len + completion_len,  C = completion_len
      q = heads * head_dim,  kv = kv_heads * head_dim
      P_body = layers * (hidden*(q + 2*kv)        # q, k, v projections
                         + q*hidden               # o projection
                         + 3*hidden*intermediate) # gate, up, down
      F (one forward of one [batch, S] batch)
        = 2*batch*S*P_body                        # all linear layers of the decoder body
        + 4*batch*layers*S*S*q                    # attention scores QK^T and weights*V, full S x S square
                                                  #   (PaLM convention: no causal halving)
        + 2*batch*C*hidden*vocab                  # LM head on the C completion-predicting positions only
                                                  #   (the useful work; embeddings, norms, RoPE, softmax,
                                                  #   log-softmax and the optimizer are not counted)
      step = 3*F    policy forward + backward (backward = 2x forward) on the completion batch
           + 1*F    policy forward (no grad) on the KL batch
           + 2*F    reference forwards on both batches (0 with precompute_ref)
    """
    head_dim = cfg.hidden // cfg.heads
    q = cfg.heads * head_dim
    kv = cfg.kv_heads * head_dim
    s = prompt_len + completion_len
    c = completion_len
    p_body = cfg.layers * (cfg.hidden * (q + 2 * kv) + q * cfg.hidden + 3 * cfg.hidden * cfg.intermediate)
    body = 2 * batch * s * p_body
    attention = 4 * batch * cfg.layers * s * s * q
    lm_head = 2 * batch * c * cfg.hidden * cfg.vocab
    forward = body + attention + lm_head
    ref_forwards = 0 if precompute_ref else 2
    total = (3 + 1 + ref_forwards) * forward
    return total, {"body": body, "attention": attention, "lm_head": lm_head, "forward": forward,
                   "forwards_equiv": 3 + 1 + ref_forwards}


# ----------------------------------------------------------------------------------------------
# Threads, peak
# ----------------------------------------------------------------------------------------------

def physical_core_count():
    """Distinct (package, core) pairs over all online CPUs; falls back to os.cpu_count()."""
    cores = set()
    base = "/sys/devices/system/cpu"
    try:
        for name in os.listdir(base):
            if not (name.startswith("cpu") and name[3:].isdigit()):
                continue
            topo = os.path.join(base, name, "topology")
            try:
                with open(os.path.join(topo, "physical_package_id")) as f:
                    pkg = f.read().strip()
                with open(os.path.join(topo, "core_id")) as f:
                    core = f.read().strip()
            except OSError:
                continue
            cores.add((pkg, core))
    except OSError:
        pass
    return len(cores) or (os.cpu_count() or 1)


def default_threads():
    return max(1, min(len(os.sched_getaffinity(0)), physical_core_count()))


def matmul_peak_gflops(n=2048, warmup=2, reps=10):
    """Best of `reps` float32 [n,n] @ [n,n] matmuls after `warmup`, in GFLOP/s (2 n^3 FLOPs each)."""
    g = torch.Generator().manual_seed(1234)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    out = torch.empty(n, n)
    for _ in range(warmup):
        torch.mm(a, b, out=out)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.mm(a, b, out=out)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n ** 3 / best / 1e9


# ----------------------------------------------------------------------------------------------
# Model, data
# ----------------------------------------------------------------------------------------------

def build_model(args, dtype):
    d = {
        "model_type": "llama",
        "architectures": ["LlamaForCausalLM"],
        "vocab_size": args.vocab,
        "hidden_size": args.hidden,
        "intermediate_size": args.intermediate,
        "num_hidden_layers": args.layers,
        "num_attention_heads": args.heads,
        "num_key_value_heads": args.kv_heads,
        "head_dim": args.hidden // args.heads,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "max_position_embeddings": max(2048, args.prompt_len + args.completion_len),
        "tie_word_embeddings": False,
        "attention_bias": False,
        "hidden_act": "silu",
        "initializer_range": 0.02,
        "torch_dtype": args.dtype,
        "bos_token_id": 1,
        "eos_token_id": 2,
    }
    model = Decoder(DecoderConfig.from_dict(d))
    # transformers' LlamaPreTrainedModel._init_weights: Linear / Embedding ~ N(0, initializer_range), norms 1.
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                m.weight.normal_(0.0, d["initializer_range"])
                if isinstance(m, nn.Linear) and m.bias is not None:
                    m.bias.zero_()
    inv_freq = model.model.rotary_emb.inv_freq.clone()
    model = model.to(dtype)
    model.model.rotary_emb.inv_freq = inv_freq  # RoPE frequencies stay float32 (as HF)
    return model


def make_batch(args, gen):
    """Random full-length rows (no padding): TRL's completion_* and KL_completion_* tensors + labels."""
    b, p, c = args.batch, args.prompt_len, args.completion_len
    prompts = torch.randint(3, args.vocab, (b, p), generator=gen)
    completions = torch.randint(3, args.vocab, (b, c), generator=gen)
    kl_completions = torch.roll(completions, shifts=1, dims=0)  # row i gets completion of row i-1

    def seq(comp):
        ids = torch.cat([prompts, comp], dim=1)
        labels = ids.clone()
        labels[:, :p] = LABEL_PAD
        return ids, torch.ones_like(ids), labels

    ids, mask, labels = seq(completions)
    kl_ids, kl_mask, kl_labels = seq(kl_completions)
    return {
        "completion_input_ids": ids, "completion_attention_mask": mask, "completion_labels": labels,
        "KL_completion_input_ids": kl_ids, "KL_completion_attention_mask": kl_mask,
        "KL_completion_labels": kl_labels,
        "label": [i % 2 == 0 for i in range(b)],  # half desirable, interleaved
    }


# ----------------------------------------------------------------------------------------------
# TRL's step
# ----------------------------------------------------------------------------------------------

def causal_lm_logits(model, input_ids, attention_mask):
    """transformers' *ForCausalLM.forward(...).logits: lm_head over every position, in the model dtype."""
    h = model.hidden_states(input_ids, attention_mask)
    return F.linear(h, model.output_weight())


def selective_log_softmax(logits, index):
    """trl.trainer.utils.selective_log_softmax."""
    if logits.dtype in (torch.float32, torch.float64):
        selected = torch.gather(logits, dim=-1, index=index.unsqueeze(-1)).squeeze(-1)
        # loop to reduce peak memory (as TRL)
        lse = torch.stack([torch.logsumexp(lg, dim=-1) for lg in logits])
        return selected - lse
    # logsumexp is unstable in bfloat16: TRL falls back to a per-row log_softmax
    rows = []
    for row_logits, row_labels in zip(logits, index):
        row_logps = F.log_softmax(row_logits, dim=-1)
        rows.append(row_logps.gather(dim=-1, index=row_labels.unsqueeze(-1)).squeeze(-1))
    return torch.stack(rows)


def get_batch_logps(logits, labels):
    """KTOTrainer.get_batch_logps (decoder-only, average_log_prob=False)."""
    labels = labels[:, 1:].clone()
    logits = logits[:, :-1, :]
    loss_mask = labels != LABEL_PAD
    labels[labels == LABEL_PAD] = 0
    per_token_logps = selective_log_softmax(logits, labels)
    return (per_token_logps * loss_mask).sum(-1)


def kto_forward(model, batch):
    """KTOTrainer.forward: KL logps under no_grad, then completion logps (with grad if enabled)."""
    with torch.no_grad():
        kl_logits = causal_lm_logits(model, batch["KL_completion_input_ids"], batch["KL_completion_attention_mask"])
    kl_logps = get_batch_logps(kl_logits, batch["KL_completion_labels"])
    del kl_logits
    logits = causal_lm_logits(model, batch["completion_input_ids"], batch["completion_attention_mask"])
    logps = get_batch_logps(logits, batch["completion_labels"])
    chosen_idx = [i for i in range(logps.shape[0]) if batch["label"][i] is True]
    rejected_idx = [i for i in range(logps.shape[0]) if batch["label"][i] is False]
    return (logps[chosen_idx, ...], logps[rejected_idx, ...],
            logits[chosen_idx, ...], logits[rejected_idx, ...], kl_logps)


def kto_loss(pc, pr, pkl, rc, rr, rkl):
    """KTOTrainer.kto_loss, loss_type='kto' (single process: gather is the identity)."""
    kl = (pkl - rkl).mean().detach().clamp(min=0)
    chosen_logratios = pc - rc
    chosen_losses = 1 - torch.sigmoid(BETA * (chosen_logratios - kl))
    chosen_rewards = BETA * chosen_logratios.detach()
    rejected_logratios = pr - rr
    rejected_losses = 1 - torch.sigmoid(BETA * (kl - rejected_logratios))
    rejected_rewards = BETA * rejected_logratios.detach()
    losses = torch.cat((DESIRABLE_WEIGHT * chosen_losses, UNDESIRABLE_WEIGHT * rejected_losses), 0)
    return losses, chosen_rewards, rejected_rewards, kl


def train_step(policy, ref_model, optimizer, batch, precomputed):
    """HF Trainer training_step + optimizer step, with KTOTrainer.get_batch_loss_metrics."""
    policy.train()
    pc, pr, pc_logits, pr_logits, pkl = kto_forward(policy, batch)
    if precomputed is not None:
        ref_logps, ref_kl = precomputed
        chosen_idx = [i for i in range(ref_logps.shape[0]) if batch["label"][i] is True]
        rejected_idx = [i for i in range(ref_logps.shape[0]) if batch["label"][i] is False]
        rc, rr = ref_logps[chosen_idx, ...], ref_logps[rejected_idx, ...]
        rkl = ref_kl
    else:
        with torch.no_grad():
            rc, rr, _, _, rkl = kto_forward(ref_model, batch)
    losses, chosen_rewards, rejected_rewards, kl = kto_loss(pc, pr, pkl, rc, rr, rkl)
    # TRL's logged metrics (single process)
    metrics = {
        "kl": kl.item(),
        "rewards/chosen_sum": chosen_rewards.nansum().item(),
        "logps/chosen_sum": pc.detach().nansum().item(),
        "logits/chosen_sum": pc_logits.detach().nansum().item(),
        "rewards/rejected_sum": rejected_rewards.nansum().item(),
        "logps/rejected_sum": pr.detach().nansum().item(),
        "logits/rejected_sum": pr_logits.detach().nansum().item(),
    }
    loss = losses.nanmean()
    del pc_logits, pr_logits
    loss.backward()
    grad_norm = torch.nn.utils.clip_grad_norm_(policy.parameters(), MAX_GRAD_NORM)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return loss.item(), float(grad_norm), metrics


# ----------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--intermediate", type=int, default=688)
    ap.add_argument("--vocab", type=int, default=32000)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--prompt-len", type=int, default=64)
    ap.add_argument("--completion-len", type=int, default=192)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--precompute-ref", action="store_true")
    ap.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--lr", type=float, default=5e-7)
    args = ap.parse_args(argv)
    if args.hidden % args.heads or args.heads % args.kv_heads:
        ap.error("hidden must be divisible by heads, heads by kv-heads")
    if args.batch < 2:
        ap.error("KTO's KL estimate needs batch >= 2")
    if args.steps < 1:
        ap.error("--steps must be >= 1")

    threads = args.threads if args.threads else default_threads()
    torch.set_num_threads(threads)
    torch.manual_seed(args.seed)
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16}[args.dtype]

    peak = matmul_peak_gflops()  # before the model exists

    policy = build_model(args, dtype)
    ref_model = None
    precomputed = None
    gen = torch.Generator().manual_seed(args.seed + 1)
    batch = make_batch(args, gen)
    if args.precompute_ref:
        # Fixed random reference log-probs near what a near-uniform model gives (-C ln V), so the sigmoid
        # stays unsaturated; made once, before timing.
        base = -args.completion_len * math.log(args.vocab)
        # float32, as TRL's precomputed columns come back from the dataset.
        precomputed = (base + torch.randn(args.batch, generator=gen),
                       base + torch.randn(args.batch, generator=gen))
    else:
        ref_model = copy.deepcopy(policy).eval()
        for p in ref_model.parameters():
            p.requires_grad_(False)
    optimizer = torch.optim.AdamW(policy.parameters(), lr=args.lr, weight_decay=0.0)

    flops, parts = model_flops_per_step(
        argparse.Namespace(layers=args.layers, hidden=args.hidden, heads=args.heads, kv_heads=args.kv_heads,
                           intermediate=args.intermediate, vocab=args.vocab),
        args.batch, args.prompt_len, args.completion_len, args.precompute_ref)
    print(f"flops/step {flops / 1e9:.3f} GFLOP = {parts['forwards_equiv']} x forward {parts['forward'] / 1e9:.3f} "
          f"(body {parts['body'] / 1e9:.3f} + attention {parts['attention'] / 1e9:.3f} + "
          f"lm_head {parts['lm_head'] / 1e9:.3f}); matmul peak {peak:.1f} GFLOP/s; threads {threads}",
          file=sys.stderr, flush=True)

    times, losses, norms = [], [], []
    for i in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        loss, norm, _ = train_step(policy, ref_model, optimizer, batch, precomputed)
        dt = time.perf_counter() - t0
        losses.append(loss)
        norms.append(norm)
        if not (math.isfinite(loss) and math.isfinite(norm)):
            raise SystemExit(f"non-finite loss {loss} / grad norm {norm} at step {i}")
        if norm <= 0.0:
            raise SystemExit(f"zero gradient at step {i}")
        if i >= args.warmup:
            times.append(dt)
        print(f"step {i} {'warmup' if i < args.warmup else 'timed'}: {dt * 1e3:.1f} ms loss {loss:.6f} "
              f"grad_norm {norm:.6g}", file=sys.stderr, flush=True)

    med = statistics.median(times)
    tokens = args.batch * (args.prompt_len + args.completion_len)
    achieved = flops / med / 1e9
    result = {
        "impl": "pytorch",
        "torch_version": torch.__version__,
        "threads": threads,
        "tokens_per_s": tokens / med,
        "step_ms": med * 1e3,
        "step_ms_all": [t * 1e3 for t in times],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "model_flops_per_step": flops,
        "achieved_gflops": achieved,
        "matmul_peak_gflops": peak,
        "mfu": achieved / peak,
        "layers": args.layers,
        "hidden": args.hidden,
        "heads": args.heads,
        "kv_heads": args.kv_heads,
        "intermediate": args.intermediate,
        "vocab": args.vocab,
        "batch": args.batch,
        "prompt_len": args.prompt_len,
        "completion_len": args.completion_len,
        "warmup": args.warmup,
        "steps": args.steps,
        "precompute_ref": args.precompute_ref,
        "dtype": args.dtype,
        "seed": args.seed,
        "loss_first": losses[0],
        "loss_last": losses[-1],
        "grad_norm_last": norms[-1],
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
