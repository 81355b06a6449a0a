#!/usr/bin/env bash
# cli_export_bpx.sh - `lihop export bpx` (README "BPX export"): exit codes and
# messages for a missing base (3), a base that is not JSON (2, FILE:LINE:COLUMN),
# a base without the Electrolyte or Cell block or with a 0.x version (2),
# results without /fits, of the garnet model or with several sweep lines and
# no --line (2), a missing --base or -o (2, usage); a failed export leaves an
# existing OUT untouched and no OUT.tmp behind; --line picks a line.  The
# numbers themselves and PyBaMM are checked by tests/interop/test_bpx_pybamm.py.
#   usage: bash tests/cli/cli_export_bpx.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup export_bpx "$@"
BASE=$SRC/configs/bpx/nmc_pouch_cell_BPX.json
DECK=$SRC/tests/interop/bpx_pic.yaml
PY=/usr/bin/python3

# edit_base OUT PYTHON-STATEMENT: the base cell with d (the parsed JSON) changed.
edit_base() { "$PY" -c "import json, sys; d = json.load(open(sys.argv[1])); $2; json.dump(d, open(sys.argv[2], 'w'))" "$BASE" "$1"; }
# refused NAME RC PATTERN ARGS...: export exits RC, says PATTERN on stderr, leaves out.json as it was.
refused() {
    local name=$1 rc=$2 pattern=$3; shift 3
    echo sentinel > out.json
    expect_rc "$rc" "$name" "$LIHOP" export bpx "$@"
    grep -qE -- "$pattern" "$name.err" || { show "$name"; fail "$name: stderr does not say /$pattern/"; }
    [ "$(cat out.json)" = sentinel ] && [ ! -e out.json.tmp ] || fail "$name: out.json changed or out.json.tmp left"
    echo "  ok: $(head -1 "$name.err" | cut -c1-150)"
}

expect_rc 0 run "$LIHOP" run "$DECK" -o pic.h5 --threads 2
sed 's/^  volume_fraction: .*/  volume_fraction: [0.1, 0.2]/' "$DECK" > two.yaml
expect_rc 0 run_two "$LIHOP" run two.yaml -o two.h5 --threads 2
sed 's/^temperature_K: .*/temperature_K: 298.15/' "$DECK" > one.yaml
expect_rc 0 run_one "$LIHOP" run one.yaml -o one.h5 --threads 2

check "a good export: exit 0, a JSON file, the values printed"
expect_rc 0 good "$LIHOP" export bpx pic.h5 --base "$BASE" -o good.json
"$PY" -c "import json; e = json.load(open('good.json'))['Parameterisation']['Electrolyte']; assert e['Conductivity [S.m-1]'] > 0" ||
    fail "good.json has no positive conductivity"
grep -qE '^good.json: Electrolyte of pic.h5 line 0 at 298.15 K: sigma [0-9.e+-]+ S/m' good.out || { show good; fail "no summary line"; }
[ ! -e good.json.tmp ] || fail "good.json.tmp left behind"
echo "  ok"

check "base file problems"
refused missing 3 "cannot read nothere.json" pic.h5 --base nothere.json -o out.json
printf '{\n  "Header": {"BPX": "1.1.0",\n    "Model": "DFN" oops\n}\n' > bad.json
refused notjson 2 "bad.json:3:[0-9]+: not valid JSON" pic.h5 --base bad.json -o out.json
printf '{"Header": {"BPX": "1.1.0"}}\n  ]' > trail.json
refused trailing 2 "trail.json:2:3: not valid JSON \(json-c: text after the end" pic.h5 --base trail.json -o out.json
edit_base noelec.json 'del d["Parameterisation"]["Electrolyte"]'
refused noelec 2 'noelec.json: no "Electrolyte" in Parameterisation' pic.h5 --base noelec.json -o out.json
edit_base nocell.json 'del d["Parameterisation"]["Cell"]'
refused nocell 2 'nocell.json: no "Cell" in Parameterisation' pic.h5 --base nocell.json -o out.json
edit_base notref.json 'del d["Parameterisation"]["Cell"]["Reference temperature [K]"]'
refused notref 2 'notref.json: no "Reference temperature \[K\]" in Parameterisation.Cell' pic.h5 --base notref.json -o out.json
edit_base v0.json 'd["Header"]["BPX"] = "0.4.0"'
refused v0 2 'v0.json: Header."BPX" is "0.4.0", expected a BPX 1.x' pic.h5 --base v0.json -o out.json

