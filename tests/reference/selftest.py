#!/usr/bin/python3
# Self-checks of the Python reference (coordyn_reference.py): closed forms
# that docs/model.md implies, the piece/sample rules, and an independent plain-loop
# re-implementation of the equations; prints TAP for `meson test`.
# SPDX-License-Identifier: GPL-3.0-or-later

import copy
import io
import json
import math
import os
import sys

import numpy as np
from scipy.integrate import solve_ivp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coordyn_reference as ref  # noqa: E402
import compare  # noqa: E402  (random model generator)


def sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


def run_doc(doc, forces=True, trust=True, **kw):
    model = ref.Model(json.loads(json.dumps(doc)), strict=True)
    header, rows = ref.run(model, with_forces=forces, with_trust=trust, **kw)
    return header, np.array(rows)


def col(header, rows, name):
    return rows[:, header.index(name)]


def close(a, b, tol, what):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    err = float(np.max(np.abs(a - b))) if a.size else 0.0
    assert err <= tol, "%s: max error %.3g > %.3g" % (what, err, tol)
    return err


def resistance(p, c, v, f):
    return ((1 - p.get("supervision", 0.0)) * (1 - p.get("law", 0.0))
            * (p.get("fragmentation", 2.0) * f
               + p.get("burden", 1.0) * (1 - p.get("compensation", 0.0)) * c * (1 - v)))


# ---------------------------------------------------------------------------
# closed forms
# ---------------------------------------------------------------------------

def test_logit_constant_force():
    """One node, no partners: F = -R constant, x = s + (x0 - s) e^(-lam t)."""
    res = {"fragmentation": 0.7, "burden": 1.3, "compensation": 0.2,
           "supervision": 0.1, "law": 0.3}
    dyn = {"rationality": 3.0, "rate": 0.8}
    c, v, f, x0 = 0.6, 0.3, 0.4, 0.9
    doc = {"parameters": {"resistance": res, "dynamics": dyn},
           "simulation": {"t_end": 10, "dt": 0.1},
           "nodes": [{"id": "a", "capacity": c, "vulnerability": v,
                      "fragmentation": f, "x0": x0}]}
    h, r = run_doc(doc)
    t = col(h, r, "t")
    F = -resistance(res, c, v, f)
    s = sigma(dyn["rationality"] * F)
    exact = s + (x0 - s) * np.exp(-dyn["rate"] * t)
    e = close(col(h, r, "x:a"), exact, 1e-11, "x")
    close(col(h, r, "R:a"), -F, 1e-15, "R")
    close(col(h, r, "G:a"), 0, 0, "G")
    close(col(h, r, "P:a"), 0, 0, "P")
    close(col(h, r, "T:a"), 0, 0, "T")
    close(col(h, r, "loss"), 0, 0, "loss")
    close(col(h, r, "mean_coordination"), col(h, r, "x:a"), 0, "mean")
    return "max error %.2g" % e


def test_replicator_logistic():
    """Replicator with constant F: logistic x = 1/(1 + (1-x0)/x0 e^(-lam F t))."""
    dyn = {"rule": "replicator", "rate": 1.5}
    x0 = 0.2
    # superior fixed at 0.8 gives P = p_a * 0.8 and T = t_a; R from defaults
    doc = {"parameters": {"dynamics": dyn},
           "simulation": {"t_end": 8, "dt": 0.25},
           "nodes": [{"id": "boss", "fixed": True, "x0": 0.8, "level": "central"},
                     {"id": "a", "x0": x0, "capacity": 0.2, "vulnerability": 0.4,
                      "fragmentation": 0.1}],
           "edges": [{"kind": "command", "source": "boss", "target": "a", "weight": 0.3}]}
    h, r = run_doc(doc)
    t = col(h, r, "t")
    F = 1.0 * 0.8 + 0.5 - resistance({}, 0.2, 0.4, 0.1)
    exact = 1 / (1 + (1 - x0) / x0 * np.exp(-1.5 * F * t))
    e = close(col(h, r, "x:a"), exact, 1e-11, "x")
    close(col(h, r, "x:boss"), 0.8, 0, "fixed superior")
    close(col(h, r, "P:a"), 0.8, 1e-15, "P")
    close(col(h, r, "T:a"), 0.5, 0, "T")
    close(col(h, r, "T:boss"), 0.0, 0, "T of a node without superior")
    close(col(h, r, "mean_coordination"), (0.8 + col(h, r, "x:a")) / 2, 1e-16, "mean")
    return "max error %.2g, F = %.3f" % (e, F)


