#!/bin/bash
# Feasibility study for issue #17 (not part of the tool): checks lanes_proto
# under Icarus against a behavioural table, then synthesises it with yosys
# and places and routes it with nextpnr for the iCE40 HX8K (ct256), as
# `atomik explore` does (target 50 MHz, seeds 1-3, the best Fmax counts), at
# the design points below. Prints a Markdown table; run from anywhere:
#   bash docs/lanes-study/sweep.sh > docs/lanes-study/results.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bank=$here/../../rtl/atomik_sram_bank.v
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "Icarus, W=16 C=8 K=4, 200000 cycles (hazards on every few cycles):"
iverilog -g2012 -o "$work/tb" "$bank" "$here/lanes_proto.v" "$here/tb_lanes.v" 2>/dev/null
vvp -n "$work/tb" | tail -1
echo "Icarus, W=32 C=64 K=15, 50000 cycles:"
iverilog -g2012 -P tb_lanes.W=32 -P tb_lanes.C=64 -P tb_lanes.AB=6 -P tb_lanes.K=15 -P tb_lanes.CYCLES=50000 \
    -o "$work/tb15" "$bank" "$here/lanes_proto.v" "$here/tb_lanes.v" 2>/dev/null
vvp -n "$work/tb15" | tail -1
echo
echo "| W | C | K | logic cells | block RAMs | Fmax MHz | K x Fmax, ACCUM/s |"
echo "|---|---|---|---|---|---|---|"
point() {
    local W=$1 C=$2 K=$3 AB d
    AB=$(python3 -c "import math; print(max(1, math.ceil(math.log2($C))))")
    d=$work/$W-$C-$K
    mkdir -p "$d"
    yosys -q -l "$d/yosys.log" -p "read_verilog $bank $here/lanes_proto.v; chparam -set W $W -set C $C -set AB $AB -set K $K lanes_harness; synth_ice40 -top lanes_harness -json $d/h.json" >/dev/null
    for seed in 1 2 3; do
        nextpnr-ice40 --hx8k --package ct256 --json "$d/h.json" --pcf-allow-unconstrained --freq 50 --seed $seed \
            --timing-allow-fail -q --report "$d/report-$seed.json" >"$d/pnr-$seed.log" 2>&1 || true
    done
    python3 - "$d" "$W" "$C" "$K" <<'PY'
import json, os, sys
d, W, C, K = sys.argv[1], *map(int, sys.argv[2:])
best = None
for seed in (1, 2, 3):
    path = f"{d}/report-{seed}.json"
    if not os.path.exists(path):
        continue
    r = json.load(open(path))
    if not r.get("fmax"):
        continue
    fmax = min(v["achieved"] for v in r["fmax"].values())
    if best is None or fmax > best[0]:
        best = (fmax, r)
if best is None:
    print(f"| {W} | {C} | {K} | did not place and route | | | |")
else:
    fmax, r = best
    u = r["utilization"]
    print(f"| {W} | {C} | {K} | {u['ICESTORM_LC']['used']}/{u['ICESTORM_LC']['available']} | "
          f"{u['ICESTORM_RAM']['used']}/{u['ICESTORM_RAM']['available']} | {fmax:.1f} | {K * fmax / 1e3:.2f} G |")
PY
}
for K in 1 2 4 8 12 15; do point 32 64 $K; done
point 32 256 15
point 64 64 7
point 64 256 7
