import AtomikCore
import Testing

/// Every stream of up to three operations over a 2-context, 2-bit table, run on
/// `AtomikTable<UInt64>` and `AtomikTable<Word>` and compared, operation by
/// operation, with a tiny reference written here from the algebra in
/// ATOMIK.md section 1 (not from the code under test).
@Suite("Exhaustive tiny tables")
struct ExhaustiveTableTests {
    static let width = 2
    static let contexts = 2

    /// One operation of the tiny model.
    enum TinyOp: Hashable, CustomStringConvertible {
        case load(Int, UInt64)
        case accum(Int, UInt64)
        case read(Int)
        case swapKeep(Int)
        case swap(Int, UInt64)

        var description: String {
            switch self {
            case let .load(a, v): "load \(a), \(v)"
            case let .accum(a, v): "accum \(a), \(v)"
            case let .read(a): "read \(a)"
            case let .swapKeep(a): "swap \(a)"
            case let .swap(a, v): "swap \(a), \(v)"
            }
        }

        /// Every operation with a value in `values` at every address.
        static func all(values: ClosedRange<UInt64>, contexts: Int) -> [TinyOp] {
            var ops: [TinyOp] = []
            for a in 0..<contexts {
                for v in values { ops.append(.load(a, v)) }
                for v in values { ops.append(.accum(a, v)) }
                ops.append(.read(a))
                ops.append(.swapKeep(a))
                for v in values { ops.append(.swap(a, v)) }
            }
            return ops
        }
    }

    /// The reference: a dictionary of (ref, acc, count) per context.
    struct TinyReference {
        struct Entry: Equatable { var ref: UInt64 = 0; var acc: UInt64 = 0; var count: UInt64 = 0 }
        let mask: UInt64
        var entries: [Int: Entry] = [:]

        init(width: Int) { mask = (1 << UInt64(width)) - 1 }

        func entry(_ a: Int) -> Entry { entries[a] ?? Entry() }

        mutating func apply(_ op: TinyOp) -> UInt64? {
            switch op {
            case let .load(a, v):
                entries[a] = Entry(ref: v & mask, acc: 0, count: 0)
                return nil
            case let .accum(a, d):
                var e = entry(a)
                e.acc = (e.acc ^ d) & mask
                e.count += 1
                entries[a] = e
                return nil
            case let .read(a):
                let e = entry(a)
                return (e.ref ^ e.acc) & mask
            case let .swapKeep(a):
                let e = entry(a)
                let cur = (e.ref ^ e.acc) & mask
                entries[a] = Entry(ref: cur, acc: 0, count: 0)
                return cur
            case let .swap(a, v):
                let e = entry(a)
                let cur = (e.ref ^ e.acc) & mask
                entries[a] = Entry(ref: v & mask, acc: 0, count: 0)
                return cur
            }
        }
    }

    static func apply<W: ContextWord>(_ op: TinyOp, to table: AtomikTable<W>) throws -> UInt64? {
        switch op {
        case let .load(a, v): try table.load(a, W(truncating: Word(v))); return nil
        case let .accum(a, v): try table.accum(a, W(truncating: Word(v))); return nil
        case let .read(a): return try table.read(a).word.low64
        case let .swapKeep(a): return try table.swap(a).word.low64
        case let .swap(a, v): return try table.swap(a, W(truncating: Word(v))).word.low64
        }
    }

    /// Runs `stream` on a fresh table and the reference; returns a description
    /// of the first difference, or nil.
    static func check<W: ContextWord>(_: W.Type, _ stream: [TinyOp], width: Int, contexts: Int) throws -> String? {
        let table = try AtomikTable<W>(contexts: contexts, width: width)
        var reference = TinyReference(width: width)
        for (i, op) in stream.enumerated() {
            let got = try apply(op, to: table)
            let want = reference.apply(op)
            if got != want {
                return "\(W.self) \(stream): op \(i) (\(op)) returned \(String(describing: got)), expected \(String(describing: want))"
            }
            for a in 0..<contexts {
                let r = try table.registers(a)
                let e = reference.entry(a)
                if r.reference.word != Word(e.ref) || r.accumulator.word != Word(e.acc) || r.deltaCount != e.count {
                    return "\(W.self) \(stream): after op \(i) context \(a) has ref \(r.reference.word) acc \(r.accumulator.word) count \(r.deltaCount), expected ref \(e.ref) acc \(e.acc) count \(e.count)"
                }
            }
        }
        let nonZero = table.nonZeroStates().map { [$0.address: $0.state.word.low64] }
        let expected = (0..<contexts).compactMap { a -> [Int: UInt64]? in
            let e = reference.entry(a)
            let s = (e.ref ^ e.acc) & reference.mask
            return s == 0 ? nil : [a: s]
        }
        if nonZero != expected { return "\(W.self) \(stream): nonZeroStates \(nonZero), expected \(expected)" }
        return nil
    }

    /// Calls `body` with every stream of length 0...maxLength over `ops`.
    static func forEachStream(_ ops: [TinyOp], maxLength: Int, _ body: ([TinyOp]) throws -> Void) rethrows {
        var stream: [TinyOp] = []
        func extend() throws {
            try body(stream)
            guard stream.count < maxLength else { return }
            for op in ops {
                stream.append(op)
                try extend()
                stream.removeLast()
            }
        }
        try extend()
    }

    @Test("all streams of length <= 3, values 0...3, 2 contexts x 2 bits, both word types")
    func allStreamsUpToThree() throws {
        let ops = TinyOp.all(values: 0...3, contexts: Self.contexts)
        #expect(ops.count == 28)
        var streams = 0
        var failures: [String] = []
        try Self.forEachStream(ops, maxLength: 3) { stream in
            streams += 1
            if let f = try Self.check(UInt64.self, stream, width: Self.width, contexts: Self.contexts) { failures.append(f) }
            if let f = try Self.check(Word.self, stream, width: Self.width, contexts: Self.contexts) { failures.append(f) }
        }
        #expect(streams == 1 + 28 + 28 * 28 + 28 * 28 * 28)
        #expect(failures.isEmpty, "\(failures.count) failing streams, first: \(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test("all streams of length <= 2 with over-wide values 0...7 (masked to 2 bits)")
    func overWideStreamsUpToTwo() throws {
        let ops = TinyOp.all(values: 0...7, contexts: Self.contexts)
        var streams = 0
        var failures: [String] = []
        try Self.forEachStream(ops, maxLength: 2) { stream in
            streams += 1
            if let f = try Self.check(UInt64.self, stream, width: Self.width, contexts: Self.contexts) { failures.append(f) }
            if let f = try Self.check(Word.self, stream, width: Self.width, contexts: Self.contexts) { failures.append(f) }
        }
        #expect(ops.count == 52)
        #expect(streams == 1 + 52 + 52 * 52)
        #expect(failures.isEmpty, "\(failures.count) failing streams, first: \(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test("all streams of length <= 3 on one context of 1 bit, values 0...1")
    func oneBitStreams() throws {
        let ops = TinyOp.all(values: 0...1, contexts: 1)
        var failures: [String] = []
        try Self.forEachStream(ops, maxLength: 3) { stream in
            if let f = try Self.check(UInt64.self, stream, width: 1, contexts: 1) { failures.append(f) }
            if let f = try Self.check(Word.self, stream, width: 1, contexts: 1) { failures.append(f) }
        }
        #expect(failures.isEmpty, "first: \(failures.prefix(5).joined(separator: "\n"))")
    }
}
