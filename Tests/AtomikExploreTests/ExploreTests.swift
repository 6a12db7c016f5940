import AtomikDUT
import AtomikCycle
import AtomikExplore
import AtomikRTL
import Foundation
import Testing

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

@Suite struct ToolReportParsers {
    /// yosys 0.23's `stat -json` for W=32 C=16 sram inside the harness.
    @Test func yosysStat() throws {
        let r = try SynthesisReport(statJSON: Data(contentsOf: fixtures.appendingPathComponent("yosys-stat-w32-c16-sram.json")))
        #expect(r.blockRAMs == 4)
        #expect(r.luts > 0 && r.flipFlops > 0)
        #expect(r.cells >= r.luts + r.flipFlops + r.blockRAMs)
    }

    /// nextpnr-ice40 0.4's `--report` for the same design on UP5K.
    @Test func nextpnrReport() throws {
        let r = try PlaceRouteReport(reportJSON: Data(contentsOf: fixtures.appendingPathComponent("nextpnr-report-w32-c16-sram-up5k.json")))
        #expect(abs(r.fmaxMHz - 46.39) < 0.01)
        #expect(r.logicCells == 686 && r.logicCellsAvailable == 5280 && r.blockRAMs == 4)
    }

    @Test func malformedReportsAreErrors() {
        #expect(throws: ExploreError.self) { _ = try SynthesisReport(statJSON: Data("{}".utf8)) }
        #expect(throws: ExploreError.self) { _ = try PlaceRouteReport(reportJSON: Data("{\"fmax\": {}}".utf8)) }
    }
}

@Suite struct Sweeps {
    @Test func crossProductGivesFFOneLatency() {
        let points = SweepDefinition.cross(widths: [8, 32], contexts: [4], storages: [.ff, .sram], latencies: [1, 2])
        #expect(points.count == 2 + 4)
        #expect(points.filter { $0.storage == .ff }.allSatisfy { $0.readLatency == 1 })
    }

    /// Lanes above 1 go with sram points at read latency 1 only.
    @Test func crossProductGivesLanesToSRAMAtLatencyOne() {
        let points = SweepDefinition.cross(widths: [32], contexts: [64], storages: [.ff, .sram], latencies: [1, 2], lanes: [1, 8, 15])
        #expect(points.count == 1 + 2 + 2)
        #expect(points.filter { $0.lanes > 1 }.allSatisfy { $0.storage == .sram && $0.readLatency == 1 })
        #expect(Set(points.map(\.lanes)) == [1, 8, 15])
    }

    @Test func pointsFileTakesLanes() throws {
        let points = try SweepDefinition.parse("width=32 contexts=64 storage=sram lanes=15\nwidth=8 contexts=4 storage=ff\n", file: "p.txt")
        #expect(points.map(\.lanes) == [15, 1])
        for (text, message) in [("width=8 contexts=4 storage=ff lanes=2", "p.txt:1:1: error: LANES = 2 needs STORAGE = sram"),
                                ("width=8 contexts=4 storage=sram latency=2 lanes=2", "p.txt:1:1: error: LANES = 2 needs"),
                                ("width=8 contexts=4 storage=sram lanes=17", "p.txt:1:1: error: LANES = 17 is outside"),
                                ("width=8 contexts=4 storage=sram lanes=two", "p.txt:1:33: error: lanes: expected a decimal number")] {
            #expect { _ = try SweepDefinition.parse(text, file: "p.txt") } throws: { "\($0)".hasPrefix(message) }
        }
    }

