#!/usr/bin/env python3
"""filler_fraction.py - sigma and t+ of a voxel sweep over the filler fraction against
effective-medium curves (the code of filler_fraction.ipynb; runs without Jupyter).

    MPLBACKEND=Agg python3 notebooks/filler_fraction.py RESULTS.h5 -o OUT.png

RESULTS.h5: a `lihop run` voxel results file whose sweep has `volume_fraction`
(generators spheres/packed: filler in a matrix) and includes the end points 0 (pure
matrix) and 1 (pure filler) at every temperature: those two points are the phases'
own conductivities, per species, that the curves start from (their exact network
values: a uniform box solves to the phase conductivity of the deck's law).  The
effective-medium formulas are in ema.py (Maxwell-Garnett both ways, symmetric
Bruggeman, Hashin-Shtrikman bounds, Maxwell-Garnett with the interface resistance
of Hasselman & Johnson), applied per species and summed, because the species are
independent carriers (sigma_total = sum of the species' sigma) that see different
phase contrasts (the anion does not enter LLZO at all).

Needs h5py, numpy, pandas, matplotlib (Debian python3-h5py python3-numpy
python3-pandas python3-matplotlib) and lihop_results.py, ema.py (this folder).
"""
import argparse
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ema  # noqa: E402
import lihop_results as lr  # noqa: E402

__all__ = ["load_sweep", "transference_species", "phase_sigmas", "ema_curves", "compare", "plot", "main"]


class SweepError(Exception):
    """The file cannot be drawn as a filler-fraction sweep (says what is missing)."""


def load_sweep(path):
    """(r, table, info): the results, the rows to plot (/combined when there are seed
    replicates, else /summary) and {'matrix', 'filler', 'radius_m', 'asr_ohm_m2',
    'asr_column', 'voxel_size_m'} from the file (the phase names from the fraction
    columns, the sphere radius from radius_voxels x /microstructure/phase voxel_size_m,
    the interface ASR from the asr_ohm_m2_<a>_<b> column, None without one)."""
    r = lr.load(path)
    if r.model != "voxel":
        raise SweepError(f"{path}: a {r.model} results file; the filler-fraction sweep is a voxel run")
    table = r.combined if r.combined is not None else r.summary
    if "volume_fraction" not in table:
        raise SweepError(f"{path}: no volume_fraction coordinate (a spheres or packed microstructure)")
    vf = table["volume_fraction"].to_numpy(dtype=float)
    # the filler: the phase whose achieved fraction is 1 at volume_fraction = 1; the matrix at 0
    info = {}
    for role, target in (("matrix", 0.0), ("filler", 1.0)):
        rows = table[np.isclose(vf, target)]
        if rows.empty:
            raise SweepError(f"{path}: no point at volume_fraction = {target:g}; the curves start from the "
                             "pure phases, so add 0.0 and 1.0 to microstructure.volume_fraction "
                             "(two cheap uniform points) and run again with --resume")
        names = [p for p in r.phases if np.allclose(rows[f"fraction_{p}"].to_numpy(dtype=float), 1.0)]
        if len(names) != 1:
            raise SweepError(f"{path}: no single phase fills the box at volume_fraction = {target:g}")
        info[role] = names[0]
    with h5py.File(path, "r") as f:
        info["voxel_size_m"] = float(f["microstructure/phase"].attrs["voxel_size_m"])
    info["radius_m"] = (float(table["radius_voxels"].iloc[0]) * info["voxel_size_m"]
                        if "radius_voxels" in table else None)
    asr_cols = [c for c in table.columns if c.startswith("asr_ohm_m2_")]
    pair = [c for c in asr_cols if info["matrix"] in c and info["filler"] in c]
    info["asr_column"] = pair[0] if pair else None
    info["asr_ohm_m2"] = float(table[pair[0]].iloc[0]) if pair else None
    return r, table, info


def transference_species(r):
    """The species t+ is reported for: the points' `transference_species` attribute
    (the deck's key), the first species when no point has it."""
    for k in r.point_ids:
        sp = r.point(k).attrs.get("transference_species")
        if sp in r.species:
            return sp
    return r.species[0]


