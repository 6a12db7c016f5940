import AtomikCore
import AtomikStimulus
import Testing

/// Random values for the property tests (the stimulus generator's kinds).
func randomWord(_ rng: inout StimulusRandom, bits: Int) -> Word { rng.word(bits: bits) }

/// Calls `body` with a fresh table of each word type that can hold `width`.
func forEachWordType(width: Int, contexts: Int = 4, _ body: (any TableProbe) throws -> Void) throws {
    if width <= UInt64.capacity { try body(try Probe<UInt64>(contexts: contexts, width: width)) }
    try body(try Probe<Word>(contexts: contexts, width: width))
}

/// A word-type-erased view of an `AtomikTable`, taking and returning `Word`s,
/// so one property test body covers both storage types.
protocol TableProbe {
    var typeName: String { get }
    var width: Int { get }
    func load(_ a: Int, _ v: Word) throws
    func accum(_ a: Int, _ d: Word) throws
    func read(_ a: Int) throws -> Word
    func swap(_ a: Int, _ v: Word?) throws -> Word
    func registers(_ a: Int) throws -> (reference: Word, accumulator: Word, deltaCount: UInt64)
    func nonZero() -> [Int: Word]
}

struct Probe<W: ContextWord>: TableProbe {
    let table: AtomikTable<W>
    init(contexts: Int, width: Int) throws { table = try AtomikTable<W>(contexts: contexts, width: width) }
    var typeName: String { "\(W.self)" }
    var width: Int { table.width }
    func load(_ a: Int, _ v: Word) throws { try table.load(a, W(truncating: v)) }
    func accum(_ a: Int, _ d: Word) throws { try table.accum(a, W(truncating: d)) }
    func read(_ a: Int) throws -> Word { try table.read(a).word }
    func swap(_ a: Int, _ v: Word?) throws -> Word { try table.swap(a, v.map { W(truncating: $0) }).word }
    func registers(_ a: Int) throws -> (reference: Word, accumulator: Word, deltaCount: UInt64) {
        let r = try table.registers(a)
        return (r.reference.word, r.accumulator.word, r.deltaCount)
    }
    func nonZero() -> [Int: Word] {
        Dictionary(uniqueKeysWithValues: table.nonZeroStates().map { ($0.address, $0.state.word) })
    }
}

@Suite("Delta-state algebra properties")
struct AlgebraPropertyTests {
    static let widths = [1, 2, 7, 8, 13, 63, 64, 65, 127, 128, 200, 511, 512]
    static let seed: UInt64 = 0xA70_311C

    /// Values may be up to 8 bits wider than the context (the table must mask them).
    static func valueBits(_ width: Int) -> Int { min(width + 8, Word.maxBits) }

    @Test("ACCUM order does not matter (commutativity), and accum(a ^ b) == accum(a); accum(b)", arguments: widths)
    func accumOrderCommutes(width: Int) throws {
        var rng = StimulusRandom(seed: Self.seed, name: "commute-\(width)")
        let mask = Word.mask(width: width)
        for _ in 0..<25 {
            let initial = randomWord(&rng, bits: Self.valueBits(width))
            let deltas = (0..<Int(rng.below(12)) + 1).map { _ in randomWord(&rng, bits: Self.valueBits(width)) }
            var shuffled = deltas
            shuffled.shuffle(using: &rng)
            try forEachWordType(width: width) { t in
                try t.load(1, initial)
                for d in deltas { try t.accum(1, d) }
                try t.load(2, initial)
                for d in shuffled { try t.accum(2, d) }
                try t.load(3, initial)
                try t.accum(3, deltas.reduce(Word.zero, ^))
                let expected = (deltas.reduce(initial, ^)) & mask
                #expect(try t.read(1) == expected, "\(t.typeName) width \(width)")
                #expect(try t.read(2) == expected, "\(t.typeName) width \(width)")
                #expect(try t.read(3) == expected, "\(t.typeName) width \(width)")
                let r1 = try t.registers(1), r2 = try t.registers(2), r3 = try t.registers(3)
                #expect(r1.accumulator == r2.accumulator && r1.accumulator == r3.accumulator)
                #expect(r1.deltaCount == UInt64(deltas.count) && r2.deltaCount == UInt64(deltas.count))
                #expect(r3.deltaCount == 1)
            }
        }
    }

