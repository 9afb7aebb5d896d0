#!/usr/bin/env bash
# Runs every test project. Ends with one line "N passed, N failed" (CI reads it).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CONFIGURATION="${CONFIGURATION:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! bash "$repo/build/bootstrap.sh"; then
  echo "set-up or build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

log="$(mktemp)"
dotnet test "$repo/Kto.MLNet.sln" -c "$CONFIGURATION" --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    30, Skipped: ..."
count() { grep -Eo "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(count Passed)
failed=$(count Failed)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# One code style (.editorconfig): any difference `dotnet format` would make fails the run, counted as one failure.
if ! dotnet format "$repo/Kto.MLNet.sln" --verify-no-changes --no-restore -v q; then
  echo "code style: run 'dotnet format Kto.MLNet.sln' and commit the result"
  failed=$((failed + 1))
  status=1
fi
rm -f "$log"
echo "${passed} passed, ${failed} failed"
[ "$status" -eq 0 ]
