#!/usr/bin/env python3
"""Calibration scan of configs/materials/llzo_ta.yaml (see ../README.md): one `lihop run`
per parameter set, a Li-content sweep at 298 K, one summary line per set.
Usage: python3 scan.py GRID.json  (needs h5py and numpy; LIHOP=path/to/lihop, CAL_OUT=run dir)."""
import sys, json, subprocess, os, itertools, math
import h5py, numpy as np
HERE = os.path.dirname(os.path.abspath(__file__))
LIHOP = os.environ.get("LIHOP", os.path.join(HERE, "../../../build/lihop"))
OUT = os.environ.get("CAL_OUT", "cal_runs")
MAT = os.path.join(HERE, "..", "llzo_ta.yaml")   # decks override every fitted key

def run_set(tag, Enn, dO, shells, Ekra=0.30, li=(6.0, 6.2, 6.4, 6.6, 6.8, 7.0), reps=64, hops=150,
            seed=1, cells=2, threads=2, T=(298.15,), eq=20):
    sh = ", ".join("{from_A: %g, to_A: %g, value: %g}" % s for s in shells)
    deck = f"""model: garnet
backend: cpu
seed: {seed}
temperature_K: [{", ".join(str(t) for t in T)}]
garnet:
  material: {MAT}
  cells: [{cells}, {cells}, {cells}]
  li_per_fu: [{", ".join(str(x) for x in li)}]
  E_nn_eV: {Enn}
  site_energy_eV: [{{sublattice: T, value: 0.0}}, {{sublattice: O, value: {dO}}}]
  E_kra_eV: [{{pair: [T, O], value: {Ekra}}}]
""" + (f"  pair_shells_eV: [{sh}]\n" if shells else "") + f"""run:
  replicas: {reps}
  hops_per_li: {hops}
  equil_hops_per_li: {eq}
  samples: 32
  batches: 8
"""
    d = os.path.join(OUT, tag)
    os.makedirs(d, exist_ok=True)
    open(f"{d}/deck.yaml", "w").write(deck)
    r = subprocess.run([LIHOP, "run", f"{d}/deck.yaml", "-o", f"{d}/out.h5", "--overwrite", "--threads", str(threads)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(tag, "FAILED", r.stderr[-500:], flush=True); return None
    s = h5py.File(f"{d}/out.h5", "r")["summary"][()]
    return s

def report(tag, Enn, dO, shells, s, Ekra=0.30):
    x = s["li_per_fu"]; sg = s["sigma_S_m"] / 100; e = s["sigma_err_S_m"] / 100
    occT = s["occupancy_T"]
    i64 = int(np.argmin(abs(x - 6.4)))
    kT = 8.617333262e-5 * s["T_K"][0]
    ek = Ekra + kT * math.log(sg[i64] / 1e-3)
    prof = " ".join(f"{a:g}:{b/sg.max():.2f}" for a, b in zip(x, sg))
    am = x[int(np.argmax(sg))]
    w = 1 / np.maximum(e, 1e-30) ** 2
    c = np.polyfit(x, sg, 2, w=np.sqrt(w))
    vert = -c[1] / (2 * c[0]) if c[0] < 0 else float("nan")
    r60 = sg.max() / sg[int(np.argmin(abs(x - 6.0)))]
    r70 = sg.max() / sg[int(np.argmin(abs(x - 7.0)))]
    print(f"{tag:24s} Enn {Enn:.3f} dO {dO:.3f} shells {shells} | s6.4 {sg[i64]:.2e}±{e[i64]/sg[i64]*100:.0f}% "
          f"Ekra1e-3 {ek:.3f} occT6.4 {occT[i64]:.2f} | {prof} | argmax {am:g} vert {vert:.2f} "
          f"max/s6.0 {r60:.2f} max/s7.0 {r70:.2f} trapped {int(s['trapped_replicas'].sum())}", flush=True)

if __name__ == "__main__":
    sets = json.load(open(sys.argv[1]))
    for st in sets:
        kw = st.get("kw", {})
        s = run_set(st["tag"], st["Enn"], st["dO"], [tuple(x) for x in st["shells"]], **kw)
        if s is not None: report(st["tag"], st["Enn"], st["dO"], st["shells"], s, kw.get("Ekra", 0.30))
