import AtomikCore
import AtomikISA
import AtomikProgram
import AtomikSupport

/// The cycle-level engine for one design point. It picks the unit's concrete
/// type once (storage and read latency x word type: `UInt64` up to 64 bits,
/// `Word` above), so each engine's cycle loop is compiled for its own type
/// with no dynamic dispatch. (A protocol existential instead of the enum
/// would call the generic, unspecialised engine.)
public final class CycleSimulator {
    enum Engine {
        case ffNarrow(CycleEngine<FlipFlopUnit<UInt64>>)
        case ffWide(CycleEngine<FlipFlopUnit<Word>>)
        case sram1Narrow(CycleEngine<SRAMUnit<UInt64, OneCycleRead>>)
        case sram1Wide(CycleEngine<SRAMUnit<Word, OneCycleRead>>)
        case sram2Narrow(CycleEngine<SRAMUnit<UInt64, TwoCycleRead>>)
        case sram2Wide(CycleEngine<SRAMUnit<Word, TwoCycleRead>>)
        case lanesNarrow(CycleEngine<LanesUnit<UInt64>>)
        case lanesWide(CycleEngine<LanesUnit<Word>>)
    }

    public let parameters: UnitParameters
    private let engine: Engine
    private let observers: [any CycleObserver]

    /// `onResult` receives every READ/SWAP result in program order.
    /// `recorder` records every cycle into column buffers (co-simulation, vector files, coverage).
    public init(_ parameters: UnitParameters, observers: [any CycleObserver] = [], recorder: CycleRecorder? = nil,
                onResult: @escaping (OperationResult) throws -> Void) throws {
        try parameters.validate()
        self.parameters = parameters
        self.observers = observers
        for o in observers { try o.start(parameters) }
        func make<U: CycleUnit>(_: U.Type) throws -> CycleEngine<U> {
            try CycleEngine(parameters, observers: observers, recorder: recorder, onResult: onResult)
        }
        switch (parameters.storage, parameters.readLatency, parameters.width <= 64) {
        case _ where parameters.lanes > 1:
            engine = parameters.width <= 64 ? .lanesNarrow(try make(LanesUnit<UInt64>.self)) : .lanesWide(try make(LanesUnit<Word>.self))
        case (.ff, _, true): engine = .ffNarrow(try make(FlipFlopUnit<UInt64>.self))
        case (.ff, _, false): engine = .ffWide(try make(FlipFlopUnit<Word>.self))
        case (.sram, 1, true): engine = .sram1Narrow(try make(SRAMUnit<UInt64, OneCycleRead>.self))
        case (.sram, 1, false): engine = .sram1Wide(try make(SRAMUnit<Word, OneCycleRead>.self))
        case (.sram, _, true): engine = .sram2Narrow(try make(SRAMUnit<UInt64, TwoCycleRead>.self))
        case (.sram, _, false): engine = .sram2Wide(try make(SRAMUnit<Word, TwoCycleRead>.self))
        }
    }

