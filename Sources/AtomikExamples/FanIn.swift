import AtomikCore
import Dispatch
import Synchronization

/// Pattern 1, accumulator fan-in: `workers` threads each XOR `0xFF << (8 i)`
/// into one shared accumulator, `repetitions` times, with no lock.
public struct FanIn: ExampleResult {
    public let workers: Int
    public let repetitions: Int
    /// `0xFF << (8 i)` for each worker.
    public let deltas: [UInt64]
    /// XOR of the deltas each worker leaves behind (its delta if `repetitions` is odd).
    public let expected: UInt64
    /// The shared `Atomic<UInt64>` after all workers joined.
    public let atomicResult: UInt64
    /// A context loaded with 0 after merging every worker's private context.
    public let mergedResult: UInt64
    /// The merged context's delta count (workers x repetitions).
    public let mergedDeltaCount: UInt64

    public var holds: Bool {
        atomicResult == expected && mergedResult == expected
            && mergedDeltaCount == UInt64(workers * repetitions)
    }

    /// Runs the fan-in on `DispatchQueue.concurrentPerform` (1...8 workers).
    public static func run(workers: Int = 4, repetitions: Int = 1) throws -> FanIn {
        precondition((1...8).contains(workers) && repetitions >= 0)
        let deltas = (0..<workers).map { UInt64(0xFF) << UInt64($0 * 8) }
        let expected = repetitions % 2 == 1 ? deltas.reduce(0, ^) : 0

        let shared = Atomic<UInt64>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { i in
            for _ in 0..<repetitions { shared.bitwiseXor(deltas[i], ordering: .relaxed) }
        }

        let start = try AtomikContext<UInt64>(width: 64, initialState: 0)
        let finished = Mutex<[AtomikContext<UInt64>?]>(Array(repeating: nil, count: workers))
        DispatchQueue.concurrentPerform(iterations: workers) { i in
            var mine = start
            for _ in 0..<repetitions { mine.accum(deltas[i]) }
            finished.withLock { $0[i] = mine }
        }
        var merged = start
        for ctx in finished.withLock({ $0 }).reversed() {
            if let ctx { merged.merge(ctx) }
        }

        return FanIn(workers: workers, repetitions: repetitions, deltas: deltas, expected: expected,
                     atomicResult: shared.load(ordering: .relaxed), mergedResult: merged.read(),
                     mergedDeltaCount: merged.deltaCount)
    }

    public var report: [String] {
        [
            "\(workers) concurrent workers, \(repetitions) XOR(s) each, deltas \(deltas.map { hex($0, digits: 16) }.joined(separator: " "))",
            "one shared Atomic<UInt64>, bitwiseXor with no lock: \(hex(atomicResult)) (expected \(hex(expected)))",
            "per-worker AtomikContext merged in reverse order: \(hex(mergedResult)), delta count \(mergedDeltaCount)",
            holds ? "fan-in is order-independent: the result is deterministic" : "fan-in did NOT produce the expected result",
        ]
    }
}
