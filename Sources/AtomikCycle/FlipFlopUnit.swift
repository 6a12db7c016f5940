import AtomikCore

/// STORAGE = ff: both banks in flip-flops with combinational read. The
/// operation sampled at an edge takes effect at that edge, and a READ/SWAP
/// result is in `result_data_q` in the next cycle. With one context this is,
/// cycle for cycle, ATOMiK Core v2 (`result_data_o` = `data_out`,
/// `done_o` = `data_valid`).
///
/// Registers (RTL names): `ref_q[C]`, `acc_q[C]`, `result_data_q`,
/// `result_valid_q`, `done_q`.
public struct FlipFlopUnit<W: ContextWord>: CycleUnit {
    public let parameters: UnitParameters
    let ref_q: UnsafeMutablePointer<W>
    let acc_q: UnsafeMutablePointer<W>
    let decoder = Decoder.rows
    var result_data_q: W = .zero
    var result_valid_q = false
    var done_q = false

    public init(_ parameters: UnitParameters, banks: Banks<W>) {
        (ref_q, acc_q) = banks.words(for: parameters)
        self.parameters = parameters
    }

    @inline(__always) public func outputs(rstN: Bool) -> UnitOutputs<W> {
        guard rstN else { return UnitOutputs(opReady: true, done: false, resultValid: false, resultData: .zero) }
        return UnitOutputs(opReady: true, done: done_q, resultValid: result_valid_q, resultData: result_data_q)
    }

    public var busy: Bool { false }

    @inline(__always) public mutating func clock(_ i: UnitInputs<W>) -> BankWrite<W> {
        guard i.rstN else {
            ref_q.update(repeating: .zero, count: parameters.contexts)
            acc_q.update(repeating: .zero, count: parameters.contexts)
            result_data_q = .zero; result_valid_q = false; done_q = false
            return BankWrite()
        }
        let a = i.opAddr
        let row = decoder[Decoder.index(valid: i.opValid, code: i.opCode, keep: i.opKeep)]
        let (newRef, newAcc, state) = Decoder.execute(row, data: i.opData, ref: ref_q[a], acc: acc_q[a])
        ref_q[a] = newRef
        acc_q[a] = newAcc
        result_data_q = Decoder.result(row, value: state, held: result_data_q)
        result_valid_q = row.producesResult
        done_q = i.opValid
        return BankWrite(address: a, writesReference: row.writesReference, reference: newRef,
                         writesAccumulator: row.writesAccumulator, accumulator: newAcc)
    }

    public func bank(_ address: Int) -> (reference: W, accumulator: W) { (ref_q[address], acc_q[address]) }

    /// Paths below `atomik_unit` as in rtl/atomik_unit_ff.v (`g_ff.u_unit`).
    public func registers(bankLimit: Int, unknown: UnknownWords) -> [(name: String, bits: Int, value: Word?)] {
        let w = parameters.width, unit = "g_ff.u_unit."
        var regs: [(String, Int, Word?)] = [
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
