#!/usr/bin/env bash
# cli_mpi.sh - `mpirun -np N lihop run CONFIG` (README "MPI"): rank 0 writes
# the file and hands the points to the other ranks; the /summary equals the
# serial run's (compared by coordinates: point ids and wall times follow the
# order of work) for a voxel sweep on 2 and 3 ranks and a garnet sweep on 3;
# a worker's input error exits 2 on every rank; a stop forwarded by mpirun (SIGUSR1) exits 130 with status "interrupted" and
# the finished points kept, and an MPI --resume completes to the same numbers.
# Skipped (exit 0) when lihop was built without MPI.
#   usage: bash tests/cli/cli_mpi.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup mpi "$@"

if ! "$LIHOP" --version | grep -q '^MPI: yes'; then echo "SKIP: lihop built without MPI"; exit 0; fi
command -v mpirun >/dev/null || { echo "SKIP: no mpirun on PATH"; exit 0; }
# Open MPI as root in a container without network: shared memory only, no
# cross-memory attach (often forbidden by the container's ptrace policy).
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_plm_rsh_agent=false
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
same() { # same A.h5 B.h5 KEYS...: equal /summary by coordinates
    local a=$1 b=$2; shift 2
    diff <(bycoord "$a" "$@") <(bycoord "$b" "$@") >/dev/null ||
        { diff <(bycoord "$a" "$@") <(bycoord "$b" "$@") | head >&2; fail "$b differs from $a"; }
}

KEYS="seed volume_fraction T_K"
sed -e 's/^seed: .*/seed: [7, 8]/' -e 's/^  volume_fraction: .*/  volume_fraction: [0.0, 0.2]/' "$FIXTURE" > sweep.yaml
grep -q 'seed: \[7, 8\]' sweep.yaml && grep -q 'volume_fraction: \[0.0, 0.2\]' sweep.yaml ||
    fail "test setup: could not make the sweep deck"

check "voxel, 8 points: serial, -np 2 and -np 3 give the same /summary"
expect_rc 0 serial "$LIHOP" run sweep.yaml -o s.h5 --threads 1
for np in 2 3; do
    expect_rc 0 np$np "${MPIRUN[@]}" -np $np "$LIHOP" run sweep.yaml -o m$np.h5 --threads 1
    grep -q "^mpi: $np ranks" np$np.out || { show np$np; fail "no 'mpi: $np ranks' line"; }
    [ "$(dims m$np.h5 /summary)" = "8/Inf" ] || fail "m$np.h5 /summary has $(dims m$np.h5 /summary) rows"
    [ "$(attr m$np.h5 /metadata/status)" = complete ] || fail "m$np.h5 status is not complete"
    same s.h5 m$np.h5 $KEYS
done
echo "  ok: $(bycoord s.h5 $KEYS | wc -l) values equal"

check "garnet, 3 temperatures x 2 Li contents: serial and -np 3 agree"
sed "s#^lattice: .*#lattice: $SRC/lattices/llzo_cubic.yaml#" "$SRC/tests/data/garnet_material.yaml" > mat.yaml
sed -e 's/^backend: .*/backend: cpu/' -e 's/^temperature_K: .*/temperature_K: [300, 350, 400]/' \
    -e 's#^  material: .*#  material: mat.yaml#' -e 's/^  cells: .*/  cells: [2, 1, 1]/' \
    -e 's/^  li_per_fu: .*/  li_per_fu: [6.4, 6.8]/' -e '/^  drift_fields_V_m:/d' \
    -e 's/^  replicas: .*/  replicas: 8/' -e 's/^  hops_per_li: .*/  hops_per_li: 30/' \
    -e 's/^  equil_hops_per_li: .*/  equil_hops_per_li: 5/' -e 's/^  samples: .*/  samples: 8/' \
    -e 's/^  batches: .*/  batches: 4/' "$SRC/configs/garnet_bulk.yaml" > garnet.yaml
