"""test_bpx_pybamm.py - `lihop export bpx` against the bpx package and PyBaMM
(README "BPX export").

A 4-temperature voxel sweep (bpx_pic.yaml) is exported into the example base
cell (configs/bpx/nmc_pouch_cell_BPX.json). Checks, with their tolerances:
  - bpx.parse_bpx_file validates the file (BPX 1.1);
  - the Electrolyte numbers equal what the results file says, 1e-9 relative:
    conductivity A exp(-Ea/kT_ref) and Ea F of the /fits ln sigma row of the
    total, t+ = sigma_li / (sigma_li + sigma_tfsi) of the species rows, and D_li
    and its Ea from a weighted numpy fit of ln D over /summary;
  - electrodes, separator, cell and state are the base file's, unchanged;
  - PyBaMM's electrolyte conductivity and diffusivity functions at 323.15 K
    equal lihop's fitted laws there (1e-9 relative: the Ea is applied the way
    PyBaMM applies it);
  - the Ea of D_li is the barrier of the Li hop: within 0.01 eV of /fits'
    sigma T Arrhenius Ea of the Li species (D = sigma kT / n q^2);
  - an SPMe 1C discharge of one hour runs to the end, delivers the nominal
    12.5 Ah and ends between the cut-offs (2.7-4.2 V), below the base cell's
    own (liquid, ~1 S/m) electrolyte: the solid one costs voltage.
usage: test_bpx_pybamm.py LIHOP SOURCE_DIR WORK_DIR
"""
import json
import math
import os
import subprocess
import sys
import warnings

import h5py
import numpy as np

lihop, src, work = sys.argv[1:4]
os.chdir(work)
F = 1.602176634e-19 * 6.02214076e23   # C/mol: Ea [J/mol] = Ea [eV] F
KB_EV = 8.617333262e-5
base_path = os.path.join(src, "configs", "bpx", "nmc_pouch_cell_BPX.json")
failures = []


def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def rel(a, b):
    return abs(a - b) / abs(b)


env = dict(os.environ, OMP_NUM_THREADS="2")
subprocess.run([lihop, "run", os.path.join(src, "tests", "interop", "bpx_pic.yaml"), "-o", "pic.h5",
                "--overwrite", "--threads", "2"], check=True, env=env, stdout=subprocess.DEVNULL)
if os.path.exists("pic.json"):
    os.remove("pic.json")
r = subprocess.run([lihop, "export", "bpx", "pic.h5", "--base", base_path, "-o", "pic.json"],
                   capture_output=True, text=True)
print(r.stdout + r.stderr, end="")
check(r.returncode == 0 and os.path.exists("pic.json"), "lihop export bpx exits 0 and writes pic.json")
if failures:
    sys.exit(1)

import bpx      # noqa: E402  (after lihop ran: imports take a second)
import pybamm   # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)   # the base cell's own STO-limit warning (upstream data)
    parsed = bpx.parse_bpx_file("pic.json")
check(parsed.header.bpx.startswith("1.1"), f"bpx validates it as BPX {parsed.header.bpx}")

out = json.load(open("pic.json"))
base = json.load(open(base_path))
el = out["Parameterisation"]["Electrolyte"]
T_ref = base["Parameterisation"]["Cell"]["Reference temperature [K]"]

with h5py.File("pic.h5", "r") as h:
    fits = h["/fits"][()]
    summ = h["/summary"][()]
    species = [s.decode() if isinstance(s, bytes) else s for s in h["/metadata/species/name"][()]]
li = species.index("li")
tot = fits[fits["species"] == -1][0]
sig = {int(row["species"]): row["A_sigma_S_m"] * math.exp(-row["Ea_sigma_eV"] / (KB_EV * T_ref)) for row in fits}
check(rel(el["Conductivity [S.m-1]"], sig[-1]) < 1e-9,
      f"conductivity {el['Conductivity [S.m-1]']:.9g} S/m = /fits A exp(-Ea/kT_ref) {sig[-1]:.9g}")
check(rel(el["Conductivity activation energy [J.mol-1]"], tot["Ea_sigma_eV"] * F) < 1e-9,
      f"conductivity Ea {el['Conductivity activation energy [J.mol-1]']:.9g} J/mol = Ea_sigma_eV F")
