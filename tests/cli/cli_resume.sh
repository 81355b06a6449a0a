#!/usr/bin/env bash
# cli_resume.sh - interrupt `lihop run` with SIGINT after its first sweep point,
# check exit 130 and status "interrupted", then `--resume`: finished points are
# skipped, the rest computed, status "complete", and every number equals an
# uninterrupted run of the same config and seed.  A resume with a different
# config (a non-sweep key) or microstructure is refused with exit 2 and leaves the file
# alone (same bytes, same h5dump), even when the file holds an unfinished point.
#   usage: bash tests/cli/cli_resume.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup resume "$@"

has_point() { h5ls "$1/points/$(printf %07d "$2")" >/dev/null 2>&1; }

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"
# Three temperatures, each point about 1.5 s on one 2-thread CPU (the SIGINT
# is acted on after each species pass, ~0.7 s, so there is ample time to
# interrupt point 1 once point 0 is printed).  --threads 2 is fixed so the
# timing does not scale with the core count; results do not depend on it.
sed -e 's/^temperature_K: .*/temperature_K: [298.15, 333.15, 353.15]/' \
    -e 's/^  box_voxels: .*/  box_voxels: [16, 16, 16]/' \
    -e 's/^  walkers: .*/  walkers: 6000/' \
    -e 's/^  hops_per_walker: .*/  hops_per_walker: 2500/' "$FIXTURE" > sweep.yaml
for want in 'temperature_K: \[298.15, 333.15, 353.15\]' 'box_voxels: \[16, 16, 16\]' 'walkers: 6000' 'hops_per_walker: 2500'; do
    grep -q "$want" sweep.yaml || fail "test setup: could not set '$want' in the fixture copy"
done

check "reference: an uninterrupted run of the 3-temperature sweep"
t0=$(date +%s.%N)
expect_rc 0 ref "$LIHOP" run sweep.yaml -o ref.h5 --threads 2
t1=$(date +%s.%N)
echo "  ok ($(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s)"
[ "$(attr ref.h5 /metadata/status)" = complete ] || fail "reference status is not complete"

check "SIGINT after point 0 is printed: exit 130, status interrupted, point 0 kept"
interrupt_after int '^ *298\.15 +[0-9.]+e[-+][0-9]+ ' "$LIHOP" run sweep.yaml -o int.h5 --threads 2
if [ "$RC" -eq 0 ]; then show int; fail "the run finished before SIGINT took effect (machine too fast? raise walkers)"; fi
[ "$RC" -eq 130 ] || { show int; fail "interrupted run exited $RC, expected 130"; }
grep -q -- '--resume' int.err || { show int; fail "the interruption message does not say how to --resume"; }
[ "$(attr int.h5 /metadata/status)" = interrupted ] ||
    fail "status after SIGINT is '$(attr int.h5 /metadata/status)', expected interrupted"
[ "$(attr int.h5 /points/0000000/complete)" = 1 ] || fail "/points/0 is not complete after the interruption"
has_point int.h5 2 && fail "/points/2 exists: the run was not interrupted before its last point"
done_before=1
if has_point int.h5 1; then
    [ "$(attr int.h5 /points/0000001/complete)" = 1 ] || fail "/points/1 exists without complete = 1"
    done_before=2
    echo "  (SIGINT landed late: point 1 finished too)"
fi
echo "  ok: $done_before point(s) kept"

check "--resume with a different non-sweep key (walkers) is refused (exit 2, mismatch message), file untouched"
sed 's/^  walkers: 6000$/  walkers: 6001/' sweep.yaml > other_seed.yaml
grep -q '^  walkers: 6001$' other_seed.yaml || fail "test setup: could not change walkers"
sum_before=$(cksum < int.h5)
expect_rc 2 mismatch "$LIHOP" run other_seed.yaml -o int.h5 --resume --threads 2
grep -qiE 'differ|mismatch' mismatch.err || { show mismatch; fail "no mismatch message"; }
grep -q 'int.h5' mismatch.err || { show mismatch; fail "the mismatch message does not name the file"; }
[ "$(cksum < int.h5)" = "$sum_before" ] || fail "the refused --resume modified int.h5"
[ "$(attr int.h5 /metadata/status)" = interrupted ] || fail "the refused --resume changed the status"