    @Test("ACCUM d twice is the identity (self-inverse); ACCUM 0 changes nothing but counts", arguments: widths)
    func accumSelfInverse(width: Int) throws {
        var rng = StimulusRandom(seed: Self.seed, name: "inverse-\(width)")
        for _ in 0..<25 {
            let v = randomWord(&rng, bits: Self.valueBits(width))
            let pre = randomWord(&rng, bits: Self.valueBits(width))
            let d = randomWord(&rng, bits: Self.valueBits(width))
            try forEachWordType(width: width) { t in
                try t.load(0, v)
                try t.accum(0, pre)
                let before = try t.registers(0)
                let state = try t.read(0)
                try t.accum(0, d)
                try t.accum(0, d)
                let after = try t.registers(0)
                #expect(try t.read(0) == state, "\(t.typeName) width \(width)")
                #expect(after.reference == before.reference && after.accumulator == before.accumulator)
                #expect(after.deltaCount == before.deltaCount + 2)
                try t.accum(0, .zero)
                #expect(try t.read(0) == state)
                #expect(try t.registers(0).deltaCount == before.deltaCount + 3)
            }
        }
    }

    @Test("SWAP v returns the old state, then READ returns v (masked)", arguments: widths)
    func swapThenRead(width: Int) throws {
        var rng = StimulusRandom(seed: Self.seed, name: "swap-read-\(width)")
        let mask = Word.mask(width: width)
        for _ in 0..<25 {
            let v = randomWord(&rng, bits: Self.valueBits(width))
            let d = randomWord(&rng, bits: Self.valueBits(width))
            let n = randomWord(&rng, bits: Self.valueBits(width))
            try forEachWordType(width: width) { t in
                try t.load(3, v)
                try t.accum(3, d)
                #expect(try t.swap(3, n) == (v ^ d) & mask, "\(t.typeName) width \(width)")
                #expect(try t.read(3) == n & mask, "\(t.typeName) width \(width)")
                let r = try t.registers(3)
                #expect(r.reference == n & mask && r.accumulator == .zero && r.deltaCount == 0)
            }
        }
    }

    @Test("SWAP-keep returns the state and keeps it; the accumulator folds into the reference", arguments: widths)
    func swapKeepKeepsState(width: Int) throws {
        var rng = StimulusRandom(seed: Self.seed, name: "swap-keep-\(width)")
        for _ in 0..<25 {
            let v = randomWord(&rng, bits: Self.valueBits(width))
            let deltas = (0..<Int(rng.below(4)) + 1).map { _ in randomWord(&rng, bits: Self.valueBits(width)) }
            try forEachWordType(width: width) { t in
                try t.load(2, v)
                for d in deltas { try t.accum(2, d) }
                let state = try t.read(2)
                #expect(try t.swap(2, nil) == state, "\(t.typeName) width \(width)")
                #expect(try t.read(2) == state)
                let r = try t.registers(2)
                #expect(r.reference == state && r.accumulator == .zero && r.deltaCount == 0)
                // A second SWAP-keep is a no-op on the state.
                #expect(try t.swap(2, nil) == state)
                #expect(try t.read(2) == state)
            }
        }
    }

    @Test("SWAP 0 sets the state to 0 (unlike SWAP-keep)", arguments: widths)
    func swapZeroClears(width: Int) throws {
        var rng = StimulusRandom(seed: Self.seed, name: "swap-zero-\(width)")
        let mask = Word.mask(width: width)
        for _ in 0..<25 {
            var v = randomWord(&rng, bits: width)
            if v.isZero { v = Word(1) }
            try forEachWordType(width: width) { t in
                try t.load(0, v)
                try t.load(1, v)
                #expect(try t.swap(0, .zero) == v & mask)
                #expect(try t.read(0) == .zero, "\(t.typeName) width \(width)")
                #expect(try t.swap(1, nil) == v & mask)
                #expect(try t.read(1) == v & mask, "\(t.typeName) width \(width)")
                #expect(t.nonZero() == [1: v & mask])
            }
        }
    }

