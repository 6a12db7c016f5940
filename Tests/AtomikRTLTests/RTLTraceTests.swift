import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import Foundation
import Testing

/// Whether a simulator is installed; the RTL tests skip with a reason when not
/// (and fail under CI, where scripts/setup.sh installs both).
func installed(_ s: RTLSimulator) -> Bool {
    let found = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/\(s.tool.command)")
    }
    return found || ProcessInfo.processInfo.environment["CI"] != nil
}

/// The first line where two traces differ, for a readable failure.
func firstDifference(_ a: String, _ b: String) -> String? {
    let la = a.split(separator: "\n", omittingEmptySubsequences: false)
    let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
    for k in 0..<max(la.count, lb.count) {
        let x = k < la.count ? String(la[k]) : "<end>", y = k < lb.count ? String(lb[k]) : "<end>"
        if x != y { return "line \(k + 1):\n  model: \(x)\n  rtl:   \(y)" }
    }
    return nil
}

struct RTLPoint: CustomStringConvertible, Sendable {
    var parameters: UnitParameters
    var simulator: RTLSimulator
    var description: String { "\(simulator.rawValue) \(parameters)" }
}

let rtlPoints: [RTLPoint] = {
    let designs = [
        UnitParameters(width: 8, contexts: 1, storage: .ff),
        UnitParameters(width: 64, contexts: 256, storage: .ff),
        UnitParameters(width: 130, contexts: 16, storage: .ff),
        UnitParameters(width: 8, contexts: 1, storage: .sram, readLatency: 1),
        UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1),
        UnitParameters(width: 130, contexts: 256, storage: .sram, readLatency: 2),
        UnitParameters(width: 64, contexts: 1, storage: .sram, readLatency: 2),
        UnitParameters(width: 8, contexts: 1, storage: .sram, lanes: 3),
        UnitParameters(width: 80, contexts: 16, storage: .sram, lanes: 16),
    ]
    return RTLSimulator.allCases.flatMap { s in designs.map { RTLPoint(parameters: $0, simulator: s) } }
}()

@Suite(.serialized) struct RTLMatchesCycleModel {
    /// Random programs (with resets and idle gaps): the RTL's trace equals the
    /// model's line for line, and the model's results equal the software core's
    /// (so the RTL's do; the DUT path checks them directly, in AtomikCosimTests).
    @Test(arguments: rtlPoints)
    func tracesAreIdentical(_ point: RTLPoint) throws {
        try #require(installed(point.simulator), "\(point.simulator.tool.command) is not installed")
        let p = point.parameters
        var items: [ProgramItem] = []
        var rng = StimulusRandom(seed: 7, name: point.description)
        for item in RandomProgram(width: p.width, contexts: p.contexts, count: 400, seed: rng.next()) {
            if rng.below(150) == 0 { items.append(.reset(1 + Int(rng.below(2)))) }
            items.append(item)
        }
        let run = try point.simulator.run(p, items: items)
        #expect(run.mismatches == 0)
        if let d = firstDifference(run.modelTrace, run.rtlTrace) { Issue.record("\(point): traces differ at \(d)") }
        var results: [OperationResult] = []
        let sim = try CycleSimulator(p) { results.append($0) }
        try sim.execute(items)
        _ = try sim.finish()
        let table = try AtomikTable<Word>(contexts: p.contexts, width: p.width)
        #expect(results == (try SoftwareEngine.run(items, on: table)))
    }
}
