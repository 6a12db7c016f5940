import AtomikCore
import AtomikISA

/// The lanes of a unit with LANES > 1: per lane, the operation on its slice
/// of the `op_*` ports, the write of its accumulator copy at the last edge,
/// and its registers. The engine fills lanes 1... before each edge (lane 0
/// is `clock`'s argument) and the recorder reads the writes after it; the
/// unit, a plain value, reaches them through this shared storage, as it
/// reaches its banks.
public final class Lanes<W: ContextWord> {
    /// LANES.
    public let count: Int
    /// The port's operation of each lane (`rstN` unused). Idle lanes have `opValid` 0 and the other fields 0.
    public let inputs: UnsafeMutablePointer<UnitInputs<W>>
    /// Each copy's write at the last edge (`writesReference` only in lane 0).
    public let writes: UnsafeMutablePointer<BankWrite<W>>
    // Registers, by lane: ex_addr_q, ex_data_q, fw_hit_q, fw_acc_q, and the copy's read register.
    let exAddr: UnsafeMutablePointer<Int>
    let exData: UnsafeMutablePointer<W>
    let fwHit: UnsafeMutablePointer<Bool>
    let fwAcc: UnsafeMutablePointer<W>
    let rdata: UnsafeMutablePointer<W>
    /// The copies as the execute stage sees them (forwarded), within one edge.
    let now: UnsafeMutablePointer<W>

    init(count: Int) {
        self.count = count
        func zeros<T>(_ v: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: count)
            p.initialize(repeating: v, count: count)
            return p
        }
        inputs = zeros(.idle); writes = zeros(BankWrite())
        exAddr = zeros(0); exData = zeros(.zero); fwHit = zeros(false); fwAcc = zeros(.zero); rdata = zeros(.zero)
        now = zeros(.zero)
    }

    deinit {
        inputs.deallocate(); writes.deallocate(); exAddr.deallocate(); exData.deallocate()
        fwHit.deallocate(); fwAcc.deallocate(); rdata.deallocate(); now.deallocate()
    }
}

/// LANES > 1 (STORAGE = sram, L = 1), rtl/atomik_unit_lanes.v: up to LANES
/// operations a cycle. Each lane has its own copy of the accumulators in a
/// synchronous-read memory; a context's accumulator is the XOR of its word
/// in every copy.
///
/// Issue rule: a cycle carries ACCUMs in any lanes (on any contexts, one a
/// lane), or one LOAD, READ or SWAP in lane 0 with the other lanes idle,
/// which reads every copy at its address and writes them all (LOAD and SWAP
/// clear them). Anything else in lanes 1... is ignored, as the RTL does. The
/// engine packs a program into such cycles in program order.
///
/// The pipeline is `SRAMUnit`'s at L = 1, lane by lane: the accepting edge
/// presents each copy's read address; the next edge executes, writes the
/// copies and the reference and loads the result. Each copy forwards its
/// last write; whether the execute stage reads it is decided a cycle early
/// (`fw_hit_q`). Reset: a clear sweep of every memory, `op_ready_o` low.
public struct LanesUnit<W: ContextWord>: CycleUnit {
    public let parameters: UnitParameters
    let ref_mem: UnsafeMutablePointer<W>
    /// Copy k of context c at `acc_mem[k * contexts + c]`.
    let acc_mem: UnsafeMutablePointer<W>
    let perLane: Lanes<W>
    let decoder = Decoder.rows
    /// Bit k: lane k's ACCUM is in the execute stage.
    var ex_acc_q = 0
    var ex_x_q = false
    var ex_code_q = Opcode.load
    var ex_keep_q = false
    var fw_ref_hit_q = false
    var fw_ref_q: W = .zero
    var ref_rdata_q: W = .zero
    /// `clr_busy_q` and `clr_addr_q` in one number, as in `SRAMUnit`.
    var clr = -1
    var result_data_q: W = .zero
    var result_valid_q = false
    var done_q = false

    public init(_ parameters: UnitParameters, banks: Banks<W>) {
        (ref_mem, acc_mem) = banks.words(for: parameters)
        precondition(parameters.lanes > 1 && parameters.storage == .sram && parameters.readLatency == 1)
        self.parameters = parameters
        perLane = Lanes(count: parameters.lanes)
    }

    public var lanes: Lanes<W>? { perLane }

    @inline(__always) public func outputs(rstN: Bool) -> UnitOutputs<W> {
        guard rstN else { return UnitOutputs(opReady: false, done: false, resultValid: false, resultData: .zero) }
        return UnitOutputs(opReady: clr < 0, done: done_q, resultValid: result_valid_q, resultData: result_data_q)
    }

    public var busy: Bool { ex_acc_q != 0 || ex_x_q }

