#!/usr/bin/env bash
# cli_export_h5md.sh - `lihop export h5md`: the H5MD 1.1 layout and units,
# walkers independent of the thread count, options before the format, the
# replay check with all walkers, one file per species, and every refusal
# (bad point, unknown species, not a results file, missing -o or --point,
# frames too far apart for minimum-image unwrapping, an unwritable output):
# exit codes and messages, and no output file left behind.
# MDAnalysis and kinisi read the files in tests/interop/test_h5md_kinisi.py.
#   usage: bash tests/cli/cli_export_h5md.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup export_h5md "$@"

# a box large enough that the walkers move less than half of it between frames
sed -e 's/box_voxels: \[12, 10, 8\]/box_voxels: [24, 22, 20]/' -e 's/asr_ohm_cm2: 9000/asr_ohm_cm2: 10/' \
    "$FIXTURE" > box.yaml
expect_rc 0 run_box "$LIHOP" run box.yaml -o res.h5 --threads 2
cp "$FIXTURE" tiny.yaml
expect_rc 0 run_tiny "$LIHOP" run tiny.yaml -o tiny.h5 --threads 2

check "export h5md --point 1: exit 0, a summary line, no temporary or lock file left"
expect_rc 0 ex1 "$LIHOP" export h5md res.h5 --point 1 -o t1.h5md --threads 1
grep -q 'species li: 400 of 400 walkers x 201 frames' ex1.out || { show ex1; fail "no summary line"; }
grep -q 'written to t1.h5md' ex1.out || { show ex1; fail "no 'written to' line"; }
[ ! -e t1.h5md.tmp ] && [ ! -e t1.h5md.lock ] || fail "a temporary or lock file was left"

check "lihop run --trajectory 1 writes OUT.point1.h5md, the same particles as export h5md --point 1"
expect_rc 0 run_traj "$LIHOP" run box.yaml -o rt.h5 --threads 2 --trajectory 1
[ -s rt.point1.h5md ] || { show run_traj; fail "no rt.point1.h5md after run --trajectory 1"; }
h5diff rt.point1.h5md t1.h5md /particles/li/position/value /particles/li/position/value >/dev/null ||
    fail "run --trajectory positions differ from export h5md --point 1"
expect_rc 2 run_traj_bad "$LIHOP" run box.yaml -o rtb.h5 --trajectory x
grep -q -- "--trajectory expects a point id >= 0, got 'x'" run_traj_bad.err || { show run_traj_bad; fail "no --trajectory error"; }
[ ! -e rtb.h5 ] || fail "a run with a bad --trajectory wrote its results file"

check "options before the format: export --force --verify h5md ... goes to the H5MD export"
expect_rc 0 ex_optfirst "$LIHOP" export --force --verify h5md res.h5 --point 1 --walkers 10 -o tf.h5md
[ -s tf.h5md ] || { show ex_optfirst; fail "no tf.h5md from options before the format"; }

check "all walkers exported (or --verify): the replay reproduces the stored D bit for bit"
grep -q 'bit for bit' ex1.out || { show ex1; fail "no replay check with all 400 walkers"; }
expect_rc 0 ex_verify "$LIHOP" export h5md res.h5 --point 0 --walkers 20 --verify -o tv.h5md
grep -q 'bit for bit' ex_verify.out || { show ex_verify; fail "--verify with 20 walkers did not check all"; }

check "H5MD 1.1: /h5md version, author, creator; box; units; shapes; species"
[ "$(attr t1.h5md /h5md/version)" = "1, 1" ] || fail "/h5md version is '$(attr t1.h5md /h5md/version)'"
[ "$(attr t1.h5md /h5md/creator/name)" = lihop ] || fail "/h5md/creator name is not lihop"
case "$(attr t1.h5md /h5md/creator/version)" in
    "$(attr res.h5 /metadata/lihop_version)"*) ;;
    *) fail "/h5md/creator version '$(attr t1.h5md /h5md/creator/version)' is not lihop's" ;;
esac
expect_rc 0 ex_author "$LIHOP" export h5md res.h5 --point 1 -o ta.h5md --author "A. Person"
[ "$(attr ta.h5md /h5md/author/name)" = "A. Person" ] || fail "--author was not written to /h5md/author name"
[ "$(attr t1.h5md /particles/li/box/dimension)" = 3 ] || fail "box dimension is not 3"
[ "$(attr t1.h5md /particles/li/box/boundary)" = 'periodic", "periodic", "periodic' ] ||
    fail "box boundary is not periodic x 3: $(attr t1.h5md /particles/li/box/boundary)"
