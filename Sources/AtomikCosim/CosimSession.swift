import AtomikCycle
import AtomikDUT
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import AtomikSupport
import Foundation

/// Where a co-simulation's program comes from.
public enum CosimStimulus: Sendable {
    /// A program file; `strict` rejects values wider than the design's width.
    case program(path: String, strict: Bool = false)
    case recipe(Recipe, seed: UInt64, length: Int)

    /// The items as a stream: a program file is read, a recipe generated, as the run goes.
    public func stream(_ p: UnitParameters) throws -> () throws -> ProgramItem? {
        switch self {
        case .program(let path, let strict):
            let source = try ProgramSource(path: path, options: ProgramOptions(width: p.width, contexts: p.contexts, strict: strict))
            return { try source.next() }
        case .recipe(let r, let seed, let length):
            var items = r.items(width: p.width, contexts: p.contexts, length: length, seed: seed)
            return { items.next() }
        }
    }

    /// The first `limit` items at most, in memory (all of them by default).
    public func items(_ p: UnitParameters, limit: Int = .max) throws -> [ProgramItem] {
        let next = try stream(p)
        var items: [ProgramItem] = []
        while items.count < limit, let item = try next() { items.append(item) }
        return items
    }

    /// The stimulus as it can be read more than once (per simulator, and again for a report):
    /// standard input is copied to a temporary file first, whose path comes back to remove.
    public func rereadable() throws -> (CosimStimulus, temporaryFile: String?) {
        guard case .program("-", let strict) = self else { return (self, nil) }
        let copy = try CosimSession.copyStandardInput()
        return (.program(path: copy, strict: strict), copy)
    }

    /// The command-line words that select this stimulus.
    public var arguments: [String] {
        switch self {
        case .program(let path, let strict): [path] + (strict ? ["--strict"] : [])
        case .recipe(let r, let seed, let length): ["--recipe", r.rawValue, "--seed", "\(seed)", "--length", "\(length)"]
        }
    }
}

/// Which simulators a co-simulation runs.
public enum SimulatorChoice: String, CaseIterable, Sendable {
    case verilator, icarus, both

    public var simulators: [RTLSimulator] {
        switch self {
        case .verilator: [.verilator]
        case .icarus: [.icarus]
        case .both: [.verilator, .icarus]
        }
    }
}

/// One `atomik cosim` run: every requested simulator against the model and
/// the model against the software core; on a divergence, the report, the
/// waveform windows and a shrunk program that still diverges.
public struct CosimSession {
    public var options: CosimOptions
    public var stimulus: CosimStimulus
    public var simulators: [RTLSimulator]
    /// Where divergence artifacts go (absolute), and as the user wrote it.
    public var outputDirectory: String
    var shownDirectory: String
    public var shrink = true
    /// Cycles of waveform written on each side of a divergence.
    public var vcdHalfWindow = 16

    public init(options: CosimOptions, stimulus: CosimStimulus, simulators: [RTLSimulator], outputDirectory: String) {
        self.options = options; self.stimulus = stimulus; self.simulators = simulators
        // Absolute, because the simulators run in the checkout, not here.
        self.outputDirectory = outputDirectory.isEmpty ? "" : URL(fileURLWithPath: outputDirectory).standardizedFileURL.path
        shownDirectory = outputDirectory
    }

    /// The words that select this design point and its RTL again: replay lines carry a hash of the
    /// RTL's files, so a replay against other RTL (another checkout, a changed file) refuses to run.
    var designArguments: [String] {
        options.parameters.arguments
            + ((try? DUTBuild.rtlHash(DUTPreset.unit(options.parameters, rtl: options.rtlDirectory))).map { ["--rtl-hash", $0] } ?? [])
    }