tp = sig[li] / sum(v for k, v in sig.items() if k >= 0)
check(rel(el["Cation transference number"], tp) < 1e-9 and 0.99 < tp < 1.0,
      f"t+ {el['Cation transference number']:.9g} = sigma_li/sum sigma_s {tp:.9g} (in (0.99, 1): PEO's TFSI)")

x = 1.0 / (KB_EV * summ["T_K"])
y = np.log(summ["D_li_m2_s"])
w = summ["D_li_m2_s"] / summ["D_li_err_m2_s"]       # 1 / error of ln D
slope, lnA = np.polyfit(x, y, 1, w=w)
D_ref = math.exp(lnA + slope / (KB_EV * T_ref))
check(rel(el["Diffusivity [m2.s-1]"], D_ref) < 1e-9,
      f"diffusivity {el['Diffusivity [m2.s-1]']:.9g} m2/s = weighted fit of /summary D_li at T_ref {D_ref:.9g}")
check(rel(el["Diffusivity activation energy [J.mol-1]"], -slope * F) < 1e-9,
      f"diffusivity Ea {el['Diffusivity activation energy [J.mol-1]']:.9g} J/mol = fit {-slope * F:.9g}")
ea_li_sigT = fits[fits["species"] == li][0]["Ea_sigmaT_eV"]
check(abs(-slope - ea_li_sigT) < 0.01, f"Ea(D_li) {-slope:.4f} eV within 0.01 eV of Ea(sigma_li T) {ea_li_sigT:.4f} eV")

same = all(out["Parameterisation"][k] == base["Parameterisation"][k]
           for k in ("Cell", "Negative electrode", "Positive electrode", "Separator"))
check(same and out["State"] == base["State"] and "Validation" not in out,
      "electrodes, separator, cell, state as in the base; base Validation dropped")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)   # PyBaMM: OCV limits taken from the cut-offs
    pv = pybamm.ParameterValues.create_from_bpx("pic.json")
T = 323.15
c_e = pybamm.Scalar(1000.0)
sig_pb = pv.evaluate(pv["Electrolyte conductivity [S.m-1]"](c_e, pybamm.Scalar(T)))
D_pb = pv.evaluate(pv["Electrolyte diffusivity [m2.s-1]"](c_e, pybamm.Scalar(T)))
sig_fit = tot["A_sigma_S_m"] * math.exp(-tot["Ea_sigma_eV"] / (KB_EV * T))
D_fit = math.exp(lnA + slope / (KB_EV * T))
check(rel(float(sig_pb), sig_fit) < 1e-9, f"PyBaMM sigma(323.15 K) {float(sig_pb):.9g} = lihop's fit {sig_fit:.9g}")
check(rel(float(D_pb), D_fit) < 1e-9, f"PyBaMM D(323.15 K) {float(D_pb):.9g} = lihop's D fit {D_fit:.9g}")


def discharge(path):
    p = pybamm.ParameterValues.create_from_bpx(path)
    sol = pybamm.Simulation(pybamm.lithium_ion.SPMe(), parameter_values=p).solve([0, 3600])
    return sol["Voltage [V]"].entries, sol["Discharge capacity [A.h]"].entries[-1], sol["Time [s]"].entries[-1]


with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)   # PyBaMM: OCV limits taken from the cut-offs
    V, Q, t_end = discharge("pic.json")
    V_base, _, _ = discharge(base_path)
check(abs(t_end - 3600.0) < 1e-6 and abs(Q - 12.5) < 1e-3,
      f"SPMe 1C discharge runs 3600 s and delivers {Q:.6f} Ah (nominal 12.5)")
check(2.7 < V[-1] < 4.2 and V[-1] < V[0], f"voltage {V[0]:.4f} V -> {V[-1]:.4f} V within the 2.7-4.2 V cut-offs")
check(V[-1] < V_base[-1], f"end voltage {V[-1]:.4f} V below the base cell's liquid electrolyte {V_base[-1]:.4f} V")
sys.exit(1 if failures else 0)