def test_fixed_nodes_stay_put():
    rng = np.random.default_rng(11)
    worst = 0
    for _ in range(15):
        doc = compare.random_model(rng)
        for node in doc["nodes"]:
            if rng.random() < 0.5:
                node["fixed"] = True
                node["x0"] = float(rng.uniform(0, 1))
        h, r = run_doc(doc)
        for node in doc["nodes"]:
            if node.get("fixed"):
                close(col(h, r, "x:" + node["id"]), node["x0"], 0, "fixed " + node["id"])
        worst += 1
    return "%d random models" % worst


def test_loss_closed_form():
    """A fixed node hit by one event: dL/dt = v S (1 - x0 c), S = m a e^(-(t-t0)/d)."""
    c, v, x0, m, a, d, t0 = 0.7, 0.9, 0.6, 2.5, 0.8, 1.7, 2.5
    doc = {"simulation": {"t_end": 10, "dt": 0.25},
           "nodes": [{"id": "a", "capacity": c, "vulnerability": v, "x0": x0, "fixed": True}],
           "events": [{"onset": t0, "magnitude": m, "decay": d, "impact": {"a": a}}]}
    h, r = run_doc(doc)
    t = col(h, r, "t")
    after = t >= t0
    exact = np.where(after, v * (1 - x0 * c) * m * a * d
                     * (1 - np.exp(-(np.maximum(t, t0) - t0) / d)), 0.0)
    e = close(col(h, r, "loss"), exact, 1e-11, "loss")
    S = np.where(after, m * a * np.exp(-(np.maximum(t, t0) - t0) / d), 0.0)
    close(col(h, r, "P:a"), 2.0 * v * S, 1e-14, "P = p_c v S")
    k = list(t).index(2.5)
    assert r[k, h.index("P:a")] > 0 and r[k - 1, h.index("P:a")] == 0, \
        "sample at the onset must report the event"
    return "max error %.2g" % e


def test_trust_closed_form():
    """Two fixed partners: tau relaxes exponentially to A/(A+B)."""
    xi, xj, iota, tau0, eg, ed = 0.9, 0.7, 0.6, 0.1, 0.8, 0.3
    doc = {"parameters": {"dynamics": {"trust_gain": eg, "trust_decay": ed}},
           "simulation": {"t_end": 6, "dt": 0.05},
           "nodes": [{"id": "i", "fixed": True, "x0": xi},
                     {"id": "j", "fixed": True, "x0": xj}],
           "edges": [{"kind": "partnership", "source": "j", "target": "i",
                      "info": iota, "trust": tau0, "interest": 0.4}]}
    h, r = run_doc(doc)
    t = col(h, r, "t")
    p = xi * xj
    A = eg * (1 + iota) * p
    B = ed * (1 - p)
    tau = A / (A + B) + (tau0 - A / (A + B)) * np.exp(-(A + B) * t)
    e = close(col(h, r, "trust:j|i"), tau, 1e-12, "trust")
    # gravity with default weights 1, 1: G_i = (b + tau) x_j
    close(col(h, r, "G:i"), (0.4 + tau) * xj, 1e-12, "G:i")
    close(col(h, r, "T:i"), 0.5 * iota, 1e-16, "T:i")
    return "max error %.2g" % e


