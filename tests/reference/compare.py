#!/usr/bin/python3
# Cross-checks the C engine (through coordyn-cli) against the Python
# reference implementation coordyn_reference.py, on example models and on
# random valid models generated here; prints TAP for `meson test`.
# SPDX-License-Identifier: GPL-3.0-or-later
"""compare.py --cli PATH [--examples DIR] [--random N] [--random2 N] [--corners N]
                  [--seed S]

For every model runs `PATH run MODEL --forces --factors --trust` and the reference
with the same options, and compares every cell: identical header, same
number of rows, max |difference| <= --tol (1e-6). Exit 0 when all agree.
"""

import argparse
import csv
import glob
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coordyn_reference as ref  # noqa: E402

LEVELS = ["central", "provincial", "municipal", "county", "other"]

# Ranges used for random parameters: within docs/model.md's ranges, moderate so
# that models are not stiff.
PARAM_RANDOM = {
    "gravity.interest": (0.0, 3.0),
    "gravity.trust": (0.0, 3.0),
    "pressure.admin": (0.0, 3.0),
    "pressure.crisis": (0.0, 4.0),
    "thrust.info": (0.0, 2.0),
    "thrust.appraisal": (0.0, 2.0),
    "resistance.fragmentation": (0.0, 4.0),
    "pressure.command": (0.0, 3.0),
    "resistance.ideas": (0.0, 3.0),
    "resistance.powers": (0.0, 3.0),
    "resistance.burden": (0.0, 3.0),
    "resistance.compensation": (0.0, 1.0),
    "resistance.supervision": (0.0, 1.0),
    "resistance.law": (0.0, 1.0),
    "dynamics.rationality": (0.3, 10.0),
    "dynamics.rate": (0.2, 3.0),
    "dynamics.trust_gain": (0.0, 2.0),
    "dynamics.trust_decay": (0.0, 1.0),
}
DTS = [0.05, 0.1, 0.25, 0.5]


def _r(rng, lo, hi, digits=None):
    value = float(rng.uniform(lo, hi))
    return round(value, digits) if digits is not None else value


