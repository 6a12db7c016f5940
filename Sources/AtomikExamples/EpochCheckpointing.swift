import AtomikCore

/// Pattern 2, epoch checkpointing: deltas accumulate during an epoch and SWAP
/// at its end returns the checkpoint, makes it the reference and clears the accumulator.
public struct EpochCheckpointing: ExampleResult {
    public static let initialState: UInt64 = 0x1000
    /// The deltas of each epoch; the last epoch has none.
    public static let epochs: [[UInt64]] = [[0x0001, 0x0002], [0x0004], [0x0008, 0x0008, 0x0010], []]

    /// What each SWAP returned.
    public let checkpoints: [UInt64]
    /// Checkpoints computed by folding the deltas without a context.
    public let expected: [UInt64]
    /// Delta count just before each SWAP.
    public let deltaCounts: [UInt64]
    /// Reference and accumulator just after each SWAP.
    public let referencesAfterSwap: [UInt64]
    public let accumulatorsAfterSwap: [UInt64]

    public var holds: Bool {
        checkpoints == expected && referencesAfterSwap == checkpoints
            && accumulatorsAfterSwap.allSatisfy { $0 == 0 }
            && deltaCounts == Self.epochs.map { UInt64($0.count) }
    }

    public static func run() throws -> EpochCheckpointing {
        var ctx = try AtomikContext<UInt64>(width: 64)
        ctx.load(initialState)
        var checkpoints: [UInt64] = [], counts: [UInt64] = [], refs: [UInt64] = [], accs: [UInt64] = []
        for epoch in epochs {
            for delta in epoch { ctx.accum(delta) }
            counts.append(ctx.deltaCount)
            checkpoints.append(ctx.swap())
            refs.append(ctx.reference)
            accs.append(ctx.accumulator)
        }
        var state = initialState
        let expected = epochs.map { epoch in
            state = epoch.reduce(state, ^)
            return state
        }
        return EpochCheckpointing(checkpoints: checkpoints, expected: expected, deltaCounts: counts,
                                  referencesAfterSwap: refs, accumulatorsAfterSwap: accs)
    }

    public var report: [String] {
        var lines = ["LOAD \(hex(Self.initialState, digits: 4))"]
        for (i, epoch) in Self.epochs.enumerated() {
            let deltas = epoch.isEmpty ? "no deltas" : epoch.map { hex($0, digits: 4) }.joined(separator: " ")
            lines.append("epoch \(i + 1): \(deltas) -> SWAP checkpoint \(hex(checkpoints[i], digits: 4)); reference \(hex(referencesAfterSwap[i], digits: 4)), accumulator \(hex(accumulatorsAfterSwap[i], digits: 4))")
        }
        lines.append(holds ? "every checkpoint matches the folded deltas and every SWAP cleared the accumulator"
                           : "checkpoints do NOT match \(expected.map { hex($0, digits: 4) })")
        return lines
    }
}
