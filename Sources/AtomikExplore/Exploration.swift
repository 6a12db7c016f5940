import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import AtomikSupport
import Foundation

/// An FPGA the sweep places and routes for.
public enum Device: String, CaseIterable, Codable, Sendable {
    case hx8k, up5k

    var nextpnrArguments: [String] {
        switch self {
        case .hx8k: ["--hx8k", "--package", "ct256"]
        case .up5k: ["--up5k", "--package", "sg48"]
        }
    }
}

/// How a sweep runs.
public struct ExploreOptions: Sendable {
    public var devices: [Device] = Device.allCases
    /// The target frequency given to nextpnr, MHz.
    public var frequencyMHz: Double = 50
    /// Placement seeds tried per device; the best Fmax counts.
    public var seeds = 3
    public var synthesisTimeout: Duration = .seconds(300)
    /// Per seed and device.
    public var placeRouteTimeout: Duration = .seconds(300)
    public var workloads: [Recipe] = [.uniform, .hazard, .fanIn, .fanInTable, .epoch, .rollback, .convergence]
    public var workloadLength = 20_000
    public var placeRoute = true
    /// Also replay each workload on our unit's RTL under Verilator, every cycle
    /// compared with the model's, so the model's cycles per operation are the RTL's.
    public var verifyRTL = false
    public var cacheDirectory: URL
    public var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init(cacheDirectory: URL) { self.cacheDirectory = cacheDirectory }
}

/// One workload of the cycle model at a design point.
public struct WorkloadResult: Codable, Hashable, Sendable {
    public var recipe: String
    public var operations: Int
    public var cycles: Int
    public var stallCycles: Int
    /// Every READ/SWAP result equalled the software core's.
    public var resultsChecked: Bool
    /// Cycles in which the RTL under Verilator left the model: their trace lines
    /// (inputs, outputs, bank writes) differ (`verifyRTL`; nil when not replayed).
    public var rtlMismatches: Int? = nil
    public var cyclesPerOperation: Double { Double(cycles) / Double(max(operations, 1)) }
}

/// Place and route on one device.
public struct DeviceResult: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Sendable { case ok, doesNotFit = "does-not-fit", timeout, failed }
    public var device: Device
    public var status: Status
    public var report: PlaceRouteReport?
    public var seedsTried: Int
    public var note: String?
}

/// Everything measured at one design point.
public struct PointResult: Codable, Hashable, Sendable {
    public var width: Int
    public var contexts: Int
    /// `ff` or `sram` for our unit; `dut` for a described design.
    public var storage: String
    public var readLatency: Int
    /// LANES of our unit's points above 1 (nil: one lane).
    public var lanes: Int?
    /// A described design: its name and parameters (nil for our unit's points).
    public var design: String?
    /// Cycles per operation: from the cycle model for our unit's points, from a
    /// Verilator run of the RTL (transaction lockstep) for a described design.
    public var workloads: [WorkloadResult]
    /// For our unit explored as a DUT: the cycle model's figures beside the measured ones.
    public var modelWorkloads: [WorkloadResult]?
    /// The bare unit (`atomik_unit`), from yosys.
    public var synthesis: SynthesisReport?
    public var synthesisNote: String?
    /// The unit inside explore/atomik_harness.v, from yosys (the placed design).
    public var harnessSynthesis: SynthesisReport?
    public var devices: [DeviceResult]
    /// Read from the cache in this run (not stored, so reports do not depend on it).
    public var fromCache = false

    enum CodingKeys: String, CodingKey {
        case width, contexts, storage, readLatency, lanes, design, workloads, modelWorkloads, synthesis, synthesisNote,
             harnessSynthesis, devices
    }

    public var name: String {
        design ?? "W\(width) C\(contexts) \(storage)" + (storage == "sram" ? " L\(readLatency)" : "") + (lanes.map { " K\($0)" } ?? "")
    }

