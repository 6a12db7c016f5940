import AtomikCore
import AtomikDUT
import AtomikISA
import AtomikProgram
import AtomikRTL

/// An operation a DUT took, as the transaction-level comparison keeps it.
public struct TakenOperation: Sendable {
    /// Index of the operation in the program (idle cycles and resets not counted).
    public var index: Int
    /// Line of the program file it came from (0 when not from a text file).
    public var line: Int
    public var instruction: Instruction
    /// The cycle at whose end the DUT took it.
    public var takenCycle: Int
    /// The cycle of its result beat, once it came.
    public var beatCycle: Int?
    /// atomik-core's result (READ, SWAP), and the DUT's.
    public var expected: Word?
    public var actual: Word?

    /// `op 7 (line 9: read 2)`.
    public var name: String {
        "operation \(index) (" + (line > 0 ? "line \(line): " : "") + TextFormat.format(.op(instruction)) + ")"
    }
}

/// What went wrong first in a transaction-level run.
public enum TransactionFault: String, Sendable {
    /// A result beat's value differs from atomik-core's.
    case mismatch
    /// A result beat with no operation outstanding.
    case unexpectedBeat = "unexpected result beat"
    /// X or Z on the result (Icarus).
    case unknownResult = "unknown result"
    /// No result within the timeout.
    case hang = "no result"
    /// An operation offered for the timeout and never taken.
    case notAccepted = "operation never accepted"
}

/// The outcome of one transaction-level run of a DUT.
public struct TransactionOutcome: Sendable {
    public var simulator: RTLSimulator
    public var cycles = 0
    /// Operations taken, and result beats seen.
    public var operations = 0
    public var beats = 0
    /// Value mismatches and protocol faults.
    public var mismatches = 0
    public var fault: TransactionFault?
    /// One line on the first fault.
    public var message = ""
    /// The operation the first fault concerns.
    public var operation: TakenOperation?
    /// The cycle of the first fault.
    public var faultCycle = 0
    /// The operations taken up to the first fault, oldest first.
    public var recent: [TakenOperation] = []
    /// Program items read (a prefix of the program that holds the fault).
    public var itemsRun = 0

    public init(simulator: RTLSimulator) { self.simulator = simulator }

    public var passed: Bool { mismatches == 0 }
}

/// The one comparator of transaction-level co-simulation: whichever
/// simulator ran the DUT, its taken operations and result beats come here in
/// order; the software core executes each operation as it is taken, and each
/// beat is paired with the oldest operation still waiting for one.
final class TransactionChecker<W: ContextWord> {
    let dut: DUTDescription
    let core: AtomikTable<W>
    let maxMismatches: Int
    let keep: Int
    var outcome: TransactionOutcome
    /// Operations waiting for their beat, from `head` on.
    var outstanding: [TakenOperation] = []
    var head = 0
    /// The last `keep` operations taken.
    var recent: [TakenOperation] = []
    var recentHead = 0

    init(_ dut: DUTDescription, simulator: RTLSimulator, maxMismatches: Int, keep: Int) throws {
        self.dut = dut
        core = try AtomikTable<W>(contexts: dut.contexts, width: dut.width)
        self.maxMismatches = maxMismatches
        self.keep = max(1, keep)
        outcome = TransactionOutcome(simulator: simulator)
    }

    /// Whether the run should stop (enough mismatches).
    var stopped: Bool { outcome.mismatches >= maxMismatches }

    func reset() { core.reset() }

    /// The DUT took `instruction` in `cycle`.
    func take(_ instruction: Instruction, index: Int, line: Int, cycle: Int) throws {
        var t = TakenOperation(index: index, line: line, instruction: instruction, takenCycle: cycle)
        let value: W?
        switch instruction.opcode {
        case .load: try core.load(instruction.address, W(truncating: instruction.data)); value = nil
        case .accum: try core.accum(instruction.address, W(truncating: instruction.data)); value = nil
        case .read: value = try core.read(instruction.address)
        case .swap: value = try core.swap(instruction.address, instruction.keep ? nil : W(truncating: instruction.data))
        }
        t.expected = value?.word
        outcome.operations += 1
        if dut.result.beats.contains(OperationKind(instruction)) { outstanding.append(t) }
        remember(t)
    }

    func remember(_ t: TakenOperation) {
        if recent.count < keep { recent.append(t) } else {
            recent[recentHead] = t
            recentHead = (recentHead + 1) % keep
        }
    }

    /// A result beat in `cycle`; `value` nil when it is x or z.
    func beat(cycle: Int, value: Word?) {
        outcome.beats += 1
        guard head < outstanding.count else {
            fail(.unexpectedBeat, cycle: cycle, nil, "a result beat in cycle \(cycle) with no operation outstanding"
                 + (value.map { " (value \(hex($0)))" } ?? ""))
            return
        }
        var t = outstanding[head]
        head += 1
        if head > 1024 && head * 2 > outstanding.count { outstanding.removeFirst(head); head = 0 }
        t.beatCycle = cycle
        t.actual = value
        update(t)
        guard let value else {
            fail(.unknownResult, cycle: cycle, t, "the result of \(t.name), taken in cycle \(t.takenCycle), is x or z in cycle \(cycle)")
            return
        }
        if let expected = t.expected, expected != value {
            fail(.mismatch, cycle: cycle, t, "\(t.name), taken in cycle \(t.takenCycle), result in cycle \(cycle): "
                 + "atomik-core \(hex(expected)), DUT \(hex(value))")
        }
    }

    /// Result-valid was x or z in `cycle`.
    func unknownValid(cycle: Int) {
        fail(.unknownResult, cycle: cycle, nil, "the result-valid port is x or z in cycle \(cycle)")
    }

    /// The operation offered since `since` was still not taken in `cycle`.
    func notTaken(_ instruction: Instruction, index: Int, line: Int, since: Int, cycle: Int) {
        let t = TakenOperation(index: index, line: line, instruction: instruction, takenCycle: -1)
        fail(.notAccepted, cycle: cycle, t, "\(t.name) was offered from cycle \(since) and not taken by cycle \(cycle) "
             + "(timeout \(dut.timeout) cycles)")
    }

    /// The run ended in `cycle`: anything still outstanding never got its result.
    func finish(cycle: Int) {
        outcome.cycles = cycle
        if head < outstanding.count, outcome.fault == nil || outcome.fault == .mismatch && !stopped {
            let t = outstanding[head]
            fail(.hang, cycle: cycle, t, "no result for \(t.name), taken in cycle \(t.takenCycle): "
                 + "waited \(cycle - t.takenCycle) cycles (timeout \(dut.timeout))")
        }
    }

    func update(_ t: TakenOperation) {
        if let k = recent.lastIndex(where: { $0.index == t.index && $0.takenCycle == t.takenCycle }) { recent[k] = t }
    }

    func fail(_ fault: TransactionFault, cycle: Int, _ t: TakenOperation?, _ message: String) {
        outcome.mismatches += 1
        guard outcome.fault == nil else { return }
        outcome.fault = fault
        outcome.message = message
        outcome.operation = t
        outcome.faultCycle = cycle
        outcome.recent = Array(recent[recentHead...] + recent[..<recentHead])
    }

    func hex(_ w: Word) -> String { "0x" + w.hex(digits: (dut.width + 3) / 4) }
}
