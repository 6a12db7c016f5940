import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikStimulus
import Foundation

/// Cycles per second of the cycle model with tracing off, at W=64, C=256, for
/// each storage, on a random stream generated in chunks of 4096 items
/// (generation not timed). Each rate is the best of three runs, since this
/// machine's speed moves by a third between runs.
enum CycleBenchmark {
    static let runs = 3

    static func run(cycles: Int) {
        print("cycle-model benchmark: W=64 C=256, \(cycles) operations of a random stream, tracing off, release build, best of \(runs) runs")
        print("design point                                      cycles        M cycles/s   core M ops/s   ratio")
        let points = [
            UnitParameters(width: 64, contexts: 256, storage: .ff),
            UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1),
            UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 2),
        ]
        let core = (0..<runs).map { _ in softwareCoreRate(ops: cycles) }.max()!
        for p in points {
            var best = 0.0, cyclesRun = 0
            for _ in 0..<runs {
                var sink = 0
                let sim = try! CycleSimulator(p) { sink &+= Int(truncatingIfNeeded: $0.value.low64) }
                let elapsed = timeChunks(ops: cycles) { try! sim.execute($0) }
                cyclesRun = try! sim.finish().cycles
                best = max(best, Double(cyclesRun) / elapsed.seconds)
                if sink == 42 { print("") }
            }
            let name = p.description + String(repeating: " ", count: max(1, 50 - p.description.count))
            print(name + String(format: "%-11d %8.1f      %8.1f      %.2f", cyclesRun, best / 1e6, core / 1e6, best / core))
        }
    }

    /// Feeds the benchmark's random stream to `body` in chunks; returns the time spent in `body`.
    static func timeChunks(ops: Int, _ body: ([ProgramItem]) -> Void) -> Duration {
        var generator = RandomProgram(width: 64, contexts: 256, count: ops, seed: 3, idleRate: 0)
        var elapsed = Duration.zero
        var chunk: [ProgramItem] = []
        chunk.reserveCapacity(1 << 12)
        while true {
            chunk.removeAll(keepingCapacity: true)
            while chunk.count < 1 << 12, let item = generator.next() { chunk.append(item) }
            if chunk.isEmpty { break }
            let start = ContinuousClock.now
            body(chunk)
            elapsed += ContinuousClock.now - start
        }
        return elapsed
    }


    /// The software core on the same stream (items from the same generator).
    static func softwareCoreRate(ops: Int) -> Double {
        let table = try! AtomikTable<UInt64>(contexts: 256, width: 64)
        var summary = RunSummary()
        let elapsed = timeChunks(ops: ops) { chunk in
            for item in chunk { _ = try! SoftwareEngine.execute(item, on: table, index: 0, summary: &summary) }
        }
        return Double(summary.operations) / elapsed.seconds
    }
}
