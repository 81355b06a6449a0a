#!/usr/bin/env bash
# notebook_quickstart_tour.sh - notebooks/quickstart_tour.ipynb run headless (its code
# cells, by tests/notebook/run_notebook.py) on a results file of tests/data/nb_quickstart.yaml
# (configs/quickstart.yaml made tiny: the same materials and 3 temperatures); its figures
# are saved to FIGURE_DIR as quickstart_tour_<n>.png, and its CSV export runs this
# build's lihop (LIHOP_BIN). Exit 77 (skipped) when /usr/bin/python3 lacks h5py, numpy,
# pandas or matplotlib.
#   usage: bash tests/notebook/notebook_quickstart_tour.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib_cli.sh"
FIGS=${3:?usage: notebook_quickstart_tour.sh LIHOP_BINARY SOURCE_DIR FIGURE_DIR}
mkdir -p "$FIGS"; FIGS=$(cd "$FIGS" && pwd)
cli_setup notebook_quickstart "$1" "$2"
source "$SRC/tests/notebook/lib_notebook.sh"
notebook_python h5py,numpy,pandas,matplotlib

check "lihop run tests/data/nb_quickstart.yaml, then the notebook's code cells: all run, 2 figures saved"
expect_rc 0 run "$LIHOP" run "$SRC/tests/data/nb_quickstart.yaml" -o quickstart.h5 --threads 2
rm -f "$FIGS"/quickstart_tour_*.png
LIHOP_RESULTS=$WORK/quickstart.h5 LIHOP_BIN=$LIHOP LIHOP_CSV_DIR=$WORK expect_rc 0 nb "$PY" \
    "$SRC/tests/notebook/run_notebook.py" "$SRC/notebooks/quickstart_tour.ipynb" --figures "$FIGS"
grep -q 'cells ok' nb.out || { show nb; fail "the notebook's cells did not all run"; }
for n in 1 2; do
    [ "$(head -c 8 "$FIGS/quickstart_tour_$n.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        { show nb; fail "figure $n ($FIGS/quickstart_tour_$n.png) is not a PNG"; }
done
[ ! -e "$FIGS/quickstart_tour_3.png" ] || fail "more than 2 figures: update this test and the README"

check "what was run: the stored deck, the sweep (temperature the only axis), units"
grep -q '^  generator: spheres$' nb.out || { show nb; fail "the deck from /metadata config_text is not printed"; }
grep -Eq '^  temperature_K +swept=1 +key=temperature_K +unit=K +values=\[298\.15, 333\.15, 353\.15\]' nb.out ||
    { show nb; fail "the temperature axis is not listed"; }
[ "$(grep -Ec 'swept=1' nb.out)" = 1 ] || { show nb; fail "only temperature is swept in the quickstart"; }
grep -Eq '^ +sigma_S_m +S/m$' nb.out && grep -Eq '^ +D_li_m2_s +m\^2/s$' nb.out || { show nb; fail "no units table"; }

check "the fits and the CSV export: 3 /fits rows, lihop export csv read back equal to /summary"
[ "$(grep -Ec '^ +0 +(total|li|tfsi) +3 +298\.1 +353\.1 ' nb.out)" = 3 ] || { show nb; fail "not 3 /fits rows"; }
grep -q "^\$ $LIHOP export csv" nb.out || { show nb; fail "lihop export csv was not run"; }
grep -q 'CSV equals /summary: True' nb.out || { show nb; fail "the CSV does not round-trip /summary"; }
[ -s quickstart.csv ] || fail "no quickstart.csv"

echo "notebook_quickstart_tour: all checks passed (figures in $FIGS)"
