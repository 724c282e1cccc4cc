#!/bin/bash
# Runs the test suite again under sanitizers, in build directories of its own:
#
#   1. ASan + UBSan (GCC): every suite.  LeakSanitizer is on for everything
#      but the GUI suite 'app' (GTK, fontconfig and the X server keep
#      process-lifetime caches; that noise would hide real leaks), which runs
#      under xvfb-run with leak detection off.  UBSan halts on the first
#      report, so undefined behaviour fails the test that triggered it.
#   2. TSan, engine only (gui=false): the suites with threads — the engine,
#      robustness (four threads on one CdSystem) and analysis (Monte Carlo),
#      with GLib's GMutex/GCond made visible to TSan (tsan-glib-sync.c);
#      not the tests in suite 'tsan-skip' (single-threaded tests: runs that
#      spend whole step budgets, the sparse analysis path, the file reader
#      (limits, hostile-files), number formatting, and optimize-cli, whose
#      search test-optimize runs on two threads in process; minutes of TSan
#      that could find nothing: 63 s of the reader's and formatting's and
#      38 s of optimize-cli's in CI on 2026-12-06).  The file reader's
#      tests (test-model-json, 20 s of CI's TSan run) are suite 'tsan-skip'
#      but for the one with a thread, the replaced file's page dropper,
#      which is the test 'model-json-dropper' (tests/engine/meson.build).
#      Inside tests, under TSan only (__SANITIZE_THREAD__), a repeat of the
#      same threads is skipped, its reason and figure next to it: test-optimize
#      runs one search on two threads, on a TSan-sized horizon (61 s -> 21 s
#      alone on a loaded machine, 2026-12-06); test-scale compares the graph
#      order on two threads but not again on one (34 s -> 23 s); test-fit
#      leaves coordyn-cli fit, the same fit, to the other builds (-10 s),
#      and its one-thread fit in cancel-and-threads (8.3 s -> 5.7 s).
#
# Both builds are -O2 -g, without the benchmark programs (-Dbenchmarks=false:
# no test runs them; 19 s of the ASan build's 486 s of compiling).  The GUI
# test on the national model (suite 'national') is left out of the ASan
# run: the sparse path it drives is under ASan in the analysis suite, and
# instrumented GTK adds minutes.  So are the tests in suite 'asan-skip',
# repeats of what other tests run under ASan: hostile-cli's and
# hostile-open's absurd national runs spend a whole step budget, the same
# step millions of times (about 20 s and 55 s of ASan, 2026-12-06), and
# analysis-cli-national takes the sparse path test-sparse takes (20 s), and
# the Chinese runs of room, tables and mnemonics are their English runs'
# code with other strings, shaped by uninstrumented Pango (24 s); see
# tests/robustness/meson.build, tests/app/meson.build and
# tests/analysis/meson.build.  test-optimize's one-thread repeat of its
# two-thread search is left to the main suite, which compares their fronts
# byte for byte (35 s of test-optimize's 83 s under ASan, loaded machine,
# 2026-12-06), and so is test-optimize-cli's (its table 11 s -> 6 s).
# test-render's force-field layouts in Chinese and test-policy-view's
# snapshots are skipped under ASan (__SANITIZE_ADDRESS__): the same code on
# other strings, the same search again (render 36 s -> 25 s; policy-view
# 30 s -> 14 s with its coarser hit scan).
#
#   bash .ci/sanitizers.sh            both
#   bash .ci/sanitizers.sh asan|tsan  one of them
#
# The reference suite (a SciPy integrator compared with the CLI over random
# models) is left out: it exercises nothing the engine suites do not, and
# takes minutes when the CLI is instrumented.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
which=${1:-all}
asan_dir=${ASAN_BUILD_DIR:-$src/_build-asan}
tsan_dir=${TSAN_BUILD_DIR:-$src/_build-tsan}
supp=$src/tests/robustness/lsan.supp
status=0

have_gtk() { pkg-config --exists 'gtk4 >= 4.8' 'libadwaita-1 >= 1.2'; }

setup() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    # -O2 -g, as the sanitizers' own documentation advises: reports keep
    # their line numbers, and the instrumented suites run several times
    # faster than at -O0 (CI's time goes mostly to these two runs).
    meson setup "$dir" "$src" -Dbuildtype=debugoptimized -Db_lundef=false \
      -Dbenchmarks=false "$@" \
      >"$dir.setup.log" 2>&1 \
      || { cat "$dir.setup.log" >&2; exit 1; }
  fi
}

run_suites() {
  # meson test fails on the first failed suite only at the end; keep going
  # so one run shows every failure.
  local dir=$1; shift
  if ! "$@"; then
    status=1
    echo "sanitizers.sh: FAILED: $*  (log: $dir/meson-logs/testlog.txt)" >&2
  fi
}

