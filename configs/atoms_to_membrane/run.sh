#!/usr/bin/env bash
# run.sh - "from atoms to a membrane" in order (README.md here):
#   1. garnet bulk          -> garnet_bulk.h5   (sigma(T), Ea, Li density)
#   2. garnet bicrystal     -> garnet_gb.h5     (boundary ASR(T))
#   3. what the voxel deck will take from them (lihop handoff, for inspection)
#   4. the membrane         -> membrane.h5      (phases/interfaces from_garnet)
#   5. BPX 1.1 for PyBaMM   -> cell.json        (lihop export bpx)
# usage: bash configs/atoms_to_membrane/run.sh [LIHOP] [THREADS]
#   LIHOP defaults to build/lihop of this repository; outputs go to this directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
lihop=${1:-$root/build/lihop}
case $lihop in */*) lihop=$(cd "$(dirname "$lihop")" && pwd)/$(basename "$lihop") ;; esac   # before the cd
threads=${2:-2}
cd "$here"
"$lihop" run garnet_bulk.yaml -o garnet_bulk.h5 --threads "$threads" --overwrite
"$lihop" run garnet_gb.yaml -o garnet_gb.h5 --threads "$threads" --overwrite
"$lihop" handoff garnet_bulk.h5 garnet_gb.h5 -o handoff.yaml
cat handoff.yaml
"$lihop" run membrane.yaml -o membrane.h5 --threads "$threads" --overwrite
"$lihop" export bpx membrane.h5 --base "$root/configs/bpx/nmc_pouch_cell_BPX.json" -o cell.json
