#!/usr/bin/env bash
# cli_run.sh - `lihop run` end to end on a tiny job: exit codes, the printed
# table, the results-file contract (src/h5out.h), refusing to clobber, the
# cuda backend without a GPU, determinism across thread counts, --version and
# unknown commands.
#   usage: bash tests/cli/cli_run.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup run "$@"

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"
[ -f "$FIXTURE" ] || fail "no fixture $FIXTURE"
cp "$FIXTURE" tiny.yaml

check "lihop run tiny.yaml -o out.h5 exits 0"
expect_rc 0 run1 "$LIHOP" run tiny.yaml -o out.h5
[ -f out.h5 ] || fail "out.h5 was not written"

check "the table has one row per temperature (298.15 and 353.15), each with numbers"
nrows=$(grep -cE '^ *[0-9]+\.[0-9]{2} +[0-9.]+e[-+][0-9]+ ' run1.out || true)
[ "$nrows" -eq 2 ] || { show run1; fail "expected 2 table rows, found $nrows"; }
grep -qE '^ *298\.15 +[0-9.]+e[-+][0-9]+ ' run1.out || { show run1; fail "no table row for 298.15 K"; }
grep -qE '^ *353\.15 +[0-9.]+e[-+][0-9]+ ' run1.out || { show run1; fail "no table row for 353.15 K"; }
grep -qE '^ +T +sigma +\+- +exact ' run1.out && grep -qE '^ +\[K\] +\[S/cm\]' run1.out ||
    { show run1; fail "no table header with units"; }

check "/metadata status is \"complete\", lihop_version matches --version"
[ "$(attr out.h5 /metadata/status)" = complete ] || fail "/metadata status is '$(attr out.h5 /metadata/status)', expected complete"
ver=$(attr out.h5 /metadata/lihop_version)
[ -n "$ver" ] || fail "/metadata lihop_version is empty"
[ "$(attr out.h5 /metadata/seed)" = 42 ] || fail "/metadata seed is '$(attr out.h5 /metadata/seed)', expected 42"

check "/points/0 and /points/1 exist with complete = 1 and the right T_K; no /points/2"
for k in 0 1; do
    [ "$(attr out.h5 /points/$(printf %07d $k)/complete)" = 1 ] || fail "/points/$k complete is '$(attr out.h5 /points/$k/complete)', expected 1"
done
[ "$(attr out.h5 /points/0000000/T_K)" = 298.15 ] || fail "/points/0 T_K is '$(attr out.h5 /points/0/T_K)'"
[ "$(attr out.h5 /points/0000001/T_K)" = 353.15 ] || fail "/points/1 T_K is '$(attr out.h5 /points/1/T_K)'"
if h5ls out.h5/points/0000002 >/dev/null 2>&1; then fail "/points/2 exists in a 2-temperature run"; fi
[ "$(vals out.h5 /points/0000000/D_m2_s | wc -l)" -eq 6 ] || fail "/points/0/D_m2_s is not [2 species][3]"

check "/summary has 2 rows, points 0 and 1, positive sigma"
h5ls out.h5/summary | grep -q 'Dataset {2/Inf}' || { h5ls out.h5/summary >&2; fail "/summary does not have 2 rows"; }
summary out.h5 > sum.txt
[ "$(awk '$2 == "point" {printf "%s ", $3}' sum.txt)" = "0 1 " ] || { cat sum.txt >&2; fail "/summary point column is not 0 1"; }
awk '$2 == "sigma_S_m" && !($3 > 0) {bad = 1} END {exit bad}' sum.txt || { cat sum.txt >&2; fail "/summary sigma_S_m not positive"; }
[ "$(awk '$2 == "sigma_S_m"' sum.txt | wc -l)" -eq 2 ] || fail "/summary has no sigma_S_m column"

check "/microstructure/phase exists with dims [z][y][x] = 8 x 10 x 12"
h5ls out.h5/microstructure/phase | grep -q 'Dataset {8, 10, 12}' ||
    { h5ls out.h5/microstructure/phase >&2; fail "/microstructure/phase missing or not {8, 10, 12}"; }

check "running again without flags fails with exit 3, mentions --resume, leaves the file alone"
cksum_before=$(cksum < out.h5)
expect_rc 3 again "$LIHOP" run tiny.yaml -o out.h5
grep -q -- '--resume' again.err || { show again; fail "message does not mention --resume"; }
grep -q -- '--overwrite' again.err || { show again; fail "message does not mention --overwrite"; }
[ "$(cksum < out.h5)" = "$cksum_before" ] || fail "the refused run modified out.h5"

check "--resume together with --overwrite is refused (exit 2)"
expect_rc 2 both "$LIHOP" run tiny.yaml -o out.h5 --resume --overwrite
[ "$(cksum < out.h5)" = "$cksum_before" ] || fail "the refused run modified out.h5"

check "--overwrite succeeds and rewrites a complete file with the same numbers"
cp out.h5 first.h5
expect_rc 0 over "$LIHOP" run tiny.yaml -o out.h5 --overwrite
[ "$(attr out.h5 /metadata/status)" = complete ] || fail "status after --overwrite is not complete"
summary out.h5 > sum_over.txt
cmp -s sum.txt sum_over.txt || { diff sum.txt sum_over.txt >&2; fail "--overwrite run gave different /summary values"; }

