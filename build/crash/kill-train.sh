#!/usr/bin/env bash
# Crash-safety trials (a script, not a timed test). Trains a tiny Llama with checkpoints every 2 steps, SIGKILLs
# `kto train` at a random moment (start-up, steps, checkpoint writes, final save), then checks that
#   1. no file under a final name is half-written: every *.json parses, every line of metrics.jsonl parses, every
#      *.safetensors header is valid and its tensors tile the file exactly;
#   2. every checkpoint-N directory is complete (model, optimizer, trainer state, config), and so is the final model
#      once its config.json (written last) exists;
#   3. --resume-from-checkpoint from the latest checkpoint (or a fresh start when none was written) finishes with a
#      final model.safetensors byte-identical to an uninterrupted run and the same metrics for every step.
# Then (when it may mount a tmpfs, i.e. as root) it fills the disk: the output dir is a 3 MiB tmpfs that holds two
# checkpoints; the run must fail with one error line, leave no partial files and a previous checkpoint that resumes
# (on a roomier disk) to the uninterrupted result.
# Usage: build/crash/kill-train.sh [TRIALS]   (default 30). Needs python3 for the file checks.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
trials="${1:-30}"
work="$(mktemp -d /tmp/kto-kill-XXXXXX)"
trap 'rm -rf "$work"' EXIT
"$repo/kto" env >/dev/null                       # builds the CLI once
kto=(dotnet "$repo/artifacts/kto/kto.dll")

"${kto[@]}" demo --pretrain-steps 20 --feedback-problems 8 --held-out 4 --output-dir "$work/demo" >/dev/null 2>&1
python3 - "$work/data.jsonl" <<'PY'
import json, random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    for i in range(64):
        a, b = random.randint(10, 99), random.randint(10, 99)
        good = i % 2 == 0
        f.write(json.dumps({"prompt": f"{a}+{b}=", "completion": str(a + b if good else a + b + 1), "label": good}) + "\n")
PY
train=(train --model "$work/demo/base-model" --dataset "$work/data.jsonl" --max-steps 40 --save-steps 2 --logging-steps 1
       --per-device-train-batch-size 4 --learning-rate 1e-3 --report-sample-count 1)

check_files() {  # every file under a final name is whole; every checkpoint directory is complete
  python3 - "$1" <<'PY'
import json, os, struct, sys
root = sys.argv[1]
def whole_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    spans = sorted(tuple(v["data_offsets"]) for k, v in header.items() if k != "__metadata__")
    end = 0
    for begin, stop in spans:
        assert begin == end, f"{path}: gap or overlap at {begin}"
        end = stop
    assert 8 + n + end == len(data), f"{path}: {len(data) - 8 - n - end} bytes missing or extra"
for dirpath, dirs, files in os.walk(root):
    temporary = ".partial" in dirpath
    for name in files:
        path = os.path.join(dirpath, name)
        if temporary or ".tmp-" in name:
            continue                                     # temporary names may hold anything
        if name.endswith(".json"):
            json.load(open(path))
        elif name.endswith(".jsonl"):
            for line in open(path):
                json.loads(line)
        elif name.endswith(".safetensors"):
            whole_safetensors(path)
    if dirpath == root and "config.json" in files:   # config.json is written last: its presence means a complete model
        for required in ("model.safetensors", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "kto_options.json"):
            assert required in files, f"{dirpath} has config.json but lacks {required}"
    base = os.path.basename(dirpath)
    if base.startswith("checkpoint-") and not temporary:
        for required in ("model.safetensors", "optimizer.safetensors", "trainer_state.json", "config.json"):
            assert required in files, f"{dirpath} lacks {required}"
PY
}

partial_file() {  # a file or directory still under its temporary name, if any
  find "$1" -name '*.partial' -o -name '*.tmp-*' 2>/dev/null | head -1 || true
}

latest_checkpoint_step() {  # N of the newest complete checkpoint-N, empty when there is none
  ls -d "$1"/checkpoint-* 2>/dev/null | grep -v partial | sed 's/.*checkpoint-//' | sort -n | tail -1 || true
}

