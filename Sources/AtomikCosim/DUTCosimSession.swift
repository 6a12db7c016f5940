import AtomikCore
import AtomikDUT
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikSupport
import AtomikStimulus
import Foundation

/// One `atomik cosim --dut` run: the described design on each requested
/// simulator against the software core, at the transaction level; on a
/// fault, the report (the operation, expected and actual values, the last
/// operations), a waveform window of the DUT, the program (for a recipe), a
/// shrunk program and the replay command.
public struct DUTCosimSession {
    public var dut: DUTDescription
    /// The command-line words that select this DUT, with absolute paths (for replay lines).
    public var dutArguments: [String]
    public var stimulus: CosimStimulus
    public var simulators: [RTLSimulator]
    public var options = TransactionCosim.Options()
    /// Where fault artifacts go (absolute), and as the user wrote it.
    public var outputDirectory: String
    var shownDirectory: String
    public var shrink = true
    /// Cycles of waveform on each side of a fault.
    public var vcdHalfWindow = 16
    /// Faults after more items than this get the report only (no waveform, no shrinking).
    public var reportItemLimit = 100_000

    public init(dut: DUTDescription, dutArguments: [String], stimulus: CosimStimulus, simulators: [RTLSimulator],
                outputDirectory: String) {
        self.dut = dut; self.dutArguments = dutArguments; self.stimulus = stimulus; self.simulators = simulators
        self.outputDirectory = outputDirectory.isEmpty ? "" : URL(fileURLWithPath: outputDirectory).standardizedFileURL.path
        shownDirectory = outputDirectory
    }

    /// The stimulus as located items, recipes restricted to the DUT's operations.
    public static func stream(_ stimulus: CosimStimulus, dut: DUTDescription) throws -> () throws -> LocatedItem? {
        switch stimulus {
        case .program(let path, let strict):
            let source = try ProgramSource(path: path, options: ProgramOptions(width: dut.width, contexts: dut.contexts, strict: strict))
            return {
                guard let item = try source.next() else { return nil }
                if case .op(let inst) = item, !dut.supported.contains(OperationKind(inst)) {
                    throw TransactionCosim.unsupported(dut, inst, at: source.location)
                }
                return (item, source.format == .text ? source.location.line : 0)
            }
        case .recipe(let r, let seed, let length):
            var items = r.items(width: dut.width, contexts: dut.contexts, length: length, seed: seed)
            return {
                guard let item = items.next() else { return nil }
                if case .op(let inst) = item { return (.op(restrict(inst, to: dut.supported)), 0) }
                return (item, 0)
            }
        }
    }

    /// An operation the DUT supports in place of `inst`: the other SWAP, else READ, ACCUM, LOAD.
    static func restrict(_ inst: Instruction, to supported: Set<OperationKind>) -> Instruction {
        let kind = OperationKind(inst)
        if supported.contains(kind) { return inst }
        if kind == .swap && supported.contains(.swapKeep) { return .swap(inst.address) }
        if kind == .swapKeep && supported.contains(.swap) { return .swap(inst.address, inst.data) }
        for k in [OperationKind.read, .accum, .load, .swapKeep, .swap] where supported.contains(k) {
            return Instruction(opcode: k.opcode, address: inst.address, data: k == .read || k == .swapKeep ? .zero : inst.data,
                               keep: k.keep)
        }
        return inst
    }

    public static func items(_ stimulus: CosimStimulus, dut: DUTDescription, limit: Int = .max) throws -> [LocatedItem] {
        let next = try stream(stimulus, dut: dut)
        var items: [LocatedItem] = []
        while items.count < limit, let item = try next() { items.append(item) }
        return items
    }

    /// Runs one simulator over items in memory (shrinking candidates, regression entries).
    public func check(_ simulator: RTLSimulator, items: [LocatedItem], options: TransactionCosim.Options) throws -> TransactionOutcome {
        switch simulator {
        case .verilator:
            var k = 0
            return try TransactionCosim.lockstep(dut, options: options) {
                guard k < items.count else { return nil }
                k += 1
                return items[k - 1]
            }
        case .icarus:
            return try TransactionCosim.icarus(dut, options: options, items: items)
        }
    }

