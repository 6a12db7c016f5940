import AtomikCore

/// What running an example produced: whether its claims held, and what happened.
public protocol ExampleResult: Sendable {
    /// True when every outcome the example asserts held.
    var holds: Bool { get }
    /// Human-readable lines describing the outcome.
    var report: [String] { get }
}

/// One runnable example of the seed articles.
public struct ExampleEntry: Sendable {
    /// Kebab-case name, e.g. `distributed-cache`.
    public let name: String
    /// One-line summary.
    public let summary: String
    private let body: @Sendable () throws -> any ExampleResult

    init(_ name: String, _ summary: String, _ body: @escaping @Sendable () throws -> any ExampleResult) {
        self.name = name; self.summary = summary; self.body = body
    }

    /// Runs the example; an error thrown by the core is reported as a failed outcome.
    public func run() -> (holds: Bool, report: [String]) {
        do {
            let result = try body()
            return (result.holds, result.report)
        } catch {
            return (false, ["\(name) failed with an error: \(error)"])
        }
    }
}

/// The registry of the seeds' programs, in article order.
public enum Examples {
    public static let all: [ExampleEntry] = [
        ExampleEntry("distributed-cache",
                     "Three-node full-mesh cache: put = LOAD locally, peers ACCUM old^new from 16-byte messages.",
                     { try DistributedCache.run() }),
        ExampleEntry("fan-in",
                     "Four threads XOR 0xFF << 8i into one lock-free accumulator; also per-thread contexts merged.",
                     { try FanIn.run() }),
        ExampleEntry("epoch-checkpointing",
                     "SWAP at the end of each epoch captures a checkpoint and clears the accumulator.",
                     { try EpochCheckpointing.run() }),
        ExampleEntry("fingerprint-gate",
                     "An XOR fingerprint skips unchanged sensor buffers and gates the expensive transmit.",
                     { try FingerprintGate.run() }),
        ExampleEntry("rollback-chain",
                     "Undo by re-applying a delta: three edits, two undos, only the first edit remains.",
                     { try RollbackChain.run() }),
        ExampleEntry("multi-stream-convergence",
                     "Three DeltaStreams exchange 16-byte messages in shuffled orders and converge.",
                     { try MultiStreamConvergence.run() }),
    ]

    /// The example called `name`, if any.
    public static func named(_ name: String) -> ExampleEntry? { all.first { $0.name == name } }

    public static var names: [String] { all.map(\.name) }
}

/// `0x` and lower-case hex, zero-padded to `digits` digits.
func hex(_ value: UInt64, digits: Int = 8) -> String {
    let s = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, digits - s.count)) + s
}

/// The wire bytes as lower-case hex in the article's grouping: addr, delta, seq.
func wireHex(_ bytes: [UInt8]) -> String {
    let h = bytes.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }
    guard h.count == DeltaMessage.wireSize else { return h.joined() }
    return h[0..<4].joined() + " " + h[4..<12].joined() + " " + h[12..<16].joined()
}
