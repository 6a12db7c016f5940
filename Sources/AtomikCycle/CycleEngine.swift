import AtomikCore
import AtomikISA
import AtomikProgram
import AtomikSupport

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
/// operation until the unit accepts it (for LANES > 1, the issue stage packs
/// consecutive ACCUMs into one cycle, up to LANES, and cuts the bundle at
/// every other operation, idle, reset and drain), turns idle items into idle cycles,
/// lets the pipeline drain before a reset and at the end, and pairs every
/// `result_valid_o` with the READ/SWAP it belongs to.
///
/// The run starts with one reset cycle, as hardware does after power-up.
final class CycleEngine<Unit: CycleUnit> {
    /// A READ or SWAP the unit accepted, to be paired with its result.
    struct ResultOwner {
        var index: Int
        var address: Int
        var opcode: Opcode
    }

    /// Everything the cycle loop changes. A batch of items runs on a local
    /// copy (`execute`, `drain`), so the compiler keeps the unit's registers
    /// and these counters in machine registers for the whole batch rather
    /// than reloading them after every bank store.
    struct LoopState {
        var unit: Unit
        /// Results in `resultValues` not yet delivered.
        var values = 0
        /// READ/SWAPs in `resultOwners` not yet delivered; never fewer than `values`.
        var owners = 0
        var stats = CycleStats()
        /// LANES > 1: ACCUMs packed into the bundle not yet presented, lane 0's in `first`.
        var pending = 0
        var first = UnitInputs<Unit.W>.idle
    }

    private var state: LoopState
    /// The first error thrown: the engine refuses to go on after one, since
    /// the banks, buffers and delivered results may have moved past `state`.
    private var failure: (any Error)?
    /// Results come out in the order their operations went in, so the k-th
    /// value pairs with the k-th owner. The loop stores every cycle's
    /// `result_data_o` and counts it when valid, with no branch, and delivers
    /// the pairs in batches.
    let resultValues: UnsafeMutablePointer<Unit.W>
    let resultOwners: UnsafeMutablePointer<ResultOwner>
    static var resultBatch: Int { 256 }
    /// READ/SWAPs in flight at most (L+1 for `sram`), with room to spare.
    static var maxInFlight: Int { 8 }

    let banks: Banks<Unit.W>
    let observers: [any CycleObserver]
    let observed: Bool
    let recorder: CycleRecorder?
    let onResult: (OperationResult) throws -> Void
    let dataMask: Unit.W

    var unit: Unit { state.unit }
    var stats: CycleStats { state.stats }

    init(_ parameters: UnitParameters, observers: [any CycleObserver], recorder: CycleRecorder?,
         onResult: @escaping (OperationResult) throws -> Void) throws {
        banks = Banks(contexts: parameters.contexts, copies: parameters.lanes)
        let unit = Unit(parameters, banks: banks)
        state = LoopState(unit: unit)
        self.observers = observers; self.recorder = recorder; self.onResult = onResult
        observed = !observers.isEmpty
        dataMask = Unit.W.mask(width: unit.parameters.width)
        resultValues = .allocate(capacity: Self.resultBatch)
        resultValues.initialize(repeating: .zero, count: Self.resultBatch)
        resultOwners = .allocate(capacity: Self.resultBatch + Self.maxInFlight)
        resultOwners.initialize(repeating: ResultOwner(index: 0, address: 0, opcode: .read),
                                count: Self.resultBatch + Self.maxInFlight)
        try withUnsafePointer(to: ProgramItem.reset(1)) { try executeIdleOrReset($0) }   // the power-up reset
    }

    deinit {
        resultValues.deinitialize(count: Self.resultBatch)
        resultValues.deallocate()
        resultOwners.deallocate()
    }

    /// Runs program items in order; results reach `onResult` in batches.
    ///
    /// The loop has one inlined `tick`, for operations; idle cycles and resets
    /// go through the stored state out of line. So the local state is never
    /// passed by address, and as much of it as fits stays in machine registers.
    func execute(_ items: UnsafeBufferPointer<ProgramItem>) throws {
        try checkingFailure {
            switch (observed, recorder != nil) {
            case (false, false): try execute(items, hooks: NoHooks.self)
            case (false, true): try execute(items, hooks: RecorderOnly.self)
            case (true, _): try execute(items, hooks: WithHooks.self)
            }
        }
    }