    @Test("LOAD sets the reference and clears the accumulator and delta count", arguments: widths)
    func loadClearsDeltaCount(width: Int) throws {
        var rng = StimulusRandom(seed: Self.seed, name: "load-\(width)")
        let mask = Word.mask(width: width)
        for _ in 0..<25 {
            let k = Int(rng.below(10)) + 1
            let v = randomWord(&rng, bits: Self.valueBits(width))
            let deltas = (0..<k).map { _ in randomWord(&rng, bits: Self.valueBits(width)) }
            try forEachWordType(width: width) { t in
                for d in deltas { try t.accum(0, d) }
                #expect(try t.registers(0).deltaCount == UInt64(k))
                try t.load(0, v)
                let r = try t.registers(0)
                #expect(r.deltaCount == 0 && r.accumulator == .zero && r.reference == v & mask, "\(t.typeName) width \(width)")
                #expect(try t.read(0) == v & mask)
            }
        }
    }

    @Test("contexts are independent: random streams agree with a dictionary model", arguments: [1, 8, 64, 65, 512])
    func randomStreamsMatchModel(width: Int) throws {
        var rng = StimulusRandom(seed: Self.seed, name: "model-\(width)")
        let mask = Word.mask(width: width)
        let contexts = 5
        try forEachWordType(width: width, contexts: contexts) { t in
            var model: [Int: (ref: Word, acc: Word)] = [:]
            for step in 0..<2000 {
                let a = Int(rng.below(UInt64(contexts)))
                let v = randomWord(&rng, bits: Self.valueBits(width))
                let m = model[a] ?? (.zero, .zero)
                switch rng.below(5) {
                case 0: try t.load(a, v); model[a] = (v & mask, .zero)
                case 1: try t.accum(a, v); model[a] = (m.ref, (m.acc ^ v) & mask)
                case 2: #expect(try t.read(a) == (m.ref ^ m.acc) & mask, "step \(step)")
                case 3:
                    #expect(try t.swap(a, nil) == (m.ref ^ m.acc) & mask, "step \(step)")
                    model[a] = ((m.ref ^ m.acc) & mask, .zero)
                default:
                    #expect(try t.swap(a, v) == (m.ref ^ m.acc) & mask, "step \(step)")
                    model[a] = (v & mask, .zero)
                }
            }
            let expected = model.compactMapValues { s -> Word? in
                let state = (s.ref ^ s.acc) & mask
                return state.isZero ? nil : state
            }
            #expect(t.nonZero() == expected, "\(t.typeName) width \(width)")
        }
    }

    @Test("reset clears every context: references, accumulators and delta counts")
    func tableReset() throws {
        for width in [1, 64, 65, 512] {
            func check<W: ContextWord>(_: W.Type) throws {
                let t = try AtomikTable<W>(contexts: 8, width: width)
                for a in 0..<8 {
                    try t.load(a, W(truncating: Word.mask(width: 512)))
                    try t.accum(a, W(truncating: Word(1)))
                }
                t.reset()
                #expect(t.nonZeroStates().isEmpty, "\(W.self) width \(width)")
                for a in 0..<8 {
                    let r = try t.registers(a)
                    #expect(r.reference == .zero && r.accumulator == .zero && r.deltaCount == 0)
                }
            }
            if width <= 64 { try check(UInt64.self) }
            try check(Word.self)
        }
    }

    // MARK: - Errors

    @Test("an address outside 0..<contexts throws addressOutOfRange for both word types, and changes nothing")
    func addressOutOfRange() throws {
        for contexts in [1, 4, 256] {
            try forEachWordType(width: 8, contexts: contexts) { t in
                try t.load(0, Word(0x5A))
                for a in [-1, contexts, contexts + 1, Int.max, Int.min] {
                    let error = AtomikError.addressOutOfRange(a, contexts: contexts)
                    #expect(throws: error) { try t.load(a, Word(1)) }
                    #expect(throws: error) { try t.accum(a, Word(1)) }
                    #expect(throws: error) { _ = try t.read(a) }
                    #expect(throws: error) { _ = try t.swap(a, nil) }
                    #expect(throws: error) { _ = try t.swap(a, Word(3)) }
                    #expect(throws: error) { _ = try t.registers(a) }
                }
                #expect(t.nonZero() == [0: Word(0x5A)], "\(t.typeName)")
                #expect(try t.registers(0).deltaCount == 0)
            }
        }
        #expect(AtomikError.addressOutOfRange(300, contexts: 256).description == "address 300 out of range [0, 255]")
    }

