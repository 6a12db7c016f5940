import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikSupport
import Foundation

/// The RTL simulators that run `rtl/` through `testbench/`.
public enum RTLSimulator: String, CaseIterable, Sendable {
    case icarus
    case verilator

    /// The executable that must be on PATH, and the Debian package that has it.
    public var tool: (command: String, package: String) {
        switch self {
        case .icarus: ("iverilog", "iverilog")
        case .verilator: ("verilator", "verilator")
        }
    }
}

/// What went wrong running the RTL: each message says what to do.
public struct RTLError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One testbench run of our unit: its trace beside the cycle model's, and the testbench's own check.
public struct RTLRun {
    public var cycles: Int
    /// Cycles whose outputs differ from the cycle model's, as the testbench counted them.
    public var mismatches: Int
    /// The RTL's per-cycle trace and the model's, in the same format.
    public var rtlTrace: String
    public var modelTrace: String
    /// Wall time of the simulator run (build excluded when it was cached).
    public var simulationTime: Duration
}

extension RTLSimulator {
    /// The most items a testbench run takes: the testbench loads the whole
    /// stimulus and expected outputs (`$readmemh`), and a run keeps both traces.
    /// Longer streams go through `atomik cosim` (Verilator in lockstep, streaming).
    public static let maxItems = 2_000_000

    /// The most cycles an Icarus run is given: idle and reset cycles count
    /// (`nop 100000000` is one item), and Icarus runs some 30 k to 100 k cycles/s.
    public static let maxIcarusCycles = 20_000_000

    /// Refuses a program too long for an Icarus run, in items or in cycles
    /// (each operation one, each idle or reset its count: a lower bound),
    /// naming `alternative`, which streams.
    public static func checkIcarusLimits(_ items: some Collection<ProgramItem>, alternative: String) throws {
        var cycles = 0
        for item in items {
            switch item {
            case .op: cycles += 1
            case .idle(let n), .reset(let n): cycles += n
            }
        }
        guard items.count > maxItems || cycles > maxIcarusCycles else { return }
        throw RTLError("Icarus runs at most \(maxItems) items and \(maxIcarusCycles) cycles (idle and reset cycles count; "
                       + "it runs some 30 k to 100 k cycles/s), and this program has \(items.count > maxItems ? "more items" : "\(cycles) cycles"); "
                       + "use \(alternative), which streams")
    }

