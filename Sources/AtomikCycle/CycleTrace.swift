import AtomikCore
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
/// `-` (LANES > 1: `TraceRecord` gives the other lanes' fields). The cycle is decimal; every other field is lower-case hex padded to its
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
        "# atomik-trace \(version) \(p)\n# cycle rst_n op_valid op_code op_keep op_addr op_data op_ready done result_valid result_data"
            + (p.lanes > 1 ? " lane1..lane\(p.lanes - 1)" : "") + " writes\n"
    }

    public func start(_ p: UnitParameters) throws {
        dataDigits = Word.hexDigits(width: p.width)
        addrDigits = Word.hexDigits(width: p.addressBits)
        try out.write(Self.header(p))
    }

    public func record(_ r: TraceRecord, unit: any CycleUnit) throws {
        try out.write { r.append(to: &$0, dataDigits: dataDigits, addressDigits: addrDigits) }
    }

    public func finish(cycles: Int) throws { try out.flush() }

    /// Ends a trace that stopped early with a line that says so.
    public func markPartial(cycles: Int) throws {
        try out.write("# partial: interrupted after \(cycles) cycles\n")
        try out.flush()
    }
}
