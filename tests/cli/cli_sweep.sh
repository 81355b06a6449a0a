#!/usr/bin/env bash
# cli_sweep.sh - the sweep engine (README "Sweeps"): a voxel deck sweeping
# seed x volume_fraction x temperature runs from one file with a /summary
# column per coordinate, /sweep datasets and /combined seed means; adding a
# fraction value and resuming leaves the earlier points bit-identical and
# computes only the new ones; a point's numbers do not depend on its position
# in the sweep (reordered axes, a fresh run of the extended deck); a resume
# with a changed non-sweep key is refused and leaves the file alone.
#   usage: bash tests/cli/cli_sweep.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup sweep "$@"

KEYS="seed volume_fraction T_K"
sed -e 's/^seed: .*/seed: [7, 8]/' \
    -e 's/^  volume_fraction: .*/  volume_fraction: [0.0, 0.2]/' "$FIXTURE" > sweep.yaml
grep -q 'seed: \[7, 8\]' sweep.yaml && grep -q 'volume_fraction: \[0.0, 0.2\]' sweep.yaml ||
    fail "test setup: could not make the sweep deck"

check "2 seeds x 2 fractions x 2 temperatures: 8 points, one column per coordinate"
expect_rc 0 first "$LIHOP" run sweep.yaml -o a.h5 --threads 2
grep -q 'sweep: 8 points over seed (2) x volume_fraction (2) x T_K (2)' first.out || { show first; fail "no sweep line"; }
[ "$(dims a.h5 /summary)" = "8/Inf" ] || fail "/summary has $(dims a.h5 /summary) rows, expected 8"
for col in seed volume_fraction T_K; do
    summary a.h5 | awk -v c=$col '$2 == c' | grep -q . || fail "/summary has no column $col"
done
[ "$(vals a.h5 /sweep/volume_fraction | tr '\n' ' ')" = "0 0.20000000000000001 " ] || fail "/sweep/volume_fraction"
[ "$(vals a.h5 /sweep/seed | tr '\n' ' ')" = "7 8 " ] || fail "/sweep/seed: $(vals a.h5 /sweep/seed)"
[ "$(dims a.h5 /combined)" = "4" ] || fail "/combined has $(dims a.h5 /combined) rows, expected 4 (2 seeds each)"
[ "$(vals a.h5 /combined_n_seeds | sort -u)" = "2" ] || fail "/combined_n_seeds is not 2 everywhere"
[ "$(attr a.h5 /points/0000005/volume_fraction)" != "" ] || fail "/points/5 has no volume_fraction attribute"
echo "  ok"

check "add a fraction and --resume: 4 new points, the 8 old ones bit-identical"
bycoord a.h5 $KEYS > a.txt
sed 's/volume_fraction: \[0.0, 0.2\]/volume_fraction: [0.0, 0.2, 0.1]/' sweep.yaml > more.yaml
expect_rc 0 more "$LIHOP" run more.yaml -o a.h5 --resume --threads 2
[ "$(grep -cE '^\* +[0-9]' more.out)" = 8 ] || { show more; fail "expected 8 skipped points"; }
[ "$(dims a.h5 /summary)" = "12/Inf" ] || fail "/summary has $(dims a.h5 /summary) rows after the extension"
bycoord a.h5 $KEYS | grep -v 'volume_fraction=0.10000000000000001' > a_old.txt
diff a.txt a_old.txt >/dev/null || { diff a.txt a_old.txt | head; fail "earlier points changed by the extension"; }
[ "$(attr a.h5 /metadata/status)" = complete ] || fail "status after the extension is not complete"
echo "  ok"

check "order independence: a fresh run of the extended deck, and one with every axis reversed, give the same rows"
expect_rc 0 fresh "$LIHOP" run more.yaml -o fresh.h5 --threads 1
sed -e 's/^seed: .*/seed: [8, 7]/' -e 's/volume_fraction: .*/volume_fraction: [0.1, 0.2, 0.0]/' \
    -e 's/^temperature_K: .*/temperature_K: [353.15, 298.15]/' more.yaml > reversed.yaml
expect_rc 0 rev "$LIHOP" run reversed.yaml -o rev.h5 --threads 2
bycoord a.h5 $KEYS > all.txt
diff all.txt <(bycoord fresh.h5 $KEYS) >/dev/null || fail "the fresh run of the extended deck differs"
diff all.txt <(bycoord rev.h5 $KEYS) >/dev/null || fail "reversing the axes changed some point's numbers"
echo "  ok: $(wc -l < all.txt) values equal"

