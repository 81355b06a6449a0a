#!/usr/bin/env bash
# cli_garnet.sh - `lihop run` on garnet decks end to end: the printed table,
# the results-file contract for model garnet (src/h5out.h: /metadata,
# /sweep, /points/<k> with drift and bulk subgroups, /summary, /fits (equal
# to /arrhenius where both apply; VTF only with >= 4 temperatures), /arrhenius,
# /bicrystal), --resume skipping finished points (after a SIGINT, with the same
# numbers as an uninterrupted run), one SIGINT stopping a one-point run inside
# its replicas (exit 130), determinism across thread counts, and
# input errors (deck, material file, setup) that exit 2 without an output file.
#   usage: bash tests/cli/cli_garnet.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup garnet "$@"

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"
# count_rows FILE: /summary rows as h5ls prints the extent ("{N/Inf}")
count_rows() { h5ls "$1/summary" 2>/dev/null | sed -n 's/.*Dataset {\([0-9]*\)\/Inf}.*/\1/p'; }
# col FILE NAME: one /summary column, one value per row (point order of the file)
col() { summary "$1" | awk -v c="$2" '$2 == c {print $3}'; }
# table FILE DSET: a compound table as "row column value" lines, 17 digits.
table() {
    { h5dump -m %.17g -d "$2" "$1" 2>/dev/null || true; } | awk '
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
# field ROW COLUMN < table-output
field() { awk -v r="$1" -v c="$2" '$1 == r && $2 == c {print $3}'; }

# The material (the test copy in tests/data) with its lattice as an absolute path,
# so that it can live in the work directory.
sed "s#^lattice: .*#lattice: $SRC/lattices/llzo_cubic.yaml#" "$SRC/tests/data/garnet_material.yaml" > mat.yaml
grep -q "^lattice: $SRC/lattices/llzo_cubic.yaml" mat.yaml || fail "test setup: could not set the material's lattice"

# Tiny decks: 3 temperatures x 2 Li contents on a 2x1x1 supercell (144 sites).
cat > bulk.yaml <<'EOF'
model: garnet
backend: cpu
seed: 5
temperature_K: [300, 350, 400]
garnet:
  material: mat.yaml
  cells: [2, 1, 1]
  li_per_fu: [6.4, 6.8]
  drift_fields_V_m: [5.0e6, 1.0e7]
run:
  replicas: 16
  hops_per_li: 40
  equil_hops_per_li: 10
  samples: 8
  batches: 4
EOF
cat > bc.yaml <<'EOF'
model: garnet
backend: cpu
seed: 9
temperature_K: [320, 380]
garnet:
  material: mat.yaml
  cells: [3, 1, 1]
  li_per_fu: [6.4]
  bicrystal:
    axis: x
    thickness_A: 6.0
    kra_shift_eV: 0.1
    disorder_sigma_eV: 0.05
    site_removal_fraction: 0.2
    space_charge:
      profile: mott_schottky
      phi0_V: 0.1
      length_A: 8.0
run:
  replicas: 16
  hops_per_li: 40
  samples: 8
  batches: 4
EOF

check "lihop run bulk.yaml exits 0 and prints one row per point (Li content slow, T fast)"
expect_rc 0 run1 "$LIHOP" run bulk.yaml -o out.h5 --threads 2
grep -qE '^ +T +Li/fu +sigma ' run1.out && grep -qE '^ +\[K\] +\[S/cm\]' run1.out || { show run1; fail "no table header with units"; }
rows=$(grep -E '^ *[0-9]+\.[0-9]{2} +[0-9]\.[0-9]{3} +[0-9.]+e[-+][0-9]+ ' run1.out | awk '{print $1 "/" $2}' | tr '\n' ' ')
[ "$rows" = "300.00/6.400 350.00/6.400 400.00/6.400 300.00/6.800 350.00/6.800 400.00/6.800 " ] ||
    { show run1; fail "table rows are '$rows'"; }
[ "$(grep -c 'drift along x' run1.out)" -eq 6 ] || { show run1; fail "no drift line per point"; }
grep -q 'Fits of sigma(T) per sweep line' run1.out || { show run1; fail "no fit table printed"; }
grep -qE '^ +0 total +3 +300-400 ' run1.out && grep -qE '^ +line 1: li_per_fu = 6.8$' run1.out ||
    { show run1; fail "the fit table has no row for line 0 or no label for line 1"; }
grep -q 'VTF not fitted on 2 rows with fewer than 4 temperatures' run1.out || { show run1; fail "no VTF note"; }

check "/metadata: status complete, model garnet, material and lattice texts, /metadata/garnet"
[ "$(attr out.h5 /metadata/status)" = complete ] || fail "status is '$(attr out.h5 /metadata/status)'"
[ "$(attr out.h5 /metadata/model)" = garnet ] || fail "model is '$(attr out.h5 /metadata/model)'"
[ "$(attr out.h5 /metadata/seed)" = 5 ] || fail "seed is '$(attr out.h5 /metadata/seed)'"
h5dump -a /metadata/material_text out.h5 | grep -q 'LLZO-Ta' || fail "/metadata material_text lacks the material"
h5dump -a /metadata/lattice_text out.h5 | grep -q 'space_group' || fail "/metadata lattice_text lacks the lattice"
[ "$(attr out.h5 /metadata/garnet/rate_law)" = kra ] || fail "/metadata/garnet rate_law"
[ "$(vals out.h5 /metadata/garnet/E_kra_eV | head -2 | tail -1)" = 0.29999999999999999 ] ||
    fail "/metadata/garnet/E_kra_eV[T][O] is not 0.3"

check "/sweep axes and /points/<k> groups with units"
[ "$(vals out.h5 /sweep/temperature_K | tr '\n' ' ')" = "300 350 400 " ] || fail "/sweep/temperature_K"
[ "$(vals out.h5 /sweep/li_per_fu | tr '\n' ' ')" = "6.4000000000000004 6.7999999999999998 " ] || fail "/sweep/li_per_fu"
for k in 0 1 2 3 4 5; do
    [ "$(attr out.h5 /points/$(printf %07d $k)/complete)" = 1 ] || fail "/points/$k is not complete"
done
h5ls out.h5/points/0000006 >/dev/null 2>&1 && fail "/points/6 exists in a 6-point sweep"
[ "$(attr out.h5 /points/0000004/T_K)" = 350 ] || fail "/points/4 T_K is '$(attr out.h5 /points/4/T_K)', expected 350"
[ "$(attr out.h5 /points/0000004/li_per_fu)" = 6.8 ] || fail "/points/4 li_per_fu"
[ "$(attr out.h5 /points/0000000/nli)" = 102 ] || fail "/points/0 nli is '$(attr out.h5 /points/0/nli)', expected 102"
[ "$(vals out.h5 /points/0000000/sigma_NE_axis_S_m | wc -l)" -eq 3 ] || fail "/points/0/sigma_NE_axis_S_m is not [3]"
[ "$(dims out.h5 /points/0000000/msd_coll_axis_m2)" = "8, 3" ] || fail "/points/0/msd_coll_axis_m2 is not [8][3]"
[ "$(attr out.h5 /points/0000000/msd_coll_m2/unit)" = "m^2" ] || fail "/points/0/msd_coll_m2 has no unit m^2"
[ "$(attr out.h5 /points/0000000/D_sigma_axis_m2_s/unit)" = "m^2/s" ] || fail "D_sigma_axis_m2_s unit"
[ "$(vals out.h5 /points/0000000/drift_E2/field_V_m | tr '\n' ' ')" = "10000000 0 0 " ] || fail "drift_E2 field"
h5ls out.h5/points/0000000/bulk >/dev/null 2>&1 && fail "/points/0/bulk exists without a bicrystal"
# scalar results are datasets of shape () with a unit, like the voxel results; the run's description stays attributes
for ds in D_tracer_m2_s:m^2/s haven:1 sigma_NE_S_m:S/m hops:1 drift_linearity:1 drift_E1/sigma_drift_S_m:S/m; do
    [ "$(dims out.h5 /points/0000000/${ds%%:*})" = SCALAR ] || fail "/points/0/${ds%%:*} is not a scalar dataset"
    [ "$(attr out.h5 /points/0000000/${ds%%:*}/unit)" = "${ds#*:}" ] || fail "/points/0/${ds%%:*} unit is not ${ds#*:}"
done
h5dump -A -g /points/0000000 out.h5 2>/dev/null | grep -q 'ATTRIBUTE "D_tracer_m2_s"' && fail "/points/0 still has a D_tracer_m2_s attribute"
awk -v p="$(vals out.h5 /points/0000000/sigma_NE_S_m)" -v s="$(summary out.h5 | awk '$1 == 0 && $2 == "sigma_S_m" {print $3}')" \
    'BEGIN {exit !(p == s && p > 0)}' || fail "/points/0/sigma_NE_S_m differs from its /summary sigma_S_m"

check "/summary: 6 rows in point order, sigma > 0, occupancies, drift linearity, no column that cannot apply"
[ "$(count_rows out.h5)" = 6 ] || fail "/summary has '$(count_rows out.h5)' rows, expected 6"
summary out.h5 > sum.txt
[ "$(col out.h5 point | tr '\n' ' ')" = "0 1 2 3 4 5 " ] || { cat sum.txt >&2; fail "/summary point column"; }
[ "$(col out.h5 li_per_fu | tr '\n' ' ')" = "6.4000000000000004 6.4000000000000004 6.4000000000000004 6.7999999999999998 6.7999999999999998 6.7999999999999998 " ] ||
    fail "/summary li_per_fu column"
awk '$2 == "sigma_S_m" && !($3 > 0) {bad = 1} END {exit bad}' sum.txt || fail "sigma_S_m not positive"
for c in sigma_xx_S_m D_tracer_m2_s D_sigma_m2_s haven f_tracer f_coll occupancy_T occupancy_O \
         sigma_drift_E1_S_m drift_linearity hops; do
    [ "$(awk -v c=$c '$2 == c' sum.txt | wc -l)" -eq 6 ] || fail "/summary has no column $c"
    awk -v c=$c '$2 == c && ($3 == "nan" || $3 == "-nan") {bad = 1} END {exit bad}' sum.txt || fail "/summary $c is NaN"
done
# only the columns that apply to the run kind: no bicrystal, no main-run field here
for c in sigma_across_S_m sigma_along_S_m sigma_bulk_S_m ASR_ohm_m2 ASR_err_ohm_m2 sigma_drift_S_m sigma_drift_err_S_m; do
    awk -v c=$c '$2 == c {bad = 1} END {exit bad}' sum.txt || fail "/summary has column $c without a bicrystal or field_V_m"
done
# no column is NaN in every row
awk '{n[$2]++; if ($3 ~ /nan/) k[$2]++} END {for (c in n) if (k[c] == n[c]) {print c; bad = 1}; exit bad}' sum.txt ||
    fail "/summary has all-NaN columns"
[ "$(awk '$1 == 0' sum.txt | wc -l)" -eq 36 ] || fail "/summary has $(awk '$1 == 0' sum.txt | wc -l) columns (without wall_s), expected 36"
h5dump -a /summary/units out.h5 | grep -q '"S/m"' || fail "/summary has no units attribute"

check "/arrhenius: one row per Li content (3 temperatures each) with Ea in eV"
[ "$(dims out.h5 /arrhenius)" = 2 ] || fail "/arrhenius has '$(dims out.h5 /arrhenius)' rows, expected 2"
h5dump -d /arrhenius out.h5 | grep -q 'Ea_sigmaT_err_eV' || fail "/arrhenius lacks Ea_sigmaT_err_eV"
h5dump -d /arrhenius out.h5 | grep -q 'Ea_sigma_eV' || fail "/arrhenius lacks Ea_sigma_eV"
h5ls out.h5/bicrystal >/dev/null 2>&1 && fail "/bicrystal exists without a bicrystal"

check "/fits: one row per Li content (the sweep lines), Arrhenius equal to /arrhenius, no VTF with 3 temperatures"
table out.h5 /fits > fits.txt
table out.h5 /arrhenius > arr.txt
[ "$(dims out.h5 /fits)" = 2 ] || { cat fits.txt >&2; fail "/fits has '$(dims out.h5 /fits)' rows, expected 2"; }
for r in 0 1; do
    [ "$(field $r line < fits.txt)" = $r ] && [ "$(field $r species < fits.txt)" = -1 ] || fail "/fits row $r: line, species"
    [ "$(field $r li_per_fu < fits.txt)" = "$(field $r li_per_fu < arr.txt)" ] || fail "/fits row $r: li_per_fu"
    for c in n_T T_min_K T_max_K weighted Ea_sigmaT_eV Ea_sigmaT_err_eV A_sigmaT_S_K_m A_sigmaT_err_S_K_m \
             chi2_red_sigmaT Ea_sigma_eV Ea_sigma_err_eV A_sigma_S_m A_sigma_err_S_m chi2_red_sigma; do
        v=$(field $r $c < fits.txt)
        [ -n "$v" ] && [ "$v" = "$(field $r $c < arr.txt)" ] || fail "/fits row $r $c = '$v', /arrhenius '$(field $r $c < arr.txt)'"
    done
    awk -v v="$(field $r cov_Ea_A_sigmaT < fits.txt)" 'BEGIN {exit !(v + 0 == v && v !~ /nan/)}' ||
        fail "/fits row $r: no covariance"
    [ "$(field $r vtf < fits.txt)" = 0 ] && [ "$(field $r vtf_B_K < fits.txt)" = nan ] &&
        [ "$(field $r vtf_cov_B_T0 < fits.txt)" = nan ] || fail "/fits row $r: VTF numbers from 3 temperatures"
done
awk -v e="$(field 0 Ea_sigmaT_eV < fits.txt)" 'BEGIN {exit !(e > 0.1 && e < 1.0)}' || fail "Ea(sigma T) out of range"
[ "$(attr out.h5 /fits/species)" = "-1: the total sigma (the garnet model has no other)" ] || fail "/fits species attribute"
h5ls out.h5/li_content >/dev/null 2>&1 && fail "/li_content exists with only 2 Li contents"

check "a field axis: sigma_drift_S_m column, NaN at zero field only"
sed -e 's/^temperature_K: .*/temperature_K: [400]/' -e 's/^  li_per_fu: .*/  li_per_fu: [6.4]/' -e '/drift_fields_V_m/d' \
    -e 's/^  cells: .*/  cells: [2, 1, 1]\n  field_V_m: [[0, 0, 0], [1.0e7, 0, 0]]/' bulk.yaml > field.yaml
grep -q 'field_V_m: \[\[0, 0, 0\], \[1.0e7, 0, 0\]\]' field.yaml || fail "test setup: no field axis in field.yaml"
expect_rc 0 field "$LIHOP" run field.yaml -o field.h5 --threads 2
summary field.h5 > fsum.txt
[ "$(awk '$2 == "sigma_drift_S_m" {print $3}' fsum.txt | tr '\n' ' ' | sed 's/[0-9][-+.0-9e]* /x /g')" = "nan x " ] ||
    { cat fsum.txt >&2; fail "sigma_drift_S_m is not NaN at zero field and a number at 1e7 V/m"; }
awk '$2 ~ /drift_E1|across|ASR/ {bad = 1} END {exit bad}' fsum.txt || fail "drift-run or bicrystal columns in a field deck"

check "a Li-content sweep (3 values, one temperature): /li_content row and the printed maximum"
sed -e 's/^temperature_K: .*/temperature_K: [350]/' -e 's/^  li_per_fu: .*/  li_per_fu: [6.8, 6.0, 6.4]/' \
    -e '/drift_fields_V_m/d' bulk.yaml > lic.yaml
expect_rc 0 lic "$LIHOP" run lic.yaml -o lic.h5 --threads 2
grep -q 'Conductivity maximum over Li content' lic.out || { show lic; fail "no Li-content maximum printed"; }
[ "$(dims lic.h5 /li_content)" = 1 ] || fail "/li_content has '$(dims lic.h5 /li_content)' rows, expected 1"
h5dump -d /li_content lic.h5 | grep -q 'ratio_low' || fail "/li_content lacks ratio_low"
# the printed Li_max is the Li content of the largest sigma in /summary
want=$(summary lic.h5 | awk '$2 == "li_per_fu" {li[$1] = $3} $2 == "sigma_S_m" {s[$1] = $3}
    END {for (r in s) if (best == "" || s[r] + 0 > s[best] + 0) best = r; printf "%.3f", li[best]}')
got=$(awk '/Conductivity maximum/ {f = 1; next} f && /^ *[0-9]/ {print $3; exit}' lic.out)
[ -n "$want" ] && [ "$want" = "$got" ] || { show lic; fail "printed Li_max '$got', /summary says '$want'"; }

check "--resume on a complete file skips every point and keeps the numbers"
cp out.h5 first.h5
expect_rc 0 again "$LIHOP" run bulk.yaml -o out.h5 --resume
[ "$(grep -cE '^\* +[0-9]' again.out)" -eq 6 ] || { show again; fail "not every point was skipped"; }
[ "$(attr out.h5 /metadata/status)" = complete ] || fail "status after --resume is not complete"
summary out.h5 > sum_again.txt
cmp -s sum.txt sum_again.txt || { diff sum.txt sum_again.txt >&2; fail "/summary changed on --resume"; }
grep -q 'Fits of sigma(T) per sweep line' again.out || { show again; fail "no fits after a resume"; }
table out.h5 /fits > fits_again.txt
cmp -s fits.txt fits_again.txt || { diff fits.txt fits_again.txt >&2; fail "/fits changed on --resume"; }

check "4 temperatures: a VTF fit per line (vtf = 1, finite A, B, T0, errors and covariance) or a stated reason"
sed -e 's/^temperature_K: .*/temperature_K: [300, 350, 400, 450]/' -e '/drift_fields_V_m/d' bulk.yaml > four.yaml
expect_rc 0 four "$LIHOP" run four.yaml -o four.h5 --threads 2
table four.h5 /fits > four.txt
for r in 0 1; do
    [ "$(field $r n_T < four.txt)" = 4 ] || fail "/fits row $r of the 4-temperature run: n_T"
    if [ "$(field $r vtf < four.txt)" = 1 ]; then
        for c in vtf_A_S_m vtf_A_err_S_m vtf_B_K vtf_B_err_K vtf_T0_K vtf_T0_err_K vtf_cov_A_B vtf_cov_A_T0 \
                 vtf_cov_B_T0 vtf_chi2_red; do
            awk -v v="$(field $r $c < four.txt)" 'BEGIN {exit !(v + 0 == v && v !~ /nan|inf/)}' ||
                fail "/fits row $r: vtf = 1 but $c = '$(field $r $c < four.txt)'"
        done
    else
        [ "$(field $r vtf_B_K < four.txt)" = nan ] || fail "/fits row $r: vtf = 0 with a B"
        grep -q 'VTF did not converge' four.out || { show four; fail "vtf = 0 with 4 temperatures and no reason printed"; }
    fi
done
grep -q 'VTF not fitted' four.out && { show four; fail "the 4-temperature run says VTF was not fitted for want of temperatures"; }

check "without --resume/--overwrite an existing file is refused (exit 3)"
expect_rc 3 clobber "$LIHOP" run bulk.yaml -o out.h5
grep -q -- '--resume' clobber.err || { show clobber; fail "message does not mention --resume"; }

check "--threads 1 gives the same /summary (less wall_s) and point data as --threads 2"
expect_rc 0 t1 "$LIHOP" run bulk.yaml -o t1.h5 --threads 1
summary t1.h5 > s1.txt
cmp -s s1.txt sum.txt || { diff s1.txt sum.txt >&2; fail "/summary differs between --threads 1 and 2"; }
for ds in msd_coll_m2 sigma_NE_axis_S_m drift_E1/v_drift_m_s site_occupancy; do
    cmp -s <(vals t1.h5 /points/0000003/$ds) <(vals first.h5 /points/0000003/$ds) || fail "/points/3/$ds differs between thread counts"
done

check "a changed material file refuses --resume (exit 2) and leaves the file alone"
cp out.h5 keep.h5
sed -i 's/^E_nn_eV: 0.1/E_nn_eV: 0.12/' mat.yaml
before=$(cksum < keep.h5)
expect_rc 2 changed "$LIHOP" run bulk.yaml -o keep.h5 --resume
grep -q 'mat.yaml' changed.err || { show changed; fail "the refusal does not name the material file"; }
[ "$(cksum < keep.h5)" = "$before" ] || fail "the refused resume modified keep.h5"
sed -i 's/^E_nn_eV: 0.12/E_nn_eV: 0.1/' mat.yaml

check "bicrystal: bulk reference, sigma across/along, ASR in /summary and /bicrystal"
expect_rc 0 bc "$LIHOP" run bc.yaml -o bc.h5 --threads 2
[ "$(grep -c 'boundary (normal x)' bc.out)" -eq 2 ] || { show bc; fail "no boundary line per point"; }
grep -q 'ohm cm^2' bc.out || { show bc; fail "no ASR in ohm cm^2 printed"; }
[ "$(attr bc.h5 /metadata/status)" = complete ] || fail "bicrystal status is not complete"
h5ls bc.h5/points/0000001/bulk >/dev/null 2>&1 || fail "no /points/1/bulk group"
[ "$(attr bc.h5 /points/0000000/bulk/nsites)" = 216 ] || fail "bulk reference nsites '$(attr bc.h5 /points/0/bulk/nsites)', expected 216"
ns=$(attr bc.h5 /points/0000000/nsites)
[ "$ns" -lt 216 ] || fail "the bicrystal has $ns sites: no slab site was removed"
[ "$(attr bc.h5 /points/0000000/nli)" = "$(attr bc.h5 /points/0000000/bulk/nli)" ] || fail "bicrystal and bulk Li counts differ"
[ "$(dims bc.h5 /points/0000000/ASR_ohm_m2)" = SCALAR ] && [ "$(attr bc.h5 /points/0000000/ASR_ohm_m2/unit)" = "ohm m^2" ] ||
    fail "/points/0/ASR_ohm_m2 is not a scalar dataset in ohm m^2"
[ "$(dims bc.h5 /bicrystal)" = 2 ] || fail "/bicrystal has '$(dims bc.h5 /bicrystal)' rows, expected 2"
[ "$(attr bc.h5 /bicrystal/axis)" = x ] || fail "/bicrystal axis attribute"
h5dump -d /bicrystal bc.h5 | grep -q 'ASR_ohm_cm2' || fail "/bicrystal has no ASR_ohm_cm2"
summary bc.h5 > bsum.txt
for c in sigma_across_S_m sigma_along_S_m sigma_bulk_S_m ASR_ohm_m2 ASR_err_ohm_m2; do
    [ "$(awk -v c=$c '$2 == c' bsum.txt | wc -l)" -eq 2 ] || fail "/summary of the bicrystal has no column $c"
    awk -v c=$c '$2 == c && !($3 + 0 == $3 && $3 !~ /nan/) {bad = 1} END {exit bad}' bsum.txt ||
        { cat bsum.txt >&2; fail "/summary $c is not a number"; }
done
for c in sigma_drift_E1_S_m drift_linearity sigma_drift_S_m; do
    awk -v c=$c '$2 == c {bad = 1} END {exit bad}' bsum.txt || fail "the bicrystal /summary has column $c without drift runs"
done
awk '$2 == "ASR_err_ohm_m2" && !($3 > 0) {bad = 1} END {exit bad}' bsum.txt || fail "ASR error not > 0"
# ASR = L (1/sigma_across - 1/sigma_bulk) with L = 3 x 12.97 A
awk '$2 == "sigma_across_S_m" {a[$1] = $3} $2 == "sigma_bulk_S_m" {b[$1] = $3} $2 == "ASR_ohm_m2" {r[$1] = $3}
     END {for (k in r) {w = 3 * 12.97e-10 * (1 / a[k] - 1 / b[k]); if ((r[k] - w) ^ 2 > (1e-9 * w) ^ 2) exit 1}}' bsum.txt ||
    { cat bsum.txt >&2; fail "ASR_ohm_m2 is not L (1/sigma_across - 1/sigma_bulk)"; }

check "SIGINT after the first point: exit 130, status interrupted; --resume finishes with the same numbers"
sed -e 's/^temperature_K: .*/temperature_K: [300, 330, 360]/' -e 's/^  cells: .*/  cells: [2, 2, 2]/' \
    -e 's/^  replicas: .*/  replicas: 48/' -e 's/^  hops_per_li: .*/  hops_per_li: 150/' \
    -e '/drift_fields_V_m/d' -e 's/^  li_per_fu: .*/  li_per_fu: [6.4]/' bulk.yaml > slow.yaml
expect_rc 0 ref "$LIHOP" run slow.yaml -o ref.h5 --threads 2
interrupt_after int '^ *300\.00 +6\.400 +[0-9.]+e[-+][0-9]+ ' "$LIHOP" run slow.yaml -o int.h5 --threads 2
if [ "$RC" -eq 0 ]; then
    echo "  (the run finished before SIGINT took effect; resume of a complete file checked above)"
else
    [ "$RC" -eq 130 ] || { show int; fail "interrupted run exited $RC, expected 130"; }
    [ "$(attr int.h5 /metadata/status)" = interrupted ] || fail "status after SIGINT is '$(attr int.h5 /metadata/status)'"
    [ "$(attr int.h5 /points/0000000/complete)" = 1 ] || fail "/points/0 not complete after the interruption"
    expect_rc 0 resumed "$LIHOP" run slow.yaml -o int.h5 --threads 2 --resume
    grep -qE '^\* +300\.00 +6\.400 +[0-9.]+e' resumed.out || { show resumed; fail "point 0 not skipped"; }
    [ "$(attr int.h5 /metadata/status)" = complete ] || fail "status after --resume is not complete"
    # rows are in completion order; compare them sorted by point
    summary ref.h5 | sort -k1,1n -k2 > rs.txt
    summary int.h5 | sort -k1,1n -k2 > is.txt
    cmp -s rs.txt is.txt || { diff rs.txt is.txt >&2; fail "resumed /summary differs from the uninterrupted run"; }
fi

check "one SIGINT during a one-point run: exit 130 within ~1 s, status interrupted, the point not complete"
# One point of ~400 replicas (2x2x2, 410 Li, 400 hops per Li): ~5 s on 2
# threads of an idle core pair, more under load.  The SIGINT comes 1 s after
# the handler is installed, inside the replicas of the only point; before the
# engine read the flag between replicas the run finished the point and exited 0.
sed -e 's/^temperature_K: .*/temperature_K: [300]/' -e 's/^  cells: .*/  cells: [2, 2, 2]/' \
    -e 's/^  replicas: .*/  replicas: 400/' -e 's/^  hops_per_li: .*/  hops_per_li: 400/' \
    -e '/drift_fields_V_m/d' -e 's/^  li_per_fu: .*/  li_per_fu: [6.4]/' bulk.yaml > one.yaml
for want in 'temperature_K: \[300\]' 'replicas: 400' 'hops_per_li: 400' 'li_per_fu: \[6.4\]'; do
    grep -q "$want" one.yaml || fail "test setup: could not set '$want' in one.yaml"
done
grep -q drift_fields one.yaml && fail "test setup: one.yaml still has drift runs"
interrupt_running one 1 "$LIHOP" run one.yaml -o one.h5 --threads 2
[ "$RC" -eq 130 ] || { show one; fail "one-point run after SIGINT exited $RC, expected 130"; }
grep -q -- '--resume' one.err || { show one; fail "no interruption message after SIGINT"; }
[ "$(attr one.h5 /metadata/status)" = interrupted ] ||
    fail "status after SIGINT is '$(attr one.h5 /metadata/status)', expected interrupted"
[ "$(attr one.h5 /points/0000000/complete)" = 1 ] && fail "/points/0 is marked complete after the SIGINT"
echo "  ok: stopped ${STOP_S} s after the SIGINT"

check "input errors exit 2 with FILE:LINE and write no output"
sed 's/^  li_per_fu: .*/  li_per_fu: [6.4, -1]/' bulk.yaml > bad1.yaml
expect_rc 2 bad1 "$LIHOP" run bad1.yaml -o bad1.h5
line=$(grep -n '^  li_per_fu:' bad1.yaml | cut -d: -f1)
grep -qF "bad1.yaml:$line: key 'garnet.li_per_fu[1]': expected " bad1.err || { show bad1; fail "no bad1.yaml:$line message"; }
[ ! -e bad1.h5 ] || fail "bad1.h5 was created"
sed 's/^nu_Hz: .*/nu_Hz: -5/' mat.yaml > badmat.yaml
sed 's/^  material: .*/  material: badmat.yaml/' bulk.yaml > bad2.yaml
expect_rc 2 bad2 "$LIHOP" run bad2.yaml -o bad2.h5
line=$(grep -n '^nu_Hz:' badmat.yaml | cut -d: -f1)
grep -qF "badmat.yaml:$line: key 'nu_Hz': expected " bad2.err || { show bad2; fail "no badmat.yaml:$line message"; }
[ ! -e bad2.h5 ] || fail "bad2.h5 was created"
# found only with the built lattice: 9.5 Li/fu is more Li than sites (before the file exists)
sed 's/^  li_per_fu: .*/  li_per_fu: [6.4, 9.5]/' bulk.yaml > bad3.yaml
expect_rc 2 bad3 "$LIHOP" run bad3.yaml -o bad3.h5
line=$(grep -n '^  li_per_fu:' bad3.yaml | cut -d: -f1)
grep -qF "bad3.yaml:$line: key 'garnet.li_per_fu[1]': expected " bad3.err || { show bad3; fail "no bad3.yaml:$line message"; }
[ ! -e bad3.h5 ] || fail "bad3.h5 was created for a deck that cannot run"
expect_rc 2 micro "$LIHOP" micro bulk.yaml -o micro.h5
grep -q 'garnet' micro.err || { show micro; fail "micro on a garnet deck does not say why"; }

check "--backend cuda without a GPU exits 4 and writes nothing"
if "$LIHOP" --version 2>/dev/null | grep -q '^CUDA device: none'; then
    expect_rc 4 cuda "$LIHOP" run bulk.yaml -o cuda.h5 --backend cuda
    [ ! -e cuda.h5 ] || fail "cuda.h5 was created"
else
    echo "  (skipped: this machine has a CUDA device)"
fi

echo "cli_garnet: all checks passed"