def random_model(rng, extensions=True, version=1):
    """A random valid model (a dict ready for json.dump) of the given version.
    Version 2: both roles of command lines, several superiors, appraisal
    weights of their own, and the new parameters in interventions."""
    rule = "replicator" if rng.random() < 0.5 else "logit"
    n = int(rng.integers(1, 13))
    ids = []
    for i in range(n):
        style = rng.random()
        if style < 0.1:
            ids.append("省%d" % i)
        elif style < 0.2:
            ids.append("county %d" % i)
        else:
            ids.append("n%d" % i)

    def maybe(p=0.7):
        return rng.random() < p

    nodes = []
    for i, nid in enumerate(ids):
        node = {"id": nid}
        fixed = rng.random() < 0.2
        if maybe(0.3):
            node["name"] = "Government " + nid
        if maybe(0.6):
            node["level"] = LEVELS[int(rng.integers(len(LEVELS)))]
        keys = (("capacity", "vulnerability", "fragmentation") if version == 1 else
                ("capacity", "vulnerability", "fragmentation_ideas", "fragmentation_powers"))
        for key in keys:
            if maybe():
                node[key] = _r(rng, 0.0, 1.0, 4 if maybe(0.5) else None)
        if version == 2 and maybe(0.4):
            node["appraisal"] = _r(rng, 0.0, 1.0)
        if fixed:
            node["fixed"] = True
            node["x0"] = [0.0, 1.0, _r(rng, 0, 1)][int(rng.integers(3))]
        else:
            if maybe(0.2):
                node["fixed"] = False
            if rule == "replicator":
                node["x0"] = _r(rng, 0.02, 0.98)
            elif maybe(0.85):
                node["x0"] = [0.0, 1.0, _r(rng, 0, 1), _r(rng, 0, 1)][int(rng.integers(4))]
        if maybe(0.3):
            node["pos"] = [_r(rng, -500, 500, 1), _r(rng, -500, 500, 1)]
        if extensions and maybe(0.2):
            node["names"] = {"zh_CN": "政府" + nid, "en": "Gov " + nid}
        nodes.append(node)

    edges = []
    order = list(rng.permutation(n))          # command edges go down this order: a DAG
    p_cmd = float(rng.uniform(0.0, 0.5))
    p_part = float(rng.uniform(0.0, 0.6))
    for a in range(n):
        for b in range(a + 1, n):
            if rng.random() < p_cmd:
                e = {"kind": "command", "source": ids[order[a]], "target": ids[order[b]]}
                if maybe():
                    e["weight"] = _r(rng, 0.05, 1.0)
                if version == 2 and maybe(0.6):
                    e["role"] = "emergency" if maybe(0.5) else "administrative"
                edges.append(e)
            if rng.random() < p_part:
                s, t = (a, b) if rng.random() < 0.5 else (b, a)
                e = {"kind": "partnership", "source": ids[s], "target": ids[t]}
                for key in ("interest", "trust", "info"):
                    if maybe():
                        e[key] = _r(rng, 0.0, 1.0)
                edges.append(e)
    edges = [edges[i] for i in rng.permutation(len(edges))]

    dt = DTS[int(rng.integers(len(DTS)))]
    t_end = float(rng.integers(5, 21)) if maybe(0.5) else _r(rng, 5.0, 20.0, 2)
    K = int(math.floor(t_end / dt + 1e-9))

    def on_grid(k):
        """Sample time k: either k*dt exactly as the engine computes it, or
        as a user writes it (2.7); for the dt used here k*dt is never below
        the decimal, so both are "exactly at a sample" under either reading
        of docs/model.md (see README)."""
        if rng.random() < 0.5:
            return k * dt
        return float(repr(round(k * dt, 10)))

    def a_time():
        """0, a sample time, or any time (up to 10% past t_end)."""
        kind = rng.random()
        if kind < 0.15:
            return 0.0
        if kind < 0.55:
            return on_grid(int(rng.integers(0, K + 1)))
        t = _r(rng, 0.0, t_end * 1.1, 3)
        k = round(t / dt)
        if abs(t - k * dt) < 1e-6:
            return on_grid(k)
        return t

    events = []
    for _ in range(int(rng.integers(0, 4))):
        impact = {}
        for nid in ids:
            if rng.random() < 0.5:
                impact[nid] = _r(rng, 0.0, 1.0)
        ev = {"onset": a_time(), "magnitude": _r(rng, 0.0, 3.0),
              "decay": _r(rng, 0.3, 8.0), "impact": impact}
        if maybe(0.5):
            ev["name"] = "event %d" % len(events)
        if extensions and maybe(0.2):
            ev["names"] = {"zh_CN": "事件%d" % len(events)}
        events.append(ev)

    interventions = []
    paths = sorted(p for p in PARAM_RANDOM if p in ref.params_of(version))
    for _ in range(int(rng.integers(0, 4))):
        choice = rng.random()
        if interventions and choice < 0.25:
            at = interventions[int(rng.integers(len(interventions)))]["at"]   # equal times
        elif events and choice < 0.4:
            at = events[int(rng.integers(len(events)))]["onset"]
        else:
            at = a_time()
        changes = {}
        for _ in range(int(rng.integers(1, 4))):
            path = paths[int(rng.integers(len(paths)))]
            changes[path] = _r(rng, *PARAM_RANDOM[path])
        interventions.append({"at": at, "set": changes})

    params = {}
    for path in paths:
        if rng.random() < 0.5:
            section, key = path.split(".")
            params.setdefault(section, {})[key] = _r(rng, *PARAM_RANDOM[path])
    if rule == "replicator" or maybe(0.3):
        params.setdefault("dynamics", {})["rule"] = rule

    model = {"format": "coordyn-model", "version": version}
    if maybe(0.5):
        model["name"] = "random model"
    if maybe(0.3):
        model["description"] = "generated by compare.py"
    if extensions and maybe(0.2):
        model["names"] = {"zh_CN": "随机模型"}
    if extensions and maybe(0.2):
        model["descriptions"] = {"zh_CN": "由 compare.py 生成"}
    if params:
        model["parameters"] = params
    sim = {"t_end": t_end, "dt": dt}
    if maybe(0.2):
        sim["rtol"] = 1e-8
        sim["atol"] = 1e-10
    model["simulation"] = sim
    model["nodes"] = nodes
    if edges or maybe(0.5):
        model["edges"] = edges
    if events or maybe(0.5):
        model["events"] = events
    if interventions or maybe(0.5):
        model["interventions"] = interventions
    # the reference must accept it with strict key checks
    ref.Model(json.loads(json.dumps(model)), strict=True)
    return model


def _severity(events, node, t):
    """S_node(t) of docs/model.md, for events written as compare.py writes them."""
    return sum(ev["magnitude"] * ev["impact"].get(node, 0.0)
               * math.exp(-(t - ev["onset"]) / ev["decay"])
               for ev in events if t >= ev["onset"])