check "--resume finishes: exit 0, status complete, finished points reported as skipped"
expect_rc 0 resume "$LIHOP" run sweep.yaml -o int.h5 --resume --threads 2
[ "$(attr int.h5 /metadata/status)" = complete ] || fail "status after --resume is '$(attr int.h5 /metadata/status)'"
grep -qE '^\* +298\.15 +[0-9.]+e' resume.out || { show resume; fail "point 0 (298.15 K) was not printed from the file"; }
nskip=$(grep -cE '^\* +[0-9]' resume.out || true)
[ "$nskip" -eq "$done_before" ] || { show resume; fail "$nskip points printed from the file, expected $done_before"; }
grep -q '^\* finished in an earlier session' resume.out || { show resume; fail "no legend for the rows from the file"; }
# The rows from the file carry the values the interrupted run printed (all
# columns but the mark; wall_s too: it is the stored one).
for T in 298.15 333.15; do
    first=$(grep -E "^ +$T " int.out | sed 's/^ *//' || true)
    [ -n "$first" ] || continue
    again=$(grep -E "^\* +$T " resume.out | sed 's/^\* *//')
    [ "$first" = "$again" ] || { show resume; fail "point $T K printed '$again' on --resume, '$first' first"; }
done
check "/metadata keeps the first command; /metadata/history has one row per session"
[ "$(attr int.h5 /metadata/command_line)" = "lihop run sweep.yaml -o int.h5 --threads 2" ] ||
    fail "/metadata command_line is '$(attr int.h5 /metadata/command_line)', not the first session's"
h5dump -d /metadata/history/command_line int.h5 > hist.txt || fail "no /metadata/history/command_line"
grep -q 'DATASPACE  SIMPLE { ( 2 ) / ( 2 ) }' hist.txt || { cat hist.txt; fail "history has not 2 rows"; }
grep -q '"lihop run sweep.yaml -o int.h5 --threads 2"' hist.txt || { cat hist.txt; fail "history lacks the first command"; }
grep -q '"lihop run sweep.yaml -o int.h5 --resume --threads 2"' hist.txt || { cat hist.txt; fail "history lacks the resume"; }
h5dump -d /metadata/history/status int.h5 | grep -q '"interrupted", "complete"' || fail "history status is not interrupted, complete"
echo "  ok"
grep -qE '^ *353\.15 +[0-9.]+e[-+][0-9]+ ' resume.out || { show resume; fail "point 2 (353.15 K) was not computed"; }
[ -n "$(attr int.h5 /metadata/resume_time)" ] || fail "/metadata resume_time is missing after --resume"
for k in 0 1 2; do
    [ "$(attr int.h5 /points/$(printf %07d $k)/complete)" = 1 ] || fail "/points/$k is not complete after --resume"
done

check "the resumed file holds the same numbers as the uninterrupted run"
for k in 0 1 2; do
    for ds in D_m2_s D_err_m2_s msd_m2 batch_D_m2_s sigma_total_S_m residence_fraction hops; do
        vals ref.h5 /points/$(printf %07d $k)/$ds > a.txt
        vals int.h5 /points/$(printf %07d $k)/$ds > b.txt
        [ -s a.txt ] || fail "cannot read /points/$k/$ds of ref.h5"
        cmp -s a.txt b.txt || { diff a.txt b.txt >&2; fail "/points/$k/$ds differs from the uninterrupted run"; }
    done
    for a in T_K sigma_iso_S_m t_plus; do
        [ "$(attr ref.h5 /points/$(printf %07d $k)/$a)" = "$(attr int.h5 /points/$(printf %07d $k)/$a)" ] || fail "/points/$k $a differs from the uninterrupted run"
    done
