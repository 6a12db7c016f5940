/// One delta sent between nodes, with the 16-byte big-endian wire format of
/// `atomik_core.DeltaMessage`: addr u32 at 0, delta u64 at 4, seq u32 at 12.
/// The epoch travels with the value but not on the wire.
public struct DeltaMessage: Hashable, Sendable {
    public static let wireSize = 16

    public var addr: UInt32
    public var delta: UInt64
    public var epoch: UInt64
    public var seq: UInt32

    public init(addr: UInt32, delta: UInt64, epoch: UInt64 = 0, seq: UInt32 = 0) {
        self.addr = addr; self.delta = delta; self.epoch = epoch; self.seq = seq
    }

    /// A message from unchecked integers: a field that does not fit its wire
    /// width is an error, as `struct.pack` raises in atomik-core.
    public init(addr: Int, delta: Word, epoch: UInt64 = 0, seq: Int = 0) throws {
        guard let a = UInt32(exactly: addr) else {
            throw AtomikError.messageFieldTooWide(field: "addr", bits: 32, value: String(addr))
        }
        guard delta.bitLength <= 64 else {
            throw AtomikError.messageFieldTooWide(field: "delta", bits: 64, value: delta.description)
        }
        guard let s = UInt32(exactly: seq) else {
            throw AtomikError.messageFieldTooWide(field: "seq", bits: 32, value: String(seq))
        }
        self.init(addr: a, delta: delta.low64, epoch: epoch, seq: s)
    }

    /// The 16 wire bytes.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.wireSize)
        for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: addr >> UInt32(s))) }
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: delta >> UInt64(s))) }
        for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: seq >> UInt32(s))) }
        return out
    }

    /// Decodes exactly 16 wire bytes; any other length is an error.
    public init<C: Collection>(bytes: C) throws where C.Element == UInt8 {
        guard bytes.count == Self.wireSize else { throw AtomikError.messageLength(bytes.count) }
        let b = Array(bytes)
        func be(_ from: Int, _ n: Int) -> UInt64 { b[from..<from + n].reduce(0) { $0 << 8 | UInt64($1) } }
        self.init(addr: UInt32(be(0, 4)), delta: be(4, 8), epoch: 0, seq: UInt32(be(12, 4)))
    }
}