def test_intervention_piecewise():
    """Interventions switch R at t=2 (on the grid) and t=3.3 (off it)."""
    x0, lam, beta = 0.3, 1.2, 2.0
    doc = {"parameters": {"dynamics": {"rate": lam, "rationality": beta}},
           "simulation": {"t_end": 6, "dt": 0.25},
           "nodes": [{"id": "a", "x0": x0}],
           "interventions": [{"at": 3.3, "set": {"resistance.supervision": 0.5}},
                             {"at": 2, "set": {"resistance.law": 0.9}},
                             {"at": 2, "set": {"resistance.law": 0.5}}]}
    h, r = run_doc(doc)
    t = col(h, r, "t")
    R0 = resistance({}, 0.5, 0.5, 0.5)
    R1 = R0 * 0.5          # law 0.5 (the later of the two at t=2 wins)
    R2 = R1 * 0.5          # and supervision 0.5
    xs = []
    for tt in t:
        s0 = sigma(-beta * R0)
        if tt < 2:
            xs.append(s0 + (x0 - s0) * math.exp(-lam * tt))
            continue
        x2 = s0 + (x0 - s0) * math.exp(-lam * 2)
        s1 = sigma(-beta * R1)
        if tt < 3.3:
            xs.append(s1 + (x2 - s1) * math.exp(-lam * (tt - 2)))
            continue
        x3 = s1 + (x2 - s1) * math.exp(-lam * 1.3)
        s2 = sigma(-beta * R2)
        xs.append(s2 + (x3 - s2) * math.exp(-lam * (tt - 3.3)))
    e = close(col(h, r, "x:a"), xs, 1e-11, "x")
    Rcol = col(h, r, "R:a")
    expect = np.where(t < 2, R0, np.where(t < 3.3, R1, R2))
    close(Rcol, expect, 1e-15, "R (sample at t=2 reports the new piece)")
    return "max error %.2g" % e


def test_sample_grid():
    doc = {"simulation": {"t_end": 1, "dt": 0.3}, "nodes": [{"id": "a"}]}
    h, r = run_doc(doc)
    assert len(r) == 4, "K = floor(1/0.3 + 1e-9) = 3 gives 4 rows, got %d" % len(r)
    doc["simulation"] = {"t_end": 0.3, "dt": 0.1}   # 0.3/0.1 = 2.9999999999999996
    h, r = run_doc(doc)
    assert len(r) == 4, "t_end 0.3, dt 0.1: K = 3, got %d rows" % len(r)
    assert [float(v) for v in r[:, 0]] == [k * 0.1 for k in range(4)], "t must be k*dt"
    doc["simulation"] = {"dt": 0.1}                 # default t_end = 50
    h, r = run_doc(doc)
    assert len(r) == 501, "default t_end 50, dt 0.1: 501 rows, got %d" % len(r)
    return "ok"


def test_csv_output():
    doc = {"simulation": {"t_end": 1, "dt": 0.5},
           "nodes": [{"id": "b"}, {"id": "省"}, {"id": "a"}],
           "edges": [{"kind": "partnership", "source": "a", "target": "b"},
                     {"kind": "command", "source": "省", "target": "a"},
                     {"kind": "partnership", "source": "省", "target": "b"}]}
    model = ref.Model(doc, strict=True)
    out = io.StringIO()
    times, states, forces, system = ref.simulate(model)
    ref.write_csv(out, model, times, states, forces, system, True, True)
    lines = out.getvalue().split("\n")
    want = ("t,mean_coordination,loss,x:b,x:省,x:a,G:b,G:省,G:a,P:b,P:省,P:a,"
            "T:b,T:省,T:a,R:b,R:省,R:a,trust:a|b,trust:省|b")
    assert lines[0] == want, "header %r" % lines[0]
    first = lines[1].split(",")
    assert first[0] == "0" and first[2] == "0" and first[3] == "0.10000000000000001", lines[1]
    assert lines[-1] == "" and len(lines) == 5, "3 rows and a final newline"
    for line in lines[1:-1]:
        for cell in line.split(","):
            assert float("%.17g" % float(cell)) == float(cell)
    out = io.StringIO()
    ref.write_csv(out, model, times, states, forces, system, False, False)
    assert out.getvalue().split("\n")[0] == "t,mean_coordination,loss,x:b,x:省,x:a"
    return "ok"


