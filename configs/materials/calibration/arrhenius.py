#!/usr/bin/env python3
import sys, json, math
import numpy as np
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
"""Arrhenius check of a parameter set: usage python3 arrhenius.py SETS.json (see scan.py)."""
from scan import run_set
KB = 8.617333262e-5
for st in json.load(open(sys.argv[1])):
    kw = dict(st.get("kw", {}))
    kw.setdefault("T", (250.0, 275.0, 298.15, 325.0, 350.0, 400.0))
    kw.setdefault("li", (6.4,))
    s = run_set(st["tag"], st["Enn"], st["dO"], [tuple(x) for x in st["shells"]], **kw)
    if s is None: continue
    T = s["T_K"]; sg = s["sigma_S_m"] / 100; e = s["sigma_err_S_m"] / 100
    x = 1 / (KB * T); y = np.log(sg * T); w = sg / e
    A = np.vstack([np.ones_like(x), -x]).T * w[:, None]
    c, res, *_ = np.linalg.lstsq(A, y * w, rcond=None)
    cov = np.linalg.inv(A.T @ A)
    y2 = np.log(sg); c2, *_ = np.linalg.lstsq(A, y2 * w, rcond=None)
    i298 = int(np.argmin(abs(T - 298.15)))
    print(f"{st['tag']:28s} Ekra {kw.get('Ekra', 0.3):.3f} s298 {sg[i298]:.3e}±{e[i298]/sg[i298]*100:.0f}% "
          f"Ea(sT) {c[1]:.3f}±{math.sqrt(cov[1,1]):.3f} Ea(s) {c2[1]:.3f} occT {s['occupancy_T'][i298]:.2f} | "
          + " ".join(f"{t:.0f}:{v:.2e}" for t, v in zip(T, sg)), flush=True)