    /// Idle cycles until every accepted operation has finished and its result
    /// is out; then every collected result is delivered.
    func drain() throws {
        try checkingFailure { try drainPipeline() }
    }

    /// Presents the ACCUMs the issue stage holds for a bundle (LANES > 1) until they are taken.
    func issueHeld() throws {
        try checkingFailure { try issuePending() }
    }

    private func checkingFailure(_ body: () throws -> Void) throws {
        if let failure { throw failure }
        do { try body() } catch { failure = error; throw error }
    }

    /// The cycle loop, compiled with the observer and recorder calls, with the
    /// recorder's only, and without either, so a run carries only the code it uses.
    @inline(__always)
    func execute<Hooks: CycleHooks>(_ items: UnsafeBufferPointer<ProgramItem>, hooks: Hooks.Type) throws {
        var s = state
        defer { state = s }
        for k in items.indices {
            guard case .op(let inst) = items[k] else {
                state = s
                try executeIdleOrReset(items.baseAddress! + k)
                s = state
                continue
            }
            // The data port is WIDTH bits wide: wider program values are cut at the port.
            let inputs = UnitInputs<Unit.W>(inst, data: Unit.W(truncating: inst.data) & dataMask)
            // The issue stage (nil, and gone from the loop, for one-lane units).
            if let lanes = s.unit.lanes {
                if inst.opcode == .accum {
                    if s.pending == 0 { s.first = inputs } else { lanes.inputs[s.pending] = inputs }
                    s.pending &+= 1
                    if s.pending == lanes.count { try issueBundle(&s, lanes, hooks: hooks) }
                    continue
                }
                if s.pending > 0 { try issueBundle(&s, lanes, hooks: hooks) }
            }
            // An operation is presented until the unit takes it.
            while try !tick(inputs, &s, hooks: hooks).opReady { s.stats.stallCycles &+= 1 }
            resultOwners[s.owners] = ResultOwner(index: s.stats.operations, address: inst.address, opcode: inst.opcode)
            s.owners &+= inst.opcode.producesResult ? 1 : 0
            s.stats.operations &+= 1
            if s.owners &- s.values > Self.maxInFlight { throw CycleError.missingResult(cycle: s.stats.cycles) }
        }
    }

    /// Presents the packed ACCUMs until the unit takes them, then idles the lanes.
    @inline(never)
    func issueBundle<Hooks: CycleHooks>(_ s: inout LoopState, _ lanes: Lanes<Unit.W>, hooks: Hooks.Type) throws {
        while try !tick(s.first, &s, hooks: hooks).opReady { s.stats.stallCycles &+= 1 }
        for k in 1..<s.pending { lanes.inputs[k] = .idle }
        s.stats.operations &+= s.pending
        s.pending = 0
    }

    /// Presents the packed ACCUMs of the stored state, if any.
    @inline(never)
    func issuePending() throws {
        guard state.pending > 0, let lanes = state.unit.lanes else { return }
        var s = state
        defer { state = s }
        try issueBundle(&s, lanes, hooks: WithHooks.self)
    }

    /// Idle cycles, or a reset after the pipeline has drained, on the stored
    /// state: out of line, so the operation loop above stays small.
    @inline(never)
    func executeIdleOrReset(_ item: UnsafePointer<ProgramItem>) throws {
        try issuePending()
        let inputs: UnitInputs<Unit.W>, cycles: Int
        switch item.pointee {
        case .op: preconditionFailure("operations run in execute(_:hooks:)")
        case .idle(let n): inputs = .idle; cycles = n
        case .reset(let n): try drainPipeline(); inputs = .reset; cycles = n
        }
        var s = state
        defer { state = s }
        // A long idle (`nop 100000000`) answers Ctrl-C within its own run: the rest is skipped.
        for k in 0..<cycles {
            if k & 0xFFF == 0xFFF && Interrupt.requested { break }
            try tick(inputs, &s, hooks: WithHooks.self)
        }
    }

