import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import AtomikVectors
import Foundation
import Testing

/// A new directory for one test's files; the caller removes it (`defer { removeDirectory(dir) }`).
func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-vectors-\(UUID())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func removeDirectory(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }

func vectorLines(_ path: String) throws -> [Substring] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("//") }
}

@Suite struct CoverageModel {
    @Test func dataClasses() {
        #expect(Coverage.dataClass(Word(0), width: 8) == .zero)
        #expect(Coverage.dataClass(Word(0xFF), width: 8) == .allOnes)
        #expect(Coverage.dataClass(Word(0x1FF), width: 8) == .allOnes, "masked to the width first")
        #expect(Coverage.dataClass(Word(0x80), width: 8) == .msbOnly)
        #expect(Coverage.dataClass(Word(0x04), width: 8) == .singleBit)
        #expect(Coverage.dataClass(Word(0x05), width: 8) == .other)
        #expect(Coverage.dataClass(Word(1), width: 1) == .allOnes)
        #expect(Coverage.dataClass(Word(2), width: 2) == .msbOnly)
        #expect(Coverage.dataClass(Word.mask(width: 512), width: 512) == .allOnes)
    }

    @Test func reachableBinsFollowTheDesignPoint() {
        // 3 data kinds x 5 data classes + 2 others = 17 per (context, distance row); rows: after-reset + 4 distances (+ first touch when C > 1).
        #expect(Coverage.reachableBins(UnitParameters(width: 8, contexts: 1)).count == 17 * 1 * 5)
        #expect(Coverage.reachableBins(UnitParameters(width: 8, contexts: 16)).count == 17 * 3 * 6)
        #expect(Coverage.reachableBins(UnitParameters(width: 1, contexts: 2)).count == (3 * 2 + 2) * 2 * 6)
        #expect(Coverage.reachableEvents(UnitParameters(storage: .ff)).count == 3)
        #expect(Coverage.reachableEvents(UnitParameters(storage: .sram)).count == 5)
        #expect(Coverage.reachableEvents(UnitParameters(storage: .sram, lanes: 2)).count == 8)
    }
}