def test_defaults_and_extensions():
    """Writing every default explicitly, and adding names, descriptions,
    scenarios and ranges, changes nothing."""
    bare = {"simulation": {"t_end": 3, "dt": 0.5},
            "nodes": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
            "edges": [{"kind": "command", "source": "a", "target": "b"},
                      {"kind": "partnership", "source": "b", "target": "c"}],
            "events": [{"onset": 1, "magnitude": 1, "decay": 2, "impact": {"c": 1}}]}
    full = copy.deepcopy(bare)
    full.update({"format": "coordyn-model", "version": 1, "name": "n", "description": "d",
                 "names": {"zh_CN": "名"}, "descriptions": {"zh_CN": "述"},
                 "scenarios": [{"name": "s", "set": {"resistance.law": 1}}],
                 "ranges": {"resistance.law": [0, 1]}})
    full["parameters"] = {
        "gravity": {"interest": 1.0, "trust": 1.0},
        "pressure": {"admin": 1.0, "crisis": 2.0},
        "thrust": {"info": 0.5, "appraisal": 0.5},
        "resistance": {"fragmentation": 2.0, "burden": 1.0, "compensation": 0.0,
                       "supervision": 0.0, "law": 0.0},
        "dynamics": {"rationality": 4.0, "rate": 1.0, "trust_gain": 0.5,
                     "trust_decay": 0.1, "rule": "logit"}}
    full["simulation"].update({"rtol": 1e-8, "atol": 1e-10})
    for node in full["nodes"]:
        node.update({"name": node["id"], "level": "other", "capacity": 0.5,
                     "vulnerability": 0.5, "fragmentation": 0.5, "x0": 0.1,
                     "fixed": False, "pos": [1, 2], "names": {"zh_CN": "x"}})
    full["edges"][0]["weight"] = 1.0
    full["edges"][1].update({"interest": 0.5, "trust": 0.2, "info": 0.5})
    full["events"][0].update({"name": "", "names": {"zh_CN": "事"}})
    full["interventions"] = []
    h1, r1 = run_doc(bare)
    h2, r2 = run_doc(full)
    assert h1 == h2 and np.array_equal(r1, r2), "outputs differ"
    return "ok"


def test_event_at_zero_and_equal_times():
    """Onset 0 is active from the first sample; an intervention and an onset
    at the same time both take effect at that sample."""
    doc = {"simulation": {"t_end": 2, "dt": 0.5},
           "nodes": [{"id": "a", "vulnerability": 1.0}],
           "events": [{"onset": 0, "magnitude": 1, "decay": 1e9, "impact": {"a": 1}},
                      {"onset": 1, "magnitude": 2, "decay": 1e9, "impact": {"a": 1}}],
           "interventions": [{"at": 1, "set": {"pressure.crisis": 1.0}}]}
    h, r = run_doc(doc)
    P = col(h, r, "P:a")
    close(P[:2], 2.0 * 1.0, 1e-8, "P before t=1 (p_c 2, S 1)")
    close(P[2:], 1.0 * 3.0, 1e-8, "P from t=1 (p_c 1, S 3)")
    return "ok"


# ---------------------------------------------------------------------------
# an independent, plain-loop implementation of docs/model.md, reading the JSON
# itself (own defaults), to check the vectorized reference against
# ---------------------------------------------------------------------------

DEFAULT_PARAMS = {
    ("gravity", "interest"): 1.0, ("gravity", "trust"): 1.0,
    ("pressure", "admin"): 1.0, ("pressure", "crisis"): 2.0,
    ("thrust", "info"): 0.5, ("thrust", "appraisal"): 0.5,
    ("resistance", "fragmentation"): 2.0, ("resistance", "burden"): 1.0,
    ("resistance", "compensation"): 0.0, ("resistance", "supervision"): 0.0,
    ("resistance", "law"): 0.0, ("dynamics", "rationality"): 4.0,
    ("dynamics", "rate"): 1.0, ("dynamics", "trust_gain"): 0.5,
    ("dynamics", "trust_decay"): 0.1,
}


