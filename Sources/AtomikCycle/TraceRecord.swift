import AtomikCore
import AtomikISA
import AtomikProgram

/// One line of the per-cycle trace: the inputs and outputs during a cycle and
/// the bank write of the edge that ends it (see `CycleTraceWriter`); with
/// LANES > 1, lane 0's, and the other lanes' operations and copy writes.
///
/// A line is `cycle rst_n op_valid op_code op_keep op_addr op_data op_ready
/// done result_valid result_data`, then for each lane j > 0 `laneJ=V:C:K:ADDR:DATA`
/// (its op_valid, op_code, op_keep, op_addr, op_data), then the writes:
/// `ref[ADDR]=VALUE`, `acc[ADDR]=VALUE` (lane 0's copy), `accJ[ADDR]=VALUE`, or `-`.
public struct TraceRecord: Hashable, Sendable {
    public var cycle: Int
    public var inputs: UnitInputs<Word>
    public var outputs: UnitOutputs<Word>
    public var write: BankWrite<Word>
    /// Lanes 1... of a unit with LANES > 1 (none for one lane).
    public var lanes: [Lane]

    /// One lane's operation and its accumulator copy's write (`writesReference` unused).
    public struct Lane: Hashable, Sendable {
        public var inputs: UnitInputs<Word>
        public var write: BankWrite<Word>

        public init(inputs: UnitInputs<Word>, write: BankWrite<Word>) { self.inputs = inputs; self.write = write }
    }

    public init(cycle: Int, inputs: UnitInputs<Word>, outputs: UnitOutputs<Word>, write: BankWrite<Word>, lanes: [Lane] = []) {
        self.cycle = cycle; self.inputs = inputs; self.outputs = outputs; self.write = write; self.lanes = lanes
    }

    public init<W: ContextWord>(cycle: Int, inputs i: UnitInputs<W>, outputs o: UnitOutputs<W>, write w: BankWrite<W>,
                                lanes: Lanes<W>? = nil) {
        self.cycle = cycle
        inputs = Self.word(i)
        outputs = UnitOutputs(opReady: o.opReady, done: o.done, resultValid: o.resultValid, resultData: o.resultData.word)
        write = Self.word(w)
        self.lanes = lanes.map { l in (1..<l.count).map { Lane(inputs: Self.word(l.inputs[$0]), write: Self.word(l.writes[$0])) } } ?? []
    }

    static func word<W: ContextWord>(_ i: UnitInputs<W>) -> UnitInputs<Word> {
        UnitInputs(rstN: i.rstN, opValid: i.opValid, opCode: i.opCode, opKeep: i.opKeep, opAddr: i.opAddr, opData: i.opData.word)
    }

    static func word<W: ContextWord>(_ w: BankWrite<W>) -> BankWrite<Word> {
        var bw = BankWrite<Word>()
        bw.address = w.address
        bw.writesReference = w.writesReference; bw.reference = w.reference.word
        bw.writesAccumulator = w.writesAccumulator; bw.accumulator = w.accumulator.word
        return bw
    }

