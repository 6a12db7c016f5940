import AtomikCore
import AtomikProgram
import AtomikSupport

/// Per-cycle inputs, outputs and bank writes of a batch of cycles in columns
/// of plain integers: what the cycle model records (for co-simulation, vector
/// files and coverage) and what
/// the Verilator shim (testbench/atomik_shim.cpp) reads and writes, so a batch
/// crosses into C with no conversion.
///
/// Per cycle k: `inCtl` bit 0 rst_n, bit 1 op_valid, bits 3:2 op_code, bit 4
/// op_keep; `outCtl` bit 0 op_ready, 1 done, 2 result_valid, 3 ref write
/// enable, 4 acc write enable; data values as `words` 32-bit little-endian words.
/// Lane 0's operation and write are these columns; a unit with LANES > 1 has
/// the other lanes' in the `lane*` columns, lane j of cycle k at
/// `k * (LANES - 1) + j - 1`: `laneInCtl` as `inCtl` (bit 0 unused),
/// `laneOutCtl` bit 4 its copy's write enable, `laneOutWaddr`, `laneOutWacc`.
/// Buffers may be handed to another thread; the handing over orders the accesses.
public final class CycleBuffers: @unchecked Sendable {
    public let capacity: Int
    /// 32-bit words per data value: ceil(WIDTH / 32).
    public let words: Int
    public var count = 0
    public let inCtl: UnsafeMutablePointer<UInt8>
    public let inAddr: UnsafeMutablePointer<UInt32>
    public let inData: UnsafeMutablePointer<UInt32>
    public let outCtl: UnsafeMutablePointer<UInt8>
    public let outWaddr: UnsafeMutablePointer<UInt32>
    public let outRdata: UnsafeMutablePointer<UInt32>
    public let outWref: UnsafeMutablePointer<UInt32>
    public let outWacc: UnsafeMutablePointer<UInt32>
    /// LANES - 1.
    public let otherLanes: Int
    public let laneInCtl: UnsafeMutablePointer<UInt8>
    public let laneInAddr: UnsafeMutablePointer<UInt32>
    public let laneInData: UnsafeMutablePointer<UInt32>
    public let laneOutCtl: UnsafeMutablePointer<UInt8>
    public let laneOutWaddr: UnsafeMutablePointer<UInt32>
    public let laneOutWacc: UnsafeMutablePointer<UInt32>

    public init(capacity: Int, width: Int, lanes: Int = 1) {
        self.capacity = capacity
        words = (width + 31) / 32
        otherLanes = lanes - 1
        func zeros<T: FixedWidthInteger>(_ n: Int) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        inCtl = zeros(capacity); inAddr = zeros(capacity); inData = zeros(capacity * words)
        outCtl = zeros(capacity); outWaddr = zeros(capacity)
        outRdata = zeros(capacity * words); outWref = zeros(capacity * words); outWacc = zeros(capacity * words)
        let slots = capacity * otherLanes
        laneInCtl = zeros(slots); laneInAddr = zeros(slots); laneInData = zeros(slots * words)
        laneOutCtl = zeros(slots); laneOutWaddr = zeros(slots); laneOutWacc = zeros(slots * words)
    }

    deinit {
        for p in [inCtl, outCtl, laneInCtl, laneOutCtl] { p.deallocate() }
        for p in [inAddr, inData, outWaddr, outRdata, outWref, outWacc, laneInAddr, laneInData, laneOutWaddr, laneOutWacc] {
            p.deallocate()
        }
    }

    public var isFull: Bool { count == capacity }

    @inline(__always)
    func put<W: ContextWord>(_ w: W, _ p: UnsafeMutablePointer<UInt32>, at base: Int) {
        if W.capacity <= 64 {
            let v = w.word.low64
            if words == 2 {
                // Two little-endian words in one store.
                UnsafeMutableRawPointer(p + base).storeBytes(of: v.littleEndian, as: UInt64.self)
            } else {
                p[base] = UInt32(truncatingIfNeeded: v)
            }
        } else {
            let limbs = w.word.limbs
            for k in 0..<words { p[base + k] = UInt32(truncatingIfNeeded: limbs[k >> 1] >> UInt64((k & 1) * 32)) }
        }
    }

