#!/usr/bin/env bash
# Soak (a script, not a timed test): STEPS full KTO steps of the real trainer on a small random Llama after WARMUP
# untimed ones, writing a checkpoint every SAVE_STEPS steps through the trainer's real path; prints live tensors, RSS
# and open file descriptors after warm-up and at the end. Fails unless live tensors and descriptors are unchanged and
# RSS is within 2 %.
# Usage: build/bench/soak.sh [STEPS] [WARMUP] [SAVE_STEPS]   (defaults 2000, 500, 100: the allocator and JIT settle
# in the first few hundred steps)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
steps="${1:-2000}"; warmup="${2:-500}"; save_steps="${3:-100}"
json="$("$repo/kto" bench --layers 2 --hidden 128 --heads 4 --kv-heads 2 --intermediate 344 --vocab 8000 --batch 4 \
  --prompt-len 32 --completion-len 64 --warmup "$warmup" --steps "$steps" --save-steps "$save_steps" 2>/dev/null | tail -1)"
node -e '
const r = JSON.parse(process.argv[1]);
const growth = 100 * (r.rss_mb_end - r.rss_mb_after_warmup) / r.rss_mb_after_warmup;
console.log(`soak: ${r.steps} steps after ${r.warmup} warm-up, a checkpoint every ${r.save_steps}: live tensors ${r.live_tensors_after_warmup} -> ${r.live_tensors_end}, ` +
  `open fds ${r.open_fds_after_warmup} -> ${r.open_fds_end}, RSS ${r.rss_mb_after_warmup.toFixed(1)} -> ${r.rss_mb_end.toFixed(1)} MB (${growth >= 0 ? "+" : ""}${growth.toFixed(2)} %), peak ${r.peak_rss_mb.toFixed(1)} MB, ` +
  `${r.tokens_per_s.toFixed(0)} tokens/s`);
process.exit(r.live_tensors_end === r.live_tensors_after_warmup && r.open_fds_end === r.open_fds_after_warmup && Math.abs(growth) <= 2 ? 0 : 1);
' "$json"
