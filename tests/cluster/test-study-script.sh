#!/bin/bash
# test-study-script.sh — tools/slurm/study.sbatch without Slurm: the
# environment of an array task is set by hand, so the part each task
# computes (K/N), its threads and its output, and every refusal, are
# checked anywhere, in seconds.  test-slurm.sh runs the script under a
# real Slurm.
#
# Usage: test-study-script.sh SOURCE_ROOT COORDYN_CLI
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
src=$1
cli=$2
script=$src/tools/slurm/study.sbatch
tmp=$(mktemp -d "${TMPDIR:-/tmp}/coordyn-study-script-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
n_tests=0
failed=0
ok () {
  n_tests=$((n_tests + 1))
  if [ "$1" = 0 ]; then
    echo "ok $n_tests - $2"
  else
    echo "not ok $n_tests - $2"
    failed=1
  fi
}

# A stand-in for coordyn-cli that prints its arguments.
cat > "$tmp/fake-cli" <<'EOF'
#!/bin/sh
printf '%s\n' "$@"
EOF
chmod +x "$tmp/fake-cli"

# Runs the script as task K of an array MIN-MAX with COUNT tasks; the
# rest of the arguments go to the script.  Output in $tmp/out, $tmp/err.
task () {
  local id=$1 min=$2 max=$3 count=$4
  shift 4
  env -u SLURM_CPUS_PER_TASK -u COORDYN_SHARDS SLURM_ARRAY_TASK_ID="$id" \
      SLURM_ARRAY_TASK_MIN="$min" SLURM_ARRAY_TASK_MAX="$max" SLURM_ARRAY_TASK_COUNT="$count" \
      COORDYN_CLI="$tmp/fake-cli" ${EXTRA_ENV:-} sh "$script" "$@" > "$tmp/out" 2> "$tmp/err"
}

# task 3 of --array=1-5%2: part 3/5, one thread, into OUTDIR/shard-3.csv
task 3 1 5 5 "$tmp/o" montecarlo m.json --runs 100 --seed 7 --bands b.csv
status=$?
printf 'montecarlo\nm.json\n--runs\n100\n--seed\n7\n--bands\nb.csv\n--shard\n3/5\n--threads=1\n-o\n%s\n' \
  "$tmp/o/shard-3.csv" > "$tmp/want"
cmp -s "$tmp/out" "$tmp/want"
ok $(( status | $? )) "task 3 of 1-5 computes part 3/5 into OUTDIR/shard-3.csv"
[ -d "$tmp/o" ]
ok $? "OUTDIR is created"
grep -q "task 3 of 5" "$tmp/err"
ok $? "the task says what it runs in its log"

# --cpus-per-task gives the threads; --threads in ARGS wins
EXTRA_ENV=SLURM_CPUS_PER_TASK=4 task 1 1 2 2 "$tmp/o" experiment spec.json
grep -qx -- "--threads=4" "$tmp/out"
ok $? "threads from --cpus-per-task"
EXTRA_ENV=SLURM_CPUS_PER_TASK=4 task 1 1 2 2 "$tmp/o" sensitivity m.json --sobol 64 --threads 2
[ "$(grep -c -- "--threads" "$tmp/out")" = 1 ] && grep -qx 2 "$tmp/out"
ok $? "--threads in ARGS is kept, and not given twice"

# tasks run again: --array=7,12 with COORDYN_SHARDS=50
EXTRA_ENV=COORDYN_SHARDS=50 task 12 7 12 2 "$tmp/o" montecarlo m.json --runs 9 --seed 1
grep -qx "12/50" "$tmp/out" && grep -qx "$tmp/o/shard-12.csv" "$tmp/out"
ok $? "COORDYN_SHARDS=N: task 12 computes part 12/N"

# refusals, each with exit status 2 and a message that says what to do
refused () {
  local what=$1 pattern=$2
  shift 2
  "$@"
  local status=$?
  [ $status = 2 ] && grep -q -- "$pattern" "$tmp/err" && [ ! -s "$tmp/out" ]
  ok $? "refused: $what"
}
refused "a 0-based array" "COORDYN_SHARDS=N" task 0 0 4 5 "$tmp/o" montecarlo m.json
refused "some tasks of an array" "must be 1-N" task 3 3 4 2 "$tmp/o" montecarlo m.json
refused "an array with a step" "must be 1-N" task 3 1 5 3 "$tmp/o" montecarlo m.json
EXTRA_ENV=COORDYN_SHARDS=4 refused "a task beyond N" "is not one of 1-4" \
  task 5 5 5 1 "$tmp/o" montecarlo m.json
refused "--shard in ARGS" "gives each task its --shard" task 1 1 2 2 "$tmp/o" montecarlo m.json --shard 1/2
refused "-o in ARGS" "gives each task its --shard and -o" task 1 1 2 2 "$tmp/o" montecarlo m.json -o x.csv
refused "a command that does not shard" "COMMAND must be" task 1 1 2 2 "$tmp/o" sweep m.json
refused "too few arguments" "usage: sbatch" task 1 1 2 2 "$tmp/o" montecarlo
env -u SLURM_ARRAY_TASK_ID sh "$script" "$tmp/o" montecarlo m.json > "$tmp/out" 2> "$tmp/err"
[ $? = 2 ] && grep -q "submit with sbatch --array=1-N" "$tmp/err"
ok $? "refused: run outside a job array"
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=1 SLURM_ARRAY_TASK_COUNT=1 \
  COORDYN_CLI=/nonexistent/coordyn-cli sh "$script" "$tmp/o" montecarlo m.json \
  > "$tmp/out" 2> "$tmp/err"
[ $? = 2 ] && grep -q "not found: load Coordyn's module" "$tmp/err"
ok $? "refused: coordyn-cli not found"

# the real coordyn-cli, one part of a study, through the script
cat > "$tmp/m.json" <<'EOF'
{ "simulation": {"t_end": 4, "dt": 1}, "nodes": [ {"id": "a"}, {"id": "b"} ],
  "edges": [ {"kind": "partnership", "source": "a", "target": "b"} ],
  "ranges": { "resistance.law": {"min": 0, "max": 1} } }
EOF
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=2 SLURM_ARRAY_TASK_COUNT=2 \
  COORDYN_CLI=$cli sh "$script" "$tmp/real" montecarlo "$tmp/m.json" --runs 5 --seed 3 \
  > "$tmp/out" 2> "$tmp/err"
status=$?
[ $status = 0 ] && grep -qx "# shard: 2/2" "$tmp/real/shard-2.csv" \
  && grep -qx "# runs: 2-4 of 5" "$tmp/real/shard-2.csv"
ok $? "with coordyn-cli: shard-2.csv is part 2/2 of the study"

echo "1..$n_tests"
exit $failed
