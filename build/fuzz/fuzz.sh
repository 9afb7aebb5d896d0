#!/usr/bin/env bash
# Mutation fuzzing of the parsers of untrusted files (a script, not a timed test): safetensors, tokenizer.json,
# tokenizer_config.json, Jinja chat templates and JSONL data. Each target runs EXECUTIONS mutated inputs; every one
# must succeed or fail with the library's own exception type. Findings (input + exception) go to FINDINGS_DIR.
# Usage: build/fuzz/fuzz.sh [EXECUTIONS] [FINDINGS_DIR] [TARGET]   (defaults 20000, artifacts/fuzz-findings, all)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
executions="${1:-20000}"; findings="${2:-$repo/artifacts/fuzz-findings}"
command -v patchelf >/dev/null 2>&1 || bash "$repo/build/bootstrap.sh" >&2
dotnet build "$repo/build/fuzz/KtoFuzz/KtoFuzz.csproj" -c Release -o "$repo/artifacts/fuzz" -nologo -v quiet -clp:ErrorsOnly >&2
status=0
dotnet "$repo/artifacts/fuzz/KtoFuzz.dll" "$repo" "$executions" "$findings" ${3:+"$3"} || status=$?
if [ "$status" -gt 2 ]; then echo "fuzz: the process crashed (exit $status); the input is in $findings/current.input"; fi
exit "$status"
