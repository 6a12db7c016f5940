import AtomikCore
import AtomikProgram

/// A waveform of a cycle-level run, viewable in GTKWave, as VCD (`VCDSink`)
/// or FST (AtomikRTL's `FSTSink`). Scopes and signal names are the RTL's
/// hierarchy under the testbench: `tb_atomik_unit.dut` holds the ports, and
/// every register sits in the scope of its RTL instance or generate block
/// (`dut.g_sram.u_unit.ex_valid_q`, `dut.g_ff.u_unit.g_ctx[5].ref_q`, memory
/// words as Icarus names them, `u_ref_mem.\mem[5]`), bank entries for the
/// first `bankLimit` contexts. Values the RTL holds at x (memory never
/// written, what is read from it) are x here too. One cycle is 10 ns: the
/// clock rises at 10n, where the registers take the values of edge n-1, and
/// falls at 10n+5.
public final class WaveformWriter: CycleObserver {
    let sink: any WaveformSink
    public let bankLimit: Int
    /// The value last written per signal: nil before the first, .some(nil) for x.
    var last: [Word??] = []
    var widths: [Int] = []
    /// What the RTL holds at x, tracked across every edge from the unit as it was before it.
    var unknown = UnknownWords()
    var before: (any CycleUnit)?

    /// Only cycles in `window` are written (all when nil).
    public let window: ClosedRange<Int>?

    public init(_ sink: any WaveformSink, bankLimit: Int = 64, window: ClosedRange<Int>? = nil) {
        self.sink = sink; self.bankLimit = bankLimit; self.window = window
    }

    /// A VCD on `out`.
    public convenience init(vcd out: ByteWriter, bankLimit: Int = 64, window: ClosedRange<Int>? = nil) {
        self.init(VCDSink(out), bankLimit: bankLimit, window: window)
    }

    /// The widest signal a waveform shows (one `Word`).
    public static let widestSignal = Word.maxBits

    /// Whether a waveform can show the design point: every port in one word (LANES x WIDTH at most 512 bits).
    public static func canShow(_ p: UnitParameters) -> Bool { p.lanes * p.width <= widestSignal }

    public func start(_ p: UnitParameters) throws {
        precondition(Self.canShow(p), "a waveform of \(p): op_data_i is wider than \(Self.widestSignal) bits")
        try sink.header(comment: "atomik cycle model: \(p)")
        try sink.scope("tb_atomik_unit", isModule: true)
        try sink.scope("dut", isModule: true)
        // Ports first, then registers (known once the unit exists: see declare).
    }

    private func declare(_ unit: any CycleUnit) throws {
        let w = unit.parameters.width, ab = unit.parameters.addressBits, k = unit.parameters.lanes
        var names = [("clk_i", 1), ("rst_ni", 1), ("op_valid_i", k), ("op_code_i", 2 * k), ("op_keep_i", k),
                     ("op_addr_i", ab * k), ("op_data_i", w * k), ("op_ready_o", 1), ("done_o", 1),
                     ("result_valid_o", 1), ("result_data_o", w)]
        names += unit.registers(bankLimit: bankLimit, unknown: UnknownWords()).map { ($0.name, $0.bits) }
        var open: [Substring] = []
        for (path, bits) in names {
            let parts = path.split(separator: ".")
            let scopes = parts.dropLast()
            var common = 0
            while common < min(open.count, scopes.count), open[common] == scopes[scopes.startIndex + common] { common += 1 }
            for _ in common..<open.count { try sink.upscope() }
            open = Array(open.prefix(common))
            for scope in scopes.dropFirst(common) {
                try sink.scope(String(scope), isModule: !scope.hasPrefix("g_"))
                open.append(scope)
            }
            let name = parts.last!
            try sink.variable(String(name), bits: bits, isRegister: name.hasSuffix("_q") || name.hasPrefix("\\"))
        }
        for _ in open { try sink.upscope() }
        try sink.upscope()
        try sink.upscope()
        try sink.endDefinitions()
        widths = names.map(\.1)
        last = Array(repeating: nil, count: names.count)
    }

    private func emit(_ k: Int, _ v: Word?) throws {
        if let previous = last[k], previous == v { return }
        last[k] = .some(v)
        try sink.change(k, bits: widths[k], to: v)
    }

    /// Registers after the last edge, shown at the next rising edge.
    private var pendingRegisters: [Word?] = []

