import AtomikCore
import AtomikISA

/// STORAGE = ff: both banks in flip-flops with combinational read. The
/// operation sampled at an edge takes effect at that edge, and a READ/SWAP
/// result is in `result_data_q` in the next cycle. With one context this is,
/// cycle for cycle, ATOMiK Core v2 (`result_data_o` = `data_out`,
/// `done_o` = `data_valid`).
///
/// Registers (RTL names): `ref_q[C]`, `acc_q[C]`, `result_data_q`,
/// `result_valid_q`, `done_q`.
public final class FlipFlopUnit<W: ContextWord>: CycleUnit {
    public let parameters: UnitParameters
    let mask: W
    var ref_q: UnsafeMutablePointer<W>
    var acc_q: UnsafeMutablePointer<W>
    var result_data_q: W = .zero
    var result_valid_q = false
    var done_q = false
    public private(set) var lastWrite = BankWrite<W>()

    public init(_ parameters: UnitParameters) throws {
        try parameters.validate()
        precondition(parameters.width <= W.capacity)
        self.parameters = parameters
        mask = W.mask(width: parameters.width)
        ref_q = .allocate(capacity: parameters.contexts)
        ref_q.initialize(repeating: .zero, count: parameters.contexts)
        acc_q = .allocate(capacity: parameters.contexts)
        acc_q.initialize(repeating: .zero, count: parameters.contexts)
    }

    deinit {
        ref_q.deinitialize(count: parameters.contexts); ref_q.deallocate()
        acc_q.deinitialize(count: parameters.contexts); acc_q.deallocate()
    }

    @inline(__always) public func outputs(rstN: Bool) -> UnitOutputs<W> {
        guard rstN else { return UnitOutputs(opReady: true, done: false, resultValid: false, resultData: .zero) }
        return UnitOutputs(opReady: true, done: done_q, resultValid: result_valid_q, resultData: result_data_q)
    }

    public var busy: Bool { false }

    /// The decoder is written as selects rather than branches on the opcode:
    /// a random operation mix would otherwise mispredict on most cycles.
    @inline(__always) public func clock(_ i: UnitInputs<W>) {
        guard i.rstN else {
            ref_q.update(repeating: .zero, count: parameters.contexts)
            acc_q.update(repeating: .zero, count: parameters.contexts)
            result_data_q = .zero; result_valid_q = false; done_q = false
            lastWrite = BankWrite()
            return
        }
        let a = i.opAddr
        let data = i.opData & mask
        let ref = ref_q[a], acc = acc_q[a]
        let current = ref ^ acc
        let code = i.opCode
        let isAccum = code == .accum, isRead = code == .read
        // LOAD: ref = data, acc = 0. ACCUM: acc ^= data. SWAP: ref = keep ? state : data, acc = 0.
        let writesRef = i.opValid && (code == .load || code == .swap)
        let writesAcc = i.opValid && !isRead
        let newRef = code == .swap && i.opKeep ? current : data
        let newAcc = isAccum ? acc ^ data : W.zero
        ref_q[a] = writesRef ? newRef : ref
        acc_q[a] = writesAcc ? newAcc : acc
        let result = i.opValid && (isRead || code == .swap)
        result_data_q = result ? current : result_data_q
        result_valid_q = result
        done_q = i.opValid
        lastWrite.address = a
        lastWrite.writesReference = writesRef; lastWrite.reference = newRef
        lastWrite.writesAccumulator = writesAcc; lastWrite.accumulator = newAcc
    }

    public func bank(_ address: Int) -> (reference: W, accumulator: W) { (ref_q[address], acc_q[address]) }

    /// Paths below `atomik_unit` as in rtl/atomik_unit_ff.v (`g_ff.u_unit`).
    public func registers(bankLimit: Int) -> [(name: String, bits: Int, value: Word)] {
        let w = parameters.width, unit = "g_ff.u_unit."
        var regs: [(String, Int, Word)] = [
            (unit + "done_q", 1, Word(done_q ? 1 : 0)),
            (unit + "result_valid_q", 1, Word(result_valid_q ? 1 : 0)),
            (unit + "result_data_q", w, result_data_q.word),
        ]
        for c in 0..<min(parameters.contexts, bankLimit) {
            regs.append((unit + "g_ctx[\(c)].ref_q", w, ref_q[c].word))
            regs.append((unit + "g_ctx[\(c)].acc_q", w, acc_q[c].word))
        }
        return regs
    }
}