    /// Checks a point read back (`--merge`): a design point the tool could have measured, sane figures.
    public func validate() throws(ProgramError) {
        if design != nil {
            guard storage == "dut", (1...Word.maxBits).contains(width), contexts >= 1 else {
                throw ProgramError("point \(name): a described design's point needs storage \"dut\", a width in 1...\(Word.maxBits) and contexts >= 1")
            }
        } else {
            guard let s = Storage(rawValue: storage) else {
                throw ProgramError("point \(name): storage \"\(storage)\" is not ff or sram")
            }
            guard lanes != 1 else { throw ProgramError("point \(name): lanes is given only above 1") }
            do {
                try UnitParameters(width: width, contexts: contexts, storage: s, readLatency: readLatency, lanes: lanes ?? 1).validate()
            } catch {
                throw ProgramError("point \(name): \(error)")
            }
        }
        for w in workloads + (modelWorkloads ?? [])
        where !(w.operations > 0 && w.cycles * (lanes ?? 1) >= w.operations && w.stallCycles >= 0 && (w.rtlMismatches ?? 0) >= 0) {
            throw ProgramError("point \(name): workload \(w.recipe) has \(w.operations) operations in \(w.cycles) cycles")
        }
    }

    /// Operations per second on `device` for `recipe`: Fmax x operations per cycle.
    public func operationsPerSecond(_ device: Device, _ recipe: String) -> Double? {
        guard let d = devices.first(where: { $0.device == device }), let r = d.report,
              let w = workloads.first(where: { $0.recipe == recipe }) else { return nil }
        return r.fmaxMHz * 1e6 / w.cyclesPerOperation
    }
}

/// The sweep: the cycle model, yosys and nextpnr at every design point, cached.
public enum Exploration {
    /// Runs the model's workloads at a design point.
    static func workloads(_ p: UnitParameters, _ o: ExploreOptions) throws -> [WorkloadResult] {
        try o.workloads.map { recipe in
            let items = Array(recipe.items(width: p.width, contexts: p.contexts, length: o.workloadLength, seed: 1))
            var results: [OperationResult] = []
            let sim = try CycleSimulator(p) { results.append($0) }
            try sim.execute(items)
            let stats = try sim.finish()
            let golden = try SoftwareEngine.run(items, on: try AtomikTable<Word>(contexts: p.contexts, width: p.width))
            return WorkloadResult(recipe: recipe.rawValue, operations: stats.operations, cycles: stats.cycles,
                                  stallCycles: stats.stallCycles, resultsChecked: results == golden,
                                  rtlMismatches: o.verifyRTL ? try rtlMismatches(p, items) : nil)
        }
    }

    /// The cycles in which the RTL under Verilator left the model: whose trace lines (inputs,
    /// outputs, every bank and copy write) differ, or whose outputs the testbench found different.
    static func rtlMismatches(_ p: UnitParameters, _ items: [ProgramItem]) throws -> Int {
        let run = try RTLSimulator.verilator.run(p, items: items)
        let model = run.modelTrace.split(separator: "\n"), rtl = run.rtlTrace.split(separator: "\n")
        return max(run.mismatches, zip(model, rtl).count { $0 != $1 } + abs(model.count - rtl.count))
    }

    static func storageIndex(_ p: UnitParameters) -> Int { Storage.allCases.firstIndex(of: p.storage)! }

    /// The RTL sources, as rtl/files.f lists them (relative to rtl/), relative to `root`.
    static func rtlSources(root: URL) throws -> [String] {
        try String(contentsOf: root.appendingPathComponent("rtl/files.f"), encoding: .utf8).split(separator: "\n").map { "rtl/\($0)" }
    }