    /// Appends the trace line (with its newline).
    public func append(to b: inout [UInt8], dataDigits dd: Int, addressDigits ad: Int) {
        let i = inputs, o = outputs
        ResultFormat.appendDecimal(cycle, to: &b)
        func flag(_ x: Bool) { b.append(0x20); b.append(x ? 0x31 : 0x30) }
        flag(i.rstN); flag(i.opValid)
        b.append(0x20); b.append(0x30 + i.opCode.rawValue)
        flag(i.opKeep)
        b.append(0x20); Word(UInt64(i.opAddr)).appendHex(to: &b, digits: ad)
        b.append(0x20); i.opData.appendHex(to: &b, digits: dd)
        flag(o.opReady); flag(o.done); flag(o.resultValid)
        b.append(0x20); o.resultData.appendHex(to: &b, digits: dd)
        for (j, lane) in lanes.enumerated() {
            let l = lane.inputs
            b.append(contentsOf: " lane".utf8); ResultFormat.appendDecimal(j + 1, to: &b); b.append(0x3D)
            b.append(l.opValid ? 0x31 : 0x30); b.append(0x3A); b.append(0x30 + l.opCode.rawValue); b.append(0x3A)
            b.append(l.opKeep ? 0x31 : 0x30); b.append(0x3A); Word(UInt64(l.opAddr)).appendHex(to: &b, digits: ad)
            b.append(0x3A); l.opData.appendHex(to: &b, digits: dd)
        }
        if write.isEmpty && lanes.allSatisfy({ $0.write.isEmpty }) {
            b.append(contentsOf: " -".utf8)
        } else {
            if write.writesReference {
                b.append(contentsOf: " ref[".utf8); Word(UInt64(write.address)).appendHex(to: &b, digits: ad)
                b.append(contentsOf: "]=".utf8); write.reference.appendHex(to: &b, digits: dd)
            }
            if write.writesAccumulator {
                b.append(contentsOf: " acc[".utf8); Word(UInt64(write.address)).appendHex(to: &b, digits: ad)
                b.append(contentsOf: "]=".utf8); write.accumulator.appendHex(to: &b, digits: dd)
            }
            for (j, lane) in lanes.enumerated() where lane.write.writesAccumulator {
                b.append(contentsOf: " acc".utf8); ResultFormat.appendDecimal(j + 1, to: &b); b.append(0x5B)
                Word(UInt64(lane.write.address)).appendHex(to: &b, digits: ad)
                b.append(contentsOf: "]=".utf8); lane.write.accumulator.appendHex(to: &b, digits: dd)
            }
        }
        b.append(0x0A)
    }

    /// The trace line for design point `p` (without its newline).
    public func line(_ p: UnitParameters) -> String {
        var b = [UInt8]()
        append(to: &b, dataDigits: Word.hexDigits(width: p.width), addressDigits: Word.hexDigits(width: p.addressBits))
        b.removeLast()
        return String(decoding: b, as: UTF8.self)
    }

    /// The operation offered in this cycle (nil when idle or in reset), as an instruction.
    public var offered: Instruction? {
        let i = inputs
        guard i.rstN && i.opValid else { return nil }
        let keep = i.opCode == .swap && i.opKeep
        return Instruction(opcode: i.opCode, address: i.opAddr, data: i.opCode == .read || keep ? .zero : i.opData, keep: keep)
    }

    /// The fields of a trace line, in order (writes, if any, follow them).
    static let fieldNames = ["cycle", "rst_n", "op_valid", "op_code", "op_keep", "op_addr", "op_data",
                             "op_ready", "done", "result_valid", "result_data"]

