#!/usr/bin/env bash
# cli_tables.sh - `lihop run` tables fit a 100-column terminal: every line
# after the banner (table, units line, group lines, drift lines, fits, closing
# note) of a small garnet run (drift runs) and of a voxel run with two swept
# coordinates besides temperature is <= 100 characters; every table has a
# units line; --wide prints more columns (and is listed in `lihop run --help`).
#   usage: bash tests/cli/cli_tables.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup tables "$@"

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"
# after_banner FILE: the lines after the first empty one (the banner's end)
after_banner() { awk 'f {print} /^$/ {f = 1}' "$1"; }
# narrow NAME: every line after the banner of NAME.out within 100 columns
narrow() {
    after_banner "$1.out" | awk 'length($0) > 100 {print length($0) ": " $0; bad = 1} END {exit bad}' ||
        { show "$1"; fail "$1: lines wider than 100 columns"; }
}
# header_fields FILE: the number of column names in the table's header line
header_fields() { after_banner "$1" | awk 'NF {print NF; exit}'; }

check "lihop run --help lists --wide"
"$LIHOP" run --help | grep -q -- '--wide' || fail "run --help does not list --wide"
echo "  ok"

sed "s#^lattice: .*#lattice: $SRC/lattices/llzo_cubic.yaml#" "$SRC/tests/data/garnet_material.yaml" > mat.yaml
cat > g.yaml <<'EOD'
model: garnet
backend: cpu
seed: 5
temperature_K: [300, 350, 400]
garnet:
  material: mat.yaml
  cells: [2, 1, 1]
  li_per_fu: [6.4]
  drift_fields_V_m: [5.0e6, 1.0e7]
run:
  replicas: 16
  hops_per_li: 40
  equil_hops_per_li: 10
EOD
check "garnet: the table, units, drift lines, fits and note within 100 columns; --wide adds columns"
expect_rc 0 g "$LIHOP" run g.yaml -o g.h5 --threads 2
narrow g
after_banner g.out | grep -qE '^ +\[K\] +\[S/cm\] +\[S/cm\] +\[cm2/s\]' || { show g; fail "garnet: no units line"; }
after_banner g.out | grep -qE '^ +\[K\] +\[eV\]|^ +\[K\] .*\[eV\]' || { show g; fail "garnet fits: no units line"; }
[ "$(grep -cE '^ +[0-9]+\.[0-9]{2} +6\.400 ' g.out)" -eq 3 ] || { show g; fail "garnet: not 3 rows"; }
expect_rc 0 gw "$LIHOP" run g.yaml -o gw.h5 --threads 2 --wide
n=$(header_fields g.out); nw=$(header_fields gw.out)
[ -n "$n" ] && [ -n "$nw" ] && [ "$nw" -gt "$n" ] || { show gw; fail "--wide header has $nw fields, default $n"; }
grep -q 'occ_' gw.out || { show gw; fail "--wide does not print the occupancies"; }
grep -q 'occ_[A-Za-z]* ' g.out && fail "the default table prints the occupancies"
echo "  ok ($n columns, --wide $nw)"

check "voxel with two swept coordinates: within 100 columns, a group line per combination; --wide adds columns"
sed -e 's/^seed: .*/seed: [42, 43]/' -e 's/^  volume_fraction: .*/  volume_fraction: [0.1, 0.2]/' \
    -e 's/^temperature_K: .*/temperature_K: [298.15, 353.15]/' "$FIXTURE" > v.yaml
grep -q 'volume_fraction: \[0.1, 0.2\]' v.yaml && grep -q '^seed: \[42, 43\]' v.yaml ||
    fail "test setup: could not sweep seed and volume_fraction"
expect_rc 0 v "$LIHOP" run v.yaml -o v.h5 --threads 2
narrow v
[ "$(grep -c '^  -- ' v.out)" -eq 4 ] || { show v; fail "voxel: expected 4 group lines (2 seeds x 2 fractions)"; }
after_banner v.out | grep -qE '^ +\[K\] +\[S/cm\]' || { show v; fail "voxel: no units line"; }
expect_rc 0 vw "$LIHOP" run v.yaml -o vw.h5 --threads 2 --wide
n=$(header_fields v.out); nw=$(header_fields vw.out)
[ -n "$n" ] && [ -n "$nw" ] && [ "$nw" -gt "$n" ] || { show vw; fail "--wide header has $nw fields, default $n"; }
grep -q 'volume_fraction' <(after_banner vw.out | head -3) || { show vw; fail "--wide: no volume_fraction column"; }
echo "  ok ($n columns, --wide $nw)"
