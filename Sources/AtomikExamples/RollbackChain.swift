import AtomikCore

/// Pattern 4, rollback chain: each edit is a delta pushed on an undo stack;
/// undo pops it and ACCUMs it again, since XOR is its own inverse.
public struct RollbackChain: ExampleResult {
    public static let documentState: UInt64 = 0x1234_0000
    public static let edits: [UInt64] = [0x0001, 0x0010, 0x0100]
    public static let undos = 2

    /// State after each edit, then after each undo.
    public let statesAfterEdits: [UInt64]
    public let statesAfterUndos: [UInt64]
    /// The deltas left on the undo stack.
    public let remainingStack: [UInt64]
    public let finalState: UInt64
    /// ACCUMs performed (edits plus undos).
    public let deltaCount: UInt64

    public var holds: Bool { finalState == Self.documentState ^ 0x0001 && remainingStack == [0x0001] }

    public static func run() throws -> RollbackChain {
        var ctx = try AtomikContext<UInt64>(width: 64)
        ctx.load(documentState)
        var stack: [UInt64] = []
        var afterEdits: [UInt64] = [], afterUndos: [UInt64] = []
        for edit in edits {
            ctx.accum(edit)
            stack.append(edit)
            afterEdits.append(ctx.read())
        }
        for _ in 0..<undos {
            if let delta = stack.popLast() { ctx.accum(delta) }
            afterUndos.append(ctx.read())
        }
        return RollbackChain(statesAfterEdits: afterEdits, statesAfterUndos: afterUndos,
                             remainingStack: stack, finalState: ctx.read(), deltaCount: ctx.deltaCount)
    }

    public var report: [String] {
        var lines = ["LOAD document \(hex(Self.documentState))"]
        for (edit, state) in zip(Self.edits, statesAfterEdits) {
            lines.append("edit \(hex(edit, digits: 4)) -> \(hex(state))")
        }
        for (i, state) in statesAfterUndos.enumerated() {
            lines.append("undo \(hex(Self.edits[Self.edits.count - 1 - i], digits: 4)) -> \(hex(state))")
        }
        lines.append("final \(hex(finalState)), document ^ 0x0001 = \(hex(Self.documentState ^ 0x0001)); undo stack [\(remainingStack.map { hex($0, digits: 4) }.joined(separator: ", "))] (8 bytes per level)")
        lines.append(holds ? "only the first edit remains" : "rollback did NOT restore document ^ 0x0001")
        return lines
    }
}
