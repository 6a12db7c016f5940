import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import Foundation

/// Where a co-simulation's program comes from.
public enum CosimStimulus: Sendable {
    case program(path: String)
    case recipe(Recipe, seed: UInt64, length: Int)

    /// The program's items (a program file is read whole; a recipe is generated).
    public func items(_ p: UnitParameters) throws -> [ProgramItem] {
        switch self {
        case .program(let path):
            let source = try ProgramSource(path: path, options: ProgramOptions(width: p.width, contexts: p.contexts))
            var items: [ProgramItem] = []
            while let item = try source.next() { items.append(item) }
            return items
        case .recipe(let r, let seed, let length):
            return Array(r.items(width: p.width, contexts: p.contexts, length: length, seed: seed))
        }
    }

    /// The command-line words that select this stimulus.
    public var arguments: [String] {
        switch self {
        case .program(let path): [path]
        case .recipe(let r, let seed, let length): ["--recipe", r.rawValue, "--seed", "\(seed)", "--length", "\(length)"]
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

    var designArguments: [String] {
        let p = options.parameters
        return ["--width", "\(p.width)", "--contexts", "\(p.contexts)", "--storage", p.storage.rawValue]
            + (p.storage == .sram ? ["--read-latency", "\(p.readLatency)"] : [])
    }

    /// Runs one simulator over `items`.
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
        let items = try stimulus.items(p)
        if case .recipe(let r, let seed, let length) = stimulus {
            say("seed \(seed) (recipe \(r.rawValue), \(length) items)")
        }
        say("design point \(p)")
        var outcomes: [CosimOutcome] = []
        for simulator in simulators {
            let outcome = try check(simulator, items: items, options: options)
            outcomes.append(outcome)
            if !outcome.passed { try report(outcome, items: items, say: say) }
            say("\(simulator.rawValue): \(outcome.cycles) cycles, \(outcome.mismatches) mismatches")
        }
        say("\(outcomes.map(\.cycles).reduce(0, +)) cycles, \(outcomes.map(\.mismatches).reduce(0, +)) mismatches")
        return outcomes
    }

    /// A path inside the output directory as the user named the directory.
    func shown(_ path: String) -> String {
        path.hasPrefix(outputDirectory) ? shownDirectory + path.dropFirst(outputDirectory.count) : path
    }

    func report(_ o: CosimOutcome, items: [ProgramItem], say: (String) -> Void) throws {
        let p = options.parameters
        if let d = o.divergence { say("DIVERGENCE (\(o.simulator.rawValue) vs cycle model) at \(d)") }
        if let c = o.coreMismatch { say("MODEL vs SOFTWARE CORE at \(c)") }
        if !o.sideBySide.isEmpty {
            say("last \(o.sideBySide.count) cycles, model | rtl (\(CycleTraceWriter.header(p).split(separator: "\n")[1].dropFirst(2))):")
            for (m, r) in o.sideBySide { say("  \(m)" + (m == r ? "" : "\n  \(r)   <-- rtl")) }
        }
        if case .recipe(_, let seed, _) = stimulus { say("seed \(seed)") }
        say("replay: atomik cosim " + (stimulus.arguments + designArguments + ["--simulator", o.simulator.rawValue])
            .joined(separator: " "))

        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let prefix = Array(items.prefix(o.itemsRun))
        if let d = o.divergence {
            let window = max(0, d.cycle - vcdHalfWindow)...(d.cycle + vcdHalfWindow)
            let modelVCD = "\(outputDirectory)/\(o.simulator.rawValue)-divergence-model.vcd"
            let file = try AtomicOutput(path: modelVCD)
            let sim = try CycleSimulator(p, observers: [VCDWriter(file.writer, window: window)]) { _ in }
            try sim.execute(prefix)
            _ = try sim.finish()
            try file.commit()
            var written = [modelVCD]
            if RTLSimulator.icarus.isInstalled {
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
        }
        guard shrink else { return }
        var quiet = options
        quiet.maxMismatches = 1
        let small = try Shrinker.shrink(prefix) { candidate in
            !(try check(o.simulator, items: candidate, options: quiet)).passed
        }
        let path = "\(outputDirectory)/\(o.simulator.rawValue)-divergence-min.atk"
        let file = try AtomicOutput(path: path)
        try file.writer.write("# shrunk by atomik cosim from \(prefix.count) items; replay with\n"
                              + "# atomik cosim \(path) \((designArguments + ["--simulator", o.simulator.rawValue]).joined(separator: " "))\n")
        for item in small { try file.writer.write(TextFormat.format(item) + "\n") }
        try file.commit()
        say("shrunk: \(prefix.count) -> \(small.count) items, saved to \(shown(path))")
    }
}