    /// The command a replay line starts with: it names the RTL when it is not the tool's own rtl/ (a copy such as a mutant).
    var replayCommand: String {
        let own = try? RTLSimulator.repositoryRoot().appendingPathComponent("rtl").standardizedFileURL.path
        guard let file = try? DUTPreset.unit(options.parameters, rtl: options.rtlDirectory).files.first else { return "atomik cosim" }
        let directory = (file as NSString).deletingLastPathComponent
        return directory == own ? "atomik cosim" : ShellWords.assignment("ATOMIK_RTL_DIR", directory) + " atomik cosim"
    }

    /// Divergences after more items than this get the model's waveform only:
    /// no Icarus waveform and no shrinking of such a long prefix.
    public var reportItemLimit = 1_000_000

    /// Runs one simulator over `items` in memory (the shrinker's candidates, regression entries).
    public func check(_ simulator: RTLSimulator, items: [ProgramItem], options: CosimOptions) throws -> CosimOutcome {
        switch simulator {
        case .verilator:
            try Cosimulation.lockstep(options, shim: try VerilatorShim.shared(options.parameters, rtl: options.rtlDirectory),
                                      items: items)
        case .icarus: try Cosimulation.icarus(options, items: items)
        }
    }

    /// Runs everything; `say` receives each line of the report. Returns the
    /// outcomes, one per simulator.
    public func run(say: (String) -> Void) throws -> [CosimOutcome] {
        let p = options.parameters
        if case .recipe(let r, let seed, let length) = stimulus {
            say("seed \(seed) (recipe \(r.rawValue), \(length) items)")
        }
        say("design point \(p)")
        let (input, copy) = try stimulus.rereadable()
        defer { if let copy { try? FileManager.default.removeItem(atPath: copy) } }

        // Icarus takes the items in memory: read up to one over its limit, so
        // that a stream too long for it is refused before any simulator runs.
        var icarusItems: [ProgramItem] = []
        if simulators.contains(.icarus) {
            icarusItems = try input.items(p, limit: RTLSimulator.maxItems + 1)
            try RTLSimulator.checkIcarusLimits(icarusItems, alternative: "--simulator verilator")
        }
        var outcomes: [CosimOutcome] = []
        for simulator in simulators {
            let outcome: CosimOutcome
            switch simulator {
            case .verilator:
                // Streamed: bounded memory however long the program or recipe is.
                outcome = try Cosimulation.lockstep(options, shim: try VerilatorShim.shared(p, rtl: options.rtlDirectory),
                                                    next: try input.stream(p))
            case .icarus:
                outcome = try Cosimulation.icarus(options, items: icarusItems)
            }
            outcomes.append(outcome)
            if !outcome.passed {
                // The verdict stands whatever happens to the report's files: say why they are missing and go on.
                do { try report(outcome, input: input, say: say) } catch let stop as Interrupted { throw stop } catch {
                    say("the divergence report could not be completed: \(FileError.describe(error))")
                }
            }
            say("\(simulator.rawValue): \(outcome.cycles) cycles, \(outcome.mismatches) mismatches")
        }
        say("\(outcomes.map(\.cycles).reduce(0, +)) cycles, \(outcomes.map(\.mismatches).reduce(0, +)) mismatches, "
            + "peak RSS \(RunProgress.peakResidentMiB()) MiB")
        return outcomes
    }