    /// The cache key: RTL and harness sources, parameters, tool versions and options.
    static func cacheKey(_ p: UnitParameters, _ o: ExploreOptions, sources: [String], root: URL, versions: String) throws -> String {
        var text = "\(p) \(versions) freq=\(o.frequencyMHz) seeds=\(o.seeds) devices=\(o.devices.map(\.rawValue)) "
            + "pnr=\(o.placeRoute) verify=\(o.verifyRTL ? "traces" : "no") workloads=\(o.workloads.map(\.rawValue)) length=\(o.workloadLength)\n"
        for f in sources + ["rtl/atomik_isa.vh", "explore/atomik_harness.v"] {
            text += try String(contentsOf: root.appendingPathComponent(f), encoding: .utf8)
        }
        return String(FNV1a.hash(text.utf8), radix: 16)
    }

    /// Measures one design point (or reads it from the cache).
    public static func measure(_ p: UnitParameters, _ o: ExploreOptions, root: URL, versions: String) throws -> PointResult {
        try p.validate()
        let rtlFiles = try rtlSources(root: root)
        let key = try cacheKey(p, o, sources: rtlFiles, root: root, versions: versions)
        let cached = o.cacheDirectory.appendingPathComponent("\(key).json")
        if let r = cachedPoint(cached) { return r }
        var r = PointResult(width: p.width, contexts: p.contexts, storage: p.storage.rawValue, readLatency: p.readLatency,
                            lanes: p.lanes > 1 ? p.lanes : nil, workloads: try workloads(p, o), devices: [])
        let work = Scratch.path("explore")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let sources = rtlFiles.joined(separator: " ")
        let chparam = "-set WIDTH \(p.width) -set CONTEXTS \(p.contexts) -set STORAGE \(storageIndex(p)) -set READ_LATENCY \(p.readLatency)"
            + " -set LANES \(p.lanes)"

        // 1. The bare unit's area.
        (r.synthesis, r.synthesisNote) = try synthesise("read_verilog -Irtl \(sources); chparam \(chparam) atomik_unit; "
                                                        + "synth_ice40 -top atomik_unit", in: root, work: work, o)

        // 2. The harness for place and route.
        try placeRouteHarness(&r, read: "read_verilog -Irtl \(sources) explore/atomik_harness.v; chparam \(chparam) atomik_harness",
                              top: "atomik_harness", in: root, work: work, o)
        try store(r, at: cached)
        return r
    }

    /// When the bare design synthesised and place and route is asked for: yosys on the
    /// harness (`read` reads it and the design), then nextpnr on every device.
    static func placeRouteHarness(_ r: inout PointResult, read: String, top: String, in directory: URL, work: URL,
                                  _ o: ExploreOptions) throws {
        guard o.placeRoute && r.synthesis != nil else { return }
        let netlist = work.appendingPathComponent("harness.json")
        let (harness, note) = try synthesise("\(read); synth_ice40 -top \(top) -json \"\(netlist.path)\"", in: directory, work: work, o)
        r.harnessSynthesis = harness
        if harness != nil {
            for device in o.devices { r.devices.append(try placeRoute(netlist, device, o, work: work)) }
        } else {
            r.synthesisNote = "the harness: " + (note ?? "")
        }
    }

    /// yosys on `script` (run in `directory`) followed by `stat -json`: the cell counts, or why there are none.
    static func synthesise(_ script: String, in directory: URL, work: URL, _ o: ExploreOptions) throws
        -> (SynthesisReport?, String?) {
        let stat = work.appendingPathComponent("stat-\(UUID().uuidString).json")
        let run = try ToolProcess.run(["yosys", "-q", "-p", "\(script); tee -q -o \(stat.path) stat -json"],
                                      in: directory, timeout: o.synthesisTimeout)
        if run.timedOut { return (nil, "yosys did not finish in \(o.synthesisTimeout)") }
        if run.status != 0 { return (nil, "yosys failed: " + run.output.split(separator: "\n").suffix(3).joined(separator: " ")) }
        return (try SynthesisReport(statJSON: Data(contentsOf: stat)), nil)
    }

