#!/usr/bin/env bash
# The main job: set-up (idempotent), then `kto demo` (KTO on a small Llama; see README). Extra args go to kto demo.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/build/bootstrap.sh"
exec "$repo/kto" demo "$@"
