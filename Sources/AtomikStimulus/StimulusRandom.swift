import AtomikCore

/// The project's portable PRNG: xoshiro256** seeded through SplitMix64.
///
/// Defined here, not taken from the standard library, so that the same seed
/// gives the same stream on every machine and every Swift version.

public struct StimulusRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// A seed derived from a global seed and a name (FNV-1a of the name mixed in),
    /// so each test gets its own stream from one global seed.
    public init(seed: UInt64, name: String) {
        self.init(seed: seed ^ FNV1a.hash(name.utf8))
    }

    @inlinable @inline(__always) public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    @inlinable @inline(__always) func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A `bits`-bit value of the kinds that find bugs: zero, all ones and a
    /// single bit one time in eight each, otherwise uniform.
    public mutating func word(bits: Int) -> Word {
        word(bits: bits, mask: Word.mask(width: bits))
    }

    /// `word(bits:)` with `mask` = `Word.mask(width: bits)` computed once by the caller.
    @inlinable public mutating func word(bits: Int, mask: Word) -> Word {
        switch below(8) {
        case 0: return .zero
        case 1: return mask
        case 2:
            let b = Int(below(UInt64(bits)))
            var l = SIMD8<UInt64>(repeating: 0)
            l[b >> 6] = 1 << UInt64(b & 63)
            return Word(limbs: l)
        default:
            // Built in vector registers (arguments are evaluated left to right: limb 0 first).
            return Word(limbs: SIMD8(next(), next(), next(), next(), next(), next(), next(), next())) & mask
        }
    }

    /// A value in `0..<bound` (bound > 0), by Lemire's multiply-shift, portable.
    @inlinable @inline(__always) public mutating func below(_ bound: UInt64) -> UInt64 {
        next().multipliedFullWidth(by: bound).high
    }
}
