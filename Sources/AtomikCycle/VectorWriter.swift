import AtomikCore
import AtomikISA
import AtomikProgram

/// Writes the cycle model's per-cycle inputs and outputs as `$readmemh`
/// files for the RTL testbench: one line per cycle.
///
/// - stimulus: `{rst_n, op_valid, instruction word}`, the word's fields placed
///   as `InstructionFormat` (and the generated `atomik_isa.vh`) lay them out;
/// - expected: `{op_ready, done, result_valid, result_data}`.
///
/// Each is a hex number padded to its bit width; lines start with the value.
public final class VectorWriter: CycleObserver {
    let stimulus: ByteWriter
    let expected: ByteWriter?
    var format = InstructionFormat(width: 64, contexts: 256)
    var lsb: [String: Int] = [:]
    var limbs: [UInt64] = []
    public private(set) var cycles = 0

    public init(stimulus: ByteWriter, expected: ByteWriter?) {
        self.stimulus = stimulus; self.expected = expected
    }

    /// Bits of a stimulus line.
    public static func stimulusBits(_ p: UnitParameters) -> Int {
        InstructionFormat(width: p.width, contexts: p.contexts).wordBits + 2
    }

    /// Bits of an expected-output line.
    public static func expectedBits(_ p: UnitParameters) -> Int { p.width + 3 }

    public func start(_ p: UnitParameters) {
        format = InstructionFormat(width: p.width, contexts: p.contexts)
        for f in format.fields { lsb[f.name] = f.lsb }
        limbs = Array(repeating: 0, count: (Self.stimulusBits(p) + 63) / 64)
    }

    private func clear() { for k in limbs.indices { limbs[k] = 0 } }

    private func set(_ value: UInt64, at bit: Int) {
        guard value != 0 else { return }
        limbs[bit >> 6] |= value << UInt64(bit & 63)
        if bit & 63 != 0, (bit >> 6) + 1 < limbs.count { limbs[(bit >> 6) + 1] |= value >> UInt64(64 - (bit & 63)) }
    }

    private func set(_ word: Word, bits: Int, at bit: Int) {
        for k in 0..<(bits + 63) / 64 { set(word.limbs[k], at: bit + 64 * k) }
    }

    private func appendHex(bits: Int, to b: inout [UInt8]) {
        for d in stride(from: (bits + 3) / 4 - 1, through: 0, by: -1) {
            b.append(hexDigit(Int((limbs[d >> 4] >> UInt64((d & 15) * 4)) & 0xF)))
        }
        b.append(0x0A)
    }

    private func hexDigit(_ n: Int) -> UInt8 { n < 10 ? 0x30 + UInt8(n) : 0x57 + UInt8(n) }

    public func record(_ r: TraceRecord, unit: any CycleUnit) throws {
        let i = r.inputs, o = r.outputs
        let w = format.width
        clear()
        set(i.opData, bits: w, at: lsb["data"]!)
        set(UInt64(i.opAddr), at: lsb["addr"]!)
        set(i.opKeep ? 1 : 0, at: lsb["keep"]!)
        set(UInt64(i.opCode.rawValue), at: lsb["opcode"]!)
        set(i.opValid ? 1 : 0, at: format.wordBits)
        set(i.rstN ? 1 : 0, at: format.wordBits + 1)
        try stimulus.write { appendHex(bits: format.wordBits + 2, to: &$0) }
        if let expected {
            clear()
            set(o.resultData, bits: w, at: 0)
            set(o.resultValid ? 1 : 0, at: w)
            set(o.done ? 1 : 0, at: w + 1)
            set(o.opReady ? 1 : 0, at: w + 2)
            try expected.write { appendHex(bits: w + 3, to: &$0) }
        }
        cycles += 1
    }

    public func finish(cycles: Int) throws {
        try stimulus.flush()
        try expected?.flush()
    }
}
