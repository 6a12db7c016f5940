import AtomikISA
import AtomikProgram

/// An operation a design under test may support. SWAP comes in two forms
/// that hardware may or may not tell apart: `swap` takes a new reference
/// (SWAP-with-value), `swapKeep` keeps the current state as the new reference.
public enum OperationKind: String, CaseIterable, Hashable, Sendable {
    case load, accum, read, swap
    case swapKeep = "swap-keep"

    /// The kind of a program instruction.
    public init(_ instruction: Instruction) {
        switch instruction.opcode {
        case .load: self = .load
        case .accum: self = .accum
        case .read: self = .read
        case .swap: self = instruction.keep ? .swapKeep : .swap
        }
    }

    /// The ISA opcode and keep bit of this kind.
    public var opcode: Opcode {
        switch self {
        case .load: .load
        case .accum: .accum
        case .read: .read
        case .swap, .swapKeep: .swap
        }
    }

    public var keep: Bool { self == .swapKeep }

    /// Whether atomik-core returns a value for this operation.
    public var returnsValue: Bool { self == .read || self == .swap || self == .swapKeep }
}

/// The reset of a design under test.
public struct ResetInterface: Hashable, Sendable {
    public var port: String
    public var activeLow: Bool
    public var asynchronous: Bool
    /// Cycles the reset is held (at the start, and at least this long for a program's `reset`).
    public var cycles: Int
}

/// How a design tells an operation from an idle cycle, and encodes operations.
public struct OperationInterface: Hashable, Sendable {
    /// The valid port; nil when an idle cycle is an opcode (`idle`).
    public var valid: String?
    /// The opcode of an idle cycle, when there is no valid port.
    public var idle: Int?
    public var opcode: String
    public var opcodeBits: Int
    /// The context address port; nil for one-context designs.
    public var address: String?
    public var data: String
    /// The port that tells SWAP-keep from SWAP-with-value, and its value for keep.
    public var keep: String?
    public var keepValue: Int
    /// The opcode of each supported operation.
    public var encoding: [OperationKind: Int]

    public var supported: Set<OperationKind> { Set(encoding.keys) }
}

/// When the design takes an operation that is offered.
public enum Acceptance: Hashable, Sendable {
    /// Every offered operation is taken at the next rising edge.
    case everyCycle
    /// An offered operation is taken at an edge where the ready port is 1.
    case ready(String)
    /// One operation at a time: the next is offered only after the previous
    /// one's result beat (or at once after an operation without a beat).
    /// The design may ignore what is offered while busy; a ready port, if
    /// given, must also be 1.
    case oneAtATime(ready: String?)
}

/// When a result beat comes and where its value is.
public struct ResultInterface: Hashable, Sendable {
    /// The result-valid port; nil for a fixed latency.
    public var valid: String?
    /// Cycles from the cycle an operation is taken to its beat, without a valid port.
    public var latency: Int?
    public var data: String
    /// Operations that produce a beat. Beats of LOAD and ACCUM are checked
    /// for their timing, not their value (atomik-core returns nothing).
    public var beats: Set<OperationKind>
}

/// A design under test: its RTL, its parameters and the protocol of its
/// ports, as written by hand in a YAML file (see `DUTDescriptionParser`).
public struct DUTDescription: Hashable, Sendable {
    /// Where the description came from: a file path, or `preset NAME`.
    public var origin: String
    public var name: String
    /// RTL source files, absolute, in compilation order.
    public var files: [String]
    public var includeDirectories: [String]
    /// Preprocessor defines, in the order given (value nil: defined without a value).
    public var defines: [Define]
    public var top: String
    /// Parameters of the top module, in the order given, as Verilog literals.
    public var parameters: [Parameter]
    public var clock: String
    public var reset: ResetInterface
    public var operation: OperationInterface
    public var acceptance: Acceptance
    public var result: ResultInterface
    public var width: Int
    public var contexts: Int
    /// Cycles after which an operation not taken, or a result not given, is a protocol fault.
    public var timeout: Int

    public struct Define: Hashable, Sendable {
        public var name: String
        public var value: String?
    }

    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var value: String
    }

    /// Bits of the address the bridge drives: ceil(log2(CONTEXTS)), at least 1.
    public var addressBits: Int { InstructionFormat.addressBits(contexts: contexts) }

    public var supported: Set<OperationKind> { operation.supported }

    public static let widthRange = 1...512
    public static let contextsRange = 1...65536
}
