#!/bin/bash
# A benchmark, not a test: streams a run of 1,000,001 samples (t_end 1e6,
# dt 1) through coordyn-cli to /dev/null and checks that it finishes and
# exits 0; test-numerics.c runs the 100,001-sample variant in the suite.
#
#   bash tests/robustness/long-run.sh BUILD_DIR
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
build=${1:?usage: long-run.sh BUILD_DIR}
model=$(mktemp --suffix=.json)
trap 'rm -f "$model"' EXIT
cat >"$model" <<'JSON'
{"simulation": {"t_end": 1000000, "dt": 1},
 "nodes": [{"id": "c", "level": "central"}, {"id": "p1"}, {"id": "p2"}],
 "edges": [{"kind": "command", "source": "c", "target": "p1"},
           {"kind": "partnership", "source": "p1", "target": "p2"}],
 "events": [{"onset": 10, "magnitude": 2, "decay": 5, "impact": {"p1": 1}}]}
JSON
start=$(date +%s.%N)
"$build/src/cli/coordyn-cli" run --forces --trust "$model" -o /dev/null
end=$(date +%s.%N)
echo "long-run: 1000001 samples streamed in $(echo "$end - $start" | bc) s"
