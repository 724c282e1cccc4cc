#!/usr/bin/python3
# Benchmark twin of the C engine: a straightforward vectorized NumPy/SciPy
# implementation of the four-force model of docs/model.md (scipy.sparse adjacency,
# solve_ivp RK45 or DOP853), run piecewise between breakpoints like the engine.
# Writes the same CSV and prints its wall time to stderr.
# SPDX-License-Identifier: GPL-3.0-or-later
"""scipy_twin.py MODEL.json [--t-end T] [--dt D] [--forces] [--trust]
                 [--rtol R] [--atol A] [--method RK45|DOP853] [-o FILE]

Tolerances default to the model file's simulation settings (rtol 1e-8,
atol 1e-10 when absent), like the engine. Samples inside a piece come from
solve_ivp's t_eval (its dense output); the state at every breakpoint is a
real step end.
"""

import argparse
import json
import math
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.integrate import solve_ivp
from scipy.special import expit

DEFAULTS = {
    "gravity.interest": 1.0, "gravity.trust": 1.0,
    "pressure.admin": 1.0, "pressure.crisis": 2.0,
    "thrust.info": 0.5, "thrust.appraisal": 0.5,
    "resistance.fragmentation": 2.0, "resistance.burden": 1.0,
    "resistance.compensation": 0.0, "resistance.supervision": 0.0,
    "resistance.law": 0.0,
    "dynamics.rationality": 4.0, "dynamics.rate": 1.0,
    "dynamics.trust_gain": 0.5, "dynamics.trust_decay": 0.1,
}


