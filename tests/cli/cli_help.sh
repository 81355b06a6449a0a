#!/usr/bin/env bash
# cli_help.sh - the command line itself (src/app/cli.c): every subcommand
# answers --help/-h with its usage on stdout (exit 0), `lihop help [CMD]`,
# --opt=value, a wrong call gives ONE error line naming the command and the bad
# option or argument, then that command's usage on stderr (exit 2); and
# `lihop export csv` writes /summary with units in the header and the file's
# exact numbers.
#   usage: bash tests/cli/cli_help.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup help "$@"

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"
cp "$FIXTURE" tiny.yaml
COMMANDS="run micro lattice validate export handoff"

# Each command's options as its usage must list them.
opts_of() {
    case $1 in
        run) echo "-o --output --backend --threads --resume --overwrite --help" ;;
        micro) echo "-o --output --help" ;;
        lattice) echo "--cells -o --output --help" ;;
        validate) echo "--check --list --json --threads --help" ;;
        export) echo "csv bpx h5md -o --output --base --line --point --species --walkers --replica --frames --verify --help" ;;
        handoff) echo "-o --output --help" ;;
    esac
}

check "every subcommand answers --help, -h and 'lihop help CMD' with its usage on stdout, exit 0"
for cmd in $COMMANDS; do
    for form in "$cmd --help" "$cmd -h" "help $cmd"; do
        name=help_${form// /_}
        # shellcheck disable=SC2086
        expect_rc 0 "$name" "$LIHOP" $form
        head -n1 "$name.out" | grep -q "^usage: lihop $cmd" || { show "$name"; fail "'lihop $form' does not start with 'usage: lihop $cmd'"; }
        [ ! -s "$name.err" ] || { show "$name"; fail "'lihop $form' wrote to stderr"; }
        for opt in $(opts_of "$cmd"); do
            grep -qE -- "(^|[ ,\[])$opt( |,|$|=)" "$name.out" || { show "$name"; fail "'lihop $form' does not list $opt"; }
        done
    done
    cmp -s "help_${cmd}_--help.out" "help_help_$cmd.out" || fail "'lihop $cmd --help' and 'lihop help $cmd' differ"
done

check "lihop help and lihop --help: the overview names every command and the exit codes, exit 0"
for form in help --help; do
    expect_rc 0 "ov_$form" "$LIHOP" "$form"
    for cmd in $COMMANDS; do
        grep -q "^  lihop $cmd" "ov_$form.out" || { show "ov_$form"; fail "'lihop $form' does not list $cmd"; }
    done
    grep -q "exit codes: 0 ok" "ov_$form.out" || { show "ov_$form"; fail "'lihop $form' has no exit codes"; }
    grep -q -- "--opt=value" "ov_$form.out" || { show "ov_$form"; fail "'lihop $form' does not mention --opt=value"; }
done

# bad_call NAME CMD TEXT ARGS...: exit 2, nothing on stdout, stderr = one line
# "lihop: error: CMD: ..." containing TEXT, then CMD's usage.
bad_call() {
    local name=$1 cmd=$2 text=$3
    shift 3
    expect_rc 2 "$name" "$LIHOP" "$@"
    local first
    first=$(head -n1 "$name.err")
    case $first in "lihop: error: $cmd: "*) ;; *) show "$name"; fail "'lihop $*': first line is not 'lihop: error: $cmd: ...'" ;; esac
    grep -qF -- "$text" <<<"$first" || { show "$name"; fail "'lihop $*': the error line does not name '$text'"; }
    [ "$(grep -c '^lihop: error' "$name.err")" -eq 1 ] || { show "$name"; fail "'lihop $*': more than one error line"; }
    sed -n 2p "$name.err" | grep -q "^usage: lihop $cmd" || { show "$name"; fail "'lihop $*': no usage of $cmd after the error"; }
    [ ! -s "$name.out" ] || { show "$name"; fail "'lihop $*' wrote to stdout"; }
}

