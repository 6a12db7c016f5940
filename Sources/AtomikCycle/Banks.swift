import AtomikCore

/// The unit's reference and accumulator banks, one word per context each:
/// the flip-flops `ref_q[C]`/`acc_q[C]` of `ff`, the memories
/// `u_ref_mem`/`u_acc_mem` of `sram`. The engine owns them; its unit (a
/// plain value, so that copying it costs no reference counting) addresses the
/// words through the pointers `words(for:)` gives it. A unit of LANES > 1
/// has one accumulator copy a lane (`u_acc_mem` of `g_lane[k]`), copy k at
/// `acc + k * contexts`.
public final class Banks<W: ContextWord> {
    public let contexts: Int
    let copies: Int
    let ref: UnsafeMutablePointer<W>
    let acc: UnsafeMutablePointer<W>

    init(contexts: Int, copies: Int = 1) {
        self.contexts = contexts; self.copies = copies
        ref = .allocate(capacity: contexts)
        ref.initialize(repeating: .zero, count: contexts)
        acc = .allocate(capacity: contexts * copies)
        acc.initialize(repeating: .zero, count: contexts * copies)
    }

    deinit {
        ref.deinitialize(count: contexts); ref.deallocate()
        acc.deinitialize(count: contexts * copies); acc.deallocate()
    }

    /// The banks' words for a unit at design point `p` (validated by the
    /// engine): no wider than the word type, as many contexts and copies as the banks.
    func words(for p: UnitParameters) -> (ref: UnsafeMutablePointer<W>, acc: UnsafeMutablePointer<W>) {
        precondition(p.width <= W.capacity && p.contexts == contexts && p.lanes == copies)
        return (ref, acc)
    }
}
