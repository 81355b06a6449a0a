#!/usr/bin/env bash
# run_benchmarks.sh - run the throughput benchmarks and record them as JSON lines in
# bench/results/<UTC date>_<host>_<cpu|cuda>.jsonl (one line per run, device in each).
#   usage: bench/run_benchmarks.sh [BUILD_DIR] [cpu|cuda]
set -euo pipefail
build=${1:-build}
backend=${2:-cpu}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/results/$(date -u +%Y-%m-%d)_$(hostname -s)_${backend}.jsonl"
mkdir -p "$here/results"
run() { echo "+ $*" >&2; "$@" | tee -a "$out"; }
if [ "$backend" = cpu ]; then
    cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
    echo "{\"note\": \"CPU: $cpu, $(nproc) cores\"}" >> "$out"
    run "$build/lihop_bench" --case a --threads 1
    run "$build/lihop_bench" --case a --threads 2
    run "$build/lihop_bench" --case b --threads 1
    run "$build/lihop_bench" --case b --threads 2
    run "$build/garnet_bench" --threads 1 --replicas 32
    run "$build/garnet_bench" --threads 2 --replicas 64
    run "$build/garnet_bench" --threads 1 --replicas 128 --shells --li-per-fu 6.4
    run "$build/network_bench" --n 64
    run "$build/network_bench" --n 128
else
    run "$build/lihop_bench" --case a --backend cuda
    run "$build/lihop_bench" --case b --backend cuda
    run "$build/garnet_bench" --backend cuda --cuda-mode shared --replicas 16384
    run "$build/garnet_bench" --backend cuda --cuda-mode global --replicas 16384
    run "$build/garnet_bench" --backend cuda --replicas 16384 --shells --li-per-fu 6.4
fi
echo "recorded in $out" >&2
