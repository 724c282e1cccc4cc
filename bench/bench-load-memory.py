#!/usr/bin/env python3
"""Peak memory of loading model files, and of refusing hostile ones.

Measures `coordyn-cli validate FILE` (the reader the CLI and the app share:
cd_model_load_file) on:

  - models made of N disjoint copies of the national model (3,209
    governments each; 311 copies are 998,000 governments, about 0.7 GiB),
    written the way Coordyn writes a model (one government per line);
  - hostile files of a given size: zeros under an unknown key, the same
    text with a syntax error at its very end (which json-glib built its
    whole tree to find), 1,000,001 governments with nothing but an id, and
    a file over the 1 GiB limit (sparse: refused by its size).

For each it prints the file size, the child's peak resident size
(getrusage), that peak over the file size, the time, and what coordyn-cli
said.  docs/model.md ("Limits") promises at most 3 times the file and
64 MiB; the process itself takes about 5 MiB before it reads anything.

    /usr/bin/python3 bench/bench-load-memory.py --build _build
    /usr/bin/python3 bench/bench-load-memory.py --build _build --copies 1,16,64,311 \\
        --hostile-mib 125,1000 --dir /var/tmp

The files are written to a temporary folder under --dir and removed
afterwards (up to about 3 GB at once with the defaults).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# SPDX-License-Identifier: GPL-3.0-or-later


def measure(argv, peak_tool):
    """Runs argv through bench-peak; returns (exit status, peak RSS in MiB, wall s, stderr).

    Not os.wait4 here: a child's ru_maxrss includes the memory of the
    process it was forked from (this script, which holds the text of the
    files it writes), see bench-peak.c."""
    proc = subprocess.run([peak_tool] + argv, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    peak_kib, wall, status = lines[-1].split()
    return int(status), int(peak_kib) / 1024.0, float(wall), "\n".join(lines[:-1])


def dump_line(value):
    # As the writer lays out a government or a tie: "{ "id": "CN", … }".
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return "{ " + text[1:-1] + " }"


def write_copies(national, copies, path):
    """N disjoint copies of the national model, ids prefixed, in the writer's layout."""
    head = {k: v for k, v in national.items()
            if k not in ("nodes", "edges", "events", "interventions")}
    with open(path, "w", encoding="utf-8") as out:
        text = json.dumps(head, ensure_ascii=False, indent=2)
        out.write(text[:-2] + ",\n  \"nodes\": [\n")
        first = True
        for c in range(copies):
            for node in national["nodes"]:
                n = dict(node)
                n["id"] = "c%d_%s" % (c, node["id"])
                out.write(("" if first else ",\n") + "    " + dump_line(n))
                first = False
        out.write("\n  ],\n  \"edges\": [\n")
        first = True
        for c in range(copies):
            for edge in national["edges"]:
                e = dict(edge)
                e["source"] = "c%d_%s" % (c, edge["source"])
                e["target"] = "c%d_%s" % (c, edge["target"])
                out.write(("" if first else ",\n") + "    " + dump_line(e))
                first = False
        out.write("\n  ]\n}\n")


def write_zeros(path, size, syntax_error):
    with open(path, "w") as out:
        if syntax_error:
            out.write('{"nodes":[{"id":"a"}],"junk":["')
            chunk = "a" * (1 << 20)
        else:
            out.write('{"nodes":[{"id":"a"}],"junk":[0')
            chunk = ",0" * (1 << 19)
        written = 0
        while written < size:
            out.write(chunk)
            written += len(chunk)
        out.write('" "b"]}' if syntax_error else "]}")


def write_tiny_nodes(path, n):
    with open(path, "w") as out:
        out.write('{"nodes":[')
        out.write(",".join('{"id":"%x"}' % i for i in range(n)))
        out.write("]}")


def report(label, path, cli, peak_tool):
    size = os.path.getsize(path)
    status, peak, wall, err = measure([cli, "validate", path], peak_tool)
    said = err.splitlines()[0].replace(path + ": ", "") if err else "ok"
    if len(said) > 90:
        said = said[:87] + "..."
    print("| %s | %.1f MiB | %.0f MiB | %.2f | %.2f s | %d: %s |"
          % (label, size / 2**20, peak, peak * 2**20 / max(size, 1), wall, status, said),
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="_build")
    parser.add_argument("--copies", default="1,16,64,311",
                        help="copies of the national model, comma-separated")
    parser.add_argument("--hostile-mib", default="125,1000",
                        help="sizes of the hostile files in MiB, comma-separated")
    parser.add_argument("--dir", default=None, help="where to write the files")
    args = parser.parse_args()

    cli = os.path.join(args.build, "src", "cli", "coordyn-cli")
    peak_tool = os.path.join(args.build, "bench", "bench-peak")
    for program in (cli, peak_tool):
        if not os.access(program, os.X_OK):
            sys.exit("bench-load-memory: %s is not built" % program)
    work = tempfile.mkdtemp(prefix="coordyn-load-memory-", dir=args.dir)
    try:
        print("load average: %.2f %.2f %.2f" % os.getloadavg())
        tiny = os.path.join(work, "tiny.json")
        with open(tiny, "w") as out:
            out.write('{"nodes":[{"id":"a"}]}')
        _, base, _, _ = measure([cli, "validate", tiny], peak_tool)
        print("coordyn-cli validate on a one-government file: peak %.1f MiB" % base)
        print()
        print("| file | size | peak RSS | peak / size | time | exit: message |")
        print("|---|---|---|---|---|---|")

        national_path = os.path.join(work, "national.json")
        subprocess.run([cli, "generate", "national", "-o", national_path], check=True)
        with open(national_path, encoding="utf-8") as f:
            national = json.load(f)
        for copies in [int(c) for c in args.copies.split(",") if c]:
            path = os.path.join(work, "copies.json")
            write_copies(national, copies, path)
            report("%d × national (%s governments)"
                   % (copies, format(copies * len(national["nodes"]), ",")), path, cli,
                   peak_tool)
            os.unlink(path)

        for mib in [int(m) for m in args.hostile_mib.split(",") if m]:
            path = os.path.join(work, "hostile.json")
            write_zeros(path, mib << 20, False)
            report("zeros under an unknown key", path, cli, peak_tool)
            write_zeros(path, mib << 20, True)
            report("a syntax error at the end", path, cli, peak_tool)
            os.unlink(path)

        path = os.path.join(work, "tiny-nodes.json")
        write_tiny_nodes(path, 1000001)
        report("1,000,001 governments, ids only", path, cli, peak_tool)
        os.unlink(path)

        path = os.path.join(work, "sparse.json")
        with open(path, "wb") as out:
            out.truncate((1 << 30) + 1)
        report("1 GiB + 1 byte (sparse)", path, cli, peak_tool)
        os.unlink(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
