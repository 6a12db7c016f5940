import ArgumentParser
import AtomikCycle
import AtomikDUT
import AtomikExplore
import AtomikProgram
import AtomikRTL
import AtomikSupport
import Foundation

extension Device: ExpressibleByArgument {}

extension Atomik {
    struct Explore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sweep design points: cycles per operation, yosys area, nextpnr Fmax, operations per second.",
            discussion: """
            Writes results.csv, results.json, results.md, chart-DEVICE.svg (logic cells against operations/s), \
            chart-DEVICE-bits.svg (against bits/s), chart-DEVICE-hazard.svg and chart-DEVICE-fan-in-table.svg (operations/s \
            of those workloads) and report.html (the charts, a sortable table with each workload's front) to --out. \
            With --dut, explores a described design instead of our unit: one point, or one per --point \
            (parameter overrides); its cycles per operation are measured on its RTL under Verilator. \
            Results are cached by the RTL, the parameters and the tool versions, so a re-run only does \
            new work. --shard I/N runs every Nth point and writes shard-I-of-N.json beside the report; \
            atomik merge renders the whole sweep from the shards.
            """
        )

        @Option(help: "Widths, comma-separated.") var widths: String = "8,32,64"
        @Option(help: "Context counts, comma-separated.") var contexts: String = "4,16,64,256"
        @Option(help: "Storages, comma-separated (ff, sram).") var storages: String = "ff,sram"
        @Option(help: "Read latencies of sram points, comma-separated.") var latencies: String = "1"
        @Option(help: "Lanes, comma-separated (above 1: sram points at read latency 1 only).") var lanes: String = "1"
        @Option(help: "A file of design points (width= contexts= storage= latency= lanes=), instead of the lists.") var points: String?
        @Option(help: "Devices, comma-separated (hx8k, up5k).") var devices: String = "hx8k,up5k"
        @Option(parsing: .unconditional, help: "Target frequency for nextpnr, MHz.", transform: Checked.megahertz)
        var freq: Double = 50
        @Option(parsing: .unconditional, help: "Placement seeds per device; the best Fmax counts.", transform: Checked.integer(1...100))
        var seeds: Int = 3
        @Option(parsing: .unconditional, help: "Seconds one nextpnr run may take.", transform: Checked.integer(Checked.seconds))
        var pnrTimeout: Int = 300
        @Option(parsing: .unconditional, help: "Seconds one yosys run may take.", transform: Checked.integer(Checked.seconds))
        var synthTimeout: Int = 300
        @Option(parsing: .unconditional, help: "Items of each workload recipe run on the cycle model.",
                transform: Checked.integer(1...1_000_000_000))
        var length: Int = 20_000
        @Flag(help: "Skip place and route.") var noPnr = false
        @Flag(help: "Replay every workload on the unit's RTL under Verilator, each cycle checked against the model.")
        var verifyRtl = false
        @Option(parsing: .unconditional, help: "Points measured at once.", transform: Checked.integer(1...256))
        var jobs: Int = Parallel.cores
        @Option(help: "Run slice I of N (1-based: every Nth point from the Ith), e.g. 2/4, and write shard-I-of-N.json to --out for atomik merge.")
        var shard: String?
        @Option(help: "Output directory.") var out: String = "explore-out"
        @OptionGroup var dut: DUTOptions
        @Option(help: ArgumentHelp("With --dut: a point as parameter overrides (repeatable).", valueName: "NAME=VALUE,..."))
        var point: [String] = []

        /// The points of a --dut sweep; our unit's own description also gets the cycle model's figures.
        func dutPoints() throws -> [ExplorePoint] {
            let sets: [[(name: String, value: String)]] = try (point.isEmpty ? [""] : point).map { text in
                try text.split(separator: ",").map { pair in
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { throw ValidationError("--point: expected NAME=VALUE,..., found '\(pair)'") }
                    return (String(kv[0]), String(kv[1]))
                }
            }
            return try sets.map { extra in
                let d = try dut.description(extra: extra)
                let unit = dut.preset == .atomikUnit ? DUTPreset.unitParameters(of: d) : nil
                if let unit, unit.lanes > 1 {
                    throw ValidationError("LANES=\(unit.lanes): the DUT path offers one operation a cycle, so it would measure one lane; "
                                          + "explore our unit's lanes with --lanes (and --verify-rtl to replay them on its RTL)")
                }
                return .dut(d, unit: unit)
            }
        }

        /// Writes a sweep's report set into `out` and prints its table and what was written.
        static func writeReport(_ results: [PointResult], devices: [Device], options: String, provenance: String, to out: String) throws {
            try ExploreReport.write(results, devices: devices, options: options, provenance: provenance, to: out)
            print(ExploreReport.markdown(results, devices: devices), terminator: "")
            print("wrote \(out)/results.csv, results.json, results.md, chart-*.svg, report.html")
        }

        /// Where the report's figures come from: when, the tools, and the RTL.
        func provenance() throws -> String {
            let date = ISO8601DateFormatter().string(from: Date())
            let rtl: String
            if dut.dut != nil {
                let d = try dut.description()
                rtl = "\(d.name) (\(d.origin)), RTL hash \(DUTBuild.rtlHash(d))"
            } else {
                let unit = try DUTPreset.unitRTL()
                rtl = "\(unit.directory), RTL hash \(unit.hash)"
            }
            return "made \(date) by \(ToolVersion.string) with \(ToolProcess.version("yosys", flag: "-V"))"
                + (noPnr ? "" : " and \(ToolProcess.version("nextpnr-ice40", flag: "--version"))") + "; \(rtl)"
        }

        func list<T>(_ text: String, _ name: String, _ parse: (String) -> T?) throws -> [T] {
            try text.split(separator: ",").map {
                guard let v = parse(String($0).trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--\(name): cannot read '\($0)'")
                }
                return v
            }
        }

        func run() throws {
            let deviceList = try list(devices, "devices") { Device(rawValue: $0) }
            var sweep: [ExplorePoint]
            if dut.dut != nil {
                if verifyRtl {
                    throw ValidationError("--verify-rtl has no effect here: a described design's workloads are measured on its RTL")
                }
                sweep = try dutPoints()
            } else if let points {
                try dut.validateUnused()
                sweep = try SweepDefinition.parse(try TextFile.read(points), file: points).map(ExplorePoint.unit)
            } else {
                try dut.validateUnused()
                let laneList = try list(lanes, "lanes") { Int($0) }
                for k in laneList where !UnitParameters.lanesRange.contains(k) {
                    throw ValidationError("--lanes: \(UnitParameterError.outOfRange("LANES", k, UnitParameters.lanesRange))")
                }
                let cross = SweepDefinition.cross(
                    widths: try list(widths, "widths") { Int($0) }, contexts: try list(contexts, "contexts") { Int($0) },
                    storages: try list(storages, "storages") { Storage(rawValue: $0) },
                    latencies: try list(latencies, "latencies") { Int($0) }, lanes: laneList)
                if cross.isEmpty {
                    throw ValidationError("--storages, --latencies, --lanes: no design point (lanes above 1 need sram at read latency 1)")
                }
                for p in cross {
                    do { try p.validate() } catch {
                        throw ValidationError("--widths, --contexts, --storages, --latencies, --lanes: the point \(p) cannot be built: \(error)")
                    }
                }
                sweep = cross.map(ExplorePoint.unit)
            }
            let shard = try Shard.option(self.shard)
            let whole = sweep
            let offsets = shard?.offsets(of: whole.count) ?? Array(whole.indices)
            sweep = offsets.map { whole[$0] }
            let root = try RTLSimulator.repositoryRoot()
            var o = ExploreOptions(cacheDirectory: DUTBuild.userCache("explore"))
            o.devices = deviceList; o.frequencyMHz = freq; o.seeds = seeds; o.placeRoute = !noPnr; o.verifyRTL = verifyRtl
            o.placeRouteTimeout = .seconds(pnrTimeout); o.synthesisTimeout = .seconds(synthTimeout)
            o.workloadLength = length; o.jobs = jobs
            let start = ContinuousClock.now, total = sweep.count
            FileHandle.standardError.write(Data("exploring \(total) design points\(shard.map { " (shard \($0) of \(whole.count))" } ?? ""), \(o.jobs) at a time\n".utf8))
            let results = try Exploration.sweep(sweep, o, root: root) { n, r in
                let elapsed = (ContinuousClock.now - start).seconds
                let left = elapsed / Double(n) * Double(total - n)
                FileHandle.standardError.write(Data(String(format: "[%d/%d] %@%@, %.0f s elapsed, about %.0f s left\n",
                                                           n, total, r.name, r.fromCache ? " (cached)" : "", elapsed, left).utf8))
            }
            if Interrupt.requested {
                throw Interrupted("interrupted with \(results.count) points done; they are cached, so the same command resumes")
            }
            let options = ExploreReport.optionsText(devices: deviceList, frequencyMHz: freq, seeds: seeds, length: length)
            let provenance = try provenance()
            try Self.writeReport(results, devices: deviceList, options: options, provenance: provenance, to: out)
            if let shard {
                // The job: every point of the whole sweep and every option that shapes a result.
                let job = ["explore", options, "\(noPnr)", "\(verifyRtl)", "\(pnrTimeout)", "\(synthTimeout)"] + whole.map(\.words)
                let path = try ShardFile(kind: .explore, job: ShardFile.job(job), shard: shard.index, shards: shard.count,
                                         items: whole.count, made: ShardFile.madeNow,
                                         explore: .init(devices: deviceList, options: options, provenance: provenance,
                                                        offsets: offsets, results: results)).write(to: out)
                print("shard \(shard) of the sweep written to \(path)")
            }
        }
    }
}
