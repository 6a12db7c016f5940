import AtomikCore
import AtomikCosim
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import Foundation
import Testing

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The simulators are on every machine set up by scripts/setup.sh, and always under CI.
func simulatorsInstalled() -> Bool {
    (RTLSimulator.icarus.isInstalled && RTLSimulator.verilator.isInstalled) || ProcessInfo.processInfo.environment["CI"] != nil
}

@Suite struct Stimulus {
    /// The PRNG is xoshiro256** seeded by SplitMix64: these are its first outputs
    /// for seed 42, computed independently (in Python) from the published algorithm.
    @Test func prngIsPortable() {
        var r = StimulusRandom(seed: 42)
        #expect([r.next(), r.next(), r.next()] == [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1])
    }

    @Test(arguments: Recipe.allCases)
    func recipesAreSeededAndAgreeWithTheCore(_ recipe: Recipe) throws {
        let a = Array(recipe.items(width: 16, contexts: 8, length: 500, seed: 9))
        #expect(a == Array(recipe.items(width: 16, contexts: 8, length: 500, seed: 9)))
        #expect(a != Array(recipe.items(width: 16, contexts: 8, length: 500, seed: 10)))
        #expect(a.count == 500)
        for p in [UnitParameters(width: 16, contexts: 8, storage: .ff),
                  UnitParameters(width: 16, contexts: 8, storage: .sram, readLatency: 2),
                  UnitParameters(width: 16, contexts: 8, storage: .sram, lanes: 3),
                  UnitParameters(width: 16, contexts: 8, storage: .sram, lanes: 16)] {
            var results: [OperationResult] = []
            let sim = try CycleSimulator(p) { results.append($0) }
            try sim.execute(a)
            _ = try sim.finish()
            #expect(results == (try SoftwareEngine.run(a, on: try AtomikTable<Word>(contexts: 8, width: 16))))
        }
    }

    @Test func hazardRecipeHitsEveryDistance() {
        // Distances between operations on the same context, in cycles.
        var last: [Int: Int] = [:], seen = Set<Int>(), cycle = 0
        for item in Recipe.hazard.items(width: 8, contexts: 4, length: 2000, seed: 1) {
            switch item {
            case .op(let i):
                if let l = last[i.address] { seen.insert(min(cycle - l - 1, 3)) }
                last[i.address] = cycle; cycle += 1
            case .idle(let n): cycle += n
            case .reset(let n): cycle += n
            }
        }
        #expect(seen == [0, 1, 2, 3])
    }
}

@Suite struct RegressionLists {
    @Test func parsesEntriesAndDefaults() throws {
        let e = try RegressionList.parse("# c\n\nwidth=8 contexts=4 storage=sram recipe=hazard  # x\n", file: "r.txt")
        #expect(e.count == 1)
        #expect(e[0].parameters == UnitParameters(width: 8, contexts: 4, storage: .sram, readLatency: 1))
        #expect(e[0].seed == 1 && e[0].length == 10000 && e[0].simulators == [.verilator, .icarus] && e[0].line == 3)
    }

    @Test(arguments: [
        ("width=8 contexts=4 storage=dram recipe=uniform", "r.txt:1:20: error: storage: expected ff or sram, found 'dram'"),
        ("width=8 contexts=4 storage=ff recipe=nope", "r.txt:1:31: error: recipe: expected one of"),
        ("width=x contexts=4 storage=ff recipe=uniform", "r.txt:1:1: error: width: expected a decimal number, found 'x'"),
        ("width=8 storage=ff recipe=uniform", "r.txt:1:1: error: missing contexts="),
        ("width=8 contexts=4 storage=ff recipe=uniform colour=red", "r.txt:1:46: error: expected key=value"),
        ("width=600 contexts=4 storage=ff recipe=uniform", "r.txt:1:1: error: WIDTH = 600 is outside its legal range"),
        ("width=8 contexts=4 storage=ff recipe=uniform width=16", "r.txt:1:46: error: width= is given twice on this line"),
        ("width=8 contexts=4 storage=ff recipe=uniform\n# x\nrecipe=uniform storage=ff contexts=4 width=8",
         "r.txt:3:1: error: this line repeats line 1"),
        ("# nothing but comments\n\n", "r.txt:1:1: error: no entries"),
    ])
    func badListsNameTheLineAndColumn(_ text: String, _ message: String) {
        #expect {
            _ = try RegressionList.parse(text, file: "r.txt")
        } throws: { error in
            String(describing: error).hasPrefix(message)
        }
    }
}