    /// A point measured before, from the cache.
    static func cachedPoint(_ url: URL) -> PointResult? {
        guard let data = FileManager.default.contents(atPath: url.path),
              var r = try? JSONDecoder().decode(PointResult.self, from: data) else { return nil }
        r.fromCache = true
        return r
    }

    /// Writes a measured point into the cache (whole, or not at all): under a name of its
    /// own (host, process, a UUID), renamed into place, so that runs on many machines
    /// sharing the cache never write one file at once.
    static func store(_ r: PointResult, at url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(r)
        let temporary = url.path + ".\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString).tmp"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, url.path) == 0 else { throw RTLError("cannot rename \(temporary) to \(url.path): \(String(cString: strerror(errno)))") }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// nextpnr with each seed; the best Fmax counts. A design that does not fit or
    /// runs out of time is reported as such.
    static func placeRoute(_ netlist: URL, _ device: Device, _ o: ExploreOptions, work: URL) throws -> DeviceResult {
        var best: PlaceRouteReport? = nil
        for seed in 1...o.seeds {
            let report = work.appendingPathComponent("\(device.rawValue)-\(seed).json")
            let run = try ToolProcess.run(
                ["nextpnr-ice40"] + device.nextpnrArguments
                    + ["--json", netlist.path, "--pcf-allow-unconstrained", "--freq", String(o.frequencyMHz),
                       "--seed", "\(seed)", "--report", report.path, "--timing-allow-fail", "-q"],
                in: work, timeout: o.placeRouteTimeout)
            if run.timedOut {
                return DeviceResult(device: device, status: best == nil ? .timeout : .ok, report: best, seedsTried: seed,
                                    note: "seed \(seed) ran over \(o.placeRouteTimeout)")
            }
            if run.status != 0 {
                let fit = run.output.contains("Unable to place") || run.output.contains("not enough")
                    || run.output.contains("Too many") || run.output.contains("available")
                return DeviceResult(device: device, status: fit ? .doesNotFit : .failed, report: best, seedsTried: seed,
                                    note: run.output.split(separator: "\n").filter { $0.contains("ERROR") }.first.map(String.init))
            }
            let r = try PlaceRouteReport(reportJSON: Data(contentsOf: report))
            if best == nil || r.fmaxMHz > best!.fmaxMHz { best = r }
        }
        return DeviceResult(device: device, status: .ok, report: best, seedsTried: o.seeds, note: nil)
    }

    /// Versions of the tools, part of the cache key.
    public static func toolVersions() -> String {
        ToolProcess.version("yosys", flag: "-V") + " | " + ToolProcess.version("nextpnr-ice40", flag: "--version")
    }

    /// Runs every point, `jobs` at a time; `progress` sees each finished point.
    public static func sweep(_ points: [UnitParameters], _ o: ExploreOptions, root: URL,
                             progress: @escaping @Sendable (Int, PointResult) -> Void) throws -> [PointResult] {
        try sweep(points.map(ExplorePoint.unit), o, root: root, progress: progress)
    }

    /// Runs every point, our unit's or described designs', `jobs` at a time; `progress` sees
    /// each one as it is handed back, in the points' order. After Ctrl-C no point starts, and
    /// the points finished so far come back.
    public static func sweep(_ points: [ExplorePoint], _ o: ExploreOptions, root: URL,
                             progress: @escaping @Sendable (Int, PointResult) -> Void) throws -> [PointResult] {
        let versions = toolVersions()
        var results: [PointResult] = []
        try Parallel.forEach(points.count, jobs: o.jobs, { k -> PointResult? in
            if Interrupt.requested { return nil }
            switch points[k] {
            case .unit(let u): return try measure(u, o, root: root, versions: versions)
            case .dut(let d, let unit): return try measure(d, unit: unit, o, versions: versions)
            }
        }, done: { _, r in
            guard let r else { return }
            results.append(r)
            progress(results.count, r)
        })
        return results
    }
}