done
summary ref.h5 | sort > sa.txt
summary int.h5 | sort > sb.txt
[ "$(wc -l < sa.txt)" -gt 0 ] || fail "cannot read /summary of ref.h5"
cmp -s sa.txt sb.txt || { diff sa.txt sb.txt >&2; fail "/summary (less wall_s) differs from the uninterrupted run"; }
[ "$(awk '$2 == "point"' sb.txt | wc -l)" -eq 3 ] || fail "/summary of the resumed file does not have 3 rows"

check "--resume of a complete file skips every point and changes no number"
expect_rc 0 again "$LIHOP" run sweep.yaml -o int.h5 --resume --threads 2
[ "$(grep -cE '^\* +[0-9]' again.out || true)" -eq 3 ] || { show again; fail "not all 3 points were skipped"; }
summary int.h5 | sort > sc.txt
cmp -s sb.txt sc.txt || fail "/summary changed on a no-op --resume"

# The deck is unchanged but its microstructure, read from an HDF5 label file,
# is not: --resume must refuse (exit 2) and leave the file's status alone.
check "--resume with a changed external microstructure is refused (exit 2) and keeps status complete"
sed 's/^seed: 42$/seed: 7/' "$FIXTURE" > seed7.yaml
expect_rc 0 lab1 "$LIHOP" micro "$FIXTURE" -o lab1.h5
expect_rc 0 lab2 "$LIHOP" micro seed7.yaml -o lab2.h5
cmp -s lab1.h5 lab2.h5 && fail "test setup: the two label files are identical"
awk '/^microstructure:/ {skip = 1
         print "microstructure:\n  box_voxels: [12, 10, 8]\n  voxel_size_m: 1.0e-8\n  generator: hdf5"
         print "  file: labels.h5\n  dataset: /phase\n  labels:"
         print "    - {value: 0, phase: peo}\n    - {value: 1, phase: llzo}"; next}
     /^run:/ {skip = 0}
     !skip' "$FIXTURE" > labels.yaml
cp lab1.h5 labels.h5
expect_rc 0 lab_run "$LIHOP" run labels.yaml -o lab_out.h5 --threads 2
[ "$(attr lab_out.h5 /metadata/status)" = complete ] || fail "the hdf5-microstructure run did not complete"
cp lab2.h5 labels.h5
run lab_resume "$LIHOP" run labels.yaml -o lab_out.h5 --resume --threads 2
[ "$RC" -eq 2 ] || { show lab_resume; fail "--resume with a changed microstructure exited $RC, expected 2"; }
grep -q 'microstructure' lab_resume.err || { show lab_resume; fail "the refusal does not mention the microstructure"; }
lab_status=$(attr lab_out.h5 /metadata/status)
[ "$lab_status" = complete ] || fail "the refused --resume changed the status from complete to '$lab_status'"

# An interrupted run of a 3-temperature sweep of the labels deck (SIGINT once
# point 0 is printed, as above), then an unfinished point added in place:
# h5copy -f noattr copies /points/0 to /points/2 without its attributes, i.e.
# without complete = 1 (the state a crash while point 2 is being written
# leaves).  A --resume with the changed label file must be refused before it
# prunes that point or touches /metadata: same bytes, same h5dump.
check "a refused --resume (changed microstructure) leaves an interrupted file with an unfinished point unchanged"
sed -e 's/^temperature_K: .*/temperature_K: [298.15, 333.15, 353.15]/' \
    -e 's/^  walkers: .*/  walkers: 6000/' \
    -e 's/^  hops_per_walker: .*/  hops_per_walker: 2500/' labels.yaml > labsweep.yaml
for want in 'temperature_K: \[298.15, 333.15, 353.15\]' 'walkers: 6000' 'hops_per_walker: 2500' 'generator: hdf5'; do
    grep -q "$want" labsweep.yaml || fail "test setup: could not set '$want' in labsweep.yaml"
