#!/usr/bin/env bash
# Idempotent set-up of a fresh Debian 12 machine (run as root, or with sudo available): the tools of the Debian 12
# TorchSharp compatibility step (patchelf, g++; see build/compat), the npm development fixtures, then the .NET build,
# which restores TorchSharp and libtorch from NuGet.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(patchelf g++ binutils)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Real Hugging Face tokenizer files (tests) and the JS reference implementations (golden scripts).
if [ ! -f "$repo/build/npm/node_modules/.package-lock.json" ] || \
   [ "$repo/build/npm/package-lock.json" -nt "$repo/build/npm/node_modules/.package-lock.json" ]; then
  echo "bootstrap: installing npm fixtures"
  (cd "$repo/build/npm" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "bootstrap: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi

configuration="${CONFIGURATION:-Release}"
echo "bootstrap: building Kto.MLNet.sln ($configuration)"
dotnet build "$repo/Kto.MLNet.sln" -c "$configuration" -nologo -v quiet -clp:ErrorsOnly