    @inline(never)
    private func drainPipeline() throws {
        try issuePending()
        var s = state
        defer { state = s }
        var idleAndDone = 0   // cycles with the pipeline empty and results still owed
        while s.unit.busy || s.owners > s.values {
            try tick(.idle, &s, hooks: WithHooks.self)
            idleAndDone = s.unit.busy ? 0 : idleAndDone + 1
            if idleAndDone > Self.maxInFlight { throw CycleError.missingResult(cycle: s.stats.cycles) }
        }
        s.owners = try deliverResults(values: s.values, owners: s.owners, cycle: s.stats.cycles)
        s.stats.results &+= s.values
        s.values = 0
        try recorder?.flush()
    }

    /// One cycle: read the outputs, collect a result, clock the edge, record it.
    @discardableResult
    @inline(__always)
    func tick<Hooks: CycleHooks>(_ inputs: UnitInputs<Unit.W>, _ s: inout LoopState, hooks: Hooks.Type) throws
        -> UnitOutputs<Unit.W> {
        let out = s.unit.outputs(rstN: inputs.rstN)
        // Stored every cycle, counted when valid (`deliverResults` checks each has an owner).
        resultValues[s.values] = out.resultData
        s.values &+= Int(unsafeBitCast(out.resultValid, to: UInt8.self))
        if s.values == Self.resultBatch {
            s.owners = try deliverResults(values: s.values, owners: s.owners, cycle: s.stats.cycles)
            s.stats.results &+= s.values
            s.values = 0
        }
        let write = s.unit.clock(inputs)
        if Hooks.observers && observed {
            state.unit = s.unit
            try notify(cycle: s.stats.cycles, inputs, out, write)
        }
        if Hooks.recorder, let recorder {
            recorder.buffers.append(inputs, out, write)
            if let lanes = s.unit.lanes { recorder.buffers.appendLanes(lanes) }
            if recorder.buffers.isFull { try recorder.flush() }
        }
        s.stats.cycles &+= 1
        return out
    }

    /// Observers see the unit as stored in `state` (the caller stores it first).
    @inline(never)
    func notify(cycle: Int, _ inputs: UnitInputs<Unit.W>, _ out: UnitOutputs<Unit.W>, _ write: BankWrite<Unit.W>) throws {
        let record = TraceRecord(cycle: cycle, inputs: inputs, outputs: out, write: write, lanes: state.unit.lanes)
        for o in observers { try o.record(record, unit: state.unit) }
    }

    /// Hands the first `values` results with their owners to `onResult`, moves
    /// the owners still waiting to the front, and returns how many there are.
    @inline(never)
    func deliverResults(values: Int, owners: Int, cycle: Int) throws -> Int {
        if values > owners { throw CycleError.unexpectedResult(cycle: cycle) }
        for k in 0..<values {
            let o = resultOwners[k]
            try onResult(OperationResult(index: o.index, opcode: o.opcode, address: o.address, value: resultValues[k].word))
        }
        for k in 0..<(owners - values) { resultOwners[k] = resultOwners[values + k] }
        return owners - values
    }
}

/// Which of the observer and recorder calls a cycle loop is compiled with.
protocol CycleHooks {
    static var observers: Bool { get }
    static var recorder: Bool { get }
}
enum WithHooks: CycleHooks { static var observers: Bool { true }; static var recorder: Bool { true } }
enum RecorderOnly: CycleHooks { static var observers: Bool { false }; static var recorder: Bool { true } }
enum NoHooks: CycleHooks { static var observers: Bool { false }; static var recorder: Bool { false } }

public enum CycleError: Error, CustomStringConvertible {
    case unexpectedResult(cycle: Int)
    case missingResult(cycle: Int)

    public var description: String {
        switch self {
        case .unexpectedResult(let c): "by cycle \(c): result_valid_o with no READ or SWAP outstanding (model bug)"
        case .missingResult(let c): "cycle \(c): READ/SWAPs left without a result_valid_o (model bug)"
        }
    }
}
