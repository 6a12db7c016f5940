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

    /// Computed, not stored: a stored static is reached through a lazy-initialisation check on every use.
    @inlinable public static var zero: Word { Word(limbs: .zero) }

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

    /// An OR reduction in vector registers: `SIMD8`'s own `==` compares lane by lane through memory.
    @inlinable public var isZero: Bool {
        let quarters = limbs.lowHalf | limbs.highHalf
        let halves = quarters.lowHalf | quarters.highHalf
        return halves[0] | halves[1] == 0
    }

    @inlinable public static func == (a: Word, b: Word) -> Bool { (a ^ b).isZero }

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
        writeHex(digits: digits, into: p) { limbs[$0] }
    }

    /// Writes the low `digits` hex digits of the little-endian 64-bit limbs
    /// `limb(0)`, `limb(1)`, ... (most significant digit first) at `p`.
    @inlinable @inline(__always)
    public static func writeHex(digits: Int, into p: UnsafeMutablePointer<UInt8>, limb: (Int) -> UInt64) {
        precondition(digits >= 1)
        var q = UnsafeMutableRawPointer(p)
        var k = (digits - 1) >> 4
        // The most significant limb's low `top` digits (1...16), moved to the
        // top of the word so that they come out first.
        let top = digits - k * 16
        let (high, low) = hex16(limb(k) << UInt64(64 - 4 * top))
        for j in 0..<top { q.storeBytes(of: UInt8(truncatingIfNeeded: (j < 8 ? high : low) >> UInt64((j & 7) * 8)), toByteOffset: j, as: UInt8.self) }
        q += top
        while k > 0 {
            k -= 1
            let (high, low) = hex16(limb(k))
            q.storeBytes(of: high.littleEndian, as: UInt64.self)
            q.storeBytes(of: low.littleEndian, toByteOffset: 8, as: UInt64.self)
            q += 16
        }
    }

    /// The 16 lower-case hex digits of `v` as two little-endian words of
    /// ASCII (most significant digit first in memory), computed eight digits
    /// at a time in a 64-bit register.
    @inlinable @inline(__always)
    public static func hex16(_ v: UInt64) -> (UInt64, UInt64) {
        (hex8(UInt32(truncatingIfNeeded: v >> 32)), hex8(UInt32(truncatingIfNeeded: v)))
    }

    @inlinable @inline(__always)
    static func hex8(_ v: UInt32) -> UInt64 {
        // One nibble a byte, least significant in the lowest byte.
        var x = UInt64(v)
        x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
        x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
        x = (x | x << 4) & 0x0F0F_0F0F_0F0F_0F0F
        // '0' + n, and 39 more ('a' - '9' - 1) in the bytes where n > 9.
        let letters = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        return (x &+ 0x3030_3030_3030_3030 &+ letters &* 39).byteSwapped
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