    /// Parses a trace line; nil for a comment, an error naming the column and
    /// what was expected there for anything malformed.
    public init?(line: Substring) throws(TraceError) {
        if line.hasPrefix("#") || line.isEmpty { return nil }
        let f = line.split(separator: " ")
        func column(_ s: Substring) -> Int { line.distance(from: line.startIndex, to: s.startIndex) + 1 }
        func fail(_ s: Substring, _ expected: String) -> TraceError {
            TraceError(column: column(s), expected: expected, line: String(line))
        }
        guard f.count >= 12 else {
            throw TraceError(column: line.count + 1, expected: "12 or more fields separated by spaces ("
                             + Self.fieldNames.joined(separator: " ") + " writes), found \(f.count)", line: String(line))
        }
        func hex(_ k: Int) throws(TraceError) -> Word { try Self.hex(f[k], or: fail(f[k], "a hex number of at most 128 digits (\(Self.fieldNames[k]))")) }
        func bit(_ k: Int) throws(TraceError) -> Bool {
            guard f[k] == "0" || f[k] == "1" else { throw fail(f[k], "0 or 1 (\(Self.fieldNames[k]))") }
            return f[k] == "1"
        }
        guard let cycle = Int(f[0]), cycle >= 0 else { throw fail(f[0], "a cycle number") }
        guard f[3].utf8.count == 1, let c = f[3].utf8.first, (0x30...0x33).contains(c),
              let code = Opcode(rawValue: c - 0x30) else {
            throw fail(f[3], "an opcode 0..3 (op_code)")
        }
        self.cycle = cycle
        inputs = UnitInputs(rstN: try bit(1), opValid: try bit(2), opCode: code, opKeep: try bit(4),
                            opAddr: Int(try hex(5).low64 & 0xFFFF_FFFF), opData: try hex(6))
        outputs = UnitOutputs(opReady: try bit(7), done: try bit(8), resultValid: try bit(9), resultData: try hex(10))
        var w = BankWrite<Word>()
        var writes = f[11...]
        var lanes: [Lane] = []
        // Lanes 1..., in order.
        while let token = writes.first, token.hasPrefix("lane") {
            let bad = fail(token, "'lane\(lanes.count + 1)=VALID:CODE:KEEP:ADDR:DATA' (bits, opcode 0..3, hex)")
            let parts = token.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "lane\(lanes.count + 1)" else { throw bad }
            let v = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard v.count == 5, ["0", "1"].contains(v[0]), ["0", "1"].contains(v[2]),
                  let c = UInt8(v[1]), let code = Opcode(rawValue: c) else { throw bad }
            lanes.append(Lane(inputs: UnitInputs(opValid: v[0] == "1", opCode: code, opKeep: v[2] == "1",
                                                 opAddr: Int(try Self.hex(v[3], or: bad).low64 & 0xFFFF_FFFF),
                                                 opData: try Self.hex(v[4], or: bad)),
                              write: BankWrite()))
            writes = writes.dropFirst()
        }
        if writes.count != 1 || writes.first != "-" {
            for token in writes {
                let bad = fail(token, "'-', or bank writes 'ref[ADDR]=VALUE', 'acc[ADDR]=VALUE' and 'accJ[ADDR]=VALUE' "
                               + "(J a lane 1...) in hex")
                guard let open = token.firstIndex(of: "["), let close = token[open...].firstIndex(of: "]"),
                      token[token.index(after: close)...].hasPrefix("=") else { throw bad }
                let address = Int(try Self.hex(token[token.index(after: open)..<close], or: bad).low64 & 0xFFFF_FFFF)
                let value = try Self.hex(token[token.index(close, offsetBy: 2)...], or: bad)
                let name = token[..<open]
                switch name {
                case "ref" where !w.writesReference:
                    w.address = address; w.writesReference = true; w.reference = value
                case "acc" where !w.writesAccumulator && (!w.writesReference || w.address == address):
                    w.address = address; w.writesAccumulator = true; w.accumulator = value
                default:
                    guard name.hasPrefix("acc"), let j = Int(name.dropFirst(3)), j >= 1, j <= lanes.count,
                          !lanes[j - 1].write.writesAccumulator else { throw bad }
                    lanes[j - 1].write = BankWrite(address: address, writesReference: false, reference: .zero,
                                                   writesAccumulator: true, accumulator: value)
                }
            }
        }
        write = w
        self.lanes = lanes
    }

    /// A hex number of 1 to 128 digits, or `error`.
    static func hex(_ s: Substring, or error: TraceError) throws(TraceError) -> Word {
        guard !s.isEmpty, s.count <= 128 else { throw error }
        var l = SIMD8<UInt64>(repeating: 0)
        for (k, c) in s.reversed().enumerated() {
            guard let d = c.hexDigitValue, c.isASCII else { throw error }
            l[k >> 4] |= UInt64(d) << UInt64((k & 15) * 4)
        }
        return Word(limbs: l)
    }

