#!/bin/bash
# The LANES sweep of issue #17: our unit at W = 32 and 64, C = 64 and 256,
# sram, LANES 1..16, on the iCE40 HX8K (yosys synth_ice40, nextpnr-ice40,
# best of 3 seeds at a 100 MHz target), every workload replayed on the RTL
# under Verilator cycle for cycle (--verify-rtl); then the fastest point of
# each width in lockstep co-simulation on both simulators, on the fan-in-table
# workload. Run from anywhere after scripts/setup.sh and swift build -c release:
#   bash docs/lanes/sweep.sh > docs/lanes/cosim.txt
# It writes the report set to docs/lanes/explore (results.md is the table).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
atomik=$root/.build/release/atomik
cd "$root"
"$atomik" explore --widths 32,64 --contexts 64,256 --storages sram --lanes 1,2,4,7,8,12,15,16 --devices hx8k \
    --seeds 3 --freq 100 --verify-rtl --out docs/lanes/explore >&2
for point in "32 64 15" "32 256 15" "64 64 7" "64 256 7"; do
    set -- $point
    echo "## W=$1 C=$2 LANES=$3, fan-in-table, 200000 items, seed 1"
    "$atomik" cosim --recipe fan-in-table --seed 1 --length 200000 --width "$1" --contexts "$2" --storage sram --lanes "$3" \
        --simulator both 2>&1
done
