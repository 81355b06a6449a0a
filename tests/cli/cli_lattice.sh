#!/usr/bin/env bash
# cli_lattice.sh - `lihop lattice FILE [--cells N1 N2 N3] [-o GRAPH.h5]`: the
# cubic LLZO report (24 T + 48 O sites per cell, T-O hops at 1.99 A), the hop
# graph file of a 2x2x2 supercell, and the exit codes and FILE:LINE messages
# for missing and broken lattice files.
#   usage: bash tests/cli/cli_lattice.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup lattice "$@"
LLZO=$SRC/lattices/llzo_cubic.yaml
SC=$SRC/tests/data/cli_lattice_sc.yaml

# expect_line NAME REGEX: NAME.out has a line matching REGEX (extended).
expect_line() { grep -qE -- "$2" "$1.out" || { show "$1"; fail "no line matching '$2'"; }; }
# bad_lattice NAME SED_EXPR LINE_REGEX KEY: NAME.yaml (the simple cubic fixture
# edited) makes `lihop lattice` exit 2 with "NAME.yaml:LINE: key 'KEY': expected",
# LINE being that of the line matching LINE_REGEX.
bad_lattice() {
    local name=$1 expr=$2 lre=$3 key=$4 line
    sed "$expr" sc.yaml > "$name.yaml"
    cmp -s sc.yaml "$name.yaml" && fail "test setup: '$expr' did not change the fixture"
    line=$(grep -nE -- "$lre" "$name.yaml" | cut -d: -f1)
    [ -n "$line" ] && [ "$(echo "$line" | wc -l)" -eq 1 ] || fail "test setup: '$lre' does not match one line"
    expect_rc 2 "$name" "$LIHOP" lattice "$name.yaml"
    grep -qF -- "lihop: error: $name.yaml:$line: key '$key': expected " "$name.err" ||
        { show "$name"; fail "message is not 'lihop: error: $name.yaml:$line: key '$key': expected ...'"; }
    echo "  ok: $(cat "$name.err")"
}

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"
[ -f "$LLZO" ] || fail "no $LLZO"

check "lihop lattice llzo_cubic.yaml: 24 T + 48 O sites per cell, T-O hops at 1.990 A, 4 O per T, 2 T per O"
expect_rc 0 llzo "$LIHOP" lattice "$LLZO"
expect_line llzo 'sites per sublattice: +T 24/cell \(24 total\) +O 48/cell \(48 total\)'
expect_line llzo '72 sites \(72 per cell\)'
expect_line llzo '^ +T-O +1\.990 A +x 96$'
expect_line llzo '^ +O-T +1\.990 A +x 96$'
expect_line llzo '^ +T +4-4 +\(T 0-0, O 4-4\)'
expect_line llzo '^ +O +2-2 +\(T 2-2, O 0-0\)'
expect_line llzo 'Ia-3d \(No\. 230\)'
nd=$(sed -n '/hop distances/,/^  hops:/p' llzo.out | grep -cE '^ +[A-Z]+-[A-Z]+ +[0-9.]+ A +x' || true)
[ "$nd" -eq 2 ] || { show llzo; fail "$nd hop-distance lines, expected only T-O and O-T (no T-T or O-O hops)"; }

check "--cells 2 2 2 -o g.h5 writes the hop graph: 576 sites, 1536 directed hops, all 1.99 A"
expect_rc 0 graph "$LIHOP" lattice "$LLZO" --cells 2 2 2 -o g.h5
[ -f g.h5 ] || fail "g.h5 was not written"
[ ! -e g.h5.part ] || fail "g.h5.part was left behind"
grep -q 'hop graph written to g.h5' graph.out || { show graph; fail "no 'hop graph written to g.h5'"; }
expect_line graph '576 sites \(72 per cell\)'
expect_line graph 'T 24/cell \(192 total\) +O 48/cell \(384 total\)'
[ "$(dims g.h5 /lattice/positions_m)" = "576, 3" ] || fail "/lattice/positions_m dims '$(dims g.h5 /lattice/positions_m)'"
[ "$(dims g.h5 /lattice/hop_nbr)" = "1536" ] || fail "/lattice/hop_nbr dims '$(dims g.h5 /lattice/hop_nbr)'"
[ "$(dims g.h5 /lattice/hop_start)" = "577" ] || fail "/lattice/hop_start dims '$(dims g.h5 /lattice/hop_start)'"
[ "$(dims g.h5 /lattice/hop_vec_m)" = "1536, 3" ] || fail "/lattice/hop_vec_m dims '$(dims g.h5 /lattice/hop_vec_m)'"
[ "$(vals g.h5 /lattice/hop_start | tail -n1)" = 1536 ] || fail "hop_start does not end at 1536"
vals g.h5 /lattice/sublattice > sub.txt
[ "$(grep -cx 0 sub.txt || true)" -eq 192 ] && [ "$(grep -cx 1 sub.txt || true)" -eq 384 ] ||
    fail "/lattice/sublattice does not hold 192 T (0) and 384 O (1) sites"