    /// Runs `items` on the RTL at design point `p`: the cycle model turns the
    /// program into per-cycle stimulus and expected outputs, and the testbench
    /// replays the stimulus on the RTL, checks the outputs and writes its trace
    /// (the cycle-level comparison; the RTL's results come from the DUT path).
    /// `vcd` asks the testbench for a waveform (Icarus only) of the cycles in `vcdWindow`.
    /// `rtl` names another copy of rtl/ (a mutant), as $ATOMIK_RTL_DIR does for run.sh.
    /// `path` replaces the PATH the simulator runs with (tests use it to put broken tools first).
    /// `coverage` (Verilator only) runs the testbench built with --coverage and writes its counts there.
    public func run(_ p: UnitParameters, items: some Sequence<ProgramItem>, vcd: String? = nil,
                    vcdWindow: ClosedRange<Int>? = nil, rtl: String? = nil, path: String? = nil, coverage: String? = nil,
                    timeout: Duration = .seconds(600)) throws -> RTLRun {
        try p.validate()
        precondition(coverage == nil || self == .verilator, "coverage comes from Verilator")
        let root = try Self.repositoryRoot()
        let dir = Scratch.path("rtl")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stim = dir.appendingPathComponent("stimulus.hex").path
        let exp = dir.appendingPathComponent("expected.hex").path
        let modelTrace = dir.appendingPathComponent("model.trace").path
        let rtlTrace = dir.appendingPathComponent("rtl.trace").path

        // The model: stimulus, expected outputs and its trace.
        let vectors = try VectorWriter(p, stimulus: try ByteWriter(path: stim), expected: try ByteWriter(path: exp))
        let recorder = CycleRecorder(CycleBuffers(capacity: 4096, width: p.width, lanes: p.lanes)) { batch in
            try vectors.write(batch)
            return batch
        }
        let traceWriter = CycleTraceWriter(try ByteWriter(path: modelTrace))
        let sim = try CycleSimulator(p, observers: [traceWriter], recorder: recorder) { _ in }
        for item in items { try sim.execute(item) }
        let stats = try sim.finish()
        try vectors.flush()

        let depth = Self.depth(cycles: stats.cycles)
        let start = ContinuousClock.now
        let output = try Self.runTestbench(
            root: root, simulator: self, parameters: p, depth: depth,
            plusargs: ["+vectors=\(stim)", "+cycles=\(stats.cycles)", "+trace=\(rtlTrace)", "+expected=\(exp)"]
                + (vcd.map { ["+vcd=\($0)"] } ?? [])
                + (vcdWindow.map { ["+vcd_from=\($0.lowerBound)", "+vcd_to=\($0.upperBound + 1)"] } ?? [])
                + (coverage.map { ["+coverage=\($0)"] } ?? []),
            mode: coverage == nil ? nil : "coverage", rtl: rtl, path: path, timeout: timeout)
        let simulationTime = ContinuousClock.now - start
        if let vcd { try RTLSimulator.removeDate(fromVCD: vcd) }
        return RTLRun(cycles: stats.cycles, mismatches: try finished(output)["mismatches"] ?? -1,
                      rtlTrace: try String(contentsOfFile: rtlTrace, encoding: .utf8),
                      modelTrace: try String(contentsOfFile: modelTrace, encoding: .utf8), simulationTime: simulationTime)
    }

    /// Runs the testbench on vector files written by `atomik vectors` (or
    /// anyone else); returns the testbench's FINISHED line counts.
    public func runVectors(_ p: UnitParameters, stimulus: String, expected: String?, cycles: Int, trace: String,
                           timeout: Duration = .seconds(600)) throws -> (checked: Int, mismatches: Int) {
        let output = try Self.runTestbench(
            root: try Self.repositoryRoot(), simulator: self, parameters: p, depth: Self.depth(cycles: cycles),
            plusargs: ["+vectors=\(stimulus)", "+cycles=\(cycles)", "+trace=\(trace)"]
                + (expected.map { ["+expected=\($0)"] } ?? []),
            timeout: timeout)
        let counts = try finished(output)
        return (counts["checked"] ?? -1, counts["mismatches"] ?? -1)
    }

    /// Removes the `$date` section Icarus writes into a VCD, so two runs of one replay give the same file.
    public static func removeDate(fromVCD path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let start = text.range(of: "$date"), let end = text.range(of: "$end", range: start.upperBound..<text.endIndex) else { return }
        var rest = text[end.upperBound...]
        while rest.first == "\n" || rest.first == " " { rest = rest.dropFirst() }
        let file = try AtomicOutput(path: path)
        try file.writer.write(String(text[..<start.lowerBound]) + rest)
        try file.commit()
    }