def phase_sigmas(r, table, info, T):
    """{species: (sigma_matrix, sigma_filler)} in S/m at temperature T from the sweep's
    end points: the exact network value (the KMC value where it was not solved)."""
    out = {}
    vf = table["volume_fraction"].to_numpy(dtype=float)
    atT = np.isclose(table["T_K"].to_numpy(dtype=float), T)
    for sp in r.species:
        pair = []
        for target in (0.0, 1.0):
            row = table[atT & np.isclose(vf, target)]
            if row.empty:
                raise SweepError(f"no point at volume_fraction = {target:g} and T = {T:g} K")
            v = float(row[f"sigma_{sp}_exact_S_m"].iloc[0])
            if not np.isfinite(v):
                v = float(row[f"sigma_{sp}_S_m"].iloc[0])
            pair.append(v)
        out[sp] = tuple(pair)
    return out


def ema_curves(sig, phi, info, transference_species):
    """Per-species and total sigma (S/m) and t+ on the filler fractions phi, for each
    effective-medium model: {model: {'sigma': total, 'species': {sp: sigma}, 't_plus': t}}."""
    models = {}

    def add(name, f):
        per = {sp: f(sm, sf) for sp, (sm, sf) in sig.items()}
        models[name] = {"species": per, "sigma": sum(per.values()),
                        "t_plus": ema.transference(per, transference_species)}

    add("Maxwell-Garnett, filler spheres in matrix", lambda sm, sf: ema.maxwell_garnett(sf, sm, phi))
    add("Maxwell-Garnett, matrix spheres in filler", lambda sm, sf: ema.maxwell_garnett(sm, sf, 1.0 - phi))
    add("Bruggeman (symmetric)", lambda sm, sf: ema.bruggeman(sf, sm, phi))
    add("HS lower", lambda sm, sf: ema.hashin_shtrikman(sf, sm, phi)[0])
    add("HS upper", lambda sm, sf: ema.hashin_shtrikman(sf, sm, phi)[1])
    if info.get("asr_ohm_m2") and info.get("radius_m"):
        # the interface resistance in series at each sphere's surface (Hasselman & Johnson 1987);
        # applied to every species: one that does not enter the filler (s_f = 0) is unchanged
        add("Maxwell-Garnett + interface ASR",
            lambda sm, sf: ema.maxwell_garnett(ema.sphere_with_interface(sf, info["asr_ohm_m2"], info["radius_m"]),
                                               sm, phi))
    return models


def compare(r, table, info):
    """One row per point: the KMC total sigma and t+ beside each model at the point's own
    (achieved) filler fraction, and the transference species' own sigma beside its
    Hashin-Shtrikman lower bound; a DataFrame in S/cm."""
    import pandas as pd
    rows = []
    ts = transference_species(r)
    for T in np.unique(table["T_K"].to_numpy(dtype=float)):
        sig = phase_sigmas(r, table, info, T)
        pts = table[np.isclose(table["T_K"].to_numpy(dtype=float), T)].sort_values(f"fraction_{info['filler']}")
        phi = pts[f"fraction_{info['filler']}"].to_numpy(dtype=float)
        models = ema_curves(sig, phi, info, ts)
        for i, (_, p) in enumerate(pts.iterrows()):
            row = {"T_K": T, "phi": phi[i], "wraps": int(p[f"wraps_{info['filler']}"]),
                   "sigma_S_cm": p["sigma_S_m"] / 100, "err_S_cm": p["sigma_err_S_m"] / 100,
                   "exact_S_cm": p["sigma_exact_S_m"] / 100}
            for name, short in (("HS lower", "HS-"), ("HS upper", "HS+"), ("Bruggeman (symmetric)", "Brugg"),
                                ("Maxwell-Garnett, filler spheres in matrix", "MG"),
                                ("Maxwell-Garnett + interface ASR", "MG+ASR")):
                if name in models:
                    row[short] = models[name]["sigma"][i] / 100
            tsp = ts
            row[f"{tsp}_S_cm"] = p[f"sigma_{tsp}_S_m"] / 100
            row[f"{tsp}_err"] = p[f"sigma_{tsp}_err_S_m"] / 100
            row[f"{tsp}_HS-"] = models["HS lower"]["species"][tsp][i] / 100
            row["t_plus"], row["t_plus_err"] = p["t_plus"], p["t_plus_err"]
            row["t_Brugg"] = models["Bruggeman (symmetric)"]["t_plus"][i]
            if "Maxwell-Garnett + interface ASR" in models:
                row["t_MG+ASR"] = models["Maxwell-Garnett + interface ASR"]["t_plus"][i]
            rows.append(row)
    return pd.DataFrame(rows)


STYLE = {"Maxwell-Garnett, filler spheres in matrix": ("tab:blue", "--"),
         "Maxwell-Garnett, matrix spheres in filler": ("tab:green", "-."),
         "Bruggeman (symmetric)": ("tab:red", "-"),
         "Maxwell-Garnett + interface ASR": ("tab:purple", ":")}


