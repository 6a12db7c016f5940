// atomik-bench: benchmarks that print figures (no pass/fail).
//
//   swift run -c release atomik-bench core [--ops N] [--python PATH]
//       the same N-operation streams through the Swift software core and, in
//       the same run, through atomik-core 0.4.0 (scripts/atomik_reference.py
//       bench): ops/s of each and the ratio (default N = 10^6).
//   swift run -c release atomik-bench cycle [--ops N]
//       cycles/s of the cycle model for each storage at W=64, C=256, beside the
//       software core on the same stream (default N = 10^7).
//   swift run -c release atomik-bench rtl [--ops N]
//       cycles/s of the RTL under Verilator and Icarus beside the cycle model,
//       W=64 C=256 sram, and the cold and cached build times (default N = 10^6).
//   swift run -c release atomik-bench cosim [--ops N]
//       Verilator alone, lockstep co-simulation and Icarus co-simulation
//       (default N = 10^7 cycles; Icarus on N/10).
//   swift run -c release atomik-bench cosim-parts [--ops N]
//       the lockstep's main-thread work alone (stimulus, model recording, core),
//       no simulator and no subprocess, so callgrind can count it (default N = 10^6).
//   swift run -c release atomik-bench dut [--ops N]
//       our unit as a DUT: stepped alone through its shim, and transaction-level
//       lockstep co-simulation of the same operations (default N = 2 x 10^6, held in memory).

import Foundation

struct Arguments {
    var command = "core"
    var ops: Int?
    var python: String?

    init(_ args: [String]) {
        var it = args.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "--ops": ops = Int(it.next() ?? "")
            case "--python": python = it.next()
            default: command = a
            }
        }
    }
}

let args = Arguments(CommandLine.arguments)
switch args.command {
case "core": CoreBenchmark.run(ops: args.ops ?? 1_000_000, python: args.python)
case "cycle": CycleBenchmark.run(cycles: args.ops ?? 10_000_000)
case "rtl": RTLBenchmark.run(operations: args.ops ?? 1_000_000)
case "cosim": CosimBenchmark.run(cycles: args.ops ?? 10_000_000, icarusCycles: (args.ops ?? 10_000_000) / 10)
case "cosim-parts": CosimBenchmark.runParts(cycles: args.ops ?? 1_000_000)
case "dut": DUTBenchmark.run(cycles: args.ops ?? 2_000_000)
default:
    FileHandle.standardError.write("unknown benchmark '\(args.command)': expected core, cycle, rtl, cosim, cosim-parts or dut\n".data(using: .utf8)!)
    exit(2)
}
