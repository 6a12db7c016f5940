#!/usr/bin/env bash
# Build (once per design point, cached) and run the testbench under one simulator.
#
#   testbench/run.sh icarus|verilator [PARAM=VALUE ...] -- +vectors=F +cycles=N +trace=F [+expected=F]
#   testbench/run.sh coverage ... -- ... +coverage=F   Verilator built with --coverage; writes its counts to F
#   testbench/run.sh shim [PARAM=VALUE ...]     builds testbench/atomik_shim.cpp around the
#                                               Verilator model into a shared library; prints its path
#
# PARAM is one of WIDTH CONTEXTS STORAGE READ_LATENCY LANES DEPTH (tb_atomik_unit's
# parameters); this script is the one place that maps them to each tool's flags.
# $ATOMIK_RTL_DIR (default rtl) names another copy of the RTL, such as a mutant.
# Builds are cached in $ATOMIK_RTL_CACHE (default $ATOMIK_CACHE_DIR/rtl, else
# $XDG_CACHE_HOME/atomik/rtl, else ~/.cache/atomik/rtl, where DUT builds go too), keyed by
# the RTL and testbench sources, the parameters and the simulator's version.
# `testbench/run.sh SIM [PARAM=VALUE ...] --build-only` builds and prints the
# cached simulator's path. The run counts only if its output ends with
# "ATOMIK-TB FINISHED".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

die() { echo "testbench/run.sh: $*" >&2; exit 2; }
[ $# -ge 1 ] || die "usage: testbench/run.sh icarus|verilator [PARAM=VALUE ...] -- PLUSARGS"
sim=$1; shift
params=()
build_only=0
while [ $# -gt 0 ]; do
    case $1 in
        --) shift; break ;;
        --build-only) build_only=1; shift ;;
        WIDTH=*|CONTEXTS=*|STORAGE=*|READ_LATENCY=*|LANES=*|DEPTH=*) params+=("$1"); shift ;;
        *) die "unknown parameter '$1': expected WIDTH, CONTEXTS, STORAGE, READ_LATENCY, LANES or DEPTH=VALUE" ;;
    esac
done

case $sim in
    icarus) tool=iverilog; package=iverilog ;;
    verilator|coverage|shim) tool=verilator; package=verilator ;;
    *) die "unknown simulator '$sim': expected icarus, verilator, coverage or shim" ;;
esac
command -v "$tool" >/dev/null || die "$tool not found: install it with 'apt-get install $package' (or run scripts/setup.sh)"

rtl_dir=${ATOMIK_RTL_DIR:-rtl}
[ -f "$rtl_dir/atomik_unit.v" ] || die "no RTL in '$rtl_dir' (ATOMIK_RTL_DIR)"
# files.f names files relative to itself; an array, so that a directory with a space in its path stays one word.
sources=(); while IFS= read -r f || [ -n "$f" ]; do [ -n "$f" ] && sources+=("$rtl_dir/$f"); done <rtl/files.f
version=$("$tool" -V 2>&1 || true)
key=$( { for f in "${sources[@]}" "$rtl_dir/atomik_isa.vh" testbench/tb_atomik_unit.v testbench/tb_main.cpp testbench/atomik_shim.cpp \
                testbench/atomik_port_words.h
         do cat "$f"; done
         echo "${params[*]}"; echo "${version%%$'\n'*}"; } | sha256sum | cut -c1-16)
if [ -n "${ATOMIK_RTL_CACHE:-}" ]; then cache_root=$ATOMIK_RTL_CACHE
elif [ -n "${ATOMIK_CACHE_DIR:-}" ]; then cache_root=$ATOMIK_CACHE_DIR/rtl   # shared by runs on many machines
else cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/atomik/rtl; fi
cache=$cache_root/$sim-$key

if [ ! -d "$cache" ]; then
    mkdir -p "$(dirname "$cache")"
    tmp=$(mktemp -d "$cache.tmp.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    case $sim in
        icarus)
            flags=(); for p in "${params[@]}"; do flags+=("-Ptb_atomik_unit.$p"); done
            iverilog -g2005 -I"$rtl_dir" -s tb_atomik_unit "${flags[@]}" -o "$tmp/sim" "${sources[@]}" testbench/tb_atomik_unit.v
            ;;
        verilator|coverage)
            flags=(); for p in "${params[@]}"; do flags+=("-G$p"); done
            [ "$sim" = coverage ] && flags+=(--coverage)   # line, branch and toggle counts, written at the end (+coverage=FILE)
            verilator --cc --exe --build -j 2 -Wno-fatal -Wno-lint -Wno-style -O3 \
                -MAKEFLAGS "OPT_FAST=-O3 OPT_SLOW=-O1 OPT_GLOBAL=-O3" \
                --top-module tb_atomik_unit -I"$rtl_dir" "${flags[@]}" -Mdir "$tmp/obj" -o "$tmp/sim" \
                "${sources[@]}" testbench/tb_atomik_unit.v "$root/testbench/tb_main.cpp" >"$tmp/build.log" 2>&1 \
                || { cat "$tmp/build.log" >&2; die "verilator build failed"; }
            rm -rf "$tmp/obj"
            ;;
        shim)
            flags=(); width=64; contexts=256; lanes=1
            for p in "${params[@]}"; do
                case $p in DEPTH=*) ;; *) flags+=("-G$p") ;; esac
                case $p in WIDTH=*) width=${p#WIDTH=} ;; CONTEXTS=*) contexts=${p#CONTEXTS=} ;; LANES=*) lanes=${p#LANES=} ;; esac
            done
            addr_bits=1; while [ $((1 << addr_bits)) -lt "$contexts" ]; do addr_bits=$((addr_bits + 1)); done
            inc=/usr/share/verilator/include
            verilator --cc -Wno-fatal -Wno-lint -Wno-style -O3 --top-module atomik_unit -I"$rtl_dir" "${flags[@]}" \
                -Mdir "$tmp/obj" "${sources[@]}" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; die "verilator failed"; }
            for f in "$tmp"/obj/Vatomik_unit*.cpp; do echo "#include \"$f\""; done >"$tmp/model.cpp"
            g++ -std=c++17 -O3 -fPIC -shared -faligned-new -Wl,-Bsymbolic -DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=0 \
                -DATOMIK_WIDTH="$width" -DATOMIK_LANES="$lanes" -DATOMIK_ADDR_BITS="$addr_bits" -I"$tmp/obj" -I"$inc" -I"$inc/vltstd" -o "$tmp/sim" \
                testbench/atomik_shim.cpp "$tmp/model.cpp" "$inc/verilated.cpp" "$inc/verilated_threads.cpp" \
                -pthread -latomic >>"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; die "shim build failed"; }
            rm -rf "$tmp/obj"
            ;;
    esac
    # Another run (here, or on another machine sharing the cache) may have built it meanwhile:
    # -T renames onto the name, never into a directory already there.
    mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
    trap - EXIT
fi

if [ $build_only = 1 ] || [ "$sim" = shim ]; then echo "$cache/sim"; exit 0; fi
case $sim in
    icarus) exec vvp -n "$cache/sim" "$@" ;;
    verilator|coverage) exec "$cache/sim" "$@" ;;
esac