def worst_report_switches(model):
    """How many times the worst-hit subordinate of some government changes
    between two event onsets: the corners of max_d h_id S_d (docs/model.md,
    "Error control"), found on a fine grid."""
    t_end = model["simulation"]["t_end"]
    onsets = sorted({ev["onset"] for ev in model["events"]})
    below = {}
    for e in model.get("edges", []):
        if e["kind"] == "command":
            below.setdefault(e["source"], []).append((e["target"], e.get("weight", 1.0)))
    grid = np.linspace(0.0, t_end, 4001)
    switches = 0
    for subs in below.values():
        if len(subs) < 2:
            continue
        previous = None
        for t0, t1 in zip(grid[:-1], grid[1:]):
            reports = [h * _severity(model["events"], d, t1) for d, h in subs]
            best = int(np.argmax(reports)) if max(reports) > 0 else None
            crosses_onset = any(t0 < o <= t1 for o in onsets)
            if previous is not None and best is not None and best != previous \
                    and not crosses_onset:
                switches += 1
            previous = best
    return switches


def corner_model(rng, version=1):
    """A random model whose crisis reports switch between subordinates while
    no event begins: governments with several subordinates hit by events of
    different decays, so that the worst-hit subordinate changes. Few of
    random_model's models have such corners (38 of the 960 of seeds 1-11 and
    20261128), and the engine decides at each one whether to land on it or
    step over it. Some governments start settled near 1, where corners are
    stepped over."""
    while True:
        model = random_model(rng, extensions=False, version=version)
        ids = [nd["id"] for nd in model["nodes"]]
        n_top = int(rng.integers(1, 3))
        n_sub = int(rng.integers(2, 6))
        tops = ["top%d" % k for k in range(n_top)]
        subs = ["sub%d" % k for k in range(n_sub)]
        for nid in tops + subs:
            node = {"id": nid, "x0": [_r(rng, 0.0, 1.0), _r(rng, 0.97, 1.0)][int(rng.integers(2))]}
            if rng.random() < 0.5:
                node["vulnerability"] = _r(rng, 0.3, 1.0)
            model["nodes"].append(node)
        edges = model.setdefault("edges", [])
        for top in tops:
            for sub in subs:
                if rng.random() < 0.8:
                    e = {"kind": "command", "source": top, "target": sub,
                         "weight": _r(rng, 0.3, 1.0)}
                    if version == 2 and rng.random() < 0.5:
                        e["role"] = "emergency"
                    edges.append(e)
        if ids and rng.random() < 0.5:      # tie the new hierarchy to the rest
            edges.append({"kind": "partnership", "source": tops[0],
                          "target": ids[int(rng.integers(len(ids)))]})
        t_end = model["simulation"]["t_end"]
        events = model.setdefault("events", [])
        for k in range(int(rng.integers(2, 4))):
            hit = subs[k % n_sub]
            others = [s for s in subs if s != hit and rng.random() < 0.3]
            events.append({"onset": _r(rng, 0.0, 0.4 * t_end, 2),
                           "magnitude": _r(rng, 0.5, 3.0),
                           "decay": _r(rng, 0.3, 2.0) if k % 2 == 0 else _r(rng, 3.0, 12.0),
                           "impact": dict([(hit, _r(rng, 0.5, 1.0))]
                                          + [(s, _r(rng, 0.0, 0.4)) for s in others])})
        params = model.setdefault("parameters", {})
        params.setdefault("pressure", {})["crisis"] = _r(rng, 0.5, 4.0)
        if version == 2:
            params["pressure"]["command"] = _r(rng, 0.5, 3.0)
        ref.Model(json.loads(json.dumps(model)), strict=True)
        if worst_report_switches(model) > 0:
            return model


def parse_csv(text):
    reader = csv.reader(io.StringIO(text))
    lines = list(reader)
    if not lines:
        raise ValueError("empty output")
    header = lines[0]
    rows = []
    for n, line in enumerate(lines[1:], start=1):
        if not line:
            continue
        try:
            rows.append([float(v) for v in line])
        except ValueError as exc:
            raise ValueError("row %d: %s" % (n, exc)) from None
    return header, rows


