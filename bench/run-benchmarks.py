#!/usr/bin/python3
# End-to-end benchmarks: `coordyn-cli run` on the national model against the
# SciPy twin (bench/scipy_twin.py) on the same model and tolerances.
# Prints figures; asserts nothing about speed.
# SPDX-License-Identifier: GPL-3.0-or-later
"""run-benchmarks.py [--build DIR] [--repeat N] [--t-end T] [--dt D] [--no-scipy] [--only B]

Generates the national model (coordyn-cli generate national, seed 1), then
runs `coordyn-cli run MODEL --t-end T --dt D -o FILE` N times and reports the
best wall time and the peak RSS of the child (getrusage of the waited-for
process), then the same for bench/scipy_twin.py, and the ratio of the two.
The twin reports its integration time on its own; the engine's comes from
bench-engine, so the integration alone is compared too.

Then the further benchmarks, among them issue 17's targets for the
national-size analyses (`coordyn-cli equilibria` <= 60 s, a 10-step
`coordyn-cli sweep` <= 120 s; medians of --analysis-repeat runs, the two
commands in turn). `--only national_analyses` runs just those.

Timings on a busy machine mean little: the load average is printed with
them; run on an idle machine for figures worth quoting.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(HERE)


def run_child(argv, stdout=subprocess.DEVNULL):
    """Runs argv; returns (wall seconds, peak RSS in MiB, stderr text, CPU
    seconds).  What earlier children wrote is synced to the disk first,
    untimed, so that no child waits for another's writeback: SciPy leaves
    its 38 MB dirty, and the engine, which syncs its own output, ran slower
    after it (0.144 against 0.131 s median in 15 interleaved rounds on the
    EPYC VM of bench/README's ninth pass)."""
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage, unlike RUSAGE_CHILDREN which
    # accumulates the maximum over every child so far.
    stderr_chunks = []
    while True:
        chunk = proc.stderr.read(65536)
        if not chunk:
            break
        stderr_chunks.append(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = b"".join(stderr_chunks).decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(argv), proc.returncode, err))
    return wall, usage.ru_maxrss / 1024.0, err, usage.ru_utime + usage.ru_stime


def best_of(argv, repeat):
    runs = [run_child(argv) for _ in range(repeat)]
    best = min(runs, key=lambda r: r[0])
    return {
        "wall": best[0],
        "rss": max(r[1] for r in runs),
        "cpu": min(r[3] for r in runs),
        "stderr": best[2],
        "walls": [r[0] for r in runs],
    }


def find_build(arg):
    for candidate in [arg, os.environ.get("MESON_BUILD_ROOT"), os.path.join(SOURCE_ROOT, "_build")]:
        if candidate and os.path.exists(os.path.join(candidate, "src", "cli", "coordyn-cli")):
            return candidate
    sys.exit("run-benchmarks: no build directory with src/cli/coordyn-cli (give --build DIR)")


def engine_integration(bench_engine, model, t_end, dt, repeat):
    """Integration time alone, from bench-engine (best of `repeat`)."""
    if not os.path.exists(bench_engine):
        return None, None
    out = subprocess.run([bench_engine, "--no-steppers", "--repeat", str(repeat),
                          "--t-end", str(t_end), "--dt", str(dt), model],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"integrate, default \(best of \d+\)\s+([0-9.]+) s\s+(\d+) steps.*?"
                  r"(\d+) evaluations,", out)
    if not m:
        return None, out
    return float(m.group(1)), out


def montecarlo(args, build, model):
    """Monte Carlo throughput (bench-montecarlo, analysis area), if built."""
    exe = os.path.join(build, "bench", "bench-montecarlo")
    if not os.path.exists(exe):
        print("bench-montecarlo: not built, skipped")
        return
    out = subprocess.run([exe], capture_output=True, text=True)
    print("bench-montecarlo (1,000 runs of the Yangtze River Delta example):")
    for line in (out.stdout + out.stderr).strip().splitlines():
        print("  " + line)


def fit(args, build, model):
    """A two-parameter fit on the Yangtze example (bench-fit, issue 15: <= 2 s), if built."""
    exe = os.path.join(build, "bench", "bench-fit")
    if not os.path.exists(exe):
        print("bench-fit: not built, skipped")
        return
    out = subprocess.run([exe], capture_output=True, text=True)
    print("bench-fit (two parameters, Yangtze River Delta, synthetic data; target 2 s):")
    for line in (out.stdout + out.stderr).strip().splitlines():
        print("  " + line)