[ "$(attr t1.h5md /particles/li/position/value/unit)" = nm ] || fail "position unit is not nm"
[ "$(attr t1.h5md /particles/li/position/time/unit)" = s ] || fail "time unit is not s"
[ "$(attr t1.h5md /particles/li/box/edges/value/unit)" = nm ] || fail "edges unit is not nm"
[ "$(dims t1.h5md /particles/li/position/value)" = "201, 400, 3" ] ||
    fail "position value is {$(dims t1.h5md /particles/li/position/value)}, expected {201, 400, 3}"
[ "$(dims t1.h5md /particles/li/image/value)" = "201, 400, 3" ] || fail "image value has the wrong shape"
[ "$(vals t1.h5md /particles/li/box/edges/value | head -3 | tr '\n' ' ')" = "240 220 200 " ] ||
    fail "box edges are not 240 220 200 nm: $(vals t1.h5md /particles/li/box/edges/value | head -3)"
[ "$(vals t1.h5md /particles/li/position/time | tail -1)" = "$(vals res.h5 /points/0000001/t_end_s | head -1)" ] ||
    fail "the last frame is not at the point's t_end_s"
[ "$(vals t1.h5md /particles/li/position/step | tail -1)" = 200 ] || fail "steps are not the frame index"

check "positions lie in the box [0, L): x in (0, 240), y in (0, 220), z in (0, 200) nm"
vals t1.h5md /particles/li/position/value | awk '{a = (NR - 1) % 3; L = a == 0 ? 240 : a == 1 ? 220 : 200;
    if ($1 <= 0 || $1 >= L) bad++} END {exit bad > 0}' || fail "a position outside the box"

check "the same walkers with 2 threads, and with the options before the format"
expect_rc 0 ex2 "$LIHOP" export --point=1 --threads 2 -o t2.h5md h5md res.h5
h5diff t1.h5md t2.h5md /particles /particles >/dev/null || fail "/particles differ between 1 and 2 threads"

check "replay windows of 64 frames: frame 200 of 401 (4th window) = frame 100 of 201 (2nd), images too"
# frame F: the [1][N][3] slab of DATASET at frame F, one value per line
frame() { { h5dump -m %.9g -d "$2" -s "$3,0,0" -c "1,400,3" -y -w0 "$1" 2>/dev/null || true; } |
    awk '/^ *DATA \{/ {f = 1; next} f && /^ *\}/ {exit} f' | tr ',' ' ' | tr -s ' ' '\n' | sed '/^$/d'; }
expect_rc 0 ex401 "$LIHOP" export h5md res.h5 --point 1 --frames 401 -o t401.h5md
for ds in position image; do
    a=$(frame t401.h5md /particles/li/$ds/value 200); b=$(frame t1.h5md /particles/li/$ds/value 100)
    [ "$(echo "$a" | wc -l)" = 1200 ] && [ "$a" = "$b" ] || fail "$ds: frame 200 of 401 differs from frame 100 of 201"
done
[ "$(frame t1.h5md /particles/li/position/value 100)" != "$(frame t1.h5md /particles/li/position/value 101)" ] ||
    fail "frames 100 and 101 are equal: the comparison above cannot fail"

check "--species tfsi writes /particles/tfsi only (one species per file)"
expect_rc 0 ex_tfsi "$LIHOP" export h5md res.h5 --point 0 --species tfsi --walkers 50 --frames 401 -o tf.h5md
h5ls tf.h5md/particles | grep -q '^tfsi ' && ! h5ls tf.h5md/particles | grep -q '^li ' ||
    fail "/particles of --species tfsi: $(h5ls tf.h5md/particles)"
grep -q '50 of 400 walkers x 401 frames' ex_tfsi.out || { show ex_tfsi; fail "no 50-walker summary"; }
! grep -q 'bit for bit' ex_tfsi.out || fail "a subset claimed the all-walker check"

# bad_export NAME WANT_RC PATTERN ARGS...: exit WANT_RC, PATTERN on stderr, no bad.h5md left
bad_export() {
    local name=$1 want=$2 pat=$3; shift 3
    expect_rc "$want" "$name" "$LIHOP" export "$@"
    grep -q -- "$pat" "$name.err" || { show "$name"; fail "$name: stderr lacks '$pat'"; }
    [ ! -e bad.h5md ] && [ ! -e bad.h5md.tmp ] || fail "$name: an output file was left behind"
}
check "refusals: bad point, unknown species, not a results file, missing -o/--point, bad numbers"
bad_export bad_point 2 "has no finished point 5 (finished points: 0, 1)" h5md res.h5 --point 5 -o bad.h5md
bad_export neg_point 2 "--point expects an integer 0..2147483647, got '-1'" h5md res.h5 --point -1 -o bad.h5md
bad_export bad_species 2 "unknown species 'na' (the file's species: li, tfsi)" h5md res.h5 --point 0 --species na -o bad.h5md
bad_export no_out 2 "h5md: missing -o OUT.h5md" h5md res.h5 --point 0
grep -q '^usage: lihop export' no_out.err || fail "missing -o does not print the usage"
bad_export no_point 2 "h5md: missing --point K" h5md res.h5 -o bad.h5md
bad_export no_file 2 "missing RESULTS.h5" h5md --point 0 -o bad.h5md
bad_export one_frame 2 "--frames expects an integer 2..100000, got '1'" h5md res.h5 --point 0 --frames 1 -o bad.h5md
bad_export many_walkers 2 "--walkers 401: point 0 has only 400 walkers of 'li'" h5md res.h5 --point 0 --walkers 401 -o bad.h5md
expect_rc 0 micro "$LIHOP" micro box.yaml -o micro.h5
bad_export micro_file 2 "micro.h5 is not a lihop results file" h5md micro.h5 --point 0 -o bad.h5md
echo "not hdf5" > text.h5
bad_export text_file 2 "text.h5 is not an HDF5 file" h5md text.h5 --point 0 -o bad.h5md
bad_export missing_file 3 "cannot read nothere.h5" h5md nothere.h5 --point 0 -o bad.h5md