    public mutating func clock(_ i: UnitInputs<W>) -> BankWrite<W> {
        let n = perLane.count, contexts = parameters.contexts
        let input = perLane.inputs, write = perLane.writes
        input[0] = i
        // The operations offered: lane 0's LOAD/READ/SWAP alone, else the ACCUM lanes.
        let inX = i.opValid && i.opCode != .accum
        // Memory read ports (addresses from the op ports, read before this edge's writes).
        let nextRefRdata = ref_mem[i.opAddr]
        guard i.rstN else {
            // Every register has an asynchronous reset but the memories' read registers.
            for k in 0..<n {
                perLane.rdata[k] = acc_mem[k * contexts + (inX ? i.opAddr : input[k].opAddr)]
                perLane.exAddr[k] = 0; perLane.exData[k] = .zero; perLane.fwHit[k] = false; perLane.fwAcc[k] = .zero
                write[k] = BankWrite()
            }
            ref_rdata_q = nextRefRdata
            ex_acc_q = 0; ex_x_q = false; ex_code_q = .load; ex_keep_q = false
            fw_ref_hit_q = false; fw_ref_q = .zero
            clr = 0
            result_data_q = .zero; result_valid_q = false; done_q = false
            return BankWrite()
        }
        var inAcc = 0
        for k in 0..<n where input[k].opValid && input[k].opCode == .accum && (k == 0 || !inX) { inAcc |= 1 << k }
        let accepted = (inX || inAcc != 0) && clr < 0

        // Execute stage: the copies (forwarded), their XOR, and lane 0's LOAD/READ/SWAP on the merged context.
        var accXor = W.zero
        for k in 0..<n {
            perLane.now[k] = perLane.fwHit[k] ? perLane.fwAcc[k] : perLane.rdata[k]
            accXor = accXor ^ perLane.now[k]
        }
        let exRef = fw_ref_hit_q ? fw_ref_q : ref_rdata_q
        let row = decoder[Decoder.index(valid: ex_x_q, code: ex_code_q, keep: ex_keep_q)]
        let exAddr0 = perLane.exAddr[0]
        let (newRef, _, state) = Decoder.execute(row, data: perLane.exData[0], ref: exRef, acc: accXor)
        let sweeping = clr >= 0

        // Each copy: an ACCUM writes its own, LOAD and SWAP clear them all, the sweep clears them.
        for k in 0..<n {
            let raddr = inX ? i.opAddr : input[k].opAddr
            let address = sweeping ? clr : ex_x_q ? exAddr0 : perLane.exAddr[k]
            let enable = sweeping || ex_acc_q & (1 << k) != 0 || row.writesAccumulator
            let value = sweeping || ex_x_q ? W.zero : perLane.now[k] ^ perLane.exData[k]
            let copy = acc_mem + k * contexts
            perLane.rdata[k] = copy[raddr]
            if enable { copy[address] = value }
            perLane.fwHit[k] = enable && address == raddr
            perLane.fwAcc[k] = value
            write[k] = BankWrite(address: address, writesReference: false, reference: .zero,
                                 writesAccumulator: enable, accumulator: value)
            perLane.exAddr[k] = input[k].opAddr; perLane.exData[k] = input[k].opData
        }
        // The reference, at lane 0's address.
        let refAddress = sweeping ? clr : exAddr0
        let refEnable = sweeping || row.writesReference
        let refValue = sweeping ? W.zero : newRef
        if refEnable { ref_mem[refAddress] = refValue }
        write[0].writesReference = refEnable; write[0].reference = refValue
        fw_ref_hit_q = refEnable && refAddress == i.opAddr
        fw_ref_q = refValue
        ref_rdata_q = nextRefRdata

        ex_acc_q = sweeping ? 0 : inAcc
        ex_x_q = inX && !sweeping
        ex_code_q = i.opCode; ex_keep_q = i.opKeep
        if sweeping { clr = clr == contexts - 1 ? -1 : clr + 1 }
        done_q = accepted
        result_valid_q = row.producesResult
        result_data_q = Decoder.result(row, value: state, held: result_data_q)
        return write[0]
    }

    /// A context the pending clear sweep has yet to reach is zero to the program, as in `SRAMUnit`.
    public func bank(_ address: Int) -> (reference: W, accumulator: W) {
        if clr >= 0 && address >= clr { return (.zero, .zero) }
        var acc = W.zero
        for k in 0..<perLane.count { acc = acc ^ acc_mem[k * parameters.contexts + address] }
        return (ref_mem[address], acc)
    }

