#!/usr/bin/env bash
# The main job: set-up (idempotent), then the embedded default run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/build/bootstrap.sh"
exec dotnet run --project "$repo/samples/TinyNetwork" -c Release --no-build