    public func record(_ r: TraceRecord, unit: any CycleUnit) throws {
        let cycle = r.cycle, i = r.inputs, o = r.outputs
        if widths.isEmpty { try declare(unit) }
        if let before {
            before.trackUnknowns(&unknown, acrossEdge: i)
        } else {
            // The first cycle is a reset, across which only memories and inputs count.
            unknown = unit.unknownsAtPowerOn()
            unit.trackUnknowns(&unknown, acrossEdge: i)
        }
        before = unit
        if let window, !window.contains(cycle) {
            if cycle < window.lowerBound { pendingRegisters = unit.registers(bankLimit: bankLimit, unknown: unknown).map(\.value) }
            return
        }
        // Lane j's field in bits [j*N +: N] of its port (LANES > 1).
        let ab = unit.parameters.addressBits, w = unit.parameters.width
        func port(_ bits: Int, _ field: (UnitInputs<Word>) -> Word) -> Word {
            r.lanes.indices.reduce(field(i)) { $0 | field(r.lanes[$1].inputs).shifted(left: ($1 + 1) * bits) }
        }
        let ports: [Word] = [Word(1), Word(i.rstN ? 1 : 0), port(1) { Word($0.opValid ? 1 : 0) }, port(2) { Word(UInt64($0.opCode.rawValue)) },
                             port(1) { Word($0.opKeep ? 1 : 0) }, port(ab) { Word(UInt64($0.opAddr)) }, port(w) { $0.opData },
                             Word(o.opReady ? 1 : 0), Word(o.done ? 1 : 0), Word(o.resultValid ? 1 : 0), o.resultData]
        // In a cycle of asynchronous reset the RTL clears its registers as the reset
        // comes, not at the next edge: show the values the reset leaves from the cycle's start
        // (this also gives every register a value from t = 0, a reset cycle).
        let now = unit.registers(bankLimit: bankLimit, unknown: unknown).map(\.value)
        let registers = i.rstN ? pendingRegisters : now
        try sink.time(cycle * 10)
        for (k, v) in ports.enumerated() { try emit(k, v) }
        for (k, v) in registers.enumerated() { try emit(ports.count + k, v) }
        try sink.time(cycle * 10 + 5)
        try emit(0, .zero)
        pendingRegisters = now
    }

    public func finish(cycles: Int) throws {
        if !widths.isEmpty {
            let end = window.map { min($0.upperBound + 1, cycles) } ?? cycles
            try sink.time(end * 10)
            try emit(0, Word(1))
            for (k, v) in pendingRegisters.enumerated() { try emit(11 + k, v) }
        }
        try sink.finish()
    }
}

/// Where a waveform's declarations and value changes go. Variables are
/// declared in order and named in changes by that order; time is in ns.
public protocol WaveformSink: AnyObject {
    func header(comment: String) throws
    /// Opens a scope: a module instance, or a generate block when not `isModule`.
    func scope(_ name: String, isModule: Bool) throws
    func upscope() throws
    func variable(_ name: String, bits: Int, isRegister: Bool) throws
    func endDefinitions() throws
    func time(_ ns: Int) throws
    /// Variable `index` takes `value` (nil: x).
    func change(_ index: Int, bits: Int, to value: Word?) throws
    /// After the last change: the file is complete.
    func finish() throws
}

/// A Value Change Dump (IEEE 1364 section 18) on a byte writer.
public final class VCDSink: WaveformSink {
    let out: ByteWriter
    var ids: [String] = []
    var buffer: [UInt8] = []

    public init(_ out: ByteWriter) { self.out = out }

    /// Identifier codes from the printable characters, '$' left out.
    static func code(_ n: Int) -> String {
        let alphabet = Array("!\"#%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~")
        var n = n, s = ""
        repeat { s.append(alphabet[n % alphabet.count]); n /= alphabet.count } while n > 0
        return s
    }

    public func header(comment: String) throws { try out.write("$comment \(comment) $end\n$timescale 1ns $end\n") }
    public func scope(_ name: String, isModule: Bool) throws { try out.write("$scope \(isModule ? "module" : "begin") \(name) $end\n") }
    public func upscope() throws { try out.write("$upscope $end\n") }

    public func variable(_ name: String, bits: Int, isRegister: Bool) throws {
        ids.append(Self.code(ids.count))
        try out.write("$var \(isRegister ? "reg" : "wire") \(bits) \(ids.last!) \(name)\(bits > 1 ? " [\(bits - 1):0]" : "") $end\n")
    }

    public func endDefinitions() throws { try out.write("$enddefinitions $end\n") }

    public func time(_ ns: Int) throws {
        if buffer.count > 1 << 16 { try out.write { $0.append(contentsOf: buffer) }; buffer.removeAll(keepingCapacity: true) }
        buffer.append(UInt8(ascii: "#"))
        buffer.append(contentsOf: String(ns).utf8)
        buffer.append(0x0A)
    }

    public func change(_ index: Int, bits: Int, to value: Word?) throws {
        if bits == 1 {
            buffer.append(value.map { $0.isZero ? 0x30 : 0x31 } ?? UInt8(ascii: "x"))
        } else if let v = value {
            buffer.append(UInt8(ascii: "b"))
            for i in stride(from: max(v.bitLength, 1) - 1, through: 0, by: -1) { buffer.append(v.bit(i) ? 0x31 : 0x30) }
            buffer.append(0x20)
        } else {
            buffer.append(contentsOf: "bx ".utf8)
        }
        buffer.append(contentsOf: ids[index].utf8)
        buffer.append(0x0A)
    }

    public func finish() throws {
        try out.write { $0.append(contentsOf: buffer) }
        buffer.removeAll()
        try out.flush()
    }
}