    /// The registers that fit a waveform's word (at most 512 bits), by their
    /// RTL names below `atomik_unit` (`g_lanes.u_unit`), and the memories' words
    /// as Icarus names them. Per-lane registers are one vector each, lane k in
    /// bits `[k*N +: N]`, as in the RTL.
    public func registers(bankLimit: Int, unknown: UnknownWords) -> [(name: String, bits: Int, value: Word?)] {
        let w = parameters.width, ab = parameters.addressBits, n = perLane.count, contexts = parameters.contexts
        let unit = LanesRTLNames.scope
        func bit(_ b: Bool) -> Word { Word(b ? 1 : 0) }
        func lanes(_ bits: Int, _ value: (Int) -> Word) -> Word {
            (0..<n).reduce(Word.zero) { $0 | value($1).shifted(left: $1 * bits) }
        }
        var regs: [(String, Int, Word?)] = [
            (unit + "done_q", 1, bit(done_q)), (unit + "result_valid_q", 1, bit(result_valid_q)),
            (unit + "result_data_q", w, result_data_q.word),
            (unit + "clr_busy_q", 1, bit(clr >= 0)), (unit + "clr_addr_q", ab, Word(UInt64(max(clr, 0)))),
            (unit + "ex_acc_q", n, Word(UInt64(ex_acc_q))), (unit + "ex_x_q", 1, bit(ex_x_q)),
            (unit + "ex_code_q", 2, Word(UInt64(ex_code_q.rawValue))), (unit + "ex_keep_q", 1, bit(ex_keep_q)),
            (unit + "ex_addr_q", n * ab, lanes(ab) { Word(UInt64(perLane.exAddr[$0])) }),
            (unit + "fw_hit_q", n, lanes(1) { bit(perLane.fwHit[$0]) }),
            (unit + "fw_ref_hit_q", 1, bit(fw_ref_hit_q)), (unit + "fw_ref_q", w, fw_ref_q.word),
        ]
        if n * w <= Word.maxBits {
            regs.append((unit + "ex_data_q", n * w, lanes(w) { perLane.exData[$0].word }))
            regs.append((unit + "fw_acc_q", n * w, lanes(w) { perLane.fwAcc[$0].word }))
        }
        // Memory m: 0 the reference, 1 + k copy k.
        for m in 0...n {
            let scope = LanesRTLNames.memory(m)
            regs.append((scope + "rdata_q", w, (m == 0 ? ref_rdata_q : perLane.rdata[m - 1]).word))
            for c in 0..<min(contexts, bankLimit) {
                let x = unknown.memories.count == n + 1 && unknown.memories[m][c]
                regs.append((scope + "\\mem[\(c)]", w, x ? nil : (m == 0 ? ref_mem[c] : acc_mem[(m - 1) * contexts + c]).word))
            }
        }
        return regs.map { r in (r.0, r.1, unknown.registers.contains(r.0) ? nil : r.2) }
    }

    /// At power-on every memory word and read register is x; the first edge (in reset) clears the rest.
    public func unknownsAtPowerOn() -> UnknownWords {
        UnknownWords(memories: Array(repeating: Array(repeating: true, count: parameters.contexts), count: perLane.count + 1),
                     registers: Set(registers(bankLimit: 0, unknown: UnknownWords()).map(\.name)))
    }

    /// As the RTL computes it, word by word. Only the memories (until the clear
    /// sweep writes them) and their read registers can be x: no operation is
    /// taken before the sweep ends, and every other register has a reset.
    /// Lanes 1...'s inputs are this cycle's (`perLane.inputs`, filled before the edge).
    public func trackUnknowns(_ x: inout UnknownWords, acrossEdge i: UnitInputs<Word>) {
        let n = perLane.count, contexts = parameters.contexts
        let inX = i.opValid && i.opCode != .accum
        // The read registers clock in reset too: the word at the read address, before this edge's write.
        for m in 0...n {
            let address = m == 0 || inX ? i.opAddr : perLane.inputs[m - 1].opAddr
            x.set(LanesRTLNames.memory(m) + "rdata_q", unknown: address >= contexts || x.memories[m][address])
        }
        guard i.rstN else {
            x.registers = x.registers.filter { $0.hasSuffix("rdata_q") }
            return
        }
        if clr >= 0 { for m in 0...n { x.memories[m][clr] = false } }
    }
}

extension Word {
    /// The value moved up by `n` bits (bits past 512 are lost): a lane's field in a port or register of every lane.
    func shifted(left n: Int) -> Word {
        var l = SIMD8<UInt64>(repeating: 0)
        let whole = n >> 6, part = UInt64(n & 63)
        for i in stride(from: 7, through: whole, by: -1) {
            l[i] = limbs[i - whole] << part | (part > 0 && i - whole > 0 ? limbs[i - whole - 1] >> (64 - part) : 0)
        }
        return Word(limbs: l)
    }
}

/// The RTL's names (below `atomik_unit`) in rtl/atomik_unit_lanes.v.
private enum LanesRTLNames {
    static let scope = "g_lanes.u_unit."

    /// The scope of memory m: 0 the reference, 1 + k lane k's copy.
    static func memory(_ m: Int) -> String { scope + (m == 0 ? "u_ref_mem." : "g_lane[\(m - 1)].u_acc_mem.") }
}