@Suite(.serialized) struct CoSimulation {
    /// The regression CI runs: both simulators, both storages, contexts 1 and
    /// 256, widths 8 and 64; nothing may differ.
    @Test func ciRegressionPasses() throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("regress/ci.txt"), encoding: .utf8)
        let results = try Regression.run(try RegressionList.parse(text, file: "regress/ci.txt"))
        #expect(results.count == 26)
        for r in results where !r.outcome.passed {
            Issue.record("\(r.entry.name) on \(r.outcome.simulator.rawValue): \(r.outcome.divergence?.description ?? r.outcome.coreMismatch ?? "")")
        }
        let xml = junitXML(results)
        #expect(xml.contains("tests=\"26\" failures=\"0\""))
    }

    /// Every deliberate fault is found (and rtl/ itself passes the same regression).
    @Test func mutationScoreIsFull() throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        #expect(MutationCheck.mutants.count >= 12)
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("regress/mutation.txt"), encoding: .utf8)
        let entries = try RegressionList.parse(text, file: "regress/mutation.txt")
        #expect(try Regression.run(entries).allSatisfy(\.outcome.passed))
        let results = try MutationCheck.run(entries)
        for r in results where !r.killed { Issue.record("mutant survived: \(r.mutant)") }
        #expect(results.filter(\.killed).count == MutationCheck.mutants.count)
    }

    /// The shim compares each cycle with the model's as it steps (lockstep counts mismatches only from the
    /// first it reports): its rule is `CycleBuffers.matches`' for every field, whether a change matters
    /// (outputs, a written bank) or not (the address and value of a bank that is not written), for data
    /// values of one, two and three 32-bit words.
    @Test(arguments: [UnitParameters(width: 16, contexts: 8, storage: .sram, readLatency: 1),
                      UnitParameters(width: 64, contexts: 4, storage: .ff),
                      UnitParameters(width: 80, contexts: 4, storage: .sram, readLatency: 2)])
    func shimComparesAsMatchesDoes(_ p: UnitParameters) throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        let shim = try VerilatorShim.shared(p)
        shim.lock.lock()
        defer { shim.lock.unlock() }
        // One batch that starts with the power-up reset, so stepping it again starts from the same state.
        let model = CycleBuffers(capacity: 4096, width: p.width)
        let sim = try CycleSimulator(p, recorder: CycleRecorder(CycleBuffers(capacity: 4096, width: p.width)) { full in
            model.copy(last: full.count, of: full)
            return full
        }) { _ in }
        try sim.execute(Array(Recipe.hazard.items(width: p.width, contexts: p.contexts, length: 400, seed: 5)))
        _ = try sim.finish()
        #expect(model.count > 400 && model.count < 4096)
        let rtl = CycleBuffers(capacity: 4096, width: p.width)
        #expect(shim.step(inputs: model, outputs: rtl, compare: true) == model.count)
        #expect((0..<model.count).allSatisfy { model.matches(rtl, at: $0) })

        // Cycles with a reference write, an accumulator write only, no write, a result.
        let refWrite = try #require((p.contexts + 2..<model.count).first { model.outCtl[$0] & 8 != 0 })
        let accOnly = try #require((p.contexts + 2..<model.count).first { model.outCtl[$0] & 0x18 == 16 })
        let noWrite = try #require((p.contexts + 2..<model.count).first { model.outCtl[$0] & 0x18 == 0 })
        let result = try #require((p.contexts + 2..<model.count).first { model.outCtl[$0] & 4 != 0 })
        let last = model.words - 1
        var changes: [(String, (CycleBuffers, Int) -> Void)] = (0..<5).map { b in
            ("control bit \(b)", { e, k in e.outCtl[k] ^= 1 << b })
        }
        changes += [
            ("result word 0", { e, k in e.outRdata[k * e.words] ^= 1 }),
            ("result's last word", { e, k in e.outRdata[k * e.words + last] ^= 0x8000 }),
            ("write address", { e, k in e.outWaddr[k] ^= 1 }),
            ("reference's last word", { e, k in e.outWref[k * e.words + last] ^= 2 }),
            ("accumulator word 0", { e, k in e.outWacc[k * e.words] ^= 4 }),
        ]
        let expected = CycleBuffers(capacity: 4096, width: p.width)
        for k in Set([refWrite, accOnly, noWrite, result]).sorted() {
            for (name, change) in changes {
                expected.copy(last: model.count, of: model)
                change(expected, k)
                let first = shim.step(inputs: expected, outputs: rtl, compare: true)
                let rule = (0..<expected.count).first { !expected.matches(rtl, at: $0) } ?? expected.count
                #expect(first == rule, "\(p), cycle \(k), \(name): the shim says \(first), matches says \(rule)")
            }
        }
        // Without the comparison the shim reports every cycle as matching.
        #expect(shim.step(inputs: expected, outputs: rtl) == expected.count)
    }

    /// Against a faulty RTL, lockstep stops at the divergence, names the signal
    /// and context, shows both traces, and shrinks the program to a few items
    /// that still diverge.
    @Test func divergenceIsReportedAndShrunk() throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        let mutant = MutationCheck.mutants.first { $0.name == "sram: no forward from the last write" }!
        let rtl = try MutationCheck.apply(mutant, rtl: repositoryRoot.appendingPathComponent("rtl"))
        defer { try? FileManager.default.removeItem(at: rtl) }
        var options = CosimOptions(parameters: UnitParameters(width: 16, contexts: 8, storage: .sram, readLatency: 1))
        options.rtlDirectory = rtl.path
        options.batch = 256
        let items = Array(Recipe.hazard.items(width: 16, contexts: 8, length: 3000, seed: 3))
        let shim = try VerilatorShim.shared(options.parameters, rtl: rtl.path)
        let outcome = try Cosimulation.lockstep(options, shim: shim, items: items)
        let d = try #require(outcome.divergence)
        #expect(outcome.mismatches == 1)
        #expect(outcome.sideBySide.count == options.contextCycles)
        #expect(outcome.sideBySide.last!.model != outcome.sideBySide.last!.rtl)
        #expect(outcome.sideBySide.last!.model.hasPrefix("\(d.cycle) "))
        #expect(outcome.itemsRun < items.count, "the run stops near the divergence")
        // The same window when the divergence is the fourth cycle of a batch (its
        // first cycles come from the tail kept of the batch before).
        var straddling = options
        straddling.batch = d.cycle - 3
        try #require(straddling.batch > options.contextCycles)
        let again = try Cosimulation.lockstep(straddling, shim: shim, items: items)
        #expect(again.divergence?.cycle == d.cycle)
        #expect(again.sideBySide.map(\.model) == outcome.sideBySide.map(\.model))
        #expect(again.sideBySide.map(\.rtl) == outcome.sideBySide.map(\.rtl))
        let icarus = try Cosimulation.icarus(options, items: Array(items.prefix(outcome.itemsRun)))
        #expect(icarus.divergence?.cycle == d.cycle && icarus.divergence?.signal == d.signal)
        #expect(icarus.cycles == outcome.cycles && outcome.cycles == d.cycle + 1, "the same count of cycles compared on both")
        // In JUnit: the same count on both simulators, and the trace window in <system-out>.
        let entries = try RegressionList.parse("width=16 contexts=8 storage=sram latency=1 recipe=hazard seed=3 length=3000\n", file: "r.txt")
        let xml = junitXML(try Regression.run(entries, rtl: rtl.path))
        #expect(xml.components(separatedBy: "1 mismatches in \(d.cycle + 1) cycles").count == 3, "\(xml)")
        #expect(xml.components(separatedBy: "<system-out>the last cycles up to the divergence").count == 3, "\(xml)")

        let session = CosimSession(options: options, stimulus: .recipe(.hazard, seed: 3, length: 3000),
                                   simulators: [.verilator], outputDirectory: "")
        let small = try Shrinker.shrink(Array(items.prefix(outcome.itemsRun))) {
            !(try session.check(.verilator, items: $0, options: options)).passed
        }
        #expect(small.count <= 4)
        #expect(!(try session.check(.verilator, items: small, options: options)).passed)
        #expect((try session.check(.verilator, items: small, options: CosimOptions(parameters: options.parameters))).passed,
                "the shrunk program passes on the real RTL")
    }

    /// The report names the operations up to a divergence by mnemonic, with
    /// the one whose bank write differs marked and the program line of each,
    /// and writes a recipe's program to the output directory.
    @Test func divergenceNamesItsOperations() throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        let mutant = MutationCheck.mutants.first { $0.name == "sram: no forward from the last write" }!
        let rtl = try MutationCheck.apply(mutant, rtl: repositoryRoot.appendingPathComponent("rtl"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-report-\(UUID())")
        defer { try? FileManager.default.removeItem(at: rtl); try? FileManager.default.removeItem(at: out) }
        var options = CosimOptions(parameters: UnitParameters(width: 16, contexts: 8, storage: .sram, readLatency: 1))
        options.rtlDirectory = rtl.path
        options.contextCycles = 4
        var session = CosimSession(options: options, stimulus: .recipe(.hazard, seed: 3, length: 2000), simulators: [.verilator],
                                   outputDirectory: out.path)
        session.shrink = false
        var lines: [String] = []
        _ = try session.run { lines.append($0) }
        let marked = try #require(lines.first { $0.hasSuffix("<-- its bank write differs") }, "\(lines)")
        #expect(marked.contains("swap 0") && marked.contains("cycle 12"), "\(marked)")
        let forwarded = try #require(lines.first { $0.contains("accum 0, 0x980a") && $0.contains("cycle 11") }, "the ACCUM before is listed")
        #expect(forwarded.hasSuffix("<-- not yet written back when index 3 read context 0: forwarded"), "\(forwarded)")
        let cause = try #require(lines.first { $0.hasPrefix("cause: ") }, "\(lines)")
        #expect(cause.contains("index 3 (swap 0, accepted in cycle 12) read context 0 while index 2 (accum 0, 0x980a, accepted in cycle 11)"),
                "\(cause)")
        // The replay names the RTL it ran on (a copy), besides checking its hash.
        #expect(lines.contains { $0.hasPrefix("replay: ATOMIK_RTL_DIR=\(rtl.standardizedFileURL.path) atomik cosim --recipe hazard") },
                "\(lines)")
        // The side-by-side cycles name what they offer by mnemonic.
        #expect(lines.contains { $0.hasPrefix("  11 ") && $0.hasSuffix("| accum 0, 0x980a") }, "\(lines)")
        let program = out.appendingPathComponent("verilator-divergence-program.atk")
        #expect(FileManager.default.fileExists(atPath: program.path))
        // From the program file, each operation also gets its line.
        var replay = CosimSession(options: options, stimulus: .program(path: program.path), simulators: [.verilator],
                                  outputDirectory: out.appendingPathComponent("again").path)
        replay.shrink = false
        lines = []
        _ = try replay.run { lines.append($0) }
        let again = try #require(lines.first { $0.hasSuffix("<-- its bank write differs") }, "\(lines)")
        let fields = again.split(separator: " ")
        let line = try #require(Int(fields[1]), "\(again)")
        let text = try String(contentsOf: program, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(text[line - 1] == "swap 0", "line \(line) of the program is the operation named")
    }

    /// Runs `program` under Verilator on a copy of rtl/ with `mutant` applied, without shrinking:
    /// whether it passed, and the report's lines.
    func divergenceReport(mutant name: String, program text: String, _ p: UnitParameters) throws -> (passed: Bool?, lines: [String]) {
        let mutant = MutationCheck.mutants.first { $0.name == name }!
        let rtl = try MutationCheck.apply(mutant, rtl: repositoryRoot.appendingPathComponent("rtl"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-report-\(UUID())")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: rtl); try? FileManager.default.removeItem(at: out) }
        let program = out.appendingPathComponent("p.atk")
        try text.write(to: program, atomically: true, encoding: .utf8)
        var options = CosimOptions(parameters: p)
        options.rtlDirectory = rtl.path
        options.contextCycles = 6
        var session = CosimSession(options: options, stimulus: .program(path: program.path), simulators: [.verilator],
                                   outputDirectory: out.appendingPathComponent("report").path)
        session.shrink = false
        var lines: [String] = []
        let outcomes = try session.run { lines.append($0) }
        return (outcomes.first?.passed, lines)
    }

    /// At read latency 2 a missing forward from the write before shows up two
    /// cycles after the operation it should have forwarded: the report names
    /// that operation as the cause, with its program line.
    @Test func divergenceNamesTheForwardedOperationAtLatencyTwo() throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        // accum 2 is written back two edges after it is taken: the read of context 2 two cycles later needs fw2.
        let (passed, lines) = try divergenceReport(mutant: "sram: no forward from the write before",
                                                   program: "load 2, 0x11\nread 5\nread 6\naccum 2, 0x0f\nread 4\nread 2\n",
                                                   UnitParameters(width: 8, contexts: 8, storage: .sram, readLatency: 2))
        #expect(passed == false)
        let cause = try #require(lines.first { $0.hasPrefix("cause: ") }, "\(lines)")
        #expect(cause.contains("index 5, line 6 (read 2,") && cause.contains("while index 3, line 4 (accum 2, 0xf,"), "\(cause)")
        let marked = try #require(lines.first { $0.hasSuffix("<-- its result differs") }, "\(lines)")
        #expect(marked.contains("read 2"), "\(marked)")
    }

    /// With lanes, every ACCUM of a bundle is an operation of its own in the report, with its program
    /// line: a READ that needed lane 1's forward names lane 1's ACCUM as the cause.
    @Test func divergenceNamesOperationsOfEveryLane() throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        // accum 1 and accum 2 go in one cycle (lanes 0 and 1); read 2 needs copy 1's forward.
        let (passed, lines) = try divergenceReport(mutant: "lanes: every copy forwards lane 0's write",
                                                   program: "load 2, 0x11\naccum 1, 0x01\naccum 2, 0x0f\nread 2\n",
                                                   UnitParameters(width: 8, contexts: 8, storage: .sram, lanes: 2))
        #expect(passed == false)
        let marked = try #require(lines.first { $0.hasSuffix("<-- its result differs") }, "\(lines)")
        #expect(marked.contains("read 2"), "\(marked)")
        let cause = try #require(lines.first { $0.hasPrefix("cause: ") }, "\(lines)")
        #expect(cause.contains("index 3, line 4 (read 2,") && cause.contains("while index 2, line 3 (accum 2, 0xf,"), "\(cause)")
    }

    /// A program file is read as the co-simulation runs (bounded memory), so
    /// an error late in the file stops the run with its file and line.
    @Test func programFilesStreamAndReportLateErrors() throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        let p = UnitParameters(width: 16, contexts: 8, storage: .sram, readLatency: 1)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let items = Array(Recipe.uniform.items(width: 16, contexts: 8, length: 5000, seed: 4))
        let good = items.map { TextFormat.format($0) + "\n" }.joined()
        let path = dir.appendingPathComponent("p.atk").path
        try good.write(toFile: path, atomically: true, encoding: .utf8)
        let session = CosimSession(options: CosimOptions(parameters: p), stimulus: .program(path: path),
                                   simulators: [.verilator], outputDirectory: dir.path)
        let outcomes = try session.run { _ in }
        #expect(outcomes.first?.passed == true)
        let model = try CycleSimulator(p) { _ in }
        try model.execute(items)
        #expect(outcomes.first?.cycles == (try model.finish()).cycles)

        try (good + "accum 3, 0x1\nbogus 1\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect { _ = try session.run { _ in } } throws: { error in
            "\(error)".contains("p.atk:5002") && "\(error)".contains("bogus")
        }

        // --strict: a value wider than the design is an error, not masked.
        try "load 1, 0x1ffff\nread 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try session.run { _ in }.allSatisfy(\.passed))
        let strict = CosimSession(options: CosimOptions(parameters: p), stimulus: .program(path: path, strict: true),
                                  simulators: [.verilator], outputDirectory: dir.path)
        #expect { _ = try strict.run { _ in } } throws: { error in
            "\(error)".contains("p.atk:1") && "\(error)".contains("--strict")
        }
    }

    /// Icarus loads the whole stimulus: a stream over its limit (here in
    /// cycles: one idle item of 3 x 10^7) is refused before anything runs
    /// (Verilator included), with the way out.
    @Test func icarusRefusesStreamsOverItsLimit() throws {
        let (path, cleanup) = try program("load 0, 1\nnop 30000000\nread 0\n")
        defer { cleanup() }
        let session = CosimSession(options: CosimOptions(parameters: UnitParameters(width: 8, contexts: 2, storage: .ff)),
                                   stimulus: .program(path: path), simulators: [.verilator, .icarus], outputDirectory: "")
        var lines: [String] = []
        #expect { _ = try session.run { lines.append($0) } } throws: {
            "\($0)".contains("30000002 cycles") && "\($0)".contains("--simulator verilator")
        }
        #expect(!lines.contains { $0.hasPrefix("verilator:") })
    }

    /// A divergence too far into a stream to replay in Icarus or shrink still
    /// gets the report and the model's waveform, and says what it skipped.
    @Test func longDivergencesGetTheModelWaveformOnly() throws {
        try #require(simulatorsInstalled(), "iverilog and verilator are not installed")
        let mutant = MutationCheck.mutants.first { $0.name == "sram: no forward from the last write" }!
        let rtl = try MutationCheck.apply(mutant, rtl: repositoryRoot.appendingPathComponent("rtl"))
        defer { try? FileManager.default.removeItem(at: rtl) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-long-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var options = CosimOptions(parameters: UnitParameters(width: 16, contexts: 8, storage: .sram, readLatency: 1))
        options.rtlDirectory = rtl.path
        var session = CosimSession(options: options, stimulus: .recipe(.hazard, seed: 3, length: 3000),
                                   simulators: [.verilator], outputDirectory: out.path)
        session.reportItemLimit = 10
        var lines: [String] = []
        let outcomes = try session.run { lines.append($0) }
        #expect(outcomes.first?.passed == false)
        #expect(lines.contains { $0.hasPrefix("no RTL waveform or shrinking") })
        #expect(!lines.contains { $0.hasPrefix("shrunk:") })
        let vcd = try String(contentsOfFile: out.appendingPathComponent("verilator-divergence-model.vcd").path, encoding: .utf8)
        #expect(vcd.contains("$enddefinitions"))
    }
}

/// A regression's JUnit XML, as the tool writes it.
func junitXML(_ results: [RegressionResult]) -> String {
    RegressionReport(kind: .unit, header: "", junitName: "atomik-cosim",
                     records: results.enumerated().map { $1.record(item: $0, rtlHash: nil) }).junit()
}
