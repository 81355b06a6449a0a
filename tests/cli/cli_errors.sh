#!/usr/bin/env bash
# cli_errors.sh - bad input decks: exit code 2 and a message of the form
#   lihop: error: FILE:LINE: key 'KEY': expected ...
# with the exact line of the offending key; a missing file is exit 3; and a
# run that fails on its config never creates (or touches) its output file.
#   usage: bash tests/cli/cli_errors.sh LIHOP_BINARY SOURCE_DIR
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
cli_setup errors "$@"

# mutate NAME SED_EXPR: NAME.yaml = the fixture edited by SED_EXPR (which must change it).
mutate() {
    sed "$2" tiny.yaml > "$1.yaml"
    if cmp -s tiny.yaml "$1.yaml"; then fail "test setup: '$2' did not change the fixture"; fi
}
# line_of FILE REGEX: the line number of the single line matching REGEX.
line_of() {
    local n
    n=$(grep -nE -- "$2" "$1" | cut -d: -f1)
    [ -n "$n" ] && [ "$(echo "$n" | wc -l)" -eq 1 ] || fail "test setup: '$2' does not match exactly one line of $1"
    echo "$n"
}
# bad_config NAME LINE KEY [TEXT]: `lihop run NAME.yaml -o NAME.h5` exits 2 with
# "NAME.yaml:LINE: key 'KEY': expected ..." (and TEXT somewhere in the message),
# and NAME.h5 does not exist afterwards.
bad_config() {
    local name=$1 line=$2 key=$3 text=${4:-}
    expect_rc 2 "$name" "$LIHOP" run "$name.yaml" -o "$name.h5"
    local want="lihop: error: $name.yaml:$line: key '$key': expected "
    grep -qF -- "$want" "$name.err" || { show "$name"; fail "message is not of the form '$want...'"; }
    if [ -n "$text" ]; then grep -qF -- "$text" "$name.err" || { show "$name"; fail "message does not mention '$text'"; }; fi
    [ ! -e "$name.h5" ] || fail "$name.h5 was created although the config is invalid"
    echo "  ok: $(cat "$name.err")"
}

[ -x "$LIHOP" ] || fail "no lihop binary at $LIHOP"
cp "$FIXTURE" tiny.yaml

check "the unmodified fixture runs (exit 0), so each failure below is due to its edit"
expect_rc 0 good "$LIHOP" run tiny.yaml -o good.h5

check "unknown top-level key"
mutate unknown_key 's/^seed: 42$/seed: 42\nbogus_key: 1/'
bad_config unknown_key "$(line_of unknown_key.yaml '^bogus_key:')" bogus_key "unknown key"

check "unknown key inside a section (run.walker)"
mutate unknown_nested 's/^  walkers: 400$/  walker: 400/'
bad_config unknown_nested "$(line_of unknown_nested.yaml '^  walker:')" run.walker "unknown key"

check "negative temperature"
mutate neg_temp 's/^temperature_K: \[298.15, 353.15\]$/temperature_K: [298.15, -5]/'
bad_config neg_temp "$(line_of neg_temp.yaml '^temperature_K:')" 'temperature_K[1]' "-5"

check "volume_fraction 1.5"
mutate vf 's/^  volume_fraction: 0.16$/  volume_fraction: 1.5/'
bad_config vf "$(line_of vf.yaml '^  volume_fraction:')" microstructure.volume_fraction "1.5"

check "unknown phase name (microstructure.filler)"
mutate phase 's/^  filler: llzo$/  filler: llzoo/'
bad_config phase "$(line_of phase.yaml '^  filler:')" microstructure.filler "llzoo"

check "unknown phase name in an interface"
mutate iface 's/^  - phases: \[llzo, peo\]$/  - phases: [llzo, pe0]/'
bad_config iface "$(line_of iface.yaml '^  - phases:')" 'interfaces[0].phases[1]' "pe0"

check "unknown species in a carrier"
mutate species 's/^      - species: tfsi$/      - species: pf6/'
bad_config species "$(line_of species.yaml '^      - species: pf6')" 'phases[0].carriers[1].species' "pf6"

check "wrong type: run.walkers: abc"
mutate wtype 's/^  walkers: 400$/  walkers: abc/'
bad_config wtype "$(line_of wtype.yaml '^  walkers:')" run.walkers "abc"

check "duplicate key"
mutate dup 's/^seed: 42$/seed: 42\nseed: 43/'
bad_config dup "$(line_of dup.yaml '^seed: 43')" seed

check "missing required key (temperature_K)"
mutate missing '/^temperature_K:/d'
expect_rc 2 missing "$LIHOP" run missing.yaml -o missing.h5
grep -qE "^lihop: error: missing\.yaml:[0-9]+: key 'temperature_K': expected " missing.err ||
    { show missing; fail "message does not name missing.yaml:LINE and key temperature_K"; }
[ ! -e missing.h5 ] || fail "missing.h5 was created"

check "YAML syntax error on a known line"
mutate syntax 's/^seed: 42$/seed: 42: 3/'
expect_rc 2 syntax "$LIHOP" run syntax.yaml -o syntax.h5
grep -qE "^lihop: error: syntax\.yaml:$(line_of syntax.yaml '^seed: 42: 3'): .*expected " syntax.err ||
    { show syntax; fail "syntax error does not name syntax.yaml:LINE"; }
[ ! -e syntax.h5 ] || fail "syntax.h5 was created"

