#!/usr/bin/env bash
# notebook_voxel_results.sh - notebooks/voxel_results.ipynb run headless (its code
# cells, by tests/notebook/run_notebook.py) on a results file of tests/data/nb_voxel.yaml
# (5 temperatures x 2 seeds: /fits with VTF, /combined); its figures are saved to
# FIGURE_DIR as voxel_results_<n>.png. Exit 77 (skipped) when /usr/bin/python3 lacks
# h5py, numpy, pandas or matplotlib.
#   usage: bash tests/notebook/notebook_voxel_results.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib_cli.sh"
FIGS=${3:?usage: notebook_voxel_results.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR}
mkdir -p "$FIGS"; FIGS=$(cd "$FIGS" && pwd)
cli_setup notebook_voxel "$1" "$2"
source "$SRC/tests/notebook/lib_notebook.sh"
notebook_python h5py,numpy,pandas,matplotlib

check "lihop run tests/data/nb_voxel.yaml, then the notebook's code cells: all run, 3 figures saved"
expect_rc 0 run "$LIHOP" run "$SRC/tests/data/nb_voxel.yaml" -o voxel.h5 --threads 2
rm -f "$FIGS"/voxel_results_*.png
LIHOP_RESULTS=$WORK/voxel.h5 expect_rc 0 nb "$PY" "$SRC/tests/notebook/run_notebook.py" \
    "$SRC/notebooks/voxel_results.ipynb" --figures "$FIGS"
grep -q 'cells ok' nb.out || { show nb; fail "the notebook's cells did not all run"; }
for n in 1 2 3; do
    [ "$(head -c 8 "$FIGS/voxel_results_$n.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        { show nb; fail "figure $n ($FIGS/voxel_results_$n.png) is not a PNG"; }
done
[ ! -e "$FIGS/voxel_results_4.png" ] || fail "more than 3 figures: update this test and the README"

check "the notebook shows the stored fits, lihop's convergence verdict and /combined"
grep -q 'plotted below: /combined (5 rows)' nb.out || { show nb; fail "/combined not used"; }
# the fit table: line sigma n_T Ea +- chi2 vtf B +- T0 +- chi2 (the deck's PEO law: B = 1300 K, T0 = 166 K)
awk '$2 == "total" && $3 == 5 && $7 == 1 && $8 > 1000 && $8 < 1600 && $10 > 120 && $10 < 200 {ok = 1}
     END {exit !ok}' nb.out || { show nb; fail "no stored VTF row for the total sigma"; }
grep -q 'points lihop marks not converged:' nb.out || { show nb; fail "no convergence verdict"; }
grep -q 'sigma_exact_S_cm' nb.out || { show nb; fail "no exact network column"; }
if grep -qi 'converged when flat' "$SRC/notebooks/voxel_results.ipynb"; then fail "the notebook still says MSD/2t is converged when flat"; fi
if grep -q 'np.linalg' "$SRC/notebooks/voxel_results.ipynb"; then fail "the notebook fits by itself (use /fits)"; fi

echo "notebook_voxel_results: all checks passed (figures in $FIGS)"