class Loop:
    def __init__(self, doc):
        self.doc = doc
        self.ids = [n["id"] for n in doc["nodes"]]
        self.N = len(self.ids)
        nd = doc["nodes"]
        self.c = [n.get("capacity", 0.5) for n in nd]
        self.v = [n.get("vulnerability", 0.5) for n in nd]
        self.f = [n.get("fragmentation", 0.5) for n in nd]
        self.x0 = [n.get("x0", 0.1) for n in nd]
        self.fixed = [n.get("fixed", False) for n in nd]
        self.rule = doc.get("parameters", {}).get("dynamics", {}).get("rule", "logit")
        pos = {nid: i for i, nid in enumerate(self.ids)}
        self.part = []   # (i, j, b, tau0, iota)
        self.cmd = []    # (s, d, h)
        for e in doc.get("edges", []):
            i, j = pos[e["source"]], pos[e["target"]]
            if e["kind"] == "partnership":
                self.part.append((i, j, e.get("interest", 0.5), e.get("trust", 0.2),
                                  e.get("info", 0.5)))
            else:
                self.cmd.append((i, j, e.get("weight", 1.0)))
        self.partners = [[] for _ in range(self.N)]   # (j, edge number)
        for n, (i, j, *_rest) in enumerate(self.part):
            self.partners[i].append((j, n))
            self.partners[j].append((i, n))
        self.superiors = [[(s, h) for (s, d, h) in self.cmd if d == i] for i in range(self.N)]
        self.subordinates = [[(d, h) for (s, d, h) in self.cmd if s == i] for i in range(self.N)]

    def params(self, t):
        p = dict(DEFAULT_PARAMS)
        for sec, fields in self.doc.get("parameters", {}).items():
            for key, val in fields.items():
                if key != "rule":
                    p[(sec, key)] = val
        ivs = sorted(enumerate(self.doc.get("interventions", [])),
                     key=lambda e: (e[1]["at"], e[0]))
        for _, iv in ivs:
            if iv["at"] <= t:
                for path, val in iv["set"].items():
                    p[tuple(path.split("."))] = val
        return p

    def S(self, t, t_active):
        out = []
        for nid in self.ids:
            s = 0.0
            for ev in self.doc.get("events", []):
                if ev["onset"] <= t_active:
                    s += ev["magnitude"] * ev["impact"].get(nid, 0.0) * math.exp(
                        -(t - ev["onset"]) / ev["decay"])
            out.append(s)
        return out

    def forces(self, t, x, tau, t_active=None):
        t_active = t if t_active is None else t_active
        p = self.params(t_active)
        S = self.S(t, t_active)
        G, P, T, R = [], [], [], []
        for i in range(self.N):
            k = len(self.partners[i])
            mean = (lambda total: total / k if k else 0.0)
            worst = max([h * S[d] for d, h in self.subordinates[i]], default=0.0)
            Ci = S[i] + mean(sum(self.part[e][4] * S[j] for j, e in self.partners[i])) + worst
            G.append(mean(sum((p["gravity", "interest"] * self.part[e][2]
                               + p["gravity", "trust"] * tau[e]) * x[j]
                              for j, e in self.partners[i])))
            hs = sum(h for s, h in self.superiors[i])
            H = sum(h * x[s] for s, h in self.superiors[i]) / hs if self.superiors[i] else 0.0
            P.append(p["pressure", "admin"] * H + p["pressure", "crisis"] * self.v[i] * Ci)
            T.append(p["thrust", "info"] * mean(sum(self.part[e][4] for j, e in self.partners[i]))
                     + p["thrust", "appraisal"] * (1.0 if self.superiors[i] else 0.0))
            R.append((1 - p["resistance", "supervision"]) * (1 - p["resistance", "law"])
                     * (p["resistance", "fragmentation"] * self.f[i]
                        + p["resistance", "burden"] * (1 - p["resistance", "compensation"])
                        * self.c[i] * (1 - self.v[i])))
        return G, P, T, R, S, p

    def rhs(self, t, y, t_active):
        N, E = self.N, len(self.part)
        x, tau = list(y[:N]), list(y[N:N + E])
        G, P, T, R, S, p = self.forces(t, x, tau, t_active)
        dy = []
        for i in range(N):
            F = G[i] + P[i] + T[i] - R[i]
            if self.fixed[i]:
                dy.append(0.0)
            elif self.rule == "logit":
                dy.append(p["dynamics", "rate"] * (sigma(p["dynamics", "rationality"] * F) - x[i]))
            else:
                dy.append(p["dynamics", "rate"] * x[i] * (1 - x[i]) * F)
        for n, (i, j, b, tau0, iota) in enumerate(self.part):
            xx = x[i] * x[j]
            dy.append(p["dynamics", "trust_gain"] * (1 + iota) * xx * (1 - tau[n])
                      - p["dynamics", "trust_decay"] * (1 - xx) * tau[n])
        dL = 0.0
        for i in range(N):
            k = len(self.partners[i])
            M = x[i] * (self.c[i] + sum(self.c[j] * x[j] for j, e in self.partners[i])) / (1 + k)
            dL += self.v[i] * S[i] * (1 - M)
        dy.append(dL)
        return np.array(dy)


