#!/usr/bin/env bash
# cli_handoff.sh - the garnet-to-voxel hand-off end to end (README "From atoms
# to a membrane"): tiny garnet bulk and bicrystal runs (tests/data/handoff),
# then voxel decks whose LLZO phase and boundary come `from_garnet`:
#   - `lihop handoff` prints exactly the garnet file's /arrhenius fit (1e-9)
#     and the garnet Li density, and its pasted YAML runs to the same numbers;
#   - a uniform box's exact sigma is the fit's A exp(-Ea/kT) (1e-9), its KMC
#     sigma within 4 standard errors of that, and the fit within 3 garnet
#     standard errors of each garnet point;
#   - a laminate with the handed-off ASR: exact sigma_xx is the series law
#     1/(1/sigma + 2 ASR(T)/L_x) with ASR(T) from /metadata/interfaces (1e-9)
#     and, with one boundary per garnet period, the garnet's own sigma across
#     the boundary within 3 of its standard errors;
#   - law: table: the uniform box's exact sigma is each garnet point's sigma and
#     the laminate's the series law of the garnet sigma and ASR (1e-9);
#   - /metadata/phases/from_garnet and /metadata/interfaces name the files;
#   - asr_law_ohm_cm2 constant gives the exact sigma of asr_ohm_cm2;
#   - errors (exit 2 naming deck:line and key, or exit 3): missing, non-HDF5,
#     non-garnet, bulk/bicrystal swapped, too few temperatures, Li content,
#     both keys, faces_per_boundary, asr_law without Ea_eV.
#   usage: bash tests/cli/cli_handoff.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup handoff "$@"

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"
sed "s#^lattice: .*#lattice: $SRC/lattices/llzo_cubic.yaml#" "$SRC/tests/data/garnet_material.yaml" > mat.yaml
cp "$SRC"/tests/data/handoff/*.yaml .
KB=8.617333262e-5
# col FILE NAME: one /summary column, one value per row
col() { summary "$1" | awk -v c="$2" '$2 == c {print $3}'; }
# arr FILE NAME: one /arrhenius column (first row)
arr() { h5dump -m %.17g -d /arrhenius "$1" | awk -v c="$2" '
    /H5T_COMPOUND/ {cmp = 1; next} cmp && /^ *\}/ {cmp = 0; next}
    cmp {n = $2; gsub(/[";]/, "", n); name[++nf] = n; next}
    /^ *DATA \{/ {d = 1; next}
    d && /^ *[-+0-9.eE]+,?$/ {k++; v = $1; sub(/,$/, "", v); if (name[k] == c) {print v; exit}}'; }
# close A B REL: |A - B| <= REL |B|
close() { awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN {d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(d <= r * m)}'; }

check "tiny garnet bulk and bicrystal runs at 300, 350, 400 K"
expect_rc 0 gbulk "$LIHOP" run garnet_bulk.yaml -o bulk.h5 --threads 2
expect_rc 0 ggb "$LIHOP" run garnet_gb.yaml -o gb.h5 --threads 2

check "lihop handoff prints the garnet /arrhenius fit (ln sigma) and Li density, 1e-9"
expect_rc 0 ho "$LIHOP" handoff bulk.h5 gb.h5
A=$(sed -n 's/.*sigma_S_cm: {law: arrhenius, prefactor: \([^,]*\), Ea_eV: \([^}]*\)}.*/\1/p' ho.out)
EA=$(sed -n 's/.*sigma_S_cm: {law: arrhenius, prefactor: \([^,]*\), Ea_eV: \([^}]*\)}.*/\2/p' ho.out)
[ -n "$A" ] && [ -n "$EA" ] || { show ho; fail "no sigma_S_cm law in the handoff output"; }
A_file=$(arr bulk.h5 A_sigma_S_m); EA_file=$(arr bulk.h5 Ea_sigma_eV)
close "$A" "$(awk -v a="$A_file" 'BEGIN {printf "%.17g", a / 100}')" 1e-9 || fail "prefactor $A S/cm, /arrhenius $A_file S/m"
close "$EA" "$EA_file" 1e-9 || fail "Ea $EA eV, /arrhenius $EA_file eV"
CONC=$(sed -n 's/.*concentration_mol_L: \([0-9.e+-]*\).*/\1/p' ho.out)
NLI=$(h5dump -m %.17g -d /points/0000000/n_li_m3 bulk.h5 | sed -n "s/^ *(0): //p")
close "$CONC" "$(awk -v n="$NLI" 'BEGIN {printf "%.17g", n / 6.02214076e26}')" 1e-11 || fail "concentration $CONC mol/L, garnet n_li $NLI 1/m^3"
grep -q 'asr_law_ohm_cm2: {law: arrhenius, prefactor: ' ho.out || { show ho; fail "no interface ASR law"; }
expect_rc 0 ho_o "$LIHOP" handoff bulk.h5 -o phases.yaml
grep -q '^phases:' phases.yaml && ! grep -q '^interfaces:' phases.yaml || fail "-o phases.yaml: want the phase block only"