check "wrong calls: one error line naming the option or argument, then the usage, exit 2"
bad_call run_unknown run "'--frobnicate'" run tiny.yaml -o x.h5 --frobnicate
bad_call run_unknown_short run "'-z'" run tiny.yaml -z
bad_call run_thr_abc run "'abc'" run tiny.yaml -o x.h5 --threads abc
bad_call run_thr_eq0 run "--threads" run tiny.yaml -o x.h5 --threads=0
bad_call run_thr_neg run "'-5'" run tiny.yaml -o x.h5 --threads -5
bad_call run_backend run "'gpu'" run tiny.yaml -o x.h5 --backend=gpu
bad_call run_two run "'b.yaml'" run tiny.yaml b.yaml
bad_call run_noval run "'-o'" run tiny.yaml -o
bad_call run_resume_val run "'--resume'" run tiny.yaml -o x.h5 --resume=yes
[ ! -e x.h5 ] || fail "a refused run wrote x.h5"
bad_call micro_none micro "CONFIG" micro
bad_call micro_no_o micro "-o" micro tiny.yaml
bad_call micro_extra micro "'extra'" micro tiny.yaml extra -o m.h5
bad_call micro_opt micro "'--cells'" micro tiny.yaml -o m.h5 --cells 2 2 2
[ ! -e m.h5 ] || fail "a refused micro wrote m.h5"
bad_call lattice_none lattice "FILE" lattice
bad_call lattice_cells2 lattice "--cells" lattice "$SRC/lattices/llzo_cubic.yaml" --cells 2 2
bad_call lattice_cells0 lattice "'0'" lattice "$SRC/lattices/llzo_cubic.yaml" --cells 0 1 1
bad_call val_thr_abc validate "'abc'" validate --threads abc
bad_call val_thr_neg validate "'-5'" validate --threads -5
bad_call val_thr_0 validate "'0'" validate --threads 0
bad_call val_thr_eq validate "'x2'" validate --threads=x2
bad_call val_extra validate "'extra'" validate extra
bad_call val_unknown validate "'--checks'" validate --checks=foo
bad_call export_none export "csv" export
bad_call export_fmt export "'json'" export json out.h5
bad_call export_nofile export "RESULTS.h5" export csv
bad_call export_extra export "'c.h5'" export csv a.h5 c.h5

check "unknown commands and 'lihop help CMD' for an unknown CMD: one error line, the overview, exit 2"
for args in "frobnicate" "help frobnicate"; do
    name=unk_${args// /_}
    # shellcheck disable=SC2086
    expect_rc 2 "$name" "$LIHOP" $args
    head -n1 "$name.err" | grep -q "^lihop: error: .*'frobnicate'" || { show "$name"; fail "'lihop $args': no error line naming frobnicate"; }
    sed -n 2p "$name.err" | grep -q "^usage:" || { show "$name"; fail "'lihop $args': no usage after the error"; }
done

check "--opt=value works: run --threads=2 --output=eq.h5, validate --check=NAME --threads=2"
expect_rc 0 eq "$LIHOP" run tiny.yaml --threads=2 --output=eq.h5
grep -q '^backend: cpu (2 OpenMP threads)$' eq.out || { show eq; fail "the banner does not read 'backend: cpu (2 OpenMP threads)'"; }
[ "$(attr eq.h5 /metadata/threads)" = 2 ] || fail "/metadata threads is not 2 for --threads=2"
[ "$(attr eq.h5 /metadata/command_line)" = "lihop run tiny.yaml --threads=2 --output=eq.h5" ] ||
    fail "/metadata command_line is '$(attr eq.h5 /metadata/command_line)', not the command as typed"
expect_rc 0 valeq "$LIHOP" validate --check=garnet_lattice_counts --threads=2 --json
grep -q '"name": "garnet_lattice_counts"' valeq.out || { show valeq; fail "validate --check=NAME did not run NAME"; }
expect_rc 2 valnone "$LIHOP" validate --check=no_such_check
grep -q "no_such_check" valnone.err || { show valnone; fail "an unknown check is not named"; }

check "--version says what it found and never 'CUDA driver version is insufficient'"
expect_rc 0 version "$LIHOP" --version
grep -q '^CUDA device: ' version.out || { show version; fail "no 'CUDA device:' line"; }
if grep -qi 'driver version is insufficient' version.out; then show version; fail "--version prints the CUDA runtime's no-GPU message"; fi

# csv_cells FILE.csv: the CSV's data as "row column value" lines (column names
# without their units, rows from 0, wall_s left out as summary() does).
csv_cells() {
    awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) {n = $i; sub(/ \[.*\]$/, "", n); name[i] = n}; next}
             {for (i = 1; i <= NF; i++) if (name[i] != "wall_s") print NR - 2, name[i], $i}' "$1"
}

check "export csv: header 'name [unit]' from /summary's units, one row per point, the file's numbers to 17 digits"
expect_rc 0 res "$LIHOP" run tiny.yaml -o res.h5
expect_rc 0 csv_stdout "$LIHOP" export csv res.h5
[ ! -s csv_stdout.err ] || { show csv_stdout; fail "export of a complete file wrote to stderr"; }
expect_rc 0 csv_file "$LIHOP" export csv res.h5 -o res.csv
cmp -s res.csv csv_stdout.out || fail "export -o res.csv differs from the export to stdout"
expect_rc 0 csv_eq "$LIHOP" export csv --output=res2.csv res.h5
cmp -s res.csv res2.csv || fail "export --output=res2.csv differs"
header=$(head -n1 res.csv)
grep -qF 'sigma_S_m [S/m]' <<<"$header" || fail "the header has no 'sigma_S_m [S/m]': $header"
grep -qF 'T_K [K]' <<<"$header" || fail "the header has no 'T_K [K]': $header"
grep -qF 'D_li_m2_s [m^2/s]' <<<"$header" || fail "the header has no 'D_li_m2_s [m^2/s]': $header"
# every column with the unit /summary's units attribute gives it, in order
{ h5dump -A -a /summary/units res.h5 2>/dev/null || true; } | awk '/^ *DATA \{/ {f = 1; next} f' |
    grep -oE '"[^"]*"' | tr -d '"' > units.txt