    /// The operations accepted up to a divergence, by mnemonic, with the one whose
    /// result or bank write differs marked (the cause is often an operation or
    /// two before it on the same context: they are listed).
    func sayOperations(_ log: OperationLog, divergence d: TraceDifference, input: CosimStimulus, say: (String) -> Void) throws {
        guard !log.recent.isEmpty else { return }
        // Program lines, for a program file: the lines of the operations listed.
        var lines: [Int: Int] = [:]
        if case .program(let path, let strict) = input {
            let source = try ProgramSource(path: path, options: ProgramOptions(width: options.parameters.width,
                                                                              contexts: options.parameters.contexts, strict: strict))
            var index = 0
            let wanted = Set(log.recent.map(\.index))
            while index <= log.recent.last!.index, let item = try source.next() {
                guard case .op = item else { continue }
                if wanted.contains(index), source.format == .text { lines[index] = source.location.line }
                index += 1
            }
        }
        let culprit = log.culprit(of: d)
        let inFlight = Set(culprit?.inFlight ?? [])
        let context = culprit.map { "context \($0.instruction.address)" } ?? ""
        say("operations accepted up to cycle \(d.cycle) (the last \(log.recent.count)):")
        say("  index  line  operation                   accepted")
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
        func named(_ op: OperationLog.Accepted) -> String {
            "index \(op.index)\(lines[op.index].map { ", line \($0)" } ?? "") (\(TextFormat.format(.op(op.instruction))), accepted in cycle \(op.cycle))"
        }
        for op in log.recent {
            var mark = ""
            if op.index == culprit?.index {
                mark = "   <-- " + (d.signal.hasPrefix("result") ? "its result differs" : "its bank write differs")
            } else if inFlight.contains(op.index) {
                mark = "   <-- not yet written back when index \(culprit!.index) read \(context): forwarded"
            }
            say("  " + pad("\(op.index)", 7) + pad(lines[op.index].map(String.init) ?? "-", 6)
                + pad(TextFormat.format(.op(op.instruction)), 28) + "cycle \(op.cycle)" + mark)
        }
        guard let culprit else { return }
        let sources = log.recent.filter { inFlight.contains($0.index) }
        if sources.isEmpty {
            say("cause: \(named(culprit)); no earlier operation on \(context) was in the pipeline when it was accepted, "
                + "so it read the banks' own value: the fault is in how it is computed or stored")
        } else {
            say("cause: \(named(culprit)) read \(context) while " + sources.map(named).joined(separator: " and ")
                + " had not yet written it back: its value depends on forwarding from "
                + (sources.count == 1 ? "that operation" : "those operations"))
        }
    }

    /// The operation a trace line offers, by mnemonic, to follow the line ("" for an idle or reset cycle).
    static func operation(inTraceLine line: String) -> String {
        guard let r = try? TraceRecord(line: Substring(line)), let op = r.offered else { return "" }
        return "   | " + TextFormat.format(.op(op)) + (r.outputs.opReady ? "" : " (not taken)")
    }

    /// A path inside the output directory as the user named the directory.
    func shown(_ path: String) -> String {
        path.hasPrefix(outputDirectory) ? shownDirectory + path.dropFirst(outputDirectory.count) : path
    }

    /// Standard input, copied (a MiB at a time) to a temporary file; returns its path.
    static func copyStandardInput() throws -> String {
        let path = Scratch.path("stdin", suffix: ".atk").path
        let out = try ByteWriter(path: path)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let n = read(0, buffer, 1 << 20)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ProgramError("cannot read standard input: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            try out.write { $0.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: n)) }
        }
        try out.flush()
        return path
    }

