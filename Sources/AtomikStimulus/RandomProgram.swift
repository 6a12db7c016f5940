import AtomikCore
import AtomikISA

/// Uniform random programs: every opcode (SWAP-keep and SWAP-with-value
/// equally), random addresses, values that are zero, all ones, over-wide or
/// random, and occasional idle cycles.
public struct RandomProgram: Sequence, IteratorProtocol {
    public let width: Int
    public let contexts: Int
    public var remaining: Int
    /// Let values have bits above the width (the engines must mask them).
    public let overWide: Bool
    /// Probability, in 1/256ths, that an item is an idle gap.
    public var idleRate: UInt64
    @usableFromInline var rng: StimulusRandom
    /// Width of the values drawn, and its mask.
    @usableFromInline let valueBits: Int
    @usableFromInline let valueMask: Word

    public init(width: Int, contexts: Int, count: Int, seed: UInt64, overWide: Bool = true, idleRate: UInt64 = 16) {
        self.width = width; self.contexts = contexts; remaining = count
        self.overWide = overWide; self.idleRate = idleRate
        rng = StimulusRandom(seed: seed)
        valueBits = overWide ? Swift.min(width + 8, Word.maxBits) : width
        valueMask = Word.mask(width: valueBits)
    }

    @inlinable @inline(__always) public mutating func next() -> ProgramItem? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        if rng.below(256) < idleRate { return .idle(Int(rng.below(3)) + 1) }
        return .op(operation(on: Int(rng.below(UInt64(contexts)))))
    }

    /// A random operation (every kind equally) on context `addr`.
    @inlinable @inline(__always) public mutating func operation(on addr: Int) -> Instruction {
        switch rng.below(5) {
        case 0: .load(addr, value())
        case 1: .accum(addr, value())
        case 2: .read(addr)
        case 3: .swap(addr)
        default: .swap(addr, value())
        }
    }

    /// A value of the kinds that find bugs: 0, all ones, one bit, random.
    @inlinable public mutating func value() -> Word {
        rng.word(bits: valueBits, mask: valueMask)
    }
}
