import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikStimulus
import Foundation
import Testing

/// Runs items through the cycle model; returns its results, final states and counts.
func runCycle(_ p: UnitParameters, _ items: [ProgramItem], trace: ByteWriter? = nil)
    throws -> (results: [OperationResult], final: [(address: Int, state: Word)], stats: CycleStats) {
    var results: [OperationResult] = []
    let sim = try CycleSimulator(p, observers: trace.map { [CycleTraceWriter($0)] } ?? []) { results.append($0) }
    try sim.execute(items)
    let stats = try sim.finish()
    return (results, sim.nonZeroStates(), stats)
}

/// Runs items through the software core.
func runSoftware(width: Int, contexts: Int, _ items: [ProgramItem])
    throws -> (results: [OperationResult], final: [(address: Int, state: Word)]) {
    let table = try AtomikTable<Word>(contexts: contexts, width: width)
    let results = try SoftwareEngine.run(items, on: table)
    return (results, table.nonZeroStates().map { ($0.address, $0.state) })
}

/// A random program with resets sprinkled in.
func randomItems(width: Int, contexts: Int, count: Int, seed: UInt64) -> [ProgramItem] {
    var rng = StimulusRandom(seed: seed, name: "resets")
    var items: [ProgramItem] = []
    for item in RandomProgram(width: width, contexts: contexts, count: count, seed: seed) {
        if rng.below(400) == 0 { items.append(.reset(Int(rng.below(3)) + 1)) }
        items.append(item)
    }
    return items
}

let designPoints: [UnitParameters] = {
    var points: [UnitParameters] = []
    for w in [1, 8, 64, 65, 512] {
        for c in [1, 2, 16, 256] {
            points.append(UnitParameters(width: w, contexts: c, storage: .ff))
            for l in [1, 2] { points.append(UnitParameters(width: w, contexts: c, storage: .sram, readLatency: l)) }
            for k in [2, 3, 16] { points.append(UnitParameters(width: w, contexts: c, storage: .sram, lanes: k)) }
        }
    }
    return points
}()

@Suite struct CycleModelMatchesSoftwareCore {
    @Test(arguments: designPoints)
    func randomStreams(_ p: UnitParameters) throws {
        let items = randomItems(width: p.width, contexts: p.contexts, count: 1500, seed: UInt64(p.width * 1000 + p.contexts))
        let model = try runCycle(p, items)
        let golden = try runSoftware(width: p.width, contexts: p.contexts, items)
        #expect(model.results.count == golden.results.count)
        if let k = zip(model.results, golden.results).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("\(p): result \(k) differs: model \(model.results[k]) vs core \(golden.results[k])")
        }
        #expect(model.final.map(\.address) == golden.final.map(\.address))
        #expect(model.final.map(\.state) == golden.final.map(\.state))
    }

    /// A program that ends in a reset, or part way through the clear sweep that
    /// follows it, has no non-zero state left (random streams rarely end so:
    /// `--final` on sram printed the contexts the sweep had not reached yet).
    @Test(arguments: designPoints.filter { $0.contexts > 2 && $0.width <= 65 })
    func finalStateAfterATrailingReset(_ p: UnitParameters) throws {
        for tail: [ProgramItem] in [[.reset(1)], [.reset(3)], [.reset(1), .idle(1)], [.reset(2), .idle(p.contexts / 2)],
                                    [.reset(1), .idle(p.contexts + 2)], [.reset(1), .op(.accum(p.contexts - 1, Word(5)))]] {
            let items = Array(RandomProgram(width: p.width, contexts: p.contexts, count: 300, seed: 3)) + tail
            let model = try runCycle(p, items)
            let golden = try runSoftware(width: p.width, contexts: p.contexts, items)
            #expect(model.final.map(\.address) == golden.final.map(\.address), "\(p) ending \(tail)")
            #expect(model.final.map(\.state) == golden.final.map(\.state), "\(p) ending \(tail)")
        }
    }

    /// Back-to-back operations on one context at every distance, for each latency.
    @Test(arguments: [1, 2])
    func hazardsAtEveryDistance(latency: Int) throws {
        for distance in 0...3 {
            var items: [ProgramItem] = [.op(.load(0, Word(0x10)))]
            for d in [UInt64(1), 2, 4, 8] {
                items.append(.op(.accum(0, Word(d))))
                if distance > 0 { items.append(.idle(distance)) }
                items.append(.op(.read(0)))
                items.append(.op(.swap(0, Word(d << 8))))
                items.append(.op(.swap(0)))
            }
            let p = UnitParameters(width: 16, contexts: 4, storage: .sram, readLatency: latency)
            let model = try runCycle(p, items)
            let golden = try runSoftware(width: 16, contexts: 4, items)
            #expect(model.results == golden.results, "distance \(distance)")
            #expect(model.stats.stallCycles == 4, "only the clear sweep stalls")
        }
    }
}

