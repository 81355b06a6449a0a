#!/usr/bin/env python3
"""cip_vs_pic.py - the CIP-to-PIC study figure (README "The CIP-to-PIC study").

Reads the results of configs/cip_vs_pic.yaml and configs/cip_vs_pic_interphase.yaml
and draws sigma (S/cm, log scale) and t+ against the LLZO volume fraction, one
colour per temperature: solid without a space-charge layer, dashed with the
0.1 V layer, dotted with the conducting interphase.  Error bars are one standard
error; the open markers are the exact network values.

    python3 notebooks/cip_vs_pic.py CIP_VS_PIC.h5 CIP_VS_PIC_INTERPHASE.h5 OUT.png

Needs h5py, numpy, matplotlib (Debian: python3-h5py python3-numpy python3-matplotlib).
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def load(path):
    """The /summary table as a dict of numpy columns (SI units, see the README schema)."""
    with h5py.File(path, "r") as f:
        s = f["summary"][()]
        if f["metadata"].attrs["status"] != b"complete" and f["metadata"].attrs["status"] != "complete":
            print(f"warning: {path} is not complete", file=sys.stderr)
    return {name: np.asarray(s[name]) for name in s.dtype.names}


def curves(ax_s, ax_t, t, mask, style, label_extra, colours):
    for i, T in enumerate(np.unique(t["T_K"])):
        m = mask & (t["T_K"] == T)
        order = np.argsort(t["volume_fraction"][m])
        x = t["volume_fraction"][m][order]
        label = f"{T - 273.15:.0f} C{label_extra}"
        ax_s.errorbar(x, t["sigma_S_m"][m][order] / 100, yerr=t["sigma_err_S_m"][m][order] / 100, ls=style,
                      marker="o", ms=3, color=colours[i], label=label)
        ax_s.plot(x, t["sigma_exact_S_m"][m][order] / 100, ls="none", marker="o", mfc="none", ms=7,
                  color=colours[i])
        ax_t.errorbar(x, t["t_plus"][m][order], yerr=t["t_plus_err"][m][order], ls=style, marker="o", ms=3,
                      color=colours[i], label=label)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    base, inter = load(argv[1]), load(argv[2])
    colours = ["tab:blue", "tab:orange", "tab:red"]
    fig, (ax_s, ax_t) = plt.subplots(1, 2, figsize=(11, 4.2))
    phi = base["sc_phi0_V_peo_0"]
    curves(ax_s, ax_t, base, phi == 0.0, "-", "", colours)
    curves(ax_s, ax_t, base, phi > 0.0, "--", ", 0.1 V layer", colours)
    curves(ax_s, ax_t, inter, np.ones_like(inter["T_K"], dtype=bool), ":", ", interphase", colours)
    for ax in (ax_s, ax_t):
        ax.axvline(0.2896, color="grey", lw=0.8)
        ax.set_xlabel("LLZO volume fraction")
    ax_s.set_yscale("log")
    ax_s.set_ylabel("sigma [S/cm]")
    ax_t.set_ylabel("t+ (Li)")
    ax_s.set_title("conductivity (open: exact network)")
    ax_t.set_title("Li+ transference number")
    ax_t.legend(fontsize=7, ncol=3, loc="upper left")
    fig.tight_layout()
    fig.savefig(argv[3], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
