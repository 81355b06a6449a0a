#!/usr/bin/env bash
# notebook_microstructure_slices.sh - notebooks/microstructure_slices.py (and the
# code cells of the notebook that imports it) run headless on a `lihop micro`
# file of configs/quickstart.yaml, then on the same file with a potential field.
# Exit 77 (skipped) when the Python has no h5py, numpy or matplotlib (Debian:
# python3-h5py python3-numpy python3-matplotlib, installed by .ci/install-deps).
#   usage: bash tests/notebook/notebook_microstructure_slices.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib_cli.sh"
cli_setup notebook "$@"
source "$SRC/tests/notebook/lib_notebook.sh"
notebook_python h5py,numpy,matplotlib
SCRIPT=$SRC/notebooks/microstructure_slices.py

check "lihop micro configs/quickstart.yaml, then the script: PNG written, phases and percolation listed"
expect_rc 0 micro "$LIHOP" micro "$SRC/configs/quickstart.yaml" -o micro.h5
expect_rc 0 slices "$PY" "$SCRIPT" micro.h5 -o slices.png
[ "$(head -c 8 slices.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "slices.png is not a PNG"
grep -q 'phases: peo, llzo' slices.out || { show slices; fail "the phase names are not listed"; }
grep -Eq '^ +peo  wraps xyz' slices.out || { show slices; fail "peo (the matrix) should wrap along x, y and z"; }
grep -Eq '^ +llzo  wraps -' slices.out || { show slices; fail "llzo at 0.16 should not wrap"; }
grep -q 'grids drawn: phase$' slices.out || { show slices; fail "only the phase grid should be drawn"; }

check "with a /potential_V field the script draws it too; the notebook's code cells run"
"$PY" - <<'PYEOF' || fail "could not add /potential_V"
import h5py, numpy as np
with h5py.File("micro.h5", "a") as f:
    ph = f["/phase"][...]
    f["/potential_V"] = np.where(ph == 1, 0.1, 0.0)
PYEOF
expect_rc 0 slices2 "$PY" "$SCRIPT" micro.h5 -o slices2.png --z 3 --y 5
grep -q 'grids drawn: phase, potential_V' slices2.out || { show slices2; fail "potential_V is not drawn"; }
[ -s slices2.png ] || fail "slices2.png is empty"
LIHOP_MICRO=$WORK/micro.h5 expect_rc 0 nb "$PY" "$SRC/tests/notebook/run_notebook.py" "$SRC/notebooks/microstructure_slices.ipynb"
grep -q "float fields: \['potential_V'\]" nb.out || { show nb; fail "the notebook did not find potential_V"; }
grep -q 'cells ok' nb.out || { show nb; fail "the notebook's cells did not all run"; }

echo "notebook_microstructure_slices: all checks passed"
