#!/usr/bin/env bash
# notebook_garnet_results.sh - notebooks/garnet_results.ipynb run headless (its code
# cells, by tests/notebook/run_notebook.py) on a results file of tests/data/nb_garnet.yaml
# (3 temperatures x 3 Li contents with drift runs: /arrhenius and /li_content), given
# as both its Li-content and its temperature file; its figures are saved to FIGURE_DIR
# as garnet_results_<n>.png. Exit 77 (skipped) when /usr/bin/python3 lacks h5py, numpy,
# pandas or matplotlib.
#   usage: bash tests/notebook/notebook_garnet_results.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib_cli.sh"
FIGS=${3:?usage: notebook_garnet_results.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR}
mkdir -p "$FIGS"; FIGS=$(cd "$FIGS" && pwd)
cli_setup notebook_garnet "$1" "$2"
source "$SRC/tests/notebook/lib_notebook.sh"
notebook_python h5py,numpy,pandas,matplotlib

check "lihop run tests/data/nb_garnet.yaml, then the notebook's code cells: all run, 3 figures saved"
expect_rc 0 run "$LIHOP" run "$SRC/tests/data/nb_garnet.yaml" -o garnet.h5 --threads 2
rm -f "$FIGS"/garnet_results_*.png
LIHOP_GARNET_LI=$WORK/garnet.h5 LIHOP_GARNET_T=$WORK/garnet.h5 expect_rc 0 nb "$PY" \
    "$SRC/tests/notebook/run_notebook.py" "$SRC/notebooks/garnet_results.ipynb" --figures "$FIGS"
grep -q 'cells ok' nb.out || { show nb; fail "the notebook's cells did not all run"; }
for n in 1 2 3; do
    [ "$(head -c 8 "$FIGS/garnet_results_$n.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        { show nb; fail "figure $n ($FIGS/garnet_results_$n.png) is not a PNG"; }
done
[ ! -e "$FIGS/garnet_results_4.png" ] || fail "more than 3 figures: update this test and the README"

check "the notebook prints the stored /arrhenius and /li_content rows"
[ "$(grep -Ec '^ +6\.[248] +3 +0\.[0-9]+' nb.out)" = 3 ] || { show nb; fail "not 3 /arrhenius rows"; }
grep -Eq '^ +300 +3 +6\.[248] ' nb.out || { show nb; fail "no /li_content row at 300 K"; }
grep -q 'Haven ratio' nb.out || { show nb; fail "no per-point line"; }

echo "notebook_garnet_results: all checks passed (figures in $FIGS)"
