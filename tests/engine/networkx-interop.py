#!/usr/bin/env python3
# networkx and Coordyn read each other's GraphML: networkx reads what
# `coordyn-cli export --format graphml` writes, with typed attributes, for
# every example; Coordyn imports what networkx writes (directed and
# undirected graphs, extra attributes), and the network is the same.
# Prints TAP.
#
#   networkx-interop.py COORDYN-CLI EXAMPLES-DIR
#
# SPDX-License-Identifier: GPL-3.0-or-later
import glob
import json
import os
import subprocess
import sys
import tempfile

try:
    import networkx as nx
except ImportError:
    # CI installs python3-networkx (.ci/packages-engine.txt): missing is a failure.
    print("1..1")
    print("not ok 1 networkx is not installed (Debian: python3-networkx)")
    sys.exit(1)

cli, examples = sys.argv[1], sys.argv[2]
results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


def run(*args):
    return subprocess.run([cli, *args], capture_output=True, text=True)


with tempfile.TemporaryDirectory() as tmp:
    # 1. networkx reads ours.
    for path in sorted(glob.glob(os.path.join(examples, "*.json"))):
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
        out = os.path.join(tmp, name + ".graphml")
        r = run("export", path, "--format", "graphml", "-o", out)
        if r.returncode != 0:
            check("export " + name, False, r.stderr)
            continue
        g = nx.read_graphml(out)
        ok = g.is_directed() and g.number_of_nodes() == len(model["nodes"])
        ok = ok and g.number_of_edges() == len(model["edges"])
        detail = ""
        for node in model["nodes"]:
            a = g.nodes[node["id"]]
            want_cap = node.get("capacity", 0.5)
            if not (isinstance(a["capacity"], float) and a["capacity"] == want_cap
                    and isinstance(a["fixed"], bool) and a["level"] == node.get("level", "other")
                    and a["name"] == node.get("name", node["id"])):
                ok, detail = False, "node %s: %r" % (node["id"], a)
                break
        kinds = sorted(d["kind"] for _, _, d in g.edges(data=True))
        ok = ok and kinds == sorted(e["kind"] for e in model["edges"])
        check("networkx reads the GraphML of " + name, ok, detail)

    # 2. Coordyn reads networkx's: an undirected graph with extra attributes.
    u = nx.Graph(name="delta")
    u.add_node("sh", name="Shanghai", level="provincial", capacity=0.8, x=10.0, y=20.0,
               color="red")
    u.add_node("js", label="Jiangsu", level="provincial", x=30.0, y=20.0)
    u.add_node("zj", x=20.0, y=40.0, fixed=True, x0=0.9)
    u.add_edge("sh", "js", interest=0.7, trust=0.4, weight=3.0)
    u.add_edge("js", "zj", info=0.9)
    upath = os.path.join(tmp, "u.graphml")
    nx.write_graphml(u, upath)
    r = run("import", "--graphml", upath, "-o", os.path.join(tmp, "u.json"))
    ok = r.returncode == 0 and "color" in r.stderr and "weight on a partnership" in r.stderr
    if ok:
        with open(os.path.join(tmp, "u.json"), encoding="utf-8") as f:
            m = json.load(f)
        nodes = {n["id"]: n for n in m["nodes"]}
        ok = (m["name"] == "delta" and nodes["sh"]["name"] == "Shanghai"
              and nodes["sh"]["capacity"] == 0.8 and nodes["sh"]["pos"] == [10, 20]
              and nodes["js"]["name"] == "Jiangsu" and nodes["zj"]["fixed"] is True
              and nodes["zj"]["x0"] == 0.9
              and [e["kind"] for e in m["edges"]] == ["partnership", "partnership"]
              and m["edges"][0]["trust"] == 0.4 and m["edges"][1]["info"] == 0.9)
    check("Coordyn imports networkx's undirected graph", ok, r.stderr)

    # 3. A directed networkx graph with kinds, and edges without one.
    d = nx.DiGraph()
    d.add_node("c", level="central")
    d.add_node("p", level="provincial")
    d.add_node("q", level="provincial")
    d.add_edge("c", "p", kind="command", weight=0.5)
    d.add_edge("c", "q")
    dpath = os.path.join(tmp, "d.graphml")
    nx.write_graphml(d, dpath)
    r = run("import", "--graphml", dpath, "--edge-kind", "command",
            "-o", os.path.join(tmp, "d.json"))
    ok = r.returncode == 0
    if ok:
        with open(os.path.join(tmp, "d.json"), encoding="utf-8") as f:
            m = json.load(f)
        ok = ([(e["kind"], e.get("weight")) for e in m["edges"]]
              == [("command", 0.5), ("command", 1)])
    check("Coordyn imports networkx's directed graph, --edge-kind command", ok, r.stderr)

    # 4. Ours → networkx → written again by networkx → ours: the same network.
    src = os.path.join(examples, "yangtze-river-delta.json")
    first = os.path.join(tmp, "first.graphml")
    again = os.path.join(tmp, "again.graphml")
    run("export", src, "--format", "graphml", "-o", first)
    nx.write_graphml(nx.read_graphml(first), again)
    r = run("import", "--graphml", again, "-o", os.path.join(tmp, "again.json"))
    ok = r.returncode == 0 and r.stderr == ""
    if ok:
        with open(src, encoding="utf-8") as f:
            a = json.load(f)
        with open(os.path.join(tmp, "again.json"), encoding="utf-8") as f:
            b = json.load(f)
        # networkx keeps the nodes' order but lists edges by their source
        def edges(m):
            return sorted((e["source"], e["target"], e["kind"], e.get("weight"),
                           e.get("interest"), e.get("trust"), e.get("info"))
                          for e in m["edges"])
        ok = ([n["id"] for n in a["nodes"]] == [n["id"] for n in b["nodes"]]
              and edges(a) == edges(b)
              and [n["pos"] for n in a["nodes"]] == [n["pos"] for n in b["nodes"]])
    check("export, networkx round trip, import: the same network", ok, r.stderr)

print("1..%d" % len(results))
failed = 0
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        failed += 1
        for line in str(detail).splitlines():
            print("# " + line)
sys.exit(1 if failed else 0)
