#!/usr/bin/env bash
# cli_micro.sh - `lihop micro CONFIG -o OUT.h5`: the phase grid and its XDMF
# sidecar, [z][y][x] order, exact laminate counts, determinism and agreement
# with the microstructure stored by `lihop run`, and its exit codes.
#   usage: bash tests/cli/cli_micro.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup micro "$@"

# laminate NAME BOX AXIS: a two-phase laminate deck, llzo 0.25 then peo 0.75.
laminate() {
    cat > "$1.yaml" <<EOF
model: voxel
seed: 1
temperature_K: [300]
species:
  - {name: li, charge: 1}
phases:
  - name: llzo
    carriers:
      - {species: li, concentration_mol_L: 38.97, D_cm2_s: {law: arrhenius, prefactor: 3.72e-4, Ea_eV: 0.28}}
  - name: peo
    carriers:
      - {species: li, concentration_mol_L: 1.11, D_cm2_s: {law: constant, prefactor: 1.0e-8}}
microstructure:
  box_voxels: $2
  voxel_size_m: 1.0e-6
  generator: laminate
  axis: $3
  layers:
    - {phase: llzo, fraction: 0.25}
    - {phase: peo, fraction: 0.75}
run:
  walkers: 100
  hops_per_walker: 100
  samples: 4
  batches: 2
EOF
}

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"

check "laminate along x, box x,y,z = 8,6,4: exit 0, writes m.h5 and m.h5.xdmf"
laminate lamx '[8, 6, 4]' x
expect_rc 0 lamx "$LIHOP" micro lamx.yaml -o m.h5
[ -f m.h5 ] || fail "m.h5 was not written"
[ -f m.h5.xdmf ] || fail "m.h5.xdmf was not written"
grep -q 'm.h5.xdmf' lamx.out || { show lamx; fail "the output does not mention the XDMF sidecar"; }

check "m.h5 /metadata: provenance (version, git describe, command line, creation time); not in the XDMF grid"
ver=$("$LIHOP" --version | sed -n '1s/^lihop \([^ ]*\) (\(.*\))$/\1 \2/p')
[ "$(attr m.h5 /metadata/file_kind)" = microstructure ] || fail "/metadata file_kind is '$(attr m.h5 /metadata/file_kind)'"
[ "$(attr m.h5 /metadata/lihop_version) $(attr m.h5 /metadata/git_describe)" = "$ver" ] ||
    fail "/metadata lihop_version, git_describe '$(attr m.h5 /metadata/lihop_version) $(attr m.h5 /metadata/git_describe)', --version says '$ver'"
[ "$(attr m.h5 /metadata/command_line)" = "lihop micro lamx.yaml -o m.h5" ] ||
    fail "/metadata command_line is '$(attr m.h5 /metadata/command_line)'"
attr m.h5 /metadata/created | grep -qE '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z$' ||
    fail "/metadata created is '$(attr m.h5 /metadata/created)', not ISO 8601 UTC"
grep -q metadata m.h5.xdmf && fail "the XDMF sidecar lists /metadata"

check "/phase is uint8 with dims [z][y][x] = 4, 6, 8 and the micro attributes"
[ "$(dims m.h5 /phase)" = "4, 6, 8" ] || fail "/phase dims are '$(dims m.h5 /phase)', expected '4, 6, 8'"
h5dump -H -d /phase m.h5 | grep -q 'H5T_STD_U8LE' || fail "/phase is not uint8"
[ "$(attr m.h5 /phase/voxel_size_m)" = 1e-06 ] || fail "/phase voxel_size_m is '$(attr m.h5 /phase/voxel_size_m)'"
h5dump -a /phase/phase_names m.h5 | grep -q '"llzo", "peo"' || fail "/phase phase_names is not [llzo, peo]"