check "frames too far apart for minimum-image unwrapping: exit 2, says so, writes nothing"
bad_export far_frames 2 "frames too far apart: a particle moved" h5md tiny.h5 --point 0 --frames 2 -o bad.h5md
expect_rc 0 forced "$LIHOP" export h5md tiny.h5 --point 0 --frames 2 --force -o forced.h5md
grep -q "warning: frames too far apart" forced.err && [ -f forced.h5md ] ||
    { show forced; fail "--force did not write the file with a warning"; }

check "garnet: one replica's Li on 65 frames, --verify replays every replica's hops; its refusals"
sed "s#^lattice: .*#lattice: $SRC/lattices/llzo_cubic.yaml#" "$SRC/tests/data/garnet_material.yaml" > mat.yaml
printf 'model: garnet\nbackend: cpu\nseed: 5\ntemperature_K: 400\ngarnet:\n  material: mat.yaml\n  cells: [1, 1, 1]\n  li_per_fu: 6.4\nrun:\n  replicas: 8\n  hops_per_li: 10\n  equil_hops_per_li: 2\n' > garnet.yaml
expect_rc 0 run_garnet "$LIHOP" run garnet.yaml -o garnet.h5 --threads 1
expect_rc 0 ex_garnet "$LIHOP" export h5md garnet.h5 --point 0 --replica 3 --verify -o g.h5md
nli=$(attr garnet.h5 /points/0000000/nli)
[ "$(dims g.h5md /particles/li/position/value)" = "65, $nli, 3" ] ||
    fail "garnet position value is {$(dims g.h5md /particles/li/position/value)}, expected {65, $nli, 3}"
[ "$(attr g.h5md /parameters/lihop/replica)" = 3 ] && [ "$(attr g.h5md /parameters/lihop/model)" = garnet ] ||
    fail "garnet provenance: replica '$(attr g.h5md /parameters/lihop/replica)'"
grep -q "all 8 replicas replayed make the stored $(vals garnet.h5 /points/0000000/hops | head -1) hops, bit for bit" ex_garnet.out ||
    { show ex_garnet; fail "no garnet replay check"; }
awk -v a="$(vals g.h5md /particles/li/position/time | tail -1)" -v b="$(attr garnet.h5 /points/0000000/t_end_s)" \
    'BEGIN {exit !(a > 0 && (a - b) / a < 1e-5 && (b - a) / a < 1e-5)}' ||
    fail "the last garnet frame is not at the point's t_end_s (h5dump's 6 digits)"
bad_export garnet_replica 2 "--replica 8: point 0 has replicas 0..7" h5md garnet.h5 --point 0 --replica 8 -o bad.h5md
bad_export garnet_frames 2 "garnet: --frames must be 2..65" h5md garnet.h5 --point 0 --frames 66 -o bad.h5md
bad_export garnet_walkers 2 "--walkers is for voxel results files" h5md garnet.h5 --point 0 --walkers 5 -o bad.h5md
bad_export garnet_species 2 "unknown species 'tfsi' (the file's species: li)" h5md garnet.h5 --point 0 --species tfsi -o bad.h5md
bad_export voxel_replica 2 "--replica is for garnet results files" h5md res.h5 --point 0 --replica 1 -o bad.h5md
! grep -q HDF5-DIAG ./*.err || fail "HDF5 diagnostics on stderr"

check "an output that cannot be written: exit 3, nothing left"
bad_export no_dir 3 "nodir/bad.h5md" h5md res.h5 --point 0 -o nodir/bad.h5md

check "lihop help export lists the h5md options"
expect_rc 0 help "$LIHOP" help export
for w in h5md --point --species --walkers --frames --author --force --replica --verify; do
    grep -q -- "$w" help.out || fail "help export lacks $w"
done
echo "PASS"
