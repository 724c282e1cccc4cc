#!/bin/bash
# test-slurm.sh — tools/slurm/study.sbatch on a real Slurm: a single-node
# cluster from Debian's packages (munge, slurmctld, slurmd) started in a
# temporary folder, a job array per sharded command (montecarlo --bands,
# sensitivity --sobol, experiment), and `coordyn-cli merge` of each
# array's shards compared byte for byte with the unsharded command.
#
# It needs root (the daemons run as root, no systemd) and the packages;
# without them it SKIPs loudly (exit 77), or fails when
# COORDYN_REQUIRE_SLURM=1 (CI sets it: there it must run).  Every daemon it
# starts is stopped on any exit, and each wait is bounded.
#
# Usage: test-slurm.sh SOURCE_ROOT COORDYN_CLI
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
src=$(cd "$1" && pwd)
cli=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
script=$src/tools/slurm/study.sbatch

skip () {
  if [ "${COORDYN_REQUIRE_SLURM:-0}" = 1 ]; then
    echo "FAIL: cannot run Slurm here, and COORDYN_REQUIRE_SLURM=1: $*" >&2
    exit 1
  fi
  echo "SKIP: $* — the Slurm test did not run" >&2
  echo "1..0 # SKIP $*"
  exit 77
}
fail () {
  echo "FAIL: $*" >&2
  show_logs
  exit 1
}

[ "$(id -u)" = 0 ] || skip "not root (the test starts munged, slurmctld and slurmd as root)"
for tool in munged slurmctld slurmd sbatch squeue sinfo scancel; do
  command -v "$tool" >/dev/null 2>&1 \
    || skip "$tool not found (Debian: apt-get install munge slurmctld slurmd slurm-client)"
done
[ -x "$cli" ] || fail "coordyn-cli not found at $cli"

