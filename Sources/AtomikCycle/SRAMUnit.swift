import AtomikCore
import AtomikISA

/// STORAGE = sram: both banks in synchronous-read memories with one read and
/// one write port (iCE40 `SB_RAM40_4K`, an ASIC two-port SRAM macro), read
/// latency L = 1 or 2, read-before-write on a same-address collision, and no
/// reset of their contents.
///
/// Every operation flows through the same pipeline: the edge that accepts it
/// also presents its address to both memories; L edges later the read data is
/// there, the execute stage computes the new reference and accumulator and the
/// result, and that edge writes the banks and loads the result register. So a
/// READ/SWAP result appears L+1 cycles after the op, against 1 cycle for `ff`.
///
/// Hazards: an operation that reads a context written by one of the L
/// operations ahead of it sees stale memory data. The last L writes are kept in
/// forwarding registers (`fw1_*`: the last edge, `fw2_*`: the one before) and
/// override the memory data on an address match, newest first, so
/// back-to-back operations on one context never stall.
///
/// Reset: the memories cannot be cleared at once, so after `rst_ni` rises a
/// sweep writes zero to every context, one per cycle, with `op_ready_o` low:
/// CONTEXTS stall cycles after each reset.
public struct SRAMUnit<W: ContextWord, Latency: ReadLatency>: CycleUnit {
    /// One pipeline stage's operation. The RTL's `*_valid_q`, `*_code_q`,
    /// `*_keep_q` and `*_addr_q` are packed in one number, `addr << 4 | row`,
    /// where `row` is the decoder's row for the first three: the execute stage
    /// has its row at once, and the cycle loop carries fewer values.
    struct Stage {
        var tag = 0
        var data: W = .zero

        init() {}
        init(control: Int, addr: Int, data: W) { tag = addr << 4 | control; self.data = data }

        var control: Int { tag & 15 }
        var addr: Int { tag >> 4 }
        var valid: Bool { tag & 8 != 0 }
        var code: Opcode { Opcode(rawValue: UInt8(truncatingIfNeeded: tag >> 1) & 3)! }
        var keep: Bool { tag & 1 != 0 }
    }

    /// One forwarding register: a context's reference and accumulator as
    /// written. `fw*_valid_q` and `fw*_addr_q` are packed as `addr << 1 | valid`,
    /// so a hit is one compare with `key(ex.addr)`.
    struct Forward {
        var tag = 0
        var ref: W = .zero
        var acc: W = .zero

        init() {}
        init(valid: Bool, addr: Int, ref: W, acc: W) {
            tag = addr << 1 | (valid ? 1 : 0); self.ref = ref; self.acc = acc
        }

        var valid: Bool { tag & 1 != 0 }
        var addr: Int { tag >> 1 }
        /// The tag of a valid write to `addr`.
        static func key(_ addr: Int) -> Int { addr << 1 | 1 }
    }

    public let parameters: UnitParameters
    /// L, fixed by the type so that each latency's cycle loop is compiled on its own.
    var latency: Int { Latency.cycles }
    let ref_mem: UnsafeMutablePointer<W>
    let acc_mem: UnsafeMutablePointer<W>
    let decoder = Decoder.rows
    var ref_rdata_q: W = .zero, acc_rdata_q: W = .zero
    var ref_rdata2_q: W = .zero, acc_rdata2_q: W = .zero
    var rd = Stage()
    var ex = Stage()
    var fw1 = Forward()
    var fw2 = Forward()
    /// `clr_busy_q` and `clr_addr_q` in one number: the address being
    /// cleared, or -1 when no sweep runs (`clr_addr_q` is then 0).
    var clr = -1
    var clr_busy_q: Bool { clr >= 0 }
    var clr_addr_q: Int { max(clr, 0) }
    var result_data_q: W = .zero
    var result_valid_q = false
    var done_q = false

    public init(_ parameters: UnitParameters, banks: Banks<W>) {
        (ref_mem, acc_mem) = banks.words(for: parameters)
        precondition(parameters.readLatency == Latency.cycles)
        self.parameters = parameters
    }

    @inline(__always) public func outputs(rstN: Bool) -> UnitOutputs<W> {
        guard rstN else { return UnitOutputs(opReady: false, done: false, resultValid: false, resultData: .zero) }
        return UnitOutputs(opReady: clr < 0, done: done_q, resultValid: result_valid_q, resultData: result_data_q)
    }

    public var busy: Bool { rd.valid || ex.valid }

