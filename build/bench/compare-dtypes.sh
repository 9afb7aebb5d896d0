#!/usr/bin/env bash
# float32 against bfloat16 training (float32 master weights) with `kto bench`: for each shape the two dtypes run back to
# back, for ROUNDS rounds; the best tokens/s of each (this shared VM only ever slows a run down), the median peak RSS
# and the bfloat16 / float32 ratios are printed as a Markdown table. With BASELINE_KTO set (a command running another
# build's kto, e.g. "dotnet /tmp/old/artifacts/kto/kto.dll"), its bfloat16 runs back to back with the others too.
# Usage: build/bench/compare-dtypes.sh [ROUNDS]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-3}"
out="$(mktemp -d)"
"$repo/kto" env >/dev/null   # builds this checkout's CLI

# default: `kto bench`'s own shape (19 M parameters); large: 8 layers, hidden 768 (100 M parameters), whose steps take
# ~15 s each, so one warm-up and the median of three.
shapes=("default|" "large|--layers 8 --hidden 768 --heads 12 --kv-heads 4 --intermediate 2048 --warmup 1 --steps 3")
for round in $(seq 1 "$rounds"); do
  for shape in "${shapes[@]}"; do
    name="${shape%%|*}"; flags="${shape#*|}"
    for dtype in float32 bfloat16; do
      # shellcheck disable=SC2086
      "$repo/kto" bench $flags --dtype "$dtype" 2>/dev/null | tail -1 >>"$out/$name-$dtype.jsonl"
    done
    if [ -n "${BASELINE_KTO:-}" ]; then
      # shellcheck disable=SC2086
      $BASELINE_KTO bench $flags --dtype bfloat16 2>/dev/null | tail -1 >>"$out/$name-baseline.jsonl"
    fi
    echo "round $round $name done" >&2
  done
done

node - "$out" <<'JS'
const fs = require('fs'), path = require('path');
const dir = process.argv[2];
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const read = f => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map(JSON.parse);
console.log('| shape | dtype | best tokens/s (all runs) | step ms (best) | peak RSS MB (median) |');
console.log('| --- | --- | --- | --- | --- |');
for (const shape of ['default', 'large']) {
  const rows = {};
  for (const variant of ['float32', 'bfloat16', 'baseline']) {
    if (!fs.existsSync(path.join(dir, `${shape}-${variant}.jsonl`))) continue;
    const runs = read(`${shape}-${variant}.jsonl`);
    const r = { tps: Math.max(...runs.map(x => x.tokens_per_s)), ms: Math.min(...runs.map(x => x.step_ms)),
                rss: median(runs.map(x => x.peak_rss_mb)), all: runs.map(x => Math.round(x.tokens_per_s)).join('/') };
    rows[variant] = r;
    const label = { float32: 'float32', bfloat16: 'bfloat16, float32 masters', baseline: 'bfloat16, baseline build' }[variant];
    console.log(`| ${shape} | ${label} | ${r.tps.toFixed(0)} (${r.all}) | ${r.ms.toFixed(0)} | ${r.rss.toFixed(0)} |`);
  }
  const f = rows.float32, b = rows.bfloat16;
  console.log(`| ${shape} | **ratio bfloat16 / float32** | **${(b.tps / f.tps).toFixed(2)}** | ${(b.ms / f.ms).toFixed(2)} | **${(b.rss / f.rss).toFixed(2)}** |`);
}
JS