    /// `input` is the stimulus as it can be read again (standard input copied to a file).
    func report(_ o: CosimOutcome, input: CosimStimulus, say: (String) -> Void) throws {
        let p = options.parameters
        let design = designArguments   // hashes the RTL files: once a report
        let replay = replayCommand
        if let d = o.divergence { say("DIVERGENCE (\(o.simulator.rawValue) vs cycle model) at \(d)") }
        if let c = o.coreMismatch { say("MODEL vs SOFTWARE CORE at \(c)") }
        if !o.sideBySide.isEmpty {
            say("last \(o.sideBySide.count) cycles, model | rtl (\(CycleTraceWriter.header(p).split(separator: "\n")[1].dropFirst(2))):")
            for (m, r) in o.sideBySide { say("  \(m)" + Self.operation(inTraceLine: m) + (m == r ? "" : "\n  \(r)   <-- rtl")) }
        }
        if case .recipe(_, let seed, _) = stimulus { say("seed \(seed)") }
        say("replay: \(replay) " + ShellWords.join(stimulus.arguments + design + ["--simulator", o.simulator.rawValue]))

        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        removeEarlierReport(in: outputDirectory, ["divergence-model.vcd", "divergence-rtl.vcd", "divergence-program.atk", "divergence-min.atk"]
                                .map { "\(o.simulator.rawValue)-\($0)" }, sparing: input)
        // The items up to the divergence, in memory only when short enough to replay in Icarus and shrink.
        let long = o.itemsRun > reportItemLimit
        let prefix = long ? [] : try input.items(p, limit: o.itemsRun)
        if let d = o.divergence {
            let window = max(0, d.cycle - vcdHalfWindow)...(d.cycle + vcdHalfWindow)
            let modelVCD = "\(outputDirectory)/\(o.simulator.rawValue)-divergence-model.vcd"
            // A waveform holds ports of up to 512 bits: wider lanes get the operation list only.
            let file = WaveformWriter.canShow(p) ? try AtomicOutput(path: modelVCD) : nil
            let log = OperationLog(until: d.cycle, keep: max(options.contextCycles, 4))
            let sim = try CycleSimulator(p, observers: (file.map { [WaveformWriter(vcd: $0.writer, window: window)] } ?? []) + [log]) { _ in }
            if long {
                try sim.execute(from: try input.stream(p), limit: o.itemsRun)
            } else {
                try sim.execute(prefix)
            }
            _ = try sim.finish()
            try file?.commit()
            var written = file == nil ? [] : [modelVCD]
            if file == nil { say("no model waveform: LANES x WIDTH = \(p.lanes * p.width) bits is over a waveform value's \(WaveformWriter.widestSignal)") }
            if long {
                say("no RTL waveform or shrinking: the divergence is \(o.itemsRun) items in (more than \(reportItemLimit))")
            } else if RTLSimulator.icarus.isInstalled {
                let rtlVCD = "\(outputDirectory)/\(o.simulator.rawValue)-divergence-rtl.vcd"
                do {
                    _ = try RTLSimulator.icarus.run(p, items: prefix, vcd: rtlVCD, vcdWindow: window,
                                                    rtl: options.rtlDirectory)
                    written.append(rtlVCD + " (Icarus)")
                } catch {
                    say("the RTL waveform could not be written: \(error)")
                }
            }
            say("waveforms of cycles \(window.lowerBound)...\(window.upperBound): "
                + written.map { shown($0) }.joined(separator: ", "))
            try sayOperations(log, divergence: d, input: input, say: say)
        }
        if case .recipe = stimulus, !long {
            let path = "\(outputDirectory)/\(o.simulator.rawValue)-divergence-program.atk"
            let file = try AtomicOutput(path: path)
            try file.writer.write("# the \(prefix.count) items of \(ShellWords.join(stimulus.arguments)) up to the divergence; replay with\n"
                                  + "# \(replay) \(ShellWords.join([path] + design + ["--simulator", o.simulator.rawValue]))\n")
            for item in prefix { try file.writer.write(TextFormat.format(item) + "\n") }
            try file.commit()
            say("program up to the divergence: \(shown(path))")
        }
        guard shrink, !long else { return }
        var quiet = options
        quiet.maxMismatches = 1
        let small = try Shrinker.shrink(prefix) { candidate in
            !(try check(o.simulator, items: candidate, options: quiet)).passed
        }
        let path = "\(outputDirectory)/\(o.simulator.rawValue)-divergence-min.atk"
        if case .program(let program, _) = input, RunFiles.sameFile(program, path) {
            say("shrunk: \(prefix.count) -> \(small.count) items; not saved over \(shown(path)), the program this run read")
            return
        }
        let file = try AtomicOutput(path: path)
        try file.writer.write("# shrunk by atomik cosim from \(prefix.count) items; replay with\n"
                              + "# \(replay) \(ShellWords.join([path] + design + ["--simulator", o.simulator.rawValue]))\n")
        for item in small { try file.writer.write(TextFormat.format(item) + "\n") }
        try file.commit()
        say("shrunk: \(prefix.count) -> \(small.count) items, saved to \(shown(path))")
    }
}

