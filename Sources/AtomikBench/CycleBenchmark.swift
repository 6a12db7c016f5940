import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikStimulus
import Foundation

/// Cycles per second of the cycle model with tracing off, at W=64, C=256, for
/// each storage, on a random stream generated in chunks (generation not timed).
enum CycleBenchmark {
    static func run(cycles: Int) {
        print("cycle-model benchmark: W=64 C=256, \(cycles) operations of a random stream, tracing off, release build")
        print("design point                                      cycles        M cycles/s   core M ops/s   ratio")
        let points = [
            UnitParameters(width: 64, contexts: 256, storage: .ff),
            UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1),
            UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 2),
        ]
        let core = softwareCoreRate(ops: cycles)
        for p in points {
            var sink = 0
            let sim = try! CycleSimulator(p) { sink &+= Int(truncatingIfNeeded: $0.value.low64) }
            var generator = RandomProgram(width: 64, contexts: 256, count: cycles, seed: 3, idleRate: 0)
            var elapsed = Duration.zero
            var chunk: [ProgramItem] = []
            chunk.reserveCapacity(1 << 12)
            while true {
                chunk.removeAll(keepingCapacity: true)
                while chunk.count < 1 << 12, let item = generator.next() { chunk.append(item) }
                if chunk.isEmpty { break }
                let start = ContinuousClock.now
                try! sim.execute(chunk)
                elapsed += ContinuousClock.now - start
            }
            let stats = try! sim.finish()
            let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let rate = Double(stats.cycles) / secs
            let name = p.description + String(repeating: " ", count: max(1, 50 - p.description.count))
            print(name + String(format: "%-11d %8.1f      %8.1f      %.2f", stats.cycles, rate / 1e6, core / 1e6, rate / core))
            if sink == 42 { print("") }
        }
    }

    /// The software core on the same kind of stream (items from the same generator).
    static func softwareCoreRate(ops: Int) -> Double {
        let table = try! AtomikTable<UInt64>(contexts: 256, width: 64)
        var generator = RandomProgram(width: 64, contexts: 256, count: ops, seed: 3, idleRate: 0)
        var summary = RunSummary()
        var elapsed = Duration.zero
        var chunk: [ProgramItem] = []
        while true {
            chunk.removeAll(keepingCapacity: true)
            while chunk.count < 1 << 12, let item = generator.next() { chunk.append(item) }
            if chunk.isEmpty { break }
            let start = ContinuousClock.now
            for item in chunk { _ = try! SoftwareEngine.execute(item, on: table, index: 0, summary: &summary) }
            elapsed += ContinuousClock.now - start
        }
        let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return Double(summary.operations) / secs
    }
}
