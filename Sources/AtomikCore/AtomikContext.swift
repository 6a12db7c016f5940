/// One delta-state context: a reference, an accumulator and a delta count,
/// with the semantics of `atomik_core.AtomikContext` 0.4.0.
public struct AtomikContext<W: ContextWord>: Hashable, Sendable {
    public let width: Int
    @usableFromInline let mask: W
    public private(set) var reference: W
    public private(set) var accumulator: W
    /// ACCUMs since the last LOAD or SWAP (ACCUM of 0 counts too).
    public private(set) var deltaCount: UInt64

    public init(width: Int = 64, initialState: W = .zero) throws {
        guard (1...W.capacity).contains(width) else {
            throw AtomikError.invalidWidth(width, allowed: 1...W.capacity)
        }
        self.width = width
        mask = W.mask(width: width)
        reference = initialState & mask
        accumulator = .zero
        deltaCount = 0
    }

    /// LOAD: reference = value, accumulator and delta count cleared.
    public mutating func load(_ value: W) {
        reference = value & mask; accumulator = .zero; deltaCount = 0
    }

    /// ACCUM: XOR a delta into the accumulator.
    public mutating func accum(_ delta: W) {
        accumulator = (accumulator ^ delta) & mask; deltaCount &+= 1
    }

    /// READ: the current state, reference XOR accumulator.
    public func read() -> W { (reference ^ accumulator) & mask }

    /// SWAP: returns the current state and starts a new epoch whose reference is
    /// `newReference`, or the current state when it is nil.
    @discardableResult
    public mutating func swap(_ newReference: W? = nil) -> W {
        let current = read()
        reference = newReference.map { $0 & mask } ?? current
        accumulator = .zero; deltaCount = 0
        return current
    }

    /// Folds another context's accumulator into this one (both must share a reference).
    public mutating func merge(_ other: AtomikContext) {
        accumulator = (accumulator ^ other.accumulator) & mask
        deltaCount &+= other.deltaCount
    }

    /// Sets the accumulator so that the state reads `state`, without counting a delta.
    public mutating func setAccumulator(_ value: W) {
        accumulator = value & mask; deltaCount = 0
    }

    /// True when no delta is pending (accumulator zero).
    public var isClean: Bool { accumulator == .zero }
}