    /// Appends one cycle of the model.
    @inline(__always)
    public func append<W: ContextWord>(_ i: UnitInputs<W>, _ o: UnitOutputs<W>, _ w: BankWrite<W>) {
        let k = count, base = k * words
        inCtl[k] = (i.rstN ? 1 : 0) | (i.opValid ? 2 : 0) | (i.opCode.rawValue << 2) | (i.opKeep ? 16 : 0)
        inAddr[k] = UInt32(truncatingIfNeeded: i.opAddr)
        put(i.opData, inData, at: base)
        outCtl[k] = (o.opReady ? 1 : 0) | (o.done ? 2 : 0) | (o.resultValid ? 4 : 0)
            | (w.writesReference ? 8 : 0) | (w.writesAccumulator ? 16 : 0)
        outWaddr[k] = UInt32(truncatingIfNeeded: w.address)
        put(o.resultData, outRdata, at: base)
        put(w.reference, outWref, at: base)
        put(w.accumulator, outWacc, at: base)
        count = k + 1
    }

    /// Appends the other lanes' operations and writes to the cycle `append` just added.
    @inline(never)
    public func appendLanes<W: ContextWord>(_ lanes: Lanes<W>) {
        let first = (count - 1) * otherLanes
        for j in 1..<lanes.count {
            let i = lanes.inputs[j], w = lanes.writes[j], slot = first + j - 1
            laneInCtl[slot] = (i.opValid ? 2 : 0) | (i.opCode.rawValue << 2) | (i.opKeep ? 16 : 0)
            laneInAddr[slot] = UInt32(truncatingIfNeeded: i.opAddr)
            put(i.opData, laneInData, at: slot * words)
            laneOutCtl[slot] = w.writesAccumulator ? 16 : 0
            laneOutWaddr[slot] = UInt32(truncatingIfNeeded: w.address)
            put(w.accumulator, laneOutWacc, at: slot * words)
        }
    }

    /// Whether cycle `k` of `other` has the same outputs and bank writes as this one's.
    @inline(__always)
    public func matches(_ other: CycleBuffers, at k: Int) -> Bool {
        laneZeroMatches(other, at: k) && (otherLanes == 0 || otherLanesMatch(other, at: k))
    }

    /// Whether the other lanes' copies are written alike in cycle `k`: enable, and where enabled, address and value.
    @inline(never)
    func otherLanesMatch(_ other: CycleBuffers, at k: Int) -> Bool {
        for slot in k * otherLanes..<(k + 1) * otherLanes {
            if laneOutCtl[slot] != other.laneOutCtl[slot] & 16 { return false }
            if laneOutCtl[slot] == 0 { continue }
            if laneOutWaddr[slot] != other.laneOutWaddr[slot] { return false }
            for j in 0..<words where laneOutWacc[slot * words + j] != other.laneOutWacc[slot * words + j] { return false }
        }
        return true
    }

    /// Whether cycle `k` of `other` has the same outputs and lane 0's bank writes as this one's.
    @inline(__always)
    func laneZeroMatches(_ other: CycleBuffers, at k: Int) -> Bool {
        let o = outCtl[k]
        if o != other.outCtl[k] & 0x1F { return false }
        if words == 2 {
            // Up to 64 bits: one load a value (two words read as one).
            @inline(__always) func same(_ a: UnsafeMutablePointer<UInt32>, _ b: UnsafeMutablePointer<UInt32>) -> Bool {
                UnsafeRawPointer(a + 2 * k).loadUnaligned(as: UInt64.self) == UnsafeRawPointer(b + 2 * k).loadUnaligned(as: UInt64.self)
            }
            if !same(outRdata, other.outRdata) { return false }
            if o & 0x18 == 0 { return true }
            return outWaddr[k] == other.outWaddr[k] && (o & 8 == 0 || same(outWref, other.outWref))
                && (o & 16 == 0 || same(outWacc, other.outWacc))
        }
        let base = k * words
        for j in 0..<words where outRdata[base + j] != other.outRdata[base + j] { return false }
        if o & 0x18 != 0 && outWaddr[k] != other.outWaddr[k] { return false }
        if o & 8 != 0 { for j in 0..<words where outWref[base + j] != other.outWref[base + j] { return false } }
        if o & 16 != 0 { for j in 0..<words where outWacc[base + j] != other.outWacc[base + j] { return false } }
        return true
    }

    /// The data value of cycle `k` in one of the data columns (`inData`, `outRdata`, ...).
    public func word(_ column: UnsafeMutablePointer<UInt32>, at k: Int) -> Word {
        var l = SIMD8<UInt64>(repeating: 0)
        for j in 0..<words { l[j >> 1] |= UInt64(column[k * words + j]) << UInt64((j & 1) * 32) }
        return Word(limbs: l)
    }

