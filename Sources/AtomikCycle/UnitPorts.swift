import AtomikCore
import AtomikISA

/// The unit's inputs during one cycle (RTL ports `rst_ni`, `op_*_i`).
/// When `opValid` is 0 the driver holds the other operation fields at 0;
/// `opData` is WIDTH bits wide, so the driver cuts wider values.
public struct UnitInputs<W: ContextWord>: Hashable, Sendable {
    public var rstN: Bool
    public var opValid: Bool
    public var opCode: Opcode
    public var opKeep: Bool
    public var opAddr: Int
    public var opData: W

    public init(rstN: Bool = true, opValid: Bool = false, opCode: Opcode = .load, opKeep: Bool = false,
                opAddr: Int = 0, opData: W = .zero) {
        self.rstN = rstN; self.opValid = opValid; self.opCode = opCode; self.opKeep = opKeep
        self.opAddr = opAddr; self.opData = opData
    }

    public static var idle: UnitInputs { UnitInputs() }
    public static var reset: UnitInputs { UnitInputs(rstN: false) }

    /// An operation presented on the port (data masked by the caller to the width).
    public init(_ inst: Instruction, data: W) {
        // SWAP (0b11) with keep, in bit arithmetic: no branch on the opcode or the keep bit.
        let keep = inst.opcode.rawValue & (inst.opcode.rawValue >> 1) & unsafeBitCast(inst.keep, to: UInt8.self)
        self.init(opValid: true, opCode: inst.opcode, opKeep: keep != 0,
                  opAddr: inst.address, opData: data)
    }
}

/// The unit's outputs during one cycle (RTL ports `*_o`): all registered, so
/// they depend only on the state after the previous edge and on `rst_ni`.
public struct UnitOutputs<W: ContextWord>: Hashable, Sendable {
    /// The operation on the port is accepted at the coming edge when 1.
    public var opReady: Bool
    /// 1 in the cycle after every accepted operation (Core v2's `data_valid`).
    public var done: Bool
    public var resultValid: Bool
    /// Holds its value between results.
    public var resultData: W

    public init(opReady: Bool, done: Bool, resultValid: Bool, resultData: W) {
        self.opReady = opReady; self.done = done; self.resultValid = resultValid; self.resultData = resultData
    }
}

/// The bank write made at one edge (at most one context per edge).
public struct BankWrite<W: ContextWord>: Hashable, Sendable {
    public var address: Int = 0
    public var writesReference = false
    public var writesAccumulator = false
    public var reference: W = .zero
    public var accumulator: W = .zero

    public init() {}

    public init(address: Int, writesReference: Bool, reference: W, writesAccumulator: Bool, accumulator: W) {
        self.address = address
        self.writesReference = writesReference; self.reference = reference
        self.writesAccumulator = writesAccumulator; self.accumulator = accumulator
    }

    public var isEmpty: Bool { !writesReference && !writesAccumulator }
}

/// A model of the unit, stepped one rising clock edge at a time: `outputs`
/// reads the current registers, `clock` computes every register's next value
/// from the current ones and the inputs and then commits them all, like
/// non-blocking assignments.
///
/// Units are values: the engine runs a batch of cycles on a local copy, so
/// the registers live in machine registers for the whole batch. The banks are
/// memory that every copy shares (`Banks`, owned by the engine).
public protocol CycleUnit {
    associatedtype W: ContextWord
    /// A unit on `banks` for `parameters`, which the engine has validated.
    init(_ parameters: UnitParameters, banks: Banks<W>)
    var parameters: UnitParameters { get }
    /// The outputs during the current cycle; reset (`rst_ni` low) is asynchronous.
    func outputs(rstN: Bool) -> UnitOutputs<W>
    /// One rising edge with these inputs; returns the bank write made at it.
    mutating func clock(_ inputs: UnitInputs<W>) -> BankWrite<W>
    /// True while an accepted operation has not yet written its result.
    var busy: Bool { get }
    /// Architectural state of a context: (reference, accumulator) in the banks.
    func bank(_ address: Int) -> (reference: W, accumulator: W)
    /// Every register by its RTL name, with its width, for waveforms.
    func registers(bankLimit: Int) -> [(name: String, bits: Int, value: Word)]
}
