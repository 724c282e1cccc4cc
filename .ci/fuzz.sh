#!/bin/bash
# Fuzzes the model-file reader with libFuzzer for a while (default 60 s).
#
#   bash .ci/fuzz.sh [SECONDS]
#
# Builds tests/fuzz/fuzz-model-load with clang, ASan and UBSan in its own
# build directory, seeds it with tests/fuzz/corpus, the regressions and the
# shipped examples, and runs it.  Crashes are kept under
# $BUILD/fuzz-artifacts; each is replayed and the script fails unless it
# matches a known, reported bug (tests/fuzz/known-bug-signatures.txt).
# A new crash should become tests/fuzz/regressions/<name> with its fix.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

seconds=${1:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/_build-fuzz}
jobs=${FUZZ_JOBS:-1}

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
ninja -C "$build" tests/fuzz/fuzz-model-load

fuzzer=$build/tests/fuzz/fuzz-model-load
corpus=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts
mkdir -p "$corpus" "$artifacts"
rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*

seeds=("$src/tests/fuzz/corpus" "$src/tests/fuzz/regressions")
if [ -d "$src/data/examples" ]; then
  seeds+=("$src/data/examples")
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export G_DEBUG=fatal-warnings
export LC_ALL=C.UTF-8

# Fork mode with crashes ignored, so that a known, reported bug does not
# end the run in its first second and hide everything behind it.
set +e
"$fuzzer" "$corpus" "${seeds[@]}" \
  -dict="$src/tests/fuzz/model.dict" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 2>&1 | tee "$build/fuzz.log" \
  | grep -E '^#[0-9]+|^INFO: fuzz|^INFO: -fork|^\[C|crash|stat::|ERROR' | tail -n 40
set -e

status=0
known=0
flaky=0
shopt -s nullglob
for input in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
  replay_status=0
  message=$("$fuzzer" -runs=1 -timeout=10 -rss_limit_mb=2048 "$input" 2>&1) || replay_status=$?
  known_re=$(grep -v '^#' "$src/tests/fuzz/known-bug-signatures.txt" || true)
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
  if [ "$replay_status" -eq 0 ]; then
    echo "fuzz.sh: NEW FINDING (did not reproduce on replay): $input" >&2
  else
    echo "fuzz.sh: NEW FINDING: $input" >&2
  fi
  printf '%s\n' "$message" | grep -E 'invariant broken|ERROR:|SUMMARY:|runtime error' \
    | head -n 5 >&2 || true
done
runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$build/fuzz.log" | tail -n 1 \
       | grep -oE '[0-9]+$' || true)
if [ -z "$runs" ]; then
  runs=$(grep -oE '^#[0-9]+' "$build/fuzz.log" | tail -n 1 | tr -d '#' || true)
fi
echo "fuzz.sh: ${runs:-?} executions in ${seconds} s; $(ls "$corpus" | wc -l) corpus entries;" \
     "$known crash(es) of known, reported bugs; $flaky timeout(s) or OOM(s) that did not" \
     "reproduce"
exit $status
