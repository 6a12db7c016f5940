import ArgumentParser
import AtomikCosim
import AtomikCycle
import AtomikDUT
import AtomikFormal
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikSupport
import Foundation

extension Atomik {
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that an RTL matches atomik-core: bounded model checking and k-induction (yosys-smtbmc, z3).",
            discussion: """
            The harness drives the DUT through its described protocol with a free operation in every cycle and \
            follows one context the solver chooses with a reference of atomik-core's semantics. It asserts that \
            every READ and SWAP result equals the reference's, that no result beat comes with nothing outstanding, \
            and that every operation is taken and answered within --bound cycles; for our unit also the model's \
            cycle-level properties (done_o, op_ready_o, result latency, bank writes). Bounded model checking runs \
            --depth cycles from reset; k-induction then tries to prove every length. A failure is a counterexample: \
            a program (--out/cex.atk) and the solver's waveform (--out/cex.vcd), with the cosim command that replays \
            it. Exit 0 when proven, 1 on a counterexample (or a mutant not caught), 2 on an error.
            """
        )

        @OptionGroup var design: DesignOptions

        @OptionGroup var hardware: HardwareOptions

        @OptionGroup var dut: DUTOptions

        @Option(parsing: .unconditional, help: "Cycles of bounded model checking from reset (default 20).",
                transform: Checked.integer(1...1000))
        var depth: Int?

        @Option(parsing: .unconditional, help: "The longest k-induction tried (default 8; 0: bounded only).",
                transform: Checked.integer(0...1000))
        var induction: Int?

        @Option(parsing: .unconditional, help: "Cycles an offered operation may wait before it is taken, and results be owed before a beat (default 16).",
                transform: Checked.integer(2...1000))
        var bound: Int?

        @Option(help: "Directory for a counterexample's program and waveform (default prove-out).")
        var out: String?

        @Flag(help: "Prove our unit at every design point of the table: W 1..8, C 1..4, ff, sram latency 1 and 2.")
        var table = false

        @Option(parsing: .unconditional, help: "With --table or --mutate: proofs run at once (default: the number of cores).",
                transform: Checked.integer(1...256))
        var jobs: Int?

        @Flag(help: "Formal mutation check: prove each deliberate RTL fault of the mutation check at W 4, C 2 (ff, sram latency 1 and 2); every one must fail.")
        var mutate = false

        func validate() throws {
            if dut.dut == nil { try dut.validateUnused() }
            if table || mutate {
                try Checked.unused(design.given + hardware.given + [(dut.dut != nil, "--dut")] + [(table && mutate, "--table with --mutate")],
                                   "--table and --mutate choose their own design points")
            } else {
                if jobs != nil { throw ValidationError("--jobs runs the proofs of --table or --mutate at once: give one of them") }
                if dut.dut != nil { try HardwareOptions.refuseWithDUT(design, hardware) }
            }
            if let induction, induction > depth ?? 20 {
                throw ValidationError("--induction \(induction) is longer than --depth \(depth ?? 20): the induction's base case is the bounded check")
            }
            if (table || mutate) && out != nil { throw ValidationError("--out holds one proof's counterexample: --table and --mutate write none") }
        }

        var outDirectory: String { out ?? "prove-out" }

        var jobCount: Int { jobs ?? Parallel.cores }

        func prover(_ d: DUTDescription) -> Prover {
            let depth = depth ?? 20
            return Prover(FormalHarness(d, bound: bound ?? 16), depth: depth, inductionDepth: min(induction ?? 8, depth))
        }

        func run() throws {
            if table { return try runTable() }
            if mutate { return try runMutationCheck() }
            let d: DUTDescription
            // The cosim command that replays a program (given its path), quoted for the shell.
            let replay: (String) -> String
            if dut.dut != nil {
                d = try dut.description()
                let arguments = try dut.arguments(d)
                replay = { "atomik cosim " + ShellWords.join([$0] + arguments) }
            } else {
                let p = try hardware.parameters(design)
                d = try DUTPreset.unit(p)
                let own = try RTLSimulator.repositoryRoot().appendingPathComponent("rtl").standardizedFileURL.path
                let directory = (d.files[0] as NSString).deletingLastPathComponent
                let environment = directory == own ? "" : ShellWords.assignment("ATOMIK_RTL_DIR", directory) + " "
                let arguments = p.arguments + ["--rtl-hash", DUTBuild.rtlHash(d)]
                replay = { environment + "atomik cosim " + ShellWords.join([$0] + arguments) }
            }
            // Our unit, from the design options or the preset's parameters alike.
            if d.name == DUTPreset.atomikUnit.rawValue, case let k = DUTPreset.unitParameters(of: d).lanes, k > 1 {
                throw ValidationError("LANES = \(k): the proof's harness offers one operation a cycle and follows one "
                                      + "accumulator copy; LANES above 1 is checked by co-simulation, not proven")
            }
            let prover = prover(d)
            guard prover.depth > d.reset.cycles + 1 else {
                throw ValidationError("--depth \(prover.depth) does not reach past \(d.name)'s reset (\(d.reset.cycles) cycles): nothing would be checked")
            }
            let result = try prover.run()
            print(Self.line(name(d), prover, result))
            if let cex = result.counterexample {
                try save(cex, prover: prover, replay: replay)
                throw ExitCode(1)
            }
        }

        func name(_ d: DUTDescription) -> String {
            guard d.name == DUTPreset.atomikUnit.rawValue else { return "\(d.name) W\(d.width) C\(d.contexts)" }
            let p = DUTPreset.unitParameters(of: d)
            return "W\(p.width) C\(p.contexts) " + (p.storage == .ff ? "ff" : "sram L\(p.readLatency)")
        }

        static func line(_ name: String, _ prover: Prover, _ r: Prover.Result) -> String {
            let times = String(format: "bmc %.1f s, induction %.1f s", r.bmcSeconds, r.inductionSeconds)
            switch r.verdict {
            case .unbounded(let k):
                return "\(name): proven for every length (k-induction closed at k = \(k); bounded \(prover.depth) cycles; \(times))"
            case .bounded:
                return "\(name): proven to \(prover.depth) cycles; \(r.inductionNote ?? "") (\(times))"
            case .failed:
                let c = r.counterexample!
                return "\(name): COUNTEREXAMPLE in cycle \(c.cycle) (context \(c.context)): \(c.assertion) (\(times))"
            }
        }

        /// Writes the counterexample's program and waveform to --out and prints them and the replay commands.
        func save(_ cex: Prover.Counterexample, prover: Prover, replay: (String) -> String) throws {
            let d = prover.harness.dut
            try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
            let program = "\(outDirectory)/cex.atk", vcd = "\(outDirectory)/cex.vcd"
            let absolute = URL(fileURLWithPath: program).standardizedFileURL.path
            let command = replay(absolute)
            let file = try AtomicOutput(path: program)
            try file.writer.write("# counterexample of atomik prove (\(d.name)): \(cex.assertion), cycle \(cex.cycle), context \(cex.context)\n")
            try file.writer.write("# replay with: \(command) --simulator both\n")
            for item in cex.program { try file.writer.write(TextFormat.format(item) + "\n") }
            try file.commit()
            let wave = try AtomicOutput(path: vcd)
            try wave.writer.write(cex.vcd)
            try wave.commit()
            try prover.write(into: URL(fileURLWithPath: outDirectory))
            print("program (\(cex.program.count) items), saved to \(program):")
            for item in cex.program { print("  " + TextFormat.format(item)) }
            print("solver's waveform: \(vcd); the harness: \(outDirectory)/harness.v (the assertion is on line \(cex.line); "
                  + "yosys -s harness.ys there remakes the solver's model)")
            print("replay: \(command) --simulator both")
        }

        /// The table of design points W 1..8, C 1..4, ff / sram L1 / sram L2.
        static var tablePoints: [UnitParameters] {
            var points: [UnitParameters] = []
            for storage in [(Storage.ff, 1), (.sram, 1), (.sram, 2)] {
                for c in 1...4 {
                    for w in 1...8 { points.append(UnitParameters(width: w, contexts: c, storage: storage.0, readLatency: storage.1)) }
                }
            }
            return points
        }

        func runTable() throws {
            var failed = 0, unbounded = 0
            let start = ContinuousClock.now
            let provers = try Self.tablePoints.map { prover(try DUTPreset.unit($0)) }
            try Parallel.forEach(provers.count, jobs: jobCount, { k in try provers[k].run() }, done: { k, result in
                print(Self.line(name(provers[k].harness.dut), provers[k], result))
                if case .failed = result.verdict { failed += 1 }
                if case .unbounded = result.verdict { unbounded += 1 }
            })
            print(String(format: "%d design points: %d proven for every length, %d to %d cycles only, %d counterexamples (%.0f s)",
                         Self.tablePoints.count, unbounded, Self.tablePoints.count - unbounded - failed, depth ?? 20, failed,
                         (ContinuousClock.now - start).seconds))
            if failed > 0 { throw ExitCode(1) }
        }

        static let mutationPoints = [UnitParameters(width: 4, contexts: 2, storage: .ff),
                                     UnitParameters(width: 4, contexts: 2, storage: .sram, readLatency: 1),
                                     UnitParameters(width: 4, contexts: 2, storage: .sram, readLatency: 2)]

        func runMutationCheck() throws {
            let rtl = try RTLSimulator.repositoryRoot().appendingPathComponent("rtl")
            var caught = 0
            let start = ContinuousClock.now
            let mutants = MutationCheck.mutants
            let this = self
            try Parallel.forEach(mutants.count, jobs: jobCount, { k in
                let dir = try MutationCheck.apply(mutants[k], rtl: rtl)
                defer { try? FileManager.default.removeItem(at: dir) }
                let mutantStart = ContinuousClock.now
                var found: String?
                var times: [String] = []
                for p in Self.mutationPoints where found == nil {
                    let prover = this.prover(try DUTPreset.unit(p, rtl: dir.path))
                    let result = try prover.run()
                    times.append(String(format: "%@ %.1f s", this.name(prover.harness.dut), result.seconds))
                    if let c = result.counterexample {
                        found = "\(this.name(prover.harness.dut)), cycle \(c.cycle): \(c.assertion)"
                    }
                }
                return (found, times, (ContinuousClock.now - mutantStart).seconds)
            }, done: { k, r in
                if r.0 != nil { caught += 1 }
                print(String(format: "%@ %@ (%.1f s: %@)%@", r.0 == nil ? "SURVIVED" : "caught  ", mutants[k].name, r.2,
                             r.1.joined(separator: ", "), r.0.map { "\n    " + $0 } ?? ""))
            })
            print(String(format: "%d of %d mutants caught by prove at depth %d (%.0f s)", caught, MutationCheck.mutants.count,
                         depth ?? 20, (ContinuousClock.now - start).seconds))
            if caught < MutationCheck.mutants.count { throw ExitCode(1) }
        }
    }
}