@Suite struct RunningAProgram {
    /// A program with an error after many items: the results of every item
    /// before it come out (as the software engine's do), then the error.
    @Test(arguments: [UnitParameters(width: 16, contexts: 4, storage: .ff),
                      UnitParameters(width: 16, contexts: 4, storage: .sram, readLatency: 2)])
    func resultsBeforeAnErrorAreKept(_ p: UnitParameters) throws {
        let items = Array(RandomProgram(width: 16, contexts: 4, count: 5000, seed: 8))
        let text = items.map { TextFormat.format($0) + "\n" }.joined() + "bogus 1\n"
        let source = try ProgramSource(reader: ByteReader(bytes: Array(text.utf8), name: "p.atk"),
                                       options: ProgramOptions(width: 16, contexts: 4))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect { _ = try CycleSimulator.run(p, source: source, output: try ByteWriter(path: out), final: false) } throws: {
            "\($0)".contains("p.atk:5001")
        }
        let golden = try runSoftware(width: 16, contexts: 4, items).results
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == golden.count)
    }
}

/// After an error (here from the results' consumer), the engine refuses to
/// go on rather than run from a state that has moved on.
@Test func theEngineStopsAtItsFirstError() throws {
    struct Full: Error {}
    var delivered = 0
    let sim = try CycleSimulator(UnitParameters(width: 8, contexts: 4, storage: .sram)) { _ in
        delivered += 1
        if delivered == 300 { throw Full() }
    }
    let items = Array(repeating: ProgramItem.op(.read(1)), count: 1000)
    #expect(throws: Full.self) { try sim.execute(items) }
    #expect(throws: Full.self) { try sim.execute([.op(.read(2))]) }
    #expect(throws: Full.self) { _ = try sim.finish() }
    #expect(delivered == 300)
}

@Suite struct SRAMTiming {
    /// One operation per cycle; the only stalls are the clear sweep after reset.
    @Test(arguments: [1, 2])
    func oneOperationPerCycle(latency: Int) throws {
        let c = 16, n = 100
        let items: [ProgramItem] = (0..<n).map { .op($0 % 2 == 0 ? .accum($0 % c, Word(UInt64($0))) : .read(($0 - 1) % c)) }
        let p = UnitParameters(width: 8, contexts: c, storage: .sram, readLatency: latency)
        let run = try runCycle(p, items)
        #expect(run.stats.stallCycles == c)
        // reset cycle + sweep + one cycle per op + L cycles to execute the last + 1 to see its result
        #expect(run.stats.cycles == 1 + c + n + latency + 1)
        #expect(run.results.count == n / 2)
    }

