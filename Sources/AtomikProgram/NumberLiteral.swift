import AtomikCore

/// A number as written in a program: decimal or `0x` hex, `_` as separator,
/// an optional leading `-` (wrapped to two's complement as atomik-core does).
public struct NumberLiteral: Hashable, Sendable {
    /// The value modulo 2^512.
    public var value: Word
    /// True when the exact value does not fit in 512 unsigned bits
    /// (too large, or negative and non-zero).
    public var exceeds512: Bool
    /// Written with a `-` and not zero.
    public var negative = false

    /// Whether the exact value needs more than `width` bits.
    public func isWider(than width: Int) -> Bool {
        exceeds512 || !(value & ~Word.mask(width: width)).isZero
    }

    /// Parses a literal, or says why it is malformed.
    public static func parse(_ text: String) -> Result<NumberLiteral, ProgramError> {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    /// Parses a literal from bytes without allocating on the common path.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<NumberLiteral, ProgramError> {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var base: UInt64 = 10
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "0"), bytes[i + 1] | 0x20 == UInt8(ascii: "x") {
            base = 16; i += 2
        }
        var small: UInt64 = 0
        var wide: SIMD8<UInt64>? = nil
        var overflow = false
        var sawDigit = false
        var lastWasDigit = false
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "_") {
                if !lastWasDigit { return .failure(malformed(bytes, "'_' must stand between digits")) }
                lastWasDigit = false
                continue
            }
            guard let d = digitValue(b), UInt64(d) < base else {
                return .failure(malformed(bytes, "expected \(base == 16 ? "hex" : "decimal") digits"))
            }
            sawDigit = true; lastWasDigit = true
            if wide == nil {
                let (hi, lo) = small.multipliedFullWidth(by: base)
                let (sum, o) = lo.addingReportingOverflow(UInt64(d))
                if hi == 0 && !o { small = sum; continue }
                var l = SIMD8<UInt64>(repeating: 0)
                l[0] = small
                wide = l
            }
            var carry = UInt64(d)
            for k in 0..<8 {
                let (hi, lo) = wide![k].multipliedFullWidth(by: base)
                let (sum, o) = lo.addingReportingOverflow(carry)
                wide![k] = sum
                carry = hi &+ (o ? 1 : 0)
            }
            if carry != 0 { overflow = true }
        }
        guard sawDigit else { return .failure(malformed(bytes, "no digits")) }
        guard lastWasDigit else { return .failure(malformed(bytes, "'_' must stand between digits")) }
        var word = wide.map { Word(limbs: $0) } ?? Word(small)
        let nonZeroNegative = negative && !(word.isZero && !overflow)
        if nonZeroNegative {
            // Two's complement modulo 2^512: ~x + 1.
            var l = (~word).limbs
            for k in 0..<8 {
                let (s, o) = l[k].addingReportingOverflow(1)
                l[k] = s
                if !o { break }
            }
            word = Word(limbs: l)
            overflow = true
        }
        return .success(NumberLiteral(value: word, exceeds512: overflow, negative: nonZeroNegative))
    }

    private static func malformed(_ bytes: UnsafeBufferPointer<UInt8>, _ why: String) -> ProgramError {
        ProgramError("invalid number '\(String(decoding: bytes, as: UTF8.self))': \(why)")
    }

    @inline(__always) static func digitValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