def test_forces_match_loop():
    """At every sample of random models, the reported forces equal the loop
    formulas evaluated on the reported state with what is in force then."""
    rng = np.random.default_rng(2024)
    worst = 0.0
    for n in range(25):
        doc = compare.random_model(rng)
        h, r = run_doc(doc)
        lp = Loop(doc)
        xi = [h.index("x:" + i) for i in lp.ids]
        ti = [h.index(c) for c in h if c.startswith("trust:")]
        for row in r:
            G, P, T, R, S, p = lp.forces(row[0], row[xi], row[ti])
            for name, vals in (("G", G), ("P", P), ("T", T), ("R", R)):
                got = row[[h.index(name + ":" + i) for i in lp.ids]]
                worst = max(worst, close(got, vals, 1e-12,
                                         "model %d t=%r %s" % (n, row[0], name)))
            close(row[1], np.mean(row[xi]), 1e-15, "mean coordination")
    return "25 random models, max difference %.2g" % worst


def test_trajectory_matches_loop():
    """Integrate the loop equations with a different method (Radau) between
    samples and breakpoints and compare every state cell."""
    rng = np.random.default_rng(77)
    worst = 0.0
    for n in range(6):
        doc = compare.random_model(rng)
        doc["simulation"]["t_end"] = min(doc["simulation"]["t_end"], 6.0)
        doc["simulation"]["dt"] = max(doc["simulation"]["dt"], 0.25)
        h, r = run_doc(doc, forces=False)
        lp = Loop(doc)
        t_end, dt = doc["simulation"]["t_end"], doc["simulation"]["dt"]
        K = int(math.floor(t_end / dt + 1e-9))
        samples = [k * dt for k in range(K + 1)]
        brk = sorted({e["onset"] for e in doc.get("events", [])}
                     | {iv["at"] for iv in doc.get("interventions", [])})
        grid = sorted(set(samples) | {b for b in brk if 0 < b < samples[-1]})
        y = np.array(lp.x0 + [e[3] for e in lp.part] + [0.0])
        got = {0.0: y}
        for a, b in zip(grid[:-1], grid[1:]):
            sol = solve_ivp(lambda t, yy: lp.rhs(t, yy, a), (a, b), y, method="Radau",
                            rtol=1e-11, atol=1e-13)
            assert sol.success, sol.message
            y = sol.y[:, -1]
            got[b] = y
        cols = ["x:" + i for i in lp.ids] + [c for c in h if c.startswith("trust:")] + ["loss"]
        idx = [h.index(c) for c in cols]
        for k, t in enumerate(samples):
            worst = max(worst, close(r[k, idx], got[t], 1e-8, "model %d t=%r" % (n, t)))
    return "6 random models, max difference %.2g" % worst