    @Test("widths outside 1...capacity and bad context counts are rejected")
    func invalidSizes() throws {
        for w in [0, -1, 513, 1000] {
            #expect(throws: AtomikError.invalidWidth(w, allowed: 1...512)) { _ = try AtomikTable<Word>(contexts: 4, width: w) }
            #expect(throws: AtomikError.invalidWidth(w, allowed: 1...512)) { _ = try AtomikContext<Word>(width: w) }
        }
        for w in [0, 65, 512] {
            #expect(throws: AtomikError.invalidWidth(w, allowed: 1...64)) { _ = try AtomikTable<UInt64>(contexts: 4, width: w) }
            #expect(throws: AtomikError.invalidWidth(w, allowed: 1...64)) { _ = try AtomikContext<UInt64>(width: w) }
        }
        let maxContexts = AtomikTable<Word>.maxContexts
        for c in [0, -3, maxContexts + 1] {
            #expect(throws: AtomikError.invalidContextCount(c, allowed: 1...maxContexts)) { _ = try AtomikTable<Word>(contexts: c, width: 8) }
            #expect(throws: AtomikError.invalidContextCount(c, allowed: 1...maxContexts)) { _ = try AtomikTable<UInt64>(contexts: c, width: 8) }
        }
        // The edges are accepted.
        _ = try AtomikTable<Word>(contexts: 1, width: 1)
        _ = try AtomikTable<Word>(contexts: 1, width: 512)
        _ = try AtomikTable<UInt64>(contexts: 1, width: 64)
        _ = try AtomikContext<Word>(width: 512)
    }

    // MARK: - Masking

    @Test("values are masked to the width on LOAD, ACCUM and SWAP", arguments: [1, 63, 64, 65, 512])
    func masking(width: Int) throws {
        let allOnes = Word.mask(width: 512)
        // The mask, computed bit by bit.
        var limbs = SIMD8<UInt64>(repeating: 0)
        for i in 0..<width { limbs[i >> 6] |= 1 << UInt64(i & 63) }
        let mask = Word(limbs: limbs)
        #expect(Word.mask(width: width) == mask)
        #expect(mask.bitLength == width)
        if width <= 64 { #expect(UInt64.mask(width: width) == mask.low64) }
        try forEachWordType(width: width) { t in
            try t.load(0, allOnes)
            #expect(try t.read(0) == mask, "\(t.typeName) width \(width)")
            #expect(try t.registers(0).reference == mask)
            try t.accum(1, allOnes)
            #expect(try t.registers(1).accumulator == mask, "\(t.typeName) width \(width)")
            #expect(try t.read(1) == mask)
            #expect(try t.swap(2, allOnes) == .zero)
            #expect(try t.registers(2).reference == mask, "\(t.typeName) width \(width)")
            #expect(try t.read(2) == mask)
            if width < 512 {
                // A bit just above the width vanishes; the top bit inside stays.
                var above = SIMD8<UInt64>(repeating: 0)
                above[width >> 6] = 1 << UInt64(width & 63)
                var top = SIMD8<UInt64>(repeating: 0)
                top[(width - 1) >> 6] = 1 << UInt64((width - 1) & 63)
                try t.load(3, Word(limbs: above))
                #expect(try t.read(3) == .zero, "\(t.typeName) width \(width)")
                try t.accum(3, Word(limbs: above | top))
                #expect(try t.read(3) == Word(limbs: top), "\(t.typeName) width \(width)")
            }
        }
    }

    @Test("AtomikContext follows the same algebra as a table entry")
    func contextMatchesTable() throws {
        var rng = StimulusRandom(seed: Self.seed, name: "context")
        for width in [1, 13, 64, 65, 512] {
            var ctx = try AtomikContext<Word>(width: width)
            let table = try AtomikTable<Word>(contexts: 1, width: width)
            for _ in 0..<500 {
                let v = randomWord(&rng, bits: Self.valueBits(width))
                switch rng.below(5) {
                case 0: ctx.load(v); try table.load(0, v)
                case 1: ctx.accum(v); try table.accum(0, v)
                case 2: #expect(ctx.read() == (try table.read(0)))
                case 3: #expect(ctx.swap() == (try table.swap(0)))
                default: #expect(ctx.swap(v) == (try table.swap(0, v)))
                }
                let r = try table.registers(0)
                #expect(ctx.reference == r.reference && ctx.accumulator == r.accumulator && ctx.deltaCount == r.deltaCount)
            }
        }
    }
}
