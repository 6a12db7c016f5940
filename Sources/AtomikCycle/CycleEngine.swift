import AtomikCore
import AtomikISA
import AtomikProgram

/// Counts of one cycle-level run.
public struct CycleStats: Hashable, Sendable {
    /// Clock edges simulated, reset and drain included.
    public var cycles = 0
    /// Cycles in which an operation was presented but `op_ready_o` was low.
    public var stallCycles = 0
    public var operations = 0
    public var results = 0
    public init() {}
}

/// Drives a program through a unit, one clock edge per `tick`: presents each
/// operation until the unit accepts it, turns idle items into idle cycles,
/// lets the pipeline drain before a reset and at the end, and pairs every
/// `result_valid_o` with the READ/SWAP it belongs to.
///
/// The run starts with one reset cycle, as hardware does after power-up.
final class CycleEngine<Unit: CycleUnit> {
    struct Pending {
        var index: Int
        var opcode: Opcode
        var address: Int
    }

    /// READ/SWAP operations accepted whose results are not out yet, oldest
    /// first: a ring of fixed size, since at most L+1 are in flight.
    struct PendingQueue {
        private let slots: UnsafeMutablePointer<Pending>
        private var head = 0
        private(set) var count = 0

        init() {
            slots = .allocate(capacity: 8)
            slots.initialize(repeating: Pending(index: 0, opcode: .read, address: 0), count: 8)
        }

        func deallocate() { slots.deallocate() }

        var isEmpty: Bool { count == 0 }

        /// Appends `p` when `when` holds (stored either way: no branch).
        mutating func append(_ p: Pending, when: Bool) {
            slots[(head + count) & 7] = p
            count += when ? 1 : 0
        }

        var first: Pending { slots[head] }

        /// Drops the oldest entry when `when` holds.
        mutating func dropFirst(when: Bool) {
            head = (head + (when ? 1 : 0)) & 7
            count -= when ? 1 : 0
        }
    }

    /// Results collected in the cycle loop and handed to `onResult` in batches,
    /// so that the loop stores every cycle's candidate without a branch.
    let resultSlots: UnsafeMutablePointer<(Pending, Unit.W)>
    var resultCount = 0
    static var resultBatch: Int { 256 }

    let unit: Unit
    let observers: [any CycleObserver]
    let observed: Bool
    let recorder: CycleRecorder?
    let onResult: (OperationResult) throws -> Void
    let dataMask: Unit.W
    var pending = PendingQueue()
    var stats = CycleStats()

    init(unit: Unit, observers: [any CycleObserver], recorder: CycleRecorder?,
         onResult: @escaping (OperationResult) throws -> Void) throws {
        self.unit = unit; self.observers = observers; self.recorder = recorder; self.onResult = onResult
        observed = !observers.isEmpty
        dataMask = Unit.W.mask(width: unit.parameters.width)
        resultSlots = .allocate(capacity: Self.resultBatch)
        resultSlots.initialize(repeating: (Pending(index: 0, opcode: .read, address: 0), .zero), count: Self.resultBatch)
        try tick(.reset)
    }

    deinit {
        resultSlots.deinitialize(count: Self.resultBatch)
        resultSlots.deallocate()
        pending.deallocate()
    }

    /// One cycle: read the outputs, collect a result, clock the edge, record it.
    @discardableResult
    @inline(__always) func tick(_ inputs: UnitInputs<Unit.W>) throws -> UnitOutputs<Unit.W> {
        let out = unit.outputs(rstN: inputs.rstN)
        let valid = out.resultValid
        if valid && pending.isEmpty { throw CycleError.unexpectedResult(cycle: stats.cycles) }
        resultSlots[resultCount] = (pending.first, out.resultData)
        resultCount += valid ? 1 : 0
        pending.dropFirst(when: valid)
        if resultCount == Self.resultBatch { try deliverResults() }
        unit.clock(inputs)
        if observed { try notify(inputs, out) }
        if let recorder {
            recorder.buffers.append(inputs, out, unit.lastWrite)
            if recorder.buffers.isFull { try recorder.flush() }
        }
        stats.cycles += 1
        return out
    }

    /// Kept out of line so that the unobserved cycle loop stays small.
    @inline(never)
    func notify(_ inputs: UnitInputs<Unit.W>, _ out: UnitOutputs<Unit.W>) throws {
        let record = TraceRecord(cycle: stats.cycles, inputs: inputs, outputs: out, write: unit.lastWrite)
        for o in observers { try o.record(record, unit: unit) }
    }

    func execute(_ item: ProgramItem) throws {
        switch item {
        case .op(let inst):
            // The data port is WIDTH bits wide: wider program values are cut at the port.
            let inputs = UnitInputs<Unit.W>(inst, data: Unit.W(truncating: inst.data) & dataMask)
            while try !tick(inputs).opReady { stats.stallCycles += 1 }
            pending.append(Pending(index: stats.operations, opcode: inst.opcode, address: inst.address),
                           when: inst.opcode.producesResult)
            stats.operations += 1
        case .idle(let n):
            for _ in 0..<n { try tick(.idle) }
        case .reset(let n):
            try drain()
            for _ in 0..<n { try tick(.reset) }
        }
    }

    /// Idle cycles until every accepted operation has finished and its result
    /// is out; then every collected result is delivered.
    func drain() throws {
        while unit.busy || !pending.isEmpty { try tick(.idle) }
        try deliverResults()
        try recorder?.flush()
    }

    func deliverResults() throws {
        for k in 0..<resultCount {
            let (p, value) = resultSlots[k]
            try onResult(OperationResult(index: p.index, opcode: p.opcode, address: p.address, value: value.word))
        }
        stats.results += resultCount
        resultCount = 0
    }
}

public enum CycleError: Error, CustomStringConvertible {
    case unexpectedResult(cycle: Int)

    public var description: String {
        switch self {
        case .unexpectedResult(let c): "cycle \(c): result_valid_o with no READ or SWAP outstanding (model bug)"
        }
    }
}
