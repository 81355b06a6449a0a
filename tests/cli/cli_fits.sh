#!/usr/bin/env bash
# cli_fits.sh - voxel /fits (README "Fits"): a uniform PEO box (the quickstart's
# VTF law, B = 1300 K, T0 = 166 K, A = 1.6 S/cm) swept over 6 temperatures
# writes one /fits row for the total sigma and one per species, with VTF
# parameters within 3 of their stated errors of the deck's law, and prints
# the fit table; 3 temperatures give Arrhenius rows without VTF; 2 give no /fits.
#   usage: bash tests/cli/cli_fits.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup fits "$@"

# fits FILE: the /fits table as "row column value" lines, 17 digits.
fits() {
    { h5dump -m %.17g -d /fits "$1" 2>/dev/null || true; } | awk '
        /H5T_COMPOUND/ {cmp = 1; next}
        cmp && /^ *\}/ {cmp = 0; next}
        cmp {n = $2; gsub(/[";]/, "", n); name[++nf] = n; next}
        !done && /^ *DATA \{/ {data = 1; next}
        data && /^ *ATTRIBUTE/ {data = 0; done = 1}
        data && /^ *[-+0-9.eEnaif]+,?$/ {
            v = $1; sub(/,$/, "", v); k++; c = (k - 1) % nf + 1
            print int((k - 1) / nf), name[c], v
        }'
}
# field ROW COLUMN < fits-output
field() { awk -v r="$1" -v c="$2" '$1 == r && $2 == c {print $3}'; }

sed -e 's/^temperature_K: .*/temperature_K: [260, 290, 320, 350, 380, 410]/' \
    -e 's/^  volume_fraction: .*/  volume_fraction: 0.0/' -e 's/^  walkers: .*/  walkers: 2000/' "$FIXTURE" > vtf.yaml
grep -q 'volume_fraction: 0.0$' vtf.yaml || fail "test setup: could not make the uniform deck"

check "6 temperatures of uniform PEO: /fits rows total, li, tfsi with VTF B and T0 near 1300 K and 166 K"
expect_rc 0 six "$LIHOP" run vtf.yaml -o six.h5 --threads 2
[ "$(dims six.h5 /fits)" = "3" ] || { fits six.h5 | head; fail "/fits has $(dims six.h5 /fits) rows, expected 3"; }
fits six.h5 > six.txt
for r in 0 1 2; do
    [ "$(field $r n_T < six.txt)" = 6 ] && [ "$(field $r vtf < six.txt)" = 1 ] || fail "row $r: n_T or vtf flag"
done
[ "$(field 0 species < six.txt)" = -1 ] || fail "row 0 is not the total sigma"
B=$(field 0 vtf_B_K < six.txt); dB=$(field 0 vtf_B_err_K < six.txt)
T0=$(field 0 vtf_T0_K < six.txt); dT0=$(field 0 vtf_T0_err_K < six.txt)
A=$(field 0 vtf_A_S_m < six.txt); dA=$(field 0 vtf_A_err_S_m < six.txt)
awk -v b="$B" -v db="$dB" -v t="$T0" -v dt="$dT0" -v a="$A" -v da="$dA" 'BEGIN {
    ok = db > 0 && dt > 0 && da > 0 && (b - 1300)^2 < 9 * db^2 && (t - 166)^2 < 9 * dt^2 && (a - 160)^2 < 9 * da^2
    ok = ok && db < 200 && dt < 15          # errors small enough for the check to mean something
    exit !ok }' || fail "VTF B = $B +- $dB K, T0 = $T0 +- $dT0 K, A = $A +- $dA S/m (deck: 1300 K, 166 K, 160 S/m)"
grep -q 'Fits of sigma(T) per sweep line' six.out || { show six; fail "no fit table printed"; }
grep -qE '^ +0 total +6 +260-410 ' six.out || { show six; fail "no total row in the printed fit table"; }
grep -qE 'n_T +T +Ea +\+- +A +B ' six.out && grep -qE '^ +\[K\] +\[eV\] +\[eV\] +\[S K/cm\] +\[K\]' six.out ||
    { show six; fail "the fit table header has no units line"; }
echo "  ok: B = $B +- $dB K, T0 = $T0 +- $dT0 K, A = $A +- $dA S/m"

check "3 temperatures: Arrhenius rows, no VTF (vtf = 0, NaN parameters)"
sed 's/^temperature_K: .*/temperature_K: [290, 350, 410]/' vtf.yaml > three.yaml
expect_rc 0 three "$LIHOP" run three.yaml -o three.h5 --threads 2
fits three.h5 > three.txt
[ "$(field 0 vtf < three.txt)" = 0 ] && [ "$(field 0 vtf_B_K < three.txt)" = nan ] || fail "3 temperatures gave a VTF fit"
awk -v e="$(field 0 Ea_sigmaT_eV < three.txt)" 'BEGIN {exit !(e > 0.2 && e < 1.0)}' || fail "Ea(sigma T) $(field 0 Ea_sigmaT_eV < three.txt)"
echo "  ok"

check "2 temperatures: no /fits"
expect_rc 0 two "$LIHOP" run "$FIXTURE" -o two.h5 --threads 2
[ -z "$(dims two.h5 /fits)" ] || fail "/fits written for 2 temperatures"
grep -q 'Fits of sigma' two.out && fail "a fit table printed for 2 temperatures"
echo "  ok"
