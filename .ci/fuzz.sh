#!/bin/bash
# Fuzzes the readers of user-supplied files with libFuzzer for a while
# (default 60 s of processor time in all, shared by the three targets and
# spread over FUZZ_JOBS processes, default the machine's processors).
#
#   bash .ci/fuzz.sh [SECONDS]
#
# One process for 60 s left CI's second core idle for that minute (94 s of
# CI's 1,265 s with the build, 2026-12-06): two processes fuzz as long in
# half the time, a target's forked workers sharing its corpus.
#
# Builds tests/fuzz/fuzz-model-load (model bytes in memory, held to
# json-glib), tests/fuzz/fuzz-model-file (a model file on disk, read as
# coordyn-cli and the app read it) and tests/fuzz/fuzz-inputs (the other
# readers: CSV tables, observed data, GraphML and CSV networks,
# institutional arrangements, experiment specs, shard files) with clang,
# ASan and UBSan in their own build directory.  The model targets are
# seeded with tests/fuzz/corpus, the hostile files of
# tests/fuzz/corpus-files, the regressions and the shipped examples;
# fuzz-inputs with tests/fuzz/corpus-inputs and regressions-inputs (its
# first byte chooses the reader).  Each runs for a third of the time.
# Crashes are kept under $BUILD/fuzz-artifacts/TARGET; each is replayed and
# the script fails unless it matches a known, reported bug
# (tests/fuzz/known-bug-signatures.txt).  A new crash should become
# tests/fuzz/regressions/<name> (regressions-inputs/ for fuzz-inputs) with
# its fix.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

seconds=${1:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/_build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}

if ! command -v clang >/dev/null; then
  echo "fuzz.sh: FAIL: clang is not installed (apt-get install clang libclang-rt-dev)" >&2
  exit 1
fi

# The engine is instrumented for coverage (fuzzer-no-link); only the target
# links libFuzzer's main.  UBSan must abort, or libFuzzer never sees it.
flags="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer -g"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CFLAGS="$flags" meson setup "$build" "$src" \
    -Dgui=false -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized >"$build.setup.log" 2>&1 \
    || { cat "$build.setup.log" >&2; exit 1; }
fi
ninja -C "$build" tests/fuzz/fuzz-model-load tests/fuzz/fuzz-model-file tests/fuzz/fuzz-inputs

model_seeds=("$src/tests/fuzz/corpus" "$src/tests/fuzz/corpus-files" "$src/tests/fuzz/regressions")
if [ -d "$src/data/examples" ]; then
  model_seeds+=("$src/data/examples")
fi
inputs_seeds=("$src/tests/fuzz/corpus-inputs" "$src/tests/fuzz/regressions-inputs")

# The targets' temporary folders, in memory where there is a tmpfs: a job
# libFuzzer ends on a crash or a timeout never runs its clean-up, so the
# folders live under one the script removes however it ends.
scratch=$(mktemp -d /dev/shm/coordyn-fuzz.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export FUZZ_SCRATCH=$scratch

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export G_DEBUG=fatal-warnings
export LC_ALL=C.UTF-8

status=0
summary=""
targets=(fuzz-model-load fuzz-model-file fuzz-inputs)
share=$(( seconds / ${#targets[@]} / jobs ))
if [ "$share" -lt 1 ]; then
  share=1
fi
known_re=$(grep -v '^#' "$src/tests/fuzz/known-bug-signatures.txt" || true)

for target in "${targets[@]}"; do
  fuzzer=$build/tests/fuzz/$target
  corpus=$build/fuzz-corpus/$target
  artifacts=$build/fuzz-artifacts/$target
  log=$build/$target.log
  mkdir -p "$corpus" "$artifacts"
  rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*
  if [ "$target" = fuzz-inputs ]; then
    seeds=("${inputs_seeds[@]}")
    dict=$src/tests/fuzz/inputs.dict
  else
    seeds=("${model_seeds[@]}")
    dict=$src/tests/fuzz/model.dict
  fi

  # Fork mode with crashes ignored, so that a known, reported bug does not
  # end the run in its first second and hide everything behind it.
  set +e
  "$fuzzer" "$corpus" "${seeds[@]}" \
    -dict="$dict" \
    -max_total_time="$share" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 2>&1 | tee "$log" \
    | grep -E '^#[0-9]+|^INFO: fuzz|^INFO: -fork|^\[C|crash|stat::|ERROR' | tail -n 40
  set -e

  known=0
  flaky=0
  found=0
  shopt -s nullglob
  for input in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
    replay_status=0
    message=$("$fuzzer" -runs=1 -timeout=10 -rss_limit_mb=2048 "$input" 2>&1) || replay_status=$?
    if [ -n "$known_re" ] && printf '%s\n' "$message" | grep -qE -e "$known_re"; then
      known=$((known + 1))
      continue
    fi
    # A timeout or out-of-memory that does not happen again alone was the
    # machine's load, not the input (CI shares its cores): say so, keep the
    # input, and do not fail.  A crash or leak fails even if it does not
    # reproduce: that is a bug that depends on something it should not.
    case $(basename "$input") in
      timeout-*|oom-*)
        if [ "$replay_status" -eq 0 ]; then
          flaky=$((flaky + 1))
          echo "fuzz.sh: $input did not reproduce alone (machine load?); kept, not failed" >&2
          continue
        fi
        ;;
    esac
    status=1
    found=$((found + 1))
    if [ "$replay_status" -eq 0 ]; then
      echo "fuzz.sh: NEW FINDING (did not reproduce on replay): $input" >&2
    else
      echo "fuzz.sh: NEW FINDING: $input" >&2
    fi
    printf '%s\n' "$message" | grep -E 'invariant broken|ERROR:|SUMMARY:|runtime error' \
      | head -n 5 >&2 || true
  done
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -n 1 \
         | grep -oE '[0-9]+$' || true)
  if [ -z "$runs" ]; then
    runs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
  fi
  line="fuzz.sh: $target: ${runs:-?} executions in ${share} s on $jobs process(es);"
  line="$line $(ls "$corpus" | wc -l) corpus"
  line="$line entries; $found new finding(s); $known crash(es) of known, reported bugs;"
  line="$line $flaky timeout(s) or OOM(s) that did not reproduce"
  summary="$summary$line"$'\n'
done
printf '%s' "$summary"
exit $status