    @Test func pointsFileErrorsNameTheLine() {
        #expect(throws: (any Error).self) {
            _ = try SweepDefinition.parse("width=8 contexts=4 storage=ff\nwidth=8 contexts=4 storage=flash\n", file: "p.txt")
        }
        do {
            _ = try SweepDefinition.parse("width=8 contexts=4 storage=ff\nwidth=8 contexts=4 storage=flash\n", file: "p.txt")
        } catch {
            #expect(String(describing: error).hasPrefix("p.txt:2:20: error: storage: expected ff or sram"))
        }
        #expect((try? SweepDefinition.parse("width=8 storage=ff", file: "p.txt")) == nil)
    }

    /// A tiny sweep through the real yosys and nextpnr, then again from the cache.
    @Test func tinySweepRunsTheRealTools() throws {
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        try #require(ci || FileManager.default.isExecutableFile(atPath: "/usr/bin/nextpnr-ice40"), "nextpnr-ice40 is not installed")
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-explore-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: cache) }
        var o = ExploreOptions(cacheDirectory: cache)
        o.seeds = 1; o.workloadLength = 1000; o.devices = [.hx8k]; o.placeRouteTimeout = .seconds(120); o.verifyRTL = true
        let points = [UnitParameters(width: 8, contexts: 4, storage: .ff),
                      UnitParameters(width: 16, contexts: 256, storage: .sram, readLatency: 1),
                      UnitParameters(width: 16, contexts: 256, storage: .sram, lanes: 4)]
        let root = try RTLSimulator.repositoryRoot()
        let results = try Exploration.sweep(points, o, root: root) { _, _ in }
        #expect(results.count == 3)
        for r in results {
            #expect(r.workloads.allSatisfy { $0.resultsChecked && $0.rtlMismatches == 0 }, "the RTL agrees with the model: \(r.name)")
            #expect(r.synthesis != nil && r.devices.first?.status == .ok)
            #expect((r.operationsPerSecond(.hx8k, "uniform") ?? 0) > 1e6)
            #expect(!r.fromCache)
        }
        #expect(results[1].synthesis!.blockRAMs > 0, "sram banks become block RAM")
        #expect(results[0].synthesis!.blockRAMs == 0)
        // Four lanes: a copy of the accumulators each, and nearly four ACCUMs a cycle on the fan-in-table
        // workload once the clear sweep (stall cycles) is over.
        #expect(results[2].lanes == 4 && results[2].name.hasSuffix(" K4"))
        #expect(results[2].synthesis!.blockRAMs > results[1].synthesis!.blockRAMs)
        let busy = { (r: PointResult) in r.workloads.first { $0.recipe == "fan-in-table" }.map { $0.cycles - $0.stallCycles }! }
        #expect(busy(results[2]) * 3 < busy(results[1]), "\(busy(results[2])) vs \(busy(results[1]))")
        let again = try Exploration.sweep(points, o, root: root) { _, _ in }
        #expect(again.allSatisfy { $0.fromCache })
        #expect(again.map(\.synthesis) == results.map(\.synthesis))
        // Reports render, and the Pareto front is not empty.
        #expect(ExploreReport.csv(results, devices: [.hx8k]).split(separator: "\n").count == 4)
        #expect(ExploreReport.svg(results, device: .hx8k).contains("<circle"))
        #expect(!ExploreReport.paretoFront(results, device: .hx8k).isEmpty)
    }
}

/// The LANES sweep (docs/lanes/explore): each workload has its own front, and
/// lanes win only where runs of ACCUMs are long.
@Suite struct WorkloadFronts {
    @Test func fanInTableIsWonByLanesAndUniformIsNot() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("docs/lanes/explore/results.json"))
        let results = try JSONDecoder().decode([PointResult].self, from: data)
        for r in results { try r.validate() }
        let lanes = { (name: String) in results.first { $0.name == name }!.lanes ?? 1 }
        let fanIn = ExploreReport.paretoFront(results, device: .hx8k, workload: "fan-in-table")
        let uniform = ExploreReport.paretoFront(results, device: .hx8k)
        // The fastest on fan-in-table has the most lanes that fit; the uniform front's top has one.
        func fastest(_ front: Set<String>, _ workload: String) -> String {
            let speed = { (name: String) in
                ExploreReport.Throughput.operations.value(results.first { $0.name == name }!, .hx8k, workload: workload)!
            }
            return front.max { speed($0) < speed($1) }!
        }
        #expect(lanes(fastest(fanIn, "fan-in-table")) == 15)
        #expect(lanes(fastest(uniform, "uniform")) == 1)
        let html = ExploreReport.html(results, devices: [.hx8k], options: "test")
        #expect(html.contains("hx8k front (ops/s, fan-in-table)") && html.contains("hx8k front (ops/s, hazard)"))
        #expect(html.contains("(fan-in-table workload)</text>"))
    }
}