done
cp lab1.h5 labels.h5
interrupt_after part_int '^ *298\.15 +[0-9.]+e[-+][0-9]+ ' "$LIHOP" run labsweep.yaml -o part.h5 --threads 2
[ "$RC" -eq 130 ] || { show part_int; fail "interrupted labsweep run exited $RC, expected 130"; }
[ "$(attr part.h5 /metadata/status)" = interrupted ] || fail "labsweep status after SIGINT is not interrupted"
has_point part.h5 2 && fail "/points/2 exists: the labsweep run was not interrupted before its last point"
h5copy -f noattr -i part.h5 -o part.h5 -s /points/0000000 -d /points/0000002 || fail "test setup: h5copy /points/0 -> /points/2"
[ -z "$(attr part.h5 /points/0000002/complete)" ] || fail "test setup: the copied /points/2 has the complete flag"
[ -n "$(vals part.h5 /points/0000002/D_m2_s)" ] || fail "test setup: the copied /points/2 has no datasets"
h5dump -p part.h5 > part_before.dump 2>&1 || fail "test setup: cannot h5dump part.h5"
part_sum=$(cksum < part.h5)
cp lab2.h5 labels.h5
run part_resume "$LIHOP" run labsweep.yaml -o part.h5 --resume --threads 2
[ "$RC" -eq 2 ] || { show part_resume; fail "--resume with a changed microstructure exited $RC, expected 2"; }
grep -q 'microstructure' part_resume.err || { show part_resume; fail "the refusal does not mention the microstructure"; }
grep -q 'part.h5' part_resume.err || { show part_resume; fail "the refusal does not name the file"; }
h5dump -p part.h5 > part_after.dump 2>&1 || fail "cannot h5dump part.h5 after the refused --resume"
cmp -s part_before.dump part_after.dump || {
    diff part_before.dump part_after.dump | head -40 >&2 || true
    fail "the refused --resume changed the content of part.h5 (h5dump diff above)"
}
[ "$(cksum < part.h5)" = "$part_sum" ] || fail "the refused --resume changed the bytes of part.h5"
echo "  ok: refused; h5dump and bytes unchanged"

check "--resume of that file with the right microstructure: unfinished point recomputed, numbers of an uninterrupted run"
cp lab1.h5 labels.h5
expect_rc 0 part_ok "$LIHOP" run labsweep.yaml -o part.h5 --resume --threads 2
[ "$(attr part.h5 /metadata/status)" = complete ] || fail "status after --resume is '$(attr part.h5 /metadata/status)'"
grep -qE '^\* +298\.15 +[0-9.]+e' part_ok.out || { show part_ok; fail "point 0 was not reported as skipped"; }
grep -qE '^ *353\.15 +[0-9.]+e[-+][0-9]+ ' part_ok.out || { show part_ok; fail "the unfinished point 2 was not recomputed"; }
[ "$(attr part.h5 /points/0000002/complete)" = 1 ] || fail "/points/2 is not complete after --resume"
expect_rc 0 lab_ref "$LIHOP" run labsweep.yaml -o lab_ref.h5 --threads 2
for k in 0 1 2; do
    for ds in D_m2_s msd_m2 sigma_total_S_m hops; do
        vals lab_ref.h5 /points/$(printf %07d $k)/$ds > a.txt
        vals part.h5 /points/$(printf %07d $k)/$ds > b.txt
        [ -s a.txt ] || fail "cannot read /points/$k/$ds of lab_ref.h5"
        cmp -s a.txt b.txt || { diff a.txt b.txt >&2 || true; fail "/points/$k/$ds differs from the uninterrupted run"; }
    done
done
summary lab_ref.h5 | sort > sa.txt
summary part.h5 | sort > sb.txt
cmp -s sa.txt sb.txt || { diff sa.txt sb.txt >&2 || true; fail "/summary (less wall_s) differs from the uninterrupted run"; }

echo "cli_resume: all checks passed"