    @inline(__always) public mutating func clock(_ i: UnitInputs<W>) -> BankWrite<W> {
        guard i.rstN else {
            rd = Stage(); ex = Stage(); fw1 = Forward(); fw2 = Forward()
            // The memories' read registers have no reset: they go on reading the op port's address.
            ref_rdata2_q = ref_rdata_q; acc_rdata2_q = acc_rdata_q
            ref_rdata_q = ref_mem[i.opAddr]; acc_rdata_q = acc_mem[i.opAddr]
            clr = 0
            result_data_q = .zero; result_valid_q = false; done_q = false
            return BankWrite()
        }
        let accepted = i.opValid && clr < 0
        let incoming = Stage(control: Decoder.index(valid: accepted, code: i.opCode, keep: i.opKeep),
                             addr: i.opAddr, data: i.opData)

        // Memory read port: address from the op port, read before this edge's write.
        let readRef = ref_mem[i.opAddr], readAcc = acc_mem[i.opAddr]

        // Execute stage: memory data, overridden by the newest matching write.
        var r = latency == 1 ? ref_rdata_q : ref_rdata2_q
        var a = latency == 1 ? acc_rdata_q : acc_rdata2_q
        // One compare each, which rarely matches on a random stream (a branch on
        // `valid` alone would change with every operation).
        let exAddr = ex.addr, hit = Forward.key(exAddr)
        if latency == 2 && fw2.tag == hit { r = fw2.ref; a = fw2.acc }
        if fw1.tag == hit { r = fw1.ref; a = fw1.acc }

        let row = decoder[ex.control]
        let (newRef, newAcc, state) = Decoder.execute(row, data: ex.data, ref: r, acc: a)
        let nextResultValid = row.producesResult
        let nextResultData = Decoder.result(row, value: state, held: result_data_q)
        let nextFw1 = Forward(valid: row.writesAccumulator, addr: exAddr, ref: newRef, acc: newAcc)

        // The memories' write port: one write per edge, an enable per bank,
        // applied as masks (the enables change with every operation).
        var write = BankWrite(address: exAddr, writesReference: row.writesReference, reference: newRef,
                              writesAccumulator: row.writesAccumulator, accumulator: newAcc)
        var refEnable = W(everyLimb: row.refWrite), accEnable = W(everyLimb: row.accWrite)
        if clr >= 0 {
            write = BankWrite(address: clr, writesReference: true, reference: .zero,
                              writesAccumulator: true, accumulator: .zero)
            refEnable = W(everyLimb: ~0); accEnable = refEnable
            clr = clr == parameters.contexts - 1 ? -1 : clr + 1
        }
        let oldRef = ref_mem[write.address], oldAcc = acc_mem[write.address]
        ref_mem[write.address] = oldRef ^ (write.reference ^ oldRef) & refEnable
        acc_mem[write.address] = oldAcc ^ (write.accumulator ^ oldAcc) & accEnable

        // Commit: every register takes its next value at once (those of the
        // second read cycle only exist with L = 2).
        if latency == 2 {
            ref_rdata2_q = ref_rdata_q; acc_rdata2_q = acc_rdata_q
            ex = rd; rd = incoming
            fw2 = fw1
        } else {
            ex = incoming
        }
        ref_rdata_q = readRef; acc_rdata_q = readAcc
        fw1 = nextFw1
        result_valid_q = nextResultValid; result_data_q = nextResultData
        done_q = accepted
        return write
    }

    /// A context the pending clear sweep has yet to reach is already zero to the program: no operation
    /// can touch it before the sweep does (`op_ready_o` is low until the sweep ends).
    public func bank(_ address: Int) -> (reference: W, accumulator: W) {
        clr >= 0 && address >= clr ? (.zero, .zero) : (ref_mem[address], acc_mem[address])
    }

    /// Paths below `atomik_unit` as in rtl/atomik_unit_sram.v (`g_sram.u_unit`);
    /// the memories' words are `u_ref_mem.\\mem[i]`, as Icarus names them.
    public func registers(bankLimit: Int, unknown: UnknownWords) -> [(name: String, bits: Int, value: Word?)] {
        let w = parameters.width, ab = parameters.addressBits, unit = RTLNames.scope
        func bit(_ b: Bool) -> Word { Word(b ? 1 : 0) }
        func stage(_ p: String, _ s: Stage) -> [(String, Int, Word?)] {
            [(unit + "\(p)_valid_q", 1, bit(s.valid)), (unit + "\(p)_code_q", 2, Word(UInt64(s.code.rawValue))),
             (unit + "\(p)_keep_q", 1, bit(s.keep)), (unit + "\(p)_addr_q", ab, Word(UInt64(s.addr))),
             (unit + "\(p)_data_q", w, s.data.word)]
        }
        func forward(_ p: String, _ f: Forward) -> [(String, Int, Word?)] {
            [(unit + "\(p)_valid_q", 1, bit(f.valid)), (unit + "\(p)_addr_q", ab, Word(UInt64(f.addr))),
             (unit + "\(p)_ref_q", w, f.ref.word), (unit + "\(p)_acc_q", w, f.acc.word)]
        }
        var regs: [(String, Int, Word?)] = [
            (unit + "done_q", 1, bit(done_q)), (unit + "result_valid_q", 1, bit(result_valid_q)),
            (unit + "result_data_q", w, result_data_q.word),
            (unit + "clr_busy_q", 1, bit(clr_busy_q)), (unit + "clr_addr_q", ab, Word(UInt64(clr_addr_q))),
        ]
        if latency == 2 { regs += stage("rd", rd) }
        regs += stage("ex", ex) + forward("fw1", fw1)
        if latency == 2 { regs += forward("fw2", fw2) }
        for (m, rdata, rdata2, mem) in [(0, ref_rdata_q, ref_rdata2_q, ref_mem), (1, acc_rdata_q, acc_rdata2_q, acc_mem)] {
            regs.append((RTLNames.rdata[m], w, rdata.word))
            if latency == 2 { regs.append((RTLNames.rdata2[m], w, rdata2.word)) }
            for c in 0..<min(parameters.contexts, bankLimit) {
                let x = unknown.memories.count == 2 && unknown.memories[m][c]
                regs.append((unit + RTLNames.memories[m] + "\\mem[\(c)]", w, x ? nil : mem[c].word))
            }
        }
        return regs.map { r in (r.0, r.1, unknown.registers.contains(r.0) ? nil : r.2) }
    }