check "--backend cuda without a GPU exits 4 with a message and writes nothing"
if "$LIHOP" --version 2>/dev/null | grep -q '^CUDA device: none'; then
    expect_rc 4 cuda "$LIHOP" run tiny.yaml -o cuda.h5 --backend cuda
    grep -qi 'cuda' cuda.err || { show cuda; fail "exit 4 without a message naming cuda"; }
    [ ! -e cuda.h5 ] || fail "cuda.h5 was created although the backend was unavailable"
    sed 's/^backend: cpu/backend: cuda/' tiny.yaml > cudacfg.yaml
    grep -q '^backend: cuda' cudacfg.yaml || fail "could not make the backend: cuda variant"
    expect_rc 4 cudacfg "$LIHOP" run cudacfg.yaml -o cuda.h5
    [ ! -e cuda.h5 ] || fail "cuda.h5 was created although the backend was unavailable"
else
    echo "  (skipped: this machine has a CUDA device)"
fi

check "--threads 1 and --threads 2 give identical /summary (less wall_s) and /points data"
expect_rc 0 t1 "$LIHOP" run tiny.yaml -o t1.h5 --threads 1
expect_rc 0 t2 "$LIHOP" run tiny.yaml -o t2.h5 --threads 2
grep -q '1 OpenMP thread' t1.out || { show t1; fail "--threads 1 not reported in the header"; }
grep -q '2 OpenMP threads' t2.out || { show t2; fail "--threads 2 not reported in the header"; }
[ "$(attr t1.h5 /metadata/threads)" = 1 ] || fail "/metadata threads is not 1 for --threads 1"
[ "$(attr t2.h5 /metadata/threads)" = 2 ] || fail "/metadata threads is not 2 for --threads 2"
summary t1.h5 > s1.txt
summary t2.h5 > s2.txt
[ -s s1.txt ] || fail "could not read /summary of t1.h5"
cmp -s s1.txt s2.txt || { diff s1.txt s2.txt >&2; fail "/summary differs between --threads 1 and 2"; }
for k in 0 1; do
    for ds in D_m2_s msd_m2 batch_D_m2_s sigma_total_S_m residence_fraction; do
        vals t1.h5 /points/$(printf %07d $k)/$ds > v1.txt
        vals t2.h5 /points/$(printf %07d $k)/$ds > v2.txt
        [ -s v1.txt ] || fail "could not read /points/$k/$ds"
        cmp -s v1.txt v2.txt || { diff v1.txt v2.txt >&2; fail "/points/$k/$ds differs between --threads 1 and 2"; }
    done
done
cmp -s s1.txt sum.txt || { diff s1.txt sum.txt >&2; fail "/summary differs between the default and --threads 1"; }

check "no -o: the output is named after the config (tiny.h5 in the working directory)"
expect_rc 0 noout "$LIHOP" run tiny.yaml
[ -f tiny.h5 ] || fail "tiny.h5 was not written"
[ "$(attr tiny.h5 /metadata/status)" = complete ] || fail "tiny.h5 status is not complete"

check "an output path in a missing directory exits 3"
expect_rc 3 nodir "$LIHOP" run tiny.yaml -o no/such/dir/out.h5
grep -q 'no/such/dir/out.h5' nodir.err || { show nodir; fail "the I/O error does not name the file"; }

check "bad options exit 2: --threads 0, --threads abc, --backend gpu, an unknown option"
expect_rc 2 thr0 "$LIHOP" run tiny.yaml -o x.h5 --threads 0
grep -q -- '--threads' thr0.err || { show thr0; fail "no message about --threads"; }
expect_rc 2 thra "$LIHOP" run tiny.yaml -o x.h5 --threads abc
expect_rc 2 bk "$LIHOP" run tiny.yaml -o x.h5 --backend gpu
grep -q -- '--backend' bk.err || { show bk; fail "no message about --backend"; }
expect_rc 2 opt "$LIHOP" run tiny.yaml -o x.h5 --frobnicate
grep -q -- '--frobnicate' opt.err || { show opt; fail "no message naming the unknown option"; }
[ ! -e x.h5 ] || fail "x.h5 was created by a run with bad options"

check "lihop --version exits 0 and prints the project version"
expect_rc 0 version "$LIHOP" --version
want=$(sed -n 's/^project(lihop VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
[ -n "$want" ] || fail "cannot read the project version from CMakeLists.txt"
head -n1 version.out | grep -qE "^lihop $want( |\$)" || { show version; fail "--version does not print 'lihop $want'"; }
[ "$ver" = "$want" ] || fail "/metadata lihop_version '$ver' differs from the project version '$want'"

check "an unknown command exits 2 and names the command"
expect_rc 2 unknown "$LIHOP" frobnicate
grep -q "frobnicate" unknown.err || { show unknown; fail "the message does not name the unknown command"; }
expect_rc 2 nothing "$LIHOP"
grep -q "usage" nothing.err || { show nothing; fail "no usage for a bare lihop"; }

echo "cli_run: all checks passed"