/// Removes the files `names` in `dir` that an earlier report left (but not the program this run reads),
/// so the directory holds this report's files only.
func removeEarlierReport(in dir: String, _ names: [String], sparing input: CosimStimulus) {
    for name in names {
        let path = "\(dir)/\(name)"
        if case .program(let program, _) = input, RunFiles.sameFile(program, path) { continue }
        unlink(path)
    }
}

/// Watches the model up to a cycle: the operations it accepted (index in the
/// program, cycle, instruction; the last `keep` of them), which one each
/// result and bank write belongs to, and which earlier operations on the same
/// context were still in the pipeline (not yet written to the banks) when
/// each was accepted: the values it read had to be forwarded from those.
final class OperationLog: CycleObserver {
    struct Accepted {
        var index: Int
        var cycle: Int
        var instruction: Instruction
        /// The lane it went in (LANES > 1), whose accumulator copy its write goes to.
        var lane = 0
        /// Indices of the operations on the same context accepted before it and not yet written back.
        var inFlight: [Int] = []
    }
    let until: Int
    let keep: Int
    private(set) var recent: [Accepted] = []
    private var accepted = 0
    /// READ and SWAP operations accepted whose result has not come yet, oldest first.
    private var awaiting: [Accepted] = []
    /// LOAD, ACCUM and SWAP operations accepted whose bank write has not come yet, oldest first.
    private var writing: [Accepted] = []
    /// The operation of the latest result (the result port holds it).
    private(set) var lastResult: Accepted?
    /// The operation of the latest bank write, and its cycle.
    private(set) var lastWrite: (cycle: Int, op: Accepted)?

    init(until: Int, keep: Int) { self.until = until; self.keep = keep }

    func start(_ parameters: UnitParameters) {}
    func finish(cycles: Int) {}

    func record(_ r: TraceRecord, unit: any CycleUnit) {
        guard r.cycle <= until else { return }
        guard r.inputs.rstN else { awaiting.removeAll(); writing.removeAll(); return }
        if r.outputs.resultValid, !awaiting.isEmpty { lastResult = awaiting.removeFirst() }
        if r.inputs.opValid && r.outputs.opReady {
            // Lane 0's operation, then the ACCUMs of lanes 1... in program order.
            let taken = [(r.offered!, 0)] + r.lanes.enumerated().compactMap { j, l in
                l.inputs.opValid && l.inputs.opCode == .accum ? (Instruction.accum(l.inputs.opAddr, l.inputs.opData), j + 1) : nil
            }
            for (instruction, lane) in taken {
                var op = Accepted(index: accepted, cycle: r.cycle, instruction: instruction, lane: lane)
                op.inFlight = writing.filter { $0.instruction.address == instruction.address }.map(\.index)
                accepted += 1
                recent.append(op)
                if recent.count > keep { recent.removeFirst() }
                if instruction.opcode.producesResult { awaiting.append(op) }
                if instruction.opcode != .read { writing.append(op) }
            }
        }
        // The write of the edge ending this cycle to each copy belongs to the oldest operation of
        // that lane writing that context (none: the clear sweep after a reset, LOAD and SWAP clearing
        // copies 1..., which no ACCUM of this cycle's bundle writes yet: lanes execute a cycle after they are taken).
        for (lane, write) in [(0, r.write)] + r.lanes.enumerated().map({ ($0 + 1, $1.write) }) where !write.isEmpty {
            if let k = writing.firstIndex(where: {
                $0.lane == lane && $0.instruction.address == write.address && (lane == 0 || $0.cycle < r.cycle)
            }) {
                lastWrite = (r.cycle, writing.remove(at: k))
            }
        }
    }

    /// The operation whose result or bank write a divergence is in.
    func culprit(of d: TraceDifference) -> Accepted? {
        if d.signal.hasPrefix("result") { return lastResult }
        guard let w = lastWrite, w.cycle == d.cycle else { return nil }
        return w.op
    }
}