summary res.h5 | awk '$1 == 0 {print $2}' > names.txt
ncol=$(awk -F, 'NR == 1 {print NF}' res.csv)
[ "$ncol" -eq "$(wc -l < units.txt)" ] || { cat units.txt >&2; fail "the CSV has $ncol columns, /summary units has $(wc -l < units.txt)"; }
head -n1 res.csv | tr ',' '\n' | sed 's/^\(.*\) \[\(.*\)\]$/\2/' > csv_units.txt
cmp -s csv_units.txt units.txt || { diff csv_units.txt units.txt >&2; fail "the header's units differ from /summary's units attribute"; }
nrows=$(( $(wc -l < res.csv) - 1 ))
[ "$nrows" -eq 2 ] || fail "the CSV has $nrows rows, /summary has 2"
csv_cells res.csv > csv_cells.txt
summary res.h5 | sed 's/ -nan$/ nan/' > h5_cells.txt
[ -s h5_cells.txt ] || fail "could not read /summary of res.h5"
cmp -s csv_cells.txt h5_cells.txt || { diff csv_cells.txt h5_cells.txt >&2; fail "the CSV's numbers differ from /summary's"; }
awk -F, 'NR > 1 {for (i = 1; i <= NF; i++) if ($i !~ /^(-?[0-9.]+(e[-+][0-9]+)?|nan|-?inf)$/) {print "bad field: " $i; exit 1}}' res.csv ||
    fail "a CSV field is not a number or nan"

check "export csv of an interrupted file: a warning on stderr, the finished rows on stdout, exit 0"
sed -e 's/^  walkers: .*/  walkers: 6000/' -e 's/^  hops_per_walker: .*/  hops_per_walker: 2500/' tiny.yaml > slow.yaml
grep -q '^  walkers: 6000$' slow.yaml || fail "test setup: could not make slow.yaml"
interrupt_after int '^ *298\.15 +[0-9.]+e[-+][0-9]+ ' "$LIHOP" run slow.yaml -o int.h5 --threads 2
[ "$RC" -eq 130 ] || { show int; fail "the interrupted run exited $RC, expected 130 (machine too fast? raise walkers)"; }
expect_rc 0 csv_int "$LIHOP" export csv int.h5
grep -q "^lihop: warning: int.h5 has status 'interrupted'" csv_int.err || { show csv_int; fail "no warning about the status"; }
[ "$(( $(wc -l < csv_int.out) - 1 ))" -eq "$(summary int.h5 | awk '$2 == "point"' | wc -l)" ] ||
    { show csv_int; fail "the interrupted file's CSV does not have one row per finished point"; }

check "export errors: a missing file (exit 3), not HDF5, not a lihop file, no /summary (exit 2): one message, no output"
expect_rc 3 ex_missing "$LIHOP" export csv missing.h5 -o missing.csv
grep -q "^lihop: error: .*missing.h5" ex_missing.err || { show ex_missing; fail "the missing file is not named"; }
[ ! -e missing.csv ] || fail "a failed export left missing.csv"
cp tiny.yaml notes.h5
expect_rc 2 ex_text "$LIHOP" export csv notes.h5
grep -q "^lihop: error: notes.h5 is not an HDF5 file" ex_text.err || { show ex_text; fail "a text file is not called 'not an HDF5 file'"; }
expect_rc 0 micro "$LIHOP" micro tiny.yaml -o micro.h5
expect_rc 2 ex_micro "$LIHOP" export csv micro.h5
grep -q "^lihop: error: micro.h5 is not a lihop results file" ex_micro.err || { show ex_micro; fail "a micro file is not refused as not a results file"; }
expect_rc 0 graph "$LIHOP" lattice "$SRC/lattices/llzo_cubic.yaml" -o graph.h5
expect_rc 2 ex_graph "$LIHOP" export csv graph.h5
grep -q "^lihop: error: graph.h5 " ex_graph.err || { show ex_graph; fail "a lattice graph file is not refused with a message naming it"; }
for n in ex_missing ex_text ex_micro ex_graph; do
    [ ! -s "$n.out" ] || { show "$n"; fail "a failed export wrote to stdout"; }
    [ "$(wc -l < "$n.err")" -eq 1 ] || { show "$n"; fail "a failed export printed more than one line"; }
done

echo "cli_help: all checks passed"
