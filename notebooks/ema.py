"""ema.py - effective-medium conductivities of a two-phase isotropic 3D composite.

Used by filler_fraction.py / filler_fraction.ipynb and checked by
tests/python/test_ema.py.  Needs numpy only.  Conductivities in any one unit
(the result is in the same unit); phi is the volume fraction of the phase named
first in each function.  All functions take numpy arrays (broadcast) or floats.

Formulas (S. Torquato, Random Heterogeneous Materials, Springer 2002, ch. 18 on
effective-medium approximations and ch. 21 on rigorous bounds; R. Landauer,
AIP Conf. Proc. 40, 2 (1978), "Electrical conductivity in inhomogeneous media"):

- maxwell_garnett(s_inc, s_mat, phi): spheres of s_inc at volume fraction phi
  in a continuous matrix s_mat (Maxwell 1873; Maxwell Garnett 1904; the d = 3
  Clausius-Mossotti form)
      (s - s_m) / (s + 2 s_m) = phi (s_i - s_m) / (s_i + 2 s_m).
- bruggeman(s1, s2, phi1): the symmetric self-consistent approximation
  (Bruggeman 1935; Landauer 1952), no phase is the host
      phi1 (s1 - s) / (s1 + 2 s) + (1 - phi1) (s2 - s) / (s2 + 2 s) = 0,
  the positive root of 2 s^2 - b s - s1 s2 = 0, b = (3 phi1 - 1) s1 + (3 phi2 - 1) s2.
  With s2 = 0 it percolates at phi1 = 1/3: s = s1 (3 phi1 - 1) / 2 above, 0 below.
- hashin_shtrikman(s1, s2, phi1): the Hashin-Shtrikman bounds (J. Appl. Phys.
  33, 3125 (1962)) on any isotropic two-phase medium with
  these volume fractions; for three dimensions they are the Maxwell-Garnett
  values with the better conductor as inclusion (lower bound) and as matrix
  (upper bound).  Returns (lower, upper).
- sphere_with_interface(s_inc, asr, radius): the conductivity of a sphere of
  radius a with an interfacial (area-specific) resistance ASR in series at its
  surface, s_i / (1 + s_i ASR / a); put into maxwell_garnett it is the
  Hasselman-Johnson result for spheres with a Kapitza resistance
  (D. P. H. Hasselman, L. F. Johnson, J. Compos. Mater. 21, 508 (1987);
  hasselman_johnson below is their closed form, used by the test as a check).
"""
import numpy as np

__all__ = ["maxwell_garnett", "bruggeman", "hashin_shtrikman", "sphere_with_interface",
           "hasselman_johnson", "transference"]


def maxwell_garnett(s_inc, s_mat, phi):
    """Maxwell-Garnett conductivity of spheres (s_inc, fraction phi) in a matrix s_mat."""
    s_i, s_m, phi = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (s_inc, s_mat, phi)))
    d = s_i - s_m
    # s_m + 3 phi s_m d / (s_i + 2 s_m - phi d); written so that s_m = 0 gives 0 (insulating
    # matrix: no path until phi = 1) and phi = 1 gives s_i exactly.
    den = s_i + 2.0 * s_m - phi * d
    with np.errstate(divide="ignore", invalid="ignore"):
        s = s_m + np.where(den != 0.0, 3.0 * phi * s_m * d / np.where(den != 0.0, den, 1.0), 0.0)
    s = np.where(phi >= 1.0, s_i, np.where(phi <= 0.0, s_m, s))
    return s[()] if s.ndim == 0 else s


def bruggeman(s1, s2, phi1):
    """Symmetric Bruggeman (self-consistent) conductivity of phases s1 (fraction phi1) and s2."""
    s1, s2, phi1 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (s1, s2, phi1)))
    phi2 = 1.0 - phi1
    b = (3.0 * phi1 - 1.0) * s1 + (3.0 * phi2 - 1.0) * s2
    root = np.sqrt(b * b + 8.0 * s1 * s2)
    # the positive root without cancellation: (b + root) / 4 for b >= 0, and for b < 0 the
    # same root written through the product of the roots, 2 s1 s2 / (root - b)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(b >= 0.0, (b + root) / 4.0, 2.0 * s1 * s2 / np.where(root - b > 0.0, root - b, 1.0))
    return s[()] if s.ndim == 0 else s


def hashin_shtrikman(s1, s2, phi1):
    """Hashin-Shtrikman (lower, upper) bounds for phases s1 (fraction phi1) and s2."""
    s1, s2, phi1 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (s1, s2, phi1)))
    hi = np.maximum(s1, s2)
    lo = np.minimum(s1, s2)
    phi_hi = np.where(s1 >= s2, phi1, 1.0 - phi1)
    lower = maxwell_garnett(hi, lo, phi_hi)          # the better conductor as isolated spheres
    upper = maxwell_garnett(lo, hi, 1.0 - phi_hi)    # the poorer conductor as isolated spheres
    return lower, upper


def sphere_with_interface(s_inc, asr, radius):
    """Effective conductivity of a sphere of radius a behind a surface resistance ASR
    (units: s in S/m, ASR in ohm m^2, a in m; any consistent set)."""
    s_inc = np.asarray(s_inc, dtype=float)
    return s_inc / (1.0 + s_inc * np.asarray(asr, dtype=float) / np.asarray(radius, dtype=float))


def hasselman_johnson(s_inc, s_mat, phi, asr, radius):
    """Hasselman & Johnson (1987) in their closed form, alpha = s_m ASR / a:
    s = s_m [s_i (1 + 2 alpha) + 2 s_m + 2 phi (s_i (1 - alpha) - s_m)]
            / [s_i (1 + 2 alpha) + 2 s_m - phi (s_i (1 - alpha) - s_m)]."""
    s_i, s_m, phi = (np.asarray(v, dtype=float) for v in (s_inc, s_mat, phi))
    alpha = s_m * np.asarray(asr, dtype=float) / np.asarray(radius, dtype=float)
    num = s_i * (1.0 + 2.0 * alpha) + 2.0 * s_m + 2.0 * phi * (s_i * (1.0 - alpha) - s_m)
    den = s_i * (1.0 + 2.0 * alpha) + 2.0 * s_m - phi * (s_i * (1.0 - alpha) - s_m)
    return s_m * num / den


def transference(sigma_by_species, species):
    """t of one species from per-species conductivities {name: array}: sigma_sp / sum."""
    total = sum(np.asarray(v, dtype=float) for v in sigma_by_species.values())
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(sigma_by_species[species], dtype=float) / total