check "YAML syntax error: unterminated flow sequence"
mutate flow 's/^  walkers: 400$/  walkers: [400/'
expect_rc 2 flow "$LIHOP" run flow.yaml -o flow.h5
grep -qE "^lihop: error: flow\.yaml:[0-9]+: .*YAML" flow.err || { show flow; fail "syntax error does not name flow.yaml:LINE"; }
[ ! -e flow.h5 ] || fail "flow.h5 was created"

check "missing config file: exit 3, names the file, no output"
expect_rc 3 nofile "$LIHOP" run does_not_exist.yaml -o nofile.h5
grep -q 'does_not_exist.yaml' nofile.err || { show nofile; fail "message does not name the missing file"; }
[ ! -e nofile.h5 ] || fail "nofile.h5 was created for a missing config"

check "lihop micro reports the same config error and writes no output"
expect_rc 2 micro_vf "$LIHOP" micro vf.yaml -o micro_vf.h5
grep -qF "vf.yaml:$(line_of vf.yaml '^  volume_fraction:'): key 'microstructure.volume_fraction': expected " micro_vf.err ||
    { show micro_vf; fail "micro does not report vf.yaml:LINE"; }
[ ! -e micro_vf.h5 ] && [ ! -e micro_vf.h5.xdmf ] || fail "micro wrote output for an invalid config"

check "a config error with --overwrite leaves an existing output untouched"
cp good.h5 keep.h5
sum_before=$(cksum < keep.h5)
expect_rc 2 keep "$LIHOP" run vf.yaml -o keep.h5 --overwrite
[ "$(cksum < keep.h5)" = "$sum_before" ] || fail "keep.h5 changed although the config was invalid"

# A deck whose microstructure leaves a species with no carrying phase (here:
# volume_fraction 1.0 turns every voxel into llzo, which does not carry tfsi)
# runs: that species conducts nothing (only a deck where no species moves is refused).
check "a species no phase present carries conducts nothing: LLZO alone gives t+ = 1 exactly (volume_fraction: 1.0)"
mutate nocarrier 's/^  volume_fraction: 0.16$/  volume_fraction: 1.0/'
expect_rc 0 nocarrier "$LIHOP" run nocarrier.yaml -o nocarrier.h5
summary nocarrier.h5 | awk '$2 == "t_plus" && $3 != 1 {bad = 1} $2 == "sigma_tfsi_S_m" && $3 != 0 {bad = 1}
    END {exit bad}' || { summary nocarrier.h5; fail "t+ is not exactly 1 or tfsi conducts in pure LLZO"; }

# Values that used to pass the reader and fail, hang or mislead only at run
# time (issue 8 item 5): each is refused at its own line with the accepted range.
check "voxel_size_m: 1e300"
mutate vox_huge 's/^  voxel_size_m: 1.0e-8$/  voxel_size_m: 1e300/'
bad_config vox_huge "$(line_of vox_huge.yaml '^  voxel_size_m:')" microstructure.voxel_size_m "from 1e-10 to 0.01 m"

check "concentration_mol_L: 1e308"
mutate conc_huge 's/^        concentration_mol_L: 38.97$/        concentration_mol_L: 1e308/'
bad_config conc_huge "$(line_of conc_huge.yaml 'concentration_mol_L: 1e308')" \
    'phases[1].carriers[0].concentration_mol_L' "at most 200 mol/L"

check "field_V_m: [1e30, 0, 0]"
mutate field_huge 's/^seed: 42$/seed: 42\nfield_V_m: [1e30, 0, 0]/'
bad_config field_huge "$(line_of field_huge.yaml '^field_V_m:')" 'field_V_m[0]' "kT/(|z| e d)"

check "temperature 1 K"
mutate cold 's/^temperature_K: \[298.15, 353.15\]$/temperature_K: [298.15, 1]/'
bad_config cold "$(line_of cold.yaml '^temperature_K:')" 'temperature_K[1]' "from 50 to 3000 K"

check "hops_per_walker: 1e300 (used to hang)"
mutate hops_huge 's/^  hops_per_walker: 300$/  hops_per_walker: 1e300/'
bad_config hops_huge "$(line_of hops_huge.yaml '^  hops_per_walker:')" run.hops_per_walker "hops per point"

check "time_s: 1e-15 (used to print sigma = 0, converged yes)"
mutate time_tiny 's/^  hops_per_walker: 300$/  time_s: 1e-15/'
bad_config time_tiny "$(line_of time_tiny.yaml '^  time_s:')" run.time_s "at least 10 hops per walker"

check "a garnet deck at 1 K"
cat > garnet_cold.yaml <<EOF
model: garnet
backend: cpu
temperature_K: [300, 1]
garnet:
  material: $SRC/tests/data/garnet_material.yaml
  cells: [1, 1, 1]
run:
  replicas: 8
  hops_per_li: 20
EOF
bad_config garnet_cold 3 'temperature_K[1]' "from 50 to 3000 K"

check "a deck nested 100k brackets deep is refused at once (it took 68 s)"
{ printf 'model: voxel\ntemperature_K: '; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; echo; } > deep.yaml
start=$(date +%s)
expect_rc 2 deep "$LIHOP" run deep.yaml -o deep.h5
[ $(( $(date +%s) - start )) -le 5 ] || fail "refusing deep.yaml took more than 5 s"
grep -qF "lihop: error: deep.yaml:2: expected lists and mappings nested at most 64 deep" deep.err ||
    { show deep; fail "the message does not name deep.yaml:2 and the limit"; }
[ ! -e deep.h5 ] || fail "deep.h5 was created"

echo "cli_errors: all checks passed"
