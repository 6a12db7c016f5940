import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikSupport

/// How a co-simulation compares and when it stops.
public struct CosimOptions: Sendable {
    public var parameters: UnitParameters
    /// Stop after this many mismatching cycles (1: at the first divergence).
    public var maxMismatches: Int = 1
    /// Cycles of both traces shown before a divergence.
    public var contextCycles: Int = 8
    /// Cycles per call into the Verilator shim.
    public var batch: Int = 4096
    /// Another copy of rtl/ to simulate (a mutant); nil for rtl/ itself.
    public var rtlDirectory: String?

    public init(parameters: UnitParameters) { self.parameters = parameters }
}

/// What one co-simulation found.
public struct CosimOutcome: Sendable {
    public var simulator: RTLSimulator
    /// Cycles compared between model and RTL.
    public var cycles = 0
    /// Cycles in which model and RTL differ, plus operations in which model and core differ.
    public var mismatches = 0
    /// The first cycle where the RTL left the model.
    public var divergence: TraceDifference?
    /// The last cycles up to the divergence: (model line, RTL line).
    public var sideBySide: [(model: String, rtl: String)] = []
    /// The first operation whose model result differs from the software core's.
    public var coreMismatch: String?
    /// Program items executed (a prefix of the program that holds the divergence).
    public var itemsRun = 0

    public init(simulator: RTLSimulator) { self.simulator = simulator }

    public var passed: Bool { mismatches == 0 }

    mutating func merge(_ core: Cosimulation.CoreComparison) {
        mismatches += core.mismatches
        coreMismatch = core.firstMismatch
        itemsRun = core.itemsRun
    }
}

/// Compares the RTL with the cycle model cycle by cycle (outputs and bank
/// writes) and the model with the software core operation by operation.
public enum Cosimulation {
    /// Verilator in lockstep in this process: the model runs a batch of cycles,
    /// the shim runs the same inputs, the batch is compared, and a divergence
    /// stops the run at once.
    public static func lockstep(_ options: CosimOptions, shim: VerilatorShim,
                                items: some Sequence<ProgramItem>) throws -> CosimOutcome {
        var iterator = items.makeIterator()
        return try lockstep(options, shim: shim, next: { iterator.next() })
    }

    /// Lockstep over a stream of items, read as the run goes (a program file,
    /// a recipe): memory stays bounded however long the stream is.
    public static func lockstep(_ options: CosimOptions, shim: VerilatorShim,
                                next: () throws -> ProgramItem?) throws -> CosimOutcome {
        let p = options.parameters
        shim.lock.lock()
        defer { shim.lock.unlock() }
        // While the shim runs and compares one batch on the second core, the model fills the next. Up to 7
        // batches wait between them, so that a moment's delay of either thread (the machine's other load)
        // does not stop the other.
        let comparator = LockstepComparator(options: options, shim: shim)
        let pipeline = BatchWorker("lockstep", count: 8, capacity: options.batch, width: p.width, lanes: p.lanes) { comparator.compare($0) }
        let core: CoreComparison
        do {
            core = try drive(p, next: next, recorder: pipeline.recorder(), stop: { pipeline.stopped || Interrupt.requested })
        } catch {
            try? pipeline.finish()   // the shim may be stepping a batch: wait before the lock is let go
            throw error
        }
        try pipeline.finish()
        var outcome = comparator.outcome
        outcome.merge(core)
        return outcome
    }

    /// Icarus from vector files: the testbench replays the model's stimulus and
    /// writes its trace, which is compared with the model's line by line.
    public static func icarus(_ options: CosimOptions, items: [ProgramItem]) throws -> CosimOutcome {
        let p = options.parameters
        var outcome = CosimOutcome(simulator: .icarus)
        var iterator = items.makeIterator()
        let core = try drive(p, next: { iterator.next() }, recorder: nil, stop: { false })
        outcome.merge(core)
        let coreMismatches = outcome.mismatches
        let run = try RTLSimulator.icarus.run(p, items: items, rtl: options.rtlDirectory, timeout: .seconds(3600))
        let model = run.modelTrace.split(separator: "\n"), rtl = run.rtlTrace.split(separator: "\n")
        var records: [(TraceRecord, TraceRecord)] = []
        for k in 0..<max(model.count, rtl.count) {
            guard k < model.count, k < rtl.count else {
                outcome.mismatches += 1
                outcome.divergence = outcome.divergence ?? TraceDifference(
                    cycle: k, signal: "trace length", context: nil, expected: Word(UInt64(model.count)), actual: Word(UInt64(rtl.count)))
                break
            }
            guard let m = try TraceRecord(line: model[k]) else { continue }
            let r: TraceRecord
            do {
                guard let parsed = try TraceRecord(line: rtl[k]) else {
                    throw RTLError("the RTL trace has a comment where the model's has cycle \(m.cycle)")
                }
                r = parsed
            } catch is TraceError {
                // x or z in the RTL's outputs: a divergence of its own kind.
                outcome.mismatches += 1
                if outcome.divergence == nil {
                    outcome.divergence = TraceDifference(cycle: m.cycle, signal: "outputs", context: nil, expected: .zero,
                                                         actual: .zero, detail: "unknown (x/z) values: \(rtl[k])")
                    outcome.sideBySide = records.map { ($0.0.line(p), $0.1.line(p)) } + [(m.line(p), String(rtl[k]))]
                }
                break
            }
            records.append((m, r))
            if records.count > options.contextCycles { records.removeFirst() }
            outcome.cycles += 1
            if let d = m.firstDifference(from: r) {
                outcome.mismatches += 1
                if outcome.divergence == nil {
                    outcome.divergence = d
                    outcome.sideBySide = records.map { ($0.0.line(p), $0.1.line(p)) }
                }
                if outcome.mismatches - coreMismatches >= options.maxMismatches { break }
            }
        }
        return outcome
    }

