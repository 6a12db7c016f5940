import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikStimulus
import Foundation
import Testing

/// A random program of the kinds that found engine disagreements: resets in
/// the middle and often at the end (with or without idle cycles after),
/// idle gaps, over-wide values, SWAP with the value 0, all ones.
func differentialProgram(width: Int, contexts: Int, count: Int, seed: UInt64) -> String {
    var rng = StimulusRandom(seed: seed, name: "differential")
    var items: [ProgramItem] = []
    for item in RandomProgram(width: width, contexts: contexts, count: count, seed: seed) {
        switch rng.below(64) {
        case 0: items.append(.reset(Int(rng.below(3)) + 1))
        case 1: items.append(.op(.swap(Int(rng.below(UInt64(contexts))), .zero)))
        case 2: items.append(.idle(Int(rng.below(UInt64(contexts) + 4)) + 1))
        default: break
        }
        items.append(item)
    }
    switch rng.below(4) {
    case 0: items.append(.reset(1))
    case 1: items += [.reset(2), .idle(Int(rng.below(UInt64(contexts) + 2)) + 1)]
    default: break
    }
    return items.map { TextFormat.format($0) }.joined(separator: "\n") + "\n"
}

/// Every engine, with every option that changes what it prints, prints the
/// same bytes for the same program; kept in CI so a new disagreement (the sram
/// `--final` after a trailing reset was one) shows at once.
@Suite(.serialized) struct EngineDifferential {
    func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-differential-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func run(_ arguments: [String]) throws -> String {
        let r = try shell([try atomikExecutable(), "run"] + arguments)
        #expect(r.status == 0, "\(arguments): \(r.output)")
        return r.output
    }

    /// Software and cycle engines, with and without --final (and --stats, which
    /// must not change standard output), at every width class and storage.
    @Test func softwareAndCycleModelAgree() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = StimulusRandom(seed: 7, name: "points")
        let widths = [1, 2, 7, 8, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512]
        for (k, width) in widths.enumerated() {
            let contexts = [1, 2, 3, 16, 37, 256][Int(rng.below(6))]
            let storage = ["ff", "sram"][k % 2], latency = k % 2 == 0 ? 1 : 1 + Int(rng.below(2))
            let program = dir.appendingPathComponent("p\(k).atk")
            try differentialProgram(width: width, contexts: contexts, count: 400, seed: UInt64(k) + 100)
                .write(to: program, atomically: true, encoding: .utf8)
            let design = ["--width", "\(width)", "--contexts", "\(contexts)"]
            let hardware = ["--engine", "cycle", "--storage", storage, "--read-latency", "\(latency)"]
            let point = "W=\(width) C=\(contexts) \(storage) L=\(latency)"
            for final in [[], ["--final"]] {
                let software = try run([program.path] + design + final)
                let cycle = try run([program.path] + design + hardware + final)
                #expect(cycle == software, "\(point) \(final): cycle model and software core differ")
                let withStats = try shell([try atomikExecutable(), "run", program.path] + design + hardware + final + ["--stats"],
                                          standardErrorToo: false)
                #expect(withStats.output == software, "\(point) \(final): --stats changed standard output")
            }
        }
    }

    /// The four engines on several programs at three design points (the RTL's
    /// builds are shared with the other RTL tests).
    @Test(arguments: [UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1),
                      UnitParameters(width: 8, contexts: 4, storage: .ff),
                      UnitParameters(width: 130, contexts: 16, storage: .sram, readLatency: 2)])
    func allFourEnginesAgree(_ p: UnitParameters) throws {
        try #require(installed(.icarus) && installed(.verilator), "simulators are not installed")
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = ["--width", "\(p.width)", "--contexts", "\(p.contexts)"]
        let hardware = ["--storage", p.storage.rawValue, "--read-latency", "\(p.readLatency)"]
        for seed in UInt64(1)...4 {
            let program = dir.appendingPathComponent("p\(seed).atk")
            try differentialProgram(width: p.width, contexts: p.contexts, count: 300, seed: seed)
                .write(to: program, atomically: true, encoding: .utf8)
            let software = try run([program.path] + design)
            #expect(!software.isEmpty)
            for engine in ["cycle", "icarus", "verilator"] {
                let output = try run([program.path, "--engine", engine] + design + hardware)
                #expect(output == software, "\(p) seed \(seed): \(engine) differs from the software core")
            }
        }
    }
}