@Suite struct VectorFiles {
    /// Closure mode hits every reachable bin.
    @Test(arguments: [UnitParameters(width: 16, contexts: 16, storage: .ff),
                      UnitParameters(width: 8, contexts: 4, storage: .sram, readLatency: 2),
                      UnitParameters(width: 8, contexts: 4, storage: .sram, lanes: 6)])
    func untilCoverageClosesEveryBin(_ p: UnitParameters) throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        var job = VectorJob(parameters: p, directory: dir)
        job.untilCoverage = true
        let report = try VectorGenerator.run(job)
        let c = try #require(report.coverage)
        #expect(c.hit == c.reachable && report.missedBins.isEmpty)
        #expect(try vectorLines("\(job.directory)/stimulus.hex").count == report.cycles)
        // The program file has the idle cycles the pipeline drained between
        // bursts, so a replay runs cycle for cycle.
        let source = try ProgramSource(path: "\(job.directory)/program.atk",
                                       options: ProgramOptions(width: p.width, contexts: p.contexts))
        let replay = try CycleSimulator.run(p, source: source, output: try ByteWriter(path: "\(job.directory)/replay.out"),
                                            final: false)
        #expect(replay.cycles == report.cycles)
    }

    /// The lane events: uniform traffic rarely fills every lane; fan-in-table does, and shares
    /// contexts between lanes; neither at one lane.
    @Test func laneEventsFollowTheTraffic() throws {
        func events(_ recipe: Recipe, lanes: Int) throws -> Set<Coverage.Event> {
            let p = UnitParameters(width: 8, contexts: 4, storage: .sram, lanes: lanes)
            let collector = CoverageCollector(p)
            let sim = try CycleSimulator(p, recorder: CycleRecorder(CycleBuffers(capacity: 256, width: 8, lanes: lanes)) { b in
                collector.record(b)
                return b
            }) { _ in }
            try sim.execute(Array(recipe.items(width: 8, contexts: 4, length: 3000, seed: 2)))
            _ = try sim.finish()
            return collector.events
        }
        let lanes: Set<Coverage.Event> = [.fullBundle, .lanesShareContext, .readsLaneWrite]
        #expect(try events(.fanInTable, lanes: 8).isSuperset(of: [.fullBundle, .lanesShareContext]))
        #expect(try events(.fanInTable, lanes: 1).isDisjoint(with: lanes))
        #expect(try events(.hazard, lanes: 3).contains(.readsLaneWrite))
    }

    /// A narrow recipe says which bins it misses.
    @Test func narrowRecipeReportsMissedBins() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        var job = VectorJob(parameters: UnitParameters(width: 8, contexts: 4, storage: .ff), directory: dir)
        job.recipe = .idle; job.length = 200; job.coverage = true
        let report = try VectorGenerator.run(job)
        let c = try #require(report.coverage)
        #expect(c.hit < c.reachable)
        #expect(report.missedBins.count == c.reachable - c.hit)
        // The idle recipe puts at least one idle cycle between operations.
        #expect(report.missedBins.contains { $0.contains("dist=0") })
    }

    /// The program file replays the same stream: the vectors made from it are the same.
    @Test func programFileReplaysTheStream() throws {
        let p = UnitParameters(width: 12, contexts: 5, storage: .sram, readLatency: 1)
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        var job = VectorJob(parameters: p, directory: dir)
        job.recipe = .hazard; job.length = 300; job.seed = 4
        _ = try VectorGenerator.run(job)
        let source = try ProgramSource(path: "\(job.directory)/program.atk", options: ProgramOptions(width: 12, contexts: 5))
        var items: [ProgramItem] = []
        while let item = try source.next() { items.append(item) }
        // The program file holds the values as the port sees them: masked to the width.
        let expected = Recipe.hazard.items(width: 12, contexts: 5, length: 300, seed: 4).map { item -> ProgramItem in
            guard case .op(var i) = item else { return item }
            i.data = i.data & Word.mask(width: 12)
            return .op(i)
        }
        #expect(items.count == expected.count)
        #expect(items == expected, "first difference at \(zip(items, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)")
        let manifest = try String(contentsOfFile: "\(job.directory)/manifest.json", encoding: .utf8)
        let json = try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as! [String: Any]
        #expect((json["files"] as! [[String: Any]]).count == 3)
        // Vectors made from that program file are the recipe's, line for line.
        let again = try temporaryDirectory()
        defer { removeDirectory(again) }
        var fromProgram = VectorJob(parameters: p, directory: again)
        fromProgram.program = ("\(job.directory)/program.atk", false)
        _ = try VectorGenerator.run(fromProgram)
        for file in ["stimulus.hex", "expected.hex"] {
            #expect(try vectorLines("\(again)/\(file)") == vectorLines("\(dir)/\(file)"), "\(file)")
        }
    }

    /// The project's testbench consumes the vectors self-checking under both simulators.
    @Test(arguments: [UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1),
                      UnitParameters(width: 8, contexts: 1, storage: .ff),
                      UnitParameters(width: 130, contexts: 16, storage: .sram, readLatency: 2),
                      UnitParameters(width: 40, contexts: 16, storage: .sram, lanes: 4)])
    func testbenchChecksTheVectors(_ p: UnitParameters) throws {
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        try #require(ci || (RTLSimulator.icarus.isInstalled && RTLSimulator.verilator.isInstalled), "simulators are not installed")
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        var job = VectorJob(parameters: p, directory: dir)
        job.recipe = .uniform; job.length = 500; job.untilCoverage = true
        let report = try VectorGenerator.run(job)
        for s in RTLSimulator.allCases {
            let r = try s.runVectors(p, stimulus: "\(job.directory)/stimulus.hex", expected: "\(job.directory)/expected.hex",
                                     cycles: report.cycles, trace: "\(job.directory)/\(s.rawValue).trace")
            #expect(r.checked == report.cycles && r.mismatches == 0, "\(s.rawValue) \(p)")
        }
    }
}

/// Two runs with the same seed and options write the same bytes.
@Suite struct Reproducibility {
    @Test func vectorsAreByteIdentical() throws {
        var outputs: [[Data]] = []
        for _ in 0..<2 {
            let dir = try temporaryDirectory()
            defer { removeDirectory(dir) }
            var job = VectorJob(parameters: UnitParameters(width: 24, contexts: 8, storage: .sram, readLatency: 2),
                                directory: dir)
            job.recipe = .hazard; job.seed = 11; job.length = 2000; job.untilCoverage = true
            _ = try VectorGenerator.run(job)
            outputs.append(try ["stimulus.hex", "expected.hex", "program.atk", "manifest.json"].map {
                try Data(contentsOf: URL(fileURLWithPath: "\(job.directory)/\($0)"))
            })
        }
        #expect(outputs[0] == outputs[1])
    }

    @Test func traceAndWaveformAreByteIdentical() throws {
        var outputs: [[Data]] = []
        for _ in 0..<2 {
            let dir = try temporaryDirectory()
            defer { removeDirectory(dir) }
            let trace = try ByteWriter(path: "\(dir)/t.trace"), vcd = try ByteWriter(path: "\(dir)/t.vcd")
            let p = UnitParameters(width: 70, contexts: 16, storage: .sram, readLatency: 1)
            let sim = try CycleSimulator(p, observers: [CycleTraceWriter(trace), WaveformWriter(vcd: vcd, bankLimit: 4)]) { _ in }
            try sim.execute(Array(Recipe.reset.items(width: 70, contexts: 16, length: 1500, seed: 5)))
            _ = try sim.finish()
            outputs.append(try ["t.trace", "t.vcd"].map { try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\($0)")) })
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0][0].count > 10_000)
    }
}
