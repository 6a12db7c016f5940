import AtomikCore

/// The four ATOMiK opcodes with the published four-opcode encoding
/// (ATOMiK ASIC core): 00 LOAD, 01 ACCUM, 10 READ, 11 SWAP.
///
/// This table is the one source of truth for the encoding: the assembler,
/// the disassembler, the cycle model and the generated Verilog header all read it.
public enum Opcode: UInt8, CaseIterable, Sendable {
    case load = 0b00
    case accum = 0b01
    case read = 0b10
    case swap = 0b11

    /// The assembly mnemonic (lower case; the assembler accepts any case).
    public var mnemonic: String { mnemonicText.description }

    /// The mnemonic as static text, for writers that copy its bytes.
    public var mnemonicText: StaticString {
        switch self {
        case .load: "load"
        case .accum: "accum"
        case .read: "read"
        case .swap: "swap"
        }
    }

    /// Whether the operation returns a value on the result port.
    @inlinable public var producesResult: Bool { rawValue & 0b10 != 0 }

    public init?(mnemonic: String) {
        guard let op = Opcode.allCases.first(where: { $0.mnemonic == mnemonic.lowercased() }) else { return nil }
        self = op
    }
}

/// How SWAP-keep and SWAP-with-value are told apart: a one-bit `keep` field
/// beside the opcode. With opcode SWAP, keep = 1 makes the new reference the
/// current state (`swap ADDR`) and keep = 0 makes it the data field
/// (`swap ADDR, VALUE`, where 0 is a real value). keep must be 0 for the other opcodes.
public enum SwapMode: Sendable {
    case keep
    case value
}