# lengths in metres (SI) with unit "m"
vals g.h5 /lattice/cell_m | awk '{v[NR] = $1} END {
    for (i = 1; i <= 9; i++) {w = (i == 1 || i == 5 || i == 9) ? 25.94e-10 : 0; if ((v[i] - w)^2 > 1e-40) exit 1}
    exit NR != 9}' || fail "/lattice/cell_m is not 2 x 12.97e-10 m on the diagonal: $(vals g.h5 /lattice/cell_m | tr '\n' ' ')"
for ds in positions_m hop_vec_m cell_m unit_cell_m; do
    [ "$(attr g.h5 /lattice/$ds/unit)" = m ] || fail "/lattice/$ds unit is '$(attr g.h5 /lattice/$ds/unit)', not m"
done
awk -v c="$(attr g.h5 /lattice/hop_cutoff_m)" 'BEGIN {exit !(c > 1e-10 && c < 1e-9)}' ||
    fail "/lattice hop_cutoff_m '$(attr g.h5 /lattice/hop_cutoff_m)' is not in metres"
h5dump -A g.h5 | grep -qE 'ATTRIBUTE "[a-z_]*_A"|DATASET "[a-z_]*_A"|"angstrom"' && fail "g.h5 still stores angstrom"
vals g.h5 /lattice/hop_vec_m | awk '
    {v[++n % 3] = $1; if (n % 3 == 0) {d = sqrt(v[1]^2 + v[2]^2 + v[0]^2); if (d < 1.985e-10 || d > 1.995e-10) bad++; m++}}
    END {if (m != 1536 || bad) {printf "  %d hop vectors, %d not 1.99e-10 m long\n", m, bad; exit 1}}' ||
    fail "/lattice/hop_vec_m lengths are not all 1.99e-10 m"
vals g.h5 /lattice/hop_nbr | awk '$1 < 0 || $1 >= 576 {bad++} END {exit bad > 0}' || fail "/lattice/hop_nbr has a site index outside 0..575"

check "g.h5 /metadata: provenance (version, git describe, command line, creation time)"
ver=$("$LIHOP" --version | sed -n '1s/^lihop \([^ ]*\) (\(.*\))$/\1 \2/p')
[ "$(attr g.h5 /metadata/file_kind)" = lattice ] || fail "/metadata file_kind is '$(attr g.h5 /metadata/file_kind)'"
[ "$(attr g.h5 /metadata/lihop_version) $(attr g.h5 /metadata/git_describe)" = "$ver" ] ||
    fail "/metadata lihop_version, git_describe '$(attr g.h5 /metadata/lihop_version) $(attr g.h5 /metadata/git_describe)', --version says '$ver'"
[ "$(attr g.h5 /metadata/command_line)" = "lihop lattice $LLZO --cells 2 2 2 -o g.h5" ] ||
    fail "/metadata command_line is '$(attr g.h5 /metadata/command_line)'"
attr g.h5 /metadata/created | grep -qE '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z$' ||
    fail "/metadata created is '$(attr g.h5 /metadata/created)', not ISO 8601 UTC"

check "a missing lattice file exits 3 and names the file"
expect_rc 3 missing "$LIHOP" lattice no_such_lattice.yaml
grep -q 'no_such_lattice.yaml' missing.err || { show missing; fail "the message does not name the file"; }

check "an unwritable -o path exits 3; bad --cells exit 2"
expect_rc 3 nodir "$LIHOP" lattice "$LLZO" -o no/such/dir/g.h5
expect_rc 2 cells0 "$LIHOP" lattice "$LLZO" --cells 0 1 1
grep -q -- '--cells' cells0.err || { show cells0; fail "no message about --cells"; }
expect_rc 2 cellsx "$LIHOP" lattice "$LLZO" --cells 2 x 2

check "the simple cubic fixture is valid: 6 neighbours at 2.000 A"
cp "$SC" sc.yaml
expect_rc 0 sc "$LIHOP" lattice sc.yaml --cells 3 3 3
expect_line sc '^ +A +6-6'
expect_line sc '^ +A-A +2\.000 A +x 162$'

check "broken lattice files exit 2 with FILE:LINE: key '...': expected ..."
bad_lattice unknown 's/^hop_cutoff_A: 2.2$/hop_cutof_A: 2.2/' '^hop_cutof_A:' hop_cutof_A
bad_lattice neg_a 's/^a_A: 2.0$/a_A: -2.0/' '^a_A:' a_A
bad_lattice sg 's/^space_group: 221$/space_group: 231/' '^space_group:' space_group
bad_lattice frac 's/^    frac: .*/    frac: [0.0, 0.0]/' '^    frac:' 'sites[0].frac'
bad_lattice cutoff 's/^hop_cutoff_A: 2.2$/hop_cutoff_A: -1/' '^hop_cutoff_A:' hop_cutoff_A

check "a lattice YAML syntax error exits 2 with FILE:LINE"
sed 's/^name: cli-simple-cubic$/name: cli: simple: cubic/' sc.yaml > syn.yaml
cmp -s sc.yaml syn.yaml && fail "test setup: could not break the fixture"
expect_rc 2 syn "$LIHOP" lattice syn.yaml
grep -qE "^lihop: error: syn\.yaml:$(grep -n '^name:' syn.yaml | cut -d: -f1): .*YAML" syn.err ||
    { show syn; fail "no syn.yaml:LINE for a YAML syntax error"; }

echo "cli_lattice: all checks passed"
