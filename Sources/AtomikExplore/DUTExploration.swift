import AtomikCore
import AtomikCosim
import AtomikCycle
import AtomikDUT
import AtomikProgram
import AtomikRTL
import AtomikSupport
import Foundation

/// A point of a sweep: our unit at a design point, or a described design
/// (with `unit` set when it is our unit, so the cycle model's figures go beside).
public enum ExplorePoint: Sendable {
    case unit(UnitParameters)
    case dut(DUTDescription, unit: UnitParameters?)

    /// The point in words: our unit's parameters, or a design's name, parameters and RTL hash.
    public var words: String {
        switch self {
        case .unit(let p): "\(p)"
        case .dut(let d, _): ([d.name] + d.parameters.map { "\($0.name)=\($0.value)" } + [DUTBuild.rtlHash(d)]).joined(separator: " ")
        }
    }
}

extension Exploration {
    /// A described design: yosys area of the bare DUT, nextpnr Fmax of the DUT
    /// inside a pin harness generated from its description, and cycles per
    /// operation of each workload measured on its RTL under Verilator.
    public static func measure(_ d: DUTDescription, unit: UnitParameters?, _ o: ExploreOptions,
                               versions: String) throws -> PointResult {
        let harness = DUTHarness.verilog(d)
        var key = "dut \(versions) freq=\(o.frequencyMHz) seeds=\(o.seeds) devices=\(o.devices.map(\.rawValue)) "
            + "pnr=\(o.placeRoute) workloads=\(o.workloads.map(\.rawValue)) length=\(o.workloadLength) "
            + "\(d.defines) \(d.includeDirectories)\n" + harness + DUTBridge.verilog(d)
        for f in d.files + DUTBuild.includeFiles(d) { key += f + "\n" + ((try? String(contentsOfFile: f, encoding: .utf8)) ?? "") }
        let cached = o.cacheDirectory.appendingPathComponent("dut-\(String(FNV1a.hash(key.utf8), radix: 16)).json")
        if let r = cachedPoint(cached) { return r }
        let parameters = d.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        var r = PointResult(width: d.width, contexts: d.contexts, storage: "dut", readLatency: 0, lanes: nil,
                            design: d.name + (parameters.isEmpty ? "" : " " + parameters), workloads: [], devices: [])
        // Operations per cycle: the DUT's own timing, each workload in transaction lockstep.
        for recipe in o.workloads {
            let next = try DUTCosimSession.stream(.recipe(recipe, seed: 1, length: o.workloadLength), dut: d)
            let outcome = try TransactionCosim.lockstep(d, options: .init(), next: next)
            r.workloads.append(WorkloadResult(recipe: recipe.rawValue, operations: outcome.operations, cycles: outcome.cycles,
                                              stallCycles: 0, resultsChecked: outcome.passed))
        }
        if let unit { r.modelWorkloads = try workloads(unit, o) }

        let work = Scratch.path("explore")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let harnessFile = work.appendingPathComponent("atomik_dut_harness.v")
        try harness.write(to: harnessFile, atomically: true, encoding: .utf8)
        let read = try DUTBuild.yosysRead(d)
        let chparam = d.parameters.isEmpty ? "" : "chparam " + d.parameters.map { "-set \($0.name) \($0.value)" }.joined(separator: " ")
            + " \(d.top); "
        (r.synthesis, r.synthesisNote) = try synthesise("\(read); \(chparam)synth_ice40 -top \(d.top)", in: work, work: work, o)
        try placeRouteHarness(&r, read: "\(read) \"\(harnessFile.path)\"", top: "atomik_dut_harness", in: work, work: work, o)
        try store(r, at: cached)
        return r
    }
}

/// The place-and-route harness of a described design: a 32-bit LFSR, seeded
/// from one pin, drives every input of the DUT; its outputs are XOR-folded
/// into one register and one pin (three pins in all, as for our unit).
public enum DUTHarness {
    public static func verilog(_ d: DUTDescription) -> String {
        let w = d.width, a = d.addressBits, op = d.operation
        var ports = [".\(d.clock)(clk)", ".\(d.reset.port)(\(d.reset.activeLow ? "rst_n" : "!rst_n"))"]
        if let valid = op.valid { ports.append(".\(valid)(lfsr_q[0])") }
        ports.append(".\(op.opcode)(lfsr_q[1 +: \(op.opcodeBits)])")
        if let keep = op.keep { ports.append(".\(keep)(lfsr_q[17])") }
        if let address = op.address { ports.append(".\(address)(lfsr_q[4 +: \(a)] ^ lfsr_q[31 -: \(a)])") }
        ports.append(".\(op.data)(data)")
        var outputs = ["result_data"]
        switch d.acceptance {
        case .ready(let port), .oneAtATime(.some(let port)): ports.append(".\(port)(ready)"); outputs.append("ready")
        default: break
        }
        if let valid = d.result.valid { ports.append(".\(valid)(result_valid)"); outputs.append("result_valid") }
        ports.append(".\(d.result.data)(result_data)")
        let parameters = d.parameters.map { ".\($0.name)(\($0.value))" }
        return """
        // Generated by atomik explore from \(d.origin): the place-and-route harness of \(d.top).
        module atomik_dut_harness (
            input  wire clk,
            input  wire rst_n,
            input  wire seed_i,
            output reg  out_o
        );
            reg [31:0] lfsr_q;
            always @(posedge clk) lfsr_q <= {lfsr_q[30:0], lfsr_q[31] ^ lfsr_q[21] ^ lfsr_q[1] ^ lfsr_q[0] ^ seed_i};
            wire [\(w - 1):0] data = {\((w + 31) / 32){lfsr_q}};
            wire ready, result_valid;
            wire [\(w - 1):0] result_data;
            \(d.top) \(parameters.isEmpty ? "" : "#(\(parameters.joined(separator: ", "))) ")u_dut (
                \(ports.joined(separator: ",\n        "))
            );
            always @(posedge clk) out_o <= ^{\(outputs.joined(separator: ", "))};
        endmodule

        """
    }
}