    /// The counts of the testbench's `ATOMIK-TB FINISHED key=N ...` line; a run without it did not count.
    func finished(_ output: String) throws -> [String: Int] {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("ATOMIK-TB FINISHED") }) else {
            throw RTLError("the \(rawValue) testbench did not finish (no 'ATOMIK-TB FINISHED' line); it printed:\n\(output)")
        }
        var counts: [String: Int] = [:]
        for word in line.split(separator: " ") {
            let kv = word.split(separator: "=", maxSplits: 1)
            if kv.count == 2, let n = Int(kv[1]) { counts[String(kv[0])] = n }
        }
        return counts
    }

    /// The testbench's vector capacity for a run of `cycles`: a power of two, so
    /// that runs of similar length share one cached build.
    public static func depth(cycles: Int) -> Int {
        max(1024, 1 << (Int.bitWidth - (cycles - 1).leadingZeroBitCount))
    }

    /// Builds the simulator for a design point (or finds it in the cache).
    public func build(_ p: UnitParameters, cycles: Int, timeout: Duration = .seconds(600)) throws {
        _ = try Self.runTestbench(root: try Self.repositoryRoot(), simulator: self, parameters: p,
                                  depth: Self.depth(cycles: cycles), plusargs: [], buildOnly: true, timeout: timeout)
    }

    /// This process's executable, absolute (`/proc/self/exe`).
    public static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The tool's own files (`rtl/`, `testbench/`, `explore/`, `regress/`): $ATOMIK_HOME;
    /// else PREFIX/share/atomik beside an installed PREFIX/bin/atomik (scripts/install.sh);
    /// else the checkout above the executable; else the checkout above the current directory.
    public static func repositoryRoot() throws -> URL {
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["ATOMIK_HOME"] { candidates.append(URL(fileURLWithPath: home)) }
        let bin = URL(fileURLWithPath: executable).standardizedFileURL.deletingLastPathComponent()
        candidates.append(bin.deletingLastPathComponent().appendingPathComponent("share/atomik"))
        for start in [bin, URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL] {
            var url = start
            for _ in 0..<12 {
                candidates.append(url)
                url.deleteLastPathComponent()
            }
        }
        if let root = candidates.first(where: {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("testbench/run.sh").path)
        }) { return root }
        throw RTLError("cannot find the tool's files (testbench/run.sh): install with scripts/install.sh PREFIX, "
                       + "run from a checkout, or set ATOMIK_HOME")
    }

    /// Runs testbench/run.sh, killing it after `timeout`; returns its standard output.
    /// `mode` is the simulator's name for run.sh, or "shim" for the lockstep library.
    static func runTestbench(root: URL, simulator: RTLSimulator, parameters p: UnitParameters, depth: Int,
                             plusargs: [String], buildOnly: Bool = false, mode: String? = nil,
                             rtl: String? = nil, path: String? = nil, timeout: Duration) throws -> String {
        try Self.require([simulator.tool])
        var environment: [String: String] = [:]
        if let rtl { environment["ATOMIK_RTL_DIR"] = rtl }
        if let path { environment["PATH"] = path }
        let run = try ToolProcess.run(
            [root.appendingPathComponent("testbench/run.sh").path, mode ?? simulator.rawValue]
                + Self.parameterArguments(p, depth: depth) + (buildOnly ? ["--build-only"] : ["--"] + plusargs),
            in: root, environment: environment, timeout: timeout)
        if run.timedOut { throw RTLError("the \(simulator.rawValue) run timed out after \(timeout) and was stopped") }
        guard run.status == 0 else {
            throw RTLError("the \(simulator.rawValue) run failed (exit \(run.status)):\n\(run.output)")
        }
        return run.output
    }

    /// The design point as testbench/run.sh parameters.
    public static func parameterArguments(_ p: UnitParameters, depth: Int) -> [String] {
        verilogParameters(p).map { "\($0.name)=\($0.value)" } + ["DEPTH=\(depth)"]
    }

    /// The design point as `atomik_unit`'s Verilog parameters: the one place they are spelled.
    public static func verilogParameters(_ p: UnitParameters) -> [(name: String, value: String)] {
        [("WIDTH", "\(p.width)"), ("CONTEXTS", "\(p.contexts)"), ("STORAGE", "\(Storage.allCases.firstIndex(of: p.storage)!)"),
         ("READ_LATENCY", "\(p.storage == .sram ? p.readLatency : 1)")] + (p.lanes > 1 ? [("LANES", "\(p.lanes)")] : [])
    }

    /// Whether the simulator's executable is on PATH.
    public var isInstalled: Bool { Self.onPath(tool.command) }

    public static func onPath(_ command: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(command)")
        }
    }

    /// Throws, naming the Debian package, unless each tool is on PATH.
    public static func require(_ tools: [(command: String, package: String)]) throws {
        for (command, package) in tools where !onPath(command) {
            throw RTLError("\(command) is not installed: install it with 'apt-get install \(package)' (or run scripts/setup.sh)")
        }
    }
}
