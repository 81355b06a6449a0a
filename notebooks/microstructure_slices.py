#!/usr/bin/env python3
"""Slices of a lihop microstructure, coloured by phase (and by grain and
space-charge potential when the file holds them), with the percolation table.

Reads a `lihop micro` file (/phase, /grain, /potential_V, /percolation) or a
`lihop run` results file (/microstructure/phase, /microstructure/percolation).
The notebook microstructure_slices.ipynb imports this module; run it headless:

    MPLBACKEND=Agg python3 notebooks/microstructure_slices.py micro.h5 -o slices.png

Needs h5py, numpy, matplotlib.  Arrays are [z][y][x] (README "Output").
"""
import argparse
import sys

import h5py
import numpy as np
import matplotlib
import matplotlib.pyplot as plt
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch


def _names(attr):
    return [n.decode() if isinstance(n, bytes) else str(n) for n in attr]


def load(path):
    """The grids and percolation results of a micro or results file, as a dict:
    phase [z][y][x] uint8, names, voxel_m, grain or None, fields {name: array}
    (float cell fields such as potential_V), percolation {dataset: array} or {}."""
    with h5py.File(path, "r") as f:
        root = f["/microstructure"] if "microstructure" in f else f["/"]
        ph = root["phase"]
        phase = ph[...]
        names = _names(ph.attrs["phase_names"]) if "phase_names" in ph.attrs else \
            [f"phase {p}" for p in range(int(phase.max()) + 1)]
        voxel_m = float(ph.attrs.get("voxel_size_m", 1.0))
        grain = root["grain"][...] if "grain" in root else None
        fields = {}
        for key, obj in root.items():
            if isinstance(obj, h5py.Dataset) and obj.shape == phase.shape and obj.dtype.kind == "f":
                fields[key] = obj[...]
        perc = {k: v[...] for k, v in root["percolation"].items()} if "percolation" in root else {}
    return {"phase": phase, "names": names, "voxel_m": voxel_m, "grain": grain, "fields": fields,
            "percolation": perc}


def percolation_lines(d):
    """One line per phase and interface pair: the axes it wraps along."""
    p = d["percolation"]
    if not p:
        return ["(no percolation group in this file)"]

    def axes(s):
        return "".join(a for a, on in zip("xyz", s) if on) or "-"
    out = []
    for i, name in enumerate(d["names"]):
        out.append(f"{name:>20s}  wraps {axes(p['phase_spans'][i]):3s}  largest cluster "
                   f"{p['phase_largest_cluster_fraction'][i]:.3f} of the phase")
    for k, (a, b) in enumerate(p.get("interface_pairs", np.zeros((0, 2), int))):
        label = f"{d['names'][a]}|{d['names'][b]} interface"
        out.append(f"{label:>20s}  wraps {axes(p['interface_spans'][k]):3s}  largest cluster "
                   f"{p['interface_largest_cluster_fraction'][k]:.3f} of the network")
    return out


def _phase_axes(ax, img, names, extent, title):
    n = len(names)
    colours = plt.get_cmap("tab10" if n <= 10 else "tab20")(np.arange(n) % (10 if n <= 10 else 20))
    ax.imshow(img, origin="lower", extent=extent, cmap=ListedColormap(colours),
              norm=BoundaryNorm(np.arange(n + 1) - 0.5, n), interpolation="nearest")
    ax.set_title(title)
    ax.legend(handles=[Patch(color=colours[p], label=names[p]) for p in range(n)], loc="upper right",
              fontsize="small", framealpha=0.8)


def _slices(d, z, y):
    """(x-y slice at z, x-z slice at y) of each grid to draw: label, kind, arrays."""
    rows = [("phase", "phase", d["phase"])]
    if d["grain"] is not None:
        rows.append(("grain id", "grain", d["grain"]))
    for name, arr in sorted(d["fields"].items()):
        rows.append((name, "field", arr))
    return [(label, kind, arr[z, :, :], arr[:, y, :]) for label, kind, arr in rows]


def plot_slices(d, z=None, y=None):
    """A figure: per grid (phase, grain, each float field such as potential_V)
    one row with the x-y slice at z and the x-z slice at y (voxel indices;
    default: the middle), lengths in micrometres."""
    nz, ny, nx = d["phase"].shape
    z = nz // 2 if z is None else z
    y = ny // 2 if y is None else y
    um = d["voxel_m"] * 1e6
    ext_xy, ext_xz = [0, nx * um, 0, ny * um], [0, nx * um, 0, nz * um]
    rows = _slices(d, z, y)
    fig, axs = plt.subplots(len(rows), 2, figsize=(10, 4.2 * len(rows)), squeeze=False)
    for r, (label, kind, sxy, sxz) in enumerate(rows):
        for c, (img, ext, what) in enumerate(((sxy, ext_xy, f"x-y at z = {z}"), (sxz, ext_xz, f"x-z at y = {y}"))):
            ax = axs[r][c]
            if kind == "phase":
                _phase_axes(ax, img, d["names"], ext, f"phase, {what}")
            else:
                cmap = "tab20" if kind == "grain" else "coolwarm"
                im = ax.imshow(np.ma.masked_less(img, 0) if kind == "grain" else img, origin="lower", extent=ext,
                               cmap=cmap, interpolation="nearest")
                ax.set_title(f"{label}, {what}")
                fig.colorbar(im, ax=ax, shrink=0.8)
            ax.set_xlabel("x [um]")
            ax.set_ylabel("y [um]" if c == 0 else "z [um]")
    fig.tight_layout()
    return fig


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", help="lihop micro output or lihop run results file")
    ap.add_argument("-o", "--out", default="microstructure_slices.png", help="image to write")
    ap.add_argument("--z", type=int, default=None, help="z index of the x-y slice (default: middle)")
    ap.add_argument("--y", type=int, default=None, help="y index of the x-z slice (default: middle)")
    a = ap.parse_args(argv)
    d = load(a.file)
    nz, ny, nx = d["phase"].shape
    print(f"{a.file}: {nx} x {ny} x {nz} voxels of {d['voxel_m']:.3g} m; phases: {', '.join(d['names'])}")
    fr = np.bincount(d["phase"].ravel(), minlength=len(d["names"])) / d["phase"].size
    print("volume fractions: " + ", ".join(f"{n} {x:.4f}" for n, x in zip(d["names"], fr)))
    print("grids drawn: " + ", ".join(label for label, *_ in _slices(d, 0, 0)))
    print("percolation:")
    for line in percolation_lines(d):
        print(line)
    fig = plot_slices(d, a.z, a.y)
    fig.savefig(a.out, dpi=80)
    print(f"wrote {a.out} (backend {matplotlib.get_backend()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