check "laminate 0.25/0.75 gives exactly 48 llzo and 144 peo voxels, llzo where x < 2"
vals m.h5 /phase > px.txt
[ "$(wc -l < px.txt)" -eq 192 ] || fail "/phase has $(wc -l < px.txt) values, expected 192"
[ "$(grep -cx 0 px.txt || true)" -eq 48 ] || fail "$(grep -cx 0 px.txt || true) llzo (0) voxels, expected 48"
[ "$(grep -cx 1 px.txt || true)" -eq 144 ] || fail "$(grep -cx 1 px.txt || true) peo (1) voxels, expected 144"
awk '{x = (NR - 1) % 8; if (($1 == 0) != (x < 2)) bad++} END {exit bad > 0}' px.txt ||
    fail "the llzo layer is not at x = 0, 1 (x must be the fastest index)"
grep -q 'llzo *volume fraction 0.2500' lamx.out || { show lamx; fail "printed llzo fraction is not 0.2500"; }
grep -q 'peo *volume fraction 0.7500' lamx.out || { show lamx; fail "printed peo fraction is not 0.7500"; }

check "the XDMF sidecar points at m.h5:/phase with cell dims 4 6 8 and node dims 5 7 9"
grep -q '>m.h5:/phase<' m.h5.xdmf || fail "m.h5.xdmf does not reference m.h5:/phase"
grep -q 'DataItem Dimensions="4 6 8"' m.h5.xdmf || fail "m.h5.xdmf data dims are not '4 6 8'"
grep -q 'Topology TopologyType="3DCoRectMesh" Dimensions="5 7 9"' m.h5.xdmf || fail "m.h5.xdmf topology is not 5 7 9 nodes"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' m.h5.xdmf 2>/dev/null || fail "m.h5.xdmf is not well-formed XML"

check "percolation of the x laminate: each phase wraps along y and z only; the llzo|peo interface network too"
[ "$(vals m.h5 /percolation/phase_spans | tr '\n' ' ')" = "0 1 1 0 1 1 " ] ||
    fail "/percolation/phase_spans is '$(vals m.h5 /percolation/phase_spans | tr '\n' ' ')', expected 0 1 1 0 1 1"
[ "$(vals m.h5 /percolation/interface_pairs | tr '\n' ' ')" = "0 1 " ] || fail "/percolation/interface_pairs is not [[0, 1]]"
[ "$(vals m.h5 /percolation/interface_spans | tr '\n' ' ')" = "0 1 1 " ] || fail "/percolation/interface_spans is not [[0, 1, 1]]"
[ "$(vals m.h5 /percolation/phase_largest_cluster_fraction | tr '\n' ' ')" = "1 1 " ] ||
    fail "a laminate phase is one cluster: phase_largest_cluster_fraction is not 1 1"
# llzo x = 0,1, peo x = 2..7: interface voxels x = 7, 0, 1, 2: one sheet through the periodic face
[ "$(vals m.h5 /percolation/interface_nclusters)" = 1 ] || fail "interface_nclusters is '$(vals m.h5 /percolation/interface_nclusters)', expected 1"
grep -q '^percolates: llzo yz, peo yz, llzo|peo interface yz' lamx.out || { show lamx; fail "no 'percolates:' line for the laminate"; }
grep -q '<Information Name="phase 0" Value="llzo"/>' m.h5.xdmf || fail "m.h5.xdmf does not name phase 0 llzo"
grep -q '<Information Name="phase 1" Value="peo"/>' m.h5.xdmf || fail "m.h5.xdmf does not name phase 1 peo"
[ "$(grep -c '<Attribute ' m.h5.xdmf)" -eq 1 ] || fail "m.h5.xdmf lists $(grep -c '<Attribute ' m.h5.xdmf) attributes, expected phase only (no grains)"