    /// The first signal in which `rtl` differs from this (the model's) record:
    /// outputs first, then the bank write, then the inputs (a harness fault).
    public func firstDifference(from rtl: TraceRecord) -> TraceDifference? {
        let m = self, r = rtl
        func diff(_ signal: String, _ e: Word, _ a: Word, context: Int? = nil) -> TraceDifference? {
            e == a ? nil : TraceDifference(cycle: cycle, signal: signal, context: context, expected: e, actual: a)
        }
        func b(_ x: Bool) -> Word { Word(x ? 1 : 0) }
        let ctx = m.inputs.opAddr, wa = m.write.address
        let mw = m.write, rw = r.write
        var checks: [() -> TraceDifference?] = [
            { diff("op_ready_o", b(m.outputs.opReady), b(r.outputs.opReady)) },
            { diff("done_o", b(m.outputs.done), b(r.outputs.done)) },
            { diff("result_valid_o", b(m.outputs.resultValid), b(r.outputs.resultValid)) },
            { diff("result_data_o", m.outputs.resultData, r.outputs.resultData) },
            { diff("ref bank write enable", b(mw.writesReference), b(rw.writesReference), context: wa) },
            { diff("acc bank write enable", b(mw.writesAccumulator), b(rw.writesAccumulator), context: wa) },
        ]
        if !mw.isEmpty { checks.append { diff("bank write address", Word(UInt64(wa)), Word(UInt64(rw.address))) } }
        if mw.writesReference { checks.append { diff("ref bank write data", mw.reference, rw.reference, context: wa) } }
        if mw.writesAccumulator { checks.append { diff("acc bank write data", mw.accumulator, rw.accumulator, context: wa) } }
        // Lanes 1...: a lane the RTL trace lacks reads as idle and unwritten.
        for (j, ml) in m.lanes.enumerated() {
            let rl = j < r.lanes.count ? r.lanes[j] : Lane(inputs: .idle, write: BankWrite())
            let lw = ml.write.address, lane = "lane \(j + 1)"
            checks.append { diff("acc copy \(j + 1) write enable", b(ml.write.writesAccumulator), b(rl.write.writesAccumulator),
                                 context: lw) }
            if ml.write.writesAccumulator {
                checks.append { diff("acc copy \(j + 1) write address", Word(UInt64(lw)), Word(UInt64(rl.write.address))) }
                checks.append { diff("acc copy \(j + 1) write data", ml.write.accumulator, rl.write.accumulator, context: lw) }
            }
            let li = ml.inputs, ri = rl.inputs
            checks.append { diff("op_valid_i (\(lane))", b(li.opValid), b(ri.opValid)) }
            checks.append { diff("op_code_i (\(lane))", Word(UInt64(li.opCode.rawValue)), Word(UInt64(ri.opCode.rawValue))) }
            checks.append { diff("op_keep_i (\(lane))", b(li.opKeep), b(ri.opKeep)) }
            checks.append { diff("op_addr_i (\(lane))", Word(UInt64(li.opAddr)), Word(UInt64(ri.opAddr))) }
            checks.append { diff("op_data_i (\(lane))", li.opData, ri.opData) }
        }
        checks += [
            { diff("rst_ni", b(m.inputs.rstN), b(r.inputs.rstN)) },
            { diff("op_valid_i", b(m.inputs.opValid), b(r.inputs.opValid)) },
            { diff("op_code_i", Word(UInt64(m.inputs.opCode.rawValue)), Word(UInt64(r.inputs.opCode.rawValue)), context: ctx) },
            { diff("op_keep_i", b(m.inputs.opKeep), b(r.inputs.opKeep), context: ctx) },
            { diff("op_addr_i", Word(UInt64(m.inputs.opAddr)), Word(UInt64(r.inputs.opAddr))) },
            { diff("op_data_i", m.inputs.opData, r.inputs.opData, context: ctx) },
        ]
        for check in checks { if let d = check() { return d } }
        return nil
    }
}

/// Where and how the RTL left the model.
public struct TraceDifference: Hashable, Sendable, CustomStringConvertible {
    public var cycle: Int
    public var signal: String
    public var context: Int?
    public var expected: Word
    public var actual: Word
    /// Said instead of expected and actual when the values cannot be (x or z).
    public var detail: String?

    public init(cycle: Int, signal: String, context: Int?, expected: Word, actual: Word, detail: String? = nil) {
        self.cycle = cycle; self.signal = signal; self.context = context; self.expected = expected; self.actual = actual
        self.detail = detail
    }

    public var description: String {
        "cycle \(cycle): \(signal)\(context.map { " (context \($0))" } ?? ""): "
            + (detail ?? "expected \(expected), got \(actual)")
    }
}

/// A trace line that does not parse: where and what was expected there.
public struct TraceError: Error, CustomStringConvertible {
    /// 1-based column of the field in error.
    public let column: Int
    public let expected: String
    public let line: String

    public var description: String {
        "column \(column): expected \(expected) in trace line '\(line.prefix(160))'"
    }
}