    /// At power-on everything is x; the first edge (in reset) clears what has a reset.
    public func unknownsAtPowerOn() -> UnknownWords {
        UnknownWords(memories: Array(repeating: Array(repeating: true, count: parameters.contexts), count: 2),
                     registers: Set(registers(bankLimit: 0, unknown: UnknownWords()).map(\.name)))
    }

    /// As the RTL computes it, word by word (a word is x or known as a whole:
    /// memories are written whole, and the datapath only selects and XORs words).
    public func trackUnknowns(_ x: inout UnknownWords, acrossEdge i: UnitInputs<Word>) {
        // Values before the edge, read before any is updated. The execute stage's operands
        // are the newest matching forwarding register, else the memory's data.
        let hit = Forward.key(ex.addr)
        let source = fw1.tag == hit ? RTLNames.forwarded[0] : latency == 2 && fw2.tag == hit ? RTLNames.forwarded[1]
            : latency == 1 ? RTLNames.rdata : RTLNames.rdata2
        let xRef = x.registers.contains(source[0]), xAcc = x.registers.contains(source[1])
        let xRdata = RTLNames.rdata.map { x.registers.contains($0) }, xFw1 = RTLNames.forwarded[0].map { x.registers.contains($0) }
        // The read registers clock in reset too: the word at the op port's address, before this edge's write.
        for m in 0..<2 {
            x.set(RTLNames.rdata[m], unknown: i.opAddr >= parameters.contexts || x.memories[m][i.opAddr])
            if latency == 2 { x.set(RTLNames.rdata2[m], unknown: xRdata[m]) }
        }
        guard i.rstN else {
            // Every other register has an asynchronous reset; memories keep their words.
            x.registers = x.registers.filter { RTLNames.rdata.contains($0) || RTLNames.rdata2.contains($0) }
            return
        }
        var newRef = xRef, newAcc = xAcc
        if ex.valid {
            switch ex.code {
            case .load: newRef = false; newAcc = false
            case .accum, .read: break
            case .swap: newRef = ex.keep && (xRef || xAcc); newAcc = false
            }
        }
        let row = decoder[ex.control]
        if row.producesResult { x.set(RTLNames.scope + "result_data_q", unknown: xRef || xAcc) }
        for k in 0..<2 {
            x.set(RTLNames.forwarded[1][k], unknown: xFw1[k])
            x.set(RTLNames.forwarded[0][k], unknown: k == 0 ? newRef : newAcc)
        }
        if clr >= 0 {
            x.memories[0][clr] = false; x.memories[1][clr] = false
        } else {
            if row.writesReference { x.memories[0][ex.addr] = newRef }
            if row.writesAccumulator { x.memories[1][ex.addr] = newAcc }
        }
    }
}

/// The RTL's names (below `atomik_unit`) of the sram unit's registers that can hold x.
private enum RTLNames {
    static let scope = "g_sram.u_unit.", memories = ["u_ref_mem.", "u_acc_mem."]
    static let rdata = memories.map { scope + $0 + "rdata_q" }
    static let rdata2 = memories.map { scope + $0 + "g_output_register.rdata2_q" }
    /// fw1 (reference, accumulator), then fw2.
    static let forwarded = ["fw1", "fw2"].map { f in ["ref", "acc"].map { scope + f + "_\($0)_q" } }
}

/// The read latency of the `sram` storage's memories, as a type.
public protocol ReadLatency { static var cycles: Int { get } }
public enum OneCycleRead: ReadLatency { public static var cycles: Int { 1 } }
public enum TwoCycleRead: ReadLatency { public static var cycles: Int { 2 } }
