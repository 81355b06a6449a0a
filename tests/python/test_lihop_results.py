"""test_lihop_results.py - notebooks/lihop_results.py against h5dump.

Makes a tiny voxel and a tiny garnet results file with the built lihop
(tests/data/nb_voxel.yaml, nb_garnet.yaml), loads them, and checks that the
loaded tables and per-point series equal what h5dump prints (17 digits), that
every column has its unit, the shapes of point(k), and the errors and warnings
for a file that is not a lihop result and for an incomplete one.
Exit 77 (skipped) when this Python lacks h5py, numpy or pandas.
    usage: /usr/bin/python3 tests/python/test_lihop_results.py LIHOP_BINARY SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

try:
    import h5py
    import numpy as np
    import pandas  # noqa: F401  (lihop_results needs it)
except ImportError as e:
    print(f"skip: {sys.executable} lacks {e.name} (Debian: python3-h5py python3-numpy python3-pandas)")
    sys.exit(77)

FAILS = []


def check(cond, what):
    """Record a failed check (the test goes on, and exits 1 at the end)."""
    print(("  ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what)


def h5dump_values(path, obj):
    """Every number h5dump prints for a dataset, in storage order (17 digits)."""
    out = subprocess.run(["h5dump", "-m", "%.17g", "-d", obj, path], check=True,
                         capture_output=True, text=True).stdout
    body = out[out.index("DATA {") + len("DATA {"):]
    body = body[:body.index("ATTRIBUTE")] if "ATTRIBUTE" in body else body
    body = re.sub(r"\([0-9,]+\):", " ", body)              # the (i,j,k): indices
    return np.array([float(v) for v in re.findall(r"-?(?:nan|inf|[0-9][0-9.eE+-]*)", body)])


def run_lihop(lihop, deck, out):
    subprocess.run([lihop, "run", deck, "-o", out, "--threads", "2"], check=True, capture_output=True)


def same(a, b):
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def test_voxel(lr, path):
    print("voxel:", path)
    r = lr.load(path)
    check(r.model == "voxel" and r.complete and r.status == "complete", "model voxel, status complete")
    with h5py.File(path, "r") as f:
        names = f["summary"].dtype.names
    table = h5dump_values(path, "/summary").reshape(len(r.summary), len(names))
    check(list(r.summary.columns) == list(names), "summary columns in file order")
    check(same(r.summary.to_numpy(dtype=float), table), "summary values equal h5dump /summary")
    check(set(r.summary.attrs["units"]) == set(names), "every summary column has a unit")
    check(r.unit("sigma_S_m") == "S/m" and r.unit("T_K") == "K" and r.unit("D_li_m2_s") == "m^2/s",
          "units: sigma_S_m S/m, T_K K, D_li_m2_s m^2/s")
    check(r.combined is not None and len(r.combined) == 5, "/combined: 5 rows (5 temperatures, 2 seeds)")
    check(same(r.sweep["temperature_K"], [280, 310, 340, 370, 400]) and same(r.sweep["seed"], [42, 43]),
          "sweep axes temperature_K and seed")
    fits = r.fits
    check(fits is not None and len(fits) == 3 and list(fits["species"]) == [-1, 0, 1], "/fits: total, li, tfsi")
    with h5py.File(path, "r") as f:
        nf = len(f["fits"].dtype.names)
    check(same(fits.to_numpy(dtype=float), h5dump_values(path, "/fits").reshape(3, nf)), "fits equal h5dump /fits")
    check(r.unit("vtf_B_K", "fits") == "K", "fits units: vtf_B_K in K")
    check(len(r.line_points(fits.iloc[0])) == 5, "line_points: the 5 combined rows of line 0")
    check(r.point_ids == list(range(10)), "point ids 0..9 in numeric order")
    with h5py.File(path, "r") as f:
        keys = list(f["points"])
    check(keys == [f"{k:07d}" for k in range(len(keys))] and len(keys) >= 10 and r.point_ids == list(range(len(keys))),
          "/points lists in id order in h5py (zero-padded names), point_ids match")
    p = r.point(7)
    ns, nt = len(r.species), p["time_s"].shape[1]
    check(p["msd_m2"].shape == (ns, nt, 3) and p["sigma_S_m"].shape == (ns, 3), "point(7) shapes [ns][nt][3], [ns][3]")
    check(same(p["msd_m2"], h5dump_values(path, "/points/0000007/msd_m2")), "point(7) msd_m2 equals h5dump")
    check(same(p["sigma_exact_S_m"], h5dump_values(path, "/points/0000007/sigma_exact_S_m")),
          "point(7) sigma_exact_S_m equals h5dump")
    ts = p.series("tfsi")
    check(list(ts.columns) == ["time_s", "msd_x_m2", "msd_y_m2", "msd_z_m2", "msd_m2"] and len(ts) == nt
          and same(ts["msd_y_m2"], p["msd_m2"][1, :, 1]), "series('tfsi'): time and MSD per axis of species 1")
    ax = p.axes()
    check(len(ax) == 3 * ns and ax.attrs["units"]["D_late_m2_s"] == "m^2/s", "axes(): one row per species and axis")
    check(p.units["time_s"] == "s" and p.attrs["complete"] == 1, "point units and attributes")
    try:
        r.point(99)
        check(False, "point(99) raises KeyError")
    except KeyError:
        check(True, "point(99) raises KeyError")


def test_garnet(lr, path):
    print("garnet:", path)
    r = lr.load(path)
    check(r.model == "garnet", "model garnet")
    with h5py.File(path, "r") as f:
        names = f["summary"].dtype.names
        nf = len(f["fits"].dtype.names)
    check(same(r.summary.to_numpy(dtype=float), h5dump_values(path, "/summary").reshape(len(r.summary), len(names))),
          "summary values equal h5dump /summary")
    check(r.fits is not None and same(r.fits.to_numpy(dtype=float), h5dump_values(path, "/fits").reshape(3, nf)),
          "fits is /fits and equals h5dump")
    arr = r.tables["arrhenius"]
    check(r.line_coordinates() == ["li_per_fu"] and same(r.fits["li_per_fu"], arr["li_per_fu"]) and
          all(same(r.fits[c], arr[c]) for c in arr.columns), "/fits Arrhenius columns equal /arrhenius")
    check(r.unit("Ea_sigmaT_eV", "fits") == "eV" and r.unit("sigma_S_m") == "S/m", "garnet units")
    check("li_content" in r.tables and len(r.tables["li_content"]) == 3, "/li_content: 3 temperatures")
    check(same(r.line_points(r.fits.iloc[1])["li_per_fu"], [6.4] * 3), "line_points: Li 6.4 at 3 temperatures")
    p = r.point(0)
    ts = p.series()
    check(len(ts) == 8 and same(ts["msd_coll_m2"], h5dump_values(path, "/points/0000000/msd_coll_m2")),
          "point(0).series(): 8 samples, collective MSD equals h5dump")
    check(set(p.groups) >= {"drift_E1", "drift_E2"} and p.groups["drift_E1"]["time_s"].shape == (8,),
          "point(0) subgroups drift_E1, drift_E2")
    check(len(p.axes()) == 3 and abs(p.attrs["T_K"] - 300) < 1e-12, "point(0) axes() and T_K")
    check(np.shape(p["D_tracer_m2_s"]) == () and p.units["D_tracer_m2_s"] == "m^2/s" and
          same(p["D_tracer_m2_s"], h5dump_values(path, "/points/0000000/D_tracer_m2_s")) and
          p.value("haven") == p["haven"] and "D_tracer_m2_s" not in p.attrs,
          "point(0) scalar results are datasets of shape () with units")
    row = r.summary[r.summary["point"] == 0].iloc[0]
    check(p["D_tracer_m2_s"] == row["D_tracer_m2_s"] and p["sigma_NE_S_m"] == row["sigma_S_m"],
          "point(0) D_tracer_m2_s, sigma_NE_S_m equal its /summary row")
    check(p.groups["drift_E1"].units["sigma_drift_S_m"] == "S/m" and np.isfinite(p.groups["drift_E1"]["sigma_drift_S_m"])
          and np.shape(p["drift_linearity"]) == (), "drift_E1 sigma_drift_S_m and drift_linearity are datasets")


def test_errors(lr, work, voxel):
    print("errors and warnings")
    bad = os.path.join(work, "not.h5")
    with open(bad, "w") as fh:
        fh.write("not HDF5\n")
    for path, what in ((bad, "a text file"),):
        try:
            lr.load(path)
            check(False, f"{what}: LihopFileError")
        except lr.LihopFileError as e:
            check("cannot open" in str(e), f"{what}: LihopFileError ({e})")
    other = os.path.join(work, "other.h5")
    with h5py.File(other, "w") as f:
        f["x"] = 1
    try:
        lr.load(other)
        check(False, "an HDF5 file without /metadata: LihopFileError")
    except lr.LihopFileError as e:
        check("not a lihop results file" in str(e), f"an HDF5 file without /metadata: LihopFileError ({e})")
    micro = os.path.join(work, "micro.h5")
    with h5py.File(micro, "w") as f:
        f.create_group("metadata").attrs.update({"file_kind": "microstructure", "lihop_version": "0.1.0"})
    try:
        lr.load(micro)
        check(False, "a lihop micro file: LihopFileError")
    except lr.LihopFileError as e:
        check("not a lihop results file (a microstructure file" in str(e), f"a lihop micro file: LihopFileError ({e})")
    part = os.path.join(work, "part.h5")
    shutil.copy(voxel, part)
    with h5py.File(part, "a") as f:
        f["metadata"].attrs["status"] = "interrupted"
        f["points/0000003"].attrs["complete"] = 0
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = lr.load(part)
    check(any(issubclass(x.category, lr.IncompleteResultsWarning) for x in w), "interrupted file: warns")
    check(not r.complete and 3 not in r.point_ids and len(r.point_ids) == 9, "interrupted file: loads finished points")


def main():
    lihop, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sys.path.insert(0, os.path.join(src, "notebooks"))
    import lihop_results as lr
    work = tempfile.mkdtemp(prefix="lihop_pyreader.")
    try:
        voxel, garnet = os.path.join(work, "voxel.h5"), os.path.join(work, "garnet.h5")
        run_lihop(lihop, os.path.join(src, "tests/data/nb_voxel.yaml"), voxel)
        run_lihop(lihop, os.path.join(src, "tests/data/nb_garnet.yaml"), garnet)
        test_voxel(lr, voxel)
        test_garnet(lr, garnet)
        test_errors(lr, work, voxel)
    finally:
        shutil.rmtree(work)
    if FAILS:
        sys.exit(f"{len(FAILS)} check(s) failed")
    print("test_lihop_results: all checks passed")


if __name__ == "__main__":
    main()
