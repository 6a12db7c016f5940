/// The storage type of a context's reference and accumulator.
///
/// Two conformers: `UInt64`, the native fast path for widths up to 64, and
/// `Word` for widths up to 512. Tables and engines are generic over it and are
/// specialised by the compiler, so the hot loop carries no dynamic dispatch.
public protocol ContextWord: Hashable, Sendable {
    /// The widest width this type holds.
    static var capacity: Int { get }
    static var zero: Self { get }
    /// `2^width - 1`.
    static func mask(width: Int) -> Self
    /// The low `capacity` bits of a `Word`.
    init(truncating word: Word)
    /// The value as a `Word`.
    var word: Word { get }
    static func ^ (a: Self, b: Self) -> Self
    static func & (a: Self, b: Self) -> Self
    static func | (a: Self, b: Self) -> Self
    /// Every 64-bit limb equal to `limb` (for masks of all ones or all zeros).
    init(everyLimb limb: UInt64)
}

extension UInt64: ContextWord {
    public static var capacity: Int { 64 }
    @inlinable public static func mask(width: Int) -> UInt64 { width >= 64 ? ~0 : (1 << UInt64(width)) - 1 }
    @inlinable public init(truncating word: Word) { self = word.low64 }
    @inlinable public var word: Word { Word(self) }
    @inlinable public init(everyLimb limb: UInt64) { self = limb }
}

extension Word: ContextWord {
    public static var capacity: Int { maxBits }
    @inlinable public init(truncating word: Word) { self = word }
    @inlinable public var word: Word { self }
    @inlinable public init(everyLimb limb: UInt64) { self.init(limbs: SIMD8(repeating: limb)) }
}
