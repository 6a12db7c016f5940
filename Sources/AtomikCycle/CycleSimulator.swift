import AtomikCore
import AtomikISA
import AtomikProgram

/// The cycle-level engine for one design point. It picks the unit's concrete
/// type once (storage x word type: `UInt64` up to 64 bits, `Word` above), so
/// each engine's cycle loop is compiled for its own type with no dynamic dispatch.
public final class CycleSimulator {
    enum Engine {
        case ffNarrow(CycleEngine<FlipFlopUnit<UInt64>>)
        case ffWide(CycleEngine<FlipFlopUnit<Word>>)
        case sramNarrow(CycleEngine<SRAMUnit<UInt64>>)
        case sramWide(CycleEngine<SRAMUnit<Word>>)
    }

    public let parameters: UnitParameters
    private let engine: Engine
    private let observers: [any CycleObserver]

    /// `onResult` receives every READ/SWAP result in program order.
    /// `recorder` records every cycle into column buffers for co-simulation.
    public init(_ parameters: UnitParameters, observers: [any CycleObserver] = [], recorder: CycleRecorder? = nil,
                onResult: @escaping (OperationResult) throws -> Void) throws {
        try parameters.validate()
        self.parameters = parameters
        self.observers = observers
        for o in observers { try o.start(parameters) }
        switch (parameters.storage, parameters.width <= 64) {
        case (.ff, true):
            engine = .ffNarrow(try CycleEngine(unit: FlipFlopUnit<UInt64>(parameters), observers: observers, recorder: recorder, onResult: onResult))
        case (.ff, false):
            engine = .ffWide(try CycleEngine(unit: FlipFlopUnit<Word>(parameters), observers: observers, recorder: recorder, onResult: onResult))
        case (.sram, true):
            engine = .sramNarrow(try CycleEngine(unit: SRAMUnit<UInt64>(parameters), observers: observers, recorder: recorder, onResult: onResult))
        case (.sram, false):
            engine = .sramWide(try CycleEngine(unit: SRAMUnit<Word>(parameters), observers: observers, recorder: recorder, onResult: onResult))
        }
    }

    /// Runs one program item. Results reach `onResult` in batches, in program
    /// order; all of them by the time `finish` returns.
    public func execute(_ item: ProgramItem) throws {
        switch engine {
        case .ffNarrow(let e): try e.execute(item)
        case .ffWide(let e): try e.execute(item)
        case .sramNarrow(let e): try e.execute(item)
        case .sramWide(let e): try e.execute(item)
        }
    }

    /// Runs a batch of items (the engine is picked once for the whole batch).
    public func execute(_ items: [ProgramItem]) throws {
        switch engine {
        case .ffNarrow(let e): for item in items { try e.execute(item) }
        case .ffWide(let e): for item in items { try e.execute(item) }
        case .sramNarrow(let e): for item in items { try e.execute(item) }
        case .sramWide(let e): for item in items { try e.execute(item) }
        }
    }

    /// Idle cycles until every accepted operation is done and its result delivered.
    public func drain() throws {
        switch engine {
        case .ffNarrow(let e): try e.drain()
        case .ffWide(let e): try e.drain()
        case .sramNarrow(let e): try e.drain()
        case .sramWide(let e): try e.drain()
        }
    }

    /// Drains the pipeline, finishes the observers; returns the run's counts.
    public func finish() throws -> CycleStats {
        let stats: CycleStats
        switch engine {
        case .ffNarrow(let e): try e.drain(); stats = e.stats
        case .ffWide(let e): try e.drain(); stats = e.stats
        case .sramNarrow(let e): try e.drain(); stats = e.stats
        case .sramWide(let e): try e.drain(); stats = e.stats
        }
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
        case .sramNarrow(let e): return scan(e.unit)
        case .sramWide(let e): return scan(e.unit)
        }
    }

    /// Runs `source` through the model, writing result lines (and the final
    /// non-zero states) to `output` exactly as the software engine does.
    public static func run(_ parameters: UnitParameters, source: ProgramSource, output: ByteWriter, final: Bool,
                           observers: [any CycleObserver] = []) throws -> CycleStats {
        let width = parameters.width
        let sim = try CycleSimulator(parameters, observers: observers) { r in
            try output.write { ResultFormat.append(r, width: width, to: &$0) }
        }
        var polled = 0
        while let item = try source.next() {
            try sim.execute(item)
            polled &+= 1
            if polled & 0xFFFF == 0 { RunProgress.update("run (cycle model)", operations: polled) }
            if polled & 0xFFFF == 0 && Interrupt.requested {
                let stats = try sim.finish()
                try output.flush()
                for o in observers { try (o as? CycleTraceWriter)?.markPartial(cycles: stats.cycles) }
                throw Interrupted("interrupted after \(stats.operations) operations and \(stats.cycles) cycles; "
                                  + "the results so far are on standard output and the trace ends with a '# partial' line")
            }
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