@Suite struct ReportReproducibility {
    /// Reports are a function of the results: rendering twice, or from a
    /// cached copy, gives the same bytes.
    @Test func reportsDependOnlyOnResults() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/explore/results.json"))
        var results = try JSONDecoder().decode([PointResult].self, from: data)
        let first = try ExploreReport.json(results) + ExploreReport.csv(results, devices: Device.allCases)
            + ExploreReport.svg(results, device: .hx8k) + ExploreReport.html(results, devices: Device.allCases, options: "x")
        for k in results.indices { results[k].fromCache = true }
        let second = try ExploreReport.json(results) + ExploreReport.csv(results, devices: Device.allCases)
            + ExploreReport.svg(results, device: .hx8k) + ExploreReport.html(results, devices: Device.allCases, options: "x")
        #expect(first == second)
        #expect(results.count >= 12)
    }
}

@Suite(.serialized) struct DUTExploration {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("AtomikCosimTests/Fixtures")

    /// Our unit explored as a DUT: cycles per operation measured on its RTL
    /// under Verilator agree with the cycle model's, for every workload.
    @Test(arguments: [UnitParameters(width: 16, contexts: 16, storage: .ff),
                      UnitParameters(width: 16, contexts: 16, storage: .sram, readLatency: 2)])
    func measuredAgreesWithTheModel(_ p: UnitParameters) throws {
        try #require(RTLSimulator.verilator.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil, "verilator is not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-dut-explore-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = ExploreOptions(cacheDirectory: dir)
        o.placeRoute = false
        o.workloadLength = 3000
        let r = try Exploration.measure(try DUTPreset.unit(p), unit: p, o, versions: "test")
        let model = try #require(r.modelWorkloads)
        #expect(r.workloads.count == o.workloads.count && model.count == r.workloads.count)
        for (measured, m) in zip(r.workloads, model) {
            #expect(measured.resultsChecked && m.resultsChecked)
            #expect(measured.operations == m.operations, "\(m.recipe)")
            #expect(abs(measured.cycles - m.cycles) <= 2, "\(m.recipe): RTL \(measured.cycles) cycles, model \(m.cycles)")
        }
        #expect(r.synthesis != nil, "yosys: \(r.synthesisNote ?? "")")
    }

    /// A described design with another interface is synthesised, placed and routed through its generated harness,
    /// from a directory whose path has a space in it (yosys reads it as one word).
    @Test func describedDesignIsPlacedAndRouted() throws {
        try #require(RTLSimulator.verilator.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil, "tools are not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik dut explore \(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rtl = dir.appendingPathComponent("core v2")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("corev2"), to: rtl)
        var o = ExploreOptions(cacheDirectory: dir)
        o.devices = [.hx8k]
        o.seeds = 1
        o.workloads = [.uniform, .hazard]
        o.workloadLength = 2000
        let d = try DUTPreset.corev2.load(rtlDirectory: rtl.path, parameters: [("DATA_WIDTH", "16")])
        let r = try Exploration.measure(d, unit: nil, o, versions: "test")
        #expect(r.design == "corev2 DATA_WIDTH=16")
        // One operation a cycle, plus the recipe's idle gaps (hazard on one context is mostly gaps).
        #expect(r.workloads.allSatisfy { $0.resultsChecked }, "\(r.workloads)")
        #expect((1.0..<1.3).contains(r.workloads[0].cyclesPerOperation), "\(r.workloads)")
        let s = try #require(r.synthesis)
        #expect(s.flipFlops >= 16 * 2 && s.flipFlops < 200, "\(s)")
        let hx = try #require(r.devices.first)
        #expect(hx.status == .ok && (hx.report?.fmaxMHz ?? 0) > 20, "\(hx)")
        let again = try Exploration.measure(d, unit: nil, o, versions: "test")
        #expect(again.fromCache && again.devices == r.devices)
    }
}

