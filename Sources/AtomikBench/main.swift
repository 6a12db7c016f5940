// atomik-bench: benchmarks that print figures (no pass/fail).
//
//   swift run -c release atomik-bench core [--ops N] [--python PATH]
//
// Runs the same N-operation streams through the Swift software core and, in
// the same run, through atomik-core 0.4.0 (scripts/atomik_reference.py bench),
// and prints ops/s of each and the ratio.

import AtomikCore
import AtomikISA
import AtomikProgram
import AtomikStimulus
import Foundation

struct Arguments {
    var command = "core"
    var ops = 1_000_000
    var python: String?

    init(_ args: [String]) {
        var it = args.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "--ops": ops = Int(it.next() ?? "") ?? ops
            case "--python": python = it.next()
            default: command = a
            }
        }
    }
}

let args = Arguments(CommandLine.arguments)
switch args.command {
case "core": CoreBenchmark.run(ops: args.ops, python: args.python)
default:
    FileHandle.standardError.write("unknown benchmark '\(args.command)': expected core\n".data(using: .utf8)!)
    exit(2)
}
