import AtomikCore
import AtomikISA
import AtomikProgram

/// Writes the cycle model's per-cycle inputs and outputs as `$readmemh`
/// files for an RTL testbench, one line per cycle, from recorded batches:
///
/// - stimulus: `{rst_n, op_valid, instruction word}`, the word's fields placed
///   as `InstructionFormat` (and the generated `atomik_isa.vh`) lay them out;
///   with LANES > 1, lane 0's, and above `rst_n` each lane j > 0's
///   `{op_valid, instruction word}`, lane 1 lowest;
/// - expected: `{op_ready, done, result_valid, result_data}`.
///
/// Each line is a hex number padded to its bit width; `//` header lines may
/// come first (both simulators' `$readmemh` skip them).
public final class VectorWriter {
    /// A field of a vector line.
    public struct Field: Hashable, Sendable {
        /// The port's signal: `data`, `addr`, ..., `op_valid`, `rst_n`, `result_data`, ...
        public let signal: String
        public let lsb: Int
        public let width: Int
        /// The lane whose operation it holds (LANES > 1): its bits `[lane*width +: width]` of the signal's port.
        public var lane = 0

        /// `signal`, or `laneJ.signal` for lane J > 0.
        public var name: String { lane == 0 ? signal : "lane\(lane).\(signal)" }
    }

    /// The stimulus line's fields, least significant first.
    public static func stimulusFields(_ p: UnitParameters) -> [Field] {
        let format = InstructionFormat(width: p.width, contexts: p.contexts)
        let lane0 = format.fields.map { Field(signal: $0.name, lsb: $0.lsb, width: $0.width) }
            + [Field(signal: "op_valid", lsb: format.wordBits, width: 1), Field(signal: "rst_n", lsb: format.wordBits + 1, width: 1)]
        return lane0 + (1..<p.lanes).flatMap { j in
            let base = format.wordBits + 2 + (j - 1) * (format.wordBits + 1)
            return format.fields.map { Field(signal: $0.name, lsb: base + $0.lsb, width: $0.width, lane: j) }
                + [Field(signal: "op_valid", lsb: base + format.wordBits, width: 1, lane: j)]
        }
    }

    /// The expected line's fields, least significant first.
    public static func expectedFields(_ p: UnitParameters) -> [Field] {
        [Field(signal: "result_data", lsb: 0, width: p.width), Field(signal: "result_valid", lsb: p.width, width: 1),
         Field(signal: "done", lsb: p.width + 1, width: 1), Field(signal: "op_ready", lsb: p.width + 2, width: 1)]
    }

    let stimulus: ByteWriter
    let expected: ByteWriter?
    let width: Int
    let stimulusBits: Int
    let expectedBits: Int
    /// Positions of the fields above the data, from the layout above.
    let addrLSB: Int, keepLSB: Int, opcodeLSB: Int, validLSB: Int, resetLSB: Int
    /// Bits of an instruction word, and LANES - 1.
    let wordBits: Int, otherLanes: Int
    /// The line being built, as little-endian 64-bit limbs.
    let scratch: UnsafeMutablePointer<UInt64>
    let scratchLimbs: Int

    /// `header` lines are written first, each as a `//` comment.
    public init(_ p: UnitParameters, stimulus: ByteWriter, expected: ByteWriter?, header: [String] = []) throws {
        self.stimulus = stimulus; self.expected = expected
        width = p.width
        let s = Self.stimulusFields(p), e = Self.expectedFields(p)
        func lsb(_ name: String, _ f: [Field]) -> Int { f.first { $0.name == name }!.lsb }
        addrLSB = lsb("addr", s); keepLSB = lsb("keep", s); opcodeLSB = lsb("opcode", s)
        validLSB = lsb("op_valid", s); resetLSB = lsb("rst_n", s)
        wordBits = validLSB; otherLanes = p.lanes - 1
        precondition(lsb("data", s) == 0 && lsb("result_data", e) == 0, "data fields sit at bit 0")
        stimulusBits = s.map { $0.lsb + $0.width }.max()!
        expectedBits = e.map { $0.lsb + $0.width }.max()!
        scratchLimbs = (max(stimulusBits, expectedBits) + 63) / 64 + 1
        scratch = .allocate(capacity: scratchLimbs)
        scratch.initialize(repeating: 0, count: scratchLimbs)
        for line in header {
            try stimulus.write("// \(line)\n")
            try expected?.write("// \(line)\n")
        }
    }

