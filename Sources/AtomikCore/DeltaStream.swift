/// Produces and consumes delta messages, with contexts created lazily by
/// address (`atomik_core.DeltaStream`). Streams that start from the same
/// references and apply the same set of messages, in any order, converge.
/// Like atomik-core it does not deduplicate: a message applied twice cancels.
public struct DeltaStream: Sendable {
    public let width: Int
    public private(set) var epoch: UInt64 = 0
    public private(set) var seq: UInt32 = 0
    private var contexts: [UInt32: AtomikContext<UInt64>] = [:]
    private var outbox: [DeltaMessage] = []

    /// A stream of contexts of `width` bits (1...64: deltas travel as u64).
    public init(width: Int = 64) throws {
        guard (1...64).contains(width) else { throw AtomikError.invalidWidth(width, allowed: 1...64) }
        self.width = width
    }

    private mutating func withContext<R>(_ addr: UInt32, _ body: (inout AtomikContext<UInt64>) -> R) -> R {
        if contexts[addr] == nil { contexts[addr] = try! AtomikContext<UInt64>(width: width) }
        return body(&contexts[addr]!)
    }

    /// LOAD a context (both ends load the same value before streaming); starts an epoch.
    public mutating func load(addr: UInt32, initialState: UInt64) {
        withContext(addr) { $0.load(initialState) }
        epoch += 1
    }

    /// ACCUM locally and return the message to send (seq = 1, 2, 3...).
    @discardableResult
    public mutating func accum(addr: UInt32, delta: UInt64) -> DeltaMessage {
        withContext(addr) { $0.accum(delta) }
        seq &+= 1
        let msg = DeltaMessage(addr: addr, delta: delta, epoch: epoch, seq: seq)
        outbox.append(msg)
        return msg
    }

    /// Apply a message received from a peer.
    public mutating func apply(_ msg: DeltaMessage) {
        withContext(msg.addr) { $0.accum(msg.delta) }
    }

    /// The state at `addr`; 0 for an address never touched.
    public func read(addr: UInt32) -> UInt64 { contexts[addr]?.read() ?? 0 }

    /// Returns and clears the messages produced since the last call.
    public mutating func pending() -> [DeltaMessage] {
        defer { outbox.removeAll() }
        return outbox
    }
}
