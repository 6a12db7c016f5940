/// A table of `contexts` independent contexts of `width` bits: the software
/// twin of the hardware state table, with the semantics of
/// `atomik_core.AtomikTable` 0.4.0.
///
/// The banks live in unsafe buffers owned by the table, so an operation is a
/// bounds check and one or two loads and stores: no allocation, no
/// copy-on-write check. The table is a reference type, like the memory it models.
public final class AtomikTable<W: ContextWord>: @unchecked Sendable {
    /// Largest table the software core allocates (the hardware goes to 65536).
    public static var maxContexts: Int { 1 << 20 }

    public let width: Int
    public let contexts: Int
    @usableFromInline let mask: W
    @usableFromInline let references: UnsafeMutablePointer<W>
    @usableFromInline let accumulators: UnsafeMutablePointer<W>
    @usableFromInline let deltaCounts: UnsafeMutablePointer<UInt64>

    public init(contexts: Int = 256, width: Int = 64) throws {
        guard (1...W.capacity).contains(width) else {
            throw AtomikError.invalidWidth(width, allowed: 1...W.capacity)
        }
        guard (1...Self.maxContexts).contains(contexts) else {
            throw AtomikError.invalidContextCount(contexts, allowed: 1...Self.maxContexts)
        }
        self.width = width
        self.contexts = contexts
        mask = W.mask(width: width)
        references = .allocate(capacity: contexts)
        references.initialize(repeating: .zero, count: contexts)
        accumulators = .allocate(capacity: contexts)
        accumulators.initialize(repeating: .zero, count: contexts)
        deltaCounts = .allocate(capacity: contexts)
        deltaCounts.initialize(repeating: 0, count: contexts)
    }

    deinit {
        references.deinitialize(count: contexts); references.deallocate()
        accumulators.deinitialize(count: contexts); accumulators.deallocate()
        deltaCounts.deallocate()
    }

    @inlinable func checked(_ addr: Int) throws(AtomikError) -> Int {
        guard UInt(bitPattern: addr) < UInt(contexts) else {
            throw AtomikError.addressOutOfRange(addr, contexts: contexts)
        }
        return addr
    }

    /// LOAD: set the reference, clear the accumulator and delta count.
    @inlinable public func load(_ addr: Int, _ value: W) throws(AtomikError) {
        let i = try checked(addr)
        references[i] = value & mask; accumulators[i] = .zero; deltaCounts[i] = 0
    }

    /// ACCUM: XOR a delta into the accumulator.
    @inlinable public func accum(_ addr: Int, _ delta: W) throws(AtomikError) {
        let i = try checked(addr)
        accumulators[i] = (accumulators[i] ^ delta) & mask; deltaCounts[i] &+= 1
    }

    /// READ: reference XOR accumulator.
    @inlinable public func read(_ addr: Int) throws(AtomikError) -> W {
        let i = try checked(addr)
        return (references[i] ^ accumulators[i]) & mask
    }

    /// SWAP: return the current state; the new reference is `newReference`,
    /// or the current state when nil; the accumulator is cleared.
    @inlinable @discardableResult
    public func swap(_ addr: Int, _ newReference: W? = nil) throws(AtomikError) -> W {
        let i = try checked(addr)
        let current = (references[i] ^ accumulators[i]) & mask
        references[i] = newReference.map { $0 & mask } ?? current
        accumulators[i] = .zero; deltaCounts[i] = 0
        return current
    }

    /// Clears every context, as a hardware reset does.
    public func reset() {
        references.update(repeating: .zero, count: contexts)
        accumulators.update(repeating: .zero, count: contexts)
        deltaCounts.update(repeating: 0, count: contexts)
    }

    /// The reference, accumulator and delta count at `addr`.
    public func registers(_ addr: Int) throws -> (reference: W, accumulator: W, deltaCount: UInt64) {
        let i = try checked(addr)
        return (references[i], accumulators[i], deltaCounts[i])
    }

    /// Every context whose state is non-zero, in address order (`AtomikTable.snapshot()`).
    public func nonZeroStates() -> [(address: Int, state: W)] {
        var out: [(Int, W)] = []
        for i in 0..<contexts {
            let s = (references[i] ^ accumulators[i]) & mask
            if s != .zero { out.append((i, s)) }
        }
        return out
    }
}