check "uniform box from_garnet: exact sigma = A exp(-Ea/kT) (1e-9), KMC within 4 std. errors"
expect_rc 0 uni "$LIHOP" run uniform.yaml -o uni.h5 --threads 2
paste <(col uni.h5 T_K) <(col uni.h5 sigma_exact_S_m) <(col uni.h5 sigma_S_m) <(col uni.h5 sigma_err_S_m) |
    awk -v A="$A" -v E="$EA" -v kb=$KB '{
        s = 100 * A * exp(-E / (kb * $1)); d = $2 - s; if (d < 0) d = -d
        if (d > 1e-9 * s) {print "T " $1 ": exact " $2 ", law " s; bad = 1}
        z = ($3 - s) / $4; if (z > 4 || z < -4) {print "T " $1 ": KMC " $3 " +- " $4 ", law " s; bad = 1}
        n++} END {exit bad || n != 3}' || fail "uniform box sigma is not the garnet fit"
check "the fit passes within 3 garnet standard errors of each garnet point"
paste <(col bulk.h5 T_K) <(col bulk.h5 sigma_S_m) <(col bulk.h5 sigma_err_S_m) |
    awk -v A="$A" -v E="$EA" -v kb=$KB '{s = 100 * A * exp(-E / (kb * $1)); z = ($2 - s) / $3
        if (z > 3 || z < -3) {print "T " $1 ": garnet " $2 " +- " $3 ", fit " s; bad = 1}} END {exit bad}' ||
    fail "the Arrhenius fit misses the garnet points"
grep -q "results: $WORK/bulk.h5 (garnet bulk, git_describe .*, seed 5, status complete); li_per_fu 6.4, 3 temperatures 300-400 K" \
    <(h5dump -d /metadata/phases/from_garnet uni.h5) || fail "/metadata/phases/from_garnet does not name bulk.h5 and its seed"

check "laminate with the handed-off ASR: series law (1e-9) and the garnet's sigma across (3 std. errors)"
expect_rc 0 lam "$LIHOP" run laminate.yaml -o lam.h5 --threads 2
h5dump -d /metadata/interfaces/asr_law lam.h5 | grep -q '"arrhenius"' || fail "/metadata/interfaces/asr_law is not arrhenius"
A0=$(vals lam.h5 /metadata/interfaces/asr0_ohm_m2); EB=$(vals lam.h5 /metadata/interfaces/asr_Ea_eV)
h5dump -d /metadata/interfaces/from_garnet lam.h5 | grep -q "results: $WORK/gb.h5 (garnet bicrystal" ||
    fail "/metadata/interfaces/from_garnet does not name gb.h5"
A0_ho=$(sed -n 's/.*asr_law_ohm_cm2: {law: arrhenius, prefactor: \([^,]*\),.*/\1/p' ho.out)
close "$A0_ho" "$(awk -v a="$A0" 'BEGIN {printf "%.17g", a * 1e4}')" 1e-9 || fail "handoff ASR0 $A0_ho ohm cm^2, deck $A0 ohm m^2"
LX=$(awk 'BEGIN {printf "%.17g", 8 * 9.7275e-10}')
for k in 0 1 2; do
    T=$(attr lam.h5 /points/$(printf %07d $k)/T_K)
    sx=$(vals lam.h5 /points/$(printf %07d $k)/sigma_exact_S_m | head -1)
    awk -v T="$T" -v sx="$sx" -v A="$A" -v E="$EA" -v a0="$A0" -v eb="$EB" -v L="$LX" -v kb=$KB 'BEGIN {
        s = 100 * A * exp(-E / (kb * T)); asr = a0 * exp(eb / (kb * T)); want = 1 / (1 / s + 2 * asr / L)
        d = sx - want; if (d < 0) d = -d; exit !(d <= 1e-9 * want)}' || fail "T $T: sigma_xx exact $sx is not the series law"