def test_tolerance_convergence():
    """Halving the tolerances moves nothing by more than 1e-10."""
    rng = np.random.default_rng(5)
    worst = 0.0
    for _ in range(4):
        doc = compare.random_model(rng)
        h, r1 = run_doc(doc)
        h, r2 = run_doc(doc, rtol=1e-13, atol=1e-15)
        worst = max(worst, close(r1, r2, 1e-10, "tolerance"))
    return "max change %.2g" % worst


def _factors_at(doc, node, t=0.0):
    """The reference's ten factors of one node at time t, initial state."""
    model = ref.Model(json.loads(json.dumps(doc)), strict=True)
    system = ref.System(model)
    x, tau, _ = system.split(system.initial_state())
    f, _ = system.factors(t, x, tau, model.params_at(t), model.events_at(t))
    return {k: float(v[model.index[node]]) for k, v in f.items()}


def test_model2_closed_forms():
    """docs/model.md, "Model 2": each new channel in closed form."""
    # an emergency superior in a constant crisis C = 2: A = 2/3
    doc = {"version": 2, "parameters": {"pressure": {"command": 1.5, "admin": 3}},
           "nodes": [{"id": "s", "x0": 0.8, "fixed": True}, {"id": "i"}],
           "edges": [{"kind": "command", "source": "s", "target": "i", "weight": 0.5,
                      "role": "emergency"}],
           "events": [{"onset": 0, "magnitude": 2, "decay": 1e300, "impact": {"i": 1}}]}
    f = _factors_at(doc, "i", 1.0)
    close(f["P_command"], 1.5 * 2 / 3 * 0.8, 1e-14, "P_command")
    close(f["P_admin"], 0.0, 0.0, "P_admin without administrative superiors")
    # supervision through superiors: sigma = min(1, sum h)
    for w1, w2, s in ((0.3, 0.4, 0.7), (0.8, 0.6, 1.0)):
        doc = {"version": 2, "parameters": {"resistance": {"supervision": 0.5, "ideas": 2,
                                                           "powers": 3, "burden": 0}},
               "nodes": [{"id": "a"}, {"id": "b"},
                         {"id": "c", "fragmentation_ideas": 0.2, "fragmentation_powers": 0.4}],
               "edges": [{"kind": "command", "source": "a", "target": "c", "weight": w1},
                         {"kind": "command", "source": "b", "target": "c", "weight": w2,
                          "role": "emergency"}]}
        f = _factors_at(doc, "c")
        close(f["R_ideas"] + f["R_powers"], (1 - 0.5 * s) * (2 * 0.2 + 3 * 0.4), 1e-14,
              "supervision")
    # trust dissolves ideas, law only powers
    doc = {"version": 2, "parameters": {"resistance": {"ideas": 2, "powers": 1, "law": 0.5}},
           "nodes": [{"id": "i", "fragmentation_ideas": 0.6, "fragmentation_powers": 0.5},
                     {"id": "j"}, {"id": "k"}],
           "edges": [{"kind": "partnership", "source": "i", "target": "j", "trust": 0.2},
                     {"kind": "partnership", "source": "k", "target": "i", "trust": 0.6}]}
    f = _factors_at(doc, "i")
    close(f["R_ideas"], 2 * 0.6 * (1 - 0.4), 1e-14, "R_ideas")
    close(f["R_powers"], 0.5 * 0.5, 1e-14, "R_powers")
    # appraisal per node
    doc = {"version": 2, "parameters": {"thrust": {"appraisal": 2}},
           "nodes": [{"id": "top"}, {"id": "own", "appraisal": 0.3}, {"id": "sub"}],
           "edges": [{"kind": "command", "source": "top", "target": "own"},
                     {"kind": "command", "source": "top", "target": "sub"}]}
    close(_factors_at(doc, "top")["T_appraisal"], 0.0, 0.0, "no superior")
    close(_factors_at(doc, "own")["T_appraisal"], 0.6, 1e-15, "own appraisal")
    close(_factors_at(doc, "sub")["T_appraisal"], 2.0, 1e-15, "default appraisal")
    return "emergency command, supervision, trust, law, appraisal"


