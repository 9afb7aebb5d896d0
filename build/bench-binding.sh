#!/usr/bin/env bash
# Binding overhead: the same matmul and tiny-op loop through the C# binding and through libtorch directly (C++).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/build/bootstrap.sh" >/dev/null
cmake --build "$repo/build/native-out" --target kt_direct_bench --parallel 2 >/dev/null
"$repo/build/native-out/kt_direct_bench"
dotnet run --project "$repo/samples/TorchBench" -c Release