done
paste <(col gb.h5 T_K) <(col gb.h5 sigma_across_S_m) <(col gb.h5 sigma_across_err_S_m) > across.txt
for k in 0 1 2; do
    T=$(attr lam.h5 /points/$(printf %07d $k)/T_K); sx=$(vals lam.h5 /points/$(printf %07d $k)/sigma_exact_S_m | head -1)
    awk -v T="$T" -v sx="$sx" '$1 == T {z = (sx - $2) / $3; printf "  T %g: voxel %.4e, garnet across %.4e +- %.2e (z %.2f)\n", T, sx, $2, $3, z
        found = 1; if (z > 3 || z < -3) bad = 1} END {exit bad || !found}' across.txt ||
        fail "T $T: the laminate does not reproduce the garnet bicrystal's sigma across"
done

check "law: table: the garnet points themselves: uniform sigma = garnet sigma, laminate = series law of garnet sigma and ASR (1e-9)"
sed 's/{results: bulk.h5}/{results: bulk.h5, law: table}/' uniform.yaml > unit.yaml
expect_rc 0 unit "$LIHOP" run unit.yaml -o unit.h5 --threads 2
paste <(col unit.h5 T_K) <(col unit.h5 sigma_exact_S_m) > ut.txt
paste <(col bulk.h5 T_K) <(col bulk.h5 sigma_S_m) | awk 'NR == FNR {s[$1] = $2; next}
    {d = $2 - s[$1]; if (d < 0) d = -d; if (!($1 in s) || d > 1e-9 * s[$1]) bad = 1; n++} END {exit bad || n != 3}' - ut.txt ||
    fail "law table: the uniform box is not the garnet sigma"
sed 's/{results: bulk.h5}/{results: bulk.h5, law: table}/; s/{results: gb.h5}/{results: gb.h5, law: table}/' laminate.yaml > lamt.yaml
expect_rc 0 lamt "$LIHOP" run lamt.yaml -o lamt.h5 --threads 2
h5dump -d /metadata/interfaces/asr_law lamt.h5 | grep -q '"table"' || fail "/metadata/interfaces/asr_law is not table"
paste <(col bulk.h5 T_K) <(col bulk.h5 sigma_S_m) <(col gb.h5 ASR_ohm_m2) > garnet.txt
for k in 0 1 2; do
    T=$(attr lamt.h5 /points/$(printf %07d $k)/T_K); sx=$(vals lamt.h5 /points/$(printf %07d $k)/sigma_exact_S_m | head -1)
    awk -v T="$T" -v sx="$sx" -v L="$LX" '$1 == T {want = 1 / (1 / $2 + 2 * $3 / L); d = sx - want; if (d < 0) d = -d
        found = 1; if (d > 1e-9 * want) bad = 1} END {exit bad || !found}' garnet.txt ||
        fail "law table, T $T: sigma_xx exact $sx is not the series law of the garnet points"
done

check "the pasted lihop handoff YAML runs to the same exact sigma as from_garnet (1e-9)"
{ sed -n '/^model/,/^phases:/p' laminate.yaml | sed '$d'
  echo "phases:"
  for name in llzo llzo_b; do sed -n '/^phases:/,/^interfaces:/p' ho.out | sed '1d;$d' | sed "s/name: llzo /name: $name /"; done
  sed -n '/^interfaces:/,$p' ho.out | sed 's/phases: \[llzo, gb\]/phases: [llzo, llzo_b]/'
  sed -n '/^microstructure:/,$p' laminate.yaml; } > pasted.yaml