    /// Cycle `k` as a trace record, with the inputs of `inputs` (default: this).
    public func record(_ k: Int, cycle: Int, inputs: CycleBuffers? = nil) -> TraceRecord {
        let src = inputs ?? self
        let c = src.inCtl[k], o = outCtl[k]
        var w = BankWrite<Word>()
        if o & 0x18 != 0 {
            w.address = Int(outWaddr[k])
            w.writesReference = o & 8 != 0; w.reference = word(outWref, at: k)
            w.writesAccumulator = o & 16 != 0; w.accumulator = word(outWacc, at: k)
        }
        return TraceRecord(
            cycle: cycle,
            inputs: UnitInputs(rstN: c & 1 != 0, opValid: c & 2 != 0, opCode: .init(rawValue: (c >> 2) & 3)!,
                               opKeep: c & 16 != 0, opAddr: Int(src.inAddr[k]), opData: word(src.inData, at: k)),
            outputs: UnitOutputs(opReady: o & 1 != 0, done: o & 2 != 0, resultValid: o & 4 != 0, resultData: word(outRdata, at: k)),
            write: w,
            lanes: (0..<otherLanes).map { j in
                let slot = k * otherLanes + j, c = src.laneInCtl[slot]
                var lw = BankWrite<Word>()
                if laneOutCtl[slot] & 16 != 0 {
                    lw.address = Int(laneOutWaddr[slot]); lw.writesAccumulator = true; lw.accumulator = word(laneOutWacc, at: slot)
                }
                return TraceRecord.Lane(
                    inputs: UnitInputs(opValid: c & 2 != 0, opCode: .init(rawValue: (c >> 2) & 3)!, opKeep: c & 16 != 0,
                                       opAddr: Int(src.laneInAddr[slot]), opData: word(src.laneInData, at: slot)),
                    write: lw)
            })
    }

    /// Copies the last `n` cycles (or all, if fewer) of another batch: the tail
    /// of the previous batch that a divergence window may show.
    public func copy(last n: Int, of b: CycleBuffers) {
        precondition(b.words == words && b.otherLanes == otherLanes && n <= capacity)
        count = Swift.min(n, b.count)
        let from = b.count - count, n = count, nw = count * words, wFrom = from * words
        inCtl.update(from: b.inCtl + from, count: n); inAddr.update(from: b.inAddr + from, count: n)
        inData.update(from: b.inData + wFrom, count: nw)
        outCtl.update(from: b.outCtl + from, count: n); outWaddr.update(from: b.outWaddr + from, count: n)
        outRdata.update(from: b.outRdata + wFrom, count: nw)
        outWref.update(from: b.outWref + wFrom, count: nw)
        outWacc.update(from: b.outWacc + wFrom, count: nw)
        let l = otherLanes, ln = n * l, lFrom = from * l
        laneInCtl.update(from: b.laneInCtl + lFrom, count: ln); laneInAddr.update(from: b.laneInAddr + lFrom, count: ln)
        laneInData.update(from: b.laneInData + lFrom * words, count: ln * words)
        laneOutCtl.update(from: b.laneOutCtl + lFrom, count: ln); laneOutWaddr.update(from: b.laneOutWaddr + lFrom, count: ln)
        laneOutWacc.update(from: b.laneOutWacc + lFrom * words, count: ln * words)
    }
}

/// Records the model's cycles into column buffers inside the engine's cycle
/// loop (no observer call per cycle) and hands each full batch, and the
/// partial one whenever the model drains (before a reset, at the end), to
/// `onBatch`, which returns the buffers to fill next (the same ones, or a
/// spare while the batch is being used elsewhere).
public final class CycleRecorder {
    public private(set) var buffers: CycleBuffers
    let onBatch: (CycleBuffers) throws -> CycleBuffers

    public init(_ buffers: CycleBuffers, onBatch: @escaping (CycleBuffers) throws -> CycleBuffers) {
        self.buffers = buffers
        self.onBatch = onBatch
    }

    public func flush() throws {
        guard buffers.count > 0 else { return }
        buffers = try onBatch(buffers)
        buffers.count = 0
    }
}

extension BatchWorker where Batch == CycleBuffers {
    /// `count` batches of `capacity` cycles taking turns, consumed on the worker.
    public convenience init(_ label: String, count: Int = 2, capacity: Int, width: Int, lanes: Int = 1,
                            consume: @escaping (CycleBuffers) throws -> Bool) {
        self.init(label, batches: (0..<count).map { _ in CycleBuffers(capacity: capacity, width: width, lanes: lanes) },
                  consume: consume)
    }

    /// A recorder for the model whose full batches go to the worker.
    public func recorder() -> CycleRecorder {
        CycleRecorder(first) { [unowned self] full in try self.handOver(full) }
    }
}
