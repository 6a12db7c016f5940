import AtomikCore
import AtomikISA
import AtomikSupport

/// What a run did.
public struct RunSummary: Hashable, Sendable {
    public var operations = 0
    public var idleCycles = 0
    public var results = 0
    public init() {}
}

/// Runs programs on the software core (the golden model).
///
/// The width picks the table's word type once, before the loop: `UInt64` up to
/// 64 bits, `Word` above, so each loop is specialised for its type.
public enum SoftwareEngine {
    /// Streams `source` through a table and writes result lines (and, with
    /// `final`, the non-zero states) to `output`.
    public static func run(_ source: ProgramSource, output: ByteWriter, final: Bool) throws -> RunSummary {
        if source.options.width <= 64 {
            return try run(UInt64.self, source, output: output, final: final)
        }
        return try run(Word.self, source, output: output, final: final)
    }

    static func run<W: ContextWord>(_: W.Type, _ source: ProgramSource, output: ByteWriter, final: Bool) throws -> RunSummary {
        let opts = source.options
        let table = try AtomikTable<W>(contexts: opts.contexts, width: opts.width)
        var summary = RunSummary()
        var polled = 0
        while let item = try source.next() {
            if let result = try execute(item, on: table, index: summary.operations, summary: &summary) {
                try output.write { ResultFormat.append(result, width: opts.width, to: &$0) }
            }
            polled &+= 1
            if polled & 0xFFFF == 0 {
                RunProgress.update("run", operations: summary.operations)
                if Interrupt.requested {
                    try output.flush()
                    throw Interrupted("interrupted after \(summary.operations) operations; the results so far are on standard output")
                }
            }
        }
        RunProgress.finish()
        if Interrupt.requested {
            try output.flush()
            throw Interrupted("interrupted after \(summary.operations) operations; the results so far are on standard output")
        }
        if final {
            for (addr, state) in table.nonZeroStates() {
                try output.write { ResultFormat.appendFinal(address: addr, state: state.word, width: opts.width, to: &$0) }
            }
        }
        try output.flush()
        return summary
    }

    /// Executes one item; returns the READ or SWAP result, if any.
    @inlinable
    public static func execute<W: ContextWord>(
        _ item: ProgramItem, on table: AtomikTable<W>, index: Int, summary: inout RunSummary
    ) throws(AtomikError) -> OperationResult? {
        let inst: Instruction
        switch item {
        case .op(let i): inst = i
        case .idle(let n): summary.idleCycles += n; return nil
        case .reset: table.reset(); return nil
        }
        summary.operations += 1
        let value: W
        switch inst.opcode {
        case .load: try table.load(inst.address, W(truncating: inst.data)); return nil
        case .accum: try table.accum(inst.address, W(truncating: inst.data)); return nil
        case .read: value = try table.read(inst.address)
        case .swap: value = try table.swap(inst.address, inst.keep ? nil : W(truncating: inst.data))
        }
        summary.results += 1
        return OperationResult(index: index, opcode: inst.opcode, address: inst.address, value: value.word)
    }

    /// Runs a whole in-memory program; returns its results and the final table.
    public static func run<W: ContextWord>(
        _ items: some Sequence<ProgramItem>, on table: AtomikTable<W>
    ) throws(AtomikError) -> [OperationResult] {
        var summary = RunSummary()
        var results: [OperationResult] = []
        for item in items {
            if let r = try execute(item, on: table, index: summary.operations, summary: &summary) { results.append(r) }
        }
        return results
    }
}
