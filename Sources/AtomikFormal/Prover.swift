import AtomikCore
import AtomikDUT
import AtomikISA
import AtomikRTL
import AtomikSupport
import Foundation

/// Proves a design's harness (`FormalHarness`) with yosys and yosys-smtbmc
/// (solver z3): bounded model checking to `depth` cycles, then k-induction
/// up to `inductionDepth` for a proof of every length.
public struct Prover: Sendable {
    public var harness: FormalHarness
    /// Cycles of bounded model checking (from reset).
    public var depth: Int
    /// The longest induction tried (0: none).
    public var inductionDepth: Int
    /// Each tool run's limit.
    public var timeout: Duration = .seconds(3600)

    public init(_ harness: FormalHarness, depth: Int, inductionDepth: Int) {
        self.harness = harness; self.depth = depth; self.inductionDepth = inductionDepth
    }

    /// What a proof found.
    public enum Verdict: Sendable, Equatable {
        /// No assertion fails within `depth` cycles; the induction did not close (or was not tried).
        case bounded
        /// Proven for streams of every length: k-induction closed at `k`.
        case unbounded(k: Int)
        /// An assertion fails: the counterexample.
        case failed
    }

    public struct Result: Sendable {
        public var verdict: Verdict
        public var seconds: Double
        /// BMC and induction each.
        public var bmcSeconds: Double
        public var inductionSeconds: Double
        /// With `.failed`: what failed and the counterexample.
        public var counterexample: Counterexample?
        /// Why the induction did not close, when it did not.
        public var inductionNote: String?
    }

    /// A failing trace: the assertion, its cycle, the program that drives it, and the solver's VCD.
    public struct Counterexample: Sendable {
        public var assertion: String
        public var line: Int
        /// The cycle (0 = the first reset cycle) in which the assertion fails.
        public var cycle: Int
        /// The context the solver followed.
        public var context: Int
        public var program: [ProgramItem]
        /// The VCD yosys-smtbmc wrote: the harness's signals and the DUT's, one step a cycle.
        public var vcd: String
    }

    /// Runs the proof. Throws when a tool is missing or fails (not when an assertion does).
    public func run() throws -> Result {
        try RTLSimulator.require([("yosys", "yosys"), ("yosys-smtbmc", "yosys"), ("z3", "z3")])
        let dir = Scratch.path("prove")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = ContinuousClock.now
        try write(into: dir)
        try ToolProcess.run(["yosys", "-q", "-s", "harness.ys"], in: dir, timeout: timeout).check("yosys (the formal model of \(harness.dut.name))")
        // Every assertion of the harness reached the solver's model (a proof without them would pass vacuously).
        let model = try String(contentsOf: dir.appendingPathComponent("harness.smt2"), encoding: .utf8)
        let asserted = model.components(separatedBy: "; yosys-smt2-assert ").count - 1
        guard asserted >= harness.assertions.count else {
            throw RTLError("the solver's model of \(harness.dut.name) holds \(asserted) assertions, not the harness's \(harness.assertions.count)")
        }
        let bmcStart = ContinuousClock.now
        let bmc = try ToolProcess.run(smtbmc + ["--presat", "-t", "\(depth + 1)", "--dump-vcd", "cex.vcd", "harness.smt2"],
                                      in: dir, timeout: timeout)
        let bmcSeconds = (ContinuousClock.now - bmcStart).seconds
        if bmc.timedOut { throw RTLError("yosys-smtbmc (bounded, \(depth) cycles) timed out and was stopped") }
        if bmc.output.contains("PREUNSAT") {
            throw RTLError("the harness's assumptions admit no run of \(depth) cycles: the protocol of \(harness.dut.origin) cannot be driven "
                           + "as described (or the DUT's own formal assumptions contradict it); nothing was proven:\n\(bmc.output)")
        }
        if bmc.output.contains("Status: FAILED") {
            let cex = try counterexample(bmc.output, vcd: dir.appendingPathComponent("cex.vcd"))
            return Result(verdict: .failed, seconds: (ContinuousClock.now - start).seconds, bmcSeconds: bmcSeconds,
                          inductionSeconds: 0, counterexample: cex)
        }
        guard bmc.status == 0, bmc.output.contains("Status: PASSED") else {
            throw RTLError("yosys-smtbmc (bounded) failed (exit \(bmc.status)):\n\(bmc.output)")
        }
        var verdict = Verdict.bounded, note: String? = "not tried", inductionSeconds = 0.0
        if inductionDepth > 0 {
            let inductionStart = ContinuousClock.now
            let ind = try ToolProcess.run(smtbmc + ["-i", "-t", "\(inductionDepth)", "harness.smt2"],
                                          in: dir, timeout: timeout)
            inductionSeconds = (ContinuousClock.now - inductionStart).seconds
            if ind.timedOut { throw RTLError("yosys-smtbmc (induction, \(inductionDepth) steps) timed out and was stopped") }
            if ind.output.contains("Temporal induction successful.") {
                let tried = ind.output.split(separator: "\n").filter { $0.contains("Trying induction in step") }.count
                verdict = .unbounded(k: tried)
                note = nil
            } else if ind.output.contains("Temporal induction failed!") {
                let failed = Self.failedAssertion(ind.output).map { harness.assertions[$0] ?? "line \($0)" } ?? "an assertion"
                note = "induction to \(inductionDepth) steps did not close: from a state no run reaches, \(failed) fails"
            } else {
                throw RTLError("yosys-smtbmc (induction) failed (exit \(ind.status)):\n\(ind.output)")
            }
        }
        return Result(verdict: verdict, seconds: (ContinuousClock.now - start).seconds, bmcSeconds: bmcSeconds,
                      inductionSeconds: inductionSeconds, inductionNote: note)
    }