check "results problems"
refused nofits 2 "one.h5 has no /fits: the Arrhenius fit needs a sweep line with at least 3 temperatures" \
    one.h5 --base "$BASE" -o out.json
refused tworows 2 "two.h5 sweeps 2 lines; choose one with --line N \(lines: 0 volume_fraction=0.1 [^;]*; 1 volume_fraction=0.2 " \
    two.h5 --base "$BASE" -o out.json
refused noline 2 "two.h5: no line 5 in /fits" two.h5 --base "$BASE" -o out.json --line 5
cp pic.h5 interrupted.h5
"$PY" -c "import h5py; h5py.File('interrupted.h5', 'r+')['/metadata'].attrs['status'] = 'interrupted'"
refused interrupted 2 "interrupted.h5 has status 'interrupted', not 'complete': finish it with" \
    interrupted.h5 --base "$BASE" -o out.json
refused nores 3 "cannot read none.h5" none.h5 --base "$BASE" -o out.json
refused nothdf 2 "is not an HDF5 file" "$BASE" --base "$BASE" -o out.json
expect_rc 0 lattice "$LIHOP" lattice "$SRC/lattices/simple_cubic.yaml" -o lat.h5
expect_rc 0 garnet "$LIHOP" run "$SRC/tests/data/nb_garnet.yaml" -o garnet.h5 --threads 2
refused garnet 2 "garnet.h5 is a garnet results file; export bpx takes a voxel results file" garnet.h5 --base "$BASE" -o out.json
refused latfile 2 "lat.h5 is not a lihop results file" lat.h5 --base "$BASE" -o out.json

check "a reference temperature outside the fitted range: a warning, the file written"
edit_base hot.json 'd["Parameterisation"]["Cell"]["Reference temperature [K]"] = 400.0'
expect_rc 0 hot "$LIHOP" export bpx pic.h5 --base hot.json -o hot_out.json
grep -q "warning: the reference temperature 400 K is outside the fitted 273.15-348.15 K" hot.err || { show hot; fail "no warning"; }
grep -q "line 0 at 400 K" hot.out || { show hot; fail "not evaluated at 400 K"; }
echo "  ok"

check "--line picks a line: two lines, two conductivities"
expect_rc 0 line0 "$LIHOP" export bpx two.h5 --base "$BASE" -o l0.json --line 0
expect_rc 0 line1 "$LIHOP" export bpx two.h5 --base "$BASE" -o l1.json --line=1
"$PY" - <<'PY' || fail "line 0 and line 1 give the same or no conductivity"
import json
s0, s1 = (json.load(open(f))["Parameterisation"]["Electrolyte"]["Conductivity [S.m-1]"] for f in ("l0.json", "l1.json"))
assert s0 > 0 and s1 > 0 and s0 != s1, (s0, s1)
print(f"  ok: sigma(298.15 K) {s0:.4g} S/m at 10 vol% PEO, {s1:.4g} S/m at 20 vol%")
PY

check "wrong calls: usage, exit 2"
refused nobase 2 "bpx needs --base CELL.json" pic.h5 -o out.json
refused noout 2 "bpx needs -o OUT.json" pic.h5 --base "$BASE"
refused badline 2 "--line expects a sweep line number >= 0" pic.h5 --base "$BASE" -o out.json --line x
expect_rc 2 csvbase "$LIHOP" export csv pic.h5 --base "$BASE"
grep -q "are options of export bpx, not csv" csvbase.err || { show csvbase; fail "csv --base not refused"; }
expect_rc 3 unwritable "$LIHOP" export bpx pic.h5 --base "$BASE" -o /nonexistent/dir/out.json
grep -q "cannot create the lock file /nonexistent/dir/out.json.lock" unwritable.err || { show unwritable; fail "no I/O message"; }
echo "  ok"