def test_factors_sum_to_forces():
    """At every sample of random models of both versions, each group of
    factors sums to its force."""
    worst = 0.0
    for version, seed in ((1, 31), (2, 32)):
        rng = np.random.default_rng(seed)
        for _ in range(8):
            doc = compare.random_model(rng, version=version)
            model = ref.Model(json.loads(json.dumps(doc)), strict=True)
            h, r = ref.run(model, with_forces=True, with_factors=True)
            r = np.array(r)
            for force, parts in (("G", ("G_interest", "G_trust")),
                                 ("P", ("P_admin", "P_command", "P_crisis")),
                                 ("T", ("T_info", "T_appraisal")),
                                 ("R", ("R_ideas", "R_powers", "R_benefits"))):
                for nid in (n["id"] for n in model.nodes):
                    total = sum(r[:, h.index(p + ":" + nid)] for p in parts)
                    worst = max(worst, close(total, r[:, h.index(force + ":" + nid)], 1e-12,
                                             force))
                if version == 1:
                    for nid in (n["id"] for n in model.nodes):
                        close(r[:, h.index("P_command:" + nid)], 0.0, 0.0, "P_command")
    return "16 random models, max difference %.2g" % worst


def test_upgrade_equivalence():
    """docs/model.md, "Upgrade": with supervision, law and every trust at 0
    (and nothing building trust) an upgraded model simulates as before."""
    rng = np.random.default_rng(91)
    worst = 0.0
    for _ in range(6):
        doc = compare.random_model(rng)
        params = doc.setdefault("parameters", {})
        params.setdefault("resistance", {}).update({"supervision": 0.0, "law": 0.0})
        params.setdefault("dynamics", {})["trust_gain"] = 0.0
        for e in doc.get("edges", []):
            if e["kind"] == "partnership":
                e["trust"] = 0.0
        for iv in doc.get("interventions", []):
            for key in ("resistance.supervision", "resistance.law", "dynamics.trust_gain"):
                iv["set"].pop(key, None)
        up = copy.deepcopy(doc)
        up["version"] = 2
        r_f = params["resistance"].pop("fragmentation", 2.0)
        up["parameters"]["resistance"].pop("fragmentation", None)
        up["parameters"]["resistance"].update({"ideas": r_f / 2, "powers": r_f / 2})
        for n in up["nodes"]:
            f = n.pop("fragmentation", 0.5)
            n["fragmentation_ideas"] = n["fragmentation_powers"] = f
        for iv in up.get("interventions", []):
            if "resistance.fragmentation" in iv["set"]:
                v = iv["set"].pop("resistance.fragmentation")
                iv["set"]["resistance.ideas"] = iv["set"]["resistance.powers"] = v / 2
        params["resistance"]["fragmentation"] = r_f
        _, r1 = run_doc(doc, forces=True, trust=True)
        _, r2 = run_doc(up, forces=True, trust=True)
        worst = max(worst, close(r1, r2, 1e-9, "upgraded model"))
    return "6 random models, max difference %.2g" % worst


TESTS = [
    test_logit_constant_force,
    test_replicator_logistic,
    test_fixed_nodes_stay_put,
    test_loss_closed_form,
    test_trust_closed_form,
    test_intervention_piecewise,
    test_event_at_zero_and_equal_times,
    test_sample_grid,
    test_csv_output,
    test_defaults_and_extensions,
    test_forces_match_loop,
    test_trajectory_matches_loop,
    test_tolerance_convergence,
    test_model2_closed_forms,
    test_factors_sum_to_forces,
    test_upgrade_equivalence,
]


def main():
    print("1..%d" % len(TESTS))
    failed = 0
    for n, test in enumerate(TESTS, start=1):
        name = test.__name__[5:]
        try:
            note = test()
            print("ok %d - %s # %s" % (n, name, note))
        except Exception as exc:  # report every failure, keep going
            failed += 1
            print("not ok %d - %s # %s: %s" % (n, name, type(exc).__name__, exc))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