for want in 'material: mat.yaml' 'cells: \[2, 1, 1\]' 'replicas: 8' 'li_per_fu: \[6.4, 6.8\]'; do
    grep -q "$want" garnet.yaml || fail "test setup: could not set '$want' in the garnet deck"
done
expect_rc 0 gs "$LIHOP" run garnet.yaml -o gs.h5 --threads 1
expect_rc 0 gm "${MPIRUN[@]}" -np 3 "$LIHOP" run garnet.yaml -o gm.h5 --threads 1
[ "$(dims gm.h5 /summary)" = "6/Inf" ] || fail "gm.h5 /summary has $(dims gm.h5 /summary) rows"
same gs.h5 gm.h5 T_K li_per_fu
grep -q "^Fits of sigma(T)" gm.out && diff <(sed -n "/^Fits of sigma(T)/,/^$/p" gs.out) <(sed -n "/^Fits of sigma(T)/,/^$/p" gm.out) >/dev/null ||
    { show gm; fail "the MPI garnet run has no fit table, or another one"; }
echo "  ok"

check "a worker's input error (hard spheres that do not fit at the second fraction): every rank exits 2, message printed once"
sed -e 's/^  volume_fraction: .*/  volume_fraction: [0.1, 0.9]/' -e 's/^  overlap: .*/  overlap: false/' "$FIXTURE" > bad.yaml
expect_rc 2 bad "${MPIRUN[@]}" -np 3 "$LIHOP" run bad.yaml -o bad.h5 --threads 1
[ "$(grep -c 'lihop: error: microstructure: could only place' bad.err)" = 1 ] || { show bad; fail "no single error message"; }
[ "$(attr bad.h5 /metadata/status)" = failed ] || fail "status is '$(attr bad.h5 /metadata/status)', expected failed"
echo "  ok"

check "stop an MPI run (SIGUSR1 to mpirun, forwarded to every rank) after its first row: exit 130, resume with MPI"
sed -e 's/^temperature_K: .*/temperature_K: [298.15, 333.15, 353.15]/' -e 's/^  box_voxels: .*/  box_voxels: [16, 16, 16]/' \
    -e 's/^  walkers: .*/  walkers: 3000/' -e 's/^  hops_per_walker: .*/  hops_per_walker: 2500/' "$FIXTURE" > slow.yaml
grep -q 'walkers: 3000' slow.yaml || fail "test setup: could not make the slow deck"
expect_rc 0 ref "$LIHOP" run slow.yaml -o ref.h5 --threads 2
# interrupt_after sends SIGINT, which Open MPI's mpirun does not forward (it
# kills the job and exits 1); send the forwarded SIGUSR1 instead.
kill() { if [ "$1" = -INT ]; then shift; command kill -USR1 "$@"; else command kill "$@"; fi; }
interrupt_after int '^ *[0-9.]+ +[0-9.]+e[-+][0-9]+ ' "${MPIRUN[@]}" -np 3 "$LIHOP" run slow.yaml -o int.h5 --threads 1
unset -f kill
[ "$RC" -eq 130 ] || { show int; fail "the stopped MPI run exited $RC, expected 130"; }
[ "$(attr int.h5 /metadata/status)" = interrupted ] || fail "status is '$(attr int.h5 /metadata/status)', expected interrupted"
grep -q -- '--resume' int.err || { show int; fail "no --resume hint"; }
kept=$(dims int.h5 /summary)
[ "$kept" != "3/Inf" ] || { show int; fail "every point finished before the stop (machine too fast? raise walkers)"; }
expect_rc 0 resume "${MPIRUN[@]}" -np 2 "$LIHOP" run slow.yaml -o int.h5 --resume --threads 1
grep -qE '^\* +[0-9]' resume.out || { show resume; fail "the resume skipped no point"; }
[ "$(attr int.h5 /metadata/status)" = complete ] || fail "status after the resume is not complete"
same ref.h5 int.h5 T_K
echo "  ok: ${kept%/Inf} point(s) kept, the rest resumed"
echo "PASS: cli_mpi"
