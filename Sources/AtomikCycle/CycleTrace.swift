import AtomikCore
import AtomikISA
import AtomikProgram

/// The per-cycle text trace, one line per clock cycle, written identically by
/// the cycle model and by the RTL testbench (`$fwrite` with `%h`):
///
///     # atomik-trace 1 WIDTH=64 CONTEXTS=256 STORAGE=ff
///     # cycle rst_n op_valid op_code op_keep op_addr op_data op_ready done result_valid result_data writes
///     7 1 1 1 0 05 00000000000000ff 1 1 0 0000000000000000 acc[05]=00000000000000ff
///
/// Line n holds the inputs during cycle n (sampled by the rising edge that
/// ends it), the outputs during cycle n (registers after edge n-1), and the
/// bank writes made by edge n: `ref[ADDR]=VALUE` and/or `acc[ADDR]=VALUE`, or
/// `-`. The cycle is decimal; every other field is lower-case hex padded to its
/// port width (op_code 1 digit, op_addr ceil(A/4), data ceil(W/4)). Idle cycles
/// carry zeros in the op fields.
public final class CycleTraceWriter: CycleObserver {
    public static let version = 1
    let out: ByteWriter
    var dataDigits = 16
    var addrDigits = 2

    public init(_ out: ByteWriter) { self.out = out }

    /// The first line, which names the design point.
    public static func header(_ p: UnitParameters) -> String {
        var h = "# atomik-trace \(version) WIDTH=\(p.width) CONTEXTS=\(p.contexts) STORAGE=\(p.storage.rawValue)"
        if p.storage == .sram { h += " READ_LATENCY=\(p.readLatency)" }
        return h + "\n# cycle rst_n op_valid op_code op_keep op_addr op_data op_ready done result_valid result_data writes\n"
    }

    public func start(_ p: UnitParameters) throws {
        dataDigits = Word.hexDigits(width: p.width)
        addrDigits = Word.hexDigits(width: p.addressBits)
        try out.write(Self.header(p))
    }

    public func record<U: CycleUnit>(cycle: Int, inputs i: UnitInputs<U.W>, outputs o: UnitOutputs<U.W>, unit: U) throws {
        let dd = dataDigits, ad = addrDigits
        let write = unit.lastWrite
        try out.write { b in
            ResultFormat.appendDecimal(cycle, to: &b)
            func flag(_ x: Bool) { b.append(0x20); b.append(x ? 0x31 : 0x30) }
            flag(i.rstN); flag(i.opValid)
            b.append(0x20); b.append(0x30 + i.opCode.rawValue)
            flag(i.opKeep)
            b.append(0x20); Word(UInt64(i.opAddr)).appendHex(to: &b, digits: ad)
            b.append(0x20); i.opData.word.appendHex(to: &b, digits: dd)
            flag(o.opReady); flag(o.done); flag(o.resultValid)
            b.append(0x20); o.resultData.word.appendHex(to: &b, digits: dd)
            if write.isEmpty {
                b.append(contentsOf: " -".utf8)
            } else {
                if write.writesReference {
                    b.append(contentsOf: " ref[".utf8); Word(UInt64(write.address)).appendHex(to: &b, digits: ad)
                    b.append(contentsOf: "]=".utf8); write.reference.word.appendHex(to: &b, digits: dd)
                }
                if write.writesAccumulator {
                    b.append(contentsOf: " acc[".utf8); Word(UInt64(write.address)).appendHex(to: &b, digits: ad)
                    b.append(contentsOf: "]=".utf8); write.accumulator.word.appendHex(to: &b, digits: dd)
                }
            }
            b.append(0x0A)
        }
    }

    public func finish(cycles: Int) throws { try out.flush() }
}