class Twin:
    def __init__(self, doc):
        nodes = doc["nodes"]
        self.ids = [n["id"] for n in nodes]
        pos = {nid: i for i, nid in enumerate(self.ids)}
        self.N = N = len(nodes)
        self.c = np.array([n.get("capacity", 0.5) for n in nodes], float)
        self.v = np.array([n.get("vulnerability", 0.5) for n in nodes], float)
        self.f = np.array([n.get("fragmentation", 0.5) for n in nodes], float)
        self.x0 = np.array([n.get("x0", 0.1) for n in nodes], float)
        self.free = ~np.array([bool(n.get("fixed", False)) for n in nodes])

        params = dict(DEFAULTS)
        self.rule = "logit"
        for section, fields in doc.get("parameters", {}).items():
            for key, value in fields.items():
                if section == "dynamics" and key == "rule":
                    self.rule = value
                else:
                    params[section + "." + key] = float(value)
        self.base_params = params

        ps, pt, b, tau0, iota, self.trust_names = [], [], [], [], [], []
        cs, cd, h = [], [], []
        for e in doc.get("edges", []):
            s, t = pos[e["source"]], pos[e["target"]]
            if e["kind"] == "partnership":
                ps.append(s)
                pt.append(t)
                b.append(e.get("interest", 0.5))
                tau0.append(e.get("trust", 0.2))
                iota.append(e.get("info", 0.5))
                self.trust_names.append(e["source"] + "|" + e["target"])
            else:
                cs.append(s)
                cd.append(t)
                h.append(e.get("weight", 1.0))
        ps, pt = np.array(ps, np.intp), np.array(pt, np.intp)
        cs, cd = np.array(cs, np.intp), np.array(cd, np.intp)
        self.ps, self.pt = ps, pt
        self.E = E = len(ps)
        self.b, self.tau0, self.iota = (np.array(a, float) for a in (b, tau0, iota))
        h = np.array(h, float)

        # Partnerships as half-edges: half-edge e and e+E both belong to
        # partnership e, received by ps/pt respectively.
        recv = np.concatenate([ps, pt])
        self.other = np.concatenate([pt, ps])
        self.half = np.concatenate([np.arange(E), np.arange(E)])
        self.inc = sp.csr_matrix((np.ones(2 * E), (recv, np.arange(2 * E))), shape=(N, 2 * E))
        adj = lambda w: sp.csr_matrix((np.concatenate([w, w]), (recv, self.other)), shape=(N, N))
        self.adj = adj(np.ones(E))            # partner adjacency
        self.adj_b = adj(self.b)              # shared interest
        self.adj_i = adj(self.iota)           # information sharing
        self.k = np.asarray(self.adj.sum(axis=1)).ravel()
        self.inv_k = np.divide(1.0, self.k, out=np.zeros(N), where=self.k > 0)
        self.ibar = self.inv_k * np.asarray(self.adj_i.sum(axis=1)).ravel()
        self.inv_1k = 1.0 / (1.0 + self.k)

        # Command lines: up[d, s] = h_sd for the weighted mean over superiors
        self.up = sp.csr_matrix((h, (cd, cs)), shape=(N, N))
        hsum = np.asarray(self.up.sum(axis=1)).ravel()
        self.has_sup = np.bincount(cd, minlength=N) > 0
        self.inv_hsum = np.divide(1.0, hsum, out=np.zeros(N), where=self.has_sup)
        # Subordinates grouped by superior, for the max via reduceat
        order = np.argsort(cs, kind="stable")
        self.down_h, self.down_d = h[order], cd[order]
        sorted_s = cs[order]
        self.down_rows, self.down_starts = np.unique(sorted_s, return_index=True)

        # Events: impact matrix (nodes x events)
        evs = doc.get("events", [])
        self.ev_onset = np.array([e["onset"] for e in evs], float)
        self.ev_m = np.array([e["magnitude"] for e in evs], float)
        self.ev_d = np.array([e["decay"] for e in evs], float)
        rows, cols, vals = [], [], []
        for k, e in enumerate(evs):
            for nid, a in e.get("impact", {}).items():
                rows.append(pos[nid])
                cols.append(k)
                vals.append(a)
        self.impact = sp.csr_matrix((vals, (rows, cols)), shape=(N, len(evs)))

        ivs = sorted(enumerate(doc.get("interventions", [])), key=lambda e: (e[1]["at"], e[0]))
        self.interventions = [(iv["at"], iv.get("set", {})) for _, iv in ivs]

        sim = doc.get("simulation", {})
        self.t_end = float(sim.get("t_end", 50.0))
        self.dt = float(sim.get("dt", 0.1))
        self.rtol = float(sim.get("rtol", 1e-8))
        self.atol = float(sim.get("atol", 1e-10))

    def params_at(self, t):
        p = dict(self.base_params)
        for at, changes in self.interventions:
            if at <= t:
                p.update({k: float(v) for k, v in changes.items()})
        return p

    def severity(self, t, active):
        amp = np.where(active, self.ev_m * np.exp(-(t - self.ev_onset) / self.ev_d), 0.0)
        return self.impact @ amp

    def forces(self, t, x, tau, p, active):
        S = self.severity(t, active)
        worst = np.zeros(self.N)
        if len(self.down_rows):
            worst[self.down_rows] = np.maximum.reduceat(self.down_h * S[self.down_d],
                                                        self.down_starts)
        C = S + self.inv_k * (self.adj_i @ S) + worst
        G = self.inv_k * (p["gravity.interest"] * (self.adj_b @ x)
                          + p["gravity.trust"] * (self.inc @ (tau[self.half] * x[self.other])))
        P = p["pressure.admin"] * (self.up @ x) * self.inv_hsum + p["pressure.crisis"] * self.v * C
        T = p["thrust.info"] * self.ibar + p["thrust.appraisal"] * self.has_sup
        R = ((1 - p["resistance.supervision"]) * (1 - p["resistance.law"])
             * (p["resistance.fragmentation"] * self.f + p["resistance.burden"]
                * (1 - p["resistance.compensation"]) * self.c * (1 - self.v)))
        return G, P, T, np.broadcast_to(R, (self.N,)), S

    def make_rhs(self, p, active):
        N, E = self.N, self.E
        lam, beta = p["dynamics.rate"], p["dynamics.rationality"]
        eg, ed = p["dynamics.trust_gain"], p["dynamics.trust_decay"]
        logit = self.rule == "logit"
        gain = eg * (1.0 + self.iota)
        free = self.free.astype(float)

        def rhs(t, y):
            x, tau = y[:N], y[N:N + E]
            G, P, T, R, S = self.forces(t, x, tau, p, active)
            F = G + P + T - R
            if logit:
                dx = lam * (expit(beta * F) - x)
            else:
                dx = lam * x * (1.0 - x) * F
            xx = x[self.ps] * x[self.pt]
            dtau = gain * xx * (1.0 - tau) - ed * (1.0 - xx) * tau
            M = x * (self.c + self.adj @ (self.c * x)) * self.inv_1k
            dL = np.dot(self.v * S, 1.0 - M)
            out = np.empty(N + E + 1)
            out[:N] = dx * free
            out[N:N + E] = dtau
            out[-1] = dL
            return out
        return rhs

    def simulate(self, t_end, dt, rtol, atol, method="RK45"):
        K = int(math.floor(t_end / dt + 1e-9))
        times = np.arange(K + 1) * dt
        t_last = times[-1]
        brk = {float(t) for t in self.ev_onset} | {at for at, _ in self.interventions}
        starts = [0.0] + sorted(t for t in brk if 0.0 < t <= t_last)
        ends = starts[1:] + [t_last]
        y = np.concatenate([self.x0, self.tau0, [0.0]])
        Y = np.empty((K + 1, y.size))
        piece_of = np.empty(K + 1, np.intp)
        nfev = 0
        for j, (a, b) in enumerate(zip(starts, ends)):
            last = j == len(starts) - 1
            mask = (times >= a) & ((times <= b) if last else (times < b))
            idx = np.nonzero(mask)[0]
            piece_of[idx] = j
            if b == a:
                Y[idx] = y
                continue
            p = self.params_at(a)
            active = self.ev_onset <= a
            t_eval = np.append(times[idx], b) if not last else times[idx]
            sol = solve_ivp(self.make_rhs(p, active), (a, b), y, method=method,
                            t_eval=t_eval, rtol=rtol, atol=atol)
            if not sol.success:
                raise RuntimeError(sol.message)
            nfev += sol.nfev
            Y[idx] = sol.y[:, :len(idx)].T
            y = sol.y[:, -1]
        return times, Y, piece_of, starts, nfev

    def table(self, times, Y, piece_of, starts, with_forces, with_trust):
        N, E = self.N, self.E
        parts = [times[:, None], Y[:, :N].mean(axis=1)[:, None], Y[:, -1:], Y[:, :N]]
        if with_forces:
            F = np.empty((len(times), 4 * N))
            for k, t in enumerate(times):
                a = starts[piece_of[k]]
                G, P, T, R, _ = self.forces(t, Y[k, :N], Y[k, N:N + E], self.params_at(a),
                                            self.ev_onset <= a)
                F[k] = np.concatenate([G, P, T, R])
            parts.append(F)
        if with_trust:
            parts.append(Y[:, N:N + E])
        return np.hstack(parts)

    def header(self, with_forces, with_trust):
        cols = ["t", "mean_coordination", "loss"] + ["x:" + i for i in self.ids]
        if with_forces:
            cols += [f + ":" + i for f in "GPTR" for i in self.ids]
        if with_trust:
            cols += ["trust:" + n for n in self.trust_names]
        return cols


