#!/usr/bin/env bash
# Tokenizer throughput side by side, back to back on one workload (the golden corpus cycled to ~5 MB, single thread):
# samples/TokenizerBench (HfTokenizer, Microsoft.ML.Tokenizers' BpeTokenizer and TiktokenTokenizer built from the same
# tokenizer.json), then build/golden/tokenizers/bench.mjs (@huggingface/tokenizers in Node). Prints both programs'
# lines, then a Markdown table: tokenizer x implementation -> MB/s (best of 5), ratio to HfTokenizer, and how many
# golden strings each encodes to exactly the reference ids.
# Usage: build/bench/tokenizers.sh
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

dotnet build samples/TokenizerBench -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dotnet run -c Release --no-build --project samples/TokenizerBench | tee "$out/dotnet.txt"
node build/golden/tokenizers/bench.mjs | tee "$out/node.txt"

workloads="$(grep -h '^workload:' "$out/dotnet.txt" "$out/node.txt" | sort -u)"
if [ "$(wc -l <<<"$workloads")" -ne 1 ]; then
  echo "tokenizers.sh: the two programs ran different workloads:" >&2
  echo "$workloads" >&2
  exit 1
fi

# Lines are "tokenizer | implementation | load … | … tokens | X MB/s best of N | goldens E/T", or
# "tokenizer | implementation | failed: …".
echo
echo "$workloads"
echo
grep -h ' | ' "$out/dotnet.txt" "$out/node.txt" | awk -F' [|] ' '
  !($1 in rows) { names[++count] = $1 }
  $2 == "HfTokenizer" && $3 !~ /^failed/ { base[$1] = $5 + 0 }
  { rows[$1] = rows[$1] "\n" $0 }
  END {
    print "| Tokenizer | Implementation | MB/s (best of 5) | vs HfTokenizer | Goldens exact |"
    print "|---|---|--:|--:|--:|"
    for (i = 1; i <= count; i++) {
      n = split(rows[names[i]], lines, "\n")
      for (j = 2; j <= n; j++) {
        split(lines[j], f, " [|] ")
        if (f[3] ~ /^failed/) { printf "| %s | %s | %s | – | – |\n", f[1], f[2], f[3]; continue }
        speed = f[5] + 0; sub(/^goldens /, "", f[6])
        ratio = base[f[1]] > 0 ? sprintf("%.2f×", speed / base[f[1]]) : "–"
        printf "| %s | %s | %.1f | %s | %s |\n", f[1], f[2], speed, ratio, f[6]
      }
    }
  }'