check "laminate along z, box 4,4,8: 32 llzo voxels in the first two z planes (z is the slowest index)"
laminate lamz '[4, 4, 8]' z
expect_rc 0 lamz "$LIHOP" micro lamz.yaml -o mz.h5
[ "$(dims mz.h5 /phase)" = "8, 4, 4" ] || fail "/phase dims are '$(dims mz.h5 /phase)', expected '8, 4, 4'"
vals mz.h5 /phase > pz.txt
[ "$(grep -cx 0 pz.txt || true)" -eq 32 ] || fail "$(grep -cx 0 pz.txt || true) llzo voxels, expected 32"
[ "$(grep -cx 1 pz.txt || true)" -eq 96 ] || fail "$(grep -cx 1 pz.txt || true) peo voxels, expected 96"
awk '{z = int((NR - 1) / 16); if (($1 == 0) != (z < 2)) bad++} END {exit bad > 0}' pz.txt ||
    fail "the llzo layer is not at z = 0, 1"

check "spheres (tests/data/cli_tiny.yaml): dims 8, 10, 12; deterministic; equal to what lihop run stores"
cp "$FIXTURE" tiny.yaml
expect_rc 0 sph1 "$LIHOP" micro tiny.yaml -o s1.h5
expect_rc 0 sph2 "$LIHOP" micro tiny.yaml -o s2.h5
[ "$(dims s1.h5 /phase)" = "8, 10, 12" ] || fail "/phase dims are '$(dims s1.h5 /phase)', expected '8, 10, 12'"
vals s1.h5 /phase > s1.txt
vals s2.h5 /phase > s2.txt
[ "$(wc -l < s1.txt)" -eq 960 ] || fail "/phase has $(wc -l < s1.txt) values, expected 960"
nfill=$(grep -cx 1 s1.txt || true)
[ "$nfill" -gt 0 ] && [ "$nfill" -lt 480 ] || fail "$nfill llzo voxels of 960 for volume_fraction 0.16"
cmp -s s1.txt s2.txt || fail "two micro runs of the same config differ"
expect_rc 0 run "$LIHOP" run tiny.yaml -o r.h5
vals r.h5 /microstructure/phase > r.txt
cmp -s s1.txt r.txt || fail "lihop micro and lihop run built different microstructures"
for d in phase_spans phase_largest_cluster_fraction interface_pairs interface_spans; do
    [ "$(vals r.h5 /microstructure/percolation/$d)" = "$(vals s1.h5 /percolation/$d)" ] ||
        fail "/microstructure/percolation/$d of lihop run differs from /percolation/$d of lihop micro"
done
[ -n "$(vals r.h5 /microstructure/percolation/phase_spans)" ] || fail "lihop run stored no /microstructure/percolation"
grep -q '^percolates: ' run.out || { show run; fail "lihop run printed no 'percolates:' line"; }

check "exit codes: no -o (2), missing config (3), unwritable output (3), bad config (2, no output)"
expect_rc 2 noo "$LIHOP" micro lamx.yaml
expect_rc 3 nocfg "$LIHOP" micro nope.yaml -o n.h5
grep -q 'nope.yaml' nocfg.err || { show nocfg; fail "the message does not name the missing config"; }
[ ! -e n.h5 ] || fail "n.h5 was created for a missing config"
expect_rc 3 nodir "$LIHOP" micro lamx.yaml -o no/such/dir/m.h5
sed 's/fraction: 0.75}/fraction: 0.85}/' lamx.yaml > badfrac.yaml
cmp -s lamx.yaml badfrac.yaml && fail "test setup: could not edit the layer fraction"
expect_rc 2 badfrac "$LIHOP" micro badfrac.yaml -o bad.h5
line=$(grep -n '^  layers:' badfrac.yaml | cut -d: -f1)
grep -qF "lihop: error: badfrac.yaml:$line: key 'microstructure.layers': expected " badfrac.err ||
    { show badfrac; fail "no 'badfrac.yaml:$line: key 'microstructure.layers': expected' for fractions summing to 1.1"; }
[ ! -e bad.h5 ] && [ ! -e bad.h5.xdmf ] || fail "micro wrote output for a bad config"

echo "cli_micro: all checks passed"