tmp=$(mktemp -d /tmp/coordyn-slurm-XXXXXX)
pids=()
show_logs () {
  [ -n "${tmp:-}" ] || return 0
  for log in "$tmp"/*.log "$tmp"/logs/*; do
    [ -s "$log" ] || continue
    echo "---- $log (last lines)" >&2
    tail -n 15 "$log" >&2
  done
}
cleanup () {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "${SLURM_CONF:-}" ] && [ ${#pids[@]} -gt 0 ]; then
    scancel --quiet --user=root 2>/dev/null
    for _ in $(seq 1 50); do
      [ -z "$(squeue -h 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  # Daemons in the reverse order they started: slurmd, slurmctld, munged.
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do
    kill -TERM "${pids[$i]}" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "${pids[$i]}" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "${pids[$i]}" 2>/dev/null
    wait "${pids[$i]}" 2>/dev/null
  done
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Ports nobody listens on (/proc/net/tcp{,6}: state 0A is LISTEN).
free_port () {
  local port hex
  while :; do
    port=$(( 20000 + RANDOM % 30000 ))
    hex=$(printf ':%04X ' "$port")
    grep -q "$hex[0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null || break
  done
  echo "$port"
}
ctld_port=$(free_port)
slurmd_port=$(free_port)
[ "$ctld_port" != "$slurmd_port" ] || slurmd_port=$((ctld_port + 1))

# ---- munge -------------------------------------------------------------------
mkdir -m 700 "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/logs"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --force --foreground --key-file="$tmp/munge/munge.key" \
  --socket="$tmp/munge/munge.socket" --pid-file="$tmp/munge/munged.pid" \
  --seed-file="$tmp/munge/munged.seed" > "$tmp/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  [ -S "$tmp/munge/munge.socket" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || fail "munged exited"
  sleep 0.05
done
[ -S "$tmp/munge/munge.socket" ] || fail "munged did not open its socket"

# ---- slurm -------------------------------------------------------------------
host=$(hostname -s)
cat > "$tmp/slurm.conf" <<EOF
ClusterName=coordyn-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=60
# More CPUs than the machine has, so that every task of the small arrays
# below starts at once (a round of two tasks at a time costs seconds).
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=16 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=10 State=UP
EOF
# slurmd loads a cgroup plugin even with the plugins above that need none;
# it must be the hierarchy this machine has, and must not ask systemd.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  printf 'CgroupPlugin=cgroup/v2\nIgnoreSystemd=yes\nCgroupAutomount=no\n' > "$tmp/cgroup.conf"
else
  printf 'CgroupPlugin=cgroup/v1\nCgroupAutomount=no\n' > "$tmp/cgroup.conf"
fi
export SLURM_CONF=$tmp/slurm.conf
slurmctld -D -f "$SLURM_CONF" > "$tmp/slurmctld-stderr.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$tmp/slurmd-stderr.log" 2>&1 &
pids+=($!)
state=
for _ in $(seq 1 300); do
  state=$(sinfo -h -o %t 2>/dev/null)
  [ "$state" = idle ] && break
  kill -0 "${pids[1]}" 2>/dev/null || fail "slurmctld exited"
  kill -0 "${pids[2]}" 2>/dev/null || fail "slurmd exited"
  sleep 0.1
done
[ "$state" = idle ] || fail "the node is '$state', not idle, after 30 s"
echo "# single-node Slurm up: $(sinfo -h -o '%P %D %t %c')"

# ---- the studies -------------------------------------------------------------
work=$tmp/work
mkdir "$work"
cd "$work" || fail "cannot enter $work"
cat > model.json <<'EOF'
{ "simulation": {"t_end": 8, "dt": 0.5},
  "nodes": [ {"id": "a"}, {"id": "b", "fragmentation": 0.3}, {"id": "c", "vulnerability": 0.8} ],
  "edges": [ {"kind": "partnership", "source": "a", "target": "b"},
             {"kind": "command", "source": "a", "target": "c"} ],
  "events": [ {"onset": 1, "magnitude": 1, "decay": 3, "impact": {"c": 1}} ],
  "scenarios": [ {"name": "law", "parameters": {"resistance": {"law": 0.9}}} ],
  "ranges": { "resistance.law": {"min": 0, "max": 1},
              "gravity.trust": {"distribution": "triangular", "min": 0.5, "max": 2, "mode": 1} } }
EOF
cat > spec.json <<'EOF'
{ "format": "coordyn-experiment", "version": 1, "model": "model.json",
  "vary": { "resistance.law": [0, 0.5, 1], "thrust.info": {"from": 0, "to": 2, "steps": 4} },
  "scenarios": ["base", "law"],
  "outputs": ["final_mean_coordination", "peak_mean_coordination", "time_to_half", "total_loss"] }
EOF

export COORDYN_CLI=$cli
"$cli" montecarlo model.json --runs 40 --seed 11 --bands bands.csv -o mc.csv \
  || fail "montecarlo (whole)"
"$cli" sensitivity model.json --sobol 16 -o sobol.csv || fail "sensitivity --sobol (whole)"
"$cli" experiment spec.json -o experiment.csv || fail "experiment (whole)"

# Three arrays at once, one throttled to two tasks at a time.  Each is
# watched with squeue every 0.1 s (sbatch --wait polls for seconds), then
# every task of it must have COMPLETED with exit status 0.
submit () {
  local name=$1 array=$2
  shift 2
  sbatch --parsable --array="$array" --job-name="$name" --output="$tmp/logs/$name-%a.log" \
    "$script" "$@" || fail "sbatch $name"
}
finished () {
  local id=$1 what=$2 tasks=$3 states
  for _ in $(seq 1 1200); do
    [ -z "$(squeue -h -j "$id" 2>/dev/null)" ] && break
    sleep 0.1
  done
  [ -z "$(squeue -h -j "$id" 2>/dev/null)" ] || fail "$what: not done after 120 s"
  states=$(scontrol -o show job "$id" | grep -o 'JobState=[A-Z_]* .*ExitCode=[0-9:]*' \
           | sed 's/^\(JobState=[A-Z_]*\) .*\(ExitCode=[0-9:]*\)$/\1 \2/' | sort | uniq -c)
  [ "$(echo "$states" | sed 's/^ *//')" = "$tasks JobState=COMPLETED ExitCode=0:0" ] \
    || fail "$what: the tasks ended as: $states"
}
mc=$(submit mc 1-4%2 out-mc montecarlo model.json --runs 40 --seed 11 --bands bands-ignored.csv)
sobol=$(submit sobol 1-3 out-sobol sensitivity model.json --sobol 16)
experiment=$(submit experiment 1-5 out-experiment experiment spec.json)
finished "$mc" "the montecarlo array" 4
finished "$sobol" "the sensitivity --sobol array" 3
finished "$experiment" "the experiment array" 5

check () {
  local what=$1 dir=$2 whole=$3 n=$4
  shift 4
  local count
  count=$(ls "$dir"/shard-*.csv 2>/dev/null | wc -l)
  [ "$count" = "$n" ] || fail "$what: $count shards in $dir, not $n"
  "$cli" merge "$dir"/shard-*.csv -o "merged-$what.csv" "$@" || fail "$what: merge"
  cmp "merged-$what.csv" "$whole" || fail "$what: merged shards differ from the whole study"
  echo "ok - $what: $n array tasks merged into the unsharded bytes"
}
echo "TAP version 13"
check montecarlo out-mc mc.csv 4 --bands merged-bands.csv
cmp merged-bands.csv bands.csv || fail "montecarlo: merged bands differ from the whole study's"
echo "ok - montecarlo: merged bands are the unsharded bands"
[ ! -e bands-ignored.csv ] || fail "a shard wrote the bands file itself"
check sobol out-sobol sobol.csv 3
check experiment out-experiment experiment.csv 5

# A shard missing (a task that never finished) is refused by merge.
rm out-experiment/shard-4.csv
if "$cli" merge out-experiment/shard-*.csv -o never.csv 2> merge.err; then
  fail "merge accepted a missing shard"
fi
grep -q "shard 4 of 5 is missing" merge.err || fail "merge did not name the missing shard"
echo "ok - a missing shard is refused"
echo "1..5"