    /// yosys-smtbmc with z3. `--unroll`: without it z3 stalls on the first step. Our unit's
    /// invariants, checked at every step, help the incremental solver (W4 C2 sram L2, 20 cycles:
    /// 20 s, against 32 s without incremental solving); a DUT without them is solved
    /// faster afresh at every step (Core v2 W8, 20 cycles: 11 s, against 204 s).
    var smtbmc: [String] { ["yosys-smtbmc", "-s", "z3", "--unroll"] + (harness.unit == nil ? ["--noincr"] : []) }

    /// Writes the harness, the bridge and the yosys script into `dir` (`yosys -s harness.ys` there remakes harness.smt2).
    public func write(into dir: URL) throws {
        let d = harness.dut
        try DUTBridge.verilog(d).write(to: dir.appendingPathComponent("atomik_bridge.v"), atomically: true, encoding: .utf8)
        try harness.verilog.write(to: dir.appendingPathComponent("harness.v"), atomically: true, encoding: .utf8)
        // The DUT as SystemVerilog, as explore reads it, without FORMAL defined and without its own
        // properties (chformal, before the harness is read: read_verilog's -noassert would drop the harness's too).
        var script = [try DUTBuild.yosysRead(d),
                      "chformal -remove",
                      "read_verilog -formal atomik_bridge.v harness.v",
                      "hierarchy -check -top \(FormalHarness.top)", "proc",
                      // Every wire survives flattening, for the probes (unconnected outputs would not).
                      "setattr -set keep 1 w:*", "flatten"]
        if !harness.probes.isEmpty {
            // Memories become words with names (mem[k]) that probes can read.
            script += ["memory -nomap", "memory_map", "cd \(FormalHarness.top)"]
            script += harness.probes.map { "connect -set \($0.wire) \\\($0.signal)" }
            script.append("cd ..")
        }
        script += ["prep -top \(FormalHarness.top)", "async2sync", "dffunmap", "write_smt2 -wires harness.smt2"]
        try (script.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("harness.ys"), atomically: true, encoding: .utf8)
    }

    /// The harness line of the assertion yosys-smtbmc reports as failed. yosys
    /// gives a span (`harness.v:94.35-95.34`) from the end of the statement
    /// before: the assertion is on the span's last line.
    static func failedAssertion(_ output: String) -> Int? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Assert failed in") }),
              let r = line.range(of: "in \(FormalHarness.top): harness.v:") else { return nil }
        let span = line[r.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" }
        let end = span.split(separator: "-").last ?? span
        return Int(end.prefix { $0.isNumber })
    }

