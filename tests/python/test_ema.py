"""test_ema.py - checks of notebooks/ema.py (the effective-medium curves of
filler_fraction.ipynb) against limits every correct implementation must meet.

    /usr/bin/python3 tests/python/test_ema.py SOURCE_DIR

Exit 0 when every check passes, 1 on the first failure (named), 77 (skipped)
without numpy.  Contrasts from 1e-6 to 1e6 and fractions 0 ... 1.
"""
import os
import sys

try:
    import numpy as np
except ImportError:
    print("skip: no numpy (Debian: python3-numpy)")
    sys.exit(77)

sys.path.insert(0, os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "notebooks"))
import ema  # noqa: E402

failures = 0


def check(name, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures += 1


phi = np.linspace(0.0, 1.0, 201)
pairs = [(1.0, 1e-6), (1.0, 1e-3), (1.0, 0.1), (1.0, 0.5), (1.0, 1.0), (1.0, 2.0), (1.0, 1e3), (1.0, 1e6),
         (1.0e-3, 8.5e-3), (0.1, 8.5e-3)]     # the last two: LLZO and PEO-LiTFSI near 25 C, S/m / 100
rtol = 1e-12

# 1. phi = 0 and phi = 1 give the pure phases
for s1, s2 in pairs:
    for name, f in (("maxwell_garnett", lambda p: ema.maxwell_garnett(s1, s2, p)),
                    ("bruggeman", lambda p: ema.bruggeman(s1, s2, p)),
                    ("HS lower", lambda p: ema.hashin_shtrikman(s1, s2, p)[0]),
                    ("HS upper", lambda p: ema.hashin_shtrikman(s1, s2, p)[1])):
        a, b = f(0.0), f(1.0)
        if not (np.isclose(a, s2, rtol=rtol, atol=0) and np.isclose(b, s1, rtol=rtol, atol=0)):
            check(f"{name}({s1}, {s2}): phi=0 -> s2, phi=1 -> s1", False, f"got {a}, {b}")
            break
    else:
        continue
    break
else:
    check("phi = 0 and 1 give the pure phases (MG, Bruggeman, both HS bounds, 10 contrasts)", True)

# 2. the HS bounds bracket both Maxwell-Garnett orders and Bruggeman; MG with the better
#    conductor as inclusion IS the lower bound, as matrix the upper bound
worst = 0.0
bad = []
for s1, s2 in pairs:
    lo, hi = ema.hashin_shtrikman(s1, s2, phi)
    mg12 = ema.maxwell_garnett(s1, s2, phi)          # s1 spheres in s2
    mg21 = ema.maxwell_garnett(s2, s1, 1.0 - phi)    # s2 spheres in s1
    br = ema.bruggeman(s1, s2, phi)
    tol = 1e-12 * np.maximum(s1, s2)
    for name, v in (("MG s1-in-s2", mg12), ("MG s2-in-s1", mg21), ("Bruggeman", br)):
        if np.any(v < lo - tol) or np.any(v > hi + tol):
            bad.append(f"{name} outside [HS-, HS+] for ({s1}, {s2})")
    if np.any(lo > hi + tol):
        bad.append(f"HS lower > upper for ({s1}, {s2})")
    better_in = mg12 if s1 >= s2 else mg21
    poorer_in = mg21 if s1 >= s2 else mg12
    worst = max(worst, np.max(np.abs(better_in - lo) / hi), np.max(np.abs(poorer_in - hi) / hi))
    # strictly inside for a real contrast and 0 < phi < 1 (the bounds are not the same curve)
    if s1 != s2:
        inner = (phi > 0.05) & (phi < 0.95)
        if not np.all(hi[inner] - lo[inner] > 1e-6 * hi[inner]):
            bad.append(f"HS bounds coincide inside (0, 1) for ({s1}, {s2})")
check("HS lower <= MG (both orders), Bruggeman <= HS upper at 201 fractions x 10 contrasts", not bad, "; ".join(bad))
check("MG with the better conductor as spheres = HS lower, as matrix = HS upper", worst < 1e-12,
      f"largest relative difference {worst:.3g}")

# 3. a conducting inclusion in a poorer matrix raises sigma, MG monotonic in phi
ok = True
for s1, s2 in pairs:
    if s1 > s2:
        mg = ema.maxwell_garnett(s1, s2, phi)
        ok &= bool(np.all(np.diff(mg) > 0))
check("MG of better-conducting spheres rises monotonically with phi", ok)

# 4. Bruggeman with an insulating second phase percolates at phi1 = 1/3 (3D), with
#    sigma = s1 (3 phi1 - 1) / 2 above the threshold
s = ema.bruggeman(1.0, 0.0, phi)
below = phi < 1.0 / 3.0 - 1e-12
above = phi > 1.0 / 3.0 + 1e-12
check("Bruggeman, insulating matrix: sigma = 0 below phi = 1/3", np.all(s[below] == 0.0), f"max {s[below].max()}")
check("Bruggeman, insulating matrix: sigma = (3 phi - 1)/2 above phi = 1/3",
      np.allclose(s[above], (3.0 * phi[above] - 1.0) / 2.0, rtol=1e-12, atol=0))
# a tiny matrix conductivity: the crossover sharpens at 1/3 (sigma(0.3) << sigma(0.37))
s_eps = ema.bruggeman(1.0, 1e-8, np.array([0.30, 1.0 / 3.0, 0.37]))
check("Bruggeman, contrast 1e8: sigma(0.30) < 1e-6, sigma(0.37) ~ 0.055",
      s_eps[0] < 1e-6 and abs(s_eps[2] - 0.055) < 1e-3, f"{s_eps}")
# MG never percolates: an insulating matrix stays insulating below phi = 1
check("MG with an insulating matrix is 0 for every phi < 1", np.all(ema.maxwell_garnett(1.0, 0.0, phi[:-1]) == 0.0))

# 5. Bruggeman solves its own self-consistency equation
res = 0.0
for s1, s2 in pairs:
    br = ema.bruggeman(s1, s2, phi)
    r = phi * (s1 - br) / (s1 + 2 * br) + (1 - phi) * (s2 - br) / (s2 + 2 * br)
    res = max(res, np.max(np.abs(r)))
check("Bruggeman residual of phi1 (s1-s)/(s1+2s) + phi2 (s2-s)/(s2+2s) = 0 below 1e-12", res < 1e-12, f"{res:.3g}")

# 6. dilute limit: MG = Maxwell's first order s_m (1 + 3 phi beta), beta = (s_i - s_m)/(s_i + 2 s_m)
p = 1e-5
for s_i, s_m in ((1.0, 1e-3), (1e-3, 1.0), (0.0, 1.0)):
    beta = (s_i - s_m) / (s_i + 2 * s_m)
    first = s_m * (1 + 3 * p * beta)
    v = ema.maxwell_garnett(s_i, s_m, p)
    if abs(v - first) > 1e-8 * s_m:
        check("MG dilute limit", False, f"({s_i}, {s_m}): {v} vs {first}")
        break
else:
    check("MG dilute limit s_m (1 + 3 phi beta) to O(phi^2)", True)
# insulating spheres: 2 (1 - phi) / (2 + phi)
check("MG of insulating spheres = s_m 2(1 - phi)/(2 + phi)",
      np.allclose(ema.maxwell_garnett(0.0, 1.0, phi), 2 * (1 - phi) / (2 + phi), rtol=1e-12, atol=0))

# 7. interface resistance: MG with the sphere's effective conductivity equals the
#    Hasselman-Johnson closed form; ASR = 0 gives MG, ASR -> infinity insulating spheres
worst = 0.0
for s_i, s_m, asr, a in ((0.1, 8.5e-3, 0.9, 5e-8), (0.1, 8.5e-3, 1e-6, 5e-8), (1.0, 0.01, 1e-3, 1e-6),
                         (1e-3, 1.0, 1e-2, 1e-6)):
    mg = ema.maxwell_garnett(ema.sphere_with_interface(s_i, asr, a), s_m, phi[:-1])
    hj = ema.hasselman_johnson(s_i, s_m, phi[:-1], asr, a)
    worst = max(worst, np.max(np.abs(mg - hj) / s_m))
check("MG(s_i / (1 + s_i ASR / a)) = Hasselman-Johnson closed form", worst < 1e-12, f"{worst:.3g}")
check("ASR = 0: the sphere keeps its conductivity", ema.sphere_with_interface(0.1, 0.0, 5e-8) == 0.1)
v = ema.maxwell_garnett(ema.sphere_with_interface(0.1, 1e12, 5e-8), 1.0, phi[:-1])
check("ASR -> infinity: insulating spheres", np.allclose(v, 2 * (1 - phi[:-1]) / (2 + phi[:-1]), rtol=1e-9))

# 8. transference number from per-species conductivities
t = ema.transference({"li": np.array([1.0, 3.0]), "tfsi": np.array([3.0, 0.0])}, "li")
check("transference: 1/(1+3) and 3/(3+0)", np.allclose(t, [0.25, 1.0]))

if failures:
    print(f"test_ema: {failures} check(s) failed")
    sys.exit(1)
print("test_ema: all checks passed")