if [ "$which" = all ] || [ "$which" = asan ]; then
  gui=false
  if have_gtk; then gui=true; fi
  setup "$asan_dir" -Db_sanitize=address,undefined -Dgui=$gui
  ninja -C "$asan_dir"

  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  # GLib's slice allocator would hide allocations from LSan.
  export G_SLICE=always-malloc

  # Allocation stacks come from the fast (frame-pointer) unwinder.  GLib is
  # built without frame pointers, so a stack through g_malloc ends there:
  # a leak in our code is still reported and fails its test, only without
  # our frames (rerun that test with fast_unwind_on_malloc=0 to see them).
  # The slow unwinder made every allocation cost a full DWARF unwind: the
  # render suite took 191 s with it and 28 s without.  The libraries' own
  # caches in lsan.supp are matched by module (their first frame), except
  # g_set_user_dirs, named by function further up: the suite 'lsan-deep'
  # (test-institution) runs again with the slow unwinder.
  asan=abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
  ASAN_OPTIONS=detect_leaks=1:$asan \
  LSAN_OPTIONS=suppressions=$supp:print_suppressions=0 \
    run_suites "$asan_dir" meson test -C "$asan_dir" --no-rebuild --print-errorlogs \
      --timeout-multiplier 4 --no-suite reference --no-suite app --no-suite lsan-deep \
      --no-suite asan-skip
  ASAN_OPTIONS=detect_leaks=1:$asan:fast_unwind_on_malloc=0 \
  LSAN_OPTIONS=suppressions=$supp:print_suppressions=0 \
    run_suites "$asan_dir" meson test -C "$asan_dir" --no-rebuild --print-errorlogs \
      --timeout-multiplier 4 --suite lsan-deep

  if [ "$gui" = true ] && meson test -C "$asan_dir" --list --suite app >/dev/null 2>&1 \
     && [ -n "$(meson test -C "$asan_dir" --list --suite app 2>/dev/null)" ]; then
    if ! command -v xvfb-run >/dev/null; then
      echo "sanitizers.sh: FAIL: the GUI tests need xvfb-run (apt-get install xvfb xauth)" >&2
      status=1
    else
      ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 GTK_A11Y=none GSETTINGS_BACKEND=memory \
        run_suites "$asan_dir" xvfb-run -a meson test -C "$asan_dir" --no-rebuild \
          --print-errorlogs --timeout-multiplier 4 --suite app --no-suite national \
          --no-suite asan-skip
    fi
  else
    echo "sanitizers.sh: note: no GUI test suite 'app' in this build (gui=$gui)"
  fi
fi

if [ "$which" = all ] || [ "$which" = tsan ]; then
  setup "$tsan_dir" -Db_sanitize=thread -Dgui=false
  suites=()
  for s in engine robustness analysis; do
    if [ -n "$(meson test -C "$tsan_dir" --list --suite "$s" 2>/dev/null)" ]; then
      suites+=(--suite "$s")
    fi
  done
  # Only what the tests below run, and the GMutex shim: no render library
  # or render tests, no tsan-skip programs (127 of 170 build steps; 39 s
  # instead of 43 s, loaded machine, 2026-12-06).
  targets=$(python3 "$src/.ci/test-targets.py" "$tsan_dir" "${suites[@]}" \
              --no-suite fuzz --no-suite tsan-skip)
  # shellcheck disable=SC2086  # one target a line, no spaces in them
  ninja -C "$tsan_dir" $targets tests/robustness/libtsan-glib-sync.so
  # GLib's GMutex/GCond are futexes TSan cannot see: tsan-wrap.sh preloads
  # a pthread version of them; fontconfig, not instrumented either, is
  # suppressed (tsan.supp says why).  GLib 2.74's slice allocator hands
  # freed blocks between threads' magazines under locks inside libglib the
  # shim does not see (a GArray one analysis thread freed, another's new one,
  # looked like a race): plain malloc, as for ASan.  The fuzz replay forks
  # per input and does no threading: leave it out.
  G_SLICE=always-malloc \
  COORDYN_TSAN_SHIM=$tsan_dir/tests/robustness/libtsan-glib-sync.so \
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:report_signal_unsafe=0:suppressions=$src/tests/robustness/tsan.supp \
    run_suites "$tsan_dir" meson test -C "$tsan_dir" --no-rebuild --print-errorlogs \
      --wrapper "$src/tests/robustness/tsan-wrap.sh" \
      --timeout-multiplier 6 "${suites[@]}" --no-suite fuzz --no-suite tsan-skip
fi

if [ $status -eq 0 ]; then
  echo "sanitizers.sh: clean"
fi
exit $status
