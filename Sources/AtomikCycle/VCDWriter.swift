import AtomikCore
import AtomikProgram

/// A Value Change Dump of a cycle-level run, viewable in GTKWave. Scopes and
/// signal names are the RTL's hierarchy under the testbench: `tb_atomik_unit.dut`
/// holds the ports, and every register sits in the scope of its RTL instance
/// or generate block (`dut.g_sram.u_unit.ex_valid_q`,
/// `dut.g_ff.u_unit.g_ctx[5].ref_q`, memory words as Icarus names them,
/// `u_ref_mem.\mem[5]`), bank entries for the first `bankLimit` contexts.
/// Values the RTL holds at x (memory never written, what is read from it) are
/// x here too. One cycle is 10 ns: the clock rises at 10n, where the registers
/// take the values of edge n-1, and falls at 10n+5.
public final class VCDWriter: CycleObserver {
    let out: ByteWriter
    public let bankLimit: Int
    var ids: [String] = []
    /// The value last written per signal: nil before the first, .some(nil) for x.
    var last: [Word??] = []
    var names: [(String, Int)] = []
    /// What the RTL holds at x, tracked across every edge from the unit as it was before it.
    var unknown = UnknownWords()
    var before: (any CycleUnit)?

    /// Only cycles in `window` are written (all when nil).
    public let window: ClosedRange<Int>?

    public init(_ out: ByteWriter, bankLimit: Int = 64, window: ClosedRange<Int>? = nil) {
        self.out = out; self.bankLimit = bankLimit; self.window = window
    }

    /// Identifier codes from the printable characters, '$' left out.
    static func code(_ n: Int) -> String {
        let alphabet = Array("!\"#%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~")
        var n = n, s = ""
        repeat { s.append(alphabet[n % alphabet.count]); n /= alphabet.count } while n > 0
        return s
    }

    public func start(_ p: UnitParameters) throws {
        try out.write("$comment atomik cycle model: \(p) $end\n$timescale 1ns $end\n")
        try out.write("$scope module tb_atomik_unit $end\n$scope module dut $end\n")
        // Ports first, then registers (known once the unit exists: see declare).
    }

    private func declare(_ unit: any CycleUnit) throws {
        let w = unit.parameters.width, ab = unit.parameters.addressBits
        names = [("clk_i", 1), ("rst_ni", 1), ("op_valid_i", 1), ("op_code_i", 2), ("op_keep_i", 1),
                 ("op_addr_i", ab), ("op_data_i", w), ("op_ready_o", 1), ("done_o", 1),
                 ("result_valid_o", 1), ("result_data_o", w)]
        names += unit.registers(bankLimit: bankLimit, unknown: UnknownWords()).map { ($0.name, $0.bits) }
        var open: [Substring] = []
        for (k, (path, bits)) in names.enumerated() {
            ids.append(Self.code(k))
            let parts = path.split(separator: ".")
            let scopes = parts.dropLast()
            var common = 0
            while common < min(open.count, scopes.count), open[common] == scopes[scopes.startIndex + common] { common += 1 }
            for _ in common..<open.count { try out.write("$upscope $end\n") }
            open = Array(open.prefix(common))
            for scope in scopes.dropFirst(common) {
                try out.write("$scope \(scope.hasPrefix("g_") ? "begin" : "module") \(scope) $end\n")
                open.append(scope)
            }
            let name = parts.last!
            let range = bits > 1 ? " [\(bits - 1):0]" : ""
            try out.write("$var \(name.hasSuffix("_q") || name.hasPrefix("\\") ? "reg" : "wire") \(bits) \(ids[k]) \(name)\(range) $end\n")
        }
        for _ in open { try out.write("$upscope $end\n") }
        try out.write("$upscope $end\n$upscope $end\n$enddefinitions $end\n")
        last = Array(repeating: nil, count: names.count)
    }

    private func emit(_ k: Int, _ v: Word?, into b: inout [UInt8]) {
        if let previous = last[k], previous == v { return }
        last[k] = .some(v)
        if names[k].1 == 1 {
            b.append(v.map { $0.isZero ? 0x30 : 0x31 } ?? UInt8(ascii: "x"))
        } else if let v {
            b.append(UInt8(ascii: "b"))
            let n = max(v.bitLength, 1)
            for i in stride(from: n - 1, through: 0, by: -1) { b.append(v.bit(i) ? 0x31 : 0x30) }
            b.append(0x20)
        } else {
            b.append(contentsOf: "bx ".utf8)
        }
        b.append(contentsOf: ids[k].utf8)
        b.append(0x0A)
    }

    /// Registers after the last edge, shown at the next rising edge.
    private var pendingRegisters: [Word?] = []

    public func record(_ r: TraceRecord, unit: any CycleUnit) throws {
        let cycle = r.cycle, i = r.inputs, o = r.outputs
        if ids.isEmpty { try declare(unit) }
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
        let ports: [Word] = [Word(1), Word(i.rstN ? 1 : 0), Word(i.opValid ? 1 : 0), Word(UInt64(i.opCode.rawValue)),
                             Word(i.opKeep ? 1 : 0), Word(UInt64(i.opAddr)), i.opData,
                             Word(o.opReady ? 1 : 0), Word(o.done ? 1 : 0), Word(o.resultValid ? 1 : 0), o.resultData]
        // In a cycle of asynchronous reset the RTL clears its registers as the reset
        // comes, not at the next edge: show the values the reset leaves from the cycle's start
        // (this also gives every register a value from t = 0, a reset cycle).
        let now = unit.registers(bankLimit: bankLimit, unknown: unknown).map(\.value)
        let registers = i.rstN ? pendingRegisters : now
        try out.write { b in
            b.append(contentsOf: "#\(cycle * 10)\n".utf8)
            for (k, v) in ports.enumerated() { emit(k, v, into: &b) }
            for (k, v) in registers.enumerated() { emit(ports.count + k, v, into: &b) }
            b.append(contentsOf: "#\(cycle * 10 + 5)\n".utf8)
            emit(0, .zero, into: &b)
        }
        pendingRegisters = now
    }

    public func finish(cycles: Int) throws {
        let end = window.map { min($0.upperBound + 1, cycles) } ?? cycles
        try out.write { b in
            b.append(contentsOf: "#\(end * 10)\n".utf8)
            emit(0, Word(1), into: &b)
            for (k, v) in pendingRegisters.enumerated() { emit(11 + k, v, into: &b) }
        }
        try out.flush()
    }
}
