import AtomikCore

/// One operation of the ATOMiK unit: opcode, context address and data.
///
/// `data` is the value of LOAD, the delta of ACCUM and the new reference of
/// SWAP-with-value; it is zero for READ and SWAP-keep.
public struct Instruction: Hashable, Sendable {
    public var opcode: Opcode
    /// SWAP only: the new reference is the current state (see `SwapMode`).
    public var keep: Bool
    public var address: Int
    public var data: Word

    public init(opcode: Opcode, address: Int, data: Word = .zero, keep: Bool = false) {
        self.opcode = opcode; self.address = address; self.data = data; self.keep = keep
    }

    public static func load(_ address: Int, _ value: Word) -> Instruction { .init(opcode: .load, address: address, data: value) }
    public static func accum(_ address: Int, _ delta: Word) -> Instruction { .init(opcode: .accum, address: address, data: delta) }
    public static func read(_ address: Int) -> Instruction { .init(opcode: .read, address: address) }
    public static func swap(_ address: Int, _ newReference: Word? = nil) -> Instruction {
        .init(opcode: .swap, address: address, data: newReference ?? .zero, keep: newReference == nil)
    }

    /// Whether the instruction carries a data operand in its text form.
    public var hasData: Bool {
        switch opcode {
        case .load, .accum: true
        case .read: false
        case .swap: !keep
        }
    }
}

/// One item of a program: an operation, `count` idle cycles (`nop`), or a
/// reset of the unit held for `count` cycles (`reset`), which clears every
/// context. Engines with a pipeline let the operations in flight finish
/// before they assert reset, so every engine gives the same results.
public enum ProgramItem: Hashable, Sendable {
    case op(Instruction)
    case idle(Int)
    case reset(Int)
}
