#!/usr/bin/env bash
# cli_faults.sh - results that survive faults (README "Results that survive
# faults", src/io/durable.h):
#   - a second `lihop run` on an output another run is writing is refused
#     (exit 3), --overwrite included, and the first run's file stays intact;
#   - SIGKILL in the middle of a sweep, then --resume: /summary equals an
#     uninterrupted run's;
#   - disk full (a small tmpfs; skipped with a reason where mount is not
#     allowed): exit 3 with the message, never a signal; the finished points
#     are still in a file that opens; after freeing space --resume completes
#     with the numbers of an uninterrupted run.
#   usage: bash tests/cli/cli_faults.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup faults "$@"

temps() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%s%d", i ? ", " : "", 280 + 2 * i }'; }
sed -e "s/^temperature_K: .*/temperature_K: [$(temps 30)]/" "$FIXTURE" > many.yaml
sed -e "s/^temperature_K: .*/temperature_K: [$(temps 6)]/" -e 's/^  walkers: .*/  walkers: 6000/' \
    -e 's/^  hops_per_walker: .*/  hops_per_walker: 2500/' "$FIXTURE" > slow.yaml
grep -q 'walkers: 6000' slow.yaml || fail "test setup: could not make slow.yaml"
expect_rc 0 ref "$LIHOP" run many.yaml -o ref.h5 --threads 1
expect_rc 0 slowref "$LIHOP" run slow.yaml -o slowref.h5 --threads 2

check "a second run on a file another run is writing is refused (exit 3), --overwrite too; the first completes"
"$LIHOP" run slow.yaml -o busy.h5 --threads 2 > busy.out 2> busy.err &
BGPID=$!
for _ in $(seq 1 500); do [ -e busy.h5.lock ] && grep -qE '^ +\[K\] +\[S/cm\]' busy.out && break; sleep 0.02; done
expect_rc 3 second "$LIHOP" run slow.yaml -o busy.h5 --overwrite --threads 1
grep -q 'another process is writing' second.err || { show second; fail "no 'another process' message"; }
expect_rc 3 third "$LIHOP" run slow.yaml -o busy.h5 --resume --threads 1
RC=0; wait "$BGPID" || RC=$?
BGPID=
[ "$RC" -eq 0 ] || { show busy; fail "the first run exited $RC after the refused second runs"; }
[ "$(attr busy.h5 /metadata/status)" = complete ] || fail "the first run's file is not complete"
diff <(bycoord slowref.h5 T_K) <(bycoord busy.h5 T_K) >/dev/null || fail "the first run's numbers changed"
[ -e busy.h5.lock ] && fail "the lock file was left behind"
echo "  ok"

check "SIGKILL mid-sweep, then --resume: the file opens, and ends equal to an uninterrupted run"
"$LIHOP" run slow.yaml -o killed.h5 --threads 2 > killed.out 2> killed.err &
BGPID=$!
for _ in $(seq 1 1500); do [ "$(grep -cE '^ *[0-9.]+ +[0-9.]+e[-+]' killed.out)" -ge 2 ] && break; sleep 0.02; done
kill -KILL "$BGPID"; wait "$BGPID" 2>/dev/null || true
BGPID=
h5dump -H killed.h5 > /dev/null || fail "the killed run's file does not open"
[ "$(attr killed.h5 /metadata/status)" = running ] || fail "a killed run's file should say running"
expect_rc 0 killres "$LIHOP" run slow.yaml -o killed.h5 --resume --threads 2
diff <(bycoord slowref.h5 T_K) <(bycoord killed.h5 T_K) >/dev/null || fail "killed + resumed differs from uninterrupted"
echo "  ok: $(grep -cE '^\* +[0-9]' killres.out) point(s) kept over the kill"

check "disk full: exit 3 with the message, finished points kept, --resume after freeing space completes"
mkdir small
if ! mount -t tmpfs -o size=300k tmpfs small 2>/dev/null; then
    echo "  SKIP: cannot mount a tmpfs here (needs root and mount rights)"
else
    trap 'umount "$WORK/small" 2>/dev/null || true; cli_cleanup' EXIT
    run full "$LIHOP" run many.yaml -o small/full.h5 --threads 1
    [ "$RC" -eq 3 ] || { show full; fail "disk full exited $RC, expected 3"; }
    grep -qi 'no space left' full.err || { show full; fail "no 'No space left' in the message"; }
    h5dump -H small/full.h5 > /dev/null || fail "the file does not open after disk full"
    kept=$(dims small/full.h5 /summary | cut -d/ -f1)
    [ "$kept" -ge 1 ] || fail "no finished point survived the full disk"
    ls small/full.h5.tmp 2>/dev/null && fail "a temporary copy was left on the full disk"
    mount -o remount,size=4m small
    expect_rc 0 again "$LIHOP" run many.yaml -o small/full.h5 --resume --threads 1
    [ "$(grep -cE '^\* +[0-9]' again.out)" -eq "$kept" ] || { show again; fail "expected $kept skipped points"; }
    diff <(bycoord ref.h5 T_K) <(bycoord small/full.h5 T_K) >/dev/null || fail "resumed file differs from the reference"
    echo "  ok: $kept point(s) kept at disk full, the rest computed after freeing space"
fi
echo "PASS: cli_faults"