def live(args, build, model):
    """One slider move on a 60-government model (bench-live, issue 6.4), if built."""
    exe = os.path.join(build, "bench", "bench-live")
    if not os.path.exists(exe):
        print("bench-live: not built, skipped")
        return
    out = subprocess.run([exe, "50"], capture_output=True, text=True)
    print("bench-live (re-run and redraw after a slider move; target 16 ms):")
    for line in (out.stdout + out.stderr).strip().splitlines():
        print("  " + line)
    if out.returncode != 0:
        raise RuntimeError("bench-live failed (%d)" % out.returncode)


# The contract of tests/reference: every output within this of a tight solution.
CONTRACT = 1e-6
# SciPy's two settings that meet it on the national model (issue 17): the
# faster of the two is the yardstick.
SCIPY_SETTINGS = [("RK45", 1e-8, 1e-10), ("DOP853", 1e-9, 1e-11)]


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def equal_accuracy(args, build, model):
    """The engine against SciPy at equal accuracy: every side's largest error
    against an independent tight solution (the twin's DOP853 at rtol 1e-12,
    atol 1e-14), then interleaved timed runs (engine, RK45, DOP853, engine, …)
    and the ratio of medians, with the faster SciPy setting as the yardstick,
    for outputs on the temporary directory's filesystem and, where there is
    one, on a memory filesystem (/dev/shm).
    "The same tolerances" is not the same accuracy: SciPy's error norm is the
    RMS over the components, the engine's is its own (docs/model.md,
    "Numerics"); what is compared is time at a given accuracy."""
    if args.no_scipy:
        return
    import json
    import numpy

    cli = os.path.join(build, "src", "cli", "coordyn-cli")
    twin = os.path.join(HERE, "scipy_twin.py")
    tmp = os.path.dirname(model)
    times = ["--t-end", str(args.t_end), "--dt", str(args.dt)]

    def table(path):
        return numpy.loadtxt(path, delimiter=",", skiprows=1)

    def twin_argv(method, rtol, atol, out):
        return (["/usr/bin/python3", twin, model] + times
                + ["--method", method, "--rtol", repr(rtol), "--atol", repr(atol), "-o", out])

    tight_csv = os.path.join(tmp, "tight.csv")
    _, _, err, _ = run_child(twin_argv("DOP853", 1e-12, 1e-14, tight_csv))
    tight = table(tight_csv)
    print("equal accuracy: largest |difference| of any cell of the CSV (mean_coordination, "
          "loss, x:…) from the twin's DOP853 at rtol 1e-12, atol 1e-14; contract %g" % CONTRACT)

    def error_of(path):
        d = numpy.abs(table(path) - tight)
        return d.max(), d[:, 2].max(), d[:, 3:].max()

    # The tight solution checked against the engine's own at the same tolerances:
    # two independent integrations that agree far inside the contract.
    with open(model, encoding="utf-8") as f:
        doc = json.load(f)
    doc["simulation"].update(rtol=1e-12, atol=1e-14)
    tight_model = os.path.join(tmp, "national-tight.json")
    with open(tight_model, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    engine_tight = os.path.join(tmp, "engine-tight.csv")
    run_child([cli, "run", tight_model] + times + ["-o", engine_tight])
    print("  the engine at rtol 1e-12 differs from it by %.2e" % error_of(engine_tight)[0])

    # Where the outputs go: beside the model (the temporary directory's
    # filesystem, a disk), and, where there is one, a memory filesystem.  On
    # a disk each side also pays for replacing its last run's 38 MB file,
    # which on a filesystem mounted with `discard` and no journal is a
    # synchronous discard of the old blocks (13-16 ms on the EPYC VM of
    # bench/README's ninth pass); in memory what is left is the computation
    # and the formatting.
    places = [("disk", tmp)]
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        places.append(("memory", tempfile.mkdtemp(prefix="coordyn-bench-", dir="/dev/shm")))
    try:
        sides = []
        for place, where in places:
            engine_out = os.path.join(where, "engine-eq.csv")
            sides.append((place, "coordyn-cli", [cli, "run", model] + times + ["-o", engine_out],
                          engine_out))
            for method, rtol, atol in SCIPY_SETTINGS:
                out = os.path.join(where, "twin-%s.csv" % method)
                sides.append((place, "SciPy %s rtol %g atol %g" % (method, rtol, atol),
                              twin_argv(method, rtol, atol, out), out))
        runs = {(place, name): [] for place, name, _, _ in sides}
        evaluations = {}
        # Interleaved: a drift in the machine's speed touches every side alike.
        for _ in range(args.repeat):
            for place, name, argv, _ in sides:
                wall, rss, err, cpu = run_child(argv)
                runs[place, name].append((wall, cpu, rss))
                m = re.search(r"(\d+) rhs evaluations", err)
                if m:
                    evaluations[name] = m.group(1)
        for place, _ in places:
            here = [side for side in sides if side[0] == place]
            in_memory = ", outputs in memory" if place == "memory" else ""
            medians = {}
            within = set()
            if len(places) > 1:
                print("  outputs on %s (%s):" % ("a memory filesystem" if place == "memory"
                                                  else "the temporary directory's filesystem",
                                                  os.path.dirname(here[0][3])))
            for _, name, _, out in here:
                worst, loss, x = error_of(out)
                wall = median([r[0] for r in runs[place, name]])
                cpu = median([r[1] for r in runs[place, name]])
                medians[name] = (wall, cpu)
                if worst <= CONTRACT:
                    within.add(name)
                # (no peak RSS here: a child forked from this Python, NumPy loaded,
                # reports the parent's as its own maximum)
                print("  %-34s error %.2e (loss %.2e, x %.2e)%s  wall %.3f s  cpu %.3f s%s"
                      % (name, worst, loss, x, "" if name in within else " OVER THE CONTRACT",
                         wall, cpu,
                         ("  %s evaluations" % evaluations[name]) if name in evaluations else ""))
            engine = medians[here[0][1]]
            # The yardstick: the faster SciPy setting within the contract.
            peers = [side[1] for side in here[1:] if side[1] in within]
            if here[0][1] not in within or not peers:
                print("  no ratio at equal accuracy%s: %s over the contract"
                      % (in_memory, "the engine is" if here[0][1] not in within
                         else "every SciPy setting is"))
                continue
            yard_name = min(peers, key=lambda name: medians[name][0])
            yard = medians[yard_name]
            print("  ratio at equal accuracy%s (medians of %d interleaved runs; yardstick %s): "
                  "wall %.1fx, cpu %.1fx"
                  % (in_memory, args.repeat, yard_name,
                     yard[0] / engine[0], yard[1] / engine[1]))
        print("  load average %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    finally:
        for place, where in places[1:]:
            shutil.rmtree(where, ignore_errors=True)


def national_analyses(args, build, model):
    """Issue 17's targets on the national model: `coordyn-cli equilibria`
    (stability included) <= 60 s and a 10-step `coordyn-cli sweep` <= 120 s.
    The two commands run in turn (A B A B ...) so that a change of the
    machine's load touches both alike; the medians are the figures, with the
    load average before and after (wall time on a shared machine is mostly
    waiting for a core, CPU time is the steadier figure)."""
    cli = os.path.join(build, "src", "cli", "coordyn-cli")
    tmp = os.path.dirname(model)
    out = os.path.join(tmp, "analysis.csv")
    commands = [
        ("equilibria", 60.0, [cli, "equilibria", model, "-o", out]),
        ("sweep resistance.fragmentation 0 8, 10 steps", 120.0,
         [cli, "sweep", model, "resistance.fragmentation", "0", "8", "10", "-o", out]),
    ]
    runs = {name: [] for name, _, _ in commands}
    load_before = os.getloadavg()
    for _ in range(args.analysis_repeat):
        for name, _, argv in commands:
            wall, rss, _, cpu = run_child(argv)
            runs[name].append((wall, cpu, rss))
    load_after = os.getloadavg()

    print("national-size analyses (issue 17; coordyn-cli, %d runs each in turn, medians; "
          "load average %s before, %s after):"
          % (args.analysis_repeat, " ".join("%.2f" % x for x in load_before),
             " ".join("%.2f" % x for x in load_after)))
    for name, target, _ in commands:
        walls = [r[0] for r in runs[name]]
        cpus = [r[1] for r in runs[name]]
        wall = median(walls)
        print("  %-46s wall %7.2f s (%.2f-%.2f)  cpu %6.2f s  peak RSS %5.1f MiB  "
              "target %g s: %s"
              % (name, wall, min(walls), max(walls), median(cpus),
                 max(r[2] for r in runs[name]), target,
                 "met" if wall <= target else "NOT met"))


# Further benchmarks register here: each is a function (args, build, model)
# that prints its own lines (see bench/README.md, "Adding a benchmark").
EXTRA_BENCHMARKS = [equal_accuracy, montecarlo, live, fit, national_analyses]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", help="meson build directory (default: $MESON_BUILD_ROOT or _build)")
    ap.add_argument("--repeat", type=int, default=5, help="best of N (default 5)")
    ap.add_argument("--t-end", type=float, default=60.0)
    ap.add_argument("--dt", type=float, default=0.1)
    ap.add_argument("--no-scipy", action="store_true", help="skip the SciPy twin")
    ap.add_argument("--national-seed", type=int, default=1,
                    help="seed of the generated national model (default 1, the benchmark's; "
                    "others show how the loss's error varies, bench/README ninth pass)")
    ap.add_argument("--analysis-repeat", type=int, default=3,
                    help="runs of each national-size analysis; the median is quoted "
                    "(default 3)")
    ap.add_argument("--only", metavar="NAME[,NAME...]",
                    help="only these of the further benchmarks (%s), without the "
                    "national run and the SciPy twin"
                    % ", ".join(b.__name__ for b in EXTRA_BENCHMARKS))
    args = ap.parse_args(argv)
    only = None
    if args.only is not None:
        known = {b.__name__: b for b in EXTRA_BENCHMARKS}
        only = [known.get(name.replace("-", "_")) for name in args.only.split(",")]
        if None in only or args.analysis_repeat < 1:
            ap.error("--only takes some of: %s" % ", ".join(known))

    build = find_build(args.build)
    cli = os.path.join(build, "src", "cli", "coordyn-cli")
    bench_engine = os.path.join(build, "bench", "bench-engine")
    tmp = tempfile.mkdtemp(prefix="coordyn-bench-")
    try:
        model = os.path.join(tmp, "national.json")
        subprocess.run([cli, "generate", "national", "--seed", str(args.national_seed),
                        "-o", model], check=True)
        if only is not None:
            for bench in only:
                bench(args, build, model)
            return 0
        out_c = os.path.join(tmp, "engine.csv")
        out_py = os.path.join(tmp, "twin.csv")

        print("national model (seed %d): t_end %g, dt %g, tolerances from the file; "
              "best of %d; load average %s; %d processors"
              % (args.national_seed, args.t_end, args.dt, args.repeat,
                 " ".join("%.2f" % x for x in os.getloadavg()), os.cpu_count()))
        c = best_of([cli, "run", model, "--t-end", str(args.t_end), "--dt", str(args.dt),
                     "-o", out_c], args.repeat)
        print("coordyn-cli run    wall %.3f s (runs: %s)  cpu %.3f s  peak RSS %.1f MiB  "
              "CSV %.1f MB"
              % (c["wall"], " ".join("%.3f" % w for w in c["walls"]), c["cpu"], c["rss"],
                 os.path.getsize(out_c) / 1e6))
        integrate_c, _ = engine_integration(bench_engine, model, args.t_end, args.dt, args.repeat)
        if integrate_c is not None:
            print("engine integration alone (bench-engine)  %.3f s" % integrate_c)

        if not args.no_scipy:
            twin = os.path.join(HERE, "scipy_twin.py")
            py = best_of(["/usr/bin/python3", twin, model, "--t-end", str(args.t_end),
                          "--dt", str(args.dt), "-o", out_py], args.repeat)
            m = re.search(r"integrate ([0-9.]+) s", py["stderr"])
            integrate_py = float(m.group(1)) if m else None
            print("scipy_twin.py      wall %.3f s (runs: %s)  cpu %.3f s  peak RSS %.1f MiB"
                  % (py["wall"], " ".join("%.3f" % w for w in py["walls"]), py["cpu"],
                     py["rss"]))
            print("  " + py["stderr"].strip())
            print("ratio, end to end (wall):  %.1fx" % (py["wall"] / c["wall"]))
            if integrate_c and integrate_py:
                print("ratio, integration alone:  %.1fx  (%.3f s against %.3f s)"
                      % (integrate_py / integrate_c, integrate_py, integrate_c))

        for bench in EXTRA_BENCHMARKS:
            bench(args, build, model)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
