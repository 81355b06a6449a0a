"""H5MD trajectory export read by MDAnalysis and analysed by kinisi.

    test_h5md_kinisi.py LIHOP SOURCE_DIR WORK_DIR [voxel|garnet]

voxel (default):
A small LLZO-in-PEO voxel point is run, its Li walkers exported with
`lihop export h5md` and checked:
  1. the file's H5MD 1.1 layout (version, author, creator, units, links);
  2. positions + image x box, read back as whole voxels, give on the run's own
     time grid the MSD lihop stored for the point, exactly (same walkers);
  3. a subset of walkers on a coarser frame grid (other replay windows, one
     thread) is the same trajectories, bit for bit;
  4. MDAnalysis opens the file with the right atoms, frames, box and times;
  5. kinisi's D from the trajectory agrees with lihop's D of the point:
     |D_kinisi - D_lihop| < 3 sqrt(se_kinisi^2 + se_lihop^2), se_kinisi the
     standard deviation of kinisi's posterior samples, se_lihop lihop's
     standard error over walkers (both from the same walkers, so the test is
     conservative).
garnet: a 3x3x3 Ta-LLZO supercell (16 replicas, 500 hops per Li, 600 K); the
Li ions of replica 0 on 65 frames: they sit on lattice sites in every frame,
MDAnalysis sees them, and kinisi's D from that one replica agrees with lihop's
tracer D* of the point (all replicas) by the same criterion.
Exit 0 pass, 1 fail.
"""
import os
import subprocess
import sys
import warnings

import h5py
import numpy as np

LIHOP, SRC, WORK = sys.argv[1:4]
MODE = sys.argv[4] if len(sys.argv) > 4 else "voxel"
WALKERS, SAMPLES = 2000, 16
FRAMES = 10 * SAMPLES + 1          # frame 10 (k + 1) is the run's sample k

DECK = f"""model: voxel
backend: cpu
seed: 7
temperature_K: 353.15
species:
  - {{name: li, charge: 1}}
  - {{name: tfsi, charge: -1}}
transference_species: li
phases:
  - name: peo
    sigma_total_S_cm: {{law: vtf, prefactor: 1.6, B_K: 1300, T0_K: 166}}
    carriers:
      - {{species: li, concentration_mol_L: 1.11, transference_number: 0.25}}
      - {{species: tfsi, concentration_mol_L: 1.11, transference_number: 0.75}}
  - name: llzo
    carriers:
      - species: li
        concentration_mol_L: 38.97
        D_cm2_s: {{law: arrhenius, prefactor: 3.72e-4, Ea_eV: 0.28}}
interfaces:
  - {{phases: [llzo, peo], asr_ohm_cm2: 10, species: [li]}}
microstructure:
  box_voxels: [24, 22, 20]
  voxel_size_m: 1.0e-8
  generator: spheres
  matrix: peo
  filler: llzo
  volume_fraction: 0.16
  radius_voxels: 3
  overlap: true
run:
  walkers: {WALKERS}
  hops_per_walker: 400
  samples: {SAMPLES}
  batches: 4
  max_extensions: 0
"""

failures = []