/// The exploration report as a person sees it: rendered by headless Chromium,
/// its script runs without an error, sorts the table, and the front by bits/s
/// holds the wide points that the front by operations/s leaves out.
@Suite struct ReportInABrowser {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func chromium(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0"]
            + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, output, errors)
    }

    @Test func rendersSortsAndShowsBothFronts() throws {
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        try #require(ci || FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "chromium is not installed")
        let data = try Data(contentsOf: Self.repository.appendingPathComponent("docs/explore/results.json"))
        let results = try JSONDecoder().decode([PointResult].self, from: data)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-report-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        try ExploreReport.html(results, devices: Device.allCases, options: "test", provenance: "made by the test")
            .write(to: page, atomically: true, encoding: .utf8)
        // Column 12 is "hx8k M ops/s": sorted descending at load by the page's own script.
        let (status, dom, errors) = try chromium(["--dump-dom", page.absoluteString + "#sort=-12"])
        #expect(status == 0, "\(errors.suffix(2000))")
        #expect(!errors.contains("Uncaught") && !errors.contains("SyntaxError"), "\(errors.suffix(2000))")
        #expect(dom.contains("data-ready=\"yes\""), "the script ran to its end")
        #expect(dom.contains("data-sorted=\"-12\""))
        // The rows as the browser left them: hx8k M ops/s must not increase down the table.
        let rows = dom.components(separatedBy: "<tr>").dropFirst(2)
        let values: [Double] = rows.compactMap { row in
            let cells = row.components(separatedBy: "<td")
            guard cells.count > 13, let r = cells[13].range(of: "data-value=\"") else { return nil }
            return Double(cells[13][r.upperBound...].prefix { $0 != "\"" })
        }
        #expect(values.count >= 10 && values == values.sorted(by: >), "\(values)")
        // Wide points: off the front by operations/s, on the front by bits/s.
        let byOps = ExploreReport.paretoFront(results, device: .hx8k, by: .operations)
        let byBits = ExploreReport.paretoFront(results, device: .hx8k, by: .bits)
        #expect(byBits.contains { name in results.first { $0.name == name }!.width >= 32 })
        #expect(!byBits.subtracting(byOps).isEmpty)
        // Per width: the global front's points are on their width's front, and every width has one.
        let byWidth = ExploreReport.widthFronts(results, device: .hx8k)
        #expect(byOps.isSubset(of: byWidth))
        let placed = results.filter { ExploreReport.Throughput.bits.value($0, .hx8k) != nil }
        #expect(Set(placed.map(\.width)) == Set(byWidth.map { name in results.first { $0.name == name }!.width }))
        // With capacity: the largest table (C x W) that was placed is on it, though smaller points beat it in area and speed.
        let withCapacity = ExploreReport.capacityFront(results, device: .hx8k)
        let largest = placed.map { $0.contexts * $0.width }.max()!
        #expect(withCapacity.contains { name in results.first { $0.name == name }.map { $0.contexts * $0.width } == largest })
        #expect(!withCapacity.subtracting(byBits).isEmpty, "capacity keeps points the bits/s front drops")
        // The table shows all four fronts.
        #expect(dom.contains("hx8k front of its width (ops/s)") && dom.contains("hx8k front with capacity (bits/s, C x W)"))
        // Round ticks only.
        let svg = ExploreReport.svg(results, device: .hx8k, by: .bits)
        #expect(!svg.contains(">1144<") && !svg.contains(">2288<"))
    }
}
