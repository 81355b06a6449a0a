#!/usr/bin/env bash
# notebook_filler_fraction.sh - notebooks/filler_fraction.ipynb run headless (its code
# cells, by tests/notebook/run_notebook.py) and notebooks/filler_fraction.py run as a
# script, on a results file of tests/data/nb_filler_fraction.yaml (LLZO spheres in
# PEO-LiTFSI, 8 LLZO fractions from 0 to 1 x 2 temperatures); the figure is saved to
# FIGURE_DIR as filler_fraction_1.png. Exit 77 (skipped) when /usr/bin/python3 lacks
# h5py, numpy, pandas or matplotlib. The effective-medium formulas themselves are
# checked by tests/python/test_ema.py (ctest python_ema).
#   usage: bash tests/notebook/notebook_filler_fraction.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib_cli.sh"
FIGS=${3:?usage: notebook_filler_fraction.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR}
mkdir -p "$FIGS"; FIGS=$(cd "$FIGS" && pwd)
cli_setup notebook_filler "$1" "$2"
source "$SRC/tests/notebook/lib_notebook.sh"
notebook_python h5py,numpy,pandas,matplotlib

check "lihop run tests/data/nb_filler_fraction.yaml, then the notebook's code cells: all run, 1 figure saved"
expect_rc 0 run "$LIHOP" run "$SRC/tests/data/nb_filler_fraction.yaml" -o ff.h5 --threads 2
rm -f "$FIGS"/filler_fraction_*.png
LIHOP_FILLER_FRACTION=$WORK/ff.h5 expect_rc 0 nb "$PY" "$SRC/tests/notebook/run_notebook.py" \
    "$SRC/notebooks/filler_fraction.ipynb" --figures "$FIGS"
grep -q 'cells ok' nb.out || { show nb; fail "the notebook's cells did not all run"; }
[ "$(head -c 8 "$FIGS/filler_fraction_1.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    { show nb; fail "the figure ($FIGS/filler_fraction_1.png) is not a PNG"; }
[ ! -e "$FIGS/filler_fraction_2.png" ] || fail "more than 1 figure: update this test and the README"

check "the phases' conductivities come from the end points: 2 temperatures x 2 species, LLZO 0 for TFSI"
grep -q 'matrix peo, filler llzo' nb.out || { show nb; fail "matrix and filler not found"; }
[ "$(grep -Ec '^  li +peo: [0-9.e-]+ S/cm \(KMC [0-9.e-]+\) +llzo: [0-9.e-]+ S/cm' nb.out)" = 2 ] ||
    { show nb; fail "no Li+ phase conductivities per temperature"; }
[ "$(grep -Ec '^  tfsi +peo: [0-9.e-]+ S/cm \(KMC [0-9.e-]+\) +llzo: 0 S/cm' nb.out)" = 2 ] ||
    { show nb; fail "TFSI should have zero conductivity in LLZO"; }
# the sphere behind 0.9 ohm m^2 with a = 30 nm conducts at most a / ASR = 3.33e-8 S/m = 3.33e-10 S/cm
[ "$(grep -c 'conducts li like 3.33e-10 S/cm' nb.out)" = 2 ] || { show nb; fail "the interface-limited sphere is not a/ASR"; }

check "the comparison: Li+ below its perfect-contact HS lower bound in the CIP range (the 9000 ohm cm^2 contact)"
[ "$(grep -c 'sigma of li below its own HS lower bound (by > 2 s.e.) at phi = \[0\.1' nb.out)" = 2 ] ||
    { show nb; fail "Li+ should fall below its HS lower bound at the lowest filler fraction at both temperatures"; }
[ "$(grep -c 'KMC / (MG + ASR) - 1 = ' nb.out)" = 2 ] || { show nb; fail "no MG + ASR comparison"; }

check "filler_fraction.py as a script: PNG written; a sweep without the end points is refused (exit 2)"
expect_rc 0 script "$PY" "$SRC/notebooks/filler_fraction.py" ff.h5 -o ff.png
[ "$(head -c 8 ff.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "ff.png is not a PNG"
expect_rc 0 run2 "$LIHOP" run "$SRC/tests/data/nb_voxel.yaml" -o one.h5 --threads 2
expect_rc 2 script2 "$PY" "$SRC/notebooks/filler_fraction.py" one.h5 -o one.png
grep -q 'no point at volume_fraction = 0' script2.err || { show script2; fail "the refusal does not say what is missing"; }

echo "notebook_filler_fraction: all checks passed (figures in $FIGS)"