    @Test func resetInTheMiddleClearsEveryContext() throws {
        let items: [ProgramItem] = [.op(.load(3, Word(7))), .op(.accum(3, Word(1))), .reset(2), .op(.read(3)),
                                    .op(.load(1, Word(5))), .op(.read(1))]
        for p in [UnitParameters(width: 8, contexts: 4, storage: .ff),
                  UnitParameters(width: 8, contexts: 4, storage: .sram, readLatency: 2)] {
            let run = try runCycle(p, items)
            #expect(run.results.map(\.value) == [Word(0), Word(5)])
            #expect(run.final.map(\.address) == [1])
        }
    }
}

@Suite struct LanesTiming {
    /// The issue stage packs consecutive ACCUMs, up to K a cycle, in program
    /// order; any other operation goes alone, and cuts the run before it.
    @Test(arguments: [2, 4, 16])
    func accumsGoKACycle(lanes k: Int) throws {
        let c = 8
        let runs = [1, 10, 33, 7]
        var items: [ProgramItem] = [], n = 0, issueCycles = 0
        for (r, length) in runs.enumerated() {
            for j in 0..<length { items.append(.op(.accum((r + j) % c, Word(UInt64(j + 1) << r)))) }
            items.append(.op(r % 2 == 0 ? .read(r) : .swap(r)))
            n += length + 1
            issueCycles += (length + k - 1) / k + 1
        }
        let p = UnitParameters(width: 16, contexts: c, storage: .sram, lanes: k)
        let run = try runCycle(p, items)
        #expect(run.results == (try runSoftware(width: 16, contexts: c, items)).results)
        #expect(run.stats.operations == n)
        // reset cycle + sweep + the issue cycles + 1 to execute the last + 1 to see its result
        #expect(run.stats.cycles == 1 + c + issueCycles + 2)
        #expect(run.stats.stallCycles == c)
    }

    /// Two or more lanes of one cycle on one context, back to back with a READ of it.
    @Test func lanesOnOneContext() throws {
        let p = UnitParameters(width: 8, contexts: 2, storage: .sram, lanes: 5)
        var items: [ProgramItem] = [.op(.load(1, Word(0x5a)))]
        for round in 0..<6 {
            for j in 0..<(round + 3) { items.append(.op(.accum(1, Word(UInt64(1 << (j % 8)))))) }
            items.append(.op(round % 3 == 0 ? .read(1) : round % 3 == 1 ? .swap(1) : .swap(1, Word(UInt64(round)))))
        }
        #expect(try runCycle(p, items).results == (try runSoftware(width: 8, contexts: 2, items)).results)
    }
}

@Suite struct Parameters {
    @Test func illegalParametersAreRejected() {
        #expect(throws: UnitParameterError.lanesWithoutMemory(2)) { try UnitParameters(storage: .ff, lanes: 2).validate() }
        #expect(throws: UnitParameterError.lanesWithoutMemory(4)) {
            try UnitParameters(storage: .sram, readLatency: 2, lanes: 4).validate()
        }
        #expect(throws: UnitParameterError.outOfRange("LANES", 17, UnitParameters.lanesRange)) {
            try UnitParameters(storage: .sram, lanes: 17).validate()
        }
        #expect(throws: UnitParameterError.outOfRange("WIDTH", 0, UnitParameters.widthRange)) {
            try UnitParameters(width: 0).validate()
        }
        #expect(throws: UnitParameterError.outOfRange("CONTEXTS", 65537, UnitParameters.contextsRange)) {
            try UnitParameters(contexts: 65537).validate()
        }
        #expect(throws: UnitParameterError.outOfRange("READ_LATENCY", 3, UnitParameters.readLatencyRange)) {
            try UnitParameters(storage: .sram, readLatency: 3).validate()
        }
    }

    @Test func addressBits() {
        #expect(UnitParameters(contexts: 1).addressBits == 1)
        #expect(UnitParameters(contexts: 2).addressBits == 1)
        #expect(UnitParameters(contexts: 3).addressBits == 2)
        #expect(UnitParameters(contexts: 256).addressBits == 8)
        #expect(UnitParameters(contexts: 65536).addressBits == 16)
    }
}