def main(argv=None):
    ap = argparse.ArgumentParser(description="SciPy solve_ivp twin of the Coordyn engine")
    ap.add_argument("model")
    ap.add_argument("--t-end", type=float)
    ap.add_argument("--dt", type=float)
    ap.add_argument("--rtol", type=float)
    ap.add_argument("--atol", type=float)
    ap.add_argument("--method", choices=["RK45", "DOP853"], default="RK45",
                    help="solve_ivp's method (default RK45)")
    ap.add_argument("--forces", action="store_true")
    ap.add_argument("--trust", action="store_true")
    ap.add_argument("-o", "--output")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    with open(args.model, encoding="utf-8") as fh:
        twin = Twin(json.load(fh))
    t_end = twin.t_end if args.t_end is None else args.t_end
    dt = twin.dt if args.dt is None else args.dt
    rtol = twin.rtol if args.rtol is None else args.rtol
    atol = twin.atol if args.atol is None else args.atol
    t1 = time.perf_counter()
    times, Y, piece_of, starts, nfev = twin.simulate(t_end, dt, rtol, atol,
                                                        args.method)
    t2 = time.perf_counter()
    table = twin.table(times, Y, piece_of, starts, args.forces, args.trust)
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    try:
        out.write(",".join(twin.header(args.forces, args.trust)) + "\n")
        np.savetxt(out, table, fmt="%.17g", delimiter=",")
    finally:
        if args.output:
            out.close()
    t3 = time.perf_counter()
    print("scipy_twin: %d nodes, %d partnerships, %d samples, %s rtol=%g atol=%g, "
          "%d rhs evaluations; wall time %.3f s (load %.3f s, integrate %.3f s, "
          "output %.3f s)" % (twin.N, twin.E, len(times), args.method, rtol, atol, nfev,
                              t3 - t0, t1 - t0, t2 - t1, t3 - t2), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
