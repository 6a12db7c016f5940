import AtomikCore
import AtomikCycle
import AtomikRTL

/// Records the cycle model's per-cycle inputs, outputs and bank writes into
/// shim buffers, and hands each full batch to `onBatch` (which runs the RTL on
/// the same inputs and compares).
final class LockstepRecorder: CycleObserver {
    var model: ShimBuffers
    let onBatch: (inout ShimBuffers) throws -> Void

    init(capacity: Int, width: Int, onBatch: @escaping (inout ShimBuffers) throws -> Void) {
        model = ShimBuffers(capacity: capacity, width: width)
        self.onBatch = onBatch
    }

    func start(_ parameters: UnitParameters) throws {}

    @inline(__always)
    static func put(_ w: Word, _ array: inout [UInt32], at base: Int, words: Int) {
        for k in 0..<words {
            array[base + k] = UInt32(truncatingIfNeeded: w.limbs[k >> 1] >> UInt64((k & 1) * 32))
        }
    }

    func record<U: CycleUnit>(cycle: Int, inputs i: UnitInputs<U.W>, outputs o: UnitOutputs<U.W>, unit: U) throws {
        let k = model.count, words = model.words, w = unit.lastWrite
        model.inCtl[k] = (i.rstN ? 1 : 0) | (i.opValid ? 2 : 0) | (i.opCode.rawValue << 2) | (i.opKeep ? 16 : 0)
        model.inAddr[k] = UInt32(i.opAddr)
        Self.put(i.opData.word, &model.inData, at: k * words, words: words)
        model.outCtl[k] = (o.opReady ? 1 : 0) | (o.done ? 2 : 0) | (o.resultValid ? 4 : 0)
            | (w.writesReference ? 8 : 0) | (w.writesAccumulator ? 16 : 0)
        model.outWaddr[k] = UInt32(w.address)
        Self.put(o.resultData.word, &model.outRdata, at: k * words, words: words)
        Self.put(w.reference.word, &model.outWref, at: k * words, words: words)
        Self.put(w.accumulator.word, &model.outWacc, at: k * words, words: words)
        model.count += 1
        if model.count == model.capacity { try flush() }
    }

    func flush() throws {
        guard model.count > 0 else { return }
        try onBatch(&model)
        model.count = 0
    }

    func finish(cycles: Int) throws { try flush() }
}

extension ShimBuffers {
    /// Cycle `k` of the batch as a trace record, with this buffer's outputs.
    func record(_ k: Int, cycle: Int) -> TraceRecord {
        func word(_ a: [UInt32]) -> Word {
            var l = SIMD8<UInt64>(repeating: 0)
            for j in 0..<words { l[j >> 1] |= UInt64(a[k * words + j]) << UInt64((j & 1) * 32) }
            return Word(limbs: l)
        }
        let c = inCtl[k], o = outCtl[k]
        var w = BankWrite<Word>()
        w.address = Int(outWaddr[k])
        w.writesReference = o & 8 != 0; w.reference = word(outWref)
        w.writesAccumulator = o & 16 != 0; w.accumulator = word(outWacc)
        if w.isEmpty { w = BankWrite() }
        return TraceRecord(
            cycle: cycle,
            inputs: UnitInputs(rstN: c & 1 != 0, opValid: c & 2 != 0, opCode: .init(rawValue: (c >> 2) & 3)!,
                               opKeep: c & 16 != 0, opAddr: Int(inAddr[k]), opData: word(inData)),
            outputs: UnitOutputs(opReady: o & 1 != 0, done: o & 2 != 0, resultValid: o & 4 != 0, resultData: word(outRdata)),
            write: w)
    }

    /// Whether cycle `k` of `rtl` matches cycle `k` of this (the model's) buffer.
    @inline(__always)
    func matches(_ rtl: ShimBuffers, at k: Int) -> Bool {
        let o = outCtl[k]
        if o != rtl.outCtl[k] & 0x1F { return false }
        let base = k * words
        for j in 0..<words where outRdata[base + j] != rtl.outRdata[base + j] { return false }
        if o & 0x18 != 0 && outWaddr[k] != rtl.outWaddr[k] { return false }
        if o & 8 != 0 { for j in 0..<words where outWref[base + j] != rtl.outWref[base + j] { return false } }
        if o & 16 != 0 { for j in 0..<words where outWacc[base + j] != rtl.outWacc[base + j] { return false } }
        return true
    }
}
