/// XOR change detection over byte buffers (`atomik_core.Fingerprint`): the
/// fingerprint of a buffer is the XOR of its `width/8`-byte chunks read
/// little-endian, the last chunk zero-padded. A checksum, not a hash.
public struct Fingerprint: Sendable {
    private var context: AtomikContext<Word>
    public var width: Int { context.width }

    /// `width` must be a multiple of 8 in 8...512.
    public init(width: Int = 64) throws {
        guard width % 8 == 0, (8...Word.maxBits).contains(width) else {
            throw AtomikError.fingerprintWidth(width)
        }
        context = try AtomikContext<Word>(width: width)
    }

    /// The fingerprint of `data` at `width` bits.
    public static func reduce<C: Collection>(_ data: C, width: Int) throws -> Word where C.Element == UInt8 {
        guard width % 8 == 0, (8...Word.maxBits).contains(width) else {
            throw AtomikError.fingerprintWidth(width)
        }
        let chunk = width / 8
        var result = SIMD8<UInt64>(repeating: 0)
        var offset = 0
        for byte in data {
            let limb = offset >> 3
            result[limb] ^= UInt64(byte) << UInt64((offset & 7) * 8)
            offset += 1
            if offset == chunk { offset = 0 }
        }
        return Word(limbs: result)
    }

    /// Sets the reference to the fingerprint of `data` and returns it.
    @discardableResult
    public mutating func load<C: Collection>(_ data: C) -> Word where C.Element == UInt8 {
        let fp = try! Self.reduce(data, width: width)
        context.load(fp)
        return fp
    }

    /// Compares `data` with the reference: afterwards `changed` tells whether it differs.
    @discardableResult
    public mutating func update<C: Collection>(_ data: C) -> Word where C.Element == UInt8 {
        let fp = try! Self.reduce(data, width: width)
        context.setAccumulator(context.reference ^ fp)
        return fp
    }

    /// XOR in the change of one chunk without rescanning the buffer.
    public mutating func accumulateDelta(old: Word, new: Word) { context.accum(old ^ new) }

    /// True when the data differs from the reference.
    public var changed: Bool { !context.isClean }
    /// The current fingerprint.
    public var value: Word { context.read() }
    /// Marks the data as matching the reference.
    public mutating func reset() { context.setAccumulator(.zero) }
}