check "a resume with another non-sweep key is refused (exit 2) and leaves the file alone"
sed 's/^  walkers: .*/  walkers: 404/' more.yaml > other.yaml
sum_before=$(cksum < a.h5)
expect_rc 2 other "$LIHOP" run other.yaml -o a.h5 --resume
grep -q 'only sweep values may change' other.err || { show other; fail "no message saying what may change"; }
[ "$(cksum < a.h5)" = "$sum_before" ] || fail "the refused resume changed a.h5"
ls a.h5.tmp a.h5.lock 2>/dev/null && fail "a temporary or lock file was left behind"
echo "  ok"

check "a scalar seed became a one-value list: same points (the seed is a coordinate either way)"
sed 's/^seed: .*/seed: 42/' "$FIXTURE" > s1.yaml
sed 's/^seed: .*/seed: [42]/' "$FIXTURE" > s2.yaml
expect_rc 0 s1 "$LIHOP" run s1.yaml -o s.h5 --threads 2
expect_rc 0 s2 "$LIHOP" run s2.yaml -o s.h5 --resume --threads 2
[ "$(grep -cE '^\* +[0-9]' s2.out)" = 2 ] || { show s2; fail "the one-value seed list did not match the scalar seed's points"; }
echo "  ok"
check "an explicit points: table runs exactly its rows, each with the numbers of the same point in the product"
sed -e 's/^seed: .*/seed: 7/' -e 's/^  volume_fraction: .*/  volume_fraction: 0.2/' -e 's/^temperature_K: .*/temperature_K: 298.15/' "$FIXTURE" > table.yaml
printf 'points:\n  - {volume_fraction: 0.2, temperature_K: 353.15}\n  - {volume_fraction: 0.0, temperature_K: 298.15}\n' >> table.yaml
expect_rc 0 table "$LIHOP" run table.yaml -o table.h5 --threads 2
grep -q 'sweep: 2 points over volume_fraction (2) x T_K (2) (points: table)' table.out || { show table; fail "no table sweep line"; }
[ "$(dims table.h5 /summary)" = "2/Inf" ] || fail "the table run has $(dims table.h5 /summary) rows, expected 2"
bycoord a.h5 $KEYS | grep -E '^seed=7,volume_fraction=(0.20000000000000001,T_K=353.14999999999998|0,T_K=298.14999999999998) ' > t_ref.txt
[ "$(wc -l < t_ref.txt)" -gt 10 ] || fail "test setup: no reference rows"
diff t_ref.txt <(bycoord table.h5 $KEYS) >/dev/null || { diff t_ref.txt <(bycoord table.h5 $KEYS) | head; fail "table points differ from the product's"; }
sed 's/^  volume_fraction: .*/  volume_fraction: [0.2, 0.3]/' table.yaml > table_bad.yaml
expect_rc 2 table_bad "$LIHOP" run table_bad.yaml -o table_bad.h5
grep -q "key 'points\[0\].volume_fraction': expected volume_fraction as a single value" table_bad.err ||
    { show table_bad; fail "no message for a key swept both ways"; }
echo "  ok"
check "the applied field as an axis: a list of vectors; its zero point equals a run with that single field"
sed -e 's/^seed: .*/seed: 7/' -e 's/^temperature_K: .*/temperature_K: 298.15/' "$FIXTURE" > f1.yaml
echo 'field_V_m: [0, 0, 0]' >> f1.yaml
sed 's/^field_V_m: .*/field_V_m: [[0, 0, 2.0e5], [0, 0, 0], [1.0e5, 0, 0]]/' f1.yaml > f3.yaml
expect_rc 0 f1 "$LIHOP" run f1.yaml -o f1.h5 --threads 2
expect_rc 0 f3 "$LIHOP" run f3.yaml -o f3.h5 --threads 2
grep -q 'sweep: 3 points over field_V_m (3)' f3.out || { show f3; fail "no field axis in the sweep line"; }
[ "$(vals f3.h5 /sweep/field_z_V_m | tr '\n' ' ')" = "200000 0 0 " ] || fail "/sweep/field_z_V_m: $(vals f3.h5 /sweep/field_z_V_m)"
FK="field_x_V_m field_y_V_m field_z_V_m"
diff <(bycoord f1.h5 $FK) <(bycoord f3.h5 $FK | grep '^field_x_V_m=0,field_y_V_m=0,field_z_V_m=0 ') >/dev/null ||
    fail "the zero-field point of the axis differs from the single-field run"
echo "  ok"
echo "PASS: cli_sweep"
