#!/usr/bin/env bash
# notebook_arrhenius_bulk_gb_composite.sh - notebooks/arrhenius_bulk_gb_composite.ipynb
# run headless (its code cells, by tests/notebook/run_notebook.py) on three results
# files it makes: tests/data/nb_garnet.yaml (garnet bulk, 3 temperatures x 3 Li
# contents: /arrhenius), tests/data/nb_bicrystal.yaml (a garnet grain boundary at 3
# temperatures: /bicrystal, /arrhenius) and tests/data/nb_voxel.yaml (a composite,
# 5 temperatures x 2 seeds: /fits); the figure is saved to FIGURE_DIR as
# arrhenius_bulk_gb_composite_1.png. Exit 77 (skipped) when /usr/bin/python3 lacks
# h5py, numpy, pandas or matplotlib.
#   usage: bash tests/notebook/notebook_arrhenius_bulk_gb_composite.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib_cli.sh"
FIGS=${3:?usage: notebook_arrhenius_bulk_gb_composite.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR}
mkdir -p "$FIGS"; FIGS=$(cd "$FIGS" && pwd)
cli_setup notebook_arrhenius "$1" "$2"
source "$SRC/tests/notebook/lib_notebook.sh"
notebook_python h5py,numpy,pandas,matplotlib

check "lihop run the three tiny decks, then the notebook's code cells: all run, 1 figure saved"
expect_rc 0 run1 "$LIHOP" run "$SRC/tests/data/nb_garnet.yaml" -o bulk.h5 --threads 2
expect_rc 0 run2 "$LIHOP" run "$SRC/tests/data/nb_bicrystal.yaml" -o bicrystal.h5 --threads 2
expect_rc 0 run3 "$LIHOP" run "$SRC/tests/data/nb_voxel.yaml" -o voxel.h5 --threads 2
rm -f "$FIGS"/arrhenius_bulk_gb_composite_*.png
LIHOP_GARNET_BULK=$WORK/bulk.h5 LIHOP_GARNET_BICRYSTAL=$WORK/bicrystal.h5 LIHOP_VOXEL=$WORK/voxel.h5 \
    expect_rc 0 nb "$PY" "$SRC/tests/notebook/run_notebook.py" "$SRC/notebooks/arrhenius_bulk_gb_composite.ipynb" \
    --figures "$FIGS"
grep -q 'cells ok' nb.out || { show nb; fail "the notebook's cells did not all run"; }
[ "$(head -c 8 "$FIGS/arrhenius_bulk_gb_composite_1.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    { show nb; fail "the figure is not a PNG"; }
[ ! -e "$FIGS/arrhenius_bulk_gb_composite_2.png" ] || fail "more than 1 figure: update this test and the README"

check "the activation energies are the stored ones: 3 bulk Li contents, the bicrystal, the composite (total, li, tfsi)"
[ "$(grep -Ec '^garnet bulk, Li 6\.[248]0 +[0-9.]+ \+- +[0-9.]+ +/arrhenius$' nb.out)" = 3 ] ||
    { show nb; fail "not 3 garnet bulk rows from /arrhenius"; }
grep -Eq '^bicrystal, mean sigma +[0-9.]+ \+- +[0-9.]+ +/arrhenius$' nb.out || { show nb; fail "no bicrystal /arrhenius row"; }
[ "$(grep -Ec '^composite \(voxel\) line 0, (total|li|tfsi) +[0-9.]+ \+- +[0-9.]+ +/fits$' nb.out)" = 3 ] ||
    { show nb; fail "not 3 composite rows from /fits"; }
# the Ea printed in the table must equal the file's /arrhenius value for Li 6.4 (to the 3 decimals shown)
want=$("$PY" -c "import h5py; a = h5py.File('bulk.h5')['arrhenius'][()]; print(f\"{a['Ea_sigmaT_eV'][abs(a['li_per_fu'] - 6.4) < 1e-9][0]:.3f}\")")
grep -Eq "^garnet bulk, Li 6\.40 +$want " nb.out || { show nb; fail "the Li 6.4 Ea is not the stored $want eV"; }

check "the boundary table: 3 temperatures from /bicrystal with sigma across, along, bulk and the ASR"
[ "$(grep -Ec '^ *(300|350|400) +6\.4 ' nb.out)" = 3 ] || { show nb; fail "not 3 /bicrystal rows"; }
grep -Eq 'boundary conductance T/ASR \(fitted here|only [0-2] positive ASR values' nb.out || { show nb; fail "no ASR(T) line"; }

echo "notebook_arrhenius_bulk_gb_composite: all checks passed (figures in $FIGS)"
