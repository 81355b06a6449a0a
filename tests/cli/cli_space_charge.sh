#!/usr/bin/env bash
# cli_space_charge.sh - space-charge layers from a deck: a phi0_V sweep axis in
# the file, depletion lowers and accumulation raises sigma (KMC and exact), and
# profile keys are checked with FILE:LINE messages.
#   usage: cli_space_charge.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail
. "$(dirname "$0")/lib_cli.sh"
cli_setup space_charge "$@"
DECK=$SRC/tests/data/cli_space_charge.yaml

check "a phi0_V sweep runs and is a coordinate"
expect_rc 0 sweep "$LIHOP" run "$DECK" -o sc.h5 --threads 2
summary sc.h5 > rows.txt
[ "$(awk '$2 == "sc_phi0_V_a_0"' rows.txt | wc -l)" = 3 ] || { cat rows.txt; fail "expected 3 rows with sc_phi0_V_a_0"; }

check "sigma falls with phi0 (accumulation > none > depletion), KMC and exact"
for col in sigma_S_m sigma_exact_S_m; do
    bycoord sc.h5 sc_phi0_V_a_0 | awk -v c="$col" '$2 == c {print $1, $3}' | sed 's/sc_phi0_V_a_0=//' | sort -g > "$col.txt"
    awk 'NR > 1 && !($2 < prev) {bad = 1} {prev = $2} END {exit bad}' "$col.txt" ||
        { cat "$col.txt"; fail "$col does not fall with phi0"; }
done

check "a Mott-Schottky layer without length_m names the key and the line"
sed '/length_m:/d' "$DECK" > nolength.yaml
expect_rc 2 nolength "$LIHOP" run nolength.yaml -o x.h5
grep -q "nolength.yaml:[0-9]*.*space_charge\[0\].length_m.*mott_schottky" nolength.err || { show nolength; fail "message"; }

check "a table profile refuses phi0_V"
sed 's/profile: mott_schottky/profile: table/' "$DECK" > table.yaml
expect_rc 2 table "$LIHOP" run table.yaml -o x.h5
grep -q "only the keys of profile 'table'" table.err || { show table; fail "message"; }
check "lihop micro writes the potential, distance and concentration fields (first phi0: -0.05 V)"
expect_rc 0 micro "$LIHOP" micro "$DECK" -o m.h5
for f in potential_V space_charge_distance_m concentration_li_m3; do
    h5ls "m.h5/$f" >/dev/null 2>&1 || fail "m.h5 has no /$f"
    grep -q "Name=\"$f\"" m.h5.xdmf || fail "the sidecar does not list $f"
done
# the a voxels next to b sit at d = h/2: phi = -0.05 (1 - 0.5/5)^2 = -0.0405 V
h5dump -d /potential_V -m %.6f m.h5 | grep -q -- "-0.040500" || fail "no voxel at -0.0405 V"
echo "PASS"