def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def lihop(*args):
    r = subprocess.run([LIHOP, *args], cwd=WORK, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
        sys.exit(f"lihop {' '.join(args)} exited {r.returncode}")
    return r.stdout


def unwrapped_voxels(f):
    """Whole-voxel unwrapped coordinates [frames][N][3] from position + image."""
    g = f["particles/li"]
    h_nm = 1e9 * f["parameters/lihop"].attrs["voxel_size_m"]
    edges = g["box/edges/value"][0]
    x = g["position/value"][()].astype(np.float64) + g["image/value"][()] * edges
    v = x / h_nm - 0.5
    check(np.abs(v - np.rint(v)).max() < 1e-3, "positions are voxel centres (float32 rounding < 1e-3 voxel)")
    return np.rint(v).astype(np.int64)


def check_layout(f):
    check(list(f["h5md"].attrs["version"]) == [1, 1], "/h5md version = [1, 1]")
    check(f["h5md/creator"].attrs["name"] == "lihop" and len(f["h5md/author"].attrs["name"]) > 0,
          "/h5md creator name = lihop, author name present")
    g = f["particles/li"]
    check(g["box"].attrs["dimension"] == 3 and
          [b.decode() if isinstance(b, bytes) else b for b in g["box"].attrs["boundary"]] == ["periodic"] * 3,
          "box: dimension 3, periodic boundaries")
    check(g["position/value"].attrs["unit"] == "nm" and g["position/time"].attrs["unit"] == "s" and
          g["box/edges/value"].attrs["unit"] == "nm", "units: position and edges nm, time s")
    check(g["position/value"].shape == (FRAMES, WALKERS, 3) and g["image/value"].shape == (FRAMES, WALKERS, 3),
          f"position and image values are [{FRAMES}][{WALKERS}][3]")
    check(g["image/step"] == g["position/step"] and g["box/edges/time"] == g["position/time"],
          "image and box/edges share position's step and time (hard links)")
    check(np.allclose(g["box/edges/value"][0], [240.0, 220.0, 200.0]), "box edges 240 x 220 x 200 nm")


def check_msd(f, res):
    """MSD over all walkers at the run's sample times equals the stored msd_m2 exactly."""
    u = unwrapped_voxels(f)
    h = f["parameters/lihop"].attrs["voxel_size_m"]
    d = u[10::10] - u[0]                                  # run samples k = 0 .. 15
    msd = (d.astype(np.float64) ** 2).sum(axis=1) / WALKERS * h * h
    stored = res["points/0000000/msd_m2"][0]
    rel = np.abs(msd - stored).max() / stored.max()
    check(rel < 1e-12, f"MSD from the H5MD file = lihop's stored msd_m2 of all {WALKERS} walkers (max rel. diff "
          f"{rel:.1e} < 1e-12)")
    tt = f["particles/li/position/time"][10::10]
    check(np.allclose(tt, res["points/0000000/time_s"][0], rtol=1e-14, atol=0), "frame 10 (k + 1) is at the run's t_k")
    return u


def check_subset(u_all):
    lihop("export", "h5md", "res.h5", "--point", "0", "--walkers", "300", "--frames", "81", "--threads", "1",
          "-o", "sub.h5md")
    with h5py.File(os.path.join(WORK, "sub.h5md"), "r") as f:
        u = unwrapped_voxels(f)
    check(np.array_equal(u, u_all[::2, :300]), "300 walkers on 81 frames (other windows, 1 thread) are the same "
          "walkers as frames 0, 2, 4, ... of the full export")


def check_mdanalysis(path, f):
    import MDAnalysis as mda
    u = mda.Universe(path, n_atoms=WALKERS)      # the minimal topology needs n_atoms for /particles/<not trajectory>
    edges_A = 10.0 * f["particles/li/box/edges/value"][0]
    check(u.atoms.n_atoms == WALKERS and len(u.trajectory) == FRAMES,
          f"MDAnalysis: {u.atoms.n_atoms} atoms (want {WALKERS}), {len(u.trajectory)} frames (want {FRAMES})")
    check(np.allclose(u.dimensions, [*edges_A, 90, 90, 90]), f"MDAnalysis box {u.dimensions} = edges in Angstrom")
    ts = u.trajectory[FRAMES - 1]
    t_ps = 1e12 * f["particles/li/position/time"][FRAMES - 1]
    check(abs(ts.time - t_ps) <= 1e-9 * t_ps, "MDAnalysis time of the last frame = t_end in ps")
    check(np.allclose(ts.positions, 10.0 * f["particles/li/position/value"][FRAMES - 1], rtol=1e-6),
          "MDAnalysis positions = value in Angstrom")
    return u


def check_kinisi(u, f, res):
    import scipp as sc
    from kinisi.analyze import DiffusionAnalyzer
    times = f["particles/li/position/time"][()]
    dt = times[1] - times[0]
    d = DiffusionAnalyzer.from_universe(u, specie_indices=sc.arange("particle", WALKERS),
                                        time_step=sc.scalar(dt, unit="s"), step_skip=sc.scalar(1), progress=False)
    d.diffusion(start_dt=sc.scalar(times[-1] / 4, unit="s"), progress=False,
                random_state=np.random.RandomState(1))
    samples = sc.to_unit(d.D, "m^2/s").values
    dk, sk = samples.mean(), samples.std(ddof=1)
    row = res["summary"][0]
    dl, sl = row["D_li_m2_s"], row["D_li_err_m2_s"]
    bound = 3.0 * np.hypot(sk, sl)
    print(f"kinisi D = {dk:.4e} +- {sk:.2e} m^2/s (posterior mean +- sd, fit from t_end/4)")
    print(f"lihop  D = {dl:.4e} +- {sl:.2e} m^2/s (point 0, all {WALKERS} walkers)")
    check(abs(dk - dl) < bound, f"|D_kinisi - D_lihop| = {abs(dk - dl):.2e} < 3 sqrt(se_k^2 + se_l^2) = {bound:.2e}")
    check(0.02 < sk / dk < 0.3 and 0.02 < sl / dl < 0.3, "both error bars are 2-30 % (neither test is vacuous)")


GARNET_DECK = """model: garnet
backend: cpu
seed: 11
temperature_K: 600
garnet:
  material: mat.yaml
  cells: [3, 3, 3]
  li_per_fu: 6.4
run:
  replicas: 16
  hops_per_li: 500
  equil_hops_per_li: 20
"""


def kinisi_D(u, f, n, start_frac):
    """kinisi's D (posterior mean, sd; m^2/s) of the n particles, fit from start_frac t_end."""
    import scipp as sc
    from kinisi.analyze import DiffusionAnalyzer
    times = f["particles/li/position/time"][()]
    d = DiffusionAnalyzer.from_universe(u, specie_indices=sc.arange("particle", n),
                                        time_step=sc.scalar(times[1] - times[0], unit="s"),
                                        step_skip=sc.scalar(1), progress=False)
    d.diffusion(start_dt=sc.scalar(times[-1] * start_frac, unit="s"), progress=False,
                random_state=np.random.RandomState(1))
    samples = sc.to_unit(d.D, "m^2/s").values
    return samples.mean(), samples.std(ddof=1)


def garnet_main():
    material = open(os.path.join(SRC, "tests/data/garnet_material.yaml")).read()
    lattice = os.path.join(SRC, "lattices/llzo_cubic.yaml")
    with open(os.path.join(WORK, "mat.yaml"), "w") as fh:
        fh.write("\n".join(f"lattice: {lattice}" if l.startswith("lattice:") else l for l in material.splitlines()))
    with open(os.path.join(WORK, "garnet.yaml"), "w") as fh:
        fh.write(GARNET_DECK)
    lihop("run", "garnet.yaml", "-o", "garnet.h5", "--overwrite", "--threads", "2")
    print(lihop("export", "h5md", "garnet.h5", "--point", "0", "--threads", "2", "-o", "li.h5md"), end="")
    path = os.path.join(WORK, "li.h5md")
    import MDAnalysis as mda
    with h5py.File(os.path.join(WORK, "garnet.h5"), "r") as res, h5py.File(path, "r") as f:
        g = f["particles/li"]
        nli = int(res["points/0000000"].attrs["nli"])
        check(g["position/value"].shape == (65, nli, 3), f"65 frames of the replica's {nli} Li")
        edges = g["box/edges/value"][0]
        check(np.allclose(edges, 3 * 1.297, rtol=1e-3), f"box {edges} nm = 3 cells of 1.297 nm")
        # Li sit on sites: no two on one site in any frame, at most nsites places over all frames
        key = np.round(g["position/value"][()].astype(np.float64) / edges * 1e3).astype(np.int64) % 1000
        per_frame = [len(np.unique(key[k], axis=0)) for k in range(65)]
        nsites = int(res["points/0000000"].attrs["nsites"])
        visited = len(np.unique(key.reshape(-1, 3), axis=0))
        check(min(per_frame) == nli and visited <= nsites,
              f"each frame holds {nli} distinct sites; {visited} places visited, at most the {nsites} sites")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            u = mda.Universe(path, n_atoms=nli)
            check(u.atoms.n_atoms == nli and len(u.trajectory) == 65, "MDAnalysis: all Li, 65 frames")
            dk, sk = kinisi_D(u, f, nli, 0.1)
        dl, sl = res["points/0000000/D_tracer_m2_s"][()], res["points/0000000/D_tracer_err_m2_s"][()]
        bound = 3.0 * np.hypot(sk, sl)
        print(f"kinisi D = {dk:.4e} +- {sk:.2e} m^2/s (replica 0, fit from t_end/10)")
        print(f"lihop  D* = {dl:.4e} +- {sl:.2e} m^2/s (point 0, all 16 replicas)")
        check(abs(dk - dl) < bound, f"|D_kinisi - D*_lihop| = {abs(dk - dl):.2e} < 3 sqrt(se_k^2 + se_l^2) = "
              f"{bound:.2e}")
        check(0.002 < sk / dk < 0.3 and 0.002 < sl / dl < 0.3, "both error bars are 0.2-30 %")


def main():
    if MODE == "garnet":
        garnet_main()
        return finish()
    with open(os.path.join(WORK, "deck.yaml"), "w") as fh:
        fh.write(DECK)
    lihop("run", "deck.yaml", "-o", "res.h5", "--overwrite", "--threads", "2")
    out = lihop("export", "h5md", "res.h5", "--point", "0", "--walkers", str(WALKERS), "--frames", str(FRAMES),
                "--threads", "2", "-o", "traj.h5md")
    print(out, end="")
    check("bit for bit" in out, "export of all walkers reports the replay check (stored D reproduced bit for bit)")
    path = os.path.join(WORK, "traj.h5md")
    with h5py.File(os.path.join(WORK, "res.h5"), "r") as res, h5py.File(path, "r") as f:
        check_layout(f)
        u_all = check_msd(f, res)
        check_subset(u_all)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            u = check_mdanalysis(path, f)
            check_kinisi(u, f, res)
    return finish()


def finish():
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