expect_rc 0 pasted "$LIHOP" run pasted.yaml -o pasted.h5 --threads 2
paste <(col lam.h5 sigma_exact_S_m) <(col pasted.h5 sigma_exact_S_m) |
    awk '{d = $1 - $2; if (d < 0) d = -d; if (d > 1e-9 * $1) bad = 1; n++} END {exit bad || n != 3}' ||
    { cat pasted.yaml; fail "the pasted YAML gives other numbers"; }

check "asr_law_ohm_cm2 constant gives the exact sigma of asr_ohm_cm2 (the KMC differs: a value is a stream coordinate)"
sed 's/from_garnet: {results: gb.h5}/asr_ohm_cm2: 0.05/' laminate.yaml > c1.yaml
sed 's/from_garnet: {results: gb.h5}/asr_law_ohm_cm2: {law: constant, prefactor: 0.05}/' laminate.yaml > c2.yaml
expect_rc 0 c1 "$LIHOP" run c1.yaml -o c1.h5 --threads 2
expect_rc 0 c2 "$LIHOP" run c2.yaml -o c2.h5 --threads 2
[ "$(col c1.h5 sigma_exact_S_m)" = "$(col c2.h5 sigma_exact_S_m)" ] || fail "constant law and asr_ohm_cm2 differ"

check "errors: exit 2 naming deck:line and key (or exit 3 for lihop handoff on a missing file)"
# bad NAME SED PATTERN: the uniform/laminate deck edited by SED must exit 2 with PATTERN on stderr
# The last step of the worked example (configs/atoms_to_membrane): the membrane
# made of garnet numbers goes into a cell as BPX. 300-400 K brackets nothing at
# the base cell's 298.15 K, so the export warns of the 1.85 K extrapolation.
check "atoms -> membrane -> BPX: the laminate's /fits sigma at 298.15 K is the BPX conductivity (1e-9)"
expect_rc 0 bpx "$LIHOP" export bpx lam.h5 --base "$SRC/configs/bpx/nmc_pouch_cell_BPX.json" -o cell.json
grep -q "outside the fitted 300-400 K" bpx.err || { show bpx; fail "no extrapolation warning"; }
SIG=$(sed -n 's/.*Electrolyte of lam.h5 line 0 at 298.15 K: sigma \([^ ]*\) S\/m.*/\1/p' bpx.out)
/usr/bin/python3 - "$SIG" <<'PY' || fail "BPX conductivity is not the laminate's fitted sigma at 298.15 K"
import json, math, sys, h5py
sig = float(sys.argv[1])
doc = json.load(open("cell.json"))
bpx = doc["Parameterisation"]["Electrolyte"]["Conductivity [S.m-1]"]
f = h5py.File("lam.h5", "r")["fits"][()]
row = f[f["species"] == -1][0]
want = row["A_sigma_S_m"] * math.exp(-row["Ea_sigma_eV"] / (8.617333262e-5 * 298.15))
print(f"  BPX conductivity {bpx:.6g} S/m, printed {sig:.6g}, fit {want:.6g}")
sys.exit(0 if abs(bpx - want) <= 1e-9 * want and abs(sig - bpx) <= 1e-5 * bpx else 1)
PY