final_steps() {  # the last metrics line of each step (a resumed run logs the steps after its checkpoint again)
  python3 - "$1" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    if "loss" in row:
        last[row["step"]] = row
print(json.dumps([last[s] for s in sorted(last)], sort_keys=True))
PY
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
wait_for_training() {  # until the first metrics line or the process ends; prints the milliseconds waited
  local begin; begin=$(now_ms)
  while kill -0 "$1" 2>/dev/null && [ ! -s "$2/metrics.jsonl" ]; do sleep 0.01; done
  echo $(( $(now_ms) - begin ))
}
start=$(now_ms)
"${kto[@]}" "${train[@]}" --output-dir "$work/reference" >/dev/null 2>&1 &
startup_ms=$(wait_for_training $! "$work/reference")
wait $!
duration_ms=$(( $(now_ms) - start ))
window_ms=$(( (duration_ms - startup_ms) * 11 / 10 ))
reference_model="$(sha256sum "$work/reference/model.safetensors" | cut -d' ' -f1)"
reference_metrics="$(final_steps "$work/reference/metrics.jsonl")"
echo "uninterrupted run: ${duration_ms} ms (${startup_ms} ms start-up, then 40 steps, 20 checkpoints and the final save)"

passed=0; failed=0; resumed=0; restarted=0; completed=0; mid_write=0
for trial in $(seq 1 "$trials"); do
  out="$work/trial-$trial"
  "${kto[@]}" "${train[@]}" --output-dir "$out" >/dev/null 2>&1 &
  pid=$!
  if [ $((trial % 5)) -eq 0 ]; then                # every fifth kill lands in start-up,
    delay_ms=$(( RANDOM % startup_ms )); phase="start-up +"
  elif [ $((trial % 5)) -eq 3 ]; then              # every fifth in the final save (its first file is tokenizer.json),
    while kill -0 "$pid" 2>/dev/null && [ ! -e "$out/tokenizer.json" ]; do sleep 0.002; done
    delay_ms=$(( RANDOM % 40 )); phase="final save +"
  else                                             # the rest while steps and checkpoints run
    wait_for_training "$pid" "$out" >/dev/null; delay_ms=$(( RANDOM % window_ms )); phase="first step +"
  fi
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  problem=""
  partial="$(partial_file "$out")"
  if [ -n "$partial" ]; then mid_write=$((mid_write + 1)); what_write=" (mid-write: ${partial#"$out/"})"; else what_write=""; fi
  if ! check_files "$out" 2>"$work/check.err"; then problem="half-written or incomplete file: $(tail -1 "$work/check.err")"; fi
  latest_step="$(latest_checkpoint_step "$out")"
  latest="${latest_step:+$out/checkpoint-$latest_step}"
  if [ -z "$problem" ]; then
    if [ -f "$out/report.html" ]; then
      what="finished before the kill"; completed=$((completed + 1))
    elif [ -n "$latest" ]; then
      what="resumed from $(basename "$latest")"; resumed=$((resumed + 1))
      "${kto[@]}" "${train[@]}" --output-dir "$out" --resume-from-checkpoint "$latest" >/dev/null 2>"$work/resume.err" || problem="resume failed: $(tail -1 "$work/resume.err")"
    else
      what="restarted (no checkpoint yet)"; restarted=$((restarted + 1))
      "${kto[@]}" "${train[@]}" --output-dir "$out" --overwrite-output-dir >/dev/null 2>"$work/resume.err" || problem="restart failed: $(tail -1 "$work/resume.err")"
    fi
  fi
  if [ -z "$problem" ]; then
    [ "$(sha256sum "$out/model.safetensors" | cut -d' ' -f1)" = "$reference_model" ] || problem="final model differs from the uninterrupted run"
    [ "$(final_steps "$out/metrics.jsonl")" = "$reference_metrics" ] || problem="${problem:+$problem; }metrics differ from the uninterrupted run"
  fi
  if [ -z "$problem" ]; then passed=$((passed + 1)); echo "trial $trial: killed at ${phase}${delay_ms} ms$what_write, $what: ok"
  else failed=$((failed + 1)); echo "trial $trial: killed at ${phase}${delay_ms} ms$what_write: FAILED: $problem"; fi
  rm -rf "$out"
done
disk_full() {
  local full="$work/full"; mkdir -p "$full"
  mount -t tmpfs -o size=3m tmpfs "$full" 2>/dev/null || { echo "disk full: skipped (cannot mount a tmpfs; run as root)"; return 0; }
  local status=0
  "${kto[@]}" "${train[@]}" --output-dir "$full/out" >/dev/null 2>"$work/full.err" || status=$?
  cp -r "$full/out" "$work/after-full"; umount "$full"
  local errors; errors="$(grep -c '^kto: error:' "$work/full.err" || true)"
  [ "$status" -eq 1 ] && [ "$errors" -eq 1 ] || { echo "disk full: FAILED: exit $status with $errors error lines"; return 1; }
  [ -z "$(partial_file "$work/after-full")" ] || { echo "disk full: FAILED: partial files left"; return 1; }
  check_files "$work/after-full" || { echo "disk full: FAILED: a file is half-written"; return 1; }
  local step; step="$(latest_checkpoint_step "$work/after-full")"
  "${kto[@]}" "${train[@]}" --output-dir "$work/after-full" --resume-from-checkpoint "$work/after-full/checkpoint-$step" >/dev/null 2>&1
  [ "$(sha256sum "$work/after-full/model.safetensors" | cut -d' ' -f1)" = "$reference_model" ] || { echo "disk full: FAILED: resumed model differs"; return 1; }
  echo "disk full: ok ($(grep '^kto: error:' "$work/full.err" | cut -c1-120)...; resumed from checkpoint-$step to the uninterrupted result)"
}
disk_full || failed=$((failed + 1))
echo "kill trials: $trials ($resumed resumed, $restarted restarted, $completed finished first; $mid_write killed mid-write); $passed passed, $failed failed"
[ "$failed" -eq 0 ]