    /// Runs everything; `say` receives each line of the report.
    public func run(say: (String) -> Void) throws -> [TransactionOutcome] {
        if case .recipe(let r, let seed, let length) = stimulus { say("seed \(seed) (recipe \(r.rawValue), \(length) items)") }
        say("DUT \(dut.name) (\(dut.origin)): \(dut.top), WIDTH=\(dut.width) CONTEXTS=\(dut.contexts)"
            + (dut.parameters.isEmpty ? "" : ", " + dut.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")))
        let (input, copy) = try stimulus.rereadable()
        defer { if let copy { try? FileManager.default.removeItem(atPath: copy) } }
        // A program with an operation the DUT lacks is refused before anything runs
        // (reading the items for Icarus checks them; else a pass over the program does).
        if case .program = input, !simulators.contains(.icarus) {
            let next = try Self.stream(input, dut: dut)
            while try next() != nil {}
        }
        var icarusItems: [LocatedItem] = []
        if simulators.contains(.icarus) {
            icarusItems = try Self.items(input, dut: dut, limit: RTLSimulator.maxItems + 1)
            try RTLSimulator.checkIcarusLimits(icarusItems.lazy.map(\.item), alternative: "--simulator verilator")
        }
        var outcomes: [TransactionOutcome] = []
        for simulator in simulators {
            let outcome: TransactionOutcome
            switch simulator {
            case .verilator: outcome = try TransactionCosim.lockstep(dut, options: options, next: try Self.stream(input, dut: dut))
            case .icarus: outcome = try TransactionCosim.icarus(dut, options: options, items: icarusItems)
            }
            outcomes.append(outcome)
            if !outcome.passed {
                // The verdict stands whatever happens to the report's files: say why they are missing and go on.
                do { try report(outcome, input: input, say: say) } catch let stop as Interrupted { throw stop } catch {
                    say("the divergence report could not be completed: \(FileError.describe(error))")
                }
            }
            say("\(simulator.rawValue): \(outcome.cycles) cycles, \(outcome.operations) operations, "
                + "\(outcome.beats) result beats, \(outcome.mismatches) mismatches")
        }
        say("\(outcomes.map(\.cycles).reduce(0, +)) cycles, \(outcomes.map(\.mismatches).reduce(0, +)) mismatches")
        return outcomes
    }

    func shown(_ path: String) -> String {
        path.hasPrefix(outputDirectory) ? shownDirectory + path.dropFirst(outputDirectory.count) : path
    }

    func replay(_ program: String, _ simulator: RTLSimulator) -> String {
        "atomik cosim " + ShellWords.join([program] + dutArguments + ["--simulator", simulator.rawValue])
    }

    func hex(_ w: Word?) -> String { w.map { "0x" + $0.hex(digits: (dut.width + 3) / 4) } ?? "-" }

    func report(_ o: TransactionOutcome, input: CosimStimulus, say: (String) -> Void) throws {
        say("\(o.fault?.rawValue.uppercased() ?? "FAULT") (\(o.simulator.rawValue) vs atomik-core): \(o.message)")
        if !o.recent.isEmpty {
            say("last \(o.recent.count) operations taken:")
            say("  index  line  operation                  taken   result  expected            actual")
            for t in o.recent {
                let op = TextFormat.format(.op(t.instruction))
                func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
                say("  " + pad("\(t.index)", 7) + pad(t.line > 0 ? "\(t.line)" : "-", 6) + pad(op, 27) + pad("\(t.takenCycle)", 8)
                    + pad(t.beatCycle.map(String.init) ?? "-", 8) + pad(hex(t.expected), 20) + hex(t.actual)
                    + (t.index == o.operation?.index ? "   <--" : ""))
            }
        }
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let sim = o.simulator.rawValue
        removeEarlierReport(in: outputDirectory, ["fault-program.atk", "fault.vcd", "fault-min.atk"].map { "\(sim)-\($0)" }, sparing: input)
        var program: String
        switch input {
        case .program(let path, _): program = URL(fileURLWithPath: path).standardizedFileURL.path
        case .recipe: program = ""
        }
        guard o.itemsRun <= reportItemLimit else {
            if case .recipe(let r, let seed, let length) = stimulus {
                say("replay: atomik cosim --recipe \(r.rawValue) --seed \(seed) --length \(length) "
                    + ShellWords.join(dutArguments + ["--simulator", sim]))
            } else {
                say("replay: " + replay(program, o.simulator))
            }
            say("no waveform or shrinking: the fault is \(o.itemsRun) items in (more than \(reportItemLimit))")
            return
        }
        let prefix = try Self.items(input, dut: dut, limit: o.itemsRun)
        if case .recipe(let r, let seed, _) = stimulus {
            program = "\(outputDirectory)/\(sim)-fault-program.atk"
            try write(prefix.map(\.item), to: program, header: "recipe \(r.rawValue) seed \(seed), the first \(prefix.count) items")
            say("program: \(shown(program))")
        }
        say("replay: " + replay(program, o.simulator))
        if RTLSimulator.icarus.isInstalled {
            let from = max(0, o.faultCycle - vcdHalfWindow - (o.operation.map { max(0, o.faultCycle - $0.takenCycle) } ?? 0))
            let window = from...(o.faultCycle + vcdHalfWindow)
            let vcd = "\(outputDirectory)/\(sim)-fault.vcd"
            do {
                _ = try TransactionCosim.icarus(dut, options: options, items: prefix, vcd: (vcd, window))
                say("waveform of cycles \(window.lowerBound)...\(window.upperBound) (Icarus): \(shown(vcd))")
            } catch {
                say("the waveform could not be written: \(error)")
            }
        }
        guard shrink else { return }
        var quiet = options
        quiet.maxMismatches = 1
        // Candidates run in lockstep when Verilator shows the fault too (an Icarus run costs a process start).
        var shrinker = o.simulator, budget = 3000
        if o.simulator == .icarus {
            if RTLSimulator.verilator.isInstalled, !(try check(.verilator, items: prefix, options: quiet)).passed {
                shrinker = .verilator
            } else {
                budget = 300
            }
        }
        let small = try Shrinker.shrink(prefix.map(\.item), budget: budget) { candidate in
            !(try check(shrinker, items: candidate.map { ($0, 0) }, options: quiet)).passed
        }
        let path = "\(outputDirectory)/\(sim)-fault-min.atk"
        if case .program(let program, _) = input, RunFiles.sameFile(program, path) {
            say("shrunk: \(prefix.count) -> \(small.count) items; not saved over \(shown(path)), the program this run read")
            return
        }
        try write(small, to: path, header: "shrunk by atomik cosim from \(prefix.count) items; replay with\n# "
                  + replay(path, o.simulator))
        say("shrunk: \(prefix.count) -> \(small.count) items, saved to \(shown(path))")
    }

    func write(_ items: [ProgramItem], to path: String, header: String) throws {
        let file = try AtomicOutput(path: path)
        try file.writer.write("# \(header)\n")
        for item in items { try file.writer.write(TextFormat.format(item) + "\n") }
        try file.commit()
    }
}