def plot(r, table, info):
    """The figure: one column per temperature; top sigma_total (S/cm, log) with the HS band
    and the curves, bottom t+ with the curves; KMC with error bars, exact network open."""
    import matplotlib.pyplot as plt
    temps = np.unique(table["T_K"].to_numpy(dtype=float))
    ts = transference_species(r)
    fig, axes = plt.subplots(2, len(temps), figsize=(4.6 * len(temps) + 0.6, 7.4), squeeze=False)
    grid = np.linspace(0.0, 1.0, 401)
    fcol = f"fraction_{info['filler']}"
    for j, T in enumerate(temps):
        sig = phase_sigmas(r, table, info, T)
        models = ema_curves(sig, grid, info, ts)
        ax_s, ax_t = axes[0, j], axes[1, j]
        ax_s.fill_between(grid, models["HS lower"]["sigma"] / 100, models["HS upper"]["sigma"] / 100,
                          color="0.85", label="Hashin-Shtrikman bounds")
        pts = table[np.isclose(table["T_K"].to_numpy(dtype=float), T)].sort_values(fcol)
        x = pts[fcol].to_numpy(dtype=float)
        wraps = x[pts[f"wraps_{info['filler']}"].to_numpy() == 3]
        # MG + ASR assumes isolated spheres behind their interface: drawn only below the first
        # point where the filler wraps around the box (all of it when the sweep never wraps)
        isolated = grid < (wraps.min() if wraps.size and wraps.min() < 1.0 else 1.0)
        for name, (c, ls) in STYLE.items():
            if name in models:
                m = isolated if name == "Maxwell-Garnett + interface ASR" else slice(None)
                ax_s.plot(grid[m], models[name]["sigma"][m] / 100, color=c, ls=ls, lw=1.3, label=name)
                ax_t.plot(grid[m], models[name]["t_plus"][m], color=c, ls=ls, lw=1.3, label=name)
        ax_s.errorbar(x, pts["sigma_S_m"] / 100, yerr=pts["sigma_err_S_m"] / 100, fmt="ko", ms=4, capsize=2,
                      label="KMC (lihop)")
        ax_s.plot(x, pts["sigma_exact_S_m"] / 100, "ks", mfc="none", ms=8, label="exact network (lihop)")
        ax_t.errorbar(x, pts["t_plus"], yerr=pts["t_plus_err"], fmt="ko", ms=4, capsize=2, label="KMC (lihop)")
        ax_t.plot(x, pts["t_plus_exact"], "ks", mfc="none", ms=8, label="exact network (lihop)")
        for ax in (ax_s, ax_t):
            ax.axvline(1.0 / 3.0, color="tab:red", lw=0.6, alpha=0.6)
            if wraps.size:
                ax.axvspan(wraps.min(), 1.0, color="tab:orange", alpha=0.08)
            ax.set_xlim(0, 1)
            ax.set_xlabel(f"{info['filler']} volume fraction (achieved)")
        ax_s.set_yscale("log")
        ax_s.set_ylabel("sigma total [S/cm]")
        ax_t.set_ylabel(f"t+ ({ts})")
        ax_s.set_title(f"T = {T:.2f} K ({T - 273.15:.0f} C)")
        if j == 0:
            ax_s.legend(fontsize=6.5, loc="lower right")
    fig.text(0.01, 0.005, f"shaded orange: the {info['filler']} wraps along x, y and z (lihop's percolation); "
             "red line: Bruggeman threshold 1/3", fontsize=7)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("-o", "--output", default="filler_fraction.png")
    a = ap.parse_args(argv)
    try:
        r, table, info = load_sweep(a.results)
    except (SweepError, lr.LihopFileError) as e:
        print(f"filler_fraction: {e}", file=sys.stderr)
        return 2
    print(f"matrix {info['matrix']}, filler {info['filler']}, sphere radius "
          f"{info['radius_m']:.3g} m, interface ASR {info['asr_ohm_m2']} ohm m^2 ({info['asr_column']})")
    for T in np.unique(table["T_K"].to_numpy(dtype=float)):
        sig = phase_sigmas(r, table, info, T)
        print(f"T = {T:g} K, phase sigma [S/cm] from the end points (matrix, filler): " +
              ", ".join(f"{sp} ({sm / 100:.4g}, {sf / 100:.4g})" for sp, (sm, sf) in sig.items()))
    print(compare(r, table, info).to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    fig = plot(r, table, info)
    fig.savefig(a.output, dpi=100)
    print("figure:", a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
