#!/usr/bin/env bash
# Installs the tool under PREFIX (as root for a system prefix):
#   PREFIX/bin/atomik              built with the Swift runtime linked in, so it runs without the toolchain
#   PREFIX/share/atomik/           its own files: rtl/ (the atomik-unit preset), testbench/, explore/, regress/
# The simulators it drives come from Debian (scripts/setup.sh installs them).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: scripts/install.sh PREFIX" >&2; exit 2; }
prefix=$1
cd "$(dirname "$0")/.."
scratch=.build-install
swift build -c release --product atomik --static-swift-stdlib --scratch-path "$scratch"
bin=$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)
mkdir -p "$prefix/bin" "$prefix/share/atomik"
install -m 755 "$bin/atomik" "$prefix/bin/atomik"
for d in rtl testbench explore regress; do
    rm -rf "${prefix:?}/share/atomik/$d"
    cp -R "$d" "$prefix/share/atomik/$d"
done
echo "install: $prefix/bin/atomik, with its files in $prefix/share/atomik"
