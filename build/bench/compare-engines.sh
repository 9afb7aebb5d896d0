#!/usr/bin/env bash
# Side-by-side of `kto bench` on this checkout (TorchSharp) and on the last commit before the engine move (the native
# shim over Debian's libtorch 1.13), in one run: for each shape and dtype the two engines run back to back, for
# ROUNDS rounds, and the medians and ratios are printed as a Markdown table.
# Usage: build/bench/compare-engines.sh [ROUNDS]   (BASELINE_COMMIT, BASELINE_DIR override the baseline)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-2}"
baseline_commit="${BASELINE_COMMIT:-daf515c}"
baseline_dir="${BASELINE_DIR:-/tmp/kto-baseline-$baseline_commit}"
out="$(mktemp -d)"

if [ ! -f "$baseline_dir/artifacts/kto/kto.dll" ]; then
  [ -d "$baseline_dir" ] || git -C "$repo" worktree add --detach "$baseline_dir" "$baseline_commit" >&2
  bash "$baseline_dir/build/bootstrap.sh" >&2   # installs Debian's libtorch 1.13 and builds the shim
  dotnet build "$baseline_dir/src/Microsoft.ML.Kto.Cli/Microsoft.ML.Kto.Cli.csproj" -c Release -o "$baseline_dir/artifacts/kto" -nologo -v quiet -clp:ErrorsOnly >&2
fi
"$repo/kto" env >/dev/null   # builds this checkout's CLI

shapes=("default|" "hidden512|--hidden 512 --intermediate 1376 --heads 8 --kv-heads 4")
dtypes=(float32 bfloat16)
for round in $(seq 1 "$rounds"); do
  for shape in "${shapes[@]}"; do
    for dtype in "${dtypes[@]}"; do
      name="${shape%%|*}"; flags="${shape#*|}"
      # shellcheck disable=SC2086
      dotnet "$baseline_dir/artifacts/kto/kto.dll" bench $flags --dtype "$dtype" 2>/dev/null | tail -1 >>"$out/shim-$name-$dtype.jsonl"
      # shellcheck disable=SC2086
      "$repo/kto" bench $flags --dtype "$dtype" 2>/dev/null | tail -1 >>"$out/torchsharp-$name-$dtype.jsonl"
      echo "round $round $name $dtype done" >&2
    done
  done
done

node - "$out" <<'JS'
const fs = require('fs'), path = require('path');
const dir = process.argv[2];
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const read = f => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map(JSON.parse);
console.log('| shape | dtype | engine | tokens/s | step ms | peak RSS MB | MFU | matmul peak GFLOP/s |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const shape of ['default', 'hidden512']) for (const dtype of ['float32', 'bfloat16']) {
  const rows = {};
  for (const engine of ['shim', 'torchsharp']) {
    const runs = read(`${engine}-${shape}-${dtype}.jsonl`);
    const r = { tps: median(runs.map(x => x.tokens_per_s)), ms: median(runs.map(x => x.step_ms)), rss: median(runs.map(x => x.peak_rss_mb)),
                mfu: median(runs.map(x => x.mfu)), peak: median(runs.map(x => x.matmul_peak_gflops)), all: runs.map(x => Math.round(x.tokens_per_s)).join('/') };
    rows[engine] = r;
    const label = engine === 'shim' ? 'native shim, libtorch 1.13' : 'TorchSharp 0.107, libtorch 2.10';
    console.log(`| ${shape} | ${dtype} | ${label} | ${r.tps.toFixed(0)} (${r.all}) | ${r.ms.toFixed(0)} | ${r.rss.toFixed(0)} | ${(100 * r.mfu).toFixed(1)} % | ${r.peak.toFixed(0)} |`);
  }
  const s = rows.shim, t = rows.torchsharp;
  console.log(`| ${shape} | ${dtype} | **ratio TorchSharp / shim** | **${(t.tps / s.tps).toFixed(2)}** | ${(t.ms / s.ms).toFixed(2)} | ${(t.rss / s.rss).toFixed(2)} | | |`);
}
JS