    @inline(__always)
    private func set(_ value: UInt64, at bit: Int) {
        scratch[bit >> 6] |= value << UInt64(bit & 63)
        if bit & 63 != 0 { scratch[(bit >> 6) + 1] |= value >> UInt64(64 - (bit & 63)) }
    }

    @inline(__always)
    private func loadData(_ p: UnsafeMutablePointer<UInt32>, words: Int) {
        scratch.update(repeating: 0, count: scratchLimbs)
        for j in 0..<words { scratch[j >> 1] |= UInt64(p[j]) << UInt64((j & 1) * 32) }
        if width & 63 != 0 { scratch[width >> 6] &= (1 << UInt64(width & 63)) - 1 }
    }

    /// Writes the line held in `scratch` (`bits` wide) and its newline at `p`.
    @inline(__always)
    private func writeLine(bits: Int, at p: UnsafeMutablePointer<UInt8>) {
        let digits = (bits + 3) / 4
        Word.writeHex(digits: digits, into: p) { scratch[$0] }
        p[digits] = 0x0A
    }

    /// Appends `count` lines of `bits` bits, each built by `build(k)` into `scratch`.
    @inline(__always)
    private func appendLines(_ count: Int, bits: Int, to b: inout [UInt8], build: (Int) -> Void) {
        let line = (bits + 3) / 4 + 1, start = b.count
        b.append(contentsOf: repeatElement(0, count: count * line))
        b.withUnsafeMutableBufferPointer { out in
            for k in 0..<count {
                build(k)
                writeLine(bits: bits, at: out.baseAddress! + start + k * line)
            }
        }
    }

    /// Writes one recorded batch (one buffered write per file).
    public func write(_ buffers: CycleBuffers) throws {
        let words = buffers.words
        try stimulus.write { b in
            appendLines(buffers.count, bits: stimulusBits, to: &b) { k in
                let c = buffers.inCtl[k]
                loadData(buffers.inData + k * words, words: words)
                set(UInt64(buffers.inAddr[k]), at: addrLSB)
                set(UInt64((c >> 4) & 1), at: keepLSB)
                set(UInt64((c >> 2) & 3), at: opcodeLSB)
                set(UInt64((c >> 1) & 1), at: validLSB)
                set(UInt64(c & 1), at: resetLSB)
                for j in 0..<otherLanes {
                    let slot = k * otherLanes + j, lc = buffers.laneInCtl[slot], base = resetLSB + 1 + j * (wordBits + 1)
                    for w in 0..<words { set(UInt64(buffers.laneInData[slot * words + w]), at: base + 32 * w) }
                    set(UInt64(buffers.laneInAddr[slot]), at: base + addrLSB)
                    set(UInt64((lc >> 4) & 1), at: base + keepLSB)
                    set(UInt64((lc >> 2) & 3), at: base + opcodeLSB)
                    set(UInt64((lc >> 1) & 1), at: base + validLSB)
                }
            }
        }
        if let expected {
            try expected.write { b in
                appendLines(buffers.count, bits: expectedBits, to: &b) { k in
                    let o = buffers.outCtl[k]
                    loadData(buffers.outRdata + k * words, words: words)
                    set(UInt64((o >> 2) & 1), at: width)
                    set(UInt64((o >> 1) & 1), at: width + 1)
                    set(UInt64(o & 1), at: width + 2)
                }
            }
        }
    }

    deinit { scratch.deallocate() }

    public func flush() throws {
        try stimulus.flush()
        try expected?.flush()
    }
}
