#!/usr/bin/env bash
# LoRA against full fine-tuning (a script, not a timed test): `./kto bench` with the given shape flags for
#   full:      full fine-tuning, reference = a frozen copy of the model;
#   lora:      LoRA r = LORA_R on every linear layer (all-linear), reference = the policy with its adapters off;
#   lora-pre:  the same with the reference log-probs precomputed (--precompute-ref).
# The three run back to back, ROUNDS times (interleaved, so load on a shared machine hits all of them); prints each run's
# JSON line, then per configuration the median tokens/s and step time (every round's tokens/s in brackets) and the
# largest peak RSS, and LoRA's step time and peak RSS as ratios of full fine-tuning's.
#
#   build/bench/lora.sh                                   # the default bench shape
#   ROUNDS=1 build/bench/lora.sh --layers 16 --hidden 1536 --intermediate 4096 --heads 12 --kv-heads 4 --batch 2
#
# KTO_CMD overrides the CLI (default ./kto, run from the repository root).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
rounds="${ROUNDS:-2}"; lora_r="${LORA_R:-16}"; kto_cmd="${KTO_CMD:-./kto}"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT

for round in $(seq "$rounds"); do
  for config in full lora lora-pre; do
    case "$config" in
      full) extra=() ;;
      lora) extra=(--lora-r "$lora_r") ;;
      lora-pre) extra=(--lora-r "$lora_r" --precompute-ref) ;;
    esac
    echo "== round $round, $config: $kto_cmd bench $* ${extra[*]}" >&2
    line="$($kto_cmd bench "$@" "${extra[@]}" 2>/dev/null | tail -n 1)"
    printf '%s\n' "$line"
    printf '%s\t%s\n' "$config" "$line" >>"$results"
  done
done

/usr/bin/python3 - "$results" <<'PY'
import json, statistics, sys
runs = {}
for row in open(sys.argv[1]):
    config, text = row.rstrip("\n").split("\t", 1)
    runs.setdefault(config, []).append(json.loads(text))
summary = {}
print(f"{'config':<10}{'tokens/s (rounds)':>28}{'step ms':>10}{'peak RSS MB':>13}")
for config, rs in runs.items():
    tps = [r["tokens_per_s"] for r in rs]
    summary[config] = (statistics.median(r["step_ms"] for r in rs), max(r["peak_rss_mb"] for r in rs))
    rounds = "/".join(f"{t:.0f}" for t in tps)
    print(f"{config:<10}{f'{statistics.median(tps):.0f} ({rounds})':>28}{summary[config][0]:>10.0f}{summary[config][1]:>13.0f}")
full = summary["full"]
for config in ("lora", "lora-pre"):
    step, rss = summary[config]
    print(f"{config} / full: step time {step / full[0]:.2f}x, peak RSS {rss / full[1]:.2f}x")
PY
