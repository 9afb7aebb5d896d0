#!/usr/bin/env bash
# On a machine with an NVIDIA GPU and driver: builds with the CUDA runtime (-p:KtoTorchRuntime=cuda, which restores
# TorchSharp-cuda-linux from nuget.org), runs the model-fidelity tests on cuda (golden logits, padded = unpadded,
# completion log-probs, cached greedy generation) and `kto bench` on cuda in float32 and bfloat16, then prints one
# summary line: "gpu-check: <device> tests <N passed, N failed> bench fp32 <tok/s> bf16 <tok/s>".
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 KTO_TEST_DEVICE="${KTO_TEST_DEVICE:-cuda}"
log="$(mktemp)"
gpu="$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)"

if ! dotnet build "$repo/Kto.MLNet.sln" -c Release -p:KtoTorchRuntime=cuda -nologo -v quiet -clp:ErrorsOnly >"$log" 2>&1; then
  cat "$log"; echo "gpu-check: ${gpu:-no GPU} build failed"; exit 1
fi
dotnet test "$repo/test/Microsoft.ML.Kto.Tests" -c Release --no-build -nologo \
  --filter "FullyQualifiedName~DecoderGoldenTests|FullyQualifiedName~CompletionLogProbsTests|FullyQualifiedName~CachedGreedyGoldenTests" >"$log" 2>&1
tests="$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+' "$log" | tail -1)"
cli="$repo/artifacts/kto-cuda"
dotnet build "$repo/src/Microsoft.ML.Kto.Cli/Microsoft.ML.Kto.Cli.csproj" -c Release -p:KtoTorchRuntime=cuda -o "$cli" -nologo -v quiet -clp:ErrorsOnly >/dev/null 2>&1
bench() { dotnet "$cli/kto.dll" bench --device "$KTO_TEST_DEVICE" --dtype "$1" 2>/dev/null | tail -1 | grep -Eo '"tokens_per_s":[0-9.]+' | cut -d: -f2; }
fp32="$(bench float32)"; bf16="$(bench bfloat16)"
grep -E "^\s+Failed " "$log" || true
echo "gpu-check: ${gpu:-unknown GPU} ($KTO_TEST_DEVICE) tests ${tests:-did not run} bench fp32 ${fp32:-failed} tok/s bf16 ${bf16:-failed} tok/s"
