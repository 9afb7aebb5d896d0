#!/usr/bin/env bash
# One KTO training step, ours (`./kto bench`) against the eager PyTorch reference (kto_step_reference.py),
# with the same flags.  Extra arguments go to both, e.g.:
#
#   build/bench/compare.sh --hidden 512 --intermediate 1376 --heads 8 --kv-heads 4
#   build/bench/compare.sh --precompute-ref --dtype bfloat16
#
# Prints both JSON result lines (each run's stderr passes through), then a summary table and the ratio
# ours/pytorch of tokens_per_s.  KTO_CMD overrides the CLI (default ./kto, run from the repository root).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

py=/usr/bin/python3
# The reference needs Debian's PyTorch (the same libtorch 1.13 the shim uses); install it once, idempotently.
if ! "$py" -c "import torch" >/dev/null 2>&1; then
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    echo "compare.sh: installing python3-torch" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends python3-torch >/dev/null
fi
kto_cmd="${KTO_CMD:-./kto}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Runs "$@" with stdout to a file (stderr passes through); prints the last non-empty stdout line.
last_json_line() {
    local name="$1"; shift
    if ! "$@" >"$tmp/$name.out"; then
        echo "compare.sh: '$*' failed; its stdout ended with:" >&2
        tail -n 20 "$tmp/$name.out" >&2
        exit 1
    fi
    local line
    line="$(grep -v '^[[:space:]]*$' "$tmp/$name.out" | tail -n 1 || true)"
    if [[ -z "$line" ]]; then
        echo "compare.sh: '$*' printed nothing on stdout" >&2
        exit 1
    fi
    printf '%s\n' "$line"
}

echo "== ours: $kto_cmd bench $*" >&2
ours="$(last_json_line ours $kto_cmd bench "$@")"
echo "== pytorch: $py build/bench/kto_step_reference.py $*" >&2
ref="$(last_json_line pytorch "$py" build/bench/kto_step_reference.py "$@")"

printf '%s\n' "$ours"
printf '%s\n' "$ref"

OURS="$ours" REF="$ref" "$py" - <<'EOF'
import json, os, sys

rows = []
for name in ("OURS", "REF"):
    text = os.environ[name]
    try:
        rows.append(json.loads(text))
    except json.JSONDecodeError as e:
        sys.exit(f"compare.sh: the last stdout line of the {'kto' if name == 'OURS' else 'pytorch'} run "
                 f"is not JSON ({e}): {text[:200]}")
ours, ref = rows

def num(d, k):
    v = d.get(k)
    return float(v) if isinstance(v, (int, float)) else float("nan")

cols = ("impl", "tokens_per_s", "step_ms", "peak_rss_mb", "mfu")
print(f"{'impl':<10}{'tokens_per_s':>14}{'step_ms':>12}{'peak_rss_mb':>13}{'mfu':>9}")
for d in rows:
    print(f"{str(d.get('impl', '?')):<10}{num(d, 'tokens_per_s'):>14.1f}{num(d, 'step_ms'):>12.1f}"
          f"{num(d, 'peak_rss_mb'):>13.1f}{num(d, 'mfu'):>9.3f}")
a, b = num(ours, "tokens_per_s"), num(ref, "tokens_per_s")
print(f"ratio ours/pytorch tokens_per_s: {a / b:.3f}" if b > 0 else "ratio ours/pytorch tokens_per_s: n/a")

# Sanity: both must have run the same configuration and counted the same model FLOPs.
keys = ("layers", "hidden", "heads", "kv_heads", "intermediate", "vocab", "batch", "prompt_len",
        "completion_len", "precompute_ref", "dtype", "threads", "model_flops_per_step")
diff = [f"{k}: kto={ours.get(k)!r} pytorch={ref.get(k)!r}" for k in keys
        if k in ours and k in ref and ours[k] != ref[k]]
missing = [k for k in keys if k not in ours]
if diff:
    print("WARNING: configurations differ: " + "; ".join(diff))
if missing:
    print("note: kto JSON lacks " + ", ".join(missing))
EOF
