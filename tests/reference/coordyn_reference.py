#!/usr/bin/python3
# Independent high-accuracy reference implementation of the four-force model
# (docs/model.md, "The four-force model of inter-governmental
# emergency coordination"), written from the model text alone so that the C
# engine can be checked against it. Module and CLI; the CLI writes the CSV
# described in docs/model.md to stdout.
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference implementation of the Coordyn four-force model.

Usage: coordyn_reference.py MODEL.json [--forces] [--factors] [--trust] [--t-end T]
       [--dt D] [--rtol R --atol A] [-o FILE]

Integration uses SciPy's DOP853 at rtol=1e-12, atol=1e-14 unless told
otherwise (the tolerances in the model file are the C engine's settings and
are deliberately ignored here, the reference must be much more accurate than
the engine). The integrator is restarted at every breakpoint (event onset,
intervention time) and, so that no sample comes from an interpolant, also at
every sample time: each sample is the end point of a real step.
"""

import argparse
import json
import math
import sys

import numpy as np
from scipy.integrate import solve_ivp
from scipy.special import expit  # sigma(z) = 1 / (1 + exp(-z)), overflow-safe

# --------------------------------------------------------------------------
# Model file: defaults from docs/model.md
# --------------------------------------------------------------------------

# Numeric parameters: path -> (default, lower bound, upper bound or None,
# lower bound exclusive?)   (docs/model.md, "Parameters")
PARAMETERS = {
    "gravity.interest": (1.0, 0.0, None, False),          # g_b
    "gravity.trust": (1.0, 0.0, None, False),             # g_tau
    "pressure.admin": (1.0, 0.0, None, False),            # p_a
    "pressure.command": (1.0, 0.0, None, False),          # p_k (version 2)
    "pressure.crisis": (2.0, 0.0, None, False),           # p_c
    "thrust.info": (0.5, 0.0, None, False),               # t_i
    "thrust.appraisal": (0.5, 0.0, None, False),          # t_a
    "resistance.fragmentation": (2.0, 0.0, None, False),  # r_f (version 1)
    "resistance.ideas": (1.0, 0.0, None, False),          # r_I (version 2)
    "resistance.powers": (1.0, 0.0, None, False),         # r_P (version 2)
    "resistance.burden": (1.0, 0.0, None, False),         # r_b
    "resistance.compensation": (0.0, 0.0, 1.0, False),    # kappa
    "resistance.supervision": (0.0, 0.0, 1.0, False),     # mu_s
    "resistance.law": (0.0, 0.0, 1.0, False),             # mu_l
    "dynamics.rationality": (4.0, 0.0, None, True),       # beta > 0
    "dynamics.rate": (1.0, 0.0, None, True),              # lambda > 0
    "dynamics.trust_gain": (0.5, 0.0, None, False),       # eta_g
    "dynamics.trust_decay": (0.1, 0.0, None, False),      # eta_d
}
# docs/model.md, "Model 2": what each version has that the other has not
VERSION_ONLY = {1: {"resistance.fragmentation"},
                2: {"pressure.command", "resistance.ideas", "resistance.powers"}}


def params_of(version):
    """The parameter paths of a model version."""
    other = VERSION_ONLY[3 - version]
    return [p for p in PARAMETERS if p not in other]


# The ten factors (docs/model.md, "Force factors"), in the CSV's order, and
# the force each belongs to.
FACTORS = ("G_interest", "G_trust", "P_admin", "P_command", "P_crisis",
           "T_info", "T_appraisal", "R_ideas", "R_powers", "R_benefits")
RULES = ("logit", "replicator")
ROLES = ("administrative", "emergency")
LEVELS = ("central", "provincial", "municipal", "county", "other")

NODE_DEFAULTS = {"level": "other", "capacity": 0.5, "vulnerability": 0.5,
                 "fragmentation": 0.5, "x0": 0.1, "fixed": False}
COMMAND_DEFAULTS = {"weight": 1.0}
PARTNERSHIP_DEFAULTS = {"interest": 0.5, "trust": 0.2, "info": 0.5}
SIMULATION_DEFAULTS = {"t_end": 50.0, "dt": 0.1, "rtol": 1e-8, "atol": 1e-10}

# Keys docs/model.md names, plus the extensions the C engine accepts (names,
# descriptions, scenarios, ranges) which do not change the base simulation.
_TOP_KEYS = {"format", "version", "name", "description", "parameters",
             "simulation", "nodes", "edges", "events", "interventions",
             "names", "descriptions", "scenarios", "ranges"}
_NODE_KEYS = {1: {"id", "name", "level", "capacity", "vulnerability",
                  "fragmentation", "x0", "fixed", "pos", "names"},
              2: {"id", "name", "level", "capacity", "vulnerability",
                  "fragmentation_ideas", "fragmentation_powers", "appraisal",
                  "x0", "fixed", "pos", "names"}}
_EDGE_KEYS = {1: {"kind", "source", "target", "weight", "interest", "trust", "info"},
              2: {"kind", "source", "target", "weight", "role", "interest", "trust", "info"}}
_EVENT_KEYS = {"name", "onset", "magnitude", "decay", "impact", "names"}
_INTERVENTION_KEYS = {"at", "set"}
_SIM_KEYS = set(SIMULATION_DEFAULTS) | {"time_unit"}


class ModelError(ValueError):
    pass


def _check_keys(obj, allowed, where, strict):
    if not isinstance(obj, dict):
        raise ModelError("%s: expected an object" % where)
    if strict:
        for key in obj:
            if key not in allowed:
                raise ModelError("%s: unknown key \"%s\"" % (where, key))


def _num(obj, key, default, where, lo=None, hi=None, lo_open=False):
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelError("%s.%s: expected a number" % (where, key))
    value = float(value)
    if not math.isfinite(value):
        raise ModelError("%s.%s: not finite" % (where, key))
    if lo is not None and (value < lo or (lo_open and value == lo)):
        raise ModelError("%s.%s: out of range" % (where, key))
    if hi is not None and value > hi:
        raise ModelError("%s.%s: out of range" % (where, key))
    return value


def _flatten_set(mapping, prefix=""):
    """Intervention 'set' is a map path -> value; accept nested objects too."""
    out = []
    for key, value in mapping.items():
        path = prefix + key
        if isinstance(value, dict):
            out.extend(_flatten_set(value, path + "."))
        else:
            out.append((path, value))
    return out


class Model:
    """A parsed model file, with every default filled in."""

    def __init__(self, doc, strict=False):
        _check_keys(doc, _TOP_KEYS, "model", strict)
        if "format" in doc and doc["format"] != "coordyn-model":
            raise ModelError("format: expected \"coordyn-model\"")
        self.version = doc.get("version", 1)
        if isinstance(self.version, bool) or self.version not in (1, 2):
            raise ModelError("version: expected 1 or 2")
        self.version = int(self.version)
        version_params = set(params_of(self.version))

        # Parameters (nested by section: {"gravity": {"interest": ...}, ...})
        self.params = {path: spec[0] for path, spec in PARAMETERS.items()}
        self.rule = "logit"
        sections = doc.get("parameters", {})
        _check_keys(sections, {"gravity", "pressure", "thrust", "resistance",
                               "dynamics"}, "parameters", strict)
        for section, fields in sections.items():
            _check_keys(fields, None, "parameters." + section, False)
            for key, value in fields.items():
                path = section + "." + key
                if path == "dynamics.rule":
                    if value not in RULES:
                        raise ModelError("parameters.dynamics.rule: unknown rule")
                    self.rule = value
                    continue
                if path not in PARAMETERS:
                    if strict:
                        raise ModelError("parameters.%s: unknown key" % path)
                    continue
                if path not in version_params:
                    raise ModelError("parameters.%s: not in version %d" % (path, self.version))
                _, lo, hi, lo_open = PARAMETERS[path]
                self.params[path] = _num(fields, key, None, "parameters." + section,
                                         lo, hi, lo_open)

        sim = doc.get("simulation", {})
        _check_keys(sim, _SIM_KEYS, "simulation", strict)
        self.t_end = _num(sim, "t_end", SIMULATION_DEFAULTS["t_end"], "simulation",
                          0.0, None, True)
        self.dt = _num(sim, "dt", SIMULATION_DEFAULTS["dt"], "simulation",
                       0.0, self.t_end, True)
        self.rtol = _num(sim, "rtol", SIMULATION_DEFAULTS["rtol"], "simulation",
                         0.0, None, True)
        self.atol = _num(sim, "atol", SIMULATION_DEFAULTS["atol"], "simulation", 0.0)

        # Nodes, in file order
        if "nodes" not in doc or not isinstance(doc["nodes"], list):
            raise ModelError("nodes: required array")
        self.nodes = []
        self.index = {}
        for n, node in enumerate(doc["nodes"]):
            where = "nodes[%d]" % n
            _check_keys(node, _NODE_KEYS[self.version], where, strict)
            for key in _NODE_KEYS[3 - self.version] - _NODE_KEYS[self.version]:
                if key in node:
                    raise ModelError("%s.%s: not in version %d" % (where, key, self.version))
            nid = node.get("id")
            if not isinstance(nid, str) or nid == "":
                raise ModelError(where + ".id: expected a non-empty string")
            if nid in self.index:
                raise ModelError(where + ".id: duplicate id \"%s\"" % nid)
            level = node.get("level", NODE_DEFAULTS["level"])
            if level not in LEVELS:
                raise ModelError(where + ".level: unknown level")
            fixed = node.get("fixed", NODE_DEFAULTS["fixed"])
            if not isinstance(fixed, bool):
                raise ModelError(where + ".fixed: expected true or false")
            self.index[nid] = n
            entry = {
                "id": nid,
                "capacity": _num(node, "capacity", 0.5, where, 0.0, 1.0),
                "vulnerability": _num(node, "vulnerability", 0.5, where, 0.0, 1.0),
                "x0": _num(node, "x0", 0.1, where, 0.0, 1.0),
                "fixed": fixed,
            }
            if self.version == 1:
                entry["fragmentation"] = _num(node, "fragmentation", 0.5, where, 0.0, 1.0)
            else:
                entry["fragmentation_ideas"] = _num(node, "fragmentation_ideas", 0.5, where,
                                                    0.0, 1.0)
                entry["fragmentation_powers"] = _num(node, "fragmentation_powers", 0.5, where,
                                                     0.0, 1.0)
                # None: the default, 1 with a superior and 0 without (below)
                entry["appraisal"] = (_num(node, "appraisal", None, where, 0.0, 1.0)
                                      if "appraisal" in node else None)
            self.nodes.append(entry)

        # Edges, in file order
        self.commands = []      # (source index, target index, h, emergency?)
        self.partnerships = []  # (source index, target index, b, tau0, iota, "A|B")
        seen = set()
        for n, edge in enumerate(doc.get("edges", [])):
            where = "edges[%d]" % n
            _check_keys(edge, _EDGE_KEYS[self.version], where, strict)
            if self.version == 1 and "role" in edge:
                raise ModelError(where + ".role: not in version 1")
            kind = edge.get("kind")
            src, dst = edge.get("source"), edge.get("target")
            for key, end in (("source", src), ("target", dst)):
                if end not in self.index:
                    raise ModelError("%s.%s: no node \"%s\"" % (where, key, end))
            if src == dst:
                raise ModelError(where + ": self-loop")
            if kind == "command":
                key = ("command", src, dst)
                if key in seen:
                    raise ModelError(where + ": duplicate edge")
                seen.add(key)
                role = edge.get("role", "administrative")
                if role not in ROLES:
                    raise ModelError(where + ".role: unknown role")
                self.commands.append((self.index[src], self.index[dst],
                                      _num(edge, "weight", 1.0, where, 0.0, 1.0, True),
                                      role == "emergency"))
            elif kind == "partnership":
                key = ("partnership",) + tuple(sorted((src, dst)))
                if key in seen:
                    raise ModelError(where + ": duplicate edge")
                seen.add(key)
                self.partnerships.append((
                    self.index[src], self.index[dst],
                    _num(edge, "interest", 0.5, where, 0.0, 1.0),
                    _num(edge, "trust", 0.2, where, 0.0, 1.0),
                    _num(edge, "info", 0.5, where, 0.0, 1.0),
                    src + "|" + dst))
            else:
                raise ModelError(where + ".kind: expected command or partnership")
        self._check_acyclic()

        # Events
        self.events = []  # dicts: onset, magnitude, decay, impact (array over nodes)
        for n, event in enumerate(doc.get("events", [])):
            where = "events[%d]" % n
            _check_keys(event, _EVENT_KEYS, where, strict)
            impact = np.zeros(len(self.nodes))
            imp = event.get("impact", {})
            _check_keys(imp, None, where + ".impact", False)
            for nid in imp:
                if nid not in self.index:
                    raise ModelError("%s.impact: no node \"%s\"" % (where, nid))
                impact[self.index[nid]] = _num(imp, nid, None, where + ".impact", 0.0, 1.0)
            # docs/model.md gives no defaults for onset, magnitude and decay: required
            for key in ("onset", "magnitude", "decay"):
                if key not in event:
                    raise ModelError("%s.%s: required" % (where, key))
            self.events.append({
                "onset": _num(event, "onset", None, where, 0.0),
                "magnitude": _num(event, "magnitude", None, where, 0.0),
                "decay": _num(event, "decay", None, where, 0.0, None, True),
                "impact": impact,
            })

        # Interventions, kept in file order; applied sorted by (at, file order)
        self.interventions = []
        for n, iv in enumerate(doc.get("interventions", [])):
            where = "interventions[%d]" % n
            _check_keys(iv, _INTERVENTION_KEYS, where, strict)
            if "at" not in iv:
                raise ModelError(where + ".at: required")
            at = _num(iv, "at", None, where, 0.0)
            changes = []
            for path, value in _flatten_set(iv.get("set", {})):
                if path not in version_params:
                    raise ModelError("%s.set: \"%s\" is not a numeric parameter of "
                                     "version %d" % (where, path, self.version))
                _, lo, hi, lo_open = PARAMETERS[path]
                changes.append((path, _num({path: value}, path, None, where + ".set",
                                           lo, hi, lo_open)))
            self.interventions.append((at, n, changes))

    def _check_acyclic(self):
        children = {i: [] for i in range(len(self.nodes))}
        for s, d, _, _ in self.commands:
            children[s].append(d)
        state = [0] * len(self.nodes)  # 0 new, 1 on stack, 2 done
        for root in range(len(self.nodes)):
            if state[root]:
                continue
            stack = [(root, iter(children[root]))]
            state[root] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    stack.pop()
                elif state[nxt] == 1:
                    raise ModelError("edges: command cycle")
                elif state[nxt] == 0:
                    state[nxt] = 1
                    stack.append((nxt, iter(children[nxt])))

    # -- what is in force at a time -----------------------------------------

    def params_at(self, t):
        """Parameter values in force at time t: interventions with at <= t,
        applied in order of at, file order at ties (later ones overwrite)."""
        params = dict(self.params)
        for at, _, changes in sorted(self.interventions, key=lambda iv: (iv[0], iv[1])):
            if at <= t:
                for path, value in changes:
                    params[path] = value
        return params

    def events_at(self, t):
        """Events active at time t (an event is active from its onset on)."""
        return [ev for ev in self.events if ev["onset"] <= t]


def load_model(path, strict=False):
    with open(path, "r", encoding="utf-8") as fh:
        return Model(json.load(fh), strict=strict)


# --------------------------------------------------------------------------
# The equations (docs/model.md, "Equations"), vectorized over nodes and edges
# --------------------------------------------------------------------------

class System:
    """Flat arrays of a model. Partnership e joins ps[e] and pt[e] (its source
    and target as written); it is undirected, so every sum over partners
    N_i gets a contribution from both ends. Command edge e goes from the
    superior cs[e] to the subordinate cd[e] with weight h[e]."""

    def __init__(self, model):
        self.model = model
        nodes = model.nodes
        self.N = N = len(nodes)
        self.c = np.array([n["capacity"] for n in nodes], dtype=float)
        self.v = np.array([n["vulnerability"] for n in nodes], dtype=float)
        self.version = model.version
        if model.version == 1:
            self.f = np.array([n["fragmentation"] for n in nodes], dtype=float)
        else:
            self.fI = np.array([n["fragmentation_ideas"] for n in nodes], dtype=float)
            self.fP = np.array([n["fragmentation_powers"] for n in nodes], dtype=float)
        self.x0 = np.array([n["x0"] for n in nodes], dtype=float)
        self.fixed = np.array([n["fixed"] for n in nodes], dtype=bool)
        # the governments integrated in log-odds (see to_solver)
        self.logodds = (~self.fixed & (self.x0 > 0.0) & (self.x0 < 1.0)
                        if model.rule == "replicator" else np.zeros(len(nodes), dtype=bool))

        P = model.partnerships
        self.E = len(P)
        self.ps = np.array([p[0] for p in P], dtype=np.intp)
        self.pt = np.array([p[1] for p in P], dtype=np.intp)
        self.b = np.array([p[2] for p in P], dtype=float)
        self.tau0 = np.array([p[3] for p in P], dtype=float)
        self.iota = np.array([p[4] for p in P], dtype=float)
        self.trust_names = [p[5] for p in P]

        C = model.commands
        self.cs = np.array([e[0] for e in C], dtype=np.intp)
        self.cd = np.array([e[1] for e in C], dtype=np.intp)
        self.h = np.array([e[2] for e in C], dtype=float)
        self.emergency = np.array([e[3] for e in C], dtype=bool)

        # k_i = |N_i|; 1/k_i with "a mean over an empty set is 0"
        self.k = (np.bincount(self.ps, minlength=N)
                  + np.bincount(self.pt, minlength=N)).astype(float)
        self.inv_k = np.divide(1.0, self.k, out=np.zeros(N), where=self.k > 0)
        # [U_i != empty]: number of superiors of i
        self.n_sup = np.bincount(self.cd, minlength=N)
        # sum_{s in U_i} h_si (denominator of H_i)
        self.h_sum = np.bincount(self.cd, weights=self.h, minlength=N)
        if model.version == 2:
            # a_i: its own, or 1 with a superior and 0 without
            self.a = np.array([(n["appraisal"] if n["appraisal"] is not None
                                else (1.0 if self.n_sup[i] > 0 else 0.0))
                               for i, n in enumerate(nodes)], dtype=float)

    # sum over partners j of i of w_ij * q_j, for a per-edge weight w and a
    # per-node quantity q (both directions of every partnership)
    def _partner_sum(self, w, q):
        return (np.bincount(self.ps, weights=w * q[self.pt], minlength=self.N)
                + np.bincount(self.pt, weights=w * q[self.ps], minlength=self.N))

    def severity(self, t, events):
        """S_i(t) = sum_k m_k a_ik exp(-(t - t_k)/d_k) over active events."""
        S = np.zeros(self.N)
        for ev in events:
            S += ev["magnitude"] * ev["impact"] * math.exp(-(t - ev["onset"]) / ev["decay"])
        return S

    def factors(self, t, x, tau, params, events):
        """The ten factors of every node (docs/model.md, "Force factors"),
        a dict name -> array, and the severities S."""
        p = params
        S = self.severity(t, events)
        N = self.N

        # C_i = S_i + (1/k_i) sum_{j in N_i} iota_ij S_j + max_{d in D_i} h_id S_d
        # (the subordinates' reports come up command lines of both roles)
        worst_sub = np.zeros(N)                # max over an empty set is 0 (S >= 0)
        np.maximum.at(worst_sub, self.cs, self.h * S[self.cd])
        C = S + self.inv_k * self._partner_sum(self.iota, S) + worst_sub

        # G_i = (1/k_i) sum_{j in N_i} (g_b b_ij + g_tau tau_ij) x_j, in its two parts
        f = {}
        f["G_interest"] = self.inv_k * self._partner_sum(p["gravity.interest"] * self.b, x)
        f["G_trust"] = self.inv_k * self._partner_sum(p["gravity.trust"] * tau, x)

        # T_i = t_i Ibar_i + t_a (appraisal),  Ibar_i = (1/k_i) sum_j iota_ij
        Ibar = self.inv_k * self._partner_sum(self.iota, np.ones(N))
        f["T_info"] = p["thrust.info"] * Ibar
        f["P_crisis"] = p["pressure.crisis"] * self.v * C
        benefits = (p["resistance.burden"] * (1.0 - p["resistance.compensation"])
                    * self.c * (1.0 - self.v))

        if self.version == 1:
            # P_i = p_a H_i + p_c v_i C_i,  H_i = sum_s h_si x_s / sum_s h_si
            h_x = np.bincount(self.cd, weights=self.h * x[self.cs], minlength=N)
            H = np.divide(h_x, self.h_sum, out=np.zeros(N), where=self.n_sup > 0)
            f["P_admin"] = p["pressure.admin"] * H
            f["P_command"] = np.zeros(N)
            f["T_appraisal"] = p["thrust.appraisal"] * (self.n_sup > 0)
            # R_i = (1 - mu_s)(1 - mu_l) [ r_f f_i + r_b (1 - kappa) c_i (1 - v_i) ],
            # the fragmentation term shared equally by ideas and powers
            D = (1.0 - p["resistance.supervision"]) * (1.0 - p["resistance.law"])
            f["R_ideas"] = D * p["resistance.fragmentation"] * self.f / 2.0
            f["R_powers"] = D * p["resistance.fragmentation"] * self.f / 2.0
            f["R_benefits"] = D * benefits
            return f, S

        # Model 2: administrative and emergency superiors apart
        adm, emg = ~self.emergency, self.emergency
        def role_mean(mask):
            num = np.bincount(self.cd[mask], weights=(self.h * x[self.cs])[mask], minlength=N)
            den = np.bincount(self.cd[mask], weights=self.h[mask], minlength=N)
            return np.divide(num, den, out=np.zeros(N), where=den > 0)
        A = C / (1.0 + C)               # the command system is activated by the crisis felt
        f["P_admin"] = p["pressure.admin"] * role_mean(adm)
        f["P_command"] = p["pressure.command"] * A * role_mean(emg)
        f["T_appraisal"] = p["thrust.appraisal"] * self.a
        sigma = np.minimum(1.0, self.h_sum)               # supervision through superiors
        tau_mean = self.inv_k * self._partner_sum(tau, np.ones(N))
        D = 1.0 - p["resistance.supervision"] * sigma
        f["R_ideas"] = D * p["resistance.ideas"] * self.fI * (1.0 - tau_mean)
        f["R_powers"] = D * p["resistance.powers"] * self.fP * (1.0 - p["resistance.law"])
        f["R_benefits"] = D * benefits
        return f, S

    def forces(self, t, x, tau, params, events):
        """The four forces G, P, T, R on every node: each the sum of its factors."""
        f, S = self.factors(t, x, tau, params, events)
        G = f["G_interest"] + f["G_trust"]
        Pf = f["P_admin"] + f["P_command"] + f["P_crisis"]
        T = f["T_info"] + f["T_appraisal"]
        R = f["R_ideas"] + f["R_powers"] + f["R_benefits"]
        return G, Pf, T, R, S

    def split(self, y):
        return y[:self.N], y[self.N:self.N + self.E], y[self.N + self.E]

    def initial_state(self):
        return np.concatenate([self.x0, self.tau0, [0.0]])

    # Under the replicator rule the state integrated is not x_i but its
    # log-odds z_i = log(x_i / (1 - x_i)), dz_i/dt = lambda F_i, for every
    # government that can move (not fixed, 0 < x0 < 1): a double near 1
    # cannot hold 1 - x_i below 1e-16, and a government that saturates and
    # is later pushed back leaves at a time set by those digits (the engine
    # does the same: docs/model.md, "Error control"). self.logodds flags
    # them, once, in __init__.
    def to_solver(self, y):
        u = y.copy()
        m = self.logodds
        u[:self.N][m] = np.log(y[:self.N][m]) - np.log1p(-y[:self.N][m])
        return u

    def from_solver(self, u):
        y = u.copy()
        m = self.logodds
        y[:self.N][m] = expit(u[:self.N][m])
        return y

    def solver_rhs(self, t, u, params, events):
        return self.rhs(t, self.from_solver(u), params, events, logodds=self.logodds)

    def rhs(self, t, y, params, events, logodds=None):
        x, tau, _ = self.split(y)
        G, Pf, T, R, S = self.forces(t, x, tau, params, events)
        F = G + Pf + T - R                                   # net force
        lam = params["dynamics.rate"]
        if self.model.rule == "logit":
            # dx_i/dt = lambda (sigma(beta F_i) - x_i)
            dx = lam * (expit(params["dynamics.rationality"] * F) - x)
        else:
            # dx_i/dt = lambda x_i (1 - x_i) F_i
            dx = lam * x * (1.0 - x) * F
            if logodds is not None:
                dx[logodds] = lam * F[logodds]               # dz_i/dt = lambda F_i
        dx[self.fixed] = 0.0                                 # fixed nodes do not move

        # dtau_ij/dt = eta_g (1 + iota_ij) x_i x_j (1 - tau_ij) - eta_d (1 - x_i x_j) tau_ij
        xx = x[self.ps] * x[self.pt]
        dtau = (params["dynamics.trust_gain"] * (1.0 + self.iota) * xx * (1.0 - tau)
                - params["dynamics.trust_decay"] * (1.0 - xx) * tau)

        # dL/dt = sum_i v_i S_i (1 - M_i),
        # M_i = x_i (c_i + sum_{j in N_i} c_j x_j) / (1 + k_i)
        M = x * (self.c + self._partner_sum(np.ones(self.E), self.c * x)) / (1.0 + self.k)
        dL = np.sum(self.v * S * (1.0 - M))

        return np.concatenate([dx, dtau, [dL]])


# --------------------------------------------------------------------------
# Piecewise integration and sampling (docs/model.md, "Numerics")
# --------------------------------------------------------------------------

def sample_times(t_end, dt):
    """t = k*dt for k = 0..K, K = floor(t_end/dt + 1e-9), by multiplication."""
    K = int(math.floor(t_end / dt + 1e-9))
    return [k * dt for k in range(K + 1)]


def breakpoints(model, t_last):
    """Piece starts: 0, then every event onset and intervention time in
    (0, t_last]; later ones never reach a sample."""
    times = {ev["onset"] for ev in model.events} | {iv[0] for iv in model.interventions}
    return [0.0] + sorted(t for t in times if 0.0 < t <= t_last)


def simulate(model, t_end=None, dt=None, rtol=1e-12, atol=1e-14, method="DOP853"):
    """Returns (times, states, forces) with states[k] = y at times[k] and
    forces[k] = (G, P, T, R) at that sample, evaluated with the piece the
    sample belongs to."""
    system = System(model)
    t_end = model.t_end if t_end is None else t_end
    dt = model.dt if dt is None else dt
    times = sample_times(t_end, dt)
    t_last = times[-1]
    starts = breakpoints(model, t_last)
    ends = starts[1:] + [t_last]

    u = system.to_solver(system.initial_state())   # the solver's state (z or x)
    t_now = 0.0
    states, forces = [], []
    k = 0
    for piece, (a, b) in enumerate(zip(starts, ends)):
        params = model.params_at(a)
        events = model.events_at(a)
        last_piece = piece == len(starts) - 1
        fun = lambda t, uu, p=params, e=events: system.solver_rhs(t, uu, p, e)

        def advance(t_to):
            nonlocal u, t_now
            if t_to > t_now:
                sol = solve_ivp(fun, (t_now, t_to), u, method=method,
                                rtol=rtol, atol=atol)
                if not sol.success or sol.t[-1] != t_to:
                    raise RuntimeError("integration failed at t=%g: %s"
                                       % (t_now, sol.message))
                u = sol.y[:, -1].copy()
                t_now = t_to

        # samples a <= t < b belong to this piece; the last piece also owns b
        while k < len(times) and (times[k] < b or (last_piece and times[k] <= b)):
            advance(times[k])
            y = system.from_solver(u)
            x, tau, _ = system.split(y)
            fac, _ = system.factors(times[k], x, tau, params, events)
            G = fac["G_interest"] + fac["G_trust"]
            Pf = fac["P_admin"] + fac["P_command"] + fac["P_crisis"]
            T = fac["T_info"] + fac["T_appraisal"]
            R = fac["R_ideas"] + fac["R_powers"] + fac["R_benefits"]
            states.append(y.copy())
            forces.append((G, Pf, T, R, [fac[name] for name in FACTORS]))
            k += 1
        advance(b)
    assert k == len(times)
    return times, states, forces, system


# --------------------------------------------------------------------------
# CSV (docs/model.md, "Simulation output")
# --------------------------------------------------------------------------

def _csv_field(text):
    # RFC 4180 quoting, only needed for ids containing , " or a line break
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_header(model, with_forces=False, with_trust=False, with_factors=False):
    ids = [n["id"] for n in model.nodes]
    cols = ["t", "mean_coordination", "loss"] + ["x:" + i for i in ids]
    if with_forces:
        for force in ("G", "P", "T", "R"):
            cols += [force + ":" + i for i in ids]
    if with_factors:
        for name in FACTORS:
            cols += [name + ":" + i for i in ids]
    if with_trust:
        cols += ["trust:" + p[5] for p in model.partnerships]
    return cols


def csv_rows(model, times, states, forces, system, with_forces=False, with_trust=False,
             with_factors=False):
    for t, y, frc in zip(times, states, forces):
        x, tau, L = system.split(y)
        row = [t, float(np.mean(x)) if system.N else 0.0, L] + list(x)
        if with_forces:
            for arr in frc[:4]:
                row += list(arr)
        if with_factors:
            for arr in frc[4]:
                row += list(arr)
        if with_trust:
            row += list(tau)
        yield row


def write_csv(out, model, times, states, forces, system, with_forces=False,
              with_trust=False, with_factors=False):
    out.write(",".join(_csv_field(c) for c in csv_header(model, with_forces, with_trust,
                                                            with_factors)))
    out.write("\n")
    for row in csv_rows(model, times, states, forces, system, with_forces, with_trust,
                        with_factors):
        out.write(",".join("%.17g" % float(v) for v in row))
        out.write("\n")


def run(model, with_forces=False, with_trust=False, t_end=None, dt=None,
        rtol=1e-12, atol=1e-14, with_factors=False):
    """Header and numeric rows (list of lists of float) of the CSV."""
    times, states, forces, system = simulate(model, t_end, dt, rtol, atol)
    header = csv_header(model, with_forces, with_trust, with_factors)
    rows = [list(map(float, r)) for r in
            csv_rows(model, times, states, forces, system, with_forces, with_trust,
                     with_factors)]
    return header, rows


def main(argv=None):
    ap = argparse.ArgumentParser(description="Coordyn reference simulation (CSV to stdout)")
    ap.add_argument("model")
    ap.add_argument("--forces", action="store_true")
    ap.add_argument("--trust", action="store_true")
    ap.add_argument("--factors", action="store_true")
    ap.add_argument("--t-end", type=float)
    ap.add_argument("--dt", type=float)
    ap.add_argument("--rtol", type=float, default=1e-12)
    ap.add_argument("--atol", type=float, default=1e-14)
    ap.add_argument("--strict", action="store_true",
                    help="reject keys docs/model.md does not name (and no extension uses)")
    ap.add_argument("-o", "--output")
    args = ap.parse_args(argv)
    try:
        model = load_model(args.model, strict=args.strict)
    except (OSError, ValueError) as exc:
        print("coordyn_reference: %s: %s" % (args.model, exc), file=sys.stderr)
        return 1
    t_end = model.t_end if args.t_end is None else args.t_end
    dt = model.dt if args.dt is None else args.dt
    if not (t_end > 0 and 0 < dt <= t_end):
        print("coordyn_reference: need t_end > 0 and 0 < dt <= t_end", file=sys.stderr)
        return 1
    times, states, forces, system = simulate(model, t_end, dt, args.rtol, args.atol)
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    try:
        write_csv(out, model, times, states, forces, system, args.forces, args.trust,
                  args.factors)
    finally:
        if args.output:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
