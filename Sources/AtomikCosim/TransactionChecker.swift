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

    public init(index: Int, line: Int, instruction: Instruction, takenCycle: Int, expected: Word? = nil) {
        self.index = index; self.line = line; self.instruction = instruction; self.takenCycle = takenCycle
        self.expected = expected
    }

    /// `op 7 (line 9: read 2)`.
    public var name: String {
        "operation \(index) (" + (line > 0 ? "line \(line): " : "") + TextFormat.format(.op(instruction)) + ")"
    }

    /// One line: the operation, its cycles, and the values compared.
    public var summary: String {
        name + ": taken in cycle \(takenCycle)" + (beatCycle.map { ", result in cycle \($0)" } ?? ", no result")
            + (expected.map { ", atomik-core 0x\($0.hex())" } ?? "") + (actual.map { ", DUT 0x\($0.hex())" } ?? "")
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
    /// Bit `DUTBridge.code(kind)` set for the kinds that give a result beat.
    let beatMask: UInt8
    var outcome: TransactionOutcome
    /// Receives each READ and SWAP result the DUT gives, with its value.
    var results: TransactionCosim.ResultSink?
    /// The operations taken, in take order: the last `ringSize` of them (a
    /// power of two, at least `keep`), kept while recent or waiting for a beat.
    var ring: UnsafeMutablePointer<Record>
    var ringSize: Int
    var taken = 0
    /// Take numbers of the operations waiting for their beat, oldest first:
    /// a queue from `head` to `tail` (counts) in a ring of `queueSize`.
    var queue: UnsafeMutablePointer<Int>
    var queueSize = 64
    var head = 0, tail = 0

    /// What the checker keeps of one taken operation (no optionals: written in place).
    struct Record {
        var instruction = Instruction.read(0)
        var index = 0, line = 0, takenCycle = 0, beatCycle = -1
        var expected = W.zero, actual = W.zero
        var actualKnown = false
    }

    init(_ dut: DUTDescription, simulator: RTLSimulator, maxMismatches: Int, keep: Int) throws {
        self.dut = dut
        core = try AtomikTable<W>(contexts: dut.contexts, width: dut.width)
        self.maxMismatches = maxMismatches
        self.keep = max(1, keep)
        beatMask = dut.result.beats.reduce(0) { $0 | UInt8(1 << DUTBridge.code($1)) }
        outcome = TransactionOutcome(simulator: simulator)
        ringSize = 1 << (Int.bitWidth - (max(16, self.keep) - 1).leadingZeroBitCount)
        ring = .allocate(capacity: ringSize)
        ring.initialize(repeating: Record(), count: ringSize)
        queue = .allocate(capacity: queueSize)
    }

    deinit {
        ring.deinitialize(count: ringSize)
        ring.deallocate()
        queue.deallocate()
    }

    /// Whether the run should stop (enough mismatches).
    var stopped: Bool { outcome.mismatches >= maxMismatches }

    func reset() { core.reset() }

    /// The DUT took `instruction` in `cycle`; `code` is its `DUTBridge.code`.
    @inline(__always)
    func take(_ instruction: Instruction, code: Int, index: Int, line: Int, cycle: Int) throws {
        let value: W
        switch instruction.opcode {
        case .load: try core.load(instruction.address, W(truncating: instruction.data)); value = .zero
        case .accum: try core.accum(instruction.address, W(truncating: instruction.data)); value = .zero
        case .read: value = try core.read(instruction.address)
        case .swap: value = try core.swap(instruction.address, instruction.keep ? nil : W(truncating: instruction.data))
        }
        if beatMask & UInt8(1 << code) != 0 {
            // The ring must still hold the oldest operation waiting, and the queue room for one more.
            if head < tail && taken - queue[head & (queueSize - 1)] >= ringSize - 1 { growRing() }
            if tail - head == queueSize { growQueue() }
            queue[tail & (queueSize - 1)] = taken
            tail += 1
        }
        let r = ring + (taken & (ringSize - 1))
        r.pointee.instruction = instruction
        r.pointee.index = index; r.pointee.line = line; r.pointee.takenCycle = cycle; r.pointee.beatCycle = -1
        r.pointee.actualKnown = false
        r.pointee.expected = value
        taken += 1
        outcome.operations += 1
    }

    func growRing() {
        let bigger = UnsafeMutablePointer<Record>.allocate(capacity: ringSize * 2)
        bigger.initialize(repeating: Record(), count: ringSize * 2)
        for n in max(0, taken - ringSize)..<taken { bigger[n & (ringSize * 2 - 1)] = ring[n & (ringSize - 1)] }
        ring.deinitialize(count: ringSize)
        ring.deallocate()
        ring = bigger
        ringSize *= 2
    }

    func growQueue() {
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: queueSize * 2)
        for n in head..<tail { bigger[n & (queueSize * 2 - 1)] = queue[n & (queueSize - 1)] }
        queue.deallocate()
        queue = bigger
        queueSize *= 2
    }

    /// A result beat in `cycle` whose value is in `words` 32-bit words (the lockstep's).
    @inline(__always)
    func beat(cycle: Int, words: UnsafePointer<UInt32>, count: Int) {
        if W.self == UInt64.self, head < tail {
            // Up to 64 bits: no 512-bit word on the way.
            let v = UInt64(words[0]) | (count > 1 ? UInt64(words[1]) << 32 : 0)
            let r = ring + (queue[head & (queueSize - 1)] & (ringSize - 1))
            if !r.pointee.instruction.opcode.producesResult || unsafeBitCast(r.pointee.expected, to: UInt64.self) == v {
                r.pointee.beatCycle = cycle
                r.pointee.actual = unsafeBitCast(v, to: W.self)
                r.pointee.actualKnown = true
                outcome.beats += 1
                head += 1
                if let results { deliver(r.pointee, to: results) }
                return
            }
        }
        var limbs = SIMD8<UInt64>(repeating: 0)
        for k in 0..<count { limbs[k >> 1] |= UInt64(words[k]) << UInt64((k & 1) * 32) }
        beat(cycle: cycle, value: Word(limbs: limbs))
    }

    /// A result beat in `cycle`; `value` nil when it is x or z.
    func beat(cycle: Int, value: Word?) {
        outcome.beats += 1
        guard head < tail else {
            fail(.unexpectedBeat, cycle: cycle, nil, "a result beat in cycle \(cycle) with no operation outstanding"
                 + (value.map { " (value \(hex($0)))" } ?? ""))
            return
        }
        let n = queue[head & (queueSize - 1)]
        head += 1
        let r = ring + (n & (ringSize - 1))
        r.pointee.beatCycle = cycle
        if let value {
            r.pointee.actual = W(truncating: value)
            r.pointee.actualKnown = true
            if let results { deliver(r.pointee, to: results) }
            if !r.pointee.instruction.opcode.producesResult || r.pointee.actual == r.pointee.expected { return }
        }
        let t = operation(n)
        if value == nil {
            fail(.unknownResult, cycle: cycle, t, "the result of \(t.name), taken in cycle \(t.takenCycle), is x or z in cycle \(cycle)")
        } else {
            fail(.mismatch, cycle: cycle, t, "\(t.name), taken in cycle \(t.takenCycle), result in cycle \(cycle): "
                 + "atomik-core \(hex(t.expected ?? .zero)), DUT \(hex(t.actual ?? .zero))")
        }
    }

    func deliver(_ r: Record, to sink: TransactionCosim.ResultSink) {
        guard r.instruction.opcode.producesResult else { return }
        sink(OperationResult(index: r.index, opcode: r.instruction.opcode, address: r.instruction.address, value: r.actual.word))
    }

    /// The operation taken `n`-th, as reports show it (it must still be in the ring).
    func operation(_ n: Int) -> TakenOperation {
        let r = ring[n & (ringSize - 1)]
        var t = TakenOperation(index: r.index, line: r.line, instruction: r.instruction, takenCycle: r.takenCycle,
                               expected: r.instruction.opcode.producesResult ? r.expected.word : nil)
        if r.beatCycle >= 0 { t.beatCycle = r.beatCycle }
        if r.actualKnown && r.beatCycle >= 0 { t.actual = r.actual.word }
        return t
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
        if head < tail, outcome.fault == nil || outcome.fault == .mismatch && !stopped {
            let t = operation(queue[head & (queueSize - 1)])
            fail(.hang, cycle: cycle, t, "no result for \(t.name), taken in cycle \(t.takenCycle): "
                 + "waited \(cycle - t.takenCycle) cycles (timeout \(dut.timeout))")
        }
    }

    func fail(_ fault: TransactionFault, cycle: Int, _ t: TakenOperation?, _ message: String) {
        outcome.mismatches += 1
        guard outcome.fault == nil else { return }
        outcome.fault = fault
        outcome.message = message
        outcome.operation = t
        outcome.faultCycle = cycle
        outcome.recent = (max(0, taken - keep)..<taken).map(operation)
    }

    func hex(_ w: Word) -> String { "0x" + w.hex(digits: (dut.width + 3) / 4) }
}