def compare_one(cli, path, tol, timeout):
    """Returns (ok, message, diagnostics list)."""
    try:
        proc = subprocess.run([cli, "run", path, "--forces", "--factors", "--trust"],
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "cli timed out after %gs" % timeout, []
    except OSError as exc:
        return False, "cannot run cli: %s" % exc, []
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return False, "cli exited with %d" % proc.returncode, err[:10]
    try:
        header, rows = parse_csv(proc.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return False, "cannot parse cli output: %s" % exc, []

    model = ref.load_model(path)
    rheader, rrows = ref.run(model, with_forces=True, with_trust=True, with_factors=True)

    if header != rheader:
        diag = []
        for i in range(max(len(header), len(rheader))):
            a = header[i] if i < len(header) else "<none>"
            b = rheader[i] if i < len(rheader) else "<none>"
            if a != b:
                diag.append("column %d: cli %r, reference %r" % (i, a, b))
                break
        return False, "headers differ (%d vs %d columns)" % (len(header), len(rheader)), diag
    if len(rows) != len(rrows):
        return False, "row counts differ: cli %d, reference %d" % (len(rows), len(rrows)), []
    for n, row in enumerate(rows):
        if len(row) != len(header):
            return False, "row %d has %d cells, header %d" % (n + 1, len(row), len(header)), []
    if not rows:
        return True, "no rows", []
    a = np.array(rows)
    b = np.array(rrows)
    diff = np.abs(a - b)
    # a NaN anywhere but in both at the same cell is a failure
    bad_nan = np.isnan(a) != np.isnan(b)
    diff = np.where(np.isnan(a) & np.isnan(b), 0.0, diff)
    diff = np.where(bad_nan | np.isnan(diff), np.inf, diff)
    r, c = np.unravel_index(int(np.argmax(diff)), diff.shape)
    worst = float(diff[r, c])
    where = "worst |diff| %.3g at row %d (t=%.17g), column %s: cli %.17g, reference %.17g" % (
        worst, r + 1, b[r, 0], header[c], a[r, c], b[r, c])
    return worst <= tol, where, []


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True, help="path to coordyn-cli")
    ap.add_argument("--examples", help="directory of example models (*.json)")
    ap.add_argument("--random", type=int, default=0, help="number of random models")
    ap.add_argument("--random2", type=int, default=0,
                    help="number of random version-2 models (docs/model.md, \"Model 2\")")
    ap.add_argument("--corners", type=int, default=0,
                    help="number of random models whose crisis reports switch between "
                    "subordinates (corners of the right-hand side), half of them version 2")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--keep", help="directory where failing random models are saved "
                    "(default: a new temporary directory, printed)")
    ap.add_argument("--no-extensions", action="store_true",
                    help="random models without the names/descriptions extensions")
    args = ap.parse_args(argv)

    cases = []
    if args.examples:
        files = sorted(glob.glob(os.path.join(args.examples, "*.json")))
        if not files:
            print("Bail out! no *.json in %s" % args.examples)
            return 1
        cases += [(os.path.basename(f), f, None) for f in files]
    rng = np.random.default_rng(args.seed)
    for i in range(args.random):
        cases.append(("random-%03d (seed %d)" % (i, args.seed), None,
                      random_model(rng, extensions=not args.no_extensions)))
    # Version 2 from a stream of its own, so the version-1 models stay the same.
    rng2 = np.random.default_rng([args.seed, 2])
    for i in range(args.random2):
        cases.append(("random-v2-%03d (seed %d)" % (i, args.seed), None,
                      random_model(rng2, extensions=not args.no_extensions, version=2)))
    rng3 = np.random.default_rng([args.seed, 3])
    for i in range(args.corners):
        version = 1 + i % 2
        cases.append(("corners-%03d v%d (seed %d)" % (i, version, args.seed), None,
                      corner_model(rng3, version=version)))
    if not cases:
        print("Bail out! nothing to compare: give --examples and/or --random")
        return 1
    if not os.access(args.cli, os.X_OK):
        print("Bail out! %s is not an executable" % args.cli)
        return 1

    tmp = tempfile.mkdtemp(prefix="coordyn-compare-")
    keep = args.keep
    failures = 0
    print("1..%d" % len(cases))
    sys.stdout.flush()
    for n, (name, path, model) in enumerate(cases, start=1):
        if model is not None:
            path = os.path.join(tmp, "random-%03d.json" % (n - 1))
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(model, fh, ensure_ascii=False, indent=1)
        try:
            ok, msg, diag = compare_one(args.cli, path, args.tol, args.timeout)
        except Exception as exc:  # a reference failure must show, not crash the stream
            ok, msg, diag = False, "reference failed: %r" % exc, []
        if ok:
            print("ok %d - %s # %s" % (n, name, msg))
        else:
            failures += 1
            print("not ok %d - %s # %s" % (n, name, msg))
            for line in diag:
                print("#   " + line)
            if model is not None:
                if keep is None:
                    keep = tempfile.mkdtemp(prefix="coordyn-compare-failed-")
                os.makedirs(keep, exist_ok=True)
                dest = os.path.join(keep, os.path.basename(path))
                shutil.copy(path, dest)
                print("#   model kept at %s" % dest)
        sys.stdout.flush()
    shutil.rmtree(tmp, ignore_errors=True)
    print("# %d of %d models agree to %g" % (len(cases) - failures, len(cases), args.tol))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
