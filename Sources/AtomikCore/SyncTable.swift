/// A table that converges with its peers by exchanging 16-byte delta messages
/// (`atomik_core.SyncTable`): `put` turns a write into the delta
/// `current ^ value`, applies it and returns the message for the peers;
/// `receive` applies a peer's message. Peers that start equal and receive every
/// other peer's messages once, in any order, hold equal tables.
public final class SyncTable: @unchecked Sendable {
    public let table: AtomikTable<UInt64>
    private var seq: UInt32 = 0

    public init(contexts: Int = 256, width: Int = 64) throws {
        guard (1...64).contains(width) else { throw AtomikError.invalidWidth(width, allowed: 1...64) }
        table = try AtomikTable<UInt64>(contexts: contexts, width: width)
    }

    /// Writes `value` at `addr` and returns the message for the peers, with the
    /// delta `current ^ value` as atomik-core computes it (unmasked). When that
    /// delta is 0 the sequence number does not advance and there is nothing to
    /// send. (A value wider than the table gives a non-zero delta even when the
    /// masked state stays the same, as in atomik-core.)
    public func put(addr: Int, value: UInt64) throws -> DeltaMessage {
        let delta = try table.read(addr) ^ value
        guard delta != 0 else { return DeltaMessage(addr: UInt32(addr), delta: 0, seq: seq) }
        try table.accum(addr, delta)
        seq &+= 1
        return DeltaMessage(addr: UInt32(addr), delta: delta, seq: seq)
    }

    /// Applies a peer's message given as wire bytes.
    public func receive(wire: [UInt8]) throws {
        let msg = try DeltaMessage(bytes: wire)
        try table.accum(Int(msg.addr), msg.delta)
    }

    public func get(_ addr: Int) throws -> UInt64 { try table.read(addr) }

    /// Addresses at which this table and `other` differ.
    public func diff(_ other: SyncTable) -> [Int] {
        (0..<min(table.contexts, other.table.contexts)).filter { (try? table.read($0)) != (try? other.table.read($0)) }
    }
}