bad() {
    local name=$1 deck=$2 ed=$3 pat=$4
    sed "$ed" "$deck" > "$name.yaml"
    expect_rc 2 "$name" "$LIHOP" run "$name.yaml" -o "$name.h5"
    grep -qE "$pat" "$name.err" || { show "$name"; fail "$name: stderr lacks '$pat'"; }
    [ ! -e "$name.h5" ] || fail "$name: an output file was written"
}
echo "not hdf5" > junk.h5
bad missing uniform.yaml 's/bulk.h5/nothere.h5/' "^lihop: error: missing.yaml:11: key 'phases\[0\]\.from_garnet\.results': expected a readable garnet results file, got 'nothere.h5'"
bad nothdf5 uniform.yaml 's/bulk.h5/junk.h5/' "nothdf5.yaml:11: .*junk.h5: not an HDF5 file"
bad voxelres uniform.yaml 's/bulk.h5/uni.h5/' "voxelres.yaml:11: .*not garnet results \(model 'voxel'"
bad swapped uniform.yaml 's/bulk.h5/gb.h5/' "swapped.yaml:11: key 'phases\[0\].from_garnet.results': expected garnet bulk results .*got a bicrystal's"
bad swapped2 laminate.yaml 's/results: gb.h5/results: bulk.h5/' "swapped2.yaml:18: key 'interfaces\[0\].from_garnet.results': expected garnet bicrystal results"
bad li uniform.yaml 's/{results: bulk.h5}/{results: bulk.h5, li_per_fu: 6.8}/' "li.yaml:11: .*expected a Li content of the file \(6.4\), got li_per_fu 6.8"
bad both uniform.yaml 's/^    from_garnet: {results: bulk.h5}/    from_garnet: {results: bulk.h5}\n    carriers: []/' "both.yaml:12: key 'phases\[0\].carriers': expected either from_garnet or carriers"
bad two laminate.yaml 's/from_garnet: {results: gb.h5}/from_garnet: {results: gb.h5}\n    asr_ohm_cm2: 1/' "two.yaml:18: key 'interfaces\[0\].from_garnet': expected exactly one of asr_ohm_cm2, asr_law_ohm_cm2, from_garnet, got both asr_ohm_cm2 and from_garnet"
bad faces laminate.yaml 's/{results: gb.h5}/{results: gb.h5, faces_per_boundary: 3}/' "faces.yaml:18: key 'interfaces\[0\].from_garnet.faces_per_boundary': expected 1 .* or 2"
bad tableT uniform.yaml 's/{results: bulk.h5}/{results: bulk.h5, law: table}/; s/temperature_K: \[300, 350, 400\]/temperature_K: [300, 450]/' "tableT.yaml:11: key 'phases\[0\].from_garnet.law': expected every temperature within the garnet's 300-400 K for law 'table' .*got temperature_K\[1\] = 450 K"
bad noea laminate.yaml 's/from_garnet: {results: gb.h5}/asr_law_ohm_cm2: {law: arrhenius, prefactor: 1}/' "noea.yaml:18: key 'interfaces\[0\].asr_law_ohm_cm2.Ea_eV': expected a value"
sed 's/temperature_K: \[300, 350, 400\]/temperature_K: [300, 400]/' garnet_bulk.yaml > g2.yaml
expect_rc 0 g2 "$LIHOP" run g2.yaml -o two_t.h5 --threads 2
bad fewT uniform.yaml 's/bulk.h5/two_t.h5/' "fewT.yaml:11: key 'phases\[0\].from_garnet.results': expected at least 3 temperatures for an Arrhenius fit, got 2"
expect_rc 3 ho_missing "$LIHOP" handoff nothere.h5
grep -q "nothere.h5: cannot be read" ho_missing.err || { show ho_missing; fail "no message for a missing file"; }
expect_rc 2 ho_swapped "$LIHOP" handoff gb.h5
grep -q "expected garnet bulk results" ho_swapped.err || { show ho_swapped; fail "handoff of a bicrystal as bulk"; }
[ ! -s ho_swapped.out ] || fail "handoff printed YAML before failing"
echo sentinel > keep.yaml
expect_rc 3 ho_keep "$LIHOP" handoff nothere.h5 -o keep.yaml
[ "$(cat keep.yaml)" = sentinel ] && [ ! -e keep.yaml.tmp ] && [ ! -e keep.yaml.lock ] ||
    fail "a failed handoff -o changed the existing keep.yaml or left its .tmp/.lock"
expect_rc 2 ho_usage "$LIHOP" handoff
grep -q "lihop: error: handoff: missing BULK.h5" ho_usage.err || { show ho_usage; fail "no usage error"; }
check "--resume: accepted with the same garnet results, refused once they are rerun with another seed"
expect_rc 0 resume_same "$LIHOP" run uniform.yaml -o uni.h5 --resume --threads 2
sed 's/^seed: 5/seed: 6/' garnet_bulk.yaml > garnet_bulk6.yaml
expect_rc 0 gbulk6 "$LIHOP" run garnet_bulk6.yaml -o bulk.h5 --overwrite --threads 2
expect_rc 2 resume_changed "$LIHOP" run uniform.yaml -o uni.h5 --resume --threads 2
grep -q "cannot resume: phase 'llzo' takes its transport from_garnet and the garnet results behind it changed" \
    resume_changed.err || { show resume_changed; fail "no refusal to resume with changed garnet results"; }
echo "cli_handoff: all checks passed"
