import AtomikCore
import AtomikISA

/// The four-opcode decoder of rtl/atomik_decoder.v: from an operation and its
/// context's reference and accumulator, the new reference and accumulator
/// (the old ones where not written), their write enables, and whether the
/// state is a result. Both storages execute operations through it.
///
/// It is a table of masks indexed by {valid, opcode, keep}, so an operation
/// executes with ands, ors and xors: a branch on the opcode (or a select that
/// the compiler turns back into one) mispredicts on most cycles of a random
/// operation mix.
enum Decoder {
    /// One row of the table. Masks are all ones or all zeros.
    struct Row {
        /// New reference = data & refData | state & refState | ref & refOld.
        var refData: UInt64 = 0, refState: UInt64 = 0, refOld: UInt64 = ~0
        /// New accumulator = acc & accOld ^ data & accData.
        var accOld: UInt64 = ~0, accData: UInt64 = 0
        /// All ones for READ and SWAP.
        var result: UInt64 = 0
        /// Write enables of the two banks.
        var refWrite: UInt64 = 0, accWrite: UInt64 = 0

        var producesResult: Bool { result != 0 }
        var writesReference: Bool { refWrite != 0 }
        var writesAccumulator: Bool { accWrite != 0 }
    }

    /// The 16 rows, built once from the opcode table, never changed or freed.
    nonisolated(unsafe) static let rows: UnsafePointer<Row> = {
        let rows = UnsafeMutablePointer<Row>.allocate(capacity: 16)
        rows.initialize(repeating: Row(), count: 16)
        for code in Opcode.allCases {
            for keep in [false, true] {
                var r = Row()
                switch code {
                case .load:
                    r.refData = ~0; r.refOld = 0; r.accOld = 0
                    r.refWrite = ~0; r.accWrite = ~0
                case .accum:
                    r.accData = ~0
                    r.accWrite = ~0
                case .read:
                    r.result = ~0
                case .swap:
                    if keep { r.refState = ~0 } else { r.refData = ~0 }
                    r.refOld = 0; r.accOld = 0; r.result = ~0
                    r.refWrite = ~0; r.accWrite = ~0
                }
                rows[index(valid: true, code: code, keep: keep)] = r
            }
        }
        return UnsafePointer(rows)
    }()

    @inline(__always) static func index(valid: Bool, code: Opcode, keep: Bool) -> Int {
        Int(truncatingIfNeeded: (valid ? 8 : 0) | code.rawValue << 1 | (keep ? 1 : 0))
    }

    /// The new reference and accumulator and the state (`state_o`) for `row`.
    @inline(__always)
    static func execute<W: ContextWord>(_ row: Row, data: W, ref: W, acc: W) -> (ref: W, acc: W, state: W) {
        let state = ref ^ acc
        let newRef = data & W(everyLimb: row.refData) | state & W(everyLimb: row.refState) | ref & W(everyLimb: row.refOld)
        let newAcc = acc & W(everyLimb: row.accOld) ^ data & W(everyLimb: row.accData)
        return (newRef, newAcc, state)
    }

    /// `value` where `row` produces a result, `held` elsewhere (the result register).
    @inline(__always)
    static func result<W: ContextWord>(_ row: Row, value: W, held: W) -> W {
        held ^ (value ^ held) & W(everyLimb: row.result)
    }
}
