/// An unsigned integer of up to 512 bits: the value of one context of any width.
///
/// Eight little-endian 64-bit limbs in a `SIMD8`, so a wide word is a plain
/// 64-byte value with no heap storage and XOR/AND are single vector operations.
public struct Word: Hashable, Sendable {
    /// The widest context the project supports.
    public static let maxBits = 512

    /// Limb `i` holds bits `64*i ..< 64*(i+1)`.
    public var limbs: SIMD8<UInt64>

    @inlinable public init(limbs: SIMD8<UInt64>) { self.limbs = limbs }

    @inlinable public init(_ value: UInt64) {
        var l = SIMD8<UInt64>(repeating: 0)
        l[0] = value
        limbs = l
    }

    public static let zero = Word(limbs: .zero)

    /// `2^width - 1` for `width` in `0...512`.
    public static func mask(width: Int) -> Word {
        precondition((0...maxBits).contains(width), "mask width \(width) outside 0...\(maxBits)")
        var l = SIMD8<UInt64>(repeating: 0)
        for i in 0..<8 {
            let lo = i * 64
            if width >= lo + 64 { l[i] = ~0 } else if width > lo { l[i] = (1 << UInt64(width - lo)) - 1 }
        }
        return Word(limbs: l)
    }

    @inlinable public static func ^ (a: Word, b: Word) -> Word { Word(limbs: a.limbs ^ b.limbs) }
    @inlinable public static func & (a: Word, b: Word) -> Word { Word(limbs: a.limbs & b.limbs) }
    @inlinable public static func | (a: Word, b: Word) -> Word { Word(limbs: a.limbs | b.limbs) }
    @inlinable public static prefix func ~ (a: Word) -> Word { Word(limbs: ~a.limbs) }
    @inlinable public static func ^= (a: inout Word, b: Word) { a.limbs ^= b.limbs }

    @inlinable public var isZero: Bool { limbs == .zero }

    /// The low 64 bits.
    @inlinable public var low64: UInt64 { limbs[0] }

    /// Bit `i` (0 = least significant).
    public func bit(_ i: Int) -> Bool { (limbs[i >> 6] >> UInt64(i & 63)) & 1 == 1 }

    /// Number of significant bits (0 for zero).
    public var bitLength: Int {
        for i in stride(from: 7, through: 0, by: -1) where limbs[i] != 0 {
            return i * 64 + 64 - limbs[i].leadingZeroBitCount
        }
        return 0
    }

    /// Lower-case hex of the value, zero-padded to `digits` digits (no prefix).
    public func hex(digits: Int = 1) -> String {
        var out = [UInt8]()
        appendHex(to: &out, digits: digits)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends lower-case hex digits, at least `digits` of them, to a byte buffer.
    public func appendHex(to out: inout [UInt8], digits: Int) {
        let significant = max((bitLength + 3) / 4, 1)
        let n = max(digits, significant)
        let start = out.count
        out.append(contentsOf: repeatElement(0x30, count: n))
        let l = limbs
        out.withUnsafeMutableBufferPointer { b in
            Word.writeHex(l, digits: min(n, 128), into: b.baseAddress! + start + max(0, n - 128))
        }
    }

    /// Writes the low `digits` hex digits of `limbs` (most significant first) at `p`.
    @inline(__always)
    public static func writeHex(_ limbs: SIMD8<UInt64>, digits: Int, into p: UnsafeMutablePointer<UInt8>) {
        var q = p
        for d in stride(from: digits - 1, through: 0, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: limbs[d >> 4] >> UInt64((d & 15) * 4)) & 0xF
            q.pointee = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            q += 1
        }
    }

    /// The number of hex digits of a `width`-bit value.
    @inlinable public static func hexDigits(width: Int) -> Int { max((width + 3) / 4, 1) }

    /// Big-endian bytes of the low `byteCount` bytes.
    public func bigEndianBytes(count byteCount: Int) -> [UInt8] {
        (0..<byteCount).reversed().map { i in UInt8(truncatingIfNeeded: limbs[i >> 3] >> UInt64((i & 7) * 8)) }
    }
}

extension Word: CustomStringConvertible {
    public var description: String { "0x" + hex() }
}
