#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine (run as root, or with sudo):
# the simulators and FPGA tools, z3 (atomik prove runs it under yosys-smtbmc), Chromium (the report test renders report.html), zlib for the FST writer
# and GTKWave's fst2vcd (the FST test reads waveforms back with it), Slurm and munge (a test runs a private
# one-node cluster), lcov (genhtml renders code coverage), a Python venv with the reference package
# atomik-core 0.4.0 in .venv/, and a release build of the tool.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
packages="iverilog verilator yosys z3 nextpnr-ice40 fpga-icestorm python3 python3-venv g++ make procps git chromium gtkwave zlib1g-dev slurm-wlm munge lcov time"
missing=""
# Installed, not merely known to dpkg (a removed package keeps its configuration and `dpkg -s` succeeds).
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing"
    # apt's download sandbox user (_apt) cannot write /dev/null on some of
    # these machines (mode 755), which makes signature checks fail and leaves
    # the package lists stale or empty; run those steps as root instead.
    apt=(apt-get -o APT::Sandbox::User=root)
    $SUDO "${apt[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO "${apt[@]}" install -y -qq $missing >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with atomik-core==0.4.0"
    "$python" -m venv .venv
fi
.venv/bin/python -c "import atomik_core" 2>/dev/null || .venv/bin/pip install -q atomik-core==0.4.0

echo "setup: building atomik (release)"
swift build -c release --product atomik
echo "setup: done; the tool is $(swift build -c release --show-bin-path)/atomik"
