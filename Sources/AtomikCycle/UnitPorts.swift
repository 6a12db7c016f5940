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
    /// LANES > 1: the other lanes' ports, writes and registers (nil for one lane).
    var lanes: Lanes<W>? { get }
    /// Architectural state of a context: (reference, accumulator) in the banks.
    func bank(_ address: Int) -> (reference: W, accumulator: W)
    /// Every register by its RTL name, with its width, for waveforms: memory
    /// words for the first `bankLimit` contexts, nil for a value `unknown` says is x.
    func registers(bankLimit: Int, unknown: UnknownWords) -> [(name: String, bits: Int, value: Word?)]
    /// What the RTL holds at x before the first edge.
    func unknownsAtPowerOn() -> UnknownWords
    /// Updates what the RTL holds at x across the edge this unit (as it is
    /// before the edge) takes with `inputs`.
    func trackUnknowns(_ unknown: inout UnknownWords, acrossEdge inputs: UnitInputs<Word>)
}

/// The x values of the RTL that a two-valued model does not hold, for
/// waveforms: memory words never written since power-on (memories have no
/// reset) and registers loaded from them. Tracked beside a run by the
/// waveform writer, never by the run itself.
public struct UnknownWords: Sendable, Equatable {
    /// Per memory (reference, accumulator), the contexts whose word is x.
    public var memories: [[Bool]]
    /// Registers, by their names in `CycleUnit.registers`, that are x.
    public var registers: Set<String>

    public init(memories: [[Bool]] = [], registers: Set<String> = []) {
        self.memories = memories; self.registers = registers
    }

    /// Marks `name` x or known.
    mutating func set(_ name: String, unknown: Bool) {
        if unknown { registers.insert(name) } else { registers.remove(name) }
    }
}

extension CycleUnit {
    @inline(__always) public var lanes: Lanes<W>? { nil }
    /// Units whose every register has an asynchronous reset (the first cycle
    /// of a run is a reset, so the waveform shows no x).
    public func unknownsAtPowerOn() -> UnknownWords { UnknownWords() }
    public func trackUnknowns(_ unknown: inout UnknownWords, acrossEdge inputs: UnitInputs<Word>) {}
}