    func counterexample(_ output: String, vcd: URL) throws -> Counterexample {
        guard let line = Self.failedAssertion(output) else {
            throw RTLError("yosys-smtbmc reported a failure outside the harness's assertions:\n\(output)")
        }
        let text = try String(contentsOf: vcd, encoding: .utf8)
        let trace = VCDTrace(text)
        let w = harness.dut.width
        // The step whose assertions failed (the waveform may run a step further).
        let checking = output.split(separator: "\n").last { $0.contains("Checking assertions in step") }
        let cycle = checking.flatMap { Int($0.split(separator: " ").last!.prefix { $0.isNumber }) } ?? trace.steps - 1
        var items: [ProgramItem] = []
        for step in 0..<min(trace.steps, cycle + 1) {
            if trace.bit("rst", step) { continue }
            // An operation taken, or offered in the failing cycle and not taken (the DUT never takes it).
            if trace.bit("in_take", step) || (step == cycle && trace.bit("in_valid", step)) {
                let kind = trace.int("in_kind", step), addr = trace.int("in_addr", step)
                let data = trace.word("in_data", step, width: w)
                let opcode: Opcode = [.load, .accum, .read, .swap, .swap][min(kind, 4)]
                let keep = kind == 4
                items.append(.op(Instruction(opcode: opcode, address: addr,
                                             data: opcode == .read || keep ? .zero : data, keep: keep)))
            } else if !trace.bit("in_valid", step) {
                if case .idle(let n) = items.last { items[items.count - 1] = .idle(n + 1) } else { items.append(.idle(1)) }
            }
        }
        // Idle cycles up to the failing one stay: a replay must run through that cycle.
        return Counterexample(assertion: harness.assertions[line] ?? "the assertion on harness line \(line)", line: line,
                              cycle: cycle, context: trace.int("tracked", 0), program: items, vcd: text)
    }
}

/// The values of the harness's top-level signals in each step of yosys-smtbmc's VCD.
struct VCDTrace {
    /// Signal name → bits (most significant first) per step.
    var values: [String: [String]] = [:]
    var steps = 0

    init(_ text: String) {
        var ids: [String: (name: String, width: Int)] = [:]
        var depth = 0, current: [String: String] = [:], step = -1
        func flush() {
            guard step >= 0 else { return }
            for (_, v) in ids {
                values[v.name, default: []].append(current[v.name] ?? String(repeating: "0", count: v.width))
            }
        }
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let f = line.split(separator: " ").map(String.init)
            guard let first = f.first else { continue }
            if first == "$scope" { depth += 1 } else if first == "$upscope" { depth -= 1 }
            else if first == "$var", depth == 1, f.count >= 5, let width = Int(f[2]) { ids[f[3]] = (f[4], width) }
            else if first.hasPrefix("#") {
                // Steps are 10 time units apart; a step's values are those at its time.
                guard let t = Int(first.dropFirst()), t % 10 == 0 else { continue }
                flush()
                step = t / 10
            } else if first.hasPrefix("b"), f.count == 2, let v = ids[f[1]] {
                current[v.name] = String(first.dropFirst())
            } else if let c = first.first, "01xz".contains(c), let v = ids[String(first.dropFirst())] {
                current[v.name] = String(c)
            }
        }
        flush()
        steps = values.values.map(\.count).max() ?? 0
    }

    func bits(_ name: String, _ step: Int) -> String { values[name].flatMap { step < $0.count ? $0[step] : nil } ?? "0" }
    func bit(_ name: String, _ step: Int) -> Bool { bits(name, step).last == "1" }
    func int(_ name: String, _ step: Int) -> Int { Int(bits(name, step).map { $0 == "1" ? "1" : "0" }.joined(), radix: 2) ?? 0 }

    func word(_ name: String, _ step: Int, width: Int) -> Word {
        var limbs = SIMD8<UInt64>()
        for (i, c) in bits(name, step).reversed().enumerated() where c == "1" && i < width {
            limbs[i >> 6] |= 1 << UInt64(i & 63)
        }
        return Word(limbs: limbs)
    }
}