    /// Runs one program item. Results reach `onResult` in batches, in program
    /// order; all of them by the time `finish` returns.
    public func execute(_ item: ProgramItem) throws {
        try withUnsafePointer(to: item) { try execute(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Runs a batch of items: the engine is picked once, and the unit's
    /// registers stay in machine registers for the whole batch, so long runs
    /// go much faster in batches of a few thousand items than one by one.
    public func execute(_ items: [ProgramItem]) throws {
        try items.withUnsafeBufferPointer { try execute($0) }
    }

    func execute(_ items: UnsafeBufferPointer<ProgramItem>) throws {
        switch engine {
        case .ffNarrow(let e): try e.execute(items)
        case .ffWide(let e): try e.execute(items)
        case .sram1Narrow(let e): try e.execute(items)
        case .sram1Wide(let e): try e.execute(items)
        case .sram2Narrow(let e): try e.execute(items)
        case .sram2Wide(let e): try e.execute(items)
        case .lanesNarrow(let e): try e.execute(items)
        case .lanesWide(let e): try e.execute(items)
        }
    }

    /// The counts so far.
    public var stats: CycleStats {
        switch engine {
        case .ffNarrow(let e): e.stats
        case .ffWide(let e): e.stats
        case .sram1Narrow(let e): e.stats
        case .sram1Wide(let e): e.stats
        case .sram2Narrow(let e): e.stats
        case .sram2Wide(let e): e.stats
        case .lanesNarrow(let e): e.stats
        case .lanesWide(let e): e.stats
        }
    }

    /// Idle cycles until every accepted operation is done and its result delivered.
    public func drain() throws {
        switch engine {
        case .ffNarrow(let e): try e.drain()
        case .ffWide(let e): try e.drain()
        case .sram1Narrow(let e): try e.drain()
        case .sram1Wide(let e): try e.drain()
        case .sram2Narrow(let e): try e.drain()
        case .sram2Wide(let e): try e.drain()
        case .lanesNarrow(let e): try e.drain()
        case .lanesWide(let e): try e.drain()
        }
    }

    /// With LANES > 1: presents the ACCUMs held back for a bundle, so that the
    /// cycles after this are the program's next items (or idle ones).
    public func issueHeld() throws {
        switch engine {
        case .lanesNarrow(let e): try e.issueHeld()
        case .lanesWide(let e): try e.issueHeld()
        default: break
        }
    }

    /// Drains the pipeline, finishes the observers; returns the run's counts.
    public func finish() throws -> CycleStats {
        try drain()
        let stats = self.stats
        for o in observers { try o.finish(cycles: stats.cycles) }
        return stats
    }

    /// The banks' state of every context whose state (reference ^ accumulator) is non-zero.
    public func nonZeroStates() -> [(address: Int, state: Word)] {
        func scan<U: CycleUnit>(_ u: U) -> [(address: Int, state: Word)] {
            (0..<parameters.contexts).compactMap { c in
                let (r, a) = u.bank(c)
                let s = (r ^ a).word
                return s.isZero ? nil : (c, s)
            }
        }
        switch engine {
        case .ffNarrow(let e): return scan(e.unit)
        case .ffWide(let e): return scan(e.unit)
        case .sram1Narrow(let e): return scan(e.unit)
        case .sram1Wide(let e): return scan(e.unit)
        case .sram2Narrow(let e): return scan(e.unit)
        case .sram2Wide(let e): return scan(e.unit)
        case .lanesNarrow(let e): return scan(e.unit)
        case .lanesWide(let e): return scan(e.unit)
        }
    }

    /// Runs the items from `next`, at most `limit` of them, a chunk at a time
    /// (the model is fastest a batch at a time): `before` sees each chunk
    /// before the model runs it, `after` follows it and returns false to stop.
    /// A bad item ends the run after the items before it have run. Returns
    /// the number of items run.
    @discardableResult
    public func execute(from next: () throws -> ProgramItem?, limit: Int = .max, chunkSize: Int = 4096,
                        before: (UnsafeBufferPointer<ProgramItem>) throws -> Void = { _ in },
                        after: () throws -> Bool = { true }) throws -> Int {
        // Filled by index, not appended: no capacity or uniqueness check per item. Items are plain values.
        let storage = UnsafeMutablePointer<ProgramItem>.allocate(capacity: chunkSize)
        defer { storage.deallocate() }
        var fed = 0
        while fed < limit {
            let room = Swift.min(chunkSize, limit - fed)
            var n = 0
            do {
                while n < room, let item = try next() { (storage + n).initialize(to: item); n += 1 }
            } catch {
                let chunk = UnsafeBufferPointer(start: storage, count: n)
                try before(chunk)
                try execute(chunk)
                throw error
            }
            let chunk = UnsafeBufferPointer(start: storage, count: n)
            fed += n
            try before(chunk)
            try execute(chunk)
            if n < chunkSize { break }
            if try !after() { break }
        }
        return fed
    }

    /// Runs `source` through the model, writing result lines (and the final
    /// non-zero states) to `output` exactly as the software engine does.
    public static func run(_ parameters: UnitParameters, source: ProgramSource, output: ByteWriter, final: Bool,
                           observers: [any CycleObserver] = []) throws -> CycleStats {
        let width = parameters.width
        let sim = try CycleSimulator(parameters, observers: observers) { r in
            try output.write { ResultFormat.append(r, width: width, to: &$0) }
        }
        do {
            try sim.execute(from: { try source.next() }, after: {
                RunProgress.update("run (cycle model)", operations: sim.stats.operations)
                return !Interrupt.requested
            })
        } catch let error as ProgramError {
            // The items before the bad one ran and their results come out, as with the software engine.
            _ = try sim.finish()
            try output.flush()
            throw error
        }
        if Interrupt.requested {
            let stats = try sim.finish()
            try output.flush()
            var kept = ["the results so far are on standard output"]
            for o in observers {
                if let trace = o as? CycleTraceWriter {
                    try trace.markPartial(cycles: stats.cycles)
                    kept.append("the trace ends with a '# partial' line")
                } else if o is WaveformWriter {
                    kept.append("the waveform ends at the last cycle run")
                }
            }
            throw Interrupted("interrupted after \(stats.operations) operations and \(stats.cycles) cycles; "
                              + kept.joined(separator: ", "))
        }
        let stats = try sim.finish()
        RunProgress.finish()
        if final {
            for (addr, state) in sim.nonZeroStates() {
                try output.write { ResultFormat.appendFinal(address: addr, state: state, width: width, to: &$0) }
            }
        }
        try output.flush()
        return stats
    }
}