    /// What the model-versus-core comparison found.
    package struct CoreComparison {
        var mismatches = 0
        var firstMismatch: String?
        var itemsRun = 0
    }

    /// Runs the model (recording into `recorder`) and the software core over
    /// the items from `next`, comparing every READ/SWAP result, until `stop` says so.
    package static func drive(_ p: UnitParameters, next: () throws -> ProgramItem?, recorder: CycleRecorder?,
                      stop: () -> Bool) throws -> CoreComparison {
        // The core's word type is picked once: UInt64 up to 64 bits.
        p.width <= 64
            ? try drive(UInt64.self, p, next: next, recorder: recorder, stop: stop)
            : try drive(Word.self, p, next: next, recorder: recorder, stop: stop)
    }

    static func drive<W: ContextWord>(_: W.Type, _ p: UnitParameters, next: () throws -> ProgramItem?,
                                      recorder: CycleRecorder?, stop: () -> Bool) throws -> CoreComparison {
        let core = try AtomikTable<W>(contexts: p.contexts, width: p.width)
        var summary = RunSummary()
        // The core's results not yet compared: the operation's index and the value, in the core's word type.
        var coreResults: [(index: Int, value: W)] = []
        var head = 0
        var found = CoreComparison()
        let sim = try CycleSimulator(p, recorder: recorder) { r in
            guard head < coreResults.count else { return }
            let c = coreResults[head]
            head += 1
            if c.index != r.index || c.value.word != r.value {
                found.mismatches += 1
                if found.firstMismatch == nil {
                    found.firstMismatch = "operation \(r.index) (\(r.opcode.mnemonic) \(r.address)): "
                        + "software core \(c.value.word), cycle model \(r.value)"
                }
            }
        }
        // In chunks: the core runs a chunk first, so its results are there when
        // the model's come; the model runs the chunk in one batch.
        found.itemsRun = try sim.execute(from: next, chunkSize: 1024, before: { chunk in
            for item in chunk {
                if let r = try SoftwareEngine.execute(item, on: core, index: summary.operations, summary: &summary) {
                    coreResults.append((r.index, W(truncating: r.value)))
                }
            }
        }, after: {
            RunProgress.update("cosim", operations: summary.operations)
            if head > 4096 { coreResults.removeFirst(head); head = 0 }
            return !stop()
        })
        _ = try sim.finish()
        RunProgress.finish()
        return found
    }

    /// The `n` cycles up to and including index `k` of the current batch, both sides.
    static func window(_ n: Int, k: Int, base: Int, p: UnitParameters, model: CycleBuffers, rtl: CycleBuffers,
                       previousModel: CycleBuffers, previousRTL: CycleBuffers) -> [(model: String, rtl: String)] {
        var lines: [(String, String)] = []
        for back in stride(from: n - 1, through: 0, by: -1) {
            let j = k - back
            if j >= 0 {
                lines.append((model.record(j, cycle: base + j).line(p),
                              rtl.record(j, cycle: base + j, inputs: model).line(p)))
            } else if previousModel.count + j >= 0 {
                let i = previousModel.count + j
                lines.append((previousModel.record(i, cycle: base + j).line(p),
                              previousRTL.record(i, cycle: base + j, inputs: previousModel).line(p)))
            }
        }
        return lines
    }
}

/// The RTL side of a lockstep run: runs each batch on the shim and compares
/// it with the model's, on the worker thread (one batch at a time).
final class LockstepComparator: @unchecked Sendable {
    let options: CosimOptions
    let shim: VerilatorShim
    let rtl: CycleBuffers
    /// The last `contextCycles` cycles of the batch before, for a window that starts there.
    let previousModel: CycleBuffers
    let previousRTL: CycleBuffers
    var outcome = CosimOutcome(simulator: .verilator)
    var stopped = false

    init(options: CosimOptions, shim: VerilatorShim) {
        self.options = options; self.shim = shim
        let p = options.parameters
        rtl = CycleBuffers(capacity: options.batch, width: p.width, lanes: p.lanes)
        previousModel = CycleBuffers(capacity: options.contextCycles, width: p.width, lanes: p.lanes)
        previousRTL = CycleBuffers(capacity: options.contextCycles, width: p.width, lanes: p.lanes)
    }

    /// Returns false once enough mismatches are seen to stop.
    func compare(_ model: CycleBuffers) -> Bool {
        let p = options.parameters
        // The shim compares as it steps; the cycles from the first that differs are counted here.
        let first = shim.step(inputs: model, outputs: rtl, compare: true)
        let base = outcome.cycles
        // Cycles compared: the whole batch, or up to the cycle that stopped the run (as Icarus counts them).
        var compared = model.count
        for k in first..<model.count where !model.matches(rtl, at: k) {
            outcome.mismatches += 1
            if outcome.divergence == nil {
                let m = model.record(k, cycle: base + k), r = rtl.record(k, cycle: base + k, inputs: model)
                outcome.divergence = m.firstDifference(from: r)
                outcome.sideBySide = Cosimulation.window(options.contextCycles, k: k, base: base, p: p, model: model,
                                                         rtl: rtl, previousModel: previousModel, previousRTL: previousRTL)
            }
            if outcome.mismatches >= options.maxMismatches { stopped = true; compared = k + 1; break }
        }
        outcome.cycles += compared
        previousModel.copy(last: options.contextCycles, of: model)
        previousRTL.copy(last: options.contextCycles, of: rtl)
        return !stopped
    }
}
