# lib_cli.sh - shared helpers of the CLI tests (tests/cli/cli_*.sh), sourced, not run.
#   cli_setup NAME LIHOP_BINARY SOURCE_DIR: absolute LIHOP and SRC, FIXTURE (the tiny
#   voxel deck), a fresh WORK directory removed on exit (with any background run
#   left in BGPID), and cd into it.

cli_setup() {
    local name=$1
    LIHOP=${2:?usage: cli_$name.sh LIHOP_BINARY SOURCE_DIR}
    SRC=${3:?usage: cli_$name.sh LIHOP_BINARY SOURCE_DIR}
    LIHOP=$(cd "$(dirname "$LIHOP")" && pwd)/$(basename "$LIHOP")
    SRC=$(cd "$SRC" && pwd)
    FIXTURE=$SRC/tests/data/cli_tiny.yaml
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/lihop_cli_$name.XXXXXX")
    BGPID=
    trap cli_cleanup EXIT
    cd "$WORK"
}
cli_cleanup() {
    if [ -n "$BGPID" ] && kill -0 "$BGPID" 2>/dev/null; then kill -KILL "$BGPID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}

# interrupt_after NAME PATTERN CMD...: run CMD in the background (stdout NAME.out,
# stderr NAME.err), wait up to 30 s for a stdout line matching the extended regex
# PATTERN (the first finished sweep point), then send SIGINT; RC = its exit status.
interrupt_after() {
    local name=$1 pattern=$2 printed=0
    shift 2
    "$@" >"$name.out" 2>"$name.err" &
    BGPID=$!
    for _ in $(seq 1 1500); do
        if grep -qE "$pattern" "$name.out"; then printed=1; break; fi
        kill -0 "$BGPID" 2>/dev/null || break
        sleep 0.02
    done
    [ "$printed" = 1 ] || { show "$name"; fail "$name: the first point was never printed"; }
    kill -INT "$BGPID" 2>/dev/null || true
    RC=0; wait "$BGPID" || RC=$?
    BGPID=
}

# interrupt_running NAME DELAY CMD...: run CMD in the background (stdout NAME.out,
# stderr NAME.err), wait up to 30 s until it catches SIGINT (its handler is
# installed: bit 2 of SigCgt in /proc/PID/status), DELAY seconds more, then send
# one SIGINT.  RC = its exit status, STOP_S = seconds from the SIGINT to its exit.
# For a run with nothing printed before its only point ends (a one-point sweep).
interrupt_running() {
    local name=$1 delay=$2 caught=0 mask t0 t1
    shift 2
    "$@" >"$name.out" 2>"$name.err" &
    BGPID=$!
    for _ in $(seq 1 1500); do
        mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$BGPID/status" 2>/dev/null || true)
        if [ -n "$mask" ] && (( (16#$mask >> 1) & 1 )); then caught=1; break; fi
        kill -0 "$BGPID" 2>/dev/null || break
        sleep 0.02
    done
    [ "$caught" = 1 ] || { show "$name"; fail "$name: the run never installed its SIGINT handler"; }
    sleep "$delay"
    kill -0 "$BGPID" 2>/dev/null || { show "$name"; fail "$name: the run ended before the SIGINT (make it longer)"; }
    t0=$(date +%s.%N)
    kill -INT "$BGPID" 2>/dev/null || true
    RC=0; wait "$BGPID" || RC=$?
    t1=$(date +%s.%N)
    STOP_S=$(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}')
    BGPID=
}

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "check: $*"; }
# run NAME CMD...: stdout to NAME.out, stderr to NAME.err, exit status in RC.
run() { local name=$1; shift; RC=0; "$@" >"$name.out" 2>"$name.err" || RC=$?; }
show() { echo "--- stdout of $1:"; cat "$1.out"; echo "--- stderr of $1:"; cat "$1.err"; } >&2
# expect_rc WANT NAME CMD...
expect_rc() {
    local want=$1 name=$2; shift 2
    run "$name" "$@"
    if [ "$RC" -ne "$want" ]; then show "$name"; fail "'$*' exited $RC, expected $want"; fi
}
# attr FILE OBJ/ATTR: the value of a scalar attribute (strings without quotes).
attr() { { h5dump -a "$2" "$1" 2>/dev/null || true; } | sed -n 's/^ *(0): //p' | sed 's/^"\(.*\)"$/\1/'; }
# vals FILE DATASET: the values of a numeric dataset, one per line, 17 digits.
vals() {
    { h5dump -m %.17g -y -w0 -d "$2" "$1" 2>/dev/null || true; } |
        awk '/^ *DATA \{/ {f = 1; next} f && /^ *\}/ {exit} f' | tr ',' ' ' | tr -s ' ' '\n' | sed '/^$/d'
}
# dims FILE DATASET: the dataset's dimensions as h5ls prints them.
dims() { h5ls "$1$2" 2>/dev/null | sed -n 's/.*Dataset {\(.*\)}.*/\1/p'; }
# summary FILE: the /summary table as "row column value" lines, 17 digits,
# without the wall_s column (the only one allowed to differ between runs).
summary() {
    { h5dump -m %.17g -d /summary "$1" 2>/dev/null || true; } | awk '
        /H5T_COMPOUND/ {cmp = 1; next}
        cmp && /^ *\}/ {cmp = 0; next}
        cmp {n = $2; gsub(/[";]/, "", n); name[++nf] = n; next}
        !done && /^ *DATA \{/ {data = 1; next}
        data && /^ *ATTRIBUTE/ {data = 0; done = 1}
        data && /^ *[-+0-9.eEnaif]+,?$/ {
            v = $1; sub(/,$/, "", v); k++; c = (k - 1) % nf + 1
            if (name[c] != "wall_s") print int((k - 1) / nf), name[c], v
        }'
}
# bycoord FILE COORDS...: the /summary table as "c1=v1,c2=v2,... column value"
# lines keyed by the named coordinate columns instead of the row, sorted,
# without point and wall_s (which depend on the order of work), so files
# written in another order or by another run compare with diff.
bycoord() {
    local file=$1; shift
    summary "$file" | awk -v keys="$*" '
        BEGIN { nk = split(keys, k, " ") }
        { row[$1] = 1; val[$1, $2] = $3; cols[$2] = 1 }
        END {
            for (r in row) {
                key = ""
                for (i = 1; i <= nk; i++) key = key (i > 1 ? "," : "") k[i] "=" val[r, k[i]]
                for (c in cols) if (c != "point") print key, c, val[r, c]
            }
        }' | sort
}
